// The one terminal table: box-drawn by cli-table3, a rule under the header and above the
// footer rows (the totals), none between rows. cli-table3's layout is quadratic in rows
// (10,000 rows took 13 s), so long tables are drawn in slices with fixed column widths and
// stitched: the result is the same table, in time linear in rows. A table wider than the
// terminal it is shown on is stacked: parts of its columns one under another, each beside the
// row labels.
import Table from 'cli-table3';
import stringWidth from 'string-width';

export interface TableLayout {
  /** Columns whose cells align right (numbers); the header always aligns left. */
  rightAligned(column: number): boolean;
  /** How many last rows are totals, set off by a rule. */
  footer?: number;
  /** The terminal's width, when stdout is one: a wider table is stacked to fit. Never set when piped. */
  width?: number | undefined;
}

/** Columns after the first `textColumns` are right-aligned numbers. */
export const numbersAfter = (textColumns: number) => (column: number): boolean => column >= textColumns;

/** Rows per cli-table3 call: small enough that its quadratic layout stays cheap. */
const SLICE = 50;

const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

type Cells = readonly (readonly string[])[];

const oneLine = (cell: string): string => cell.replace(/\s*[\r\n]+\s*/g, ' ');

/** Each column's width, +2 for cli-table3's padding. */
const columnWidths = (heading: readonly string[], body: Cells): number[] =>
  heading.map((h, i) => body.reduce((widest, cells) => Math.max(widest, stringWidth(cells[i] ?? '')), stringWidth(h)) + 2);

/** A table's width with its borders: one more than its columns and their right borders. */
const tableWidth = (widths: readonly number[]): number => widths.reduce((sum, w) => sum + w + 1, 1);

/** Columns in groups that each fit `width` beside `labels`, repeated in every group. */
function groupsBeside(labels: readonly number[], rest: readonly number[], widths: readonly number[], width: number): number[][] {
  const labelsWidth = tableWidth(labels.map((i) => widths[i] ?? 0));
  const groups: number[][] = [];
  let group: number[] = [];
  let used = labelsWidth;
  for (const i of rest) {
    const needed = (widths[i] ?? 0) + 1;
    if (group.length > 0 && used + needed > width) {
      groups.push([...labels, ...group]);
      group = [];
      used = labelsWidth;
    }
    group.push(i);
    used += needed;
  }
  if (group.length > 0) groups.push([...labels, ...group]);
  return groups;
}

/**
 * The stacked parts: the leading text columns as labels, or as many of them as make the fewest
 * parts (at least the first); text columns left out of the labels go after the numbers, so that
 * no part holds labels only.
 */
function columnGroups(widths: readonly number[], layout: TableLayout, width: number): number[][] {
  const columns = widths.map((_, i) => i);
  const firstNumber = columns.find((i) => layout.rightAligned(i)) ?? 1;
  const leading = columns.slice(0, Math.max(1, firstNumber));
  const numbers = columns.filter((c) => !leading.includes(c));
  let best: number[][] | undefined;
  for (let k = leading.length; k >= 1; k--) {
    const groups = groupsBeside(leading.slice(0, k), [...numbers, ...leading.slice(k)], widths, width);
    if (best === undefined || groups.length < best.length) best = groups;
  }
  return best ?? [];
}

export function textTable(head: readonly string[], rows: Cells, layout: TableLayout): string {
  const body = rows.map((cells) => head.map((_, i) => oneLine(cells[i] ?? '')));
  const heading = head.map(oneLine);
  const widths = columnWidths(heading, body);
  if (layout.width === undefined || tableWidth(widths) <= layout.width) return drawTable(heading, body, widths, layout);
  return columnGroups(widths, layout, layout.width)
    .map((group) => {
      const pick = (cells: readonly string[]): string[] => group.map((i) => cells[i] ?? '');
      const rightAligned = (column: number): boolean => layout.rightAligned(group[column] ?? 0);
      return drawTable(pick(heading), body.map(pick), group.map((i) => widths[i] ?? 0), { ...layout, rightAligned });
    })
    .join('\n\n');
}

function drawTable(heading: readonly string[], body: string[][], colWidths: readonly number[], layout: TableLayout): string {
  const draw = (slice: readonly string[][], withHead: boolean): string[] => {
    const table = new Table({ ...(withHead && { head: [...heading] }), colWidths: [...colWidths], style: { head: [], border: [] }, chars: NO_ROW_RULES });
    for (const cells of slice) {
      table.push(cells.map((content, i) => (layout.rightAligned(i) ? { content, hAlign: 'right' as const } : content)));
    }
    return table.toString().split('\n');
  };

  const [top = '', header = '', ...afterHeader] = draw([], true);
  const bottom = afterHeader.at(-1) ?? top.replace('┌', '└').replaceAll('┬', '┴').replace('┐', '┘');
  const lines: string[] = [];
  for (let start = 0; start < body.length; start += SLICE) {
    lines.push(...draw(body.slice(start, start + SLICE), false).slice(1, -1)); // each slice without its own borders
  }
  const rule = top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  const footer = layout.footer ?? 0;
  if (footer > 0 && lines.length > 0) lines.splice(lines.length - footer, 0, rule);
  return [top, header, rule, ...lines, bottom].join('\n');
}
