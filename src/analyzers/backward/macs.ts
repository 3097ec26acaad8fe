// Backward multiply-accumulates: the two products of the chain rule for conv2d and linear.
import { convMacs, ignored, linearMacs, onlyThese, rule, type RuleTable } from '../conventions/convention';

export const macsBackward: RuleTable = onlyThese(
  {
    conv2d: rule('2 * MACs: the input gradient and the weight gradient are each a convolution as large as the forward', (op) => 2n * convMacs(op)),
    linear: rule('2 * MACs: dy * W (input gradient) and x^T * dy (weight gradient), each as large as the forward', (op) => 2n * linearMacs(op)),
  },
  ignored('not a convolution or matrix product'),
);
