// GitHub-flavoured markdown: a layer table and the summary as a list.
import type { Profile } from '../analyzers/profile';
import { formatShape } from '../analyzers/ops';
import { describeSpec } from '../spec';
import { columnHeader } from './columns';
import { withCommas } from './format';
import { summaryLines } from './summary';

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

export function renderMarkdown(profile: Profile, columns: readonly string[]): string {
  const { spec, layers, totals, check } = profile;
  const lines = [
    `### ${describeSpec(spec)}`,
    '',
    row(['Layer', 'Op', 'Output shape', 'Params', ...columns.map(columnHeader)]),
    row(['---', '---', '---', ...Array<string>(columns.length + 1).fill('---:')]),
    ...layers.map(({ op, counts }) =>
      row([`\`${op.name}\``, op.kind, formatShape(op.outputShape), withCommas(op.params), ...columns.map((k) => withCommas(counts[k] ?? 0n))]),
    ),
    row(['**Total**', '', '', `**${withCommas(totals.params)}**`, ...columns.map((k) => `**${withCommas(totals.counts[k] ?? 0n)}**`)]),
    '',
    ...summaryLines(profile, columns).map(([label, value]) => `- ${label}: ${value}`),
    ...check.mismatches.map((m) => `  - \`${m.layer}\` ${m.quantity}: analytic ${m.analytic}, measured ${m.measured}`),
    '',
  ];
  return lines.join('\n');
}
