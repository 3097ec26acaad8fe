// Backward FLOPs: every arithmetic operation of the gradient formulas autograd evaluates
// (tfjs-core 4.22's registered gradients), counted like forward FLOPs: 1 per element of an
// elementwise result, n - 1 adds for a sum of n values, 2 per multiply-accumulate.
// Broadcasts, reshapes, casts, tiles and splits move data and count 0.
import { dim, input, numel, type Op } from '../ops';
import { convMacs, ignored, inp, linearMacs, out, rule, window, type RuleTable } from '../conventions/convention';

/** The bias gradient sums dy over every axis but the features: numel(out) - features adds. */
const biasGradient = (op: Op, features: number): bigint => (op.attrs.bias ? out(op) - BigInt(features) : 0n);

/** The gate s of `x * s`, the second input. */
function gate(op: Op): bigint {
  const shape = op.inputShapes[1];
  if (shape === undefined) throw new Error(`scale ${op.name} has no gate input`);
  return numel(shape);
}

export const flopsBackward: RuleTable = {
  conv2d: rule(
    '2 * 2 * MACs (input and weight gradients, each a convolution as large as the forward) + numel(out) - Cout if bias (the bias gradient sums dy over N, H, W)',
    (op) => 4n * convMacs(op) + biasGradient(op, dim(op.outputShape, 1)),
  ),
  batchnorm: rule(
    '8 * numel + 3 * C, statistics frozen as in the forward: dx = dy * rstd * gamma (2 per element); ' +
      'dgamma = sum(dy * (x - mean) * rstd) (3 per element, numel - C adds); dbeta = sum(dy) (numel - C adds); ' +
      'rstd = rsqrt(var + eps) (2 per channel); tfjs also evaluates dy * gamma (1 per element) and -rstd^3 / 2 ' +
      '(3 per channel) for the mean and variance gradients',
    (op) => 8n * inp(op) + 3n * BigInt(dim(input(op), 1)),
  ),
  relu: rule('2 * numel: the mask x > 0, times dy', (op) => 2n * out(op)),
  sigmoid: rule('3 * numel: dy * y * (1 - y)', (op) => 3n * out(op)),
  relu6: rule('4 * numel: lessEqual(x, 6), step(x), their product (the mask), times dy', (op) => 4n * out(op)),
  silu: rule('6 * numel: x * sigmoid(x) gives dy * sigmoid and dy * x (2), the sigmoid gradient (3), and the two paths into x added (1)', (op) => 6n * out(op)),
  hardswish: rule(
    '8 * numel: / 6 (1), x * relu6(x + 3) gives two products (2), the relu6 gradient (4), the two paths into x added (1); + 3 passes dy through',
    (op) => 8n * out(op),
  ),
  hardsigmoid: rule('5 * numel: / 6 (1) and the relu6 gradient (4); + 3 passes dy through', (op) => 5n * out(op)),
  global_avg_pool: rule('2 * numel(in): dy broadcast over H x W by a multiply, then divided by H*W', (op) => 2n * inp(op)),
  avg_pool: rule('k*k per output, as the forward: each output gradient, divided by k*k, spread over its window', (op) => window(op) * out(op)),
  max_pool: rule('numel(out): each output gradient added to its window maximum', out),
  linear: rule(
    '2 * 2 * MACs (dy * W and x^T * dy, each as large as the forward) + numel(out) - out if bias (the bias gradient sums dy over rows)',
    (op) => 4n * linearMacs(op) + biasGradient(op, dim(op.outputShape, -1)),
  ),
  scale: rule(
    '3 * numel(out) - numel(s): dy * s, dy * x, and the sum of dy * x over H x W',
    (op) => 3n * out(op) - gate(op),
  ),
  add: rule(
    'numel(out) - numel(in) for each broadcast input (its gradient sums dy over the broadcast axes); 0 for equal shapes',
    (op) => op.inputShapes.reduce((sum, shape) => sum + out(op) - numel(shape), 0n),
  ),
  concat: ignored('the gradient is a split of dy: no arithmetic'),
};
