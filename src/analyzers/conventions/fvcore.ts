import { convMacs, forwardOnly, ignored, inp, linearMacs, rule, unsupported, type Convention } from './convention';

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
  },
  backward: forwardOnly('traces the forward graph: no backward pass'),
};
