// F.pad and the padding modules: ONNX Pad with known pads, in constant, reflect or edge mode:
// tfjs' PadV2 and MirrorPad; edge padding has no tfjs kernel and runs as split and concat.
import { padSpec, type PadSpec } from '../graph/op-attrs';
import { draft, oneInput, shapeAt } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';

/** A pad's [before, after] per stored axis. */
export function storedPads(spec: PadSpec): [number, number][] {
  const pairs = spec.begin.map((b, axis): [number, number] => [b, spec.end[axis] ?? 0]);
  return pairs.map((_, axis) => pairs[pairs.length === 4 ? ([0, 2, 3, 1][axis] ?? axis) : axis] as [number, number]);
}

/**
 * Edge padding: per padded axis, one split into the first slice, the middle and the last slice,
 * and one concat with the edges repeated. A split reads the tensor once, so the gradient adds
 * each copy's gradient into its edge and nothing more (slices would each add a whole
 * zero-padded gradient into the tensor).
 */
function edgePad(tf: Tf, x: Tensor, pads: readonly [number, number][]): Tensor {
  return pads.reduce((t, [before, after], axis) => {
    if (before === 0 && after === 0) return t;
    const size = t.shape[axis] as number;
    const parts = size === 1 ? [t] : tf.split(t, size === 2 ? [1, 1] : [1, size - 2, 1], axis);
    const [first, last] = [parts[0] as Tensor, parts.at(-1) as Tensor];
    return tf.concat([...new Array<Tensor>(before).fill(first), ...parts, ...new Array<Tensor>(after).fill(last)], axis);
  }, x);
}

export const pad: OpKindDefinition<'pad'> = {
  onnx: { opTypes: ['Pad'] },
  plan: (index, m) => {
    const spec = padSpec(index.g, m.main);
    return spec === undefined ? undefined : { inputs: [m.main.inputs[0] ?? ''], attrs: { mode: spec.mode } };
  },
  runnable: () => true,
  run: ({ tf, index, input }, { main }) => {
    const spec = padSpec(index.g, main);
    if (spec === undefined) throw new Error(`pad '${main.name}' has no known pads`);
    const pads = storedPads(spec);
    const x = input(main, 0);
    if (spec.mode === 'edge') return edgePad(tf, x, pads);
    return spec.mode === 'reflect' ? tf.mirrorPad(x, pads, 'reflect') : tf.pad(x, pads, spec.value);
  },
  facts: () => ({ pad: true }),
  kernels: {
    names: ['PadV2', 'MirrorPad'],
    read: (kernel) => oneInput('pad', kernel),
    // Edge padding: per padded axis a split into edges and middle (none when the axis is 1), then
    // a concat with the edges repeated; the first kernel reads the unpadded tensor.
    composite: (kernels, names, layer) => {
      const [first, last] = [kernels[0], kernels.at(-1)];
      if (layer.pad !== true || first === undefined || last === undefined || !/^(SplitV )?Concat(V2)?( (SplitV )?Concat(V2)?)*$/.test(names)) return undefined;
      return draft('pad', [shapeAt(first.inputShapes, 0, first.name)], shapeAt(last.outputShapes, 0, last.name));
    },
  },
  // Edge padding's split and concat per padded axis.
  kernelCount: (index, { main }) => {
    const spec = padSpec(index.g, main);
    if (spec?.mode !== 'edge') return 1;
    return 2 * spec.begin.filter((b, axis) => b > 0 || (spec.end[axis] ?? 0) > 0).length;
  },
  colour: '#d7b5a6',
};
