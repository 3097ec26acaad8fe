// nn.Mish: x * tanh(softplus(x)), one module: ONNX Mish (opset 18 on), or the Softplus, Tanh and
// Mul by x the exporter writes before it (model/graph/fusions). tfjs has no Mish kernel: the
// formula, three kernels.
import { formula } from './kernel-reading';
import type { OpKindDefinition } from './kind';

export const mish: OpKindDefinition<'mish'> = {
  onnx: { opTypes: ['Mish'], fusions: ['mish'] },
  plan: (_, m) => ({ inputs: [m.nodes[0]?.inputs[0] ?? ''] }),
  runnable: () => true,
  run: ({ tf, input }, m) => {
    const x = input(m.nodes[0] ?? m.main, 0);
    return tf.mul(x, tf.tanh(tf.softplus(x)));
  },
  kernels: { composite: formula('mish', 'Softplus Tanh Multiply') },
  kernelCount: () => 3,
  colour: '#86bc86',
};
