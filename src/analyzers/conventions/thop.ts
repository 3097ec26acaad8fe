import { convMacs, forwardOnly, inp, linearMacs, out, rule, unsupported, window, type Convention } from './convention';

export const thop: Convention<'thop'> = {
  key: 'thop',
  source: 'thop (pytorch-OpCounter 0.1.1): module hooks, multiply-accumulates',
  unit: 'MACs',
  rules: {
    conv2d: rule('numel(out) * (Cin/g) * kh * kw; bias ignored', convMacs),
    batchnorm: rule('4 * numel(in) (2 per element, doubled because affine)', (op) => 4n * inp(op)),
    relu: rule('0 (zero_ops)', () => 0n),
    sigmoid: unsupported('no rule for nn.Sigmoid: zero ops'),
    relu6: rule('0 (zero_ops, registered for nn.ReLU6: thop/profile.py:39)', () => 0n),
    silu: unsupported('no rule for nn.SiLU in register_hooks (thop/profile.py): zero ops'),
    hardswish: unsupported('no rule for nn.Hardswish in register_hooks (thop/profile.py): zero ops'),
    hardsigmoid: unsupported('no rule for nn.Hardsigmoid in register_hooks (thop/profile.py): zero ops'),
    global_avg_pool: rule('(H*W + 1) * numel(out)', (op) => (window(op) + 1n) * out(op)),
    avg_pool: rule('numel(out)', out),
    max_pool: rule('0 (zero_ops)', () => 0n),
    linear: rule('in * numel(out); bias ignored', linearMacs),
    scale: unsupported('functional x * s: invisible to module hooks'),
    add: unsupported('functional +: invisible to module hooks'),
    concat: unsupported('torch.cat: invisible to module hooks'),
  },
  backward: forwardOnly('counts module forward hooks: no backward pass'),
};
