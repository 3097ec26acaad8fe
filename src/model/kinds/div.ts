// a / b: ONNX Div; the tfjs kernel RealDiv.
import { elementwiseKind } from './elementwise';

export const div = elementwiseKind('div', 'Div', ['RealDiv'], '#f1ce63', undefined);
