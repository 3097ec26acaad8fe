// nn.MaxPool2d: ONNX MaxPool; the tfjs kernel MaxPool.
import type { OpKindDefinition } from './kind';
import { planPool, poolFacts, poolPad, readPool, windowOf } from './pools';
import { strides } from './windows';

export const maxPool: OpKindDefinition = {
  onnx: { opTypes: ['MaxPool'] },
  plan: (_, m) => planPool(m.main, m.main.inputs[0] ?? ''),
  runnable: () => true,
  run: ({ tf, input }, { main }) => {
    const [kh = 1, kw = 1] = windowOf(main);
    return tf.maxPool(input(main, 0) as Parameters<typeof tf.maxPool>[0], [kh, kw], strides(main), poolPad(main));
  },
  facts: (_, m) => poolFacts(m.main),
  kernels: { names: ['MaxPool'], read: (kernel, layer) => readPool('max_pool', kernel, layer) },
  kernelCount: () => 1,
  colour: '#b07aa1',
};
