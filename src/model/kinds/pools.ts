// What nn.MaxPool2d and nn.AvgPool2d share: ONNX MaxPool / AveragePool with a 2-D window; tfjs
// takes 'same', 'valid' or one pad for all sides.
import type { GraphIndex } from '../graph/graph-index';
import { attrInt, attrInts, type GraphNode } from '../graph/types';
import { draft, shapeAt, type KernelRecord, type LayerFacts } from './kernel-reading';
import { evenPad, padding, strideFact, strides, windowAttrs, type Padding } from './windows';

export const windowOf = (node: GraphNode): number[] => (attrInts(node, 'kernel_shape') ?? []).map(Number);

/** What nn.AvgPool2d and F.avg_pool2d always write, and PyTorch's adaptive pool never does. */
const AVG_POOL_ONLY = ['pads', 'auto_pad', 'ceil_mode', 'count_include_pad', 'dilations'];

/**
 * nn.AdaptiveAvgPool2d(o), o != 1, as PyTorch's exporter writes it (torch/onnx/symbolic_opset9.py
 * `_adaptive_pool`): an AveragePool of window and stride in/out and no other attribute, where
 * nn.AvgPool2d and F.avg_pool2d always write pads and ceil_mode (symbolic_opset10.py and 11
 * `_avg_pool`). AlexNet's and VGG's `AdaptiveAvgPool2d((6, 6))`/`((7, 7))` at 224 are such pools
 * with a 1 x 1 window, which thop counts `(prod(in/out) + 1) * numel(out)` and fvcore `numel(in)`.
 */
export function isAdaptiveAvgPool(index: GraphIndex, node: GraphNode): boolean {
  if (node.opType !== 'AveragePool' || !index.g.graph.producer.startsWith('pytorch')) return false;
  if (AVG_POOL_ONLY.some((name) => node.attrs.has(name))) return false;
  const kernel = windowOf(node);
  const [sh, sw] = strides(node);
  const [, , h, w] = index.shape(node.inputs[0] ?? '');
  const [, , oh, ow] = index.shape(node.outputs[0] ?? '');
  const [kh, kw] = kernel;
  return kernel.length === 2 && kh === sh && kw === sw && h === (kh ?? 0) * (oh ?? 0) && w === (kw ?? 0) * (ow ?? 0);
}

export function planPool(node: GraphNode, input: string): { inputs: string[]; attrs: ReturnType<typeof windowAttrs> } | undefined {
  const kernel = windowOf(node);
  return kernel.length === 2 ? { inputs: [input], attrs: windowAttrs(node, kernel) } : undefined;
}

/** Whether the window is dense: tfjs' pools have no dilations (tf.pool would run them as space-to-batch kernels). */
export const undilated = (node: GraphNode): boolean => (attrInts(node, 'dilations') ?? []).every((d) => d === 1n);

/**
 * The pads tfjs' pools take: 'same', 'valid', one number when even, else explicit NHWC pairs.
 * Under ceil_mode the last windows reach past the bottom and right pads (GoogLeNet's and
 * SENet's 3x3/2 max pools: 112 -> 56, where floor gives 55); tfjs rounds down, so those rows
 * are explicit pads too, which its pools leave out (max) or out of the count (average), as
 * PyTorch does for a window past the padded input. `zeroPadded`: the node's own pads were
 * applied already (count_include_pad), only the ceil rows are left.
 */
export function poolPad(index: GraphIndex, node: GraphNode, zeroPadded = false): Padding | number {
  const pad = padding(node);
  if (!Array.isArray(pad)) return pad;
  const [[t, b], [l, r]] = zeroPadded
    ? [
        [0, 0],
        [0, 0],
      ]
    : [pad[1], pad[2]];
  const [, , h = 0, w = 0] = index.shape(node.inputs[0] ?? '');
  const [, , oh = 0, ow = 0] = index.shape(node.outputs[0] ?? '');
  const [kh = 1, kw = 1] = windowOf(node);
  const [sh, sw] = strides(node);
  const [th, tw] = zeroPadded ? [pad[1][0] + pad[1][1], pad[2][0] + pad[2][1]] : [0, 0];
  const extraH = Math.max(0, (oh - 1) * sh + kh - (h + th + t + b));
  const extraW = Math.max(0, (ow - 1) * sw + kw - (w + tw + l + r));
  const explicit: Padding = [
    [0, 0],
    [t, b + extraH],
    [l, r + extraW],
    [0, 0],
  ];
  return evenPad(explicit) ?? explicit;
}

/** ONNX AveragePool's count_include_pad with pads: PyTorch's default, which tfjs' pools do not have (they leave pads out of the count). */
export function countsPads(node: GraphNode): boolean {
  const pad = padding(node);
  return node.opType === 'AveragePool' && attrInt(node, 'count_include_pad', 0n) === 1n && Array.isArray(pad) && pad.flat().some((p) => p > 0);
}

export function poolFacts(node: GraphNode): Partial<LayerFacts> {
  const [kh = 1, kw = 1] = windowOf(node);
  return { poolSize: [kh, kw], ...strideFact(node) };
}

/** A pool kernel as its op: the window and stride are the layer's. */
export const readPool = <K extends string>(kind: K, kernel: KernelRecord, layer: LayerFacts) =>
  draft(kind, [shapeAt(kernel.inputShapes, 0, kernel.name)], shapeAt(kernel.outputShapes, 0, kernel.name), {
    kernel: layer.poolSize ?? [1, 1],
    stride: layer.stride ?? 1,
  });
