// The list and range grammar of sweep options. A value is a comma-separated list of items:
//   N        one value, passed on as written (the spec builder checks it)
//   a..b     a, a+1, ..., b
//   a..b+s   a, a+s, a+2s, ... up to b (arithmetic)
//   a..bxk   a, a*k, a*k^2, ... up to b (geometric)
// Ranges are inclusive of a, and of b when a step lands on it.
import { UsageError } from '../errors';
import { LARGEST_WHOLE } from '../parse';

/** The most values one option, or one whole sweep, may expand to: a typo like 1..1000000000 must not hang. */
export const MAX_CASES = 10_000;

const RANGE = /^(\d+)\.\.(\d+)(?:([+x])(\d+))?$/;

/** A long item or list is cut to its first 40 characters: the error stays one readable line. */
function shortened(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 40)}...`;
}

/** A range's number, exact: past 2^53 - 1 no spec takes it, and a float would stop counting. */
function rangeNumber(option: string, item: string, digits: string): bigint {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (trimmed.length > String(LARGEST_WHOLE).length || BigInt(trimmed) > LARGEST_WHOLE) {
    const shown = trimmed.length <= 40 ? trimmed : `a ${trimmed.length}-digit number`;
    throw new UsageError(`${option}: bad range '${shortened(item)}': ${shown} is too large; at most ${LARGEST_WHOLE} (2^53 - 1)`);
  }
  return BigInt(trimmed);
}

/** How many values a..b by step (or factor) holds: exact, in bigint. */
function rangeSize(a: bigint, b: bigint, kind: '+' | 'x' | undefined, step: bigint): bigint {
  if (kind !== 'x') return (b - a) / step + 1n;
  let size = 0n;
  for (let v = a; v <= b; v *= step) size += 1n; // at most 53 turns: a >= 1, step >= 2, b < 2^53
  return size;
}

function rangeValues(option: string, item: string): string[] {
  const match = RANGE.exec(item);
  if (match === null) {
    throw new UsageError(`${option}: bad range '${shortened(item)}': expected a..b, a..b+step or a..bxfactor with whole numbers`);
  }
  const [, from, to, kind, by] = match as unknown as [string, string, string, '+' | 'x' | undefined, string | undefined];
  const [a, b, step] = [rangeNumber(option, item, from), rangeNumber(option, item, to), rangeNumber(option, item, by ?? '1')];
  if (a > b) throw new UsageError(`${option}: bad range '${item}': ${a} is larger than ${b}`);
  if (kind === 'x' && step < 2n) throw new UsageError(`${option}: bad range '${item}': the factor must be at least 2`);
  if (kind !== 'x' && step < 1n) throw new UsageError(`${option}: bad range '${item}': the step must be at least 1`);
  if (kind === 'x' && a < 1n) throw new UsageError(`${option}: bad range '${item}': a geometric range starts at 1 or more`);
  const size = rangeSize(a, b, kind, step);
  if (size > BigInt(MAX_CASES)) throw new UsageError(`${option}: range '${item}' has ${size} values; a sweep takes at most ${MAX_CASES}`);
  const values: string[] = [];
  for (let v = a; v <= b; v = kind === 'x' ? v * step : v + step) values.push(String(v));
  return values;
}

/** The values of one option, in order, without repeats. */
export function expandValues(option: string, text: string): string[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`${option}: empty item in the list '${text}'`);
  const values = new Set<string>();
  for (const item of items) {
    for (const value of item.includes('..') ? rangeValues(option, item) : [item]) values.add(value);
    if (values.size > MAX_CASES)
      throw new UsageError(`${option}: the list '${shortened(text)}' has more than ${MAX_CASES} values; a sweep takes at most ${MAX_CASES}`);
  }
  return [...values];
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
  const total = axes.reduce((n, axis) => n * BigInt(axis.values.length), 1n);
  if (total > BigInt(MAX_CASES)) throw new UsageError(`the sweep has ${total} cases; at most ${MAX_CASES}`);
  let combos: Record<string, string>[] = [{}];
  for (const axis of axes) combos = combos.flatMap((combo) => axis.values.map((value) => ({ ...combo, [axis.key]: value })));
  return combos;
}
