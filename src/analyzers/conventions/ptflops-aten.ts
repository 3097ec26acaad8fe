import { biasAdds, convMacs, linearMacs, onlyThese, rule, skip, type Convention } from './convention';

export const ptflopsAten: Convention = {
  key: 'ptflops-aten',
  source: "ptflops 0.7.6, 'aten' backend: convolutions and matrix products, whole batch",
  unit: 'MACs',
  rules: onlyThese(
    {
      conv2d: rule('numel(out) * (Cin/g) * kh * kw + numel(out) if bias', (op) => convMacs(op) + biasAdds(op)),
      linear: rule('rows * in * out + rows * out if bias', (op) => linearMacs(op) + biasAdds(op)),
    },
    skip('only matrix products and convolutions are counted'),
  ),
};
