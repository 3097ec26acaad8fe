// Backward multiply-accumulates: the two products of the chain rule for conv2d and linear.
import { convMacs, linearMacs, onlyThese, rule, skip } from '../conventions/convention';
import type { BackwardTable } from './table';

export const macsBackward: BackwardTable = onlyThese(
  {
    conv2d: rule('2 * MACs: the input gradient and the weight gradient are each a convolution as large as the forward', (op) => 2n * convMacs(op)),
    linear: rule('2 * MACs: dy * W (input gradient) and x^T * dy (weight gradient), each as large as the forward', (op) => 2n * linearMacs(op)),
  },
  skip('not a convolution or matrix product'),
);
