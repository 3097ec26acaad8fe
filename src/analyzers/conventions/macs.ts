import { convMacs, linearMacs, onlyThese, rule, skip, type Convention } from './convention';

export const macs: Convention = {
  key: 'macs',
  source: "seprof: multiply-accumulates of conv2d and linear, bias ignored (the papers' \"FLOPs\")",
  unit: 'MACs',
  rules: onlyThese(
    { conv2d: rule('numel(out) * (Cin/g) * kh * kw', convMacs), linear: rule('rows * in * out', linearMacs) },
    skip('not a convolution or matrix product'),
  ),
};
