// Forward latency of the whole model: warm-up, then repeated timed runs.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { OnProgress } from './progress';

export interface Latency {
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
  runs: number;
  warmup: number;
}

/** The value at fraction q of sorted samples, interpolated linearly. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] ?? Number.NaN;
  const b = sorted[upper] ?? Number.NaN;
  return a + (b - a) * (position - lower);
}

/** Timer resolution is about a microsecond: more digits would be noise. */
const toMicroseconds = (ms: number): number => Math.round(ms * 1000) / 1000;

export function summarize(samplesMs: readonly number[], warmup: number): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    medianMs: toMicroseconds(quantile(sorted, 0.5)),
    p10Ms: toMicroseconds(quantile(sorted, 0.1)),
    p90Ms: toMicroseconds(quantile(sorted, 0.9)),
    minMs: toMicroseconds(sorted[0] ?? Number.NaN),
    maxMs: toMicroseconds(sorted.at(-1) ?? Number.NaN),
    runs: sorted.length,
    warmup,
  };
}

/** One forward pass, waited for; its wall time in ms. */
export function forwardOnce(model: tfl.LayersModel, x: tf.Tensor): number {
  const start = performance.now();
  const y = tf.tidy(() => model.apply(x) as tf.Tensor);
  y.dataSync(); // wait for the backend to finish
  const elapsed = performance.now() - start;
  y.dispose();
  return elapsed;
}

export interface TimingPlan {
  /** Timed runs (at most, with a budget). */
  runs: number;
  /** Untimed runs first (at most, with a budget). */
  warmup: number;
  /** Stop timing once this much time is spent, keeping at least 3 timed runs. */
  runsBudgetMs?: number | undefined;
  /** Stop warming up once this much time is spent, keeping at least 1 warm-up run. */
  warmupBudgetMs?: number | undefined;
}

/** What to time (`--latency`, `--runs`, `--warmup`): without it nothing is timed. */
export interface Timing extends TimingPlan {
  /** Also time every layer. */
  perLayer: boolean;
}

const MIN_TIMED = 3;

/** Repeats `once` up to `count` times, or until `budgetMs` is spent after `minimum` runs. */
function repeat(once: () => number, count: number, minimum: number, budgetMs: number | undefined): number[] {
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < count && (budgetMs === undefined || samples.length < minimum || spent < budgetMs)) {
    const ms = once();
    samples.push(ms);
    spent += ms;
  }
  return samples;
}

// Each sample is one forward: batching forwards into one sample would let a single
// garbage-collection pause spoil the whole sample and widen the spread.
export function timeForward(model: tfl.LayersModel, x: tf.Tensor, plan: TimingPlan, onProgress?: OnProgress): Latency {
  return timeRuns(() => forwardOnce(model, x), plan, onProgress);
}

/** Warm-up then timed runs of `once`, which returns its own wall time in ms. */
export function timeRuns(once: () => number, plan: TimingPlan, onProgress?: OnProgress): Latency {
  // At most warmup + runs forwards; the budgets may end either phase sooner.
  const most = plan.warmup + plan.runs;
  let done = 0;
  const counted = (): number => {
    const ms = once();
    onProgress?.(++done, most, 'timing runs');
    return ms;
  };
  const warm = repeat(counted, plan.warmup, Math.min(1, plan.warmup), plan.warmupBudgetMs);
  return summarize(repeat(counted, plan.runs, Math.min(MIN_TIMED, plan.runs), plan.runsBudgetMs), warm.length);
}
