// nn.LayerNorm: ONNX LayerNormalization (opset 17 on), or the exporter's spelled-out form before
// it (one module, model/graph/fusions). Its scale and shift (initializers) are params. tfjs has
// no kernel for it: the mean, x - mean, its square, their mean, + eps, sqrt, the divide; then
// the scale and the shift, as PyTorch's exporter spells it out.
import type { Shape } from '../../analyzers/op-fields';
import { layerNormParts, type NodeInput } from '../graph/fusions';
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { count } from '../graph/tensor-info';
import { draft, nchwShape, shapeAt, storedAxis, type Draft, type KernelRecord } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

export interface LayerNormWeights {
  /** Laid out to broadcast against the input (NHWC when rank 4). */
  scale?: Tensor;
  shift?: Tensor;
}

/** Over stored `axes`; the centred input is computed once, for the variance and the result. */
export function layerNormFormula(tf: Tf, x: Tensor, axes: readonly number[], epsilon: number, { scale, shift }: LayerNormWeights): Tensor {
  const centred = tf.sub(x, tf.mean(x, [...axes], true));
  const variance = tf.mean(tf.square(centred), [...axes], true);
  const normalised = tf.div(centred, tf.sqrt(tf.add(variance, epsilon)));
  const scaled = scale === undefined ? normalised : tf.mul(normalised, scale);
  return shift === undefined ? scaled : tf.add(scaled, shift);
}

/** Its optional outputs (the mean and inverse deviation, for training) are not computed: none may be read. */
function onlyFirstOutput(index: GraphIndex, m: NodeGroup): boolean {
  if (m.fused === 'layernorm') return true;
  return m.main.outputs.slice(1).every((t) => t === '' || (index.readers(t).length === 0 && !index.g.graph.outputs.includes(t)));
}

const SEQUENCE = /^Mean Sub Square Mean Add Sqrt RealDiv( Multiply)?( Add)?$/;

/**
 * A layernorm from its kernels: the first Mean's NCHW output has 1 on the normalised axes, the
 * trailing ones (an axis of size 1 before them may be taken as normalised: it changes no count).
 */
function readLayerNorm(kernels: readonly KernelRecord[], names: string): Draft<'layernorm'> | undefined {
  const match = SEQUENCE.exec(names);
  const [mean, last] = [kernels[0], kernels.at(-1)];
  if (match === null || mean === undefined || last === undefined) return undefined;
  const means: Shape = nchwShape(shapeAt(mean.outputShapes, 0, mean.name));
  let axis = means.length;
  while (axis > 0 && means[axis - 1] === 1) axis -= 1;
  const attrs = { axis, affine: match[1] !== undefined, bias: match[2] !== undefined };
  return draft('layernorm', [shapeAt(mean.inputShapes, 0, mean.name)], shapeAt(last.outputShapes, 0, last.name), attrs);
}

export const layernorm: OpKindDefinition<'layernorm'> = {
  onnx: { opTypes: ['LayerNormalization'], fusions: ['layernorm'] },
  plan: (index, m) => {
    const { input, axis, scale, shift } = layerNormParts(index, m);
    const learned = (t: NodeInput | undefined): bigint => {
      const weight = t === undefined ? undefined : index.weight(t.node.inputs[t.at] ?? '');
      return weight === undefined ? 0n : count(index.shape(weight));
    };
    return { inputs: [input], attrs: { axis, affine: scale !== undefined, bias: shift !== undefined }, params: learned(scale) + learned(shift) };
  },
  runnable: onlyFirstOutput,
  run: (ctx, m) => {
    const { axis, epsilon, scale, shift } = layerNormParts(ctx.index, m);
    const x = ctx.input(m.nodes[0] ?? m.main, 0);
    const axes = [...x.shape.keys()].filter((a) => a >= axis).map((a) => storedAxis(a, x.rank));
    const laidOut = (t: NodeInput | undefined): Tensor | undefined => (t === undefined ? undefined : ctx.constant(t.node, t.at));
    return layerNormFormula(ctx.tf, x, axes, epsilon, { scale: laidOut(scale), shift: laidOut(shift) });
  },
  kernels: {
    composite: (kernels, names, layer) => (layer.instanceNorm === undefined && layer.groupNorm === undefined ? readLayerNorm(kernels, names) : undefined),
  },
  kernelCount: (index, m) => {
    const { scale, shift } = layerNormParts(index, m);
    return 7 + (scale === undefined ? 0 : 1) + (shift === undefined ? 0 : 1);
  },
  colour: '#9ecae9',
};
