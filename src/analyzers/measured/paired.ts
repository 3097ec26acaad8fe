// The model and its SE-free twin timed in turn (`--se-latency`): interleaved rounds, so that a
// busy machine or a thermal drift weighs on both alike, in several processes, so that what one
// process's JIT state and memory layout give both weighs on the interval too; the paired
// ratios' median per process, and their combination over processes.
// Free of tfjs: the runs and the clock are given, so a test drives it with a fake clock.
import { mapInterval, meanInterval, medianInterval, type Interval } from './interval';
import { summarize, type Latency } from './timing';

/** How many rounds: at most `rounds`, or fewer once the budgets are spent (each at least its minimum). */
export interface PairPlan {
  /** Timed rounds, each one run of each model (at most, with a budget). */
  rounds: number;
  /** Untimed rounds first. */
  warmup: number;
  /** Stop timing once the rounds have taken this long (wall ms), after at least `minRounds`. */
  roundsBudgetMs?: number | undefined;
  /** Rounds run whatever the budget (default MIN_ROUNDS; more narrow a slow model's interval). */
  minRounds?: number | undefined;
  /** Stop warming up once this much time is spent, after at least `minWarmup` rounds. */
  warmupBudgetMs?: number | undefined;
  /**
   * Warm-up rounds run whatever the budget (default 1). A fresh process's first runs of a large
   * model are slow for several runs (its heap's new pages, wasm compiled to faster code in the
   * background), and a timed round that still drifts favours the model that runs warmer.
   */
  minWarmup?: number | undefined;
  /**
   * Added to each round's index for its order: 1 starts with the twin. Alternated over
   * processes, so that a run index where every fresh process does the same thing (a garbage
   * collection after the same allocations, the last of the warming) falls on each model in half of them.
   */
  offset?: number | undefined;
}

/** Below 6 rounds even the slowest and fastest round bound a median with less than 95% confidence. */
export const MIN_ROUNDS = 6;

/** An interval over processes needs their spread: at least two. */
export const MIN_PROCESSES = 2;

export type Side = 'se' | 'plain';

/** Round i runs SE first when i is even, the twin first when odd (ABBA): neither always goes first. */
export function roundOrder(round: number): readonly [Side, Side] {
  return round % 2 === 0 ? ['se', 'plain'] : ['plain', 'se'];
}

export interface PairedSamples {
  /** Wall ms of each timed run of the model with SE, round by round. */
  se: number[];
  /** Wall ms of each timed run of the twin, round by round. */
  plain: number[];
  /** Warm-up rounds run. */
  warmup: number;
}

/** What a process's rounds are told and may do besides running the models. */
export interface PairHooks {
  /** Told as each round (warm-up or timed) ends, with how many have run. */
  onRound?: ((done: number) => void) | undefined;
  /** The clock the budgets are spent by (a user waits wall time); the run clock when absent. */
  wallNow?: (() => number) | undefined;
}

/**
 * Runs warm-up rounds, then timed rounds, each one run of each model in `roundOrder` (shifted
 * by `plan.offset`). `run` returns once the model's result is computed (read back); `now` is
 * the clock a run is timed by, in ms.
 */
export function timePaired(run: Readonly<Record<Side, () => void>>, plan: PairPlan, now: () => number, hooks: PairHooks = {}): PairedSamples {
  const samples: PairedSamples = { se: [], plain: [], warmup: 0 };
  const wallNow = hooks.wallNow ?? now;
  const round = (index: number, timed: boolean): number => {
    const wallStart = wallNow();
    for (const side of roundOrder(index + (plan.offset ?? 0))) {
      const start = now();
      run[side]();
      if (timed) samples[side].push(now() - start);
    }
    hooks.onRound?.(index + 1);
    return wallNow() - wallStart;
  };
  const phase = (count: number, minimum: number, budget: number | undefined, timed: boolean, from: number): number => {
    let done = 0;
    let spent = 0;
    while (done < count && (budget === undefined || done < minimum || spent < budget)) spent += round(from + done++, timed);
    return done;
  };
  samples.warmup = phase(plan.warmup, Math.min(plan.minWarmup ?? 1, plan.warmup), plan.warmupBudgetMs, false, 0);
  // Timed rounds start where the warm-up left the alternation, so both orders stay balanced.
  phase(plan.rounds, Math.min(plan.minRounds ?? MIN_ROUNDS, plan.rounds), plan.roundsBudgetMs, true, samples.warmup);
  return samples;
}

/** What SE adds in time, from the paired ratios of interleaved rounds. */
export interface PairedCost {
  withSe: Latency;
  withoutSe: Latency;
  /**
   * With SE / without - 1, as a fraction: per process the median of its rounds' ratios, and
   * their geometric mean over processes with its 95% interval (n: the processes). A ratio per
   * round cancels what both runs of a round share (a busy machine); a median ignores the odd
   * round a pause spoilt; the processes' spread is what differs from one run to the next.
   */
  addsRatio: Interval;
  /** addsRatio applied to the twin's median: ms, with the same interval. */
  addsMs: Interval;
}

/** One process's rounds: what SE adds there, the median of its ratios with the sign test's interval (which covers that process only). */
export interface ProcessCost {
  rounds: number;
  warmup: number;
  addsRatio: Interval;
}

function ratiosOf({ se, plain }: PairedSamples): number[] {
  if (se.length !== plain.length) throw new Error('paired samples differ in length');
  return se.map((ms, i) => ms / (plain[i] ?? Number.NaN));
}

export function processCost(samples: PairedSamples): ProcessCost {
  return { rounds: samples.se.length, warmup: samples.warmup, addsRatio: mapInterval(medianInterval(ratiosOf(samples)), (r) => r - 1) };
}

/**
 * What SE adds over several processes, each its own rounds of both models: per process the log
 * of its median ratio, and the Student-t interval of their mean (meanInterval), mapped back to
 * a ratio (a geometric mean of the processes' medians). A process's rounds share its JIT state
 * and memory layout, so its median can sit off the machine's by more than its own interval
 * says; the processes' spread measures that, and rounds alone never narrow it.
 */
export function pairedCost(processes: readonly PairedSamples[]): PairedCost {
  const logs = processes.map((p) => Math.log(medianInterval(ratiosOf(p)).value));
  const withoutSe = summarize(
    processes.flatMap((p) => p.plain),
    sumOf(processes.map((p) => p.warmup)),
  );
  const addsRatio = mapInterval(meanInterval(logs), (l) => Math.exp(l) - 1);
  return {
    withSe: summarize(
      processes.flatMap((p) => p.se),
      sumOf(processes.map((p) => p.warmup)),
    ),
    withoutSe,
    addsRatio,
    addsMs: mapInterval(addsRatio, (r) => r * withoutSe.medianMs),
  };
}

const sumOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
