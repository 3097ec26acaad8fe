// Backward multiply-accumulates: the two products of the chain rule for conv2d, conv_transpose, linear and matmul.
import {
  convMacs,
  convTransposeMacs,
  einsumContracts,
  einsumMacs,
  ignored,
  inputGradient,
  linearMacs,
  matmulMacs,
  onlyThese,
  rule,
  type RuleTable,
} from '../conventions/convention';

export const macsBackward: RuleTable = onlyThese(
  {
    conv2d: rule('2 * MACs: the input gradient and the weight gradient are each a convolution as large as the forward', (op) => 2n * convMacs(op)),
    linear: rule(
      '2 * MACs: dy * W (input gradient) and x^T * dy (weight gradient), each as large as the forward; MACs when the input takes no gradient (a buffer)',
      (op) => (inputGradient(op) ? 2n : 1n) * linearMacs(op),
    ),
    matmul: rule('2 * numel(out) * K: dy * b^T (the gradient of a) and a^T * dy (of b), each as large as the forward', (op) => 2n * matmulMacs(op)),
    einsum: rule('2 * P with a summed letter: each operand gradient is an einsum of dy and the other operand, as large as the forward; 0 without', (op) =>
      einsumContracts(op) ? 2n * einsumMacs(op) : 0n,
    ),
    conv_transpose: rule(
      '2 * MACs: the input gradient (a convolution of dy) and the weight gradient, each as large as the forward',
      (op) => 2n * convTransposeMacs(op),
    ),
  },
  ignored('not a convolution or matrix product'),
);
