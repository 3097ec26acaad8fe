// What nn.MaxPool2d and nn.AvgPool2d share: ONNX MaxPool / AveragePool with a 2-D window; tfjs
// takes 'same', 'valid' or one pad for all sides.
import type { OpKind } from '../../analyzers/ops';
import { attrInts, type GraphNode } from '../graph/types';
import { draft, shapeAt, type KernelRecord, type LayerFacts } from './kernel-reading';
import { padding, strideFact, windowAttrs } from './windows';

export const windowOf = (node: GraphNode): number[] => (attrInts(node, 'kernel_shape') ?? []).map(Number);

export function planPool(node: GraphNode, input: string): { inputs: string[]; attrs: ReturnType<typeof windowAttrs> } | undefined {
  const kernel = windowOf(node);
  return kernel.length === 2 ? { inputs: [input], attrs: windowAttrs(node, kernel) } : undefined;
}

/** The pad tfjs' pools take: 'same', 'valid', or the top pad (the others alike). */
export function poolPad(node: GraphNode): 'same' | 'valid' | number {
  const pad = padding(node);
  return Array.isArray(pad) ? pad[1][0] : pad;
}

export function poolFacts(node: GraphNode): Partial<LayerFacts> {
  const [kh = 1, kw = 1] = windowOf(node);
  return { poolSize: [kh, kw], ...strideFact(node) };
}

/** A pool kernel as its op: the window and stride are the layer's. */
export const readPool = (kind: OpKind, kernel: KernelRecord, layer: LayerFacts) =>
  draft(kind, [shapeAt(kernel.inputShapes, 0, kernel.name)], shapeAt(kernel.outputShapes, 0, kernel.name), { kernel: layer.poolSize ?? [1, 1], stride: layer.stride ?? 1 });
