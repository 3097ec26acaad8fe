// Forward latency of the whole model: warm-up, then repeated timed runs.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { OnProgress } from './progress';
import { summarize, type Latency, type TimingPlan } from './timing';

/** One forward pass, waited for; its wall time in ms (bench/run.mjs's plain forward). */
export function forwardOnce(model: tfl.LayersModel, x: tf.Tensor): number {
  const start = performance.now();
  const y = tf.tidy(() => model.apply(x) as tf.Tensor);
  y.dataSync(); // wait for the backend to finish
  const elapsed = performance.now() - start;
  y.dispose();
  return elapsed;
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
