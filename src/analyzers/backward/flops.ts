// Backward FLOPs: every arithmetic operation of the gradient formulas autograd evaluates
// (tfjs-core 4.22's registered gradients), counted like forward FLOPs: 1 per element of an
// elementwise result, n - 1 adds for a sum of n values, 2 per multiply-accumulate.
// Broadcasts, reshapes, casts, tiles and splits move data and count 0.
import { dim, input, numel, type Op } from '../ops';
import {
  contractedSize,
  groupRows,
  instanceRows,
  convMacs,
  einsumContracts,
  einsumMacs,
  convTransposeMacs,
  inp,
  inputGradient,
  linearMacs,
  normRows,
  operands,
  out,
  rightOperand,
  rule,
  softmaxLength,
  window,
  type Operand,
  type RuleTable,
} from '../conventions/convention';

/** The bias gradient sums dy over every axis but the features: numel(out) - features adds. */
const biasGradient = (op: Op, features: number): bigint => (op.attrs.bias ? out(op) - BigInt(features) : 0n);

/** The gate s of `x * s`, the second input. */
function gate(op: Op): bigint {
  const shape = op.inputShapes[1];
  if (shape === undefined) throw new Error(`scale ${op.name} has no gate input`);
  return numel(shape);
}

/** The size n a layernorm normalises over: the elements of its learned scale and shift. */
const normalised = (op: Op): bigint => inp(op) / normRows(op);

/** Summing dy over the axes an operand was broadcast along, into its shape. */
const reduced = (op: Op, x: Operand): bigint => out(op) - numel(x.shape);

/** The gradient of each operand of a binary op that gets one (not a literal constant): what `dy` costs to turn into it. */
function perOperand(op: Op, a: (x: Operand, other: Operand) => bigint, b: (x: Operand, other: Operand) => bigint): bigint {
  const [left, right] = operands(op);
  return (left.gradient ? a(left, right) : 0n) + (right.gradient ? b(right, left) : 0n);
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
  // AdaptiveAvgPool2d(o), o != 1, in a model file runs as an AvgPool of its window and stride (model/kinds/global-avg-pool).
  global_avg_pool: rule(
    "2 * numel(in): dy broadcast over H x W by a multiply, then divided by H*W; an adaptive pool with a stride (AdaptiveAvgPool2d(o) exported as AveragePool) k*k per output, as avg_pool's",
    (op) => (op.attrs.stride === undefined ? 2n * inp(op) : window(op) * out(op)),
  ),
  avg_pool: rule('k*k per output, as the forward: each output gradient, divided by k*k, spread over its window', (op) => window(op) * out(op)),
  max_pool: rule('numel(out): each output gradient added to its window maximum', out),
  linear: rule(
    '2 * 2 * MACs (dy * W and x^T * dy, each as large as the forward) + numel(out) - out if bias (the bias gradient sums dy over rows); ' +
      "x^T * dy alone when the input takes no gradient (a buffer: Swin V2's coordinates table into its position MLP)",
    (op) => (inputGradient(op) ? 4n : 2n) * linearMacs(op) + biasGradient(op, dim(op.outputShape, -1)),
  ),
  scale: rule('3 * numel(out) - numel(s): dy * s, dy * x, and the sum of dy * x over H x W', (op) => 3n * out(op) - gate(op)),
  add: rule(
    'numel(out) - numel(operand) for each broadcast operand (its gradient sums dy over the broadcast axes); 0 for equal shapes; ' +
      'a literal constant gets no gradient, a learned one (params) does',
    (op) =>
      perOperand(
        op,
        (x) => reduced(op, x),
        (x) => reduced(op, x),
      ),
  ),
  concat: rule(
    "the gradient is a split of dy: no arithmetic; but a learned token broadcast into it (ViT's class token) gathers its gradient, " +
      "tfjs's Tile gradient adding each copy's slice into zeros: numel(token as expanded) when it was expanded",
    (op) =>
      (op.attrs.tokens ?? []).reduce((sum, t) => {
        const expanded = numel(op.inputShapes[t.at] ?? []);
        return expanded === numel(t.shape) ? sum : sum + expanded;
      }, 0n),
  ),
  reduce_mean: rule('2 * numel(in): dy broadcast over H x W by a multiply, then divided by H*W', (op) => 2n * inp(op)),
  resize: rule(
    'numel(out) nearest: each output gradient added into its source pixel; 8 * numel(out) bilinear: weighted into its 4 sources (4 multiplies, 4 adds)',
    (op) => (op.attrs.bilinear ? 8n : 1n) * out(op),
  ),
  leaky_relu: rule('3 * numel: x > 0, dy * alpha, and the select between them', (op) => 3n * out(op)),
  prelu: rule(
    '6 * numel - numel(slope): x > 0, dy * slope and a select (the input gradient), dy * x and a select, summed over the axes the slope broadcasts along (the slope gradient)',
    (op) => 6n * out(op) - op.params,
  ),
  conv_transpose: rule(
    '2 * 2 * MACs (the input gradient is a conv2d of dy, the weight gradient a backprop-filter, each as large as the forward) + numel(out) - Cout if bias',
    (op) => 4n * convTransposeMacs(op) + biasGradient(op, dim(op.outputShape, 1)),
  ),
  mul: rule(
    'per operand: dy times the other operand (numel(out)) and the sum over its broadcast axes (numel(out) - numel(operand)); ' +
      'a literal constant gets no gradient, a learned one (params) does',
    (op) =>
      perOperand(
        op,
        (x) => out(op) + reduced(op, x),
        (x) => out(op) + reduced(op, x),
      ),
  ),
  sub: rule('per operand but a literal constant: the sum over its broadcast axes (numel(out) - numel(operand)); b also negated (numel(b))', (op) =>
    perOperand(
      op,
      (x) => reduced(op, x),
      (x) => reduced(op, x) + numel(x.shape),
    ),
  ),
  div: rule('a: dy / b (numel(out)) and the broadcast sum; b: dy * a (numel(out)), the broadcast sum, then square, divide, negate (3 * numel(b))', (op) =>
    perOperand(
      op,
      (x) => out(op) + reduced(op, x),
      (x) => out(op) + reduced(op, x) + 3n * numel(x.shape),
    ),
  ),
  pow: rule(
    'base: exponent - 1 (numel(exponent)), the power, two products (3 * numel(out)) and the broadcast sum; ' +
      'an exponent computed from data: a > 0, where, log (3 * numel(base)), two products (2 * numel(out)) and the broadcast sum',
    (op) =>
      perOperand(
        op,
        (base, exponent) => numel(exponent.shape) + 3n * out(op) + reduced(op, base),
        (exponent, base) => 3n * numel(base.shape) + 2n * out(op) + reduced(op, exponent),
      ),
  ),
  tanh: rule('3 * numel: dy * (1 - y^2) (square, subtract, multiply)', (op) => 3n * out(op)),
  softmax: rule('4 * numel - rows: dy * y, its sum over n per row (n - 1 adds), minus the sum, times y', (op) => 4n * out(op) - inp(op) / softmaxLength(op)),
  pad: rule(
    "edge: numel(out) - numel(in), each copy's gradient added into the edge it copies; constant and reflect: 0, the gradient is a slice of dy " +
      "(tfjs's MirrorPad gradient leaves out the reflected copies' gradients, which PyTorch adds: numel(out) - numel(in) more)",
    (op) => (op.attrs.mode === 'edge' ? out(op) - inp(op) : 0n),
  ),
  gelu: rule(
    '10 * numel, through x * (1 + erf(x / sqrt(2))) * 0.5: the * 0.5 (1), the product with x (2), erf (5), / sqrt(2) (1), the two paths into x added (1); + 1 passes dy through. ' +
      "approximate='tanh' 16 * numel: * 0.5 (1), the product with x (2), tanh (3), * sqrt(2/pi) (1), * 0.044715 (1), x^2 * x (2), x * x (2: x is both operands), " +
      'the five paths into x added (4); the + 1 and + x pass dy through',
    (op) => (op.attrs.approximate === 'tanh' ? 16n : 10n) * out(op),
  ),
  erf: rule('5 * numel: dy * 2 / sqrt(pi) * exp(-x^2) (square, negate, exp, scale, times dy)', (op) => 5n * out(op)),
  exp: rule('numel: dy * y', out),
  layernorm: rule(
    '12 * numel + 5 * rows, + 3 * numel - n with a scale, + numel - n with a shift (n = numel / rows): each mean 2 per element, ' +
      'x - mean 1 (its sum into the mean, negated), the square 2, the divide 1 + 2 per element and 2 per row, sqrt 3 per row, ' +
      'the centred x and x each read twice (1 each); the scale: dy * w, dy * x and its sum over rows; the shift: the sum over rows',
    (op) => 12n * out(op) + 5n * normRows(op) + (op.attrs.affine ? 3n * out(op) - normalised(op) : 0n) + (op.attrs.bias ? out(op) - normalised(op) : 0n),
  ),
  // Analytic only: tfjs has no Einsum gradient, so the measured --training run does not take an einsum.
  einsum: rule(
    "2 * 2 * P with a summed letter (each operand's gradient an einsum of dy and the other operand, as large as the forward); 2 * P without (two products)",
    (op) => (einsumContracts(op) ? 4n : 2n) * einsumMacs(op),
  ),
  matmul: rule(
    '2 * 2 * numel(out) * K (dy * b^T and a^T * dy, each as large as the forward) + for an operand broadcast along batch axes, ' +
      'the sum of its gradient over them (numel(out) / N * K - numel(a), numel(out) / M * K - numel(b))',
    (op) => {
      const [a, b] = [input(op), rightOperand(op)];
      const k = contractedSize(op);
      const [full, m, n] = [out(op), BigInt(dim(a, -2)), BigInt(dim(b, -1))];
      return 4n * full * k + ((full / n) * k - numel(a)) + ((full / m) * k - numel(b));
    },
  ),
  instance_norm: rule(
    "12 * numel + 5 * rows as layernorm's formula over each (sample, channel); the scale: 3 * numel - C learned (dy * w, dy * x-hat, its sum over N and the spatial axes), " +
      'numel as a constant (dy * w only); the shift: numel - C learned (the sum of dy), 0 as a constant',
    (op) => {
      const channels = BigInt(dim(input(op), 1));
      return 12n * out(op) + 5n * instanceRows(op) + (op.attrs.affine ? 3n * out(op) - channels : out(op)) + (op.attrs.bias ? out(op) - channels : 0n);
    },
  ),
  clip: rule('4 * numel: x >= min, x <= max, their and, the select of dy (tfjs ClipByValue_grad)', (op) => 4n * out(op)),
  reduce_l2: rule(
    "3 * numel(in) + 3 * numel(out): the root's gradient dy / (2 * sqrt) per result (sqrt, multiply, divide), dy broadcast back by a multiply, the square's 2 * x * dy (two multiplies)",
    (op) => 3n * inp(op) + 3n * out(op),
  ),
  group_norm: rule(
    "12 * numel + 5 * rows (rows = N * G) as layernorm's formula over each (sample, group); a learned scale 3 * numel - C (dy * w, dy * x-hat, its sum over N and the spatial axes), " +
      'a learned shift numel - C (the sum of dy), G for C where they are per group; affine=False has neither',
    (op) => {
      const channels = op.attrs.perGroup === true ? BigInt(op.attrs.groups ?? 1) : BigInt(dim(input(op), 1));
      return 12n * out(op) + 5n * groupRows(op) + (op.attrs.affine ? 3n * out(op) - channels : 0n) + (op.attrs.bias ? out(op) - channels : 0n);
    },
  ),
  softplus: rule('5 * numel: dy * sigmoid(x) (tfjs Softplus_grad: sigmoid 4, multiply 1)', (op) => 5n * out(op)),
  mish: rule(
    '11 * numel: x * t gives dy * t and dy * x (2), the tanh gradient (3), the softplus gradient (5), the two paths into x added (1)',
    (op) => 11n * out(op),
  ),
  reduce_sum: rule('numel(in): dy broadcast back over the summed axes by a multiply (tfjs: dy * ones(x.shape))', inp),
  reduce_max: rule('2 * numel(in): x == max (1 per element), times dy broadcast back (1 per element)', (op) => 2n * inp(op)),
  reduce_min: rule('2 * numel(in): x == min (1 per element), times dy broadcast back (1 per element)', (op) => 2n * inp(op)),
};
