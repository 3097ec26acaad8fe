import {
  byModule,
  convMacs,
  forwardOnly,
  inp,
  isSkip,
  linearMacs,
  out,
  rule,
  softmaxOps,
  unsupported,
  window,
  type Convention,
  type RuleTable,
} from './convention';

/**
 * thop hooks modules only (thop/profile.py:188, 214-233): an op a function or tensor method made
 * inside another module's forward (`F.relu`, `F.avg_pool2d`, `x.softmax`, `F.linear`) is 0.
 */
function modulesOnly(rules: RuleTable): RuleTable {
  return Object.fromEntries(
    Object.entries(rules).map(([kind, r]) => [kind, isSkip(r) ? r : rule(r.formula, (op) => (byModule(op) ? r.count(op) : 0n))]),
  ) as RuleTable;
}

export const thop: Convention<'thop'> = {
  key: 'thop',
  source: 'thop (pytorch-OpCounter 0.1.1): module hooks, multiply-accumulates',
  unit: 'MACs',
  rules: modulesOnly({
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
    reduce_mean: unsupported('x.mean((2, 3)) is a tensor method: invisible to module hooks'),
    resize: rule(
      'nn.Upsample: numel(out) nearest, 11 * numel(out) bilinear (count_upsample, calculate_upsample: thop/vision/calc_func.py)',
      (op) => (op.attrs.bilinear ? 11n : 1n) * out(op),
    ),
    leaky_relu: rule('0 (count_relu, as for nn.ReLU)', () => 0n),
    prelu: rule('numel(in) in eval (count_prelu: thop/profile.py:36, vision/basic_hooks.py:82-87)', inp),
    conv_transpose: rule('numel(out) * (Cin/g) * kh * kw (count_convNd, by the output size); bias ignored', convMacs),
    mul: unsupported('functional x * y: invisible to module hooks'),
    sub: unsupported('functional x - y: invisible to module hooks'),
    div: unsupported('functional x / y: invisible to module hooks'),
    pow: unsupported('functional x ** y: invisible to module hooks'),
    tanh: unsupported('no rule for nn.Tanh in register_hooks (thop/profile.py), torch.tanh invisible: zero ops'),
    softmax: rule('rows * (3n - 1), n the softmax axis (nn.Softmax: count_softmax, basic_hooks.py:98-103, calc_func.py:57-62)', softmaxOps),
    pad: unsupported('F.pad is invisible to module hooks, nn.ZeroPad2d is zero_ops (thop/profile.py:22): zero ops'),
    gelu: unsupported('no rule for nn.GELU in register_hooks (thop/profile.py:21-66): zero ops'),
    erf: unsupported('torch.erf is functional: invisible to module hooks'),
    exp: unsupported('torch.exp is functional: invisible to module hooks'),
    layernorm: rule(
      '2 * numel(in), doubled when elementwise_affine (nn.LayerNorm: count_normalization, thop/profile.py:32, basic_hooks.py:60-69, calc_func.py:43-45)',
      (op) => (op.attrs.affine ? 4n : 2n) * inp(op),
    ),
    einsum: unsupported('torch.einsum is functional: invisible to module hooks (thop/profile.py:21-66): zero ops'),
    matmul: unsupported(
      'torch.matmul, torch.bmm and @ are functional: invisible to module hooks, and thop 0.1.1 patches no function (thop/profile.py:21-66): zero ops',
    ),
    instance_norm: rule(
      '2 * numel(in), doubled when affine (nn.InstanceNorm2d: count_normalization, thop/profile.py register_hooks, basic_hooks.py, calc_func.py calculate_norm)',
      (op) => (op.attrs.affine ? 4n : 2n) * inp(op),
    ),
    clip: unsupported('torch.clamp is functional: invisible to module hooks (thop/profile.py:21-66): zero ops'),
    reduce_l2: unsupported('torch.norm is functional: invisible to module hooks (thop/profile.py:21-66 patches no function)'),
    group_norm: unsupported('no rule for nn.GroupNorm in register_hooks (thop/profile.py:21-66, its norms BatchNorm, LayerNorm, InstanceNorm only): zero ops'),
    softplus: unsupported('no rule for nn.Softplus in register_hooks (thop/profile.py): zero ops'),
    mish: unsupported('no rule for nn.Mish in register_hooks (thop/profile.py): zero ops'),
    reduce_sum: unsupported('torch.sum is functional: invisible to module hooks (thop/profile.py:21-66 patches no function)'),
    reduce_max: unsupported('torch.amax is functional: invisible to module hooks (thop/profile.py:21-66 patches no function)'),
    reduce_min: unsupported('torch.amin is functional: invisible to module hooks (thop/profile.py:21-66 patches no function)'),
  }),
  backward: forwardOnly('counts module forward hooks: no backward pass'),
  notByModule: 'made by a function or tensor method: 0, no module hook sees it (thop/profile.py:188)',
};
