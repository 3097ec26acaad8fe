import { macsBackward } from '../backward/macs';
import { convMacs, convTransposeMacs, einsumMacs, ignored, linearMacs, matmulMacs, onlyThese, rule, type Convention } from './convention';

export const macs: Convention<'macs'> = {
  key: 'macs',
  source: 'seprof: multiply-accumulates of conv2d and linear, bias ignored (the papers\' "FLOPs")',
  unit: 'MACs',
  rules: onlyThese(
    {
      conv2d: rule('numel(out) * (Cin/g) * kh * kw', convMacs),
      conv_transpose: rule('numel(in) * (Cout/g) * kh * kw', convTransposeMacs),
      linear: rule('rows * in * out', linearMacs),
      matmul: rule('numel(out) * K: K multiply-accumulates per output element, as linear', matmulMacs),
      einsum: rule("P, the product of the letters' sizes: each output element sums over the contracted letters", einsumMacs),
    },
    ignored('not a convolution or matrix product'),
  ),
  backward: macsBackward,
};
