// nn.Hardsigmoid: ONNX HardSigmoid, max(0, min(1, alpha x + beta)). PyTorch's constants are alpha
// 1/6, beta 1/2; tfjs has no kernel for it: relu6(x + 3) / 6, three kernels. Keras' older
// hard_sigmoid (alpha 0.2, beta 0.5, a GraphModel's clip(0.2 x + 0.5, 0, 1)) is counted by the
// same rules per element and runs as Keras computes it: clipByValue(x * alpha + beta, 0, 1), three
// kernels too, whose gradient (x * alpha's, the clip's mask: two comparisons, their and, the
// select) is as many operations per element as relu6(x + 3) / 6's.
import { attrFloat, type GraphNode } from '../graph/types';
import { formula } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

/** PyTorch's hardsigmoid relu6(x + 3) / 6 as tfjs kernels. */
export const hardSigmoidFormula = (tf: Tf, x: Tensor): Tensor => tf.div(tf.relu6(tf.add(x, 3)), 6);

const constants = (node: GraphNode): [number, number] => [attrFloat(node, 'alpha', 0.2), attrFloat(node, 'beta', 0.5)];
const isPyTorch = (node: GraphNode): boolean => {
  const [alpha, beta] = constants(node);
  return Math.abs(alpha - 1 / 6) < 1e-6 && Math.abs(beta - 0.5) < 1e-6;
};
const pyTorch = formula('hardsigmoid', 'Add Relu6 RealDiv');
const keras = formula('hardsigmoid', 'Multiply Add ClipByValue');

export const hardsigmoid: OpKindDefinition<'hardsigmoid'> = {
  onnx: { opTypes: ['HardSigmoid'] },
  plan: (_, m) => ({ inputs: [m.main.inputs[0] ?? ''] }),
  runnable: (_, { main }) => constants(main).every(Number.isFinite),
  run: ({ tf, input }, { main }) => {
    const [alpha, beta] = constants(main);
    return isPyTorch(main) ? hardSigmoidFormula(tf, input(main, 0)) : tf.clipByValue(tf.add(tf.mul(input(main, 0), alpha), beta), 0, 1);
  },
  kernels: { composite: (kernels, names, layer) => pyTorch(kernels, names, layer) ?? keras(kernels, names, layer) },
  kernelCount: () => 3,
  colour: '#86bcb6',
};
