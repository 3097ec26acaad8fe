// The torchsummary-like terminal tables.
import Table from 'cli-table3';
import type { Profile } from '../analyzers/profile';
import { formatShape } from '../analyzers/ops';
import { describeSpec } from '../spec';
import { columnHeader } from './columns';
import { milliseconds, withCommas } from './format';
import type { RenderOptions } from './index';
import { OVERHEAD_HEAD, overheadCells, overheadRows, overheadTitle } from './overhead';
import { layerRows, share, topLayers, treeRows } from './rows';
import { summaryLines } from './summary';

/** Rules under the header and, with a total row, above it; drawn like the top border. */
function withRules(drawn: string, hasTotal: boolean): string {
  const lines = drawn.split('\n');
  const top = lines[0] ?? '';
  const rule = top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  const body = hasTotal ? [...lines.slice(2, -2), rule, ...lines.slice(-2)] : lines.slice(2);
  return [top, lines[1] ?? '', rule, ...body].join('\n');
}

/** A compact table; columns after the first `textColumns` are right-aligned numbers. */
export function drawTable(head: readonly string[], rows: readonly string[][], textColumns: number, hasTotal: boolean): string {
  const table = new Table({
    head: [...head],
    style: { head: [], border: [] },
    // No rules between rows: a compact summary, like torchsummary's.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) {
    table.push(row.map((content, i) => (i < textColumns ? content : { content, hAlign: 'right' as const })));
  }
  return withRules(table.toString(), hasTotal);
}

export function labelled(lines: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  return lines.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
}

/** The cells of the layer (or tree) table, its head, and the total row: shared with markdown. */
export function layerTable(profile: Profile, { columns, depth }: Pick<RenderOptions, 'columns' | 'depth'>) {
  const { layers, totals } = profile;
  const main = columns[0] ?? 'thop';
  const tree = depth !== undefined;
  const times = profile.measured?.layerMs;
  const rows = tree ? treeRows(layers, depth, times) : layerRows(layers, times);
  const totalMs = rows.filter((r) => r.depth <= 1).reduce((sum, r) => sum + (r.timeMs ?? 0), 0);
  const counts = (c: Record<string, bigint>): string[] => columns.map((key) => withCommas(c[key] ?? 0n));
  const shareOf = (c: Record<string, bigint>): string[] => (tree ? [share(c[main] ?? 0n, totals.counts[main] ?? 0n)] : []);
  // DeepSpeed-style latency columns: time, share of the summed layer times, achieved GFLOP/s.
  const timing = (ms: number | undefined, flops: bigint | undefined): string[] =>
    times === undefined || ms === undefined
      ? []
      : [milliseconds(ms), percent(ms, totalMs), ms > 0 ? (Number(flops ?? 0n) / (ms * 1e6)).toFixed(2) : '-'];
  return {
    head: [
      'Layer',
      'Op',
      'Output shape',
      'Params',
      ...columns.map(columnHeader),
      ...(tree ? [`Share (${main})`] : []),
      ...(times === undefined ? [] : ['Time (ms)', 'Time %', 'GFLOP/s (flops)']),
    ],
    rows: rows.map((r) => [
      `${'  '.repeat(Math.max(0, r.depth - 1))}${r.name}`,
      r.what,
      formatShape(r.outputShape),
      withCommas(r.params),
      ...counts(r.counts),
      ...shareOf(r.counts),
      ...timing(r.timeMs, r.counts['flops']),
    ]),
    total: ['Total', '', '', withCommas(totals.params), ...counts(totals.counts), ...shareOf(totals.counts), ...timing(totalMs, totals.counts['flops'])],
  };
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(2)}%` : '-';
}

export function topTable(profile: Profile, columns: readonly string[], k: number) {
  const main = columns[0] ?? 'thop';
  const total = profile.totals.counts[main] ?? 0n;
  return {
    title: `Top ${k} layers by ${columnHeader(main)}`,
    head: ['Layer', 'Op', 'Output shape', columnHeader(main), 'Share'],
    rows: topLayers(profile.layers, main, k).map(({ op, counts }) => [
      op.name,
      op.kind,
      formatShape(op.outputShape),
      withCommas(counts[main] ?? 0n),
      share(counts[main] ?? 0n, total),
    ]),
  };
}

export function renderTable(profile: Profile, options: RenderOptions): string {
  const { columns, top } = options;
  const { head, rows, total } = layerTable(profile, options);
  const parts = [
    describeSpec(profile.spec),
    drawTable(head, [...rows, total], 3, true),
    ...labelled(summaryLines(profile, columns)),
    ...profile.check.mismatches.map((m) => `  ${m.layer}: ${m.quantity} analytic ${m.analytic}, measured ${m.measured}`),
  ];
  if (top !== undefined) {
    const t = topTable(profile, columns, top);
    parts.push('', t.title, drawTable(t.head, t.rows, 3, false));
  }
  if (profile.overhead !== undefined) {
    const overheadTable = overheadRows(profile.overhead, profile.totals, columns).map(overheadCells);
    parts.push('', overheadTitle(profile), drawTable(OVERHEAD_HEAD, overheadTable, 1, false));
  }
  return `${parts.join('\n')}\n`;
}
