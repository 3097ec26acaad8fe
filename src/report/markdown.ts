// GitHub-flavoured markdown: a layer table and the summary as a list.
import type { Profile } from '../analyzers/profile';
import { formatShape } from '../analyzers/ops';
import { describeSpec } from '../spec';
import { columnHeader } from './columns';
import { withCommas } from './format';
import { OVERHEAD_HEAD, overheadCells, overheadRows, overheadTitle } from './overhead';
import { summaryLines } from './summary';

export const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
export const alignRow = (text: number, numbers: number): string =>
  row([...Array<string>(text).fill('---'), ...Array<string>(numbers).fill('---:')]);

export function renderMarkdown(profile: Profile, columns: readonly string[]): string {
  const { spec, layers, totals, check, overhead } = profile;
  const lines = [
    `### ${describeSpec(spec)}`,
    '',
    row(['Layer', 'Op', 'Output shape', 'Params', ...columns.map(columnHeader)]),
    alignRow(3, columns.length + 1),
    ...layers.map(({ op, counts }) =>
      row([`\`${op.name}\``, op.kind, formatShape(op.outputShape), withCommas(op.params), ...columns.map((k) => withCommas(counts[k] ?? 0n))]),
    ),
    row(['**Total**', '', '', `**${withCommas(totals.params)}**`, ...columns.map((k) => `**${withCommas(totals.counts[k] ?? 0n)}**`)]),
    '',
    ...summaryLines(profile, columns).map(([label, value]) => `- ${label}: ${value}`),
    ...check.mismatches.map((m) => `  - \`${m.layer}\` ${m.quantity}: analytic ${m.analytic}, measured ${m.measured}`),
    '',
  ];
  if (overhead !== undefined) {
    lines.push(
      `#### ${overheadTitle(profile)}`,
      '',
      row(OVERHEAD_HEAD),
      alignRow(1, OVERHEAD_HEAD.length - 1),
      ...overheadRows(overhead, totals, columns).map((r) => row(overheadCells(r))),
      '',
    );
  }
  return lines.join('\n');
}
