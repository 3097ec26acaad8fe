// Backward multiply-accumulates: the two products of the chain rule for conv2d and linear.
import { convMacs, linearMacs, rule, skip } from '../conventions/convention';
import type { BackwardTable } from './table';

const notAMatrixProduct = skip('not a convolution or matrix product');

export const macsBackward: BackwardTable = {
  conv2d: rule('2 * MACs: the input gradient and the weight gradient are each a convolution as large as the forward', (op) => 2n * convMacs(op)),
  batchnorm: notAMatrixProduct,
  relu: notAMatrixProduct,
  sigmoid: notAMatrixProduct,
  global_avg_pool: notAMatrixProduct,
  avg_pool: notAMatrixProduct,
  max_pool: notAMatrixProduct,
  linear: rule('2 * MACs: dy * W (input gradient) and x^T * dy (weight gradient), each as large as the forward', (op) => 2n * linearMacs(op)),
  scale: notAMatrixProduct,
  add: notAMatrixProduct,
  concat: notAMatrixProduct,
};
