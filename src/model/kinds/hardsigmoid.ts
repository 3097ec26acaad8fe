// nn.Hardsigmoid: ONNX HardSigmoid with PyTorch's constants (alpha 1/6, beta 1/2; Keras' 0.2x +
// 0.5 is another function). tfjs has no kernel for it: relu6(x + 3) / 6, three kernels.
import { attrFloat } from '../graph/types';
import { formula } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

/** PyTorch's hardsigmoid relu6(x + 3) / 6 as tfjs kernels. */
export const hardSigmoidFormula = (tf: Tf, x: Tensor): Tensor => tf.div(tf.relu6(tf.add(x, 3)), 6);

export const hardsigmoid: OpKindDefinition = {
  onnx: { opTypes: ['HardSigmoid'] },
  plan: (_, m) => {
    const pytorch = Math.abs(attrFloat(m.main, 'alpha', 0.2) - 1 / 6) < 1e-6 && Math.abs(attrFloat(m.main, 'beta', 0.5) - 0.5) < 1e-6;
    return pytorch ? { inputs: [m.main.inputs[0] ?? ''] } : undefined;
  },
  runnable: () => true,
  run: (ctx, m) => hardSigmoidFormula(ctx.tf, ctx.input(m.main, 0)),
  kernels: { composite: formula('hardsigmoid', 'Add Relu6 RealDiv') },
  kernelCount: () => 3,
  colour: '#86bcb6',
};
