// The main job: profile one block, analytic and measured.
import type { Command } from 'commander';
import type { Check } from '../analyzers/check';
import { profile, type Profile } from '../analyzers/profile';
import { EXIT_FAILED } from '../errors';
import { wholeNumber } from '../parse';
import { render } from '../report';
import { buildSpec, type Spec } from '../model/spec';
import { insertionPoints, runInsertionPoints } from './insertion-points';
import * as parse from './options';
import { progress, SILENT } from './progress';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The options that say what model to build and how to run it: explain takes them too. */
export function addModelOptions(command: Command): Command {
  return command
    .option('--block <name>', 'se, se-resnet, resnet, se-inception or inception (default: se)')
    .option('--channels <C>', 'input channels (required, but for inception blocks: 192)')
    .option('--reduction <r>', 'SE reduction ratio; the hidden width is floor(C / r) (default: 16)')
    .option('--height <H>', 'input height (default: 7 for se, 56 for resnet, 28 for inception blocks)')
    .option('--width <W>', 'input width (default: as --height)')
    .option('--batch <B>', 'batch size (default: 1)')
    .option('--bias', 'SE FC layers with biases, as in the SENet reference models')
    .option('--kind <kind>', 'resnet blocks: bottleneck or basic (default: bottleneck)')
    .option('--planes <P>', 'resnet blocks: bottleneck width P; the output has 4P channels (P for basic)')
    .option('--stride <s>', 'resnet blocks: 1 or 2 (default: 1)')
    .option('--stride-on <conv>', "bottleneck: where the stride sits, 1x1 (Caffe) or 3x3 (torchvision) (default: 3x3)")
    .option('--se-position <where>', 'se-resnet: standard, pre, post or identity (default: standard)')
    .option('--widths <list>', 'inception blocks: c1,c3r,c3,c5r,c5,pp (default: 64,96,128,16,32,32)')
    .option('--branch3 <kind>', 'inception blocks: 5x5 or 3x3x2 (default: 5x5)')
    .option('--pool <kind>', 'inception blocks: max or avg (default: max)')
    .option('--model <name>', 'a whole network: resnet50|101|152, se-resnet50|101|152, bn-inception, se-bn-inception')
    .option('--layout <v>', 'ResNets: v1 (stride on the first 1x1, Caffe and SENet) or v1.5 (on the 3x3, torchvision) (default: v1.5)')
    .option('--training', 'add the backward pass: gradients with respect to the input and every weight')
    .option('--no-measure', 'analytic counts only: do not load tfjs or run the model')
    .option('--latency', 'also time the forward pass and every layer: time, share of the total and achieved GFLOP/s (off: counts and the measured check only)')
    .option('--max-memory <size>', 'skip the measured run when it needs more memory, e.g. 2G (default: a quarter of free memory)')
    .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto')
    .option('--runs <N>', 'timed forward runs for the latency; implies --latency (default: up to 100 within about 3 s, at least 3)')
    .option('--warmup <N>', 'untimed forward runs before timing; implies --latency (default: up to 200 within about 1 s)')
    .option('--quiet', 'no progress on stderr');
}

/** The options that say what to profile and how to report it. */
export function addProfileOptions(command: Command): Command {
  return addModelOptions(command)
    .option('--at <CxHxW>', "SE's cost at an insertion point; repeat for several", collect)
    .option('--at-file <path>', 'insertion points from a file, one CxHxW a line')
    .option('--depth <N>', 'group layers into a tree of module paths N deep (default: 2 for --model networks)')
    .option('--top <K>', 'also list the K layers that cost most under the first convention column')
    .option('--format <format>', 'table (default), json, markdown or csv')
    .option('--json', 'shortcut for --format json')
    .option('--convention <key>', 'the MACs column: thop, fvcore, ptflops, ptflops-aten, macs, flops or senet', 'thop')
    .option('--conventions <keys>', "several columns: a comma-separated list, or 'all'");
}

export async function runProfile(flags: parse.ProfileFlags, toolVersion: string): Promise<void> {
  const points = insertionPoints(flags);
  if (points !== undefined) return runInsertionPoints(points, flags, toolVersion);

  const spec = buildSpec(flags);
  const format = parse.format(flags);
  const columns = parse.columns(flags);
  const depth = flags.depth === undefined ? (spec.block === 'network' ? 2 : undefined) : wholeNumber('depth', flags.depth);
  const top = flags.top === undefined ? undefined : wholeNumber('top', flags.top);
  const result = await profileWithProgress(spec, flags);
  noteSkippedRun(result.check, flags.measure);
  process.stdout.write(render(result, { format, columns, toolVersion, depth, top }));
  failOnMismatch(result.check);
}

/** A measured network or a backward pass takes seconds: progress on stderr meanwhile (not --quiet). */
export async function profileWithProgress(spec: Spec, flags: parse.MeasureFlags): Promise<Profile> {
  const long = flags.measure && (spec.block === 'network' || flags.training === true);
  const shown = long ? progress(flags.quiet) : SILENT;
  try {
    return await profile(spec, { ...parse.profileOptions(flags), onProgress: shown.update });
  } finally {
    shown.end();
  }
}

/** A measured run the memory guard skipped: the analytic result stands, stderr says why. */
export function noteSkippedRun(check: Check, measure: boolean): void {
  if (check.status === 'skipped' && measure) process.stderr.write(`seprof: measured run skipped: ${check.reason}\n`);
}

/** A failed cross-check: the report is printed, stderr says so, and the exit code is 1. */
export function failOnMismatch(check: Check): void {
  if (check.status !== 'mismatch') return;
  process.stderr.write(`seprof: analytic and measured counts differ in ${check.mismatches.length} place(s)\n`);
  process.exitCode = EXIT_FAILED;
}
