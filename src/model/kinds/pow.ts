// a ** b: ONNX Pow; the tfjs kernel Pow.
import { elementwiseKind } from './elementwise';

export const pow = elementwiseKind('pow', 'Pow', ['Pow'], '#499894', undefined);
