import { biasAdds, convMacs, linearMacs, rule, skip, type Convention } from './convention';

const notCounted = skip('only matrix products and convolutions are counted');

export const ptflopsAten: Convention = {
  key: 'ptflops-aten',
  source: "ptflops 0.7.6, 'aten' backend: convolutions and matrix products, whole batch",
  unit: 'MACs',
  rules: {
    conv2d: rule('numel(out) * (Cin/g) * kh * kw + numel(out) if bias', (op) => convMacs(op) + biasAdds(op)),
    batchnorm: notCounted,
    relu: notCounted,
    sigmoid: notCounted,
    global_avg_pool: notCounted,
    avg_pool: notCounted,
    max_pool: notCounted,
    linear: rule('rows * in * out + rows * out if bias', (op) => linearMacs(op) + biasAdds(op)),
    scale: notCounted,
    add: notCounted,
    concat: notCounted,
  },
};
