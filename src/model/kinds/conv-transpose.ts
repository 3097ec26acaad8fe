// nn.ConvTranspose2d: ONNX ConvTranspose with a 4-D weight. The executor runs the one tfjs kernel
// Conv2DBackpropInput: group 1, no bias (a bias would be a second kernel), even pads; or, as a
// GraphModel's Conv2DBackpropInput translates, auto_pad SAME_UPPER or VALID (tfjs' 'same' and
// 'valid': the forward conv's padding, its odd pixel at the end) undilated.
import { attrInt, attrInts, attrString, type GraphNode } from '../graph/types';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition } from './kind';
import { planFilter, strideFact, strides } from './windows';

/** tfjs' padding for the node: a number (even pads), 'same' or 'valid'; undefined when tfjs has none that computes it. */
function tfjsPad(main: GraphNode): number | 'same' | 'valid' | undefined {
  const autoPad = attrString(main, 'auto_pad', 'NOTSET');
  if (autoPad === 'SAME_UPPER' || autoPad === 'VALID') {
    const undilated = (attrInts(main, 'dilations') ?? []).every((d) => d === 1n);
    return undilated && attrInts(main, 'output_padding') === undefined ? (autoPad === 'VALID' ? 'valid' : 'same') : undefined;
  }
  const [t = 0, l = 0, b = 0, r = 0] = (attrInts(main, 'pads') ?? []).map(Number);
  const even = t === b && l === r && t === l && attrInts(main, 'output_padding') === undefined;
  return even && autoPad === 'NOTSET' ? t : undefined;
}

export const convTranspose: OpKindDefinition<'conv_transpose'> = {
  onnx: { opTypes: ['ConvTranspose'] },
  plan: planFilter,
  runnable: (_, { main }) => attrInt(main, 'group', 1n) === 1n && (main.inputs[2] ?? '') === '' && tfjsPad(main) !== undefined,
  run: ({ tf, index, input }, { main }) => {
    const [n = 1, c = 1, h = 1, w = 1] = index.shape(main.outputs[0] ?? '');
    const pad = tfjsPad(main) ?? 0;
    return tf.conv2dTranspose(
      input(main, 0) as Parameters<typeof tf.conv2dTranspose>[0],
      input(main, 1) as Parameters<typeof tf.conv2dTranspose>[1],
      [n, h, w, c],
      strides(main),
      pad,
    );
  },
  // [Cin, Cout, kh, kw] to tfjs' [kh, kw, Cout, Cin].
  weightLayout: (tf, _, position, raw) => (position === 1 ? tf.transpose(raw, [2, 3, 1, 0]) : raw),
  facts: (_, m) => strideFact(m.main),
  kernels: {
    names: ['Conv2DBackpropInput'],
    // dy (the op's input) and the filter [kh, kw, Cout, Cin].
    read: (kernel, layer) => {
      const [kh, kw] = shapeAt(kernel.inputShapes, 1, kernel.name) as [number, number];
      const [x, y] = [shapeAt(kernel.inputShapes, 0, kernel.name), shapeAt(kernel.outputShapes, 0, kernel.name)];
      return draft('conv_transpose', [x], y, { kernel: [kh, kw], stride: layer.stride ?? 1, groups: 1, bias: false });
    },
  },
  kernelCount: () => 1,
  colour: '#86bcb6',
};
