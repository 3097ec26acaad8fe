// Counts every op under every convention: the numbers all reports are made of.
import { CONVENTIONS, countOp } from './conventions';
import type { Op } from './ops';

export type Counts = Record<string, bigint>;

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
    for (const key of Object.keys(counts)) counts[key] = (counts[key] ?? 0n) + (layer.counts[key] ?? 0n);
  }
  return { params, buffers, counts };
}
