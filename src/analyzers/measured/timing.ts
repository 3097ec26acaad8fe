// What timing asks for and what it yields, free of tfjs: the library's public types (a
// consumer's type check reaches them) and the CLI's options import them without tfjs's types.
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
