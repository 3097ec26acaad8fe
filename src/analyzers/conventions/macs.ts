import { convMacs, linearMacs, rule, skip, type Convention } from './convention';

const notAMatrixProduct = skip('not a convolution or matrix product');

export const macs: Convention = {
  key: 'macs',
  source: "seprof: multiply-accumulates of conv2d and linear, bias ignored (the papers' \"FLOPs\")",
  unit: 'MACs',
  rules: {
    conv2d: rule('numel(out) * (Cin/g) * kh * kw', convMacs),
    batchnorm: notAMatrixProduct,
    relu: notAMatrixProduct,
    sigmoid: notAMatrixProduct,
    global_avg_pool: notAMatrixProduct,
    avg_pool: notAMatrixProduct,
    max_pool: notAMatrixProduct,
    linear: rule('rows * in * out', linearMacs),
    scale: notAMatrixProduct,
    add: notAMatrixProduct,
    concat: notAMatrixProduct,
  },
};
