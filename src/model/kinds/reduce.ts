// torch.sum, torch.amax, torch.amin over any axes (x.sum(0), YOLOv9's CBFuse
// `torch.sum(torch.stack(xs), dim=0)`): ONNX ReduceSum, ReduceMax, ReduceMin, functional in
// PyTorch. The executor reduces the tensor in the graph's (NCHW) order, so the axes are the
// file's and a rank change (5-D stack to a 4-D map) stores the result as any other (a 4-D input
// whose result keeps its axes' order is reduced as stored, no moves); the tfjs
// kernels Sum, Max, Min, read back as this kind when the layer says so (a softmax's or a
// layernorm's Sum is theirs).
import { reduceAxes } from '../graph/op-attrs';
import type { GraphIndex } from '../graph/graph-index';
import { attrInt, type GraphNode } from '../graph/types';
import { draft, shapeAt, storedAxis } from './kernel-reading';
import type { OpKindDefinition, Tensor } from './kind';
import { toGraphOrder, toStored } from './layout';

type Reduction = 'sum' | 'max' | 'min';

const OP_TYPES: Readonly<Record<Reduction, string>> = { sum: 'ReduceSum', max: 'ReduceMax', min: 'ReduceMin' };
const KERNELS: Readonly<Record<Reduction, string>> = { sum: 'Sum', max: 'Max', min: 'Min' };

export interface Plan {
  /** NCHW axes; undefined is every axis (ONNX with no axes). */
  axes: number[] | undefined;
  keep: boolean;
  /** Whether the stored tensor is reduced as it is: a 4-D input whose result keeps the graph's order of the axes left. */
  stored: boolean;
  /** Layout moves around the kernel otherwise: a 4-D input to the graph's order, a 4-D result to storage. */
  moves: number;
}

export function reducePlan(index: GraphIndex, node: GraphNode): Plan {
  const rank = index.shape(node.inputs[0] ?? '').length;
  const given = reduceAxes(index.g, node);
  const axes = given.length === 0 ? undefined : given;
  const keep = attrInt(node, 'keepdims', 1n) === 1n;
  const left = (order: number[]): number[] => order.filter((a) => !(axes ?? order).includes(a));
  const stored = rank === 4 && (keep || left([0, 1, 2, 3]).join() === left([0, 2, 3, 1]).join());
  const outRank = index.shape(node.outputs[0] ?? '').length;
  return { axes, keep, stored, moves: stored ? 0 : (rank === 4 ? 1 : 0) + (outRank === 4 ? 1 : 0) };
}

function reduceKind<K extends string>(reduction: Reduction, kind: K, colour: string): OpKindDefinition<K> {
  return {
    onnx: { opTypes: [OP_TYPES[reduction]] },
    plan: (_, m) => ({ inputs: [m.main.inputs[0] ?? ''] }),
    runnable: () => true,
    run: ({ tf, index, input }, { main }) => {
      const { axes, keep, stored } = reducePlan(index, main);
      const x = input(main, 0);
      const reduce = (t: Tensor, over: number[] | undefined): Tensor =>
        reduction === 'sum' ? tf.sum(t, over, keep) : reduction === 'max' ? tf.max(t, over, keep) : tf.min(t, over, keep);
      if (stored)
        return reduce(
          x,
          axes?.map((a) => storedAxis(a, 4)),
        );
      return toStored(tf, reduce(toGraphOrder(tf, x), axes));
    },
    facts: (index, m) => ({ reduce: { op: reduction, stored: reducePlan(index, m.main).stored } }),
    kernels: {
      names: [KERNELS[reduction]],
      read: (kernel, layer) => {
        if (layer.reduce?.op !== reduction) return undefined;
        const [x, y] = [shapeAt(kernel.inputShapes, 0, kernel.name), shapeAt(kernel.outputShapes, 0, kernel.name)];
        // Reduced in the graph's order, the kernel's shapes are the op's as they are.
        return layer.reduce.stored ? draft(kind, [x], y) : { kind, inputShapes: [x], outputShape: y, attrs: {} };
      },
    },
    kernelCount: (index, m) => 1 + reducePlan(index, m.main).moves,
    colour,
  };
}

export const reduceSum = reduceKind('sum', 'reduce_sum', '#9d7660');
export const reduceMax = reduceKind('max', 'reduce_max', '#8f6a50');
export const reduceMin = reduceKind('min', 'reduce_min', '#c9a68e');
