// seprof sweep: the profile options take lists and ranges; one row per combination.
import type { Command } from 'commander';
import { renderCasesCsv, renderCasesMarkdown, renderCasesTable, skipReasons, type CasesShown, type LabelColumn } from '../report/cases/cases';
import { mismatchedCases, renderReportJson, reportJson, skippedCases, type CaseResult } from '../report/report/document';
import { FORMATS, type Format } from '../report/render-options';
import { describeSpec } from '../model/spec';
import { combinations, expandValues, type Axis } from '../sweep/grammar';
import {
  batchLatencyOptions,
  compose,
  conventionOptions,
  debugOption,
  formatOptions,
  measureOptions,
  quietOption,
  specOptions,
  unitsOptions,
} from './option-groups';
import * as parse from './options';
import { outcome, type CommandContext, type Outcome } from './outcome';
import { runCases } from './run-cases';
import { isSpecOption, specFromOptions, type RawOptions } from './spec-options';
import { within } from './within';
import type { NamedSpec } from './suite';

const GRAMMAR = `
Every option that says what to profile takes a comma-separated list of values and ranges:
  --reduction 2,4,8,16,32    a list
  --channels 64..512x2       64, 128, 256, 512: geometric, times 2 while at most 512
  --height 7..10             7, 8, 9, 10: step 1
  --height 7..28+7           7, 14, 21, 28: step 7
  --channels 3,64..256x2     items mix
Every combination is profiled, one row each; the option listed first above varies slowest.
Exit 1 when analytic and measured differ in any case.`;

type SweepFlags = parse.MeasureFlags & parse.RenderFlags & parse.UnitsFlags;

interface SweepCase extends NamedSpec {
  values: Record<string, string>;
}

/** One axis per option that says what to profile and holds a value. */
function axesOf(command: Command, flags: RawOptions): Axis[] {
  return command.options.filter(isSpecOption).flatMap((option) => {
    const key = option.attributeName();
    const value = flags[key];
    const name = option.long ?? `--${key}`;
    return typeof value === 'string' ? [{ option: name, key, values: expandValues(name, value) }] : [];
  });
}

/** Every combination as a named spec, checked before anything runs; a bad one names its values. */
function sweepCases(command: Command, flags: RawOptions): { cases: SweepCase[]; varying: Axis[] } {
  const axes = axesOf(command, flags);
  const varying = axes.filter((axis) => axis.values.length > 1);
  const cases = combinations(axes).map((values) => {
    const label = varying.map((axis) => `${axis.key}=${values[axis.key] ?? ''}`).join(' ');
    const build = (): ReturnType<typeof specFromOptions> => specFromOptions({ ...flags, ...values });
    const spec = label === '' ? build() : within(`sweep case ${label}`, build);
    return { name: label === '' ? describeSpec(spec) : label, spec, values };
  });
  return { cases, varying };
}

function render(results: CaseResult[], cases: SweepCase[], varying: Axis[], format: Format, shown: CasesShown, toolVersion: string): string {
  const valuesByName = new Map(cases.map((c) => [c.name, c.values]));
  const labels: LabelColumn[] =
    varying.length === 0
      ? [{ header: 'Case', cell: (r) => r.name }]
      : varying.map((axis) => ({ header: axis.key, cell: (r) => valuesByName.get(r.name)?.[axis.key] ?? '' }));
  const title = `Sweep of ${cases.length} case(s)${varying.length > 0 ? ` over ${varying.map((a) => `${a.key} (${a.values.length})`).join(' x ')}` : ''}`;
  switch (format) {
    case 'table':
      return `${title}\n${renderCasesTable(results, labels, shown)}`;
    case 'markdown':
      return `### ${title}\n\n${renderCasesMarkdown(results, labels, shown)}`;
    case 'csv':
      // The first column is the case already: a lone case needs no label column beside it.
      return renderCasesCsv(results, varying.length === 0 ? [] : labels);
    case 'json':
      return renderReportJson(reportJson(results, { toolVersion, date: new Date(), suite: null }));
  }
}

async function runSweep(command: Command, flags: SweepFlags & RawOptions, context: CommandContext): Promise<Outcome> {
  const format = parse.format(flags);
  const shown = { columns: parse.columns(flags), counts: parse.countStyle(flags, format), width: context.width };
  const options = parse.profileOptions(flags, parse.BATCH_LATENCY);
  const { cases, varying } = sweepCases(command, flags);
  const results = await runCases(cases, options, context.progress(flags.quiet));
  const stdout = render(results, cases, varying, format, shown, context.toolVersion);
  const failed = mismatchedCases(results).length;
  const skipped = flags.measure ? skippedCases(results) : [];
  const notes = skipped.length === 0 ? [] : [`seprof: measured run skipped in ${skipped.length} of ${results.length} case(s): ${skipReasons(skipped)}`];
  if (failed === 0) return outcome(stdout, notes);
  return outcome(stdout, [...notes, `seprof: analytic and measured counts differ in ${failed} of ${results.length} case(s)`], true);
}

export function addSweepCommand(program: Command, context: CommandContext): void {
  const command = compose(
    program.command('sweep'),
    specOptions,
    measureOptions,
    batchLatencyOptions,
    quietOption,
    conventionOptions(),
    formatOptions(FORMATS),
    unitsOptions,
    debugOption,
  )
    .description('profile every combination of lists and ranges of the profile options, one row each')
    .usage('--channels LIST [--reduction LIST] [--height LIST] ... [options]')
    .addHelpText('after', GRAMMAR);
  command.action(async (flags: SweepFlags & RawOptions) => context.finish(await runSweep(command, flags, context)));
}
