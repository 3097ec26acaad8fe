// nn.Softplus() (beta 1): ONNX Softplus, the tfjs kernel Softplus, log(1 + exp(x)).
import { unaryKind } from './unary';

export const softplus = unaryKind({ kind: 'softplus', opType: 'Softplus', kernel: 'Softplus', run: (tf, x) => tf.softplus(x), colour: '#59a14f' });
