// The one terminal table: box-drawn, a rule under the header and above the footer rows (the
// totals), none between rows. Linear in rows (cli-table3's layout was quadratic: 10,000 rows
// took 13 s). Cells are one line each; width is display width, so CJK names stay aligned.
import stringWidth from 'string-width';

export interface TableLayout {
  /** Columns whose cells align right (numbers); the header always aligns left. */
  rightAligned(column: number): boolean;
  /** How many last rows are totals, set off by a rule. */
  footer?: number;
}

/** Columns after the first `textColumns` are right-aligned numbers. */
export const numbersAfter = (textColumns: number) => (column: number): boolean => column >= textColumns;

export function textTable(head: readonly string[], rows: readonly (readonly string[])[], layout: TableLayout): string {
  const oneLine = (cell: string): string => cell.replace(/\s*[\r\n]+\s*/g, ' ');
  const lines = [head, ...rows].map((cells) => head.map((_, i) => oneLine(cells[i] ?? '')));
  const widths = head.map((_, i) => lines.reduce((widest, cells) => Math.max(widest, stringWidth(cells[i] ?? '')), 0));
  const rule = (left: string, middle: string, right: string): string => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${right}`;
  const draw = (cells: readonly string[], header: boolean): string =>
    `│${cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - stringWidth(cell));
        return !header && layout.rightAligned(i) ? ` ${pad}${cell} ` : ` ${cell}${pad} `;
      })
      .join('│')}│`;
  const footer = layout.footer ?? 0;
  const body = rows.length === 0 ? [] : lines.slice(1).map((cells) => draw(cells, false));
  if (footer > 0) body.splice(body.length - footer, 0, rule('├', '┼', '┤'));
  return [rule('┌', '┬', '┐'), draw(lines[0] ?? [], true), rule('├', '┼', '┤'), ...body, rule('└', '┴', '┘')].join('\n');
}
