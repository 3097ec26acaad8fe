import { flopsBackward } from '../backward/flops';
import { affineElements, biasAdds, instanceRows, convMacs, convTransposeMacs, ignored, inp, linearMacs, matmulMacs, normRows, out, rule, softmaxOps, window, type Convention } from './convention';

export const flops: Convention<'flops'> = {
  key: 'flops',
  source: 'seprof: every arithmetic operation once; a multiply-accumulate is 2 FLOPs',
  unit: 'FLOPs',
  rules: {
    conv2d: rule('2 * MACs + numel(out) if bias', (op) => 2n * convMacs(op) + biasAdds(op)),
    batchnorm: rule('2 * numel (folded scale and shift)', (op) => 2n * out(op)),
    relu: rule('numel', out),
    sigmoid: rule('4 * numel (negate, exp, add, divide)', (op) => 4n * out(op)),
    relu6: rule('2 * numel (max with 0, min with 6)', (op) => 2n * out(op)),
    silu: rule('5 * numel (a sigmoid, 4, times x)', (op) => 5n * out(op)),
    hardswish: rule('5 * numel: x * relu6(x + 3) / 6 (add, max, min, multiply, divide)', (op) => 5n * out(op)),
    hardsigmoid: rule('4 * numel: relu6(x + 3) / 6 (add, max, min, divide)', (op) => 4n * out(op)),
    global_avg_pool: rule('H*W per output (H*W - 1 adds, 1 divide) = numel(in)', (op) => window(op) * out(op)),
    avg_pool: rule('k*k per output (k*k - 1 adds, 1 divide)', (op) => window(op) * out(op)),
    max_pool: rule('k*k - 1 comparisons per output', (op) => (window(op) - 1n) * out(op)),
    linear: rule('2 * MACs + numel(out) if bias', (op) => 2n * linearMacs(op) + biasAdds(op)),
    scale: rule('numel(out)', out),
    add: rule('numel(out)', out),
    concat: ignored('a copy: no arithmetic'),
    reduce_mean: rule('H*W per output (H*W - 1 adds, 1 divide) = numel(in)', inp),
    resize: rule('0 nearest (a copy); 7 * numel(out) bilinear (4 multiplies, 3 adds per output; the weights per row and column not counted)', (op) => (op.attrs.bilinear ? 7n * out(op) : 0n)),
    leaky_relu: rule('2 * numel (multiply by alpha, max)', (op) => 2n * out(op)),
    conv_transpose: rule('2 * MACs + numel(out) if bias', (op) => 2n * convTransposeMacs(op) + biasAdds(op)),
    mul: rule('numel(out)', out),
    sub: rule('numel(out)', out),
    div: rule('numel(out)', out),
    pow: rule('numel(out) (a power is one operation, as exp is in sigmoid)', out),
    tanh: rule('5 * numel: (e^2x - 1) / (e^2x + 1) (multiply, exp, subtract, add, divide)', (op) => 5n * out(op)),
    softmax: rule('rows * (3n - 1): n exps, n - 1 adds, n divides per row (no max subtraction counted)', softmaxOps),
    pad: ignored('a copy: no arithmetic'),
    gelu: rule(
      '5 * numel: x * (1 + erf(x / sqrt(2))) * 0.5 as the exporter writes it (divide, erf, add, multiply, multiply); ' +
        "approximate='tanh' 13 * numel: x^3 (2), times 0.044715, plus x, times sqrt(2/pi), tanh (5), plus 1, times x, times 0.5",
      (op) => (op.attrs.approximate === 'tanh' ? 13n : 5n) * out(op),
    ),
    erf: rule('numel (one operation per element, as exp is in sigmoid)', out),
    exp: rule('numel', out),
    layernorm: rule(
      '5 * numel + 2 * rows, + numel for the scale, + numel for the shift: per row of n, the mean (n - 1 adds, 1 divide), ' +
        'x - mean, its square, their mean, + eps and sqrt once, the divide (as the exporter writes it before opset 17)',
      (op) => 5n * inp(op) + 2n * normRows(op) + affineElements(op),
    ),
    matmul: rule('2 * MACs: numel(out) * K multiply-accumulates, no bias', (op) => 2n * matmulMacs(op)),
    instance_norm: rule(
      '5 * numel + 2 * rows (rows = N * C, one per sample and channel), + numel for a learned scale, + numel for a learned shift: as layernorm over the axes after the channels',
      (op) => 5n * inp(op) + 2n * instanceRows(op) + affineElements(op),
    ),
    softplus: rule('3 * numel: log(1 + exp(x)) (exp, add, log)', (op) => 3n * out(op)),
    mish: rule('9 * numel: softplus 3, tanh 5 (as tanh), the multiply by x 1', (op) => 9n * out(op)),
    reduce_sum: rule('numel(in) - numel(out): n - 1 adds per sum of n', (op) => inp(op) - out(op)),
    reduce_max: rule('numel(in) - numel(out): n - 1 comparisons per maximum of n', (op) => inp(op) - out(op)),
    reduce_min: rule('numel(in) - numel(out): n - 1 comparisons per minimum of n', (op) => inp(op) - out(op)),
  },
  backward: flopsBackward,
};
