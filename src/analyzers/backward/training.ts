// The training cost: forward + backward per op, and the gradient sums between them.
import { countLayer, type Counts, type LayerCounts, type Totals } from '../count';
import { GRADIENT_SUMS } from '../ops';
import { countBackward, sumCounts } from './index';
import { fanOuts, gradientSumAdds, type FanOut } from './gradient-sums';

export interface BackwardRow {
  /** An op name, or GRADIENT_SUMS. */
  name: string;
  /** Backward counts under every convention that counts a backward pass. */
  counts: Counts;
}

export interface Training {
  /** One row per op, in op order, then the gradient sums row when a tensor fans out. */
  rows: BackwardRow[];
  fanOuts: FanOut[];
  /** Backward totals; forward + backward totals. Conventions that count a backward pass only. */
  backward: Counts;
  total: Counts;
}

/** A gradient sum is an add of the backward pass: each convention counts it as its forward add. */
function countGradientSums(fans: readonly FanOut[]): Counts {
  return sumCounts(fans.flatMap(gradientSumAdds).map((add) => countLayer(add).counts));
}

export interface AnalyticBackward {
  rows: BackwardRow[];
  fanOuts: FanOut[];
}

/**
 * The backward rows of an op list: one per op by the backward rules, then the gradient sums, of
 * the tensors the ops read several times unless a model file's graph says which (`fans`).
 */
export function analyticBackward(layers: readonly LayerCounts[], fans: FanOut[] = fanOuts(layers.map((layer) => layer.op))): AnalyticBackward {
  const rows = layers.map(({ op }) => ({ name: op.name, counts: countBackward(op) }));
  if (fans.length > 0) rows.push({ name: GRADIENT_SUMS, counts: countGradientSums(fans) });
  return { rows, fanOuts: fans };
}

export function trainingOf(forward: Totals, { rows, fanOuts: fans }: AnalyticBackward): Training {
  const backward = sumCounts(rows.map((row) => row.counts));
  return { rows, fanOuts: fans, backward, total: sumCounts([backward, forward.counts]) };
}
