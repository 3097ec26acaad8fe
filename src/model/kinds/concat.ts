// torch.cat: ONNX Concat; the tfjs kernel Concat. The learned tokens expanded into it (ViT's class
// token: one module, model/graph/fusions) are its params, and inputs as expanded: broadcast to the
// batch (Tile) when it is more than 1.
import { attrInt } from '../graph/types';
import { count } from '../graph/tensor-info';
import { allInputs, draft, shapeAt, storedAxis } from './kernel-reading';
import type { OpKindDefinition, Tensor } from './kind';
import { toStored } from './layout';

export const concat: OpKindDefinition<'concat'> = {
  onnx: { opTypes: ['Concat'], fusions: ['learned-tokens'] },
  plan: (index, m) => {
    const inputs = m.main.inputs.filter((t) => t !== '' && !index.isConstant(t));
    const tokens = m.nodes.filter((n) => n.opType === 'Expand').map((n) => ({ at: inputs.indexOf(n.outputs[0] ?? ''), shape: index.shape(n.inputs[0] ?? '') }));
    const params = tokens.reduce((sum, t) => sum + count(t.shape), 0n);
    return { inputs, params, ...(tokens.length > 0 && { attrs: { tokens } }) };
  },
  runnable: () => true,
  run: ({ tf, index, input }, m) => {
    const expand = (name: string): Tensor | undefined => {
      const node = m.nodes.find((n) => n.opType === 'Expand' && n.outputs[0] === name);
      if (node === undefined) return undefined;
      // A learned token (an initializer, NCHW-ordered) broadcast to the batch.
      const token = input(node, 0);
      const shape = index.shape(name);
      const same = token.rank === shape.length && token.shape.every((d, i) => d === shape[i]);
      return toStored(tf, same ? token : tf.broadcastTo(token, [...shape]));
    };
    const inputs = m.main.inputs.map((t, i) => expand(t) ?? input(m.main, i));
    const rank = inputs[0]?.rank ?? 4;
    const axis = attrInt(m.main, 'axis', 1n);
    return tf.concat(inputs, storedAxis(Number(axis + (axis < 0n ? BigInt(rank) : 0n)), rank));
  },
  kernels: { names: ['Concat', 'ConcatV2'], read: (kernel) => draft('concat', allInputs(kernel), shapeAt(kernel.outputShapes, 0, kernel.name)) },
  // The concat, and a Tile for each token broadcast to a batch of more than one.
  kernelCount: (index, m) =>
    1 + m.nodes.filter((n) => n.opType === 'Expand' && count(index.shape(n.inputs[0] ?? '')) !== count(index.shape(n.outputs[0] ?? ''))).length,
  colour: '#17becf',
};
