// erf: ONNX Erf, the tfjs kernel Erf.
import { unaryKind } from './unary';

export const erf = unaryKind({ kind: 'erf', opType: 'Erf', kernel: 'Erf', run: (tf, x) => tf.erf(x), colour: '#c2a5cf' });
