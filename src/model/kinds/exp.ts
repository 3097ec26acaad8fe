// exp: ONNX Exp, the tfjs kernel Exp.
import { unaryKind } from './unary';

export const exp = unaryKind({ kind: 'exp', opType: 'Exp', kernel: 'Exp', run: (tf, x) => tf.exp(x), colour: '#fdae6b' });
