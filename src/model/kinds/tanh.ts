// tanh: ONNX Tanh, the tfjs kernel Tanh.
import { unaryKind } from './unary';

export const tanh = unaryKind({ kind: 'tanh', opType: 'Tanh', kernel: 'Tanh', run: (tf, x) => tf.tanh(x), colour: '#fabfd2' });
