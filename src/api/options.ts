// The library's typed options, turned into the option values the CLI parses, so that a library
// call and a command line are checked by the same code and fail with the same UsageError.
import type { BackendChoice } from '../analyzers/measured/backend-choice';
import type { ClockChoice } from '../analyzers/measured/clocks';
import type { ProfileOptions as RunOptions } from '../analyzers/profile';
import { profileOptions, type MeasureFlags } from '../cli/options';
import { UsageError } from '../errors';
import type { Layout, SePosition } from '../model/blocks';
import type { SE_ACTIVATIONS, SE_FCS, SE_GATES } from '../model/se-variants';
import type { BlockName, RawSpecOptions } from '../model/spec';

/** What to profile: the CLI's options of the same names (`--channels` is `channels`), typed. */
export interface ModelOptions {
  /** `se` (default), `se-resnet`, `resnet`, `se-inception` or `inception`. */
  block?: BlockName;
  /** A whole network instead of a block: `se-resnet50`, `efficientnet_b0`, `senet154`, ... */
  model?: string;
  channels?: number;
  reduction?: number;
  height?: number;
  width?: number;
  batch?: number;
  bias?: boolean;
  kind?: 'bottleneck' | 'basic';
  planes?: number;
  stride?: 1 | 2;
  strideOn?: '1x1' | '3x3';
  sePosition?: SePosition;
  /** SE-ResNets: the stages, 1 to 4, that have SE. */
  seStages?: readonly number[];
  /** Inception blocks: c1, c3r, c3, c5r, c5, pp. */
  widths?: readonly [number, number, number, number, number, number];
  branch3?: '5x5' | '3x3x2';
  pool?: 'max' | 'avg';
  layout?: Layout;
  preset?: 'cadene';
  seFc?: (typeof SE_FCS)[number];
  /** `floor`, `divisible:D`, `of:N`, `round-of:N`, or a width. */
  seHidden?: string | number;
  seActivation?: (typeof SE_ACTIVATIONS)[number];
  seGate?: (typeof SE_GATES)[number];
  /** A model file: ONNX, or a TF.js LayersModel's or GraphModel's model.json. */
  file?: string;
  /** Model files: input shapes, `images=1x3x640x640`. */
  input?: readonly string[];
  /** Model files: an op seprof cannot count is an error rather than counted as 0. */
  strict?: boolean;
  /** Model files: measure with stand-in values for weights the file points at but does not hold (a weight-stripped export). */
  standInWeights?: boolean;
  /** Model files: insert SE (with `reduction`, `bias`) after these layers or nodes. */
  addSe?: readonly string[];
  /** Model files: `LAYER=module|function|method`, who made an op where the scope names mislead. */
  origin?: readonly string[];
}

/** Whether and how to run the model in tfjs. */
export interface MeasureOptions {
  /** Run the model in tfjs and cross-check every layer; default false: analytic only, tfjs never loads. */
  measure?: boolean;
  backend?: BackendChoice;
  /** Add the backward pass. */
  training?: boolean;
  /** Time the measured model, whole and layer by layer (`measured.latency`, `measured.layerMs`); off by default. */
  latency?: boolean;
  /** Timed forward runs; implies `latency`. */
  runs?: number;
  /** Untimed forward runs before timing; implies `latency`. */
  warmup?: number;
  /** Time the model against its SE-free twin in interleaved rounds (`seLatency`); off by default. */
  seLatency?: boolean;
  /** Interleaved rounds for `seLatency` in all, split among its processes (at least 6); implies it. */
  seRounds?: number;
  /** Child processes for `seLatency`, one after another (at least 2); implies it. */
  seProcesses?: number;
  /** What `seLatency` times runs by: `cpu` (the process's CPU time), `wall`, or `auto` (cpu, wall on tensorflow); implies it. */
  seClock?: ClockChoice;
  /** Skip the measured run when it needs more memory: `512M`, `2G` (default a quarter of free memory). */
  maxMemory?: string;
}

export type ProfileOptions = ModelOptions & MeasureOptions;

type Value = string | number | boolean | readonly (string | number)[];

/** How each typed option becomes the string (or switch) the spec builder parses. */
const SPEC_KEYS: Record<keyof ModelOptions, 'switch' | 'value' | 'list'> = {
  block: 'value',
  model: 'value',
  channels: 'value',
  reduction: 'value',
  height: 'value',
  width: 'value',
  batch: 'value',
  bias: 'switch',
  kind: 'value',
  planes: 'value',
  stride: 'value',
  strideOn: 'value',
  sePosition: 'value',
  seStages: 'list',
  widths: 'list',
  branch3: 'value',
  pool: 'value',
  layout: 'value',
  preset: 'value',
  seFc: 'value',
  seHidden: 'value',
  seActivation: 'value',
  seGate: 'value',
  file: 'value',
  input: 'list',
  strict: 'switch',
  standInWeights: 'switch',
  addSe: 'list',
  origin: 'list',
};
const MEASURE_KEYS: readonly (keyof MeasureOptions)[] = [
  'measure',
  'backend',
  'training',
  'latency',
  'runs',
  'warmup',
  'seLatency',
  'seRounds',
  'seProcesses',
  'seClock',
  'maxMemory',
];

/** A caller's value in a message: never a throw of its own (a bigint, a circular object). */
export function shown(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 80);
  } catch (error) {
    // JSON holds neither: a Profile (exact counts are bigints) or a value that contains itself.
    return /circular/i.test(error instanceof Error ? error.message : '') ? 'a value that contains itself' : 'an object holding bigints';
  }
}

/** The options argument: an object (absent is none given, where the call allows it). */
export function optionsObject<T extends object>(value: T | undefined | null, what: string, required: boolean): T {
  if (value === undefined && !required) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${what} must be an object of options, got ${value === undefined ? 'nothing' : shown(value)}`);
  return value;
}

/** A JavaScript caller gets no type check: a wrong type is a usage mistake, named like the CLI names it. */
function optionText(key: string, value: Value, kind: 'switch' | 'value' | 'list'): string | boolean {
  if (kind === 'switch') {
    if (typeof value !== 'boolean') throw new UsageError(`option '${key}' must be true or false, got ${shown(value)}`);
    return value;
  }
  if (kind === 'list') {
    if (!Array.isArray(value)) throw new UsageError(`option '${key}' must be an array, got ${shown(value)}`);
    return value.map(String).join(',');
  }
  if (typeof value !== 'number' && typeof value !== 'string') throw new UsageError(`option '${key}' must be a number or a string, got ${shown(value)}`);
  return String(value);
}

function checkKnown(options: object): void {
  const known = new Set<string>([...Object.keys(SPEC_KEYS), ...MEASURE_KEYS]);
  const unknown = Object.keys(options).find((key) => !known.has(key));
  if (unknown !== undefined) throw new UsageError(`unknown option '${unknown}'`);
}

/** The spec builder's input. */
export function rawSpecOptions(options: ProfileOptions): RawSpecOptions {
  optionsObject(options, 'options', true);
  checkKnown(options);
  const raw: Record<string, string | boolean> = {};
  for (const [key, kind] of Object.entries(SPEC_KEYS)) {
    const value = (options as Record<string, Value | undefined>)[key];
    const given = value === undefined ? undefined : optionText(key, value, kind);
    // A switch turned off is the CLI's absent switch: `bias: false` is not a stray option on a plain block.
    if (given !== undefined && given !== false) raw[key] = given;
  }
  return raw as RawSpecOptions;
}

const text = (key: string, value: unknown): string | undefined => (value === undefined ? undefined : (optionText(key, value as Value, 'value') as string));
const on = (key: string, value: unknown): boolean => value !== undefined && (optionText(key, value as Value, 'switch') as boolean);

/** How to run, with the CLI's defaults but for `measure`, which a library call opts into. */
export function runOptions(options: MeasureOptions): RunOptions {
  const flags: MeasureFlags = {
    measure: on('measure', options.measure),
    backend: text('backend', options.backend),
    runs: text('runs', options.runs),
    warmup: text('warmup', options.warmup),
    latency: on('latency', options.latency),
    seLatency: on('seLatency', options.seLatency),
    seRounds: text('seRounds', options.seRounds),
    seProcesses: text('seProcesses', options.seProcesses),
    seClock: text('seClock', options.seClock),
    maxMemory: text('maxMemory', options.maxMemory),
    training: on('training', options.training),
  };
  return profileOptions(flags);
}
