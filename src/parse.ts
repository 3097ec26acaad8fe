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

const BYTE_UNITS: Record<string, bigint> = { '': 1n, k: 2n ** 10n, m: 2n ** 20n, g: 2n ** 30n, t: 2n ** 40n };

/** A size in bytes: `1500000`, `512M`, `2G`, `1.5GiB` (K, M, G, T are powers of 1024). */
export function byteSize(name: string, value: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?\s*([kmgt]?)(?:i?b)?$/i.exec(value.trim());
  if (match === null) throw new UsageError(`--${name} takes a size such as 512M or 2G; got '${value}'`);
  const [, whole = '0', fraction = '', unit = ''] = match;
  const scale = BYTE_UNITS[unit.toLowerCase()] ?? 1n;
  const bytes = (BigInt(whole + fraction) * scale) / 10n ** BigInt(fraction.length);
  if (bytes === 0n) throw new UsageError(`--${name} must be more than 0 bytes; got '${value}'`);
  return bytes;
}
