// 95% confidence intervals of a mean, by Student's t: the arithmetic of `--se-latency`.
// Hand-written rather than a statistics package: the one quantile it needs (t at 0.975) is a
// table and a closed form, where the smallest npm package for it brings 223 modules.

/** Student's t at 0.975 for 1 to 30 degrees of freedom (six decimals). */
const T_975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787,
  2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407,
  2.04523, 2.042272,
];

/** The standard normal's 0.975 quantile. */
const Z_975 = 1.959963984540054;

/**
 * t at 0.975 for `df` degrees of freedom: the table up to 30, beyond it the Cornish-Fisher
 * expansion in 1/df (Abramowitz and Stegun 26.7.5), within 1e-7 of the exact quantile there.
 */
export function t975(df: number): number {
  if (!Number.isInteger(df) || df < 1) return Number.NaN;
  const tabled = T_975[df - 1];
  if (tabled !== undefined) return tabled;
  const z = Z_975;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** A mean and its 95% confidence interval, over `n` samples. */
export interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** The mean of `samples` with its 95% t-interval; with fewer than 2 samples the bounds are unknown (NaN). */
export function meanInterval(samples: readonly number[]): Interval {
  const n = samples.length;
  const mean = samples.reduce((sum, x) => sum + x, 0) / n;
  if (n < 2) return { mean, low: Number.NaN, high: Number.NaN, n };
  const variance = samples.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1);
  const half = t975(n - 1) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half, n };
}

/** An interval through a monotone increasing map (e.g. exp of a mean of logs). */
export function mapInterval(i: Interval, f: (x: number) => number): Interval {
  return { mean: f(i.mean), low: f(i.low), high: f(i.high), n: i.n };
}

/** Whether two intervals overlap: apart, they differ beyond the noise they state. */
export function overlaps(a: Pick<Interval, 'low' | 'high'>, b: Pick<Interval, 'low' | 'high'>): boolean {
  return a.low <= b.high && b.low <= a.high;
}
