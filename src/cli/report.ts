// seprof report: profile every case of a suite and write the CI artefacts into one directory.
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { renderCasesTable } from '../report/cases/cases';
import { reportCharts } from '../report/report/charts';
import { mismatchedCases, renderReportJson, reportJson, totalSeconds } from '../report/report/document';
import { renderJunit } from '../report/report/junit';
import { renderReportMarkdown } from '../report/report/report-markdown';
import { batchLatencyOptions, compose, conventionOptions, debugOption, measureOptions, quietOption, unitsOptions } from './option-groups';
import * as parse from './options';
import type { CommandContext, Outcome } from './outcome';
import { runCases } from './run-cases';
import { loadSuite } from './suite';

interface ReportFlags extends parse.MeasureFlags, Pick<parse.RenderFlags, 'convention' | 'conventions'>, parse.UnitsFlags {
  suite: string;
  out: string;
}

async function runReport(flags: ReportFlags, { toolVersion, progress, width }: CommandContext): Promise<Outcome> {
  const columns = parse.columns(flags);
  // The table on stdout and the markdown files; report.json and junit.xml stay exact.
  const counts = parse.countStyle(flags, 'table');
  const options = parse.profileOptions(flags, parse.BATCH_LATENCY);
  const cases = loadSuite(flags.suite);

  const date = new Date();
  const results = await runCases(cases, options, progress(flags.quiet));
  const charts = reportCharts(results, columns[0]);
  const files: [name: string, text: string][] = [
    ...charts.map((c): [string, string] => [c.file, c.svg]),
    ['report.md', renderReportMarkdown(results, { toolVersion, date, suite: flags.suite, columns, charts, counts })],
    // For $GITHUB_STEP_SUMMARY, which cannot show the workspace's images: the tables alone.
    ['summary.md', renderReportMarkdown(results, { toolVersion, date, suite: flags.suite, columns, charts: [], counts })],
    ['junit.xml', renderJunit(results, { suiteName: basename(flags.suite, extname(flags.suite)), date })],
    ['report.json', renderReportJson(reportJson(results, { toolVersion, date, suite: flags.suite }))],
  ];
  const failed = mismatchedCases(results).length;
  return {
    files: { dir: flags.out, files, inputs: [flags.suite, ...cases.flatMap(({ spec }) => (spec.block === 'file' ? [spec.file] : []))] },
    stdout: renderCasesTable(results, [{ header: 'Case', cell: (r) => r.name }], { columns, counts, width }),
    stderr: [
      `Wrote ${files.map(([name]) => name).join(', ')} to ${flags.out} (${results.length} cases profiled in ${totalSeconds(results).toFixed(1)} s)`,
      ...(failed > 0 ? [`seprof: analytic and measured counts differ in ${failed} of ${results.length} case(s); see junit.xml`] : []),
    ],
    failed: failed > 0,
  };
}

export function addReportCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('report')
    .description('profile every case of a suite; write report.json, report.md (summary.md: without charts), junit.xml and SVG charts')
    .requiredOption('--suite <file>', 'the suite: named cases of profile options, e.g. reports/suite.json')
    .requiredOption('--out <dir>', 'the directory to write into: replaced whole by a link to the new set of files');
  compose(command, measureOptions, batchLatencyOptions, quietOption, unitsOptions, conventionOptions('the MACs column and chart: thop, fvcore, ptflops, ptflops-aten, macs or flops'), debugOption).action(async (flags: ReportFlags) => context.finish(await runReport(flags, context)));
}
