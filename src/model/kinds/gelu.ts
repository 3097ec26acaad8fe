// nn.GELU(): ONNX Gelu (opset 20 on), or the exporter's x * (1 + erf(x / sqrt(2))) * 0.5 before
// it; nn.GELU(approximate='tanh'): Gelu with approximate 'tanh', or the exporter's
// 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))) in nine nodes (one module each,
// model/graph/fusions). tfjs has no kernel for either: each formula in the exporter's order.
import { attrString } from '../graph/types';
import type { NodeGroup } from '../graph/node-groups';
import { draft, formula, shapeAt } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

/** PyTorch's exact GELU, in the exporter's order. */
export const geluFormula = (tf: Tf, x: Tensor): Tensor => tf.mul(tf.mul(x, tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1)), 0.5);

/** PyTorch's tanh approximation, in the exporter's order. */
const geluTanhFormula = (tf: Tf, x: Tensor): Tensor => {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, tf.add(tf.tanh(inner), 1)), 0.5);
};

const isTanh = (m: NodeGroup): boolean => m.fused === 'gelu-tanh' || (m.fused === undefined && attrString(m.main, 'approximate', 'none') === 'tanh');

const TANH_KERNELS = 'Multiply Multiply Multiply Add Multiply Tanh Add Multiply Multiply';
const exact = formula('gelu', 'RealDiv Erf Add Multiply Multiply');

export const gelu: OpKindDefinition<'gelu'> = {
  onnx: { opTypes: ['Gelu'], fusions: ['gelu', 'gelu-tanh'] },
  plan: (_, m) => {
    const approximate = m.fused === undefined ? attrString(m.main, 'approximate', 'none') : undefined;
    if (approximate !== undefined && approximate !== 'none' && approximate !== 'tanh') return undefined;
    return { inputs: [m.nodes[0]?.inputs[0] ?? ''], ...(isTanh(m) && { attrs: { approximate: 'tanh' as const } }) };
  },
  runnable: () => true,
  run: (ctx, m) => (isTanh(m) ? geluTanhFormula : geluFormula)(ctx.tf, ctx.input(m.nodes[0] ?? m.main, 0)),
  kernels: {
    composite: (kernels, names, layer) => {
      const [first, last] = [kernels[0], kernels.at(-1)];
      if (names !== TANH_KERNELS || first === undefined || last === undefined) return exact(kernels, names, layer);
      return draft('gelu', [shapeAt(first.inputShapes, 0, first.name)], shapeAt(last.outputShapes, 0, last.name), { approximate: 'tanh' });
    },
  },
  kernelCount: (_, m) => (isTanh(m) ? 9 : 5),
  colour: '#b9ca5d',
};
