import { flopsBackward } from '../backward/flops';
import { biasAdds, convMacs, ignored, linearMacs, out, rule, window, type Convention } from './convention';

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
  },
  backward: flopsBackward,
};
