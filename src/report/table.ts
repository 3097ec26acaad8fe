// The torchsummary-like terminal table.
import Table from 'cli-table3';
import type { Profile } from '../analyzers/profile';
import { describeSpec, hiddenWidth } from '../spec';
import { layerGrid } from './layer-grid';
import { summaryLines } from './summary';

/** Rules under the header and above the total row, drawn like the table's top border. */
function withRules(drawn: string): string {
  const lines = drawn.split('\n');
  const top = lines[0] ?? '';
  const rule = top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  return [top, lines[1] ?? '', rule, ...lines.slice(2, -2), rule, ...lines.slice(-2)].join('\n');
}

export function renderTable(profile: Profile, columns: readonly string[]): string {
  const { spec, check } = profile;
  const grid = layerGrid(profile, columns);
  const table = new Table({
    head: grid.head,
    style: { head: [], border: [] },
    // No rules between layer rows: a compact summary, like torchsummary's.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const cells = (row: readonly string[]) =>
    row.map((content, i) => (grid.numeric[i] === true ? { content, hAlign: 'right' as const } : content));
  for (const row of grid.rows) table.push(cells(row));
  table.push(cells(grid.total));

  const title = `${describeSpec(spec)} · hidden width ${hiddenWidth(spec.input.channels, spec.reduction)}`;
  const labels = summaryLines(profile, columns);
  const width = Math.max(...labels.map(([label]) => label.length)) + 2;
  const summary = labels.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
  const mismatches = check.mismatches.map(
    (m) => `  ${m.layer}: ${m.quantity} analytic ${m.analytic}, measured ${m.measured}`,
  );
  return [title, withRules(table.toString()), ...summary, ...mismatches, ''].join('\n');
}
