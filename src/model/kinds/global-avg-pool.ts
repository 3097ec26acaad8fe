// nn.AdaptiveAvgPool2d(1): ONNX GlobalAveragePool; the tfjs kernel Mean over H and W. A Mean
// is this kind unless the layer says it is x.mean (reduce_mean).
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition } from './kind';

export const globalAvgPool: OpKindDefinition = {
  onnx: { opTypes: ['GlobalAveragePool'] },
  plan: (index, m) => {
    const x = index.shape(m.main.inputs[0] ?? '');
    return { inputs: [m.main.inputs[0] ?? ''], attrs: { kernel: [x[2] ?? 1, x[3] ?? 1] } };
  },
  runnable: () => true,
  run: ({ tf, input }, { main }) => tf.mean(input(main, 0), [1, 2], true),
  kernels: {
    names: ['Mean'],
    read: (kernel, layer) => {
      if (layer.mean !== undefined) return undefined;
      // GlobalAveragePooling2D drops H and W; PyTorch's AdaptiveAvgPool2d(1) keeps them as 1 x 1.
      const [n, h, w, c] = shapeAt(kernel.inputShapes, 0, kernel.name) as [number, number, number, number];
      return draft('global_avg_pool', [[n, h, w, c]], [n, 1, 1, c], { kernel: [h, w] });
    },
  },
  kernelCount: () => 1,
  colour: '#59a14f',
};
