// Kinds of one input that keep its shape and are one tfjs kernel (ReLU, Sigmoid, Tanh, ...):
// one ONNX op, one kernel, one formula.
import type { GraphIndex } from '../graph/graph-index';
import type { GraphNode } from '../graph/types';
import type { OpKindDefinition, Tensor, Tf } from './kind';

export interface Unary<K extends string> {
  kind: K;
  opType: string;
  kernel: string;
  run(tf: Tf, x: Tensor, node: GraphNode): Tensor;
  colour: string;
  /** When the node is this kind (default: always). */
  is?(index: GraphIndex, node: GraphNode): boolean;
}

export function unaryKind<K extends string>({ opType, kernel, run, colour, is = () => true }: Unary<K>): OpKindDefinition<K> {
  return {
    onnx: { opTypes: [opType] },
    plan: (index, m) => (is(index, m.main) ? { inputs: [m.main.inputs[0] ?? ''] } : undefined),
    runnable: () => true,
    run: (ctx, m) => run(ctx.tf, ctx.input(m.main, 0), m.main),
    kernels: { names: [kernel] },
    kernelCount: () => 1,
    colour,
  };
}
