// a - b: ONNX Sub; the tfjs kernel Sub.
import { elementwiseKind } from './elementwise';

export const sub = elementwiseKind('sub', 'Sub', ['Sub'], '#ffbe7d', undefined);
