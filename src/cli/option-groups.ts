// The options, declared once in groups: what to profile, how to measure and time it, what to
// show, how to render. Each command composes only the groups it honours, so an option it
// would ignore is refused by the parser ("unknown option"). Each group sets its --help section
// (commander's optionsGroup: options added after it are listed under that heading).
import { Option, type Command } from 'commander';
import { CONVENTION_KEYS } from '../analyzers/conventions';
import { FORMATS } from '../report/render-options';

export type OptionGroup = (command: Command) => Command;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** What to profile: a block and its shape, or a whole network. A sweep takes each as a list. */
export const specOptions: OptionGroup = (command) =>
  command
    .optionsGroup('An SE block (the default):')
    .option('--block <name>', 'se, se-resnet, resnet, se-inception or inception (default: se)')
    .option('--channels <C>', 'input channels (required, but for inception blocks: 192)')
    .option('--reduction <r>', 'SE reduction ratio; the hidden width is floor(C / r) (default: 16)')
    .option('--height <H>', 'input height (default: 7 for se, 56 for resnet, 28 for inception blocks)')
    .option('--width <W>', 'input width (default: as --height)')
    .option('--batch <B>', 'batch size (default: 1)')
    .option('--bias', 'SE FC layers with biases, as in the SENet reference models')
    .option('--se-fc <kind>', "SE's FC layers: linear (the paper) or conv1x1 (torchvision, Cadene) (default: linear)")
    .option(
      '--se-hidden <rule>',
      'SE hidden width: floor (C//r), divisible:D (_make_divisible(C//r, D)), of:N (max(1, N//r)), round-of:N (round(N/r)) or a width',
    )
    .option('--se-activation <kind>', "SE's inner activation: relu, silu or hardswish (default: relu)")
    .option('--se-gate <kind>', "SE's gate: sigmoid or hardsigmoid, PyTorch's relu6(x + 3) / 6 (default: sigmoid)")
    .optionsGroup('ResNet and Inception blocks (--block):')
    .option('--kind <kind>', 'resnet blocks: bottleneck or basic (default: bottleneck)')
    .option('--planes <P>', 'resnet blocks: bottleneck width P; the output has 4P channels (P for basic)')
    .option('--stride <s>', 'resnet blocks: 1 or 2 (default: 1)')
    .option('--stride-on <conv>', 'bottleneck: where the stride sits, 1x1 (Caffe) or 3x3 (torchvision) (default: 3x3)')
    .option('--se-position <where>', 'se-resnet blocks and SE-ResNets: standard, pre, post, identity or 3x3 (SE_3x3, after the 3x3 conv) (default: standard)')
    .option('--se-stages <list>', 'SE-ResNets: the stages, 1 to 4, that have SE, e.g. 2,3 (default: all)')
    .option('--widths <list>', 'inception blocks: c1,c3r,c3,c5r,c5,pp (default: 64,96,128,16,32,32)')
    .option('--branch3 <kind>', 'inception blocks: 5x5 or 3x3x2 (default: 5x5)')
    .option('--pool <kind>', 'inception blocks: max or avg (default: max)')
    .optionsGroup('Networks (--model):')
    .option(
      '--model <name>',
      "a whole network: resnet50|101|152, se-resnet50|101|152, bn-inception, se-bn-inception; torchvision's mobilenet_v3_large|small, efficientnet_b0..b7, efficientnet_v2_s, regnet_y_400mf..32gf, resnext50_32x4d, resnext101_32x8d|64x4d; Cadene's se_resnext50_32x4d, se_resnext101_32x4d, senet154; timm's ports of them, legacy_seresnet50|101|152, legacy_seresnext50|101_32x4d, legacy_senet154",
    )
    .option('--preset <name>', "cadene: --model se_resnet50|101|152 as Cadene's senet.py defines them (conv1x1 SE with bias, its stem and head)")
    .option('--layout <v>', 'ResNets: v1 (stride on the first 1x1, Caffe and SENet) or v1.5 (on the 3x3, torchvision) (default: v1.5)')
    .optionsGroup('Model files (--file or a bare path):')
    .option('--file <path>', 'a model file: ONNX (opsets 11-21) or a TF.js LayersModel or GraphModel (model.json); also a bare first argument')
    .option('--input <NAME=shape>', '--file: input shapes, e.g. images=1x3x640x640 (comma-separated for several inputs)')
    .option('--strict', '--file: an op seprof cannot count is an error rather than counted as 0')
    .option(
      '--stand-in-weights',
      "--file: measure with stand-in values for weights the file points at but does not hold (a weight-stripped export's missing external data): counts and kernels do not depend on them",
    )
    .option('--add-se <nodes>', '--file: insert SE (--reduction, --bias) after these layers or nodes, comma-separated (what-if)')
    .option(
      '--origin <LAYER=how>',
      "--file: who made these layers, where the exporter's scope names mislead: module, function (F.relu) or method (x.softmax()); LAYER may hold *, comma-separated",
    );

export const trainingOption: OptionGroup = (command) =>
  command.optionsGroup('Measuring and timing:').option('--training', 'add the backward pass: gradients with respect to the input and every weight');

/** Whether and where to run the model in tfjs. */
export const measureOptions: OptionGroup = (command) =>
  command
    .optionsGroup('Measuring and timing:')
    .option('--no-measure', 'analytic counts only: do not load tfjs or run the model')
    .option('--max-memory <size>', 'skip the measured run when it needs more memory, e.g. 2G (default: a quarter of free memory)')
    .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto');

/** Whether and how long to time one model (the main command): timing is opt-in. */
const latencyOptions: OptionGroup = (command) =>
  command
    .optionsGroup('Measuring and timing:')
    .option('--latency', 'also time the forward pass and every layer: time, share of the total and achieved GFLOP/s (off: counts and the measured check only)')
    .option('--runs <N>', 'timed forward runs for the latency; implies --latency (default: up to 100 within about 3 s, at least 3)')
    .option('--warmup <N>', 'untimed forward runs before timing; implies --latency (default: up to 200 within about 1 s)')
    .option(
      '--se-latency',
      "also time the model against its SE-free twin, interleaved: what SE adds in ms and %, with 95% intervals, and each SE block's share of the time",
    )
    .option(
      '--se-rounds <N>',
      'interleaved rounds for --se-latency in all, split among its processes, at least 6; implies it (default: up to 500 a process within about 3.3 s)',
    )
    .option('--se-processes <N>', 'fresh processes for --se-latency, one after another, at least 2; implies it (default: 6)')
    .option(
      '--se-clock <clock>',
      "what --se-latency's runs are timed by: cpu (the process's CPU time), wall, or auto (cpu, wall on tensorflow); implies it (default: auto)",
    );

/** Whether and how long to time each of many models (sweep, report): counts are the point. */
export const batchLatencyOptions: OptionGroup = (command) =>
  command
    .optionsGroup('Measuring and timing:')
    .option('--latency', "also time each case's forward pass (off: counts and the measured check only)")
    .option('--runs <N>', 'timed forward runs for each latency; implies --latency (default: up to 30 within about 0.8 s)')
    .option('--warmup <N>', 'untimed forward runs before timing; implies --latency (default: up to 50 within about 0.3 s)')
    .option('--se-latency', "also time each case with SE against its SE-free twin, interleaved: SE's added time and its share, with 95% intervals")
    .option(
      '--se-rounds <N>',
      'interleaved rounds for each --se-latency in all, split among its processes, at least 6; implies it (default: up to 100 a process within about 0.7 s)',
    )
    .option('--se-processes <N>', 'fresh processes for each --se-latency, one after another, at least 2; implies it (default: 3)')
    .option(
      '--se-clock <clock>',
      "what --se-latency's runs are timed by: cpu (the process's CPU time), wall, or auto (cpu, wall on tensorflow); implies it (default: auto)",
    );

/** For the commands whose runs can take long enough to show progress on stderr. */
export const quietOption: OptionGroup = (command) => command.optionsGroup('Measuring and timing:').option('--quiet', 'no progress on stderr');

const insertionPointOptions: OptionGroup = (command) =>
  command
    .optionsGroup('What to show:')
    .option('--at <CxHxW>', "SE's cost at an insertion point; repeat for several", collect)
    .option('--at-file <path>', 'insertion points from a file, one CxHxW a line');

const layerOptions: OptionGroup = (command) =>
  command
    .optionsGroup('What to show:')
    .option('--depth <N>', 'group layers into a tree of module paths N deep (default: 2 for --model networks and --file)')
    .option('--top <K>', 'also list the K layers that cost most under the first convention column');

/** --format and its --json shortcut; giving both with different formats is refused by options.format. */
export const formatOptions =
  (formats: readonly string[]): OptionGroup =>
  (command) =>
    command
      .optionsGroup('Output:')
      .option(
        '--format <format>',
        `${formats[0] ?? 'table'} (default), ${formats.slice(1, -1).join(', ')}${formats.length > 2 ? ' or ' : ''}${formats.at(-1) ?? ''}`,
      )
      .option('--json', 'shortcut for --format json');

/** The convention columns: one beside flops, or a list; the two conflict. */
export const conventionOptions =
  (what = 'the MACs column'): OptionGroup =>
  (command) =>
    command
      .optionsGroup('What to show:')
      .option('--convention <key>', `${what}: ${CONVENTION_KEYS.slice(0, -1).join(', ')} or ${CONVENTION_KEYS.at(-1) ?? ''}`, 'thop')
      .addOption(new Option('--conventions <keys>', "several columns: a comma-separated list, or 'all'").conflicts('convention'));

/** How count tables show counts, for people: the commands that print count tables (table, markdown). */
export const unitsOptions: OptionGroup = (command) =>
  command
    .optionsGroup('Output:')
    .option('--units <unit>', 'table and markdown: counts in auto (K, M, G or T as fits), K, M or G units rather than exact with commas')
    .option('--precision <N>', 'table and markdown: decimals of --units figures; alone, implies --units auto (default: 3)');

/** A total row for CSV on request. */
const totalRowOption: OptionGroup = (command) =>
  command.optionsGroup('Output:').option('--total-row', 'CSV: end with a total row, its first cell `total` (default: data rows only)');

/** The last section: --debug, and --version and --help where the command has them. */
export const debugOption: OptionGroup = (command) => command.optionsGroup('Other:').option('--debug', 'print stack traces of errors').helpOption(true);

/** The main command's options: everything it honours. */
export const PROFILE_OPTIONS: readonly OptionGroup[] = [
  specOptions,
  trainingOption,
  measureOptions,
  latencyOptions,
  quietOption,
  insertionPointOptions,
  layerOptions,
  formatOptions(FORMATS),
  unitsOptions,
  totalRowOption,
  conventionOptions(),
];

export function compose(command: Command, ...groups: readonly OptionGroup[]): Command {
  return groups.reduce((c, group) => group(c), command);
}
