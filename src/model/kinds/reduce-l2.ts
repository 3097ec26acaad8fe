// torch.norm over axes (F.normalize's `x.norm(2, dim, keepdim=True)`, Swin V2's cosine attention):
// ONNX ReduceL2, functional in PyTorch. The executor squares, sums and takes the root in the
// graph's (NCHW) order, or as stored where the axes allow (model/kinds/reduce's plan); the three
// kernels are read back as one reduce_l2.
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition, Tensor } from './kind';
import { toGraphOrder, toStored } from './layout';
import { reducePlan } from './reduce';
import { storedAxis } from './kernel-reading';

export const reduceL2: OpKindDefinition<'reduce_l2'> = {
  onnx: { opTypes: ['ReduceL2'] },
  plan: (_, m) => ({ inputs: [m.main.inputs[0] ?? ''] }),
  runnable: () => true,
  run: ({ tf, index, input }, { main }) => {
    const { axes, keep, stored } = reducePlan(index, main);
    const norm = (t: Tensor, over: number[] | undefined): Tensor => tf.sqrt(tf.sum(tf.square(t), over, keep));
    const x = input(main, 0);
    return stored
      ? norm(
          x,
          axes?.map((a) => storedAxis(a, 4)),
        )
      : toStored(tf, norm(toGraphOrder(tf, x), axes));
  },
  facts: (index, m) => ({ reduce: { op: 'l2', stored: reducePlan(index, m.main).stored } }),
  kernels: {
    composite: (kernels, names, layer) => {
      const [square, root] = [kernels[0], kernels.at(-1)];
      if (layer.reduce?.op !== 'l2' || names !== 'Square Sum Sqrt' || square === undefined || root === undefined) return undefined;
      const [x, y] = [shapeAt(square.inputShapes, 0, square.name), shapeAt(root.outputShapes, 0, root.name)];
      // Reduced in the graph's order, the kernels' shapes are the op's as they are.
      return layer.reduce.stored ? draft('reduce_l2', [x], y) : { kind: 'reduce_l2', inputShapes: [x], outputShape: y, attrs: {} };
    },
  },
  kernelCount: (index, m) => 3 + reducePlan(index, m.main).moves,
  colour: '#b8917a',
};
