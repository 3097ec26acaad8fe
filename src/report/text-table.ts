// A compact terminal table in the profile table's style: a rule under the header, none between rows.
import Table from 'cli-table3';

export function textTable(head: readonly string[], rows: readonly (readonly string[])[], rightAligned: (column: number) => boolean): string {
  const table = new Table({
    head: [...head],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(row.map((content, i) => ({ content, hAlign: rightAligned(i) ? ('right' as const) : ('left' as const) })));
  const [top = '', header = '', ...rest] = table.toString().split('\n');
  return [top, header, top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤'), ...rest].join('\n');
}
