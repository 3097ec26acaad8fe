// nn.SiLU: Sigmoid then Mul by x, one module (model/graph/fusions); two tfjs kernels.
import { formula } from './kernel-reading';
import type { OpKindDefinition } from './kind';

export const silu: OpKindDefinition<'silu'> = {
  onnx: { fusions: ['silu'] },
  plan: (_, m) => ({ inputs: [m.nodes[0]?.inputs[0] ?? ''] }),
  runnable: () => true,
  run: (ctx, m) => {
    const x = ctx.input(m.nodes[0] ?? m.main, 0);
    return ctx.tf.mul(x, ctx.tf.sigmoid(x));
  },
  kernels: { composite: formula('silu', 'Sigmoid Multiply') },
  kernelCount: () => 2,
  colour: '#8cd17d',
};
