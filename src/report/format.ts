// Number formats users expect: 91,136 and 91.136K in the style of thop's clever_format.

/** 91136 -> 91,136, in linear time. (bigint's toLocaleString would load ICU data: 10 ms at start-up.) */
export function withCommas(n: bigint): string {
  const digits = (n < 0n ? -n : n).toString();
  const groups: string[] = [];
  const head = digits.length % 3 || 3;
  groups.push(digits.slice(0, head));
  for (let i = head; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return `${n < 0n ? '-' : ''}${groups.join(',')}`;
}

const SUFFIXES: readonly [bigint, string][] = [
  [10n ** 12n, 'T'],
  [10n ** 9n, 'G'],
  [10n ** 6n, 'M'],
  [10n ** 3n, 'K'],
];

/** Exact decimal n / unit rounded half up to `digits` places. */
export function decimal(n: bigint, unit: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  const scaled = (magnitude * scale * 2n + unit) / (2n * unit);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

/** `12.34%`: part / whole in percent, exact, rounded half up to `digits` places (whole > 0). */
export function percent(part: bigint, whole: bigint, digits = 2): string {
  return `${decimal(part * 100n, whole, digits)}%`;
}

export const UNITS = ['auto', 'K', 'M', 'G'] as const;
export type Units = (typeof UNITS)[number];

/** How table and markdown show counts (--units, --precision): exact with commas unless asked. */
export interface CountStyle {
  units: Units;
  /** Decimal places. */
  precision: number;
}

const UNIT_OF: Record<Exclude<Units, 'auto'>, bigint> = { K: 10n ** 3n, M: 10n ** 6n, G: 10n ** 9n };

/** A displayed count: 91,136 exact; 91.136K (auto: the largest unit below it, as clever), 0.091M (M). */
export function displayCount(n: bigint, style: CountStyle | undefined): string {
  if (style === undefined) return withCommas(n);
  if (style.units !== 'auto') return `${decimal(n, UNIT_OF[style.units], style.precision)}${style.units}`;
  const magnitude = n < 0n ? -n : n;
  const found = SUFFIXES.find(([unit]) => magnitude > unit);
  return found === undefined ? withCommas(n) : `${decimal(n, found[0], style.precision)}${found[1]}`;
}

/** K, M, G or T above 1,000 as thop's clever_format writes them, with three decimals ("91.136K"; clever_format's default is "%.2f"). */
export function clever(n: bigint): string {
  const magnitude = n < 0n ? -n : n;
  for (const [unit, suffix] of SUFFIXES) {
    if (magnitude > unit) return `${decimal(n, unit, 3)}${suffix}`;
  }
  return `${decimal(n, 1n, 3)}B`;
}

const MEBIBYTE = 1024n * 1024n;

/** Bytes in MB as torchsummary prints them (2^20 bytes, two decimals). */
export function megabytes(bytes: bigint): string {
  return decimal(bytes, MEBIBYTE, 2);
}

/** JSON carries counts as numbers while they are safe integers, as decimal strings beyond. */
export function jsonCount(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n.toString();
}

export function milliseconds(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}
