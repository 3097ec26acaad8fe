// SE's rescale x * s: ONNX Mul of a map by an N x C x 1 x 1 activation; the tfjs kernel Multiply
// with s of stored shape [N, 1, 1, C] (also when x itself is 1 x 1).
import { draft, shapeAt, type KernelRecord, type LayerFacts } from './kernel-reading';
import { elementwiseKind } from './elementwise';

export function isGate(kernel: KernelRecord, layer: LayerFacts): boolean {
  const [a, b] = [shapeAt(kernel.inputShapes, 0, kernel.name), shapeAt(kernel.inputShapes, 1, kernel.name)];
  return layer.constantAt === undefined && b.length === 4 && a.length === 4 && b[0] === a[0] && b[1] === 1 && b[2] === 1 && b[3] === a[3];
}

export const scale = elementwiseKind('scale', 'Mul', ['Multiply'], '#9c755f', (kernel, layer) =>
  isGate(kernel, layer)
    ? draft('scale', [shapeAt(kernel.inputShapes, 0, kernel.name), shapeAt(kernel.inputShapes, 1, kernel.name)], shapeAt(kernel.outputShapes, 0, kernel.name))
    : undefined,
);
