// Backward counts: a rule table for the conventions that define one, a reason for the others.
import { CONVENTION_KEYS } from '../conventions';
import { countByRule, isSkip } from '../conventions/convention';
import type { Counts } from '../count';
import type { Op } from '../ops';
import { flopsBackward, NOT_MODELLED } from './flops';
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

/**
 * Why the backward pass of these ops cannot be counted yet, or undefined when it can: the
 * activations of the newer networks have no backward rule, and a grouped convolution's
 * gradient kernels are not read back as one op.
 */
export function backwardGap(ops: readonly Op[]): string | undefined {
  const kinds = [...new Set(ops.map((op) => op.kind))].filter((kind) => {
    const rule = flopsBackward[kind];
    return isSkip(rule) && rule.skip === NOT_MODELLED;
  });
  const grouped = ops.some((op) => op.kind === 'conv2d' && (op.attrs.groups ?? 1) > 1);
  if (kinds.length === 0 && !grouped) return undefined;
  return [...kinds, ...(grouped ? ['grouped or depthwise conv2d'] : [])].join(', ');
}
