// The torchsummary-like terminal tables.
import Table from 'cli-table3';
import type { Profile } from '../analyzers/profile';
import { formatShape } from '../analyzers/ops';
import { describeSpec } from '../spec';
import { columnHeader } from './columns';
import { withCommas } from './format';
import { OVERHEAD_HEAD, overheadCells, overheadRows, overheadTitle } from './overhead';
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

export function renderTable(profile: Profile, columns: readonly string[]): string {
  const { spec, layers, totals, check, overhead } = profile;
  const counts = (c: Record<string, bigint>): string[] => columns.map((key) => withCommas(c[key] ?? 0n));
  const rows = [
    ...layers.map(({ op, counts: c }) => [op.name, op.kind, formatShape(op.outputShape), withCommas(op.params), ...counts(c)]),
    ['Total', '', '', withCommas(totals.params), ...counts(totals.counts)],
  ];
  const parts = [
    describeSpec(spec),
    drawTable(['Layer', 'Op', 'Output shape', 'Params', ...columns.map(columnHeader)], rows, 3, true),
    ...labelled(summaryLines(profile, columns)),
    ...check.mismatches.map((m) => `  ${m.layer}: ${m.quantity} analytic ${m.analytic}, measured ${m.measured}`),
  ];
  if (overhead !== undefined) {
    const overheadTable = overheadRows(overhead, totals, columns).map(overheadCells);
    parts.push('', overheadTitle(profile), drawTable(OVERHEAD_HEAD, overheadTable, 1, false));
  }
  return `${parts.join('\n')}\n`;
}
