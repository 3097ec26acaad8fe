// The main job: profile one SE block, analytic and measured.
import type { Command } from 'commander';
import type { Check } from '../analyzers/check';
import { profile, type ProfileOptions } from '../analyzers/profile';
import { EXIT_FAILED } from '../errors';
import { render } from '../report';
import { buildSeSpec } from '../spec';
import * as parse from './options';

export interface ProfileFlags {
  channels?: string;
  reduction?: string;
  height?: string;
  width?: string;
  batch?: string;
  bias?: boolean;
  measure: boolean;
  backend: string;
  runs: string;
  warmup: string;
  format?: string;
  json?: boolean;
  convention: string;
  conventions?: string;
  training?: boolean;
}

/** The options that say what model to build and how to run it: every command takes them. */
export function addModelOptions(command: Command): Command {
  return command
    .option('--channels <C>', 'input channels (required)')
    .option('--reduction <r>', 'reduction ratio; the hidden width is floor(C / r)', '16')
    .option('--height <H>', 'input height', '7')
    .option('--width <W>', 'input width', '7')
    .option('--batch <B>', 'batch size', '1')
    .option('--bias', 'FC layers with biases, as in the SENet reference models')
    .option('--training', 'add the backward pass: gradients with respect to the input and every weight')
    .option('--no-measure', 'analytic counts only: do not load tfjs or run the model')
    .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto')
    .option('--runs <N>', 'timed forward runs for the latency', '30')
    .option('--warmup <N>', 'untimed forward runs before timing', '5');
}

/** The options that say what to profile and how to report it. */
export function addProfileOptions(command: Command): Command {
  return addModelOptions(command)
    .option('--format <format>', 'table (default), json, markdown or csv')
    .option('--json', 'shortcut for --format json')
    .option('--convention <key>', 'the MACs column: thop, fvcore, ptflops, ptflops-aten, macs or flops', 'thop')
    .option('--conventions <keys>', "several columns: a comma-separated list, or 'all'");
}

/** The model run settings both commands take. */
export function profileOptions(flags: ProfileFlags): ProfileOptions {
  return {
    measure: flags.measure,
    backend: parse.backend(flags.backend),
    runs: parse.count('runs', flags.runs, 1),
    warmup: parse.count('warmup', flags.warmup, 0),
    training: flags.training ?? false,
  };
}

/** A failed cross-check: the report is printed, stderr says so, and the exit code is 1. */
export function failOnMismatch(check: Check): void {
  if (check.status !== 'mismatch') return;
  process.stderr.write(`seprof: analytic and measured counts differ in ${check.mismatches.length} place(s)\n`);
  process.exitCode = EXIT_FAILED;
}

export async function runProfile(flags: ProfileFlags, toolVersion: string): Promise<void> {
  const spec = buildSeSpec(flags);
  const format = parse.format(flags);
  const columns = parse.columns(flags);
  const result = await profile(spec, profileOptions(flags));
  process.stdout.write(render(result, { format, columns, toolVersion }));
  failOnMismatch(result.check);
}
