// nn.BatchNorm2d (left unfolded): ONNX BatchNormalization; scale and shift are params, the
// running statistics buffers. One tfjs kernel, FusedBatchNorm.
import { count } from '../graph/tensor-info';
import { attrFloat } from '../graph/types';
import type { OpKindDefinition } from './kind';

export const batchnorm: OpKindDefinition<'batchnorm'> = {
  onnx: { opTypes: ['BatchNormalization'] },
  plan: (index, m) => {
    const [x = '', scale = '', shift = '', mean = '', variance = ''] = m.main.inputs;
    const elements = (t: string): bigint => (t === '' ? 0n : count(index.shape(t)));
    return { inputs: [x], params: elements(scale) + elements(shift), buffers: elements(mean) + elements(variance) };
  },
  runnable: () => true,
  run: ({ tf, input }, { main }) =>
    tf.batchNorm(input(main, 0), input(main, 3), input(main, 4), input(main, 2), input(main, 1), attrFloat(main, 'epsilon', 1e-5)),
  kernels: { names: ['FusedBatchNorm'] },
  kernelCount: () => 1,
  colour: '#f28e2b',
};
