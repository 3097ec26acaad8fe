// seprof compare BASE NEW: what moved between two reports; exit 1 on a regression.
import type { Command } from 'commander';
import { readInputText } from '../fs/read';
import { compareReports, EXACT, parseTolerance } from '../report/compare/compare';
import { renderCompareJunit } from '../report/compare/compare-junit';
import { COMPARE_FORMATS, renderComparison } from '../report/compare/compare-render';
import { readReport, type ReadReport } from '../report/report/document';
import { compose, debugOption, formatOptions } from './option-groups';
import * as parse from './options';
import { outcome, type CommandContext, type Outcome } from './outcome';

interface CompareFlags {
  tolerance?: string;
  latencyTolerance?: string;
  format?: string;
  json?: boolean;
  junit?: string;
}

function readReportFile(path: string): ReadReport {
  return readReport(readInputText(path, path), path);
}

function runCompare(basePath: string, newPath: string, flags: CompareFlags): Outcome {
  const format = parse.format(flags, COMPARE_FORMATS);
  const options = {
    tolerance: flags.tolerance === undefined ? EXACT : parseTolerance('--tolerance', flags.tolerance),
    latencyTolerance: flags.latencyTolerance === undefined ? undefined : parseTolerance('--latency-tolerance', flags.latencyTolerance),
  };
  const comparison = compareReports(readReportFile(basePath), readReportFile(newPath), options);
  const stdout = renderComparison(comparison, format);
  const singleFiles = flags.junit === undefined ? [] : [{ path: flags.junit, text: renderCompareJunit(comparison), mode: 'replace' as const, what: 'compare --junit' }];
  const { failures } = comparison;
  const inputs = [basePath, newPath];
  if (failures.length === 0) return { ...outcome(stdout), singleFiles, inputs };
  const shown = failures.slice(0, 3).join('; ');
  const more = failures.length > 3 ? `; and ${failures.length - 3} more` : '';
  return { ...outcome(stdout, [`seprof: ${failures.length} regression(s): ${shown}${more}`], true), singleFiles, inputs };
}

export function addCompareCommand(program: Command, { finish }: CommandContext): void {
  const command = program
    .command('compare')
    .description('compare two report.json files case by case; exit 1 when a count moved beyond the tolerance')
    .argument('<base>', 'the baseline report.json')
    .argument('<new>', 'the new report.json')
    .option('--tolerance <fraction>', 'relative change allowed in counts and params, e.g. 0.01 or 1% (default: exact)')
    .option('--latency-tolerance <fraction>', 'fail when a median latency grows by more than this, e.g. 0.5 or 50% (default: report only)')
    .option('--junit <file>', 'also write a JUnit XML file: each compared quantity a test case, each regression a failing one');
  compose(command, formatOptions(COMPARE_FORMATS), debugOption).action((base: string, next: string, flags: CompareFlags) => finish(runCompare(base, next, flags)));
}
