// The one terminal table: box-drawn by cli-table3, a rule under the header and above the
// footer rows (the totals), none between rows. cli-table3's layout is quadratic in rows
// (10,000 rows took 13 s), so long tables are drawn in slices with fixed column widths and
// stitched: the result is the same table, in time linear in rows.
import Table from 'cli-table3';
import stringWidth from 'string-width';

export interface TableLayout {
  /** Columns whose cells align right (numbers); the header always aligns left. */
  rightAligned(column: number): boolean;
  /** How many last rows are totals, set off by a rule. */
  footer?: number;
}

/** Columns after the first `textColumns` are right-aligned numbers. */
export const numbersAfter = (textColumns: number) => (column: number): boolean => column >= textColumns;

/** Rows per cli-table3 call: small enough that its quadratic layout stays cheap. */
const SLICE = 50;

const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function textTable(head: readonly string[], rows: readonly (readonly string[])[], layout: TableLayout): string {
  const oneLine = (cell: string): string => cell.replace(/\s*[\r\n]+\s*/g, ' ');
  const body = rows.map((cells) => head.map((_, i) => oneLine(cells[i] ?? '')));
  const heading = head.map(oneLine);
  // Widths fixed up front, so every slice lays its columns out alike; +2 for cli-table3's padding.
  const colWidths = heading.map((h, i) => body.reduce((widest, cells) => Math.max(widest, stringWidth(cells[i] ?? '')), stringWidth(h)) + 2);
  const draw = (slice: readonly string[][], withHead: boolean): string[] => {
    const table = new Table({ ...(withHead && { head: heading }), colWidths, style: { head: [], border: [] }, chars: NO_ROW_RULES });
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
