// compare's output: the moved quantities as a terminal table, GitHub markdown or JSON.
import { parseTolerance, type Comparison, type Delta, type DeltaValue, type FailOn } from './compare';
import { jsonCount } from '../format';
import { markdownCode, markdownText, row } from '../markdown-syntax';
import { textTable } from '../text-table';
import { jsonText, oneLine } from '../text';

export const COMPARE_FORMATS = ['table', 'markdown', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

const HEAD = ['Case', 'Quantity', 'Base', 'New', 'Change', 'Change %', 'Status'];

/** What a human needs to see: everything that moved, every latency, and SE's time. */
const shown = (c: Comparison): Delta[] => c.deltas.filter((d) => d.status !== 'same');

const cells = (d: Delta): string[] => [d.case, d.quantity, d.base, d.new, d.change, d.percent, d.fails ? d.status.toUpperCase() : d.status];

const FAILING: Record<FailOn, string> = { increase: 'failing on growth', decrease: 'failing on a decrease', change: 'failing on any change' };

const toleranceWords = (text: string): string => (text === '0' ? 'exact' : `tolerance ${text}`);

function latencyWords(c: Comparison): string {
  if (c.latencyTolerance === null) return 'latency not checked';
  const partly = c.latencyCompared < c.compared ? ` (${c.latencyCompared} of ${c.compared} case(s) timed in both)` : '';
  return `latency tolerance ${c.latencyTolerance}${partly}`;
}

export function verdict(c: Comparison): string {
  const named = Object.entries(c.quantityTolerances).map(([q, t]) => `, ${q} ${t === '0' ? 'exact' : t}`);
  const se = c.seLatencyTolerance === undefined ? '' : `, SE latency intervals apart by more than ${c.seLatencyTolerance}`;
  const scope = `${c.compared} case(s) compared (counts ${toleranceWords(c.tolerance)}${named.join('')}, ${FAILING[c.failOn]}, ${latencyWords(c)}${se})`;
  const better = c.improvements.length > 0 ? `${c.improvements.length} improvement(s)` : '';
  if (c.failures.length > 0) return `FAILED: ${scope}; ${c.failures.length} regression(s)${better === '' ? '' : `, ${better}`}`;
  return `OK: ${scope}; ${better === '' ? 'nothing moved beyond the thresholds' : `${better}, no regression`}`;
}

function caseLists(c: Comparison, code: (name: string) => string): string[] {
  return [
    ...(c.added.length > 0 ? [`Added (not in the base, not compared): ${c.added.map(code).join(', ')}`] : []),
    ...(c.removed.length > 0 ? [`Removed (in the base only): ${c.removed.map(code).join(', ')}`] : []),
  ];
}

function renderTable(c: Comparison, width: number | undefined): string {
  const lines: string[] = [];
  const rows = shown(c);
  if (rows.length > 0) {
    lines.push(textTable(HEAD, rows.map(cells), { rightAligned: (i) => i >= 2 && i <= 5, width }));
  }
  lines.push(...c.summaries.map((s) => oneLine(`${s.case}: ${s.text}`)));
  lines.push(...caseLists(c, oneLine), verdict(c), '');
  return lines.join('\n');
}

function renderMarkdown(c: Comparison): string {
  const rows = shown(c);
  const lines = ['### seprof compare', '', `**${verdict(c)}**`, ''];
  if (c.summaries.length > 0) lines.push(...c.summaries.map((s) => `- ${markdownCode(s.case)}: ${markdownText(s.text)}`), '');
  if (rows.length > 0) {
    lines.push(row(HEAD), row(['---', '---', '---:', '---:', '---:', '---:', '---']), ...rows.map((d) => row(cells(d).map(markdownText))), '');
  }
  const lists = caseLists(c, markdownCode);
  if (lists.length > 0) lines.push(...lists.map((l) => `- ${l}`), '');
  return lines.join('\n');
}

const jsonValue = (value: DeltaValue): number | string | null => (typeof value === 'bigint' ? jsonCount(value) : value);

/** Numbers as JSON numbers (exact counts past 2^53 as decimal strings); percent in percent, null when it has none. */
function deltaJson(d: Delta): object {
  const percent = d.percent.endsWith('%') ? Number(d.percent.slice(0, -1)) : null;
  return {
    case: d.case,
    quantity: d.quantity,
    base: jsonValue(d.values.base),
    new: jsonValue(d.values.new),
    change: jsonValue(d.values.change),
    percent,
    status: d.status,
    fails: d.fails,
  };
}

/** A tolerance as the relative change it allows, a number: '1%' and '0.01' are both 0.01. */
function fractionOf(text: string): number {
  const { numerator, denominator } = parseTolerance('tolerance', text);
  return Number(numerator) / Number(denominator);
}

/** The comparison as `seprof compare --json` writes it. */
export function comparisonJson(c: Comparison): object {
  const latencyTolerance = c.latencyTolerance === null ? null : fractionOf(c.latencyTolerance);
  const quantityTolerances = Object.fromEntries(Object.entries(c.quantityTolerances).map(([q, t]) => [q, fractionOf(t)]));
  const seLatencyTolerance = c.seLatencyTolerance === undefined ? {} : { seLatencyTolerance: fractionOf(c.seLatencyTolerance) };
  return {
    ...c,
    tolerance: fractionOf(c.tolerance),
    quantityTolerances,
    latencyTolerance,
    ...seLatencyTolerance,
    deltas: c.deltas.map(deltaJson),
    failed: c.failures.length > 0,
  };
}

/** `width`: the terminal's, when stdout is one: a wider table is stacked to fit it. */
export function renderComparison(c: Comparison, format: CompareFormat, width?: number): string {
  switch (format) {
    case 'table':
      return renderTable(c, width);
    case 'markdown':
      return renderMarkdown(c);
    case 'json':
      return jsonText(comparisonJson(c));
  }
}
