// The one terminal table: box-drawn as cli-table3 draws it, a rule under the header and above
// the footer rows (the totals), none between rows. cli-table3 draws the borders and the
// header; the rows, one line each at widths known beforehand, are drawn here: cli-table3 lays
// out every cell with regular expressions and option merging, milliseconds a row (100,000
// rows took 49 s). A table wider than the terminal it is shown on is stacked: parts of its
// columns one under another, each beside the row labels.
import Table from 'cli-table3';
import stringWidth from 'string-width';
import { abbreviated, oneLine } from './text';

export interface TableLayout {
  /** Columns whose cells align right (numbers); the header always aligns left. */
  rightAligned(column: number): boolean;
  /** How many last rows are totals, set off by a rule. */
  footer?: number;
  /** The terminal's width, when stdout is one: a wider table is stacked to fit. Never set when piped. */
  width?: number | undefined;
}

/** Columns after the first `textColumns` are right-aligned numbers. */
export const numbersAfter =
  (textColumns: number) =>
  (column: number): boolean =>
    column >= textColumns;

const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

type Cells = readonly (readonly string[])[];

/** The widest a cell is drawn: a longer name (a hand-edited file) would pad every row of its column. */
export const MAX_CELL = 200;

const cellText = (cell: string): string => abbreviated(oneLine(cell), MAX_CELL);

/** Columns a cell takes on a terminal; printable ASCII, nearly every cell, without string-width's regular expressions. */
const widthOf = (text: string): number => (/^[\x20-\x7e]*$/.test(text) ? text.length : stringWidth(text));

/** Each column's width, +2 for cli-table3's padding. */
const columnWidths = (heading: readonly string[], body: Cells): number[] =>
  heading.map((h, i) => body.reduce((widest, cells) => Math.max(widest, widthOf(cells[i] ?? '')), widthOf(h)) + 2);

/** One body row as cli-table3 draws it: a space of padding each side, aligned within its column. */
function rowLine(cells: readonly string[], colWidths: readonly number[], rightAligned: (column: number) => boolean): string {
  const drawn = cells.map((cell, i) => {
    const pad = ' '.repeat(Math.max(0, (colWidths[i] ?? 2) - 2 - widthOf(cell)));
    return rightAligned(i) ? ` ${pad}${cell} ` : ` ${cell}${pad} `;
  });
  return `│${drawn.join('│')}│`;
}

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
  const body = rows.map((cells) => head.map((_, i) => cellText(cells[i] ?? '')));
  const heading = head.map(cellText);
  const widths = columnWidths(heading, body);
  if (layout.width === undefined || tableWidth(widths) <= layout.width) return drawTable(heading, body, widths, layout);
  return columnGroups(widths, layout, layout.width)
    .map((group) => {
      const pick = (cells: readonly string[]): string[] => group.map((i) => cells[i] ?? '');
      const rightAligned = (column: number): boolean => layout.rightAligned(group[column] ?? 0);
      return drawTable(
        pick(heading),
        body.map(pick),
        group.map((i) => widths[i] ?? 0),
        { ...layout, rightAligned },
      );
    })
    .join('\n\n');
}

function drawTable(heading: readonly string[], body: string[][], colWidths: readonly number[], layout: TableLayout): string {
  const table = new Table({ head: [...heading], colWidths: [...colWidths], style: { head: [], border: [] }, chars: NO_ROW_RULES });
  const [top = '', header = '', ...afterHeader] = table.toString().split('\n');
  const bottom = afterHeader.at(-1) ?? top.replace('┌', '└').replaceAll('┬', '┴').replace('┐', '┘');
  const lines = body.map((cells) => rowLine(cells, colWidths, layout.rightAligned));
  const rule = top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  const footer = layout.footer ?? 0;
  if (footer > 0 && lines.length > 0) lines.splice(lines.length - footer, 0, rule);
  return [top, header, rule, ...lines, bottom].join('\n');
}
