// nn.AdaptiveAvgPool2d: ONNX GlobalAveragePool for AdaptiveAvgPool2d(1), the tfjs kernel Mean over
// H and W (a Mean is this kind unless the layer says it is x.mean, reduce_mean); for o != 1 the
// AveragePool PyTorch's exporter writes for it (model/kinds/pools isAdaptiveAvgPool), the tfjs
// kernel AvgPool with its window as the stride. Counted by the adaptive pool's rules either way.
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition } from './kind';
import { isAdaptiveAvgPool, poolFacts, readPool, windowOf } from './pools';

export const globalAvgPool: OpKindDefinition<'global_avg_pool'> = {
  onnx: { opTypes: ['GlobalAveragePool', 'AveragePool'] },
  plan: (index, m) => {
    const x = index.shape(m.main.inputs[0] ?? '');
    if (m.main.opType === 'GlobalAveragePool') return { inputs: [m.main.inputs[0] ?? ''], attrs: { kernel: [x[2] ?? 1, x[3] ?? 1] } };
    if (!isAdaptiveAvgPool(index, m.main)) return undefined;
    const [kh = 1, kw = 1] = windowOf(m.main);
    return { inputs: [m.main.inputs[0] ?? ''], attrs: { kernel: [kh, kw], stride: kh } };
  },
  runnable: () => true,
  run: ({ tf, input }, { main }) => {
    if (main.opType === 'GlobalAveragePool') return tf.mean(input(main, 0), [1, 2], true);
    const [kh = 1, kw = 1] = windowOf(main);
    return tf.avgPool(input(main, 0) as Parameters<typeof tf.avgPool>[0], [kh, kw], [kh, kw], 'valid');
  },
  facts: (_, m) => (m.main.opType === 'AveragePool' ? { ...poolFacts(m.main), adaptive: true } : {}),
  kernels: {
    names: ['Mean', 'AvgPool'],
    read: (kernel, layer) => {
      if (kernel.name === 'AvgPool') return layer.adaptive === true ? readPool('global_avg_pool', kernel, layer) : undefined;
      if (layer.mean !== undefined) return undefined;
      // GlobalAveragePooling2D drops H and W; PyTorch's AdaptiveAvgPool2d(1) keeps them as 1 x 1.
      const [n, h, w, c] = shapeAt(kernel.inputShapes, 0, kernel.name) as [number, number, number, number];
      return draft('global_avg_pool', [[n, h, w, c]], [n, 1, 1, c], { kernel: [h, w] });
    },
  },
  kernelCount: () => 1,
  colour: '#59a14f',
};
