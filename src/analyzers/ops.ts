// The one currency of seprof: a list of executed operations, NCHW like PyTorch.
// The analytic and measured paths both produce Op[]; conventions count them.
import type { OpKind } from '../model/kinds/names';
import type { OpAttrs, Shape } from './op-fields';

export { OP_KINDS, type OpKind } from '../model/kinds/names';
export { dim, formatShape, numel, toDim, type OpAttrs, type Shape } from './op-fields';

/** The backward-only row: the adds that sum the gradients of tensors read several times. */
export const GRADIENT_SUMS = '(gradient sums)';

export interface Op {
  /** Path in the model, PyTorch style: `fc1`, `se.fc1`, `layer2.0.conv1`. */
  name: string;
  kind: OpKind;
  inputShapes: Shape[];
  outputShape: Shape;
  attrs: OpAttrs;
  /** Trainable parameters. */
  params: bigint;
  /** Non-trainable state (batchnorm running mean and variance). */
  buffers: bigint;
  /**
   * The ops whose outputs this op reads, `input` for the model input. Absent: the previous
   * op's output (a chain). The backward pass sums the gradients of a tensor read twice.
   */
  reads?: readonly string[];
}

/** The first input, which every op has. */
export function input(op: Op): Shape {
  const shape = op.inputShapes[0];
  if (shape === undefined) throw new Error(`op ${op.name} has no input`);
  return shape;
}

export function makeOp(
  name: string,
  kind: OpKind,
  inputShapes: Shape[],
  outputShape: Shape,
  extra: Partial<Pick<Op, 'attrs' | 'params' | 'buffers' | 'reads'>> = {},
): Op {
  if (!outputShape.every(Number.isSafeInteger)) throw new Error(`op ${name}: output shape [${outputShape.join(', ')}] is not exact`);
  return { name, kind, inputShapes, outputShape, attrs: {}, params: 0n, buffers: 0n, ...extra };
}
