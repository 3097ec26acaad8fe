import { macsBackward } from '../backward/macs';
import { convMacs, ignored, linearMacs, onlyThese, rule, type Convention } from './convention';

export const macs: Convention<'macs'> = {
  key: 'macs',
  source: "seprof: multiply-accumulates of conv2d and linear, bias ignored (the papers' \"FLOPs\")",
  unit: 'MACs',
  rules: onlyThese(
    { conv2d: rule('numel(out) * (Cin/g) * kh * kw', convMacs), linear: rule('rows * in * out', linearMacs) },
    ignored('not a convolution or matrix product'),
  ),
  backward: macsBackward,
};
