// The torchsummary-like terminal tables, and the layer grid that markdown shares.
import type { ConventionColumns, ConventionKey } from '../../analyzers/conventions';
import { backwardTable } from '../../analyzers/backward';
import type { Counts } from '../../analyzers/count';
import { formatShape } from '../../analyzers/ops';
import type { Profile } from '../../analyzers/profile';
import { describeSpec } from '../../model/spec';
import { columnHeader } from '../columns';
import { displayCount, milliseconds, type CountStyle } from '../format';
import type { RenderOptions } from '../render-options';
import { overheadCells, overheadHead, overheadRows, overheadTitle } from './overhead';
import { layerRows, share, topLayers, treeRows, type Row } from './rows';
import { summaryLines } from './summary';
import { SE_BLOCK_HEAD, seBlockRows, seLatencyLines, seLatencyTitle } from './se-latency';
import { findingLines, seRows } from './file-findings';
import { GRADIENT_SUMS_LABEL, trainingView } from './training-view';
import { numbersAfter, textTable } from '../text-table';
import { oneLine } from '../text';

function labelled(lines: readonly (readonly [string, string])[]): string[] {
  const width = lines.reduce((widest, [label]) => Math.max(widest, label.length), 0) + 2;
  return lines.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
}

/** One count column: a convention's forward count, or with --training its backward or their sum. */
interface CountColumn {
  key: ConventionKey;
  pass: 'forward' | 'backward' | 'both';
  header: string;
}

function countColumns(key: ConventionKey, training: boolean): CountColumn[] {
  if (!training || backwardTable(key) === undefined) return [{ key, pass: 'forward', header: columnHeader(key) }];
  return [
    { key, pass: 'forward', header: columnHeader(key, 'fwd') },
    { key, pass: 'backward', header: columnHeader(key, 'bwd') },
    { key, pass: 'both', header: columnHeader(key, 'fwd+bwd') },
  ];
}

/** A row's value in a column; undefined where the row has none (no backward, or forward of a gradient sum). */
function valueIn({ key, pass }: CountColumn, forward: Counts | undefined, backward: Counts | undefined): bigint | undefined {
  const f = forward?.[key];
  const b = backward?.[key];
  if (pass === 'forward') return forward === undefined ? undefined : (f ?? 0n);
  if (backward === undefined) return undefined;
  return pass === 'backward' ? (b ?? 0n) : (f ?? 0n) + (b ?? 0n);
}

/** The layer table's head, rows and total row, as text: shared by the terminal table and markdown. */
export function layerTable(profile: Profile, { columns, depth, counts: style }: Pick<RenderOptions, 'columns' | 'depth' | 'counts'>) {
  const shown = (n: bigint): string => displayCount(n, style);
  const { layers, totals, training } = profile;
  const main = columns[0];
  const tree = depth !== undefined;
  const times = profile.measured?.layerMs;
  const view = training && trainingView(training);
  const backward = view?.byOp;
  const perLayer = { times, backward };
  const rows = tree ? treeRows(layers, depth, perLayer) : layerRows(layers, perLayer);
  const totalMs = rows.filter((r) => r.depth <= 1).reduce((sum, r) => sum + (r.timeMs ?? 0), 0);
  const counts = columns.flatMap((key) => countColumns(key, training !== undefined));
  const cells = (forward: Counts | undefined, backwardCounts: Counts | undefined): string[] =>
    counts.map((column) => {
      const n = valueIn(column, forward, backwardCounts);
      return n === undefined ? '' : shown(n);
    });
  const shareOf = (c: Counts): string[] => (tree ? [share(c[main] ?? 0n, totals.counts[main] ?? 0n)] : []);
  // DeepSpeed-style latency columns: time, share of the summed layer times, achieved GFLOP/s.
  const timing = (ms: number | undefined, flops: bigint | undefined): string[] =>
    times === undefined
      ? []
      : ms === undefined
        ? ['', '', '']
        : [milliseconds(ms), percent(ms, totalMs), ms > 0 ? (Number(flops ?? 0n) / (ms * 1e6)).toFixed(2) : '-'];
  const line = (r: Row): string[] => [
    `${'  '.repeat(Math.max(0, r.depth - 1))}${r.name}`,
    r.what,
    formatShape(r.outputShape),
    shown(r.params),
    ...cells(r.counts, r.backward),
    ...shareOf(r.counts),
    ...timing(r.timeMs, r.counts['flops']),
  ];
  // The adds that sum the gradients of tensors read twice: backward only, outside every layer.
  const sums = view?.gradientSums;
  const gradientSums =
    training === undefined || sums === undefined
      ? []
      : [
          [
            GRADIENT_SUMS_LABEL,
            'add',
            `${training.fanOuts.length} tensor(s)`,
            '',
            ...cells(undefined, sums),
            ...(tree ? [''] : []),
            ...timing(undefined, undefined),
          ],
        ];
  return {
    head: [
      'Layer',
      'Op',
      'Output',
      'Params',
      ...counts.map((c) => c.header),
      ...(tree ? [`Share (${main})`] : []),
      ...(times === undefined ? [] : ['Time (ms)', 'Time %', 'GFLOP/s (flops)']),
    ],
    rows: [...rows.map(line), ...gradientSums],
    total: [
      'Total',
      '',
      '',
      shown(totals.params),
      ...cells(totals.counts, training?.backward),
      ...shareOf(totals.counts),
      ...timing(times === undefined ? undefined : totalMs, totals.counts['flops']),
    ],
  };
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(2)}%` : '-';
}

export function topTable(profile: Profile, columns: ConventionColumns, k: number, style?: CountStyle) {
  const main = columns[0];
  const total = profile.totals.counts[main] ?? 0n;
  return {
    title: `Top ${k} layers by ${columnHeader(main)}`,
    head: ['Layer', 'Op', 'Output', columnHeader(main), 'Share'],
    rows: topLayers(profile.layers, main, k).map(({ op, counts }) => [
      op.name,
      op.kind,
      formatShape(op.outputShape),
      displayCount(counts[main] ?? 0n, style),
      share(counts[main] ?? 0n, total),
    ]),
  };
}

export function renderTable(profile: Profile, options: RenderOptions): string {
  const { columns, top, width } = options;
  const { head, rows, total } = layerTable(profile, options);
  const parts = [
    oneLine(describeSpec(profile.spec)),
    textTable(head, [...rows, total], { rightAligned: numbersAfter(3), footer: 1, width }),
    ...labelled(summaryLines(profile, columns)),
    ...profile.check.mismatches.map((m) => `  ${oneLine(m.layer)}: ${m.quantity} analytic ${m.analytic}, measured ${m.measured}`),
  ];
  if (top !== undefined) {
    const t = topTable(profile, columns, top, options.counts);
    parts.push('', t.title, textTable(t.head, t.rows, { rightAligned: numbersAfter(3), width }));
  }
  if (profile.file !== undefined) {
    parts.push('', ...findingLines(profile.file));
    if (profile.file.seBlocks.length > 0) {
      const se = seRows(profile, columns, options.counts);
      parts.push('', 'SE blocks found', textTable(se.head, se.rows, { rightAligned: numbersAfter(5), footer: 1, width }));
    }
  }
  if (profile.overhead !== undefined) {
    const overheadTable = overheadRows(profile.overhead, profile.totals, columns).map((r) => overheadCells(r, options.counts));
    parts.push('', overheadTitle(profile), textTable(overheadHead(profile.overhead), overheadTable, { rightAligned: numbersAfter(1), width }));
  }
  const se = profile.seLatency;
  if (se !== undefined && 'skipped' in se) parts.push('', `SE latency: not timed (${se.skipped})`);
  else if (se !== undefined) {
    parts.push('', seLatencyTitle(profile, se), ...labelled(seLatencyLines(se)));
    if (se.layers.blocks.length > 0) parts.push(textTable(SE_BLOCK_HEAD, seBlockRows(se), { rightAligned: numbersAfter(1), width }));
  }
  return `${parts.join('\n')}\n`;
}
