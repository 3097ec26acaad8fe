import {
  biasAdds,
  convMacs,
  convTransposeMacs,
  einsumContracts,
  einsumMacs,
  forwardOnly,
  ignored,
  linearMacs,
  matmulMacs,
  onlyThese,
  rule,
  type Convention,
} from './convention';
import { input } from '../ops';

export const ptflopsAten: Convention<'ptflops-aten'> = {
  key: 'ptflops-aten',
  source: "ptflops 0.7.6, 'aten' backend: convolutions and matrix products, whole batch",
  unit: 'MACs',
  rules: onlyThese(
    {
      conv2d: rule('numel(out) * (Cin/g) * kh * kw + numel(out) if bias', (op) => convMacs(op) + biasAdds(op)),
      // at::linear adds the bias inside aten.addmm for a 2-D and a contiguous 3-D input, else as an
      // aten.add after aten.matmul, which is not counted (measured: ConvNeXt's Linear on 4-D).
      linear: rule('rows * in * out + rows * out if bias, on inputs of rank 2 or 3', (op) => linearMacs(op) + (input(op).length <= 3 ? biasAdds(op) : 0n)),
      conv_transpose: rule('numel(in) * (Cout/g) * kh * kw + numel(out) if bias', (op) => convTransposeMacs(op) + biasAdds(op)),
      // aten.matmul is composite: the dispatcher sees the aten.bmm (or aten.mm) it expands to.
      // torch.einsum contracts two operands with aten.bmm (sumproduct_pair); without a summed letter it multiplies (aten.mul): 0.
      einsum: rule("P, the product of the letters' sizes, when a letter is summed (aten.bmm: bmm_flop, aten_ops.py:57-68); 0 without", (op) =>
        einsumContracts(op) ? einsumMacs(op) : 0n,
      ),
      matmul: rule(
        'numel(out) * K: aten.bmm / aten.mm after matmul expands the batch axes (bmm_flop, aten_ops.py:57-68; matmul_flop, 23-33; ATEN_OPS_MAPPING 109-116)',
        matmulMacs,
      ),
    },
    ignored('only matrix products and convolutions are counted'),
  ),
  backward: forwardOnly('traces the forward ATen ops: no backward pass'),
};
