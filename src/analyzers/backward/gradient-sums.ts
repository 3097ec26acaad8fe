// A tensor read by k ops receives k gradients; autograd adds them: k - 1 adds of its shape.
import { makeOp, type Op, type Shape } from '../ops';

/** The name `reads` gives the model input. */
export const MODEL_INPUT = 'input';

export interface FanOut {
  /** The op that produced the tensor, or `input`. */
  tensor: string;
  readers: string[];
  shape: Shape;
}

/** The ops whose outputs op i reads: its `reads`, else the previous op's output. */
function readsOf(ops: readonly Op[], i: number): readonly string[] {
  const op = ops[i];
  if (op === undefined) throw new Error(`no op at ${i}`);
  return op.reads ?? [ops[i - 1]?.name ?? MODEL_INPUT];
}

/** The tensors read by more than one op, with their readers in op order. */
export function fanOuts(ops: readonly Op[]): FanOut[] {
  const byTensor = new Map<string, FanOut>();
  ops.forEach((op, i) => {
    readsOf(ops, i).forEach((tensor, j) => {
      const shape = op.inputShapes[j];
      if (shape === undefined) throw new Error(`op ${op.name} reads ${tensor} but has no input shape ${j}`);
      const entry = byTensor.get(tensor) ?? { tensor, readers: [], shape };
      entry.readers.push(op.name);
      byTensor.set(tensor, entry);
    });
  });
  return [...byTensor.values()].filter((f) => f.readers.length > 1);
}

/** The adds autograd executes to sum the gradients of one fanned-out tensor. */
export function gradientSumAdds({ tensor, readers, shape }: FanOut): Op[] {
  return readers.slice(1).map(() => makeOp(`${tensor} gradient sum`, 'add', [shape, shape], shape));
}
