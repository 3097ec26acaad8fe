// seprof report: profile every case of a suite and write the CI artefacts into one directory.
import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { EXIT_FAILED, UsageError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { mismatchedCases, renderCasesTable } from '../report/cases';
import { reportCharts } from '../report/charts';
import { renderReportJson, reportJson, totalSeconds } from '../report/document';
import { renderJunit } from '../report/junit';
import { renderReportMarkdown } from '../report/report-markdown';
import * as parse from './options';
import { progress } from './progress';
import { runCases } from './run-cases';
import { loadSuite } from './suite';

interface ReportFlags extends parse.MeasureFlags, Pick<parse.RenderFlags, 'convention' | 'conventions'> {
  suite: string;
  out: string;
}

function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the --out directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function runReport(flags: ReportFlags, toolVersion: string): Promise<void> {
  const columns = parse.columns(flags);
  const options = parse.profileOptions(flags, parse.BATCH_LATENCY);
  const cases = loadSuite(flags.suite);
  makeDirectory(flags.out);

  const date = new Date();
  const results = await runCases(cases, options, progress(flags.quiet));
  const charts = reportCharts(results, columns[0]);
  const files: [name: string, text: string][] = [
    ...charts.map((c): [string, string] => [c.file, c.svg]),
    ['report.md', renderReportMarkdown(results, { toolVersion, date, suite: flags.suite, columns, charts })],
    ['junit.xml', renderJunit(results, { suiteName: basename(flags.suite, extname(flags.suite)), date })],
    // Last: a report.json that is there means the files beside it are complete too.
    ['report.json', renderReportJson(reportJson(results, { toolVersion, date, suite: flags.suite }))],
  ];
  for (const [name, text] of files) writeFileAtomic(join(flags.out, name), text);

  process.stdout.write(renderCasesTable(results, [{ header: 'Case', cell: (r) => r.name }], columns));
  process.stdout.write(`Wrote ${files.map(([name]) => name).join(', ')} to ${flags.out} (${results.length} cases profiled in ${totalSeconds(results).toFixed(1)} s)\n`);
  const failed = mismatchedCases(results).length;
  if (failed > 0) {
    process.stderr.write(`seprof: analytic and measured counts differ in ${failed} of ${results.length} case(s); see junit.xml\n`);
    process.exitCode = EXIT_FAILED;
  }
}

export function addReportCommand(program: Command, toolVersion: string): void {
  program
    .command('report')
    .description('profile every case of a suite; write report.json, report.md, junit.xml and SVG charts')
    .requiredOption('--suite <file>', 'the suite: named cases of profile options, e.g. reports/suite.json')
    .requiredOption('--out <dir>', 'the directory to write into, created if missing')
    .option('--no-measure', 'analytic counts only: do not load tfjs or run the models')
    .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto')
    .option('--latency', "also time each case's forward pass (off: counts and the measured check only)")
    .option('--runs <N>', 'timed forward runs for each latency; implies --latency (default: up to 30 within about 0.8 s)')
    .option('--warmup <N>', 'untimed forward runs before timing; implies --latency (default: up to 50 within about 0.3 s)')
    .option('--quiet', 'no progress on stderr')
    .option('--convention <key>', 'the MACs column and chart: thop, fvcore, ptflops, ptflops-aten, macs or flops', 'thop')
    .option('--conventions <keys>', "several columns: a comma-separated list, or 'all'")
    .option('--debug', 'print stack traces of errors')
    .action((flags: ReportFlags) => runReport(flags, toolVersion));
}
