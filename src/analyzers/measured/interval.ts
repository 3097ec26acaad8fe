// 95% confidence intervals of a median, free of any assumption on the distribution: the
// arithmetic of `--se-latency`. A shared machine's timings have long right tails (a
// garbage-collection pause, another process's burst): a mean and its t-interval follow one
// such run, a median and the order statistics around it do not.
// Hand-written: the one thing it needs is a binomial tail, a few lines; statistics packages on
// npm bring a distribution library (the smallest with a t quantile, 223 modules) for it.
import { quantile } from './timing';

/** An estimate (a median, or a statistic of samples) and its 95% confidence interval, over `n` samples; NaN bounds are unknown. */
export interface Interval {
  value: number;
  low: number;
  high: number;
  n: number;
}

/** log(e^a + e^b), without overflow. */
const logAdd = (a: number, b: number): number => (a === -Infinity ? b : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))));

/**
 * The order statistic k (1-based) that bounds a median's 95% interval below, x(k) to x(n+1-k):
 * the largest k with P(Binomial(n, 1/2) <= k - 1) <= 0.025 (the sign test's interval). 0 when
 * even x(1) to x(n) covers less than 95% (n < 6). Summed in logs: 2^-n underflows past n = 1074.
 */
export function medianBoundRank(n: number): number {
  const alpha = Math.log(0.025);
  let logPmf = -n * Math.LN2; // P(X = 0)
  let logCdf = logPmf;
  let k = 0;
  for (let j = 0; j < n && logCdf <= alpha; j++) {
    k = j + 1; // P(X <= j) <= 0.025, so x(j + 1) bounds
    logPmf += Math.log((n - j) / (j + 1));
    logCdf = logAdd(logCdf, logPmf);
  }
  return k;
}

/** The median of `samples` with its 95% distribution-free interval (order statistics). */
export function medianInterval(samples: readonly number[]): Interval {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const k = medianBoundRank(n);
  const value = quantile(sorted, 0.5);
  if (k === 0) return { value, low: Number.NaN, high: Number.NaN, n };
  return { value, low: sorted[k - 1] ?? Number.NaN, high: sorted[n - k] ?? Number.NaN, n };
}

/** An interval through a monotone increasing map (exp of a median of logs). */
export function mapInterval(i: Interval, f: (x: number) => number): Interval {
  return { value: f(i.value), low: f(i.low), high: f(i.high), n: i.n };
}

/** mulberry32: a small seeded generator, so that a bootstrap gives the same interval for the same samples. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `statistic` of the samples with its 95% percentile-bootstrap interval: the 2.5% and 97.5%
 * quantiles of the statistic over `resamples` resamples drawn with replacement. For a
 * statistic that is no plain median (a ratio of sums of medians); bounds are NaN below 6 samples.
 */
export function bootstrapInterval<T>(samples: readonly T[], statistic: (sample: readonly T[]) => number, random: () => number, resamples = 1000): Interval {
  const n = samples.length;
  const value = statistic(samples);
  if (n < 6) return { value, low: Number.NaN, high: Number.NaN, n };
  const draws: number[] = [];
  for (let r = 0; r < resamples; r++) {
    draws.push(statistic(Array.from({ length: n }, () => samples[Math.floor(random() * n)] as T)));
  }
  draws.sort((a, b) => a - b);
  return { value, low: quantile(draws, 0.025), high: quantile(draws, 0.975), n };
}

/** Whether two intervals overlap: apart, they differ beyond the noise they state. */
export function overlaps(a: Pick<Interval, 'low' | 'high'>, b: Pick<Interval, 'low' | 'high'>): boolean {
  return a.low <= b.high && b.low <= a.high;
}
