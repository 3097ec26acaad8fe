// nn.Conv2d: ONNX Conv with a 4-D weight. tfjs has no kernel with groups: a depthwise conv is
// its own kernel, any other grouped conv runs as split, one conv per group, concat (and the bias
// added), read back as one conv with the groups and the whole shapes.
import { attrInt, attrInts, type GraphNode } from '../graph/types';
import type { GraphIndex } from '../graph/graph-index';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition, Tensor } from './kind';
import { evenPad, padding, planFilter, strideFact, strides } from './windows';

/** A conv with groups that is not depthwise: split, a conv per group, concat. */
export function isGroupedConv(index: GraphIndex, node: GraphNode): boolean {
  const group = attrInt(node, 'group', 1n);
  return group > 1n && group < BigInt(index.shape(node.inputs[0] ?? '')[1] ?? 0);
}

export const conv2d: OpKindDefinition<'conv2d'> = {
  onnx: { opTypes: ['Conv'] },
  plan: planFilter,
  runnable: (index, { main }) => {
    const group = attrInt(main, 'group', 1n);
    const channels = BigInt(index.shape(main.inputs[0] ?? '')[1] ?? 0);
    const outputs = BigInt(index.shape(main.outputs[0] ?? '')[1] ?? 0);
    return group === 1n || group < channels || (group === channels && outputs === channels && evenPad(padding(main)) !== undefined);
  },
  run: ({ tf, index, input, groupFilters }, { main }) => {
    const [dh = 1, dw = 1] = (attrInts(main, 'dilations') ?? []).map(Number);
    const pad = padding(main);
    const x = input(main, 0) as Parameters<typeof tf.conv2d>[0];
    const filter = input(main, 1) as Parameters<typeof tf.conv2d>[1];
    const hasBias = (main.inputs[2] ?? '') !== '';
    const [stride, dilations] = [strides(main), [dh, dw] as [number, number]];
    const groups = Number(attrInt(main, 'group', 1n));
    if (isGroupedConv(index, main)) {
      const parts = tf.split(x, groups, 3);
      const filters = groupFilters(main);
      const y: Tensor = tf.concat(
        parts.map((part, i) => tf.conv2d(part as typeof x, filters[i] as typeof filter, stride, pad, 'NHWC', dilations)),
        3,
      );
      return hasBias ? tf.add(y, input(main, 2)) : y;
    }
    if (groups > 1) {
      // runnable() admitted only even pads here.
      const even = evenPad(pad) ?? 'valid';
      return hasBias
        ? tf.fused.depthwiseConv2d({ x, filter, strides: stride, pad: even, dilations, bias: input(main, 2) })
        : tf.depthwiseConv2d(x, filter, stride, even, 'NHWC', dilations);
    }
    return hasBias
      ? tf.fused.conv2d({ x, filter, strides: stride, pad, dilations, bias: input(main, 2) })
      : tf.conv2d(x, filter, stride, pad, 'NHWC', dilations);
  },
  // tfjs-core's Conv2D_grad and DepthwiseConv2dNative_grad assert dilations of 1.
  gradientGap: (_, { main }) => {
    const dilations = (attrInts(main, 'dilations') ?? []).map(Number);
    return dilations.some((d) => d > 1) ? `tfjs has no gradient for a dilated convolution (dilations ${dilations.join('x')})` : undefined;
  },
  // OIHW to HWIO; a depthwise filter [C, 1, kh, kw] becomes [kh, kw, C, 1].
  weightLayout: (tf, reader, position, raw) => {
    if (position !== 1) return raw;
    const group = attrInt(reader, 'group', 1n);
    const depthwise = group > 1n && raw.shape[1] === 1 && BigInt(raw.shape[0] ?? 0) === group;
    return tf.transpose(raw, depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0]);
  },
  facts: (_, m) => strideFact(m.main),
  kernels: {
    read: (kernel, layer) => {
      const x = shapeAt(kernel.inputShapes, 0, kernel.name);
      const y = shapeAt(kernel.outputShapes, 0, kernel.name);
      const bias = kernel.inputShapes[2] != null;
      const [kh, kw, cin, last] = shapeAt(kernel.inputShapes, 1, kernel.name) as [number, number, number, number];
      if (kernel.name === 'Conv2D' || kernel.name === 'FusedConv2D') {
        return draft('conv2d', [x], y, { kernel: [kh, kw], stride: layer.stride ?? 1, groups: (x[3] ?? cin) / cin, bias });
      }
      // Depthwise: the filter is [kh, kw, C, multiplier]; a multiplier other than 1 is no Conv2d of PyTorch's.
      return last === 1 ? draft('conv2d', [x], y, { kernel: [kh, kw], stride: layer.stride ?? 1, groups: cin, bias }) : undefined;
    },
    names: ['Conv2D', 'FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D'],
    composite: (kernels, names, layer) => {
      // A grouped conv: split, a Conv2D per group, concat, and a model file's (BN-folded) bias after it.
      if (!/^(SplitV )*(Conv2D )+Concat(V2)?( Add)?$/.test(names)) return undefined;
      const convs = kernels.filter((k) => k.name === 'Conv2D');
      const [one] = convs;
      const last = kernels.at(-1);
      const parts = new Set(convs.map((k) => `${k.inputShapes[0]?.join()}|${k.inputShapes[1]?.join()}`));
      if (one === undefined || last === undefined || convs.length < 2 || parts.size !== 1) return undefined;
      const [n, h, w, cinPerGroup] = shapeAt(one.inputShapes, 0, one.name) as [number, number, number, number];
      const [kh, kw] = shapeAt(one.inputShapes, 1, one.name) as [number, number];
      const groups = convs.length;
      return draft('conv2d', [[n, h, w, cinPerGroup * groups]], shapeAt(last.outputShapes, 0, last.name), {
        kernel: [kh, kw],
        stride: layer.stride ?? 1,
        groups,
        bias: last.name === 'Add',
      });
    },
  },
  // A grouped conv's split parts add up to its input, its per-group outputs to one output: as
  // many tensors as the split, the convs, the concat and the bias add.
  kernelCount: (index, { main }) => (isGroupedConv(index, main) ? 3 + ((main.inputs[2] ?? '') === '' ? 0 : 1) : 1),
  colour: '#4e79a7',
};
