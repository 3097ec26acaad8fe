// compare: what moved between two reports, and whether it moved too far.
// Counts are exact integers: by default any change fails; --tolerance allows a relative one.
// Latency is noise between runs and machines: reported, and failing only with --latency-tolerance.
import { UsageError } from '../../errors';
import type { ReadCase, ReadReport } from '../report/document';
import { milliseconds, percent, withCommas } from '../format';
import { abbreviated } from '../text';

/** A relative tolerance as an exact fraction: 0.01 and 1% are both 1/100. */
export interface Tolerance {
  text: string;
  numerator: bigint;
  denominator: bigint;
}

export function parseTolerance(option: string, text: string): Tolerance {
  const match = /^\s*(\d+)(?:\.(\d+))?\s*(%?)\s*$/.exec(text);
  if (match === null) throw new UsageError(`${option} must be a fraction such as 0.01 or a percentage such as 1%, got '${text}'`);
  const [, whole = '', fraction = '', percent] = match;
  const denominator = 10n ** BigInt(fraction.length) * (percent === '%' ? 100n : 1n);
  return { text: text.trim(), numerator: BigInt(whole + fraction), denominator };
}

/** How much of a changed spec the table, markdown, JUnit and stderr show. */
const SHOWN_SPEC = 120;

export const EXACT: Tolerance = { text: '0', numerator: 0n, denominator: 1n };

export type DeltaStatus = 'same' | 'within tolerance' | 'changed' | 'reported' | 'ok' | 'slower';

export interface Delta {
  case: string;
  quantity: string;
  base: string;
  new: string;
  /** Signed absolute change, '' when it has no meaning (spec, check). */
  change: string;
  /** Signed percent change of the base, '' when it has none. */
  percent: string;
  status: DeltaStatus;
  fails: boolean;
  /** The same as values, for JSON: exact counts, milliseconds, or text (spec, check); null when absent. */
  values: { base: DeltaValue; new: DeltaValue; change: DeltaValue };
}

export type DeltaValue = bigint | number | string | null;

export interface Comparison {
  tolerance: string;
  latencyTolerance: string | null;
  /** Cases in both reports. */
  compared: number;
  added: string[];
  removed: string[];
  deltas: Delta[];
  /** Deltas that fail, and removed cases: the reasons for exit 1. */
  failures: string[];
}

export interface CompareOptions {
  tolerance: Tolerance;
  latencyTolerance?: Tolerance | undefined;
}

/** A magnitude with the sign of `direction` in front: -1, +1, or 0 for none. */
const signed = (magnitude: string, direction: number): string => `${direction < 0 ? '-' : direction > 0 ? '+' : ''}${magnitude}`;
const abs = (n: bigint): bigint => (n < 0n ? -n : n);
const sign = (n: bigint): number => (n < 0n ? -1 : n > 0n ? 1 : 0);

/** The change in percent of the base, exact, with as many decimals as it takes to not read 0 (up to 6). */
function percentOf(diff: bigint, base: bigint): string {
  if (base === 0n) return diff === 0n ? '0.00%' : 'new';
  let digits = 2;
  const text = (): string => percent(abs(diff), abs(base), digits);
  while (diff !== 0n && /^[0.]+%$/.test(text()) && digits < 6) digits++;
  return signed(text(), sign(diff));
}

/** A delta shown as words, no change or percent: a spec, a check, a count present on one side only; `changed` when it fails. */
function wordDelta(name: string, quantity: string, base: string, next: string, fails: boolean, values: Delta['values']): Delta {
  return { case: name, quantity, base, new: next, change: '', percent: '', status: fails ? 'changed' : 'reported', fails, values };
}

function countDelta(name: string, quantity: string, base: bigint | undefined, next: bigint | undefined, tolerance: Tolerance): Delta {
  if (base === undefined || next === undefined) {
    const [b, n] = [base === undefined ? '(absent)' : withCommas(base), next === undefined ? '(absent)' : withCommas(next)];
    return wordDelta(name, quantity, b, n, true, { base: base ?? null, new: next ?? null, change: null });
  }
  const diff = next - base;
  const within = abs(diff) * tolerance.denominator <= tolerance.numerator * abs(base);
  const status: DeltaStatus = diff === 0n ? 'same' : within ? 'within tolerance' : 'changed';
  return {
    case: name,
    quantity,
    base: withCommas(base),
    new: withCommas(next),
    change: signed(withCommas(abs(diff)), sign(diff)),
    percent: percentOf(diff, base),
    status,
    fails: status === 'changed',
    values: { base, new: next, change: diff },
  };
}

function latencyDelta(name: string, base: number, next: number, tolerance: Tolerance | undefined): Delta {
  const diff = next - base;
  const limit = tolerance === undefined ? undefined : base * (1 + Number(tolerance.numerator) / Number(tolerance.denominator));
  const status: DeltaStatus = limit === undefined ? 'reported' : next > limit ? 'slower' : 'ok';
  return {
    case: name,
    quantity: 'latency ms',
    base: milliseconds(base),
    new: milliseconds(next),
    change: signed(milliseconds(Math.abs(diff)), Math.sign(diff)),
    percent: base > 0 ? `${signed(Math.abs((diff / base) * 100).toFixed(2), Math.sign(diff))}%` : '',
    status,
    fails: status === 'slower',
    values: { base, new: next, change: diff },
  };
}

function caseDeltas(base: ReadCase, next: ReadCase, options: CompareOptions): Delta[] {
  const name = base.name;
  const deltas: Delta[] = [];
  if (base.spec !== next.spec) {
    // Shown cut short (JSON keeps them whole): a hand-edited spec may be megabytes long.
    deltas.push(wordDelta(name, 'spec', abbreviated(base.spec, SHOWN_SPEC), abbreviated(next.spec, SHOWN_SPEC), true, { base: base.spec, new: next.spec, change: null }));
  }
  const quantities = new Set([...base.quantities.keys(), ...next.quantities.keys()]);
  for (const q of quantities) deltas.push(countDelta(name, q, base.quantities.get(q), next.quantities.get(q), options.tolerance));
  // A cross-check that now fails is a regression, and one that no longer fails is news;
  // measured against analytic-only (match against skipped) is neither.
  if (base.check !== next.check && (base.check === 'mismatch' || next.check === 'mismatch')) {
    deltas.push(wordDelta(name, 'check', base.check, next.check, next.check === 'mismatch', { base: base.check, new: next.check, change: null }));
  }
  if (base.latencyMs !== null && next.latencyMs !== null) deltas.push(latencyDelta(name, base.latencyMs, next.latencyMs, options.latencyTolerance));
  return deltas;
}

export function compareReports(base: ReadReport, next: ReadReport, options: CompareOptions): Comparison {
  const nextByName = new Map(next.cases.map((c) => [c.name, c]));
  const baseNames = new Set(base.cases.map((c) => c.name));
  const deltas: Delta[] = [];
  const removed: string[] = [];
  for (const b of base.cases) {
    const n = nextByName.get(b.name);
    if (n === undefined) removed.push(b.name);
    else for (const delta of caseDeltas(b, n, options)) deltas.push(delta);
  }
  const failures = [
    ...deltas.filter((d) => d.fails).map((d) => `${d.case} ${d.quantity} ${d.base} -> ${d.new}`),
    ...removed.map((name) => `${name} removed`),
  ];
  return {
    tolerance: options.tolerance.text,
    latencyTolerance: options.latencyTolerance?.text ?? null,
    compared: base.cases.length - removed.length,
    added: next.cases.filter((c) => !baseNames.has(c.name)).map((c) => c.name),
    removed,
    deltas,
    failures,
  };
}
