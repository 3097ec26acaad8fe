// Parsers for option values: each turns a user's string into a value or one clear UsageError.
import { UsageError } from './errors';

/** The largest whole number an option takes: every dimension and count derived from it stays exact. */
export const LARGEST_WHOLE = BigInt(Number.MAX_SAFE_INTEGER);

/** A long value is named by its length, not echoed: the error stays one readable line. */
function quoted(value: string): string {
  return value.length <= 40 ? `'${value}'` : `a ${value.length}-character value`;
}

/**
 * Reads a whole number exactly, however many digits it has: `12`, `+12`, `12.0`. Undefined
 * when the text is not a whole number. Leading zeros are dropped before BigInt sees the digits,
 * and a value longer than the limit is known to be too large without converting it.
 */
function exactWhole(text: string): bigint | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  if (/[^0]/.test(fraction)) return undefined;
  const digits = whole.replace(/^0+/, '');
  const magnitude = digits.length > String(LARGEST_WHOLE).length ? LARGEST_WHOLE + 1n : BigInt(digits || '0');
  return sign === '-' ? -magnitude : magnitude;
}

/** Parses a whole number from `minimum` up to 2^53 - 1, given as `--name value`. */
export function wholeNumber(name: string, value: string, minimum = 1): number {
  const text = value.trim();
  if (text.startsWith('--')) throw new UsageError(`--${name} needs a value, got the option '${value}'`);
  const n = exactWhole(text);
  if (n === undefined) throw new UsageError(`--${name} must be a whole number, got ${quoted(value)}`);
  if (n < BigInt(minimum)) throw new UsageError(`--${name} must be at least ${minimum}, got ${quoted(value)}`);
  if (n > LARGEST_WHOLE) throw new UsageError(`--${name} is too large: ${quoted(value)}; at most ${LARGEST_WHOLE} (2^53 - 1)`);
  return Number(n);
}

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got '${value}'`);
}

/** `C x H x W` as in `--at 512x7x7`. */
export function chwShape(name: string, value: string): [number, number, number] {
  const parts = value.trim().toLowerCase().split('x');
  if (parts.length !== 3 || parts.some((part) => part.trim() === '')) throw new UsageError(`--${name} takes CxHxW, e.g. 512x7x7; got '${value}'`);
  return parts.map((part) => wholeNumber(name, part)) as [number, number, number];
}

const BYTE_UNITS: Record<string, bigint> = { '': 1n, k: 2n ** 10n, m: 2n ** 20n, g: 2n ** 30n, t: 2n ** 40n };

/** A size in bytes: `1500000`, `512M`, `2G`, `1.5GiB` (K, M, G, T are powers of 1024). */
export function byteSize(name: string, value: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?\s*([kmgt]?)(?:i?b)?$/i.exec(value.trim());
  if (match === null) throw new UsageError(`--${name} takes a size such as 512M or 2G; got ${quoted(value)}`);
  const [, whole = '0', fraction = '', unit = ''] = match;
  const scale = BYTE_UNITS[unit.toLowerCase()] ?? 1n;
  const bytes = (BigInt(whole + fraction) * scale) / 10n ** BigInt(fraction.length);
  if (bytes === 0n) throw new UsageError(`--${name} must be more than 0 bytes; got '${value}'`);
  return bytes;
}

const LARGEST_FIRST: readonly [string, bigint][] = [
  ['TB', 2n ** 40n],
  ['GB', 2n ** 30n],
  ['MB', 2n ** 20n],
  ['KB', 2n ** 10n],
];

/**
 * Bytes in the units byteSize reads (K, M, G, T are powers of 1024), one decimal rounded
 * down, whole units without it: `12 B`, `1.5 KB`, `4 MB`. byteSize reads the text back.
 */
export function formatBytes(bytes: bigint): string {
  for (const [unit, size] of LARGEST_FIRST) {
    if (bytes < size) continue;
    const tenths = (bytes * 10n) / size;
    return `${tenths / 10n}${tenths % 10n === 0n ? '' : `.${tenths % 10n}`} ${unit}`;
  }
  return `${bytes} B`;
}
