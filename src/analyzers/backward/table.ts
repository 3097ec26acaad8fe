// Which conventions count a backward pass, and how: one rule table per convention, keyed by
// op kind, like the forward tables. The public counters profile the forward pass only.
import type { Rule, Skip } from '../conventions/convention';
import type { OpKind } from '../ops';

export type BackwardTable = Record<OpKind, Rule | Skip>;

/** A convention that has no backward count, and why. */
export interface ForwardOnly {
  forwardOnly: string;
}

export function isForwardOnly(entry: BackwardTable | ForwardOnly): entry is ForwardOnly {
  return 'forwardOnly' in entry;
}
