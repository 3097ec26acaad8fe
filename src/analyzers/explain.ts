// What each convention counts for one model, and why they differ: every word comes from the
// convention tables (forward and backward), every number from the profile's op counts.
import { BACKWARD_KEYS, backwardTable } from './backward';
import { CONVENTION_KEYS, conventionOf, isSkip, PUBLIC_COUNTERS, type ConventionKey, type Rule, type Skip } from './conventions';
import type { Counts } from './count';
import type { Op, OpKind } from './ops';
import type { Profile } from './profile';

/** How one convention counts one op kind in this model. */
export interface RuleUse {
  key: ConventionKey;
  /** Summed over the model's ops of this kind. */
  count: bigint;
  /** The rule's formula, or the reason the kind is skipped. */
  rule: string;
  skipped: boolean;
}

export interface KindExplanation {
  kind: OpKind;
  ops: Op[];
  /** The reference convention first, then the others explained. */
  forward: RuleUse[];
  /** With --training: the conventions that count a backward pass. */
  backward: RuleUse[];
}

export interface KindDifference {
  kind: OpKind;
  /** This convention's count minus the reference's. */
  delta: bigint;
  rule: RuleUse;
  referenceRule: RuleUse;
}

export interface Difference {
  key: ConventionKey;
  total: bigint;
  referenceTotal: bigint;
  delta: bigint;
  byKind: KindDifference[];
}

export interface LeftOut extends RuleUse {
  kind: OpKind;
}

export interface BlindSpot {
  kind: OpKind;
  /** What seprof's own conventions count for it, those that count it. */
  counts: Counts;
}

export interface Explanation {
  profile: Profile;
  /** The conventions explained, in report order. */
  keys: ConventionKey[];
  /** The convention the others are compared with. */
  reference: ConventionKey;
  kinds: KindExplanation[];
  differences: Difference[];
  /** Per convention, the op kinds of this model it counts as 0. */
  leftOut: Partial<Record<ConventionKey, LeftOut[]>>;
  /** Op kinds that every public counter leaves out. */
  blindSpots: BlindSpot[];
}

function describe(rule: Rule | Skip): Pick<RuleUse, 'rule' | 'skipped'> {
  return isSkip(rule) ? { rule: rule.reason, skipped: true } : { rule: rule.formula, skipped: false };
}

const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

function explainKind(profile: Profile, kind: OpKind, keys: readonly ConventionKey[]): KindExplanation {
  const { layers, training } = profile;
  const indices = layers.flatMap((layer, i) => (layer.op.kind === kind ? [i] : []));
  const forward = keys.map((key): RuleUse => {
    const convention = conventionOf(key);
    const count = sum(indices.map((i) => layers[i]?.counts[key] ?? 0n));
    const described = describe(convention.rules[kind]);
    const byFunction = convention.notByModule !== undefined && indices.some((i) => layers[i]?.op.attrs.origin !== undefined);
    return { key, count, ...described, ...(byFunction && { rule: `${described.rule}; ${convention.notByModule}` }) };
  });
  const backwardKeys = BACKWARD_KEYS.filter((key) => keys.includes(key));
  const backward =
    training === undefined
      ? []
      : backwardKeys.map((key): RuleUse => {
          const table = backwardTable(key);
          if (table === undefined) throw new Error(`${key} counts no backward pass`);
          const count = sum(indices.map((i) => training.rows[i]?.counts[key] ?? 0n));
          return { key, count, ...describe(table[kind]) };
        });
  return { kind, ops: indices.flatMap((i) => layers[i]?.op ?? []), forward, backward };
}

/** The forward rule use of one convention for one kind. */
function ruleUse(kind: KindExplanation, key: ConventionKey): RuleUse {
  const found = kind.forward.find((u) => u.key === key);
  if (found === undefined) throw new Error(`no ${key} count for ${kind.kind}`);
  return found;
}

function difference(profile: Profile, kinds: readonly KindExplanation[], key: ConventionKey, reference: ConventionKey): Difference {
  const total = profile.totals.counts[key] ?? 0n;
  const referenceTotal = profile.totals.counts[reference] ?? 0n;
  const byKind = kinds
    .map((k) => {
      const [rule, referenceRule] = [ruleUse(k, key), ruleUse(k, reference)];
      return { kind: k.kind, delta: rule.count - referenceRule.count, rule, referenceRule };
    })
    .filter((d) => d.delta !== 0n);
  return { key, total, referenceTotal, delta: total - referenceTotal, byKind };
}

const isPublic = (key: ConventionKey): boolean => PUBLIC_COUNTERS.some((c) => c.key === key);

export function explain(profile: Profile, keys: readonly ConventionKey[], reference: ConventionKey): Explanation {
  const explained = [...new Set([reference, ...keys])];
  const opKinds = [...new Set(profile.layers.map((layer) => layer.op.kind))];
  const kinds = opKinds.map((kind) => explainKind(profile, kind, explained));
  const leftOut: Explanation['leftOut'] = Object.fromEntries(
    explained.map((key) => [
      key,
      kinds.flatMap((k) => {
        const use = ruleUse(k, key);
        return use.count === 0n ? [{ ...use, kind: k.kind }] : [];
      }),
    ]),
  );
  // Judged on every convention, whichever were asked for: "counted by no public counter".
  const blindSpots = opKinds
    .map((kind) => explainKind(profile, kind, CONVENTION_KEYS))
    .filter((k) => k.forward.every((u) => !isPublic(u.key) || u.count === 0n))
    .map(
      (k): BlindSpot => ({ kind: k.kind, counts: Object.fromEntries(k.forward.filter((u) => !isPublic(u.key) && u.count > 0n).map((u) => [u.key, u.count])) }),
    );
  return {
    profile,
    keys: explained,
    reference,
    kinds,
    differences: explained.filter((key) => key !== reference).map((key) => difference(profile, kinds, key, reference)),
    leftOut,
    blindSpots,
  };
}
