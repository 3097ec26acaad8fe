// sigmoid: ONNX Sigmoid, the tfjs kernel Sigmoid.
import { unaryKind } from './unary';

export const sigmoid = unaryKind({ kind: 'sigmoid', opType: 'Sigmoid', kernel: 'Sigmoid', run: (tf, x) => tf.sigmoid(x), colour: '#76b7b2' });
