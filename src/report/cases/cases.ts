// Several profiled cases, one row each: the sweep's output and the report's summary.
import { CONVENTION_KEYS, type ConventionKey } from '../../analyzers/conventions';
import type { Check } from '../../analyzers/check';
import { columnHeader } from '../columns';
import { field } from '../profile/csv';
import { mismatchedCases, skippedCases, type CaseResult } from '../report/document';
import { displayCount, milliseconds, type CountStyle } from '../format';
import type { SummaryLine } from '../profile/summary';
import { markdownText, row } from '../markdown-syntax';
import { intervalCell, timedSe } from '../profile/se-latency';
import { textTable } from '../text-table';

/** How the case table shows counts: the convention columns, and in units on request. */
export interface CasesShown {
  /** Convention keys shown as columns. */
  columns: readonly ConventionKey[];
  /** --units and --precision: counts in units rather than exact with commas. */
  counts?: CountStyle | undefined;
  /** stdout's, when it is a terminal, for the table to fit. */
  width?: number | undefined;
}

/** A column that says which case a row is: a sweep's varying options, or a suite case's name. */
export interface LabelColumn {
  header: string;
  cell(result: CaseResult): string;
  /** The cell as markdown, when it is more than the escaped text (a code span). */
  markdown?(result: CaseResult): string;
}

function checkCell(check: Check): string {
  return check.status === 'mismatch' ? `MISMATCH (${check.mismatches.length})` : check.status;
}

function latencyCell({ profile }: CaseResult): string {
  const latency = profile.measured?.latency;
  return latency === undefined ? '-' : milliseconds(latency.medianMs);
}

/** Which timing columns the cases have: latency with `--latency`, SE's with `--se-latency`; timing is opt-in. */
interface Timed {
  latency: boolean;
  se: boolean;
}

function timed(results: readonly CaseResult[]): Timed {
  return { latency: results.some((r) => r.profile.measured?.latency !== undefined), se: results.some((r) => r.profile.seLatency !== undefined) };
}

/** SE adds (of the whole model's time) and SE's share of the layer time, each with its 95% interval. */
const SE_HEAD = ['SE adds % [95%]', 'SE time share [95%]'];

function seCells({ profile }: CaseResult): string[] {
  const se = timedSe(profile);
  return se === undefined ? ['-', '-'] : [intervalCell(se.addsRatio, true), intervalCell(se.layers.share, false)];
}

function head(labels: readonly LabelColumn[], columns: readonly ConventionKey[], withTiming: Timed): string[] {
  return [
    ...labels.map((l) => l.header),
    'Params',
    ...columns.map((key) => columnHeader(key)),
    'Check',
    ...(withTiming.latency ? ['Latency ms'] : []),
    ...(withTiming.se ? SE_HEAD : []),
  ];
}

/** Numbers align right; the labels and the check word align left. */
function numeric(labels: readonly LabelColumn[], columns: readonly ConventionKey[]): (column: number) => boolean {
  const check = labels.length + 1 + columns.length;
  return (i) => i >= labels.length && i !== check;
}

function cells(result: CaseResult, labels: readonly LabelColumn[], { columns, counts }: CasesShown, withTiming: Timed): string[] {
  const { totals, check } = result.profile;
  return [
    ...labels.map((l) => l.cell(result)),
    displayCount(totals.params, counts),
    ...columns.map((k) => displayCount(totals.counts[k] ?? 0n, counts)),
    checkCell(check),
    ...(withTiming.latency ? [latencyCell(result)] : []),
    ...(withTiming.se ? seCells(result) : []),
  ];
}

/** Why the skipped cases were not measured: `--no-measure`, the memory guard, or both. */
export function skipReasons(skipped: readonly CaseResult[]): string {
  const [first = 'skipped', ...others] = new Set(skipped.map((r) => r.profile.check.reason ?? 'skipped'));
  return others.length === 0 ? first : `${first}; and ${others.length} other reason(s)`;
}

/** Backend and check over all cases, the lines under the table. */
function casesSummary(results: readonly CaseResult[]): SummaryLine[] {
  const backends = new Set(
    results.flatMap(({ profile: { measured } }) => (measured ? [`${measured.backend.name} (tfjs ${measured.backend.tfjsVersion})`] : [])),
  );
  const failed = mismatchedCases(results).length;
  const skipped = skippedCases(results);
  const measured = results.length - skipped.length;
  const check =
    failed > 0
      ? `${failed} of ${results.length} case(s): analytic and measured DIFFER, listed below`
      : measured === 0
        ? `not measured (${skipReasons(skipped)}): analytic counts only`
        : `analytic and measured agree on every layer of ${measured} of ${results.length} case(s)`;
  return [...(backends.size > 0 ? [['Backend', [...backends].join(', ')] as const] : []), ['Check', check]];
}

function mismatchLines(results: readonly CaseResult[]): string[] {
  return mismatchedCases(results).flatMap(({ name, profile }) =>
    profile.check.mismatches.map((m) => `${name}: ${m.layer} ${m.quantity}: analytic ${m.analytic}, measured ${m.measured}`),
  );
}

export function renderCasesTable(results: readonly CaseResult[], labels: readonly LabelColumn[], shown: CasesShown): string {
  const { columns, width } = shown;
  const withTiming = timed(results);
  const rows = results.map((result) => cells(result, labels, shown, withTiming));
  const table = textTable(head(labels, columns, withTiming), rows, { rightAligned: numeric(labels, columns), width });
  const summary = casesSummary(results).map(([label, value]) => `${label}: ${value}`);
  return [table, ...summary, ...mismatchLines(results).map((l) => `  ${l}`), ''].join('\n');
}

/** A markdown case table that shows some of the cases: the lines under it still speak of all. */
export interface CasesMarkdownShown extends CasesShown {
  /** The cases given a row, in this order (default every case). */
  rows?: readonly CaseResult[] | undefined;
  /** At most this many lines of differences, then how many more (default all). */
  maxDifferences?: number | undefined;
}

function differenceLines(results: readonly CaseResult[], most: number): string[] {
  const lines = mismatchLines(results);
  if (lines.length <= most) return lines;
  return [...lines.slice(0, most), `and ${lines.length - most} more difference(s), in junit.xml`];
}

export function renderCasesMarkdown(results: readonly CaseResult[], labels: readonly LabelColumn[], shown: CasesMarkdownShown): string {
  const { columns, rows = results, maxDifferences = Infinity } = shown;
  const withTiming = timed(results);
  const header = head(labels, columns, withTiming);
  const markdownCells = (r: CaseResult): string[] => {
    const values = cells(r, labels, shown, withTiming).map(markdownText);
    labels.forEach((l, i) => {
      if (l.markdown !== undefined) values[i] = l.markdown(r);
    });
    return values;
  };
  return [
    row(header.map(markdownText)),
    row(header.map((_, i) => (numeric(labels, columns)(i) ? '---:' : '---'))),
    ...rows.map((r) => row(markdownCells(r))),
    '',
    ...casesSummary(results).map(([label, value]) => `- ${label}: ${value}`),
    ...differenceLines(results, maxDifferences).map((l) => `  - ${markdownText(l)}`),
    '',
  ].join('\n');
}

/** With --se-latency: what SE adds (a fraction of the twin's time) and SE's share of the layer time, each with its 95% bounds. */
const SE_CSV_HEAD = ['se_adds', 'se_adds_low', 'se_adds_high', 'se_share', 'se_share_low', 'se_share_high'];

function seCsvCells({ profile }: CaseResult): string[] {
  const se = timedSe(profile);
  if (se === undefined) return SE_CSV_HEAD.map(() => '');
  const {
    addsRatio: a,
    layers: { share: s },
  } = se;
  return [a.value, a.low, a.high, s.value, s.low, s.high].map((x) => (Number.isFinite(x) ? String(x) : ''));
}

/** Every convention as a column, exact integers: for spreadsheets. */
export function renderCasesCsv(results: readonly CaseResult[], labels: readonly LabelColumn[]): string {
  const withSe = timed(results).se;
  const rows = [
    ['case', ...labels.map((l) => l.header), 'params', 'buffers', ...CONVENTION_KEYS, 'check', 'latency_ms', 'backend', ...(withSe ? SE_CSV_HEAD : [])],
    ...results.map((r) => {
      const { totals, check, measured } = r.profile;
      return [
        r.name,
        ...labels.map((l) => l.cell(r)),
        String(totals.params),
        String(totals.buffers),
        ...CONVENTION_KEYS.map((k) => String(totals.counts[k] ?? 0n)),
        check.status,
        measured?.latency === undefined ? '' : String(measured.latency.medianMs),
        measured?.backend.name ?? '',
        ...(withSe ? seCsvCells(r) : []),
      ];
    }),
  ];
  return `${rows.map((r) => r.map(field).join(',')).join('\n')}\n`;
}
