// relu: ONNX Relu, the tfjs kernel Relu.
import { unaryKind } from './unary';

export const relu = unaryKind({ kind: 'relu', opType: 'Relu', kernel: 'Relu', run: (tf, x) => tf.relu(x), colour: '#e15759' });
