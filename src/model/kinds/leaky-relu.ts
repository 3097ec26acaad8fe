// nn.LeakyReLU: ONNX LeakyRelu, the tfjs kernel LeakyRelu with the node's slope.
import { attrFloat } from '../graph/types';
import { unaryKind } from './unary';

export const leakyRelu = unaryKind({
  kind: 'leaky_relu',
  opType: 'LeakyRelu',
  kernel: 'LeakyRelu',
  run: (tf, x, node) => tf.leakyRelu(x, attrFloat(node, 'alpha', 0.01)),
  colour: '#ffbe7d',
});
