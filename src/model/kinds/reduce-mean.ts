// x.mean(axes): ONNX ReduceMean, functional in PyTorch, not AdaptiveAvgPool2d, and counted as
// such; over H and W of a 4-D map (x.mean((2, 3)), an SE squeeze) it carries the window. Any other
// axes (a token mean, x.mean(1)) run as the other reductions do (model/kinds/reduce). The tfjs
// kernel Mean, the layer saying which mean it is.
import { reduceAxes } from '../graph/op-attrs';
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { draft, shapeAt, storedAxis } from './kernel-reading';
import type { OpKindDefinition } from './kind';
import { toGraphOrder, toStored } from './layout';
import { reducePlan } from './reduce';

/** H and W of a 4-D input, the window of x.mean((2, 3)); undefined for other axes. */
function spatialWindow(index: GraphIndex, m: NodeGroup): [number, number] | undefined {
  const x = index.shape(m.main.inputs[0] ?? '');
  const axes = reduceAxes(index.g, m.main);
  return x.length === 4 && axes.length === 2 && axes.includes(2) && axes.includes(3) ? [x[2] ?? 1, x[3] ?? 1] : undefined;
}

export const reduceMean: OpKindDefinition<'reduce_mean'> = {
  onnx: { opTypes: ['ReduceMean'] },
  plan: (index, m) => {
    const kernel = spatialWindow(index, m);
    return { inputs: [m.main.inputs[0] ?? ''], ...(kernel !== undefined && { attrs: { kernel } }) };
  },
  runnable: () => true,
  run: ({ tf, index, input }, { main }) => {
    const { axes, keep, stored } = reducePlan(index, main);
    const x = input(main, 0);
    if (stored)
      return tf.mean(
        x,
        axes?.map((a) => storedAxis(a, 4)),
        keep,
      );
    return toStored(tf, tf.mean(toGraphOrder(tf, x), axes, keep));
  },
  facts: (index, m) => {
    const window = spatialWindow(index, m);
    return { mean: 'reduce_mean', reduce: { op: 'mean', stored: reducePlan(index, m.main).stored }, ...(window !== undefined && { poolSize: window }) };
  },
  kernels: {
    names: ['Mean'],
    read: (kernel, layer) => {
      if (layer.mean !== 'reduce_mean') return undefined;
      const [x, y] = [shapeAt(kernel.inputShapes, 0, kernel.name), shapeAt(kernel.outputShapes, 0, kernel.name)];
      if (layer.reduce?.stored === false) return { kind: 'reduce_mean', inputShapes: [x], outputShape: y, attrs: {} };
      // A built-in network's mean (no reduce facts) is SE's squeeze over the stored H and W.
      const window = layer.poolSize ?? (layer.reduce === undefined ? ([x[1] ?? 1, x[2] ?? 1] as const) : undefined);
      return draft('reduce_mean', [x], y, window === undefined ? {} : { kernel: window });
    },
  },
  kernelCount: (index, m) => 1 + reducePlan(index, m.main).moves,
  colour: '#8cd17d',
};
