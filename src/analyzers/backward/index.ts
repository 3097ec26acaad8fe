// Backward counts: a rule table for the conventions that define one, a reason for the others.
import { CONVENTION_KEYS } from '../conventions';
import { countByRule } from '../conventions/convention';
import type { Counts } from '../count';
import type { Op } from '../ops';
import { flopsBackward } from './flops';
import { macsBackward } from './macs';
import { isForwardOnly, type BackwardTable, type ForwardOnly } from './table';

export { isForwardOnly, type BackwardTable, type ForwardOnly } from './table';

const forwardOnly = (why: string): ForwardOnly => ({ forwardOnly: why });

/** Every convention, keyed like CONVENTIONS: its backward rules, or why it has none. */
export const BACKWARD: Readonly<Record<string, BackwardTable | ForwardOnly>> = {
  thop: forwardOnly('counts module forward hooks: no backward pass'),
  fvcore: forwardOnly('traces the forward graph: no backward pass'),
  ptflops: forwardOnly('counts module forward hooks and patched functionals: no backward pass'),
  'ptflops-aten': forwardOnly('traces the forward ATen ops: no backward pass'),
  macs: macsBackward,
  flops: flopsBackward,
  senet: forwardOnly("the SENet paper's figures are forward passes"),
};

/** The backward rules of a convention, or undefined when it counts the forward pass only. */
export function backwardTable(key: string): BackwardTable | undefined {
  const entry = BACKWARD[key];
  return entry === undefined || isForwardOnly(entry) ? undefined : entry;
}

/** The conventions that count a backward pass, in report order. */
export const BACKWARD_KEYS: readonly string[] = CONVENTION_KEYS.filter((key) => backwardTable(key) !== undefined);

/** Backward counts of one op under every convention that counts a backward pass. */
export function countBackward(op: Op): Counts {
  const counts: Counts = {};
  for (const key of BACKWARD_KEYS) {
    const rules = backwardTable(key);
    if (rules !== undefined) counts[key] = countByRule(rules[op.kind], op);
  }
  return counts;
}
