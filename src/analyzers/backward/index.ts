// Backward counts: each convention carries its backward rules, or why it has none.
import { CONVENTIONS, countByRule, isForwardOnly, type ConventionKey, type ForwardOnly, type RuleTable } from '../conventions';
import type { Counts } from '../count';
import type { Op } from '../ops';

export { isForwardOnly } from '../conventions';

/** Every convention, in report order: its backward rules, or why it has none. */
export const BACKWARD: Readonly<Record<ConventionKey, RuleTable | ForwardOnly>> = Object.fromEntries(CONVENTIONS.map((c) => [c.key, c.backward])) as Record<
  ConventionKey,
  RuleTable | ForwardOnly
>;

/** The backward rules of a convention, or undefined when it counts the forward pass only. */
export function backwardTable(key: ConventionKey): RuleTable | undefined {
  const entry = BACKWARD[key];
  return isForwardOnly(entry) ? undefined : entry;
}

/** The conventions that count a backward pass, in report order. */
export const BACKWARD_KEYS: readonly ConventionKey[] = CONVENTIONS.flatMap((c) => (isForwardOnly(c.backward) ? [] : [c.key]));

/** Backward counts of one op under every convention that counts a backward pass. */
export function countBackward(op: Op): Counts {
  const counts: Counts = {};
  // An op computed from constants only (Swin's attention mask) is off autograd's tape: no backward pass.
  for (const { key, backward } of CONVENTIONS) if (!isForwardOnly(backward)) counts[key] = op.attrs.frozen === 'all' ? 0n : countByRule(backward[op.kind], op);
  return counts;
}

/** Sums rows of counts over the conventions that count a backward pass. */
export function sumCounts(rows: readonly Counts[]): Counts {
  const sum: Counts = Object.fromEntries(BACKWARD_KEYS.map((key) => [key, 0n]));
  for (const counts of rows) for (const key of BACKWARD_KEYS) sum[key] = (sum[key] ?? 0n) + (counts[key] ?? 0n);
  return sum;
}
