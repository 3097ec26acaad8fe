// 95% confidence intervals, the arithmetic of `--se-latency`. Within one process a median of
// the rounds' ratios and the order statistics around it, free of any assumption on the
// distribution: a shared machine's timings have long right tails (a garbage-collection pause,
// another process's burst) that move a mean but not a median. Across processes a Student-t
// interval over each process's median: what differs between processes (JIT state, memory
// layout, the allocator) moves every round of one process alike, so only more processes, not
// more rounds, narrow it.
// Hand-written: a binomial tail and the t distribution's finite series for whole degrees of
// freedom, a few lines each; statistics packages on npm bring a distribution library (the
// smallest with a t quantile, 223 modules) for it.
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

/**
 * P(|T| < t) for Student's t with `df` degrees of freedom, by the finite series for whole df
 * (Abramowitz and Stegun 26.7.3 and 26.7.4), with theta = atan(t / sqrt(df)).
 */
export function tCentralProbability(t: number, df: number): number {
  const theta = Math.atan(t / Math.sqrt(df));
  const c2 = Math.cos(theta) ** 2;
  if (df % 2 === 0) {
    // sin(theta) (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ... up to cos^(df-2))
    let term = 1;
    let sum = 1;
    for (let j = 2; j <= df - 2; j += 2) {
      term *= ((j - 1) / j) * c2;
      sum += term;
    }
    return Math.sin(theta) * sum;
  }
  // 2/pi (theta + sin cos (1 + 2/3 cos^2 + 2*4/(3*5) cos^4 + ... up to cos^(df-3)))
  let term = 1;
  let sum = df > 1 ? 1 : 0;
  for (let j = 3; j <= df - 2; j += 2) {
    term *= ((j - 1) / j) * c2;
    sum += term;
  }
  return (2 / Math.PI) * (theta + Math.sin(theta) * Math.cos(theta) * sum);
}

/** The t with P(|T| < t) = 0.95 for `df` degrees of freedom (12.71 for 1, 2.57 for 5, 1.96 in the limit), by bisection. */
export function tQuantile95(df: number): number {
  let low = 0;
  let high = 1;
  while (tCentralProbability(high, df) < 0.95) high *= 2;
  for (let i = 0; i < 100 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    if (tCentralProbability(mid, df) < 0.95) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The mean of `values` with its 95% Student-t interval, mean +- t(n-1) s / sqrt(n): for
 * estimates that are each a median of many samples (one per process), so close to normal. Over
 * the processes' estimates it is the interval of a one-way random-effects model's grand mean:
 * the spread between processes, with what each one's rounds left, is in s. NaN bounds below 2.
 */
export function meanInterval(values: readonly number[]): Interval {
  const n = values.length;
  const value = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { value, low: Number.NaN, high: Number.NaN, n };
  const variance = values.reduce((a, x) => a + (x - value) ** 2, 0) / (n - 1);
  const half = (tQuantile95(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  return { value, low: value - half, high: value + half, n };
}

/** Whether two intervals overlap: apart, they differ beyond the noise they state. */
export function overlaps(a: Pick<Interval, 'low' | 'high'>, b: Pick<Interval, 'low' | 'high'>): boolean {
  return a.low <= b.high && b.low <= a.high;
}
