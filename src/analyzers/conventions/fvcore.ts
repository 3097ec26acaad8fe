import { convMacs, inp, linearMacs, rule, skip, type Convention } from './convention';

export const fvcore: Convention = {
  key: 'fvcore',
  source: 'fvcore FlopCountAnalysis 0.1.6: traced ATen ops, one fused multiply-add = 1',
  unit: 'FLOPs',
  rules: {
    conv2d: rule('numel(out) * (Cin/g) * kh * kw; bias ignored', convMacs),
    batchnorm: rule('2 * numel(in) (inference, affine)', (op) => 2n * inp(op)),
    relu: skip('aten::relu is ignored'),
    sigmoid: skip('aten::sigmoid is unsupported (reported as skipped)'),
    relu6: skip('aten::hardtanh (what nn.ReLU6 calls) is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    silu: skip('aten::silu(_) is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    hardswish: skip('aten::hardswish(_) is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    hardsigmoid: skip('aten::hardsigmoid is in neither _DEFAULT_SUPPORTED_OPS nor _IGNORED_OPS: unsupported (reported as skipped)'),
    global_avg_pool: rule('numel(in)', inp),
    avg_pool: skip('aten::avg_pool2d is unsupported (reported as skipped)'),
    max_pool: skip('aten::max_pool2d is unsupported (reported as skipped)'),
    linear: rule('numel(in) * out; bias ignored', linearMacs),
    scale: skip('aten::mul is unsupported (reported as skipped)'),
    add: skip('aten::add is unsupported (reported as skipped)'),
    concat: skip('aten::cat is ignored'),
  },
};
