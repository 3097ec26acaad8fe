// nn.InstanceNorm2d (and the InstanceNormalization inside PyTorch's GroupNorm export, on the
// N x G x L view): ONNX InstanceNormalization, each (sample, channel) normalised over the axes
// after the channels, then its scale and shift [C]. Initializers are nn.InstanceNorm2d(affine=True)'s
// weight and bias, so params; Constant nodes (affine=False, ones and zeros) are not. tfjs has no
// kernel: layernorm's formula over those axes, then the scale and the shift.
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { attrFloat } from '../graph/types';
import { count } from '../graph/tensor-info';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition, Tensor } from './kind';
import { layerNormFormula } from './layernorm';

const SEQUENCE = 'Mean Sub Square Mean Add Sqrt RealDiv Multiply Add';

/** Whether the scale and the shift are learned (initializers). */
function learned(index: GraphIndex, { main }: NodeGroup): { affine: boolean; bias: boolean } {
  return { affine: index.weight(main.inputs[1] ?? '') !== undefined, bias: index.weight(main.inputs[2] ?? '') !== undefined };
}

export const instanceNorm: OpKindDefinition<'instance_norm'> = {
  onnx: { opTypes: ['InstanceNormalization'] },
  plan: (index, m) => {
    const x = index.shape(m.main.inputs[0] ?? '');
    if (x.length < 3) return undefined;
    const { affine, bias } = learned(index, m);
    const params = (affine ? count(index.shape(m.main.inputs[1] ?? '')) : 0n) + (bias ? count(index.shape(m.main.inputs[2] ?? '')) : 0n);
    return { inputs: [m.main.inputs[0] ?? ''], attrs: { affine, bias }, params };
  },
  runnable: () => true,
  run: ({ tf, input }, { main }) => {
    const x = input(main, 0);
    // Stored NHWC when rank 4: H and W are axes 1 and 2, the channels last; else the graph's order.
    const axes = x.rank === 4 ? [1, 2] : [...x.shape.keys()].slice(2);
    const perChannel = (t: Tensor): Tensor => (x.rank === 4 ? t : tf.reshape(t, [t.size, ...new Array<number>(x.rank - 2).fill(1)]));
    return layerNormFormula(tf, x, axes, attrFloat(main, 'epsilon', 1e-5), { scale: perChannel(input(main, 1)), shift: perChannel(input(main, 2)) });
  },
  facts: (index, m) => ({ instanceNorm: learned(index, m) }),
  kernels: {
    composite: (kernels, names, layer) => {
      const [first, last] = [kernels[0], kernels.at(-1)];
      if (layer.instanceNorm === undefined || names !== SEQUENCE || first === undefined || last === undefined) return undefined;
      return draft('instance_norm', [shapeAt(first.inputShapes, 0, first.name)], shapeAt(last.outputShapes, 0, last.name), layer.instanceNorm);
    },
  },
  kernelCount: () => 9,
  colour: '#6b9ac4',
};
