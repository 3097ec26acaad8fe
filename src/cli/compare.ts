// seprof compare BASE NEW: what moved between two reports; exit 1 on a regression.
import type { Command } from 'commander';
import { readInputText } from '../fs/read';
import { compareReports, FAIL_ON, parseFailOn, parseTolerance, parseTolerances } from '../report/compare/compare';
import { renderCompareJunit } from '../report/compare/compare-junit';
import { COMPARE_FORMATS, renderComparison } from '../report/compare/compare-render';
import { readReport, type ReadReport } from '../report/report/document';
import { compose, debugOption, formatOptions } from './option-groups';
import * as parse from './options';
import { outcome, type CommandContext, type Outcome } from './outcome';

interface CompareFlags {
  tolerance?: string[];
  failOn?: string;
  latencyTolerance?: string;
  seLatencyTolerance?: string;
  format?: string;
  json?: boolean;
  junit?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function readReportFile(path: string): ReadReport {
  return readReport(readInputText(path, path), path);
}

function runCompare(basePath: string, newPath: string, flags: CompareFlags, width: number | undefined): Outcome {
  const format = parse.format(flags, COMPARE_FORMATS);
  const options = {
    ...parseTolerances('--tolerance', flags.tolerance ?? []),
    failOn: flags.failOn === undefined ? undefined : parseFailOn('--fail-on', flags.failOn),
    latencyTolerance: flags.latencyTolerance === undefined ? undefined : parseTolerance('--latency-tolerance', flags.latencyTolerance),
    seLatencyTolerance: flags.seLatencyTolerance === undefined ? undefined : parseTolerance('--se-latency-tolerance', flags.seLatencyTolerance),
  };
  const comparison = compareReports(readReportFile(basePath), readReportFile(newPath), options);
  const stdout = renderComparison(comparison, format, width);
  const singleFiles =
    flags.junit === undefined ? [] : [{ path: flags.junit, text: renderCompareJunit(comparison), mode: 'replace' as const, what: 'compare --junit' }];
  const { failures } = comparison;
  const inputs = [basePath, newPath];
  if (failures.length === 0) return { ...outcome(stdout), singleFiles, inputs };
  const shown = failures.slice(0, 3).join('; ');
  const more = failures.length > 3 ? `; and ${failures.length - 3} more` : '';
  return { ...outcome(stdout, [`seprof: ${failures.length} regression(s): ${shown}${more}`], true), singleFiles, inputs };
}

export function addCompareCommand(program: Command, { finish, width }: CommandContext): void {
  const command = program
    .command('compare')
    .description('compare two report.json files case by case; exit 1 when a count grew beyond the tolerance')
    .argument('<base>', 'the baseline report.json')
    .argument('<new>', 'the new report.json')
    .option(
      '--tolerance <fraction>',
      'relative change allowed in counts and params, e.g. 0.01 or 1%, or for one quantity, params=0,thop=0.5%; repeatable (default: exact)',
      collect,
    )
    .option('--fail-on <way>', `which moves beyond the tolerance fail: ${FAIL_ON.join(', ')} (default: increase; a decrease is then an improvement)`)
    .option(
      '--latency-tolerance <fraction>',
      'fail when a median latency grows by more than this, e.g. 0.5 or 50%; both reports need latencies (report --latency; default: report only)',
    )
    .option(
      '--se-latency-tolerance <fraction>',
      "fail when SE's added time or time share (--se-latency) has a 95% interval above the base's by more than this, e.g. 0.01 or 1% of the model's time (default: report only)",
    )
    .option('--junit <file>', 'also write a JUnit XML file: each compared quantity a test case, each regression a failing one');
  compose(command, formatOptions(COMPARE_FORMATS), debugOption).action((base: string, next: string, flags: CompareFlags) =>
    finish(runCompare(base, next, flags, width)),
  );
}
