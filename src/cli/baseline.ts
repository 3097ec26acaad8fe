// seprof baseline: a suite's counts as a report document that compare reads, and nothing that
// changes from run to run (no date, no measured run, no latency): regenerating it with nothing
// changed leaves the file byte-identical, so a diff of it shows only moved counts.
import type { Command } from 'commander';
import { renderReportJson, reportJson } from '../report/report/document';
import { compose, debugOption, quietOption } from './option-groups';
import * as parse from './options';
import type { CommandContext, Outcome } from './outcome';
import type { Progress } from './progress';
import { runCases } from './run-cases';
import { loadSuite, type NamedSpec } from './suite';

/** The baseline of these cases: analytic counts only, no date. */
export async function baselineText(cases: readonly NamedSpec[], suite: string, toolVersion: string, progress: Progress): Promise<string> {
  const results = await runCases(cases, parse.profileOptions({ measure: false }), progress);
  return renderReportJson(reportJson(results, { toolVersion, date: null, suite }));
}

interface BaselineFlags {
  suite: string;
  out: string;
  quiet?: boolean;
}

async function runBaseline(flags: BaselineFlags, { toolVersion, progress }: CommandContext): Promise<Outcome> {
  const cases = loadSuite(flags.suite);
  const text = await baselineText(cases, flags.suite, toolVersion, progress(flags.quiet));
  return {
    stdout: '',
    singleFiles: [{ path: flags.out, text, mode: 'replace', what: 'seprof baseline' }],
    inputs: [flags.suite, ...cases.flatMap(({ spec }) => (spec.block === 'file' ? [spec.file] : []))],
    stderr: [`Wrote the counts of ${cases.length} case(s) to ${flags.out}`],
    failed: false,
  };
}

export function addBaselineCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('baseline')
    .description("write a suite's counts as the baseline compare reads: no date, no measured run, byte-identical when nothing moved")
    .requiredOption('--suite <file>', 'the suite: named cases of profile options')
    .requiredOption('--out <file>', 'the baseline to write, e.g. seprof/baseline.json (replaced atomically)');
  compose(command, quietOption, debugOption).action(async (flags: BaselineFlags) => context.finish(await runBaseline(flags, context)));
}
