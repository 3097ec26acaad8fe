// The torchsummary-like terminal table.
import Table from 'cli-table3';
import type { Profile } from '../analyzers/profile';
import { formatShape } from '../analyzers/ops';
import { describeSpec, hiddenWidth } from '../spec';
import { columnHeader } from './columns';
import { withCommas } from './format';
import { summaryLines } from './summary';

/** Rules under the header and above the total row, drawn like the table's top border. */
function withRules(drawn: string): string {
  const lines = drawn.split('\n');
  const top = lines[0] ?? '';
  const rule = top.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  return [top, lines[1] ?? '', rule, ...lines.slice(2, -2), rule, ...lines.slice(-2)].join('\n');
}

export function renderTable(profile: Profile, columns: readonly string[]): string {
  const { spec, layers, totals, check } = profile;
  const numeric = { hAlign: 'right' as const };
  const table = new Table({
    head: ['Layer', 'Op', 'Output shape', 'Params', ...columns.map(columnHeader)],
    style: { head: [], border: [] },
    // No rules between layer rows: a compact summary, like torchsummary's.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const { op, counts } of layers) {
    table.push([
      op.name,
      op.kind,
      formatShape(op.outputShape),
      { content: withCommas(op.params), ...numeric },
      ...columns.map((key) => ({ content: withCommas(counts[key] ?? 0n), ...numeric })),
    ]);
  }
  table.push([
    'Total',
    '',
    '',
    { content: withCommas(totals.params), ...numeric },
    ...columns.map((key) => ({ content: withCommas(totals.counts[key] ?? 0n), ...numeric })),
  ]);

  const title = `${describeSpec(spec)} · hidden width ${hiddenWidth(spec.input.channels, spec.reduction)}`;
  const labels = summaryLines(profile, columns);
  const width = Math.max(...labels.map(([label]) => label.length)) + 2;
  const summary = labels.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
  const mismatches = check.mismatches.map(
    (m) => `  ${m.layer}: ${m.quantity} analytic ${m.analytic}, measured ${m.measured}`,
  );
  return [title, withRules(table.toString()), ...summary, ...mismatches, ''].join('\n');
}
