// Option values shared by commands, parsed and checked into typed settings.
import { freemem, totalmem } from 'node:os';
import { CONVENTION_KEYS, DEFAULT_CONVENTION, type ConventionColumns } from '../analyzers/conventions';
import { BACKEND_CHOICES, type BackendChoice } from '../analyzers/measured/backend-choice';
import { CLOCK_CHOICES } from '../analyzers/measured/clocks';
import { MIN_PROCESSES, MIN_ROUNDS } from '../analyzers/measured/paired';
import type { Timing } from '../analyzers/measured/timing';
import type { ProfileOptions, SeLatencyPlan } from '../analyzers/profile';
import { UsageError } from '../errors';
import { byteSize, oneOf, wholeNumber } from '../parse';
import { UNITS, type CountStyle } from '../report/format';
import { FORMATS, type Format } from '../report/render-options';
import type { RawSpecOptions } from '../model/spec';

/** --format, or --json; the two conflict unless they agree. Every command reads its format here. */
export function format<F extends string = Format>(
  raw: { format?: string | undefined; json?: boolean | undefined },
  formats: readonly F[] = FORMATS as readonly string[] as readonly F[],
): F {
  if (raw.json === true && raw.format !== undefined && raw.format !== 'json') {
    throw new UsageError(`--json conflicts with --format ${raw.format}`);
  }
  return oneOf('format', raw.json === true ? 'json' : (raw.format ?? 'table'), formats);
}

/** Most decimals --precision shows: beyond, a figure in units is no easier to read than exact. */
const MAX_PRECISION = 12;

/**
 * --units and --precision, for the counts that every command's tables and markdown show;
 * --precision alone means --units auto. JSON and CSV stay exact, so there they are refused
 * rather than ignored.
 */
export function countStyle(raw: UnitsFlags, format: Format): CountStyle | undefined {
  if (raw.units === undefined && raw.precision === undefined) return undefined;
  if (format === 'json' || format === 'csv')
    throw new UsageError(`--${raw.units === undefined ? 'precision' : 'units'} applies to table and markdown: ${format} stays exact`);
  const precision = raw.precision === undefined ? 3 : wholeNumber('precision', raw.precision, 0);
  if (precision > MAX_PRECISION) throw new UsageError(`--precision must be at most ${MAX_PRECISION}, got ${precision}`);
  return { units: oneOf('units', raw.units ?? 'auto', UNITS), precision };
}

/** --total-row: CSV's marked total row, refused with another format (which always shows its total). */
export function totalRow(raw: DisplayFlags, format: Format): boolean {
  if (raw.totalRow === true && format !== 'csv') throw new UsageError(`--total-row applies to --format csv: ${format} always shows the total`);
  return raw.totalRow === true;
}

export function backend(value: string | undefined): BackendChoice {
  return oneOf('backend', value ?? 'auto', BACKEND_CHOICES);
}

/** The convention columns: --conventions (a list or 'all') or --convention beside `flops`. */
export function columns(raw: { convention?: string; conventions?: string }): ConventionColumns {
  if (raw.conventions !== undefined) {
    if (raw.conventions.trim() === 'all') return [...CONVENTION_KEYS];
    const [first, ...rest] = raw.conventions.split(',').map((k) => oneOf('conventions', k.trim(), CONVENTION_KEYS));
    if (first === undefined) throw new UsageError('--conventions needs at least one convention'); // split gives one item at least
    return [first, ...new Set(rest.filter((k) => k !== first))];
  }
  const main = oneOf('convention', raw.convention ?? DEFAULT_CONVENTION, CONVENTION_KEYS);
  return main === 'flops' ? ['flops'] : [main, 'flops'];
}

/** The option values that say how to report. */
export interface RenderFlags {
  format?: string | undefined;
  json?: boolean | undefined;
  convention: string;
  conventions?: string | undefined;
}

/** The option values that say how count tables show counts. */
export interface UnitsFlags {
  units?: string | undefined;
  precision?: string | undefined;
}

/** The option values that say how to show counts. */
export interface DisplayFlags extends UnitsFlags {
  totalRow?: boolean | undefined;
}

/** The option values that say how to measure. */
export interface MeasureFlags {
  measure: boolean;
  backend?: string | undefined;
  runs?: string | undefined;
  warmup?: string | undefined;
  latency?: boolean | undefined;
  seLatency?: boolean | undefined;
  seRounds?: string | undefined;
  seProcesses?: string | undefined;
  seClock?: string | undefined;
  maxMemory?: string | undefined;
  training?: boolean | undefined;
  /** No progress on stderr. */
  quiet?: boolean | undefined;
}

export interface LatencyDefaults {
  runs: number;
  warmup: number;
  runsBudgetMs: number;
  warmupBudgetMs: number;
  /** Time every layer too. */
  perLayer: boolean;
  /** --se-latency: the model against its twin. */
  se: SeLatencyPlan;
}

/** One profile: a small block gets 200 warm-up and 100 timed runs; a network stops after the budgets. */
export const PROFILE_LATENCY: LatencyDefaults = {
  runs: 100,
  warmup: 200,
  runsBudgetMs: 3000,
  warmupBudgetMs: 1000,
  perLayer: true,
  // Twice the models, in 6 processes (what differs between processes is most of what differs
  // between runs, and 6 make a t-interval 2.57 standard errors wide, 3 would make it 4.30):
  // each up to 500 rounds within about 3.3 s of wall time, 20 s in all.
  se: {
    processes: 6,
    rounds: 500,
    warmup: 10,
    roundsBudgetMs: 3300,
    warmupBudgetMs: 1000,
    minWarmup: 3,
    minRounds: 2,
    passes: 2,
    clock: 'auto',
    requireTwin: true,
  },
};

/** Many profiles (sweep, report): each latency gets less time, and shows no per-layer times. */
export const BATCH_LATENCY: LatencyDefaults = {
  runs: 30,
  warmup: 50,
  runsBudgetMs: 800,
  warmupBudgetMs: 300,
  perLayer: false,
  se: {
    processes: 3,
    rounds: 100,
    warmup: 3,
    roundsBudgetMs: 700,
    warmupBudgetMs: 300,
    minWarmup: 2,
    minRounds: 2,
    passes: 2,
    clock: 'auto',
    requireTwin: false,
  },
};

/** More timed or warm-up runs than a median needs: 10^9 of them (a typo) would run for days. */
export const MAX_RUNS = 100_000;

/** More processes than an interval over processes needs; each one loads tfjs and builds both models. */
export const MAX_SE_PROCESSES = 1000;

function runCount(name: 'runs' | 'warmup' | 'se-rounds', text: string, minimum: number): number {
  const n = wholeNumber(name, text, minimum);
  if (n > MAX_RUNS) throw new UsageError(`--${name} must be at most ${MAX_RUNS.toLocaleString('en-US')}, got ${n}`);
  return n;
}

/** Timing only when asked: `--latency`, or `--runs`/`--warmup`, which make no sense without it. */
function timing(flags: MeasureFlags, defaults: LatencyDefaults): Timing | undefined {
  const runs = flags.runs === undefined ? undefined : runCount('runs', flags.runs, 1);
  const warmup = flags.warmup === undefined ? undefined : runCount('warmup', flags.warmup, 0);
  if (flags.latency !== true && runs === undefined && warmup === undefined) return undefined;
  return {
    runs: runs ?? defaults.runs,
    warmup: warmup ?? defaults.warmup,
    runsBudgetMs: runs === undefined ? defaults.runsBudgetMs : undefined,
    warmupBudgetMs: warmup === undefined ? defaults.warmupBudgetMs : undefined,
    perLayer: defaults.perLayer,
  };
}

/**
 * --se-latency, or --se-rounds or --se-processes (which imply it); refused without the measured
 * run it times. --se-rounds counts the rounds of all processes, split evenly among them.
 */
function seLatency(flags: MeasureFlags, defaults: LatencyDefaults): SeLatencyPlan | undefined {
  const rounds = flags.seRounds === undefined ? undefined : runCount('se-rounds', flags.seRounds, MIN_ROUNDS);
  const processes = flags.seProcesses === undefined ? undefined : wholeNumber('se-processes', flags.seProcesses, MIN_PROCESSES);
  if (processes !== undefined && processes > MAX_SE_PROCESSES) throw new UsageError(`--se-processes must be at most ${MAX_SE_PROCESSES}, got ${processes}`);
  const clock = flags.seClock === undefined ? undefined : oneOf('se-clock', flags.seClock, CLOCK_CHOICES);
  if (flags.seLatency !== true && rounds === undefined && processes === undefined && clock === undefined) return undefined;
  if (!flags.measure) {
    const flag = flags.seLatency === true ? 'se-latency' : rounds !== undefined ? 'se-rounds' : processes !== undefined ? 'se-processes' : 'se-clock';
    throw new UsageError(`--${flag} times the model in tfjs: it does not go with --no-measure`);
  }
  const plan = { ...defaults.se, ...(processes !== undefined && { processes }), ...(clock !== undefined && { clock }) };
  return rounds === undefined ? plan : { ...plan, rounds: Math.ceil(rounds / plan.processes), roundsBudgetMs: undefined };
}

/** How to profile: measure or not, on which backend, timed or not, within what memory. */
export function profileOptions(flags: MeasureFlags, latency: LatencyDefaults = PROFILE_LATENCY): ProfileOptions {
  return {
    measure: flags.measure,
    backend: backend(flags.backend),
    timing: timing(flags, latency),
    seLatency: seLatency(flags, latency),
    training: flags.training === true,
    maxMemoryBytes: flags.maxMemory === undefined ? BigInt(freemem()) / 4n : maxMemory(flags.maxMemory),
  };
}

/** A budget beyond the machine's memory would let the guard admit runs that cannot allocate. */
function maxMemory(text: string): bigint {
  const bytes = byteSize('max-memory', text);
  const total = BigInt(totalmem());
  if (bytes > total) throw new UsageError(`--max-memory ${text} is more than this machine's ${total / 2n ** 20n} MB of memory`);
  return bytes;
}

/** Everything the main command takes: what to profile, how to measure, how to render. */
export interface ProfileFlags extends RawSpecOptions, MeasureFlags, RenderFlags, DisplayFlags {
  at?: string[];
  atFile?: string;
  depth?: string;
  top?: string;
}
