// Counts every op under every convention: the numbers all reports are made of.
import { CONVENTION_KEYS, CONVENTIONS, countOp, type ConventionKey } from './conventions';
import type { Op } from './ops';

/** Counts by convention: every convention for a forward pass, those that count one for a backward pass. */
export type Counts = Partial<Record<ConventionKey, bigint>>;

/** The counts present, in report order. */
export function countEntries(counts: Counts): [ConventionKey, bigint][] {
  return CONVENTION_KEYS.flatMap((key): [ConventionKey, bigint][] => {
    const n = counts[key];
    return n === undefined ? [] : [[key, n]];
  });
}

export interface LayerCounts {
  op: Op;
  counts: Counts;
}

export interface Totals {
  params: bigint;
  buffers: bigint;
  counts: Counts;
}

export function countLayer(op: Op): LayerCounts {
  const counts: Counts = {};
  for (const convention of CONVENTIONS) counts[convention.key] = countOp(convention, op);
  return { op, counts };
}

export function totalsOf(layers: readonly LayerCounts[]): Totals {
  const counts: Counts = {};
  for (const convention of CONVENTIONS) counts[convention.key] = 0n;
  let params = 0n;
  let buffers = 0n;
  for (const layer of layers) {
    params += layer.op.params;
    buffers += layer.op.buffers;
    for (const { key } of CONVENTIONS) counts[key] = (counts[key] ?? 0n) + (layer.counts[key] ?? 0n);
  }
  return { params, buffers, counts };
}
