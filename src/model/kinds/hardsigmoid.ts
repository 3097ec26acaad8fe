// nn.Hardsigmoid: ONNX HardSigmoid, max(0, min(1, alpha x + beta)). PyTorch's constants are alpha
// 1/6, beta 1/2; Keras' hard_sigmoid (0.2x + 0.5) is counted as the kind too (its rules are
// nn.Hardsigmoid's per element), but not run: its backward is another formula's. tfjs has no
// kernel for it: relu6(x + 3) / 6, three kernels.
import { attrFloat, type GraphNode } from '../graph/types';
import { formula } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

/** PyTorch's hardsigmoid relu6(x + 3) / 6 as tfjs kernels. */
export const hardSigmoidFormula = (tf: Tf, x: Tensor): Tensor => tf.div(tf.relu6(tf.add(x, 3)), 6);

const isPyTorch = (node: GraphNode): boolean => Math.abs(attrFloat(node, 'alpha', 0.2) - 1 / 6) < 1e-6 && Math.abs(attrFloat(node, 'beta', 0.5) - 0.5) < 1e-6;

export const hardsigmoid: OpKindDefinition = {
  onnx: { opTypes: ['HardSigmoid'] },
  plan: (_, m) => ({ inputs: [m.main.inputs[0] ?? ''] }),
  runnable: (_, { main }) => isPyTorch(main),
  run: ({ tf, input }, { main }) => hardSigmoidFormula(tf, input(main, 0)),
  kernels: { composite: formula('hardsigmoid', 'Add Relu6 RealDiv') },
  kernelCount: () => 3,
  colour: '#86bcb6',
};
