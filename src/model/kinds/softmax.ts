// nn.Softmax (assumed a module: thop's rule applies; torch.softmax would be 0 in thop): ONNX
// Softmax over one axis. tfjs normalises the last stored axis, so another axis goes there and
// back (layout), and the kernel reading puts the moved axis back.
import type { Shape } from '../../analyzers/op-fields';
import { softmaxAxis } from '../graph/op-attrs';
import { draft, shapeAt, storedAxis, type KernelRecord } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

function softmaxOver(tf: Tf, x: Tensor, axis: number): Tensor {
  if (axis === x.rank - 1) return tf.softmax(x);
  const perm = [...x.shape.keys()].filter((a) => a !== axis).concat(axis);
  const back = perm.map((_, a) => perm.indexOf(a));
  return tf.transpose(tf.softmax(tf.transpose(x, perm)), back);
}

/** The softmax kernel's input back in stored order: the executor moved the softmax axis last. */
function storedInput(kernel: KernelRecord, axis: number): Shape {
  const moved = shapeAt(kernel.inputShapes, 0, kernel.name);
  const at = storedAxis(axis, moved.length);
  return [...moved.slice(0, at), moved.at(-1) as number, ...moved.slice(at, -1)];
}

export const softmax: OpKindDefinition<'softmax'> = {
  onnx: { opTypes: ['Softmax'] },
  plan: (index, m) => {
    const axis = softmaxAxis(index.g, m.main);
    return axis === undefined ? undefined : { inputs: [m.main.inputs[0] ?? ''], attrs: { axis } };
  },
  runnable: () => true,
  run: ({ tf, index, input }, { main }) => {
    const x = input(main, 0);
    return softmaxOver(tf, x, storedAxis(softmaxAxis(index.g, main) ?? -1, x.rank));
  },
  facts: (index, m) => {
    const axis = softmaxAxis(index.g, m.main);
    return axis === undefined ? {} : { softmaxAxis: axis };
  },
  kernels: {
    names: ['Softmax'],
    read: (kernel, layer) => {
      const x = shapeAt(kernel.inputShapes, 0, kernel.name);
      if (layer.softmaxAxis === undefined) return draft('softmax', [x], shapeAt(kernel.outputShapes, 0, kernel.name), { axis: x.length - 1 });
      const stored = storedInput(kernel, layer.softmaxAxis);
      return draft('softmax', [stored], stored, { axis: layer.softmaxAxis });
    },
  },
  // The softmax, and the moves there and back for an axis that is not the last stored one.
  kernelCount: (index, { main }) => {
    const rank = index.shape(main.inputs[0] ?? '').length;
    return storedAxis(softmaxAxis(index.g, main) ?? rank - 1, rank) === rank - 1 ? 1 : 3;
  },
  colour: '#79706e',
};
