// nn.MaxPool2d: ONNX MaxPool (ceil_mode included); the tfjs kernel MaxPool. A dilated window
// is not run: tfjs' pools have none.
import type { OpKindDefinition } from './kind';
import { planPool, poolFacts, poolPad, readPool, undilated, windowOf } from './pools';
import { strides } from './windows';

export const maxPool: OpKindDefinition<'max_pool'> = {
  onnx: { opTypes: ['MaxPool'] },
  plan: (_, m) => planPool(m.main, m.main.inputs[0] ?? ''),
  runnable: (_, m) => undilated(m.main),
  run: ({ tf, index, input }, { main }) => {
    const [kh = 1, kw = 1] = windowOf(main);
    return tf.maxPool(input(main, 0) as Parameters<typeof tf.maxPool>[0], [kh, kw], strides(main), poolPad(index, main));
  },
  facts: (_, m) => poolFacts(m.main),
  kernels: { names: ['MaxPool'], read: (kernel, layer) => readPool('max_pool', kernel, layer) },
  kernelCount: () => 1,
  colour: '#b07aa1',
};
