// --training as the reports show it: each op's backward counts by op name, and the gradient
// sums (the adds that sum the gradients of tensors read several times), which belong to no op.
import { GRADIENT_SUMS } from '../../analyzers/ops';
import type { Training } from '../../analyzers/backward/training';
import type { Counts } from '../../analyzers/count';

export interface TrainingView {
  /** Backward counts of each op, by op name. */
  byOp: ReadonlyMap<string, Counts>;
  /** The gradient sums' backward counts, when a tensor is read by several ops. */
  gradientSums: Counts | undefined;
}

/** How the gradient sums row is labelled in tables and CSV. */
export const GRADIENT_SUMS_LABEL = GRADIENT_SUMS;

/** The one place that knows the analyzers list the gradient sums as a row of their own. */
export function trainingView(training: Training): TrainingView {
  const byOp = new Map<string, Counts>();
  let gradientSums: Counts | undefined;
  for (const row of training.rows) {
    if (row.name === GRADIENT_SUMS) gradientSums = row.counts;
    else byOp.set(row.name, row.counts);
  }
  return { byOp, gradientSums };
}
