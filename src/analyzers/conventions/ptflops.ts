import {
  batchOf,
  biasAdds,
  byModule,
  convMacs,
  convTransposeMacs,
  forwardOnly,
  inp,
  leftTimesWidth,
  linearMacs,
  out,
  rule,
  unsupported,
  type Convention,
  type Rule,
} from './convention';
import { dim, type Op } from '../ops';

// ptflops' pytorch backend reports floor(sum(module hooks) / B) + sum(functional hooks), B the
// model's batch (pytorch_engine.py:69-71, 267-277). Every module hook below is a multiple of B (it
// counts whole-batch tensors), so the per-image share of each op is exact and the per-op counts
// add up to the total. A module's hook fires, and so does the patched function its forward calls
// (`innerCall`); an op a function made in another module's forward is only that function's
// count (`asFunction`, 0 when ptflops does not patch it: F.linear, F.conv2d, F.layer_norm); one a
// tensor method made (`x.softmax(1)`, `x.relu()`) is 0: no Tensor method but matmul, mm, bmm,
// addmm, mul and add is patched (pytorch_engine.py:434-456).
function hooks(formula: string, moduleHook: (op: Op) => bigint, innerCall: (op: Op) => bigint = () => 0n, asFunction: (op: Op) => bigint = innerCall): Rule {
  return rule(formula, (op) => {
    if (!byModule(op)) return op.attrs.origin === 'function' ? asFunction(op) : 0n;
    const batch = batchOf(op);
    const whole = moduleHook(op);
    if (whole % batch !== 0n) throw new Error(`ptflops: module hook of ${op.name} is not a multiple of the batch`);
    return whole / batch + innerCall(op);
  });
}

export const ptflops: Convention<'ptflops'> = {
  key: 'ptflops',
  source: "ptflops 0.7.6, 'pytorch' backend: module hooks per image + functional hooks per batch",
  unit: 'MACs',
  rules: {
    conv2d: hooks('module: numel(out) * (Cin/g) * kh * kw + numel(out) if bias, per image', (op) => convMacs(op) + biasAdds(op)),
    batchnorm: hooks('module: 2 * numel(in), per image', (op) => 2n * inp(op)),
    relu: hooks('module: numel(out) per image + F.relu: numel(in) per batch', out, inp),
    sigmoid: unsupported('nn.Sigmoid has no hook: 0'),
    relu6: hooks(
      'module: numel(out) per image (pytorch_ops.py:281; nn.ReLU6 calls F.hardtanh, which is not patched); F.relu6: numel(in) per batch',
      out,
      () => 0n,
      inp,
    ),
    silu: hooks('F.silu: numel(in) per batch (pytorch_ops.py:450; nn.SiLU has no module hook)', () => 0n, inp),
    hardswish: unsupported('nn.Hardswish is not in MODULES_MAPPING and F.hardswish is not patched (pytorch_ops.py): 0'),
    hardsigmoid: unsupported('nn.Hardsigmoid is not in MODULES_MAPPING and F.hardsigmoid is not patched (pytorch_ops.py): 0'),
    global_avg_pool: hooks('module: numel(in) per image + F.adaptive_avg_pool2d: numel(in) per batch', inp, inp),
    avg_pool: hooks('module: numel(in) per image + F.avg_pool2d: numel(in) per batch', inp, inp),
    max_pool: hooks('module: numel(in) per image + F.max_pool2d: numel(in) per batch', inp, inp),
    linear: hooks('module: rows * (in*out + out if bias), per image', (op) => linearMacs(op) + biasAdds(op)),
    scale: unsupported('x * s is a tensor operator, not a patched function: 0'),
    add: unsupported('+= is a tensor operator, not a patched function: 0'),
    concat: unsupported('torch.cat is not patched: 0'),
    reduce_mean: unsupported('Tensor.mean is not patched: 0'),
    leaky_relu: hooks('module: numel(out) per image (F.leaky_relu is not patched)', out),
    prelu: hooks(
      'module: numel(out) per image (pytorch_ops.py:278) + F.prelu, which it calls: numel(in) per batch (pytorch_ops.py:425, pytorch_engine.py:351)',
      out,
      inp,
    ),
    conv_transpose: hooks('module: numel(in) * (Cout/g) * kh * kw + numel(out) if bias, per image', (op) => convTransposeMacs(op) + biasAdds(op)),
    mul: unsupported('x * y is a tensor operator, not a patched function: 0'),
    sub: unsupported('x - y: torch.sub and the operator are not patched: 0'),
    div: unsupported('x / y: torch.div and the operator are not patched: 0'),
    pow: unsupported('x ** y: torch.pow and the operator are not patched: 0'),
    tanh: unsupported('nn.Tanh has no module hook and torch.tanh is not patched: 0'),
    softmax: hooks(
      'F.softmax: numel(in) per batch (pytorch_ops.py:443; nn.Softmax has no module hook, its forward calls the patched F.softmax)',
      () => 0n,
      inp,
    ),
    pad: unsupported('F.pad is not patched and the nn.*Pad2d modules have no hook: 0'),
    gelu: hooks(
      'module: numel(out) per image (pytorch_ops.py:323-324) + F.gelu: numel(in) per batch (pytorch_ops.py:428; nn.GELU.forward calls the patched F.gelu)',
      out,
      inp,
    ),
    erf: unsupported('torch.erf is not patched: 0'),
    exp: unsupported('torch.exp is not patched: 0'),
    // bn_flops_counter_hook doubles when the module has `affine`; nn.LayerNorm's is `elementwise_affine`.
    // torch.matmul / Tensor.matmul / torch.bmm are wrapped (pytorch_engine.py:434-443); the
    // operator a @ b is Tensor.__matmul__, which is not, and counts 0: assumed written torch.matmul.
    matmul: hooks(
      'torch.matmul, Tensor.matmul, torch.bmm: numel(a) * N per batch (_matmul_tensor_flops_hook, pytorch_ops.py:385-387, TENSOR_OPS_MAPPING 453-459); a @ b is not patched: 0',
      () => 0n,
      leftTimesWidth,
    ),
    einsum: unsupported('torch.einsum is not patched (pytorch_engine.py:348-456): 0'),
    layernorm: hooks(
      'module: numel(in) per image, affine or not (nn.LayerNorm: bn_flops_counter_hook, pytorch_ops.py:304, 51-57; F.layer_norm is not patched)',
      inp,
    ),
    // The nn.Upsample hook reads output[0], one sample, and is then divided by B like every module
    // hook: numel(out) / B^2, exact while B divides C*H*W (else floored here, ptflops floors the sum).
    instance_norm: hooks(
      'module: numel(in) per image, doubled when affine (nn.InstanceNorm2d: bn_flops_counter_hook, pytorch_ops.py MODULES_MAPPING)',
      (op) => (op.attrs.affine ? 2n : 1n) * inp(op),
    ),
    clip: unsupported('torch.clamp is in neither FUNCTIONAL_MAPPING nor TENSOR_OPS_MAPPING (pytorch_ops.py): 0'),
    reduce_l2: unsupported('torch.norm is in neither FUNCTIONAL_MAPPING nor TENSOR_OPS_MAPPING (pytorch_ops.py): 0'),
    group_norm: hooks(
      'module: numel(in) per image, doubled when affine (nn.GroupNorm: bn_flops_counter_hook, pytorch_ops.py:303, 51-57; F.group_norm is not patched)',
      (op) => (op.attrs.affine ? 2n : 1n) * inp(op),
    ),
    softplus: unsupported('nn.Softplus is not in MODULES_MAPPING and F.softplus is not patched (pytorch_ops.py): 0'),
    mish: unsupported('nn.Mish is not in MODULES_MAPPING and F.mish is not patched (pytorch_ops.py): 0'),
    reduce_sum: unsupported('torch.sum is in neither FUNCTIONAL_MAPPING nor TENSOR_OPS_MAPPING (pytorch_ops.py): 0'),
    reduce_max: unsupported('torch.amax is in neither FUNCTIONAL_MAPPING nor TENSOR_OPS_MAPPING (pytorch_ops.py): 0'),
    reduce_min: unsupported('torch.amin is in neither FUNCTIONAL_MAPPING nor TENSOR_OPS_MAPPING (pytorch_ops.py): 0'),
    resize: rule('module: numel(out) / B^2 (its hook reads one sample, output[0]) + F.interpolate: numel(out) per batch (pytorch_ops.py:351-382)', (op) => {
      if (!byModule(op)) return op.attrs.origin === 'function' ? out(op) : 0n;
      return out(op) / BigInt(dim(op.outputShape, 0)) / batchOf(op) + out(op);
    }),
  },
  backward: forwardOnly('counts module forward hooks and patched functionals: no backward pass'),
  notByModule:
    'made by a function: the patched function alone, whole batch (F.linear, F.conv2d, F.layer_norm: 0); by a tensor method: 0 (pytorch_engine.py:348-456)',
};
