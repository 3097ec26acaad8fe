// nn.Hardswish: ONNX HardSwish (opset 14 on), or HardSigmoid then Mul by x before it (one
// module, model/graph/fusions). tfjs has no kernel for it: x * relu6(x + 3) / 6, four kernels.
import { formula } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

/** PyTorch's hardswish x * relu6(x + 3) / 6 as tfjs kernels. */
export const hardSwishFormula = (tf: Tf, x: Tensor): Tensor => tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);

export const hardswish: OpKindDefinition<'hardswish'> = {
  onnx: { opTypes: ['HardSwish'], fusions: ['hardswish'] },
  plan: (_, m) => ({ inputs: [m.nodes[0]?.inputs[0] ?? ''] }),
  runnable: () => true,
  run: (ctx, m) => hardSwishFormula(ctx.tf, ctx.input(m.nodes[0] ?? m.main, 0)),
  kernels: { composite: formula('hardswish', 'Add Relu6 Multiply RealDiv') },
  kernelCount: () => 4,
  colour: '#b6992d',
};
