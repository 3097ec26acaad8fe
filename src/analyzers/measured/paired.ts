// The model and its SE-free twin timed in turn (`--se-latency`): interleaved rounds, so that a
// busy machine or a thermal drift weighs on both alike, and the paired ratios' median and interval.
// Free of tfjs: the runs and the clock are given, so a test drives it with a fake clock.
import { mapInterval, medianInterval, type Interval } from './interval';
import { summarize, type Latency } from './timing';

/** How many rounds: at most `rounds`, or fewer once the budgets are spent (each at least its minimum). */
export interface PairPlan {
  /** Timed rounds, each one run of each model (at most, with a budget). */
  rounds: number;
  /** Untimed rounds first. */
  warmup: number;
  /** Stop timing once both models' runs have taken this long, after at least `minRounds`. */
  roundsBudgetMs?: number | undefined;
  /** Rounds run whatever the budget (default MIN_ROUNDS; more narrow a slow model's interval). */
  minRounds?: number | undefined;
  /** Stop warming up once this much time is spent, keeping at least 1 round. */
  warmupBudgetMs?: number | undefined;
}

/** Below 6 rounds even the slowest and fastest round bound a median with less than 95% confidence. */
export const MIN_ROUNDS = 6;

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

/**
 * Runs warm-up rounds, then timed rounds, each one run of each model in `roundOrder`. `run`
 * returns once the model's result is computed (read back); `now` is the clock in ms.
 */
export function timePaired(run: Readonly<Record<Side, () => void>>, plan: PairPlan, now: () => number, onRound?: (done: number) => void): PairedSamples {
  const samples: PairedSamples = { se: [], plain: [], warmup: 0 };
  const round = (index: number, timed: boolean): number => {
    let spent = 0;
    for (const side of roundOrder(index)) {
      const start = now();
      run[side]();
      const ms = now() - start;
      spent += ms;
      if (timed) samples[side].push(ms);
    }
    onRound?.(index + 1);
    return spent;
  };
  const phase = (count: number, minimum: number, budget: number | undefined, timed: boolean, from: number): number => {
    let done = 0;
    let spent = 0;
    while (done < count && (budget === undefined || done < minimum || spent < budget)) spent += round(from + done++, timed);
    return done;
  };
  samples.warmup = phase(plan.warmup, Math.min(1, plan.warmup), plan.warmupBudgetMs, false, 0);
  // Timed rounds start where the warm-up left the alternation, so both orders stay balanced.
  phase(plan.rounds, Math.min(plan.minRounds ?? MIN_ROUNDS, plan.rounds), plan.roundsBudgetMs, true, samples.warmup);
  return samples;
}

/** What SE adds in time, from the paired ratios of interleaved rounds. */
export interface PairedCost {
  withSe: Latency;
  withoutSe: Latency;
  /**
   * With SE / without - 1, as a fraction: the median of the rounds' ratios, with its 95%
   * interval. A ratio per round cancels what both runs of a round share (a busy machine); the
   * median and its order-statistic interval ignore the odd round a pause spoilt.
   */
  addsRatio: Interval;
  /** addsRatio applied to the twin's median: ms, with the same interval. */
  addsMs: Interval;
}

export function pairedCost({ se, plain, warmup }: PairedSamples): PairedCost {
  if (se.length !== plain.length) throw new Error('paired samples differ in length');
  const ratios = se.map((ms, i) => ms / (plain[i] ?? Number.NaN));
  const withoutSe = summarize(plain, warmup);
  const addsRatio = mapInterval(medianInterval(ratios), (r) => r - 1);
  return {
    withSe: summarize(se, warmup),
    withoutSe,
    addsRatio,
    addsMs: mapInterval(addsRatio, (r) => r * withoutSe.medianMs),
  };
}
