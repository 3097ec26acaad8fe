// report.md: GitHub-flavoured, for a pull-request comment or a CI job summary. A summary
// table, the charts, then each case's layer table (the profile's own markdown).
import type { ConventionColumns } from '../../analyzers/conventions';
import type { CountStyle } from '../format';
import { describeSpec } from '../../model/spec';
import { renderCasesMarkdown, type LabelColumn } from '../cases/cases';
import type { Chart } from './charts';
import { totalSeconds, type CaseResult } from './document';
import { renderMarkdown } from '../profile/markdown';
import { markdownCode } from '../markdown-syntax';

export interface ReportMeta {
  toolVersion: string;
  date: Date;
  suite: string;
  /** Convention keys shown as columns. */
  columns: ConventionColumns;
  charts: readonly Chart[];
  /** --units and --precision: the tables' counts in units rather than exact with commas. */
  counts?: CountStyle | undefined;
}

const LABELS: LabelColumn[] = [
  { header: 'Case', cell: (r) => r.name, markdown: (r) => markdownCode(r.name) },
  { header: 'Spec', cell: (r) => describeSpec(r.profile.spec) },
];

export function renderReportMarkdown(results: readonly CaseResult[], meta: ReportMeta): string {
  return [
    '# seprof report',
    '',
    `seprof ${meta.toolVersion} · suite ${markdownCode(meta.suite)} · ${results.length} case(s) in ${totalSeconds(results).toFixed(1)} s · ${meta.date.toISOString()}`,
    '',
    '## Summary',
    '',
    renderCasesMarkdown(results, LABELS, meta),
    ...(meta.charts.length > 0 ? ['## Charts', '', ...meta.charts.flatMap((c) => [`![${c.title}](${c.file})`, ''])] : []),
    ...results.flatMap((r) => [`## ${markdownCode(r.name)}`, '', renderMarkdown(r.profile, { format: 'markdown', columns: meta.columns, toolVersion: meta.toolVersion, counts: meta.counts })]),
  ].join('\n');
}
