// GitHub-flavoured markdown: the layer table, the summary as a list, top layers, overhead.
import type { Profile } from '../../analyzers/profile';
import { describeSpec } from '../../model/spec';
import type { RenderOptions } from '../render-options';
import { findingLines, seRows } from './file-findings';
import { overheadCells, overheadHead, overheadRows, overheadTitle } from './overhead';
import { SE_BLOCK_HEAD, seBlockRows, seLatencyLines, seLatencyTitle } from './se-latency';
import { summaryLines } from './summary';
import { layerTable, topTable } from './table';
import { alignRow, markdownCode, markdownText, row } from '../markdown-syntax';
import { oneLine } from '../text';

const code = (name: string): string => markdownCode(name.trim());
const indent = (name: string): string => `${'&nbsp;'.repeat(name.length - name.trimStart().length)}${code(name)}`;

export function renderMarkdown(profile: Profile, options: RenderOptions): string {
  const { columns, top } = options;
  const { head, rows, total } = layerTable(profile, options);
  const lines = [
    `### ${oneLine(describeSpec(profile.spec))}`,
    '',
    row(head),
    alignRow(3, head.length - 3),
    ...rows.map(([name = '', ...rest]) => row([indent(name), ...rest])),
    row(total.map((cell) => (cell === '' ? '' : `**${cell}**`))),
    '',
    ...summaryLines(profile, columns).map(([label, value]) => `- ${label}: ${value}`),
    ...profile.check.mismatches.map((m) => `  - ${code(m.layer)} ${m.quantity}: analytic ${m.analytic}, measured ${m.measured}`),
    '',
  ];
  if (top !== undefined) {
    const t = topTable(profile, columns, top, options.counts);
    lines.push(`#### ${t.title}`, '', row(t.head), alignRow(3, 2), ...t.rows.map(([name = '', ...rest]) => row([code(name), ...rest])), '');
  }
  if (profile.file !== undefined) {
    lines.push(...findingLines(profile.file).map((line) => `- ${line}`), '');
    if (profile.file.seBlocks.length > 0) {
      const se = seRows(profile, columns, options.counts);
      lines.push(
        '#### SE blocks found',
        '',
        row(se.head),
        alignRow(5, se.head.length - 5),
        ...se.rows.map(([where = '', ...rest]) => row([markdownText(where), ...rest])),
        '',
      );
    }
  }
  if (profile.overhead !== undefined) {
    lines.push(
      `#### ${overheadTitle(profile)}`,
      '',
      row(overheadHead(profile.overhead)),
      alignRow(1, overheadHead(profile.overhead).length - 1),
      ...overheadRows(profile.overhead, profile.totals, columns).map((r) => row(overheadCells(r, options.counts))),
      '',
    );
  }
  const se = profile.seLatency;
  if (se !== undefined && 'skipped' in se) lines.push(`SE latency: not timed (${se.skipped})`, '');
  else if (se !== undefined) {
    lines.push(`#### ${seLatencyTitle(profile, se)}`, '', ...seLatencyLines(se).map(([label, value]) => `- ${label}: ${value}`), '');
    if (se.layers.blocks.length > 0)
      lines.push(
        row([...SE_BLOCK_HEAD]),
        alignRow(1, SE_BLOCK_HEAD.length - 1),
        ...seBlockRows(se).map(([name = '', ...rest]) => row([code(name), ...rest])),
        '',
      );
  }
  return lines.join('\n');
}
