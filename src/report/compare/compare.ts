// compare: what moved between two reports, and whether it moved too far.
// Counts are exact integers: by default a count that grew fails and one that shrank is an
// improvement (--fail-on); --tolerance allows a relative change, for all quantities or per one.
// Latency is noise between runs and machines: reported, and failing only with --latency-tolerance.
// SE's time (--se-latency) carries its own noise as 95% intervals: intervals that overlap are
// within noise, and only one apart and above by more than --se-latency-tolerance fails.
import { CONVENTION_KEYS } from '../../analyzers/conventions';
import { UsageError } from '../../errors';
import { overlaps } from '../../analyzers/measured/interval';
import type { Bounds, ReadCase, ReadReport } from '../report/document';
import { milliseconds, percent, withCommas } from '../format';
import { intervalCell } from '../profile/se-latency';
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

/** The quantities a tolerance may name: the ones every report case carries. */
export const TOLERANCE_QUANTITIES: readonly string[] = ['params', 'buffers', ...CONVENTION_KEYS];

/** One tolerance for every quantity, and the ones named for a quantity. */
export interface Tolerances {
  tolerance: Tolerance;
  quantityTolerances: Map<string, Tolerance>;
}

/**
 * `--tolerance` values, each `0.01`, `1%` (every quantity) or `QUANTITY=VALUE`, comma-separated
 * or repeated: `--tolerance 1% --tolerance params=0,thop=0.5%`.
 */
export function parseTolerances(option: string, texts: readonly string[]): Tolerances {
  const tolerances: Tolerances = { tolerance: EXACT, quantityTolerances: new Map() };
  for (const item of texts.flatMap((text) => text.split(','))) {
    const at = item.indexOf('=');
    if (at < 0) {
      tolerances.tolerance = parseTolerance(option, item);
      continue;
    }
    const quantity = item.slice(0, at).trim();
    if (!TOLERANCE_QUANTITIES.includes(quantity)) {
      throw new UsageError(`${option}: unknown quantity '${quantity.slice(0, 40)}'; one of ${TOLERANCE_QUANTITIES.join(', ')}`);
    }
    tolerances.quantityTolerances.set(quantity, parseTolerance(`${option} ${quantity}`, item.slice(at + 1)));
  }
  return tolerances;
}

/** Which way a count may not move beyond its tolerance. */
export const FAIL_ON = ['increase', 'decrease', 'change'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function parseFailOn(option: string, text: string): FailOn {
  const found = FAIL_ON.find((f) => f === text);
  if (found === undefined) throw new UsageError(`${option} must be one of ${FAIL_ON.join(', ')}, got '${text.slice(0, 40)}'`);
  return found;
}

export type DeltaStatus = 'same' | 'within tolerance' | 'increased' | 'decreased' | 'changed' | 'reported' | 'ok' | 'slower' | 'within noise' | 'apart';

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

/** One case's change in a sentence: `SE blocks 0 → 1, +512 params, +0.30% thop`. */
export interface CaseSummary {
  case: string;
  text: string;
  fails: boolean;
}

export interface Comparison {
  tolerance: string;
  /** Tolerances named for one quantity, as given. */
  quantityTolerances: Record<string, string>;
  failOn: FailOn;
  latencyTolerance: string | null;
  /** Given only with --se-latency-tolerance. */
  seLatencyTolerance?: string;
  /** Cases whose latency both reports recorded, so that it was compared. */
  latencyCompared: number;
  /** Cases in both reports. */
  compared: number;
  added: string[];
  removed: string[];
  deltas: Delta[];
  /** Each case that moved, in a sentence. */
  summaries: CaseSummary[];
  /** Deltas that fail, and removed cases: the reasons for exit 1. */
  failures: string[];
  /** Counts that moved beyond their tolerance the way that does not fail (smaller, by default). */
  improvements: string[];
}

export interface CompareOptions {
  /** For every quantity not in `quantityTolerances`. */
  tolerance: Tolerance;
  quantityTolerances?: ReadonlyMap<string, Tolerance> | undefined;
  /** Default `increase`. */
  failOn?: FailOn | undefined;
  latencyTolerance?: Tolerance | undefined;
  /** SE's time fails when its new interval lies above the base's by more than this fraction (of the model's time). */
  seLatencyTolerance?: Tolerance | undefined;
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

/** Whether a move beyond tolerance, up (+1) or down (-1), fails. */
const failsWay = (direction: number, failOn: FailOn): boolean => failOn === 'change' || (direction > 0 ? failOn === 'increase' : failOn === 'decrease');

function countDelta(name: string, quantity: string, base: bigint | undefined, next: bigint | undefined, tolerance: Tolerance, failOn: FailOn): Delta {
  if (base === undefined || next === undefined) {
    const [b, n] = [base === undefined ? '(absent)' : withCommas(base), next === undefined ? '(absent)' : withCommas(next)];
    return wordDelta(name, quantity, b, n, true, { base: base ?? null, new: next ?? null, change: null });
  }
  const diff = next - base;
  const within = abs(diff) * tolerance.denominator <= tolerance.numerator * abs(base);
  const status: DeltaStatus = diff === 0n ? 'same' : within ? 'within tolerance' : diff > 0n ? 'increased' : 'decreased';
  return {
    case: name,
    quantity,
    base: withCommas(base),
    new: withCommas(next),
    change: signed(withCommas(abs(diff)), sign(diff)),
    percent: percentOf(diff, base),
    status,
    fails: !within && failsWay(sign(diff), failOn),
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

/** SE's time compared as intervals: overlapping ones are the same within noise; the points alone say nothing. */
function seDelta(name: string, quantity: string, base: Bounds, next: Bounds, signedValues: boolean, tolerance: Tolerance | undefined): Delta {
  const diff = next.value - base.value;
  const known = [base.low, base.high, next.low, next.high].every(Number.isFinite);
  const limit = tolerance === undefined ? undefined : base.high + Number(tolerance.numerator) / Number(tolerance.denominator);
  const status: DeltaStatus = !known ? 'reported' : overlaps(base, next) ? 'within noise' : limit !== undefined && next.low > limit ? 'slower' : 'apart';
  return {
    case: name,
    quantity,
    base: intervalCell(base, signedValues),
    new: intervalCell(next, signedValues),
    change: `${signed(Math.abs(diff * 100).toFixed(2), Math.sign(diff))} pt`,
    percent: '',
    status,
    fails: status === 'slower',
    values: { base: base.value, new: next.value, change: diff },
  };
}

function caseDeltas(base: ReadCase, next: ReadCase, options: CompareOptions): Delta[] {
  const name = base.name;
  const deltas: Delta[] = [];
  if (base.spec !== next.spec) {
    // Shown cut short (JSON keeps them whole): a hand-edited spec may be megabytes long.
    deltas.push(
      wordDelta(name, 'spec', abbreviated(base.spec, SHOWN_SPEC), abbreviated(next.spec, SHOWN_SPEC), true, { base: base.spec, new: next.spec, change: null }),
    );
  }
  const quantities = new Set([...base.quantities.keys(), ...next.quantities.keys()]);
  const failOn = options.failOn ?? 'increase';
  for (const q of quantities) {
    const tolerance = options.quantityTolerances?.get(q) ?? options.tolerance;
    deltas.push(countDelta(name, q, base.quantities.get(q), next.quantities.get(q), tolerance, failOn));
  }
  // A cross-check that now fails is a regression, and one that no longer fails is news;
  // measured against analytic-only (match against skipped) is neither.
  if (base.check !== next.check && (base.check === 'mismatch' || next.check === 'mismatch')) {
    deltas.push(wordDelta(name, 'check', base.check, next.check, next.check === 'mismatch', { base: base.check, new: next.check, change: null }));
  }
  if (base.latencyMs !== null && next.latencyMs !== null) deltas.push(latencyDelta(name, base.latencyMs, next.latencyMs, options.latencyTolerance));
  if (base.se !== null && next.se !== null) {
    deltas.push(seDelta(name, 'SE adds %', base.se.adds, next.se.adds, true, options.seLatencyTolerance));
    deltas.push(seDelta(name, 'SE time share', base.se.share, next.se.share, false, options.seLatencyTolerance));
  }
  return deltas;
}

/** Changed spec fields a sentence names; a hand-edited spec may change thousands. */
const SHOWN_FIELDS = 5;

/** What in a spec changed: `reduction 16 → 8`, fields on one side only as absent, each value cut short. */
function specChanges(base: ReadCase, next: ReadCase): string[] {
  const fields = new Set([...base.specFields.keys(), ...next.specFields.keys()]);
  const changed = [...fields].filter((f) => base.specFields.get(f) !== next.specFields.get(f));
  const shown = (value: string | undefined): string => abbreviated(value ?? '(absent)', SHOWN_SPEC);
  const parts = changed.slice(0, SHOWN_FIELDS).map((f) => `${abbreviated(f, SHOWN_SPEC)} ${shown(base.specFields.get(f))} → ${shown(next.specFields.get(f))}`);
  return changed.length > SHOWN_FIELDS ? [...parts, `${changed.length - SHOWN_FIELDS} more spec fields`] : parts;
}

/** The convention a sentence gives in percent: thop, the CLI's default, when it moved, else the first that did. */
function leadConvention(moved: readonly Delta[]): Delta | undefined {
  const conventions = moved.filter((d) => (CONVENTION_KEYS as readonly string[]).includes(d.quantity));
  return conventions.find((d) => d.quantity === 'thop') ?? conventions[0];
}

/**
 * One case's change in a sentence, the spec first, then SE blocks, params and buffers as
 * signed counts, one convention in percent, the check and latency: `SE blocks 0 → 1, +512
 * params, +0.30% thop`. Undefined when nothing moved.
 */
function caseSummary(base: ReadCase, next: ReadCase, deltas: readonly Delta[]): CaseSummary | undefined {
  const moved = deltas.filter((d) => d.status !== 'same' && d.status !== 'reported' && d.status !== 'ok');
  const parts = specChanges(base, next);
  if (base.seBlocks !== null && next.seBlocks !== null && base.seBlocks !== next.seBlocks) parts.push(`SE blocks ${base.seBlocks} → ${next.seBlocks}`);
  for (const quantity of ['params', 'buffers']) {
    const d = moved.find((m) => m.quantity === quantity);
    if (d !== undefined) parts.push(d.change === '' ? `${quantity} ${d.base} → ${d.new}` : `${d.change} ${quantity}`);
  }
  const lead = leadConvention(moved);
  if (lead !== undefined) parts.push(lead.percent === '' ? `${lead.quantity} ${lead.base} → ${lead.new}` : `${lead.percent} ${lead.quantity}`);
  const others = moved.filter((d) => d !== lead && (CONVENTION_KEYS as readonly string[]).includes(d.quantity)).length;
  if (others > 0) parts.push(`${others} other convention(s) moved`);
  const check = deltas.find((d) => d.quantity === 'check');
  if (check !== undefined) parts.push(`check ${check.base} → ${check.new}`);
  const latency = deltas.find((d) => d.quantity === 'latency ms' && d.status === 'slower');
  if (latency !== undefined) parts.push(`latency ${latency.percent}`);
  // SE's time only when its intervals are apart: within noise is no news.
  for (const d of deltas.filter((d) => d.quantity.startsWith('SE ') && (d.status === 'apart' || d.status === 'slower')))
    parts.push(`${d.quantity} ${d.change}`);
  if (parts.length === 0) return undefined;
  return { case: base.name, text: parts.join(', '), fails: deltas.some((d) => d.fails) };
}

/** A latency tolerance needs latencies on both sides; with none, it would check nothing and pass. */
function assertLatencyComparable(base: ReadReport, next: ReadReport, tolerance: Tolerance, compared: number): void {
  if (compared > 0) return;
  const without = [base, next].filter((r) => r.cases.every((c) => c.latencyMs === null)).map((r) => r.label);
  const which = without.length === 0 ? 'no case has one in both' : `${without.join(' and ')} record${without.length === 1 ? 's' : ''} none`;
  throw new UsageError(
    `latency tolerance ${tolerance.text} would check nothing: ${which} (a seprof baseline file never does); compare two reports made with --latency, or drop the latency tolerance`,
  );
}

const describeMove = (d: Delta): string => `${d.case} ${d.quantity} ${d.base} -> ${d.new}`;

export function compareReports(base: ReadReport, next: ReadReport, options: CompareOptions): Comparison {
  const nextByName = new Map(next.cases.map((c) => [c.name, c]));
  const baseNames = new Set(base.cases.map((c) => c.name));
  const deltas: Delta[] = [];
  const summaries: CaseSummary[] = [];
  const removed: string[] = [];
  let latencyCompared = 0;
  for (const b of base.cases) {
    const n = nextByName.get(b.name);
    if (n === undefined) {
      removed.push(b.name);
      continue;
    }
    const moved = caseDeltas(b, n, options);
    deltas.push(...moved);
    if (b.latencyMs !== null && n.latencyMs !== null) latencyCompared++;
    const summary = caseSummary(b, n, moved);
    if (summary !== undefined) summaries.push(summary);
  }
  if (options.latencyTolerance !== undefined) assertLatencyComparable(base, next, options.latencyTolerance, latencyCompared);
  if (options.seLatencyTolerance !== undefined && !deltas.some((d) => d.quantity === 'SE adds %')) {
    throw new UsageError(
      `SE latency tolerance ${options.seLatencyTolerance.text} would check nothing: no case has an SE latency in both reports; compare two reports made with --se-latency, or drop the tolerance`,
    );
  }
  const failures = [...deltas.filter((d) => d.fails).map(describeMove), ...removed.map((name) => `${name} removed`)];
  const improvements = deltas.filter((d) => !d.fails && (d.status === 'increased' || d.status === 'decreased')).map(describeMove);
  return {
    tolerance: options.tolerance.text,
    quantityTolerances: Object.fromEntries([...(options.quantityTolerances ?? [])].map(([q, t]) => [q, t.text])),
    failOn: options.failOn ?? 'increase',
    latencyTolerance: options.latencyTolerance?.text ?? null,
    ...(options.seLatencyTolerance && { seLatencyTolerance: options.seLatencyTolerance.text }),
    latencyCompared,
    compared: base.cases.length - removed.length,
    added: next.cases.filter((c) => !baseNames.has(c.name)).map((c) => c.name),
    removed,
    deltas,
    summaries,
    failures,
    improvements,
  };
}
