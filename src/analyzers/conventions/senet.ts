import {
  convMacs,
  convTransposeMacs,
  einsumMacs,
  forwardOnly,
  ignored,
  inp,
  linearMacs,
  matmulMacs,
  onlyThese,
  out,
  rule,
  type Convention,
} from './convention';

// Inferred, not read from a counter: the SENet paper (arXiv 1709.01507, Table 2) reports
// GFLOPs that equal conv and linear multiply-accumulates plus one operation per element
// for global average pooling (the squeeze) and for the SE rescale. See `seprof paper`.
export const senet: Convention<'senet'> = {
  key: 'senet',
  source: "SENet paper's accounting (inferred from its Table 2): MACs plus SE's squeeze and rescale",
  unit: 'FLOPs',
  rules: onlyThese(
    {
      conv2d: rule('numel(out) * (Cin/g) * kh * kw; bias ignored', convMacs),
      global_avg_pool: rule('numel(in)', inp),
      // Over H and W only (the op carries the window): a token or channel mean is no squeeze.
      reduce_mean: rule('numel(in) over H and W (the squeeze written as x.mean((2, 3))); 0 over other axes', (op) =>
        op.attrs.kernel === undefined ? 0n : inp(op),
      ),
      linear: rule('rows * in * out; bias ignored', linearMacs),
      matmul: rule('numel(out) * K (multiply-accumulates, as linear)', matmulMacs),
      einsum: rule("P, the product of the letters' sizes (multiply-accumulates, as matmul)", einsumMacs),
      conv_transpose: rule('numel(in) * (Cout/g) * kh * kw; bias ignored', convTransposeMacs),
      scale: rule('numel(out)', out),
    },
    ignored("not counted in the SENet paper's figures"),
  ),
  backward: forwardOnly("the SENet paper's figures are forward passes"),
};
