// seprof report: profile every case of a suite and write the CI artefacts into one directory.
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { renderCasesTable } from '../report/cases/cases';
import { reportCharts } from '../report/report/charts';
import { seLatencyChart } from '../report/report/se-latency-chart';
import { mismatchedCases, renderReportJson, reportJson, totalSeconds, type CaseResult } from '../report/report/document';
import { renderJunit } from '../report/report/junit';
import { JOB_SUMMARY, PULL_REQUEST_COMMENT, renderReportMarkdown } from '../report/report/report-markdown';
import { defaultDepth } from '../report/render-options';
import { UsageError } from '../errors';
import { wholeNumber } from '../parse';
import { batchLatencyOptions, compose, conventionOptions, debugOption, measureOptions, quietOption, unitsOptions } from './option-groups';
import * as parse from './options';
import type { CommandContext, Outcome } from './outcome';
import { runCases } from './run-cases';
import { loadSuite } from './suite';

interface ReportFlags extends parse.MeasureFlags, Pick<parse.RenderFlags, 'convention' | 'conventions'>, parse.UnitsFlags {
  suite: string;
  out: string;
  depth?: string;
  link?: string;
  plainOut?: boolean;
}

/** --link: a web address, written into markdown as a link's target. */
function reportLink(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--link must be a web address such as https://github.com/OWNER/REPO/actions/runs/ID, got '${text.slice(0, 80)}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--link must be an http or https address, got '${text.slice(0, 80)}'`);
  // Parentheses would end the markdown link early.
  return url.href.replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function runReport(flags: ReportFlags, { toolVersion, progress, width }: CommandContext): Promise<Outcome> {
  const columns = parse.columns(flags);
  // The table on stdout and the markdown files; report.json and junit.xml stay exact.
  const counts = parse.countStyle(flags, 'table');
  const options = parse.profileOptions(flags, parse.BATCH_LATENCY);
  const cases = loadSuite(flags.suite);
  const depth = flags.depth === undefined ? undefined : wholeNumber('depth', flags.depth);
  const link = flags.link === undefined ? undefined : reportLink(flags.link);
  const caseDepths = new Map(cases.map((c) => [c.name, c.depth]));

  const date = new Date();
  const results = await runCases(cases, options, progress(flags.quiet));
  const seChart = seLatencyChart(results);
  const charts = [...reportCharts(results, columns[0]), ...(seChart ? [seChart] : [])];
  const markdown = {
    toolVersion,
    date,
    suite: flags.suite,
    columns,
    charts,
    counts,
    link,
    depthOf: (r: CaseResult) => caseDepths.get(r.name) ?? depth ?? defaultDepth(r.profile.spec),
  };
  const files: [name: string, text: string][] = [
    ...charts.map((c): [string, string] => [c.file, c.svg]),
    ['report.md', renderReportMarkdown(results, markdown, PULL_REQUEST_COMMENT)],
    ['summary.md', renderReportMarkdown(results, markdown, JOB_SUMMARY)],
    ['junit.xml', renderJunit(results, { suiteName: basename(flags.suite, extname(flags.suite)), date })],
    ['report.json', renderReportJson(reportJson(results, { toolVersion, date, suite: flags.suite }))],
  ];
  const failed = mismatchedCases(results).length;
  return {
    files: { dir: flags.out, files, inputs: [flags.suite, ...cases.flatMap(({ spec }) => (spec.block === 'file' ? [spec.file] : []))], plain: flags.plainOut },
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
    .description(
      'profile every case of a suite; write report.json, report.md (sized for a pull-request comment), summary.md (for a job summary), junit.xml and SVG charts',
    )
    .requiredOption('--suite <file>', 'the suite: named cases of profile options, e.g. reports/suite.json')
    .requiredOption('--out <dir>', 'the directory to write into: replaced whole by a link to the new set of files')
    .option(
      '--plain-out',
      '--out a plain directory, replaced by renames, rather than a link (where links cannot be made, e.g. Windows, this is what happens anyway)',
    )
    .option(
      '--depth <N>',
      "each case's layer tree N deep in report.md and summary.md, unless the suite case sets its own depth (default: 2 for networks and model files)",
    )
    .option('--link <url>', "where the whole report set is (in GitHub Actions, the run's page): report.md and summary.md link to it when shortened to fit");
  compose(command, measureOptions, batchLatencyOptions, quietOption, conventionOptions('the MACs column and chart'), unitsOptions, debugOption).action(
    async (flags: ReportFlags) => context.finish(await runReport(flags, context)),
  );
}
