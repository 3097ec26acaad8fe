import { biasAdds, convMacs, forwardOnly, ignored, linearMacs, onlyThese, rule, type Convention } from './convention';

export const ptflopsAten: Convention<'ptflops-aten'> = {
  key: 'ptflops-aten',
  source: "ptflops 0.7.6, 'aten' backend: convolutions and matrix products, whole batch",
  unit: 'MACs',
  rules: onlyThese(
    {
      conv2d: rule('numel(out) * (Cin/g) * kh * kw + numel(out) if bias', (op) => convMacs(op) + biasAdds(op)),
      linear: rule('rows * in * out + rows * out if bias', (op) => linearMacs(op) + biasAdds(op)),
    },
    ignored('only matrix products and convolutions are counted'),
  ),
  backward: forwardOnly('traces the forward ATen ops: no backward pass'),
};
