// nn.GELU(): ONNX Gelu (opset 20 on; the tanh approximation is another formula, not this kind),
// or the exporter's x * (1 + erf(x / sqrt(2))) * 0.5 before it (one module, model/graph/fusions).
// tfjs has no kernel for it: the formula in the exporter's order, five kernels.
import { attrString } from '../graph/types';
import { formula } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

/** PyTorch's exact GELU, in the exporter's order. */
export const geluFormula = (tf: Tf, x: Tensor): Tensor => tf.mul(tf.mul(x, tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1)), 0.5);

export const gelu: OpKindDefinition = {
  onnx: { opTypes: ['Gelu'], fusions: ['gelu'] },
  plan: (_, m) => (m.fused === 'gelu' || attrString(m.main, 'approximate', 'none') === 'none' ? { inputs: [m.nodes[0]?.inputs[0] ?? ''] } : undefined),
  runnable: () => true,
  run: (ctx, m) => geluFormula(ctx.tf, ctx.input(m.nodes[0] ?? m.main, 0)),
  kernels: { composite: formula('gelu', 'RealDiv Erf Add Multiply Multiply') },
  kernelCount: () => 5,
  colour: '#b9ca5d',
};
