import {
  convMacs,
  convTransposeMacs,
  einsumContracts,
  einsumMacs,
  forwardOnly,
  ignored,
  inp,
  leftTimesWidth,
  linearMacs,
  out,
  rule,
  unsupported,
  type Convention,
} from './convention';
import type { Op } from '../ops';

/** n rounded to 4 significant digits, half to even, as Python's '%.3e' prints an integer-valued float. */
export function fourSignificant(n: bigint): bigint {
  const digits = n.toString().length;
  if (digits <= 4) return n;
  const unit = 10n ** BigInt(digits - 4);
  const [q, r] = [n / unit, n % unit];
  const up = 2n * r > unit || (2n * r === unit && q % 2n === 1n);
  return (up ? q + 1n : q) * unit;
}

/**
 * aten::einsum (einsum_flop_jit, jit_handles.py:174-214): the equation with its letters renamed in
 * order of appearance; `abc,abd->acd` and `abc,adc->adb` are counted exactly (the product of the
 * letters' sizes), any other by numpy's einsum_path, whose 'Optimized FLOP count' (2P + 1 with a
 * contracted letter, P + 1 without, numpy's _flop_count) fvcore reads back from '%.3e' and halves,
 * floored: 4 significant digits.
 */
function einsumFlops(op: Op): bigint {
  const equation = op.attrs.equation ?? '';
  const order = [...new Set(equation.replace(/[^A-Za-z]/g, ''))];
  const renamed = [...equation].map((c) => (/[A-Za-z]/.test(c) ? String.fromCharCode(97 + order.indexOf(c)) : c)).join('');
  const p = einsumMacs(op);
  if (renamed === 'abc,abd->acd' || renamed === 'abc,adc->adb') return p;
  return fourSignificant((einsumContracts(op) ? 2n : 1n) * p + 1n) / 2n;
}

export const fvcore: Convention<'fvcore'> = {
  key: 'fvcore',
  source: 'fvcore FlopCountAnalysis 0.1.6: traced ATen ops, one fused multiply-add = 1',
  unit: 'FLOPs',
  rules: {
    conv2d: rule('numel(out) * (Cin/g) * kh * kw; bias ignored', convMacs),
    batchnorm: rule('2 * numel(in) (inference, affine)', (op) => 2n * inp(op)),
    relu: ignored('aten::relu is ignored'),
    sigmoid: unsupported('aten::sigmoid is unsupported (reported as skipped)'),
    relu6: unsupported('aten::hardtanh (what nn.ReLU6 calls) is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    silu: unsupported('aten::silu(_) is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    hardswish: unsupported('aten::hardswish(_) is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    hardsigmoid: unsupported('aten::hardsigmoid is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    global_avg_pool: rule('numel(in)', inp),
    avg_pool: unsupported('aten::avg_pool2d is unsupported (reported as skipped)'),
    max_pool: unsupported('aten::max_pool2d is unsupported (reported as skipped)'),
    linear: rule('numel(in) * out; bias ignored', linearMacs),
    scale: unsupported('aten::mul is unsupported (reported as skipped)'),
    add: unsupported('aten::add is unsupported (reported as skipped)'),
    concat: ignored('aten::cat is ignored'),
    reduce_mean: unsupported('aten::mean is unsupported (reported as skipped)'),
    resize: rule(
      'numel(out) nearest (aten::upsample_nearest2d: elementwise_flop_counter(0, 1)), 4 * numel(out) bilinear (aten::upsample_bilinear2d: elementwise_flop_counter(0, 4), flop_count.py)',
      (op) => (op.attrs.bilinear ? 4n : 1n) * out(op),
    ),
    leaky_relu: unsupported('aten::leaky_relu is unsupported (reported as skipped)'),
    prelu: unsupported('aten::prelu is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    conv_transpose: rule('numel(in) * (Cout/g) * kh * kw (transposed: the input size); bias ignored', convTransposeMacs),
    mul: unsupported('aten::mul is unsupported (reported as skipped)'),
    sub: unsupported('aten::sub is unsupported (reported as skipped)'),
    div: unsupported('aten::div is unsupported (reported as skipped)'),
    pow: unsupported('aten::pow is unsupported (reported as skipped)'),
    tanh: unsupported('aten::tanh is unsupported (reported as skipped)'),
    softmax: unsupported('aten::softmax is unsupported (reported as skipped)'),
    pad: unsupported('aten::pad (torch 1.13 traces F.pad so) is unsupported (reported as skipped)'),
    gelu: unsupported(
      'aten::gelu is in neither _DEFAULT_SUPPORTED_OPS (flop_count.py:26-44) nor _IGNORED_OPS (jit_analysis.py:28-87): unsupported (reported as skipped)',
    ),
    erf: unsupported('aten::erf is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    exp: unsupported('aten::exp is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    layernorm: rule(
      '5 * numel(in) with a weight, 4 * numel(in) without (aten::layer_norm: norm_flop_counter(2), flop_count.py:38, jit_handles.py:230-248)',
      (op) => (op.attrs.affine ? 5n : 4n) * inp(op),
    ),
    einsum: rule(
      "P, the product of the letters' sizes, for abc,abd->acd and abc,adc->adb; any other equation numpy's einsum_path count (2P + 1 contracting) to 4 significant digits, halved, floored (aten::einsum: einsum_flop_jit, flop_count.py:30, jit_handles.py:174-214)",
      einsumFlops,
    ),
    matmul: rule(
      'numel(a) * N (aten::matmul: matmul_flop_jit, flop_count.py:31, jit_handles.py:217-227; aten::bmm: bmm_flop_jit, flop_count.py:28, jit_handles.py:113-124, the same product for 3-D operands)',
      leftTimesWidth,
    ),
    // jit_analysis.py's _IGNORED_OPS has aten::max (x.max(dim)) but not aten::sum, aten::amax, aten::amin.
    instance_norm: rule(
      '5 * numel(in) with a weight, 4 * numel(in) without (aten::instance_norm: norm_flop_counter(1), flop_count.py)',
      (op) => (op.attrs.affine ? 5n : 4n) * inp(op),
    ),
    clip: ignored("aten::clamp is in _IGNORED_OPS (jit_analysis.py:37; aten::clamp_min, F.normalize's, has no handle: skipped, 0 either way)"),
    reduce_l2: unsupported('aten::norm and aten::linalg_vector_norm have no handle and are not in _IGNORED_OPS: reported as skipped'),
    group_norm: rule(
      '5 * numel(in) with a weight, 4 * numel(in) without (aten::group_norm: norm_flop_counter(2), flop_count.py:37, jit_handles.py:230-248)',
      (op) => (op.attrs.affine ? 5n : 4n) * inp(op),
    ),
    softplus: unsupported('aten::softplus has no handle and is not in _IGNORED_OPS: reported as skipped'),
    mish: unsupported('aten::mish has no handle and is not in _IGNORED_OPS: reported as skipped'),
    reduce_sum: unsupported('aten::sum has no handle in flop_count.py and is not in _IGNORED_OPS (jit_analysis.py): reported as skipped'),
    reduce_max: unsupported('aten::amax has no handle and is not in _IGNORED_OPS: reported as skipped (x.max(dim), aten::max, is ignored: 0 either way)'),
    reduce_min: unsupported('aten::amin has no handle and is not in _IGNORED_OPS: reported as skipped'),
  },
  backward: forwardOnly('traces the forward graph: no backward pass'),
};
