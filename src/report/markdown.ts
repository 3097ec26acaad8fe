// GitHub-flavoured markdown: a layer table and the summary as a list.
import type { Profile } from '../analyzers/profile';
import { describeSpec } from '../spec';
import { layerGrid } from './layer-grid';
import { summaryLines } from './summary';

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

export function renderMarkdown(profile: Profile, columns: readonly string[]): string {
  const { spec, check } = profile;
  const grid = layerGrid(profile, columns);
  const lines = [
    `### ${describeSpec(spec)}`,
    '',
    row(grid.head),
    row(grid.numeric.map((numeric) => (numeric ? '---:' : '---'))),
    ...grid.rows.map(([name, ...rest]) => row([`\`${name ?? ''}\``, ...rest])),
    row(grid.total.map((cell, i) => (i === 0 || cell !== '' ? `**${cell}**` : cell))),
    '',
    ...summaryLines(profile, columns).map(([label, value]) => `- ${label}: ${value}`),
    ...check.mismatches.map((m) => `  - \`${m.layer}\` ${m.quantity}: analytic ${m.analytic}, measured ${m.measured}`),
    '',
  ];
  return lines.join('\n');
}
