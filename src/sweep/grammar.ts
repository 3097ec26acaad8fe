// The list and range grammar of sweep options. A value is a comma-separated list of items:
//   N        one value, passed on as written (the spec builder checks it)
//   a..b     a, a+1, ..., b
//   a..b+s   a, a+s, a+2s, ... up to b (arithmetic)
//   a..bxk   a, a*k, a*k^2, ... up to b (geometric)
// Ranges are inclusive of a, and of b when a step lands on it.
import { UsageError } from '../errors';

/** The most values one option, or one whole sweep, may expand to: a typo like 1..1000000000 must not hang. */
export const MAX_CASES = 10_000;

const RANGE = /^(\d+)\.\.(\d+)(?:([+x])(\d+))?$/;

function rangeValues(option: string, item: string): string[] {
  const match = RANGE.exec(item);
  if (match === null) {
    throw new UsageError(`${option}: bad range '${item}': expected a..b, a..b+step or a..bxfactor with whole numbers`);
  }
  const [, from, to, kind, by] = match as unknown as [string, string, string, '+' | 'x' | undefined, string | undefined];
  const [a, b, step] = [Number(from), Number(to), Number(by ?? 1)];
  if (a > b) throw new UsageError(`${option}: bad range '${item}': ${a} is larger than ${b}`);
  if (kind === 'x' && step < 2) throw new UsageError(`${option}: bad range '${item}': the factor must be at least 2`);
  if (kind !== 'x' && step < 1) throw new UsageError(`${option}: bad range '${item}': the step must be at least 1`);
  if (kind === 'x' && a < 1) throw new UsageError(`${option}: bad range '${item}': a geometric range starts at 1 or more`);
  const size = kind === 'x' ? Math.floor(Math.log(b / a) / Math.log(step) + 1e-9) + 1 : Math.floor((b - a) / step) + 1;
  if (size > MAX_CASES) throw new UsageError(`${option}: range '${item}' has ${size} values; a sweep takes at most ${MAX_CASES}`);
  const values: string[] = [];
  for (let v = a; v <= b; v = kind === 'x' ? v * step : v + step) values.push(String(v));
  return values;
}

/** The values of one option, in order, without repeats. */
export function expandValues(option: string, text: string): string[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`${option}: empty item in the list '${text}'`);
  const values = items.flatMap((item) => (item.includes('..') ? rangeValues(option, item) : [item]));
  return [...new Set(values)];
}

export interface Axis {
  /** The option as the user wrote it, e.g. --channels. */
  option: string;
  /** The key the spec builder reads, e.g. channels. */
  key: string;
  values: readonly string[];
}

/** Every combination of the axes' values, the first axis varying slowest. */
export function combinations(axes: readonly Axis[]): Record<string, string>[] {
  const total = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (total > MAX_CASES) throw new UsageError(`the sweep has ${total} cases; at most ${MAX_CASES}`);
  let combos: Record<string, string>[] = [{}];
  for (const axis of axes) combos = combos.flatMap((combo) => axis.values.map((value) => ({ ...combo, [axis.key]: value })));
  return combos;
}
