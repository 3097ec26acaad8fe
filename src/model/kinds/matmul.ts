// A product of two activations (attention's q @ k^T and attn @ v, torch.bmm): ONNX MatMul of two
// non-constant operands of rank 2 or more; no weight, so no params. One tfjs BatchMatMul on the
// NCHW-ordered axes; tfjs' gradient does not sum a broadcast operand's gradient back, so equal
// batch axes only.
import { isActivationMatMul } from '../graph/op-attrs';
import { shapeAt } from './kernel-reading';
import type { OpKindDefinition } from './kind';
import { toGraphOrder, toStored } from './layout';

export const matmul: OpKindDefinition<'matmul'> = {
  onnx: { opTypes: ['MatMul'] },
  plan: (index, m) => (isActivationMatMul(index, m.main) ? { inputs: [m.main.inputs[0] ?? '', m.main.inputs[1] ?? ''] } : undefined),
  runnable: (index, { main }) => {
    const [a, b] = main.inputs.map((t) => index.shape(t));
    return a !== undefined && b !== undefined && a.length === b.length && a.slice(0, -2).every((d, i) => d === b[i]);
  },
  run: ({ tf, input }, { main }) => toStored(tf, tf.matMul(toGraphOrder(tf, input(main, 0)), toGraphOrder(tf, input(main, 1)))),
  facts: () => ({ matmul: true }),
  kernels: {
    names: ['MatMul', 'BatchMatMul', '_FusedMatMul'],
    // On NCHW-ordered operands: the shapes are the op's.
    read: (kernel, layer) =>
      layer.matmul === true
        ? {
            kind: 'matmul',
            inputShapes: [shapeAt(kernel.inputShapes, 0, kernel.name), shapeAt(kernel.inputShapes, 1, kernel.name)],
            outputShape: shapeAt(kernel.outputShapes, 0, kernel.name),
            attrs: {},
          }
        : undefined,
  },
  // The product, and each 4-D operand's and the output's layout moves.
  kernelCount: (index, { main }) => 1 + [...main.inputs.slice(0, 2), main.outputs[0] ?? ''].filter((t) => index.shape(t).length === 4).length,
  colour: '#637939',
};
