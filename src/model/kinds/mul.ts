// a * b of two maps that is not SE's per-channel gate, or by a constant: ONNX Mul; the tfjs kernel Multiply.
import { elementwiseKind } from './elementwise';
import { isGate } from './scale';
import { readElementwise } from './kernel-reading';

export const mul = elementwiseKind('mul', 'Mul', ['Multiply'], '#a0cbe8', (kernel, layer) =>
  isGate(kernel, layer) ? undefined : readElementwise('mul', kernel, layer),
);
