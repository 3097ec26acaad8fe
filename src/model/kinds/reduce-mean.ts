// x.mean((2, 3)): ONNX ReduceMean over H and W of a 4-D tensor; functional in PyTorch, not
// AdaptiveAvgPool2d, and counted as such. The tfjs kernel Mean, the layer saying which mean it is.
import { reduceAxes } from '../graph/op-attrs';
import { attrInt } from '../graph/types';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition } from './kind';

export const reduceMean: OpKindDefinition = {
  onnx: { opTypes: ['ReduceMean'] },
  plan: (index, m) => {
    const x = index.shape(m.main.inputs[0] ?? '');
    const axes = reduceAxes(index.g, m.main);
    const spatial = x.length === 4 && axes.length === 2 && axes.includes(2) && axes.includes(3);
    return spatial ? { inputs: [m.main.inputs[0] ?? ''], attrs: { kernel: [x[2] ?? 1, x[3] ?? 1] } } : undefined;
  },
  runnable: () => true,
  run: ({ tf, input }, { main }) => tf.mean(input(main, 0), [1, 2], attrInt(main, 'keepdims', 1n) === 1n),
  facts: () => ({ mean: 'reduce_mean' }),
  kernels: {
    names: ['Mean'],
    read: (kernel, layer) => {
      if (layer.mean !== 'reduce_mean') return undefined;
      const x = shapeAt(kernel.inputShapes, 0, kernel.name);
      return draft('reduce_mean', [x], shapeAt(kernel.outputShapes, 0, kernel.name), { kernel: [x[1] ?? 1, x[2] ?? 1] });
    },
  },
  kernelCount: () => 1,
  colour: '#8cd17d',
};
