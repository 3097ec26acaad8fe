// report.md and summary.md: GitHub-flavoured markdown sized for where CI shows it. A summary
// table, then each case's layer table (the profile's own markdown) collapsed in a <details>.
// However large the suite, a document stays within its place's budget: the summary keeps the
// cases whose check failed and the costliest, the sections follow while they fit, and the
// last line says what was left out and where the full set is.
import type { ConventionColumns } from '../../analyzers/conventions';
import type { CountStyle } from '../format';
import { describeSpec } from '../../model/spec';
import { renderCasesMarkdown, type LabelColumn } from '../cases/cases';
import type { Chart } from './charts';
import { mismatchedCases, totalSeconds, type CaseResult } from './document';
import { renderMarkdown } from '../profile/markdown';
import { htmlText, markdownCode, markdownText } from '../markdown-syntax';

/** Where a report's markdown is shown, and what it may weigh there. */
export interface MarkdownPlace {
  /** UTF-8 bytes (never fewer than characters), with room under the place's own limit. */
  budget: number;
  /** What the reader is told holds what did not fit. */
  elsewhere: string;
}

/**
 * A pull-request comment holds 65,536 characters and shows no image from the workspace: the
 * charts are named, not linked. 60,000 bytes leave room for a line of the job around it.
 */
export const PULL_REQUEST_COMMENT: MarkdownPlace = { budget: 60_000, elsewhere: 'summary.md and report.json' };

/**
 * $GITHUB_STEP_SUMMARY holds 1 MiB a step; the documented job puts compare's markdown in the
 * same summary, so this one keeps 900,000 bytes.
 */
export const JOB_SUMMARY: MarkdownPlace = { budget: 900_000, elsewhere: 'report.json' };

export interface ReportMeta {
  toolVersion: string;
  date: Date;
  suite: string;
  /** Convention keys shown as columns. */
  columns: ConventionColumns;
  /** Named (a comment cannot show them), as files beside the report. */
  charts: readonly Chart[];
  /** --units and --precision: the tables' counts in units rather than exact with commas. */
  counts?: CountStyle | undefined;
  /** Each case's layer tree depth (report --depth, a suite case's depth); undefined lists every layer. */
  depthOf: (result: CaseResult) => number | undefined;
  /** Where the whole report set is (report --link), for the last line. */
  link?: string | undefined;
}

const LABELS: LabelColumn[] = [
  { header: 'Case', cell: (r) => r.name, markdown: (r) => markdownCode(r.name) },
  { header: 'Spec', cell: (r) => describeSpec(r.profile.spec) },
];

/** Difference lines under the summary table: the layer sections list them all. */
const MAX_DIFFERENCES = 20;

/** Below this room no layer table fits (an SE block's takes about 1,500 bytes): stop looking. */
const SMALLEST_SECTION = 600;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** In suite order, the cases of `chosen`. */
const inSuiteOrder = (results: readonly CaseResult[], chosen: ReadonlySet<CaseResult>): CaseResult[] => results.filter((r) => chosen.has(r));

/** The cases a short document keeps first: those whose check failed, then the costliest under the first column. */
function priority(results: readonly CaseResult[], meta: ReportMeta): CaseResult[] {
  const key = meta.columns[0];
  const cost = (r: CaseResult): bigint => r.profile.totals.counts[key] ?? 0n;
  const failed = new Set(mismatchedCases(results));
  const rest = results.filter((r) => !failed.has(r)).sort((a, b) => (cost(a) === cost(b) ? 0 : cost(a) > cost(b) ? -1 : 1));
  return [...failed, ...rest];
}

function summaryTable(results: readonly CaseResult[], rows: readonly CaseResult[], meta: ReportMeta): string {
  return renderCasesMarkdown(results, LABELS, { columns: meta.columns, counts: meta.counts, rows, maxDifferences: MAX_DIFFERENCES });
}

/** The summary table with as many rows as fit in `room`, kept by priority, shown in suite order. */
function fittedSummary(results: readonly CaseResult[], meta: ReportMeta, room: number): { text: string; rows: number } {
  const ranked = priority(results, meta);
  const table = (k: number): string => summaryTable(results, inSuiteOrder(results, new Set(ranked.slice(0, k))), meta);
  if (bytes(table(ranked.length)) <= room) return { text: table(ranked.length), rows: ranked.length };
  let [fits, fails] = [0, ranked.length]; // table(fits) fits, table(fails) does not
  while (fails - fits > 1) {
    const mid = Math.floor((fits + fails) / 2);
    if (bytes(table(mid)) <= room) fits = mid;
    else fails = mid;
  }
  return { text: table(fits), rows: fits };
}

/** One case's layer table, collapsed; open when its check failed. */
function caseSection(result: CaseResult, meta: ReportMeta): string {
  const { profile } = result;
  const open = profile.check.status === 'mismatch' ? ' open' : '';
  const title = `<b>${htmlText(result.name)}</b> · ${htmlText(describeSpec(profile.spec))} · check ${profile.check.status}`;
  const body = renderMarkdown(profile, {
    format: 'markdown',
    columns: meta.columns,
    toolVersion: meta.toolVersion,
    counts: meta.counts,
    depth: meta.depthOf(result),
  });
  return [`<details${open}><summary>${title}</summary>`, '', body, '</details>', ''].join('\n');
}

function chartLines(meta: ReportMeta): string[] {
  if (meta.charts.length === 0) return [];
  return [`Charts, beside this file: ${meta.charts.map((c) => `${markdownCode(c.file)} (${markdownText(c.title)})`).join(', ')}.`, ''];
}

function leftOut(results: readonly CaseResult[], rows: number, sections: number, meta: ReportMeta, place: MarkdownPlace): string[] {
  const where = meta.link === undefined ? 'the report set' : `[the full report set](${meta.link})`;
  if (rows === results.length && sections === results.length) return meta.link === undefined ? [] : [`The charts and every file: ${where}.`, ''];
  const parts = [
    ...(rows < results.length
      ? [`${results.length - rows} of ${results.length} case(s) left out of the summary table (it keeps the failed checks, then the costliest)`]
      : []),
    ...(sections < results.length ? [`${results.length - sections} layer table(s) left out`] : []),
  ];
  return [`**Shortened to fit:** ${parts.join('; ')}. Every case is in ${place.elsewhere}, in ${where}.`, ''];
}

/** The report's markdown for `place`: everything when it fits, else what matters most, and where the rest is. */
export function renderReportMarkdown(results: readonly CaseResult[], meta: ReportMeta, place: MarkdownPlace): string {
  const head = [
    '# seprof report',
    '',
    `seprof ${meta.toolVersion} · suite ${markdownCode(meta.suite)} · ${results.length} case(s) in ${totalSeconds(results).toFixed(1)} s · ${meta.date.toISOString()}`,
    '',
    '## Summary',
    '',
  ].join('\n');
  const charts = chartLines(meta).join('\n');
  // The closing line's longest form, so that it fits whatever it ends up saying.
  const reserve = bytes(leftOut(results, 0, 0, meta, place).join('\n')) + 2;
  const summary = fittedSummary(results, meta, place.budget - bytes(head) - bytes(charts) - reserve);
  let room = place.budget - bytes(head) - bytes(summary.text) - bytes(charts) - reserve - bytes('## Cases\n\n');
  const kept = new Map<CaseResult, string>();
  for (const result of [...mismatchedCases(results), ...results]) {
    if (room < SMALLEST_SECTION) break;
    if (kept.has(result)) continue;
    const section = caseSection(result, meta);
    if (bytes(section) + 1 > room) continue;
    kept.set(result, section);
    room -= bytes(section) + 1;
  }
  const sections = results.flatMap((r) => kept.get(r) ?? []);
  return [
    head,
    summary.text,
    ...(charts === '' ? [] : [charts]),
    ...(sections.length > 0 ? ['## Cases', '', ...sections] : []),
    ...leftOut(results, summary.rows, kept.size, meta, place),
  ].join('\n');
}
