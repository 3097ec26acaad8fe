// The torchsummary-like terminal table.
import Table from 'cli-table3';
import type { Profile } from '../analyzers/profile';
import { describeSpec, hiddenWidth, type Spec } from '../spec';
import { layerGrid } from './layer-grid';
import { summaryLines } from './summary';

export function profileTitle(spec: Spec): string {
  return `${describeSpec(spec)} · hidden width ${hiddenWidth(spec.input.channels, spec.reduction)}`;
}

/** Rules under the header and above the last `footer` rows (the totals), drawn like the top border. */
export function withRules(drawn: string, footer = 1): string {
  const lines = drawn.split('\n');
  const top = lines[0] ?? '';
  const rule = top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  return [top, lines[1] ?? '', rule, ...lines.slice(2, -1 - footer), rule, ...lines.slice(-1 - footer)].join('\n');
}

/** A table without rules between rows: a compact summary, like torchsummary's. */
export function compactTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
}

export function renderTable(profile: Profile, columns: readonly string[]): string {
  const { spec, check } = profile;
  const grid = layerGrid(profile, columns);
  const table = compactTable(grid.head);
  const cells = (row: readonly string[]) =>
    row.map((content, i) => (grid.numeric[i] === true ? { content, hAlign: 'right' as const } : content));
  for (const row of grid.rows) table.push(cells(row));
  table.push(cells(grid.total));

  const title = profileTitle(spec);
  const labels = summaryLines(profile, columns);
  const width = Math.max(...labels.map(([label]) => label.length)) + 2;
  const summary = labels.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
  const mismatches = check.mismatches.map(
    (m) => `  ${m.layer}: ${m.quantity} analytic ${m.analytic}, measured ${m.measured}`,
  );
  return [title, withRules(table.toString()), ...summary, ...mismatches, ''].join('\n');
}
