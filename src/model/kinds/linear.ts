// nn.Linear: ONNX Gemm by a weight, or MatMul by a 2-D weight (with the Add of its bias after it,
// one module: model/graph/fusions). One tfjs matMul (fused with the bias); a Linear on a
// channels-last 4-D map (ConvNeXt) multiplies the last axis of the NCHW-ordered tensor, so its
// layout goes there and back.
import { numel } from '../../analyzers/op-fields';
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { isActivationMatMul } from '../graph/op-attrs';
import { count } from '../graph/tensor-info';
import { attrInt } from '../graph/types';
import { shapeAt } from './kernel-reading';
import type { OpKindDefinition, Tensor } from './kind';
import { toGraphOrder, toStored } from './layout';

/** The initializer a Linear's bias comes from, '' for none. */
function biasOf(index: GraphIndex, m: NodeGroup): string {
  if (m.main.opType === 'Gemm') return m.main.inputs[2] ?? '';
  return m.fused === 'linear-bias' ? (m.nodes[1]?.inputs.find((t) => index.weight(t) !== undefined) ?? '') : '';
}

/** Tensors of the products' rows, NCHW, for a MatMul on rank 3 or more. */
const rowAxes = (index: GraphIndex, m: NodeGroup): readonly number[] => (m.main.opType === 'MatMul' ? index.shape(m.main.inputs[0] ?? '').slice(0, -1) : []);

export const linear: OpKindDefinition<'linear'> = {
  onnx: { opTypes: ['Gemm', 'MatMul'], fusions: ['linear-bias'] },
  plan: (index, m) => {
    const [x = '', w = ''] = m.main.inputs;
    if (index.weight(w) === undefined || isActivationMatMul(index, m.main)) return undefined;
    if (m.main.opType === 'MatMul' && index.shape(w).length !== 2) return undefined;
    const bias = biasOf(index, m);
    return { inputs: [x], attrs: { bias: bias !== '' }, params: count(index.shape(w)) + (bias === '' ? 0n : count(index.shape(bias))) };
  },
  runnable: () => true,
  run: ({ tf, index, input }, m) => {
    const { main } = m;
    if (main.opType === 'Gemm') {
      const [a, b] = [input(main, 0) as Parameters<typeof tf.matMul>[0], input(main, 1) as Parameters<typeof tf.matMul>[1]];
      return (main.inputs[2] ?? '') !== '' ? tf.fused.matMul({ a, b, bias: input(main, 2) }) : tf.matMul(a, b);
    }
    const add = m.fused === 'linear-bias' ? m.nodes[1] : undefined;
    const a = toGraphOrder(tf, input(main, 0));
    const b = input(main, 1);
    // The leading axes are rows of one 2-D product, as PyTorch's Linear (tfjs's fused gradient
    // cannot sum a batch of weight gradients back into one weight).
    const rows = b.rank === 2 && a.rank > 2 ? tf.reshape(a, [-1, a.shape.at(-1) ?? 1]) : a;
    const biasAt = add?.inputs.findIndex((t) => index.weight(t) !== undefined) ?? -1;
    const y: Tensor = add !== undefined && biasAt >= 0 ? tf.fused.matMul({ a: rows, b, bias: input(add, biasAt) }) : tf.matMul(rows, b);
    return toStored(tf, rows === a ? y : tf.reshape(y, [...a.shape.slice(0, -1), y.shape.at(-1) ?? 1]));
  },
  // Gemm's B as [K, N].
  weightLayout: (tf, reader, position, raw) => (reader.opType === 'Gemm' && position === 1 && attrInt(reader, 'transB', 0n) === 1n ? tf.transpose(raw) : raw),
  facts: (index, m) => {
    const rows = rowAxes(index, m);
    return rows.length > 1 ? { rows } : {};
  },
  kernels: {
    names: ['MatMul', 'BatchMatMul', '_FusedMatMul'],
    read: (kernel, layer) => {
      if (layer.matmul === true || layer.einsum !== undefined) return undefined;
      // Dense reshapes [rows, in] to a batch of one [1, rows, in]: read rows back from the sizes.
      const a = shapeAt(kernel.inputShapes, 0, kernel.name);
      const inFeatures = a.at(-1) ?? 1;
      const outFeatures = shapeAt(kernel.outputShapes, 0, kernel.name).at(-1) ?? 1;
      const rows = Number(numel(a)) / inFeatures;
      // Rows of a higher-rank input, in the layer's axes when they hold as many (NCHW already).
      const axes = layer.rows !== undefined && numel(layer.rows) === BigInt(rows) ? layer.rows : [rows];
      return { kind: 'linear', inputShapes: [[...axes, inFeatures]], outputShape: [...axes, outFeatures], attrs: { bias: kernel.inputShapes[2] != null } };
    },
  },
  // The product, and a 4-D input's and output's layout moves.
  kernelCount: (index, m) => {
    if (m.main.opType === 'Gemm') return 1;
    return 1 + (index.shape(m.main.inputs[0] ?? '').length === 4 ? 2 : 0);
  },
  colour: '#ff9da7',
};
