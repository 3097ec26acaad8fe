// A shape rule: one ONNX op's output shapes (and values, for constants it can fold) from
// its inputs' shapes and values.
import { fail, wholeNumber, type TensorInfo } from '../tensor-info';
import type { GraphNode } from '../types';

export interface RuleInput {
  node: GraphNode;
  /** One per node input; undefined where an optional input is left out. */
  inputs: readonly (TensorInfo | undefined)[];
  opset: number;
}

export type ShapeRule = (x: RuleInput) => TensorInfo[];

/** The i-th input, which the op requires. */
export function need(x: RuleInput, i: number): TensorInfo {
  const info = x.inputs[i];
  if (info === undefined) fail(`input ${i} is missing`);
  return info;
}

/** A tensor's values, which the op needs to know its output shape (a constant in the graph). */
export function constantInts(x: RuleInput, i: number, what: string): readonly bigint[] {
  const info = need(x, i);
  if (info.values === undefined) fail(`its ${what} (input ${i}) is computed from data, not from shapes: seprof needs it constant`);
  return info.values.kind === 'int'
    ? info.values.data
    : info.values.data.map((v) => wholeNumber(Number.isFinite(v) ? Math.trunc(v) : v, `its ${what} (input ${i})`));
}
