// Parsers for option values: each turns a user's string into a value or one clear UsageError.
import { UsageError } from './errors';

/** Parses a whole number >= minimum given as `--name value`. */
export function wholeNumber(name: string, value: string, minimum = 1): number {
  const text = value.trim();
  if (text.startsWith('--')) throw new UsageError(`--${name} needs a value, got the option '${value}'`);
  if (!/^[+-]?\d+(\.\d*)?$|^[+-]?\.\d+$/.test(text)) {
    throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  }
  const n = Number(text);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  if (n < minimum) throw new UsageError(`--${name} must be at least ${minimum}, got '${value}'`);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} is too large: '${value}'`);
  return n;
}

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got '${value}'`);
}

/** `C x H x W` as in `--at 512x7x7`. */
export function chwShape(name: string, value: string): [number, number, number] {
  const parts = value.trim().toLowerCase().split('x');
  if (parts.length !== 3) throw new UsageError(`--${name} takes CxHxW, e.g. 512x7x7; got '${value}'`);
  return parts.map((part) => wholeNumber(name, part)) as [number, number, number];
}
