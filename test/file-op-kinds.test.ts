// The op kinds model files add (reduce_mean, resize), counted by the peers' rules as
// docs/conventions.md reads them from the peers' source and measured them.
import { describe, expect, it } from 'vitest';
import { CONVENTIONS, countOp } from '../src/analyzers/conventions';
import { makeOp } from '../src/analyzers/ops';

const counts = (op: ReturnType<typeof makeOp>): Record<string, bigint> => Object.fromEntries(CONVENTIONS.map((c) => [c.key, countOp(c, op)]));

describe('model-file op kinds', () => {
  it('nn.Upsample(scale_factor=2, nearest) on 1x8x6x6: thop 1152, fvcore 1152, ptflops 2304 (as measured with the peers)', () => {
    const up = makeOp('up', 'resize', [[1, 8, 6, 6]], [1, 8, 12, 12]);
    expect(counts(up)).toEqual({ thop: 1152n, fvcore: 1152n, ptflops: 2304n, 'ptflops-aten': 0n, macs: 0n, flops: 0n, senet: 0n });
  });

  it('nn.LeakyReLU: thop 0 (its rule returns 0), fvcore unsupported, ptflops numel(out) per image', () => {
    const leaky = makeOp('act', 'leaky_relu', [[2, 16, 8, 8]], [2, 16, 8, 8]);
    expect(counts(leaky)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 16n * 64n, 'ptflops-aten': 0n, macs: 0n, flops: 2n * 2n * 16n * 64n, senet: 0n });
  });

  it('ConvTranspose2d(8 -> 4, k4, s2, p1, bias) on 1x8x6x6: thop 73728, fvcore 18432, ptflops and aten 19008 (as measured)', () => {
    const up = makeOp('up', 'conv_transpose', [[1, 8, 6, 6]], [1, 4, 12, 12], { attrs: { kernel: [4, 4], stride: 2, groups: 1, bias: true }, params: 8n * 4n * 16n + 4n });
    const macs = 288n * 4n * 16n;
    expect(counts(up)).toEqual({ thop: 73728n, fvcore: 18432n, ptflops: 19008n, 'ptflops-aten': 19008n, macs, flops: 2n * macs + 576n, senet: macs });
  });

  it('x.mean((2, 3), keepdim=True) is functional: 0 for the peers, numel(in) for flops and senet', () => {
    const mean = makeOp('se.mean', 'reduce_mean', [[1, 64, 7, 7]], [1, 64, 1, 1], { attrs: { kernel: [7, 7] } });
    expect(counts(mean)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 64n * 49n, senet: 64n * 49n });
  });
});
