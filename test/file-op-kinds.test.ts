// The op kinds model files add (reduce_mean, resize, the elementwise operators, tanh, softmax, pad), counted by the peers' rules as
// docs/conventions.md reads them from the peers' source and measured them.
import { describe, expect, it } from 'vitest';
import { flopsBackward } from '../src/analyzers/backward/flops';
import { macsBackward } from '../src/analyzers/backward/macs';
import { CONVENTIONS, countByRule, countOp } from '../src/analyzers/conventions';
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

  it('the operators * + - / ** (ONNX Mul, Add, Sub, Div, Pow) are invisible to thop and ptflops, unsupported in fvcore, one operation per element in flops', () => {
    for (const kind of ['mul', 'add', 'sub', 'div', 'pow'] as const) {
      const op = makeOp(kind, kind, [[2, 8, 4, 4], [2, 1, 4, 4]], [2, 8, 4, 4]);
      expect(counts(op)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 256n, senet: 0n });
    }
  });

  it('nn.Tanh: no peer counts it; flops 5 per element', () => {
    const tanh = makeOp('tanh', 'tanh', [[1, 4, 8, 8]], [1, 4, 8, 8]);
    expect(counts(tanh)).toEqual({ thop: 0n, fvcore: 0n, ptflops: 0n, 'ptflops-aten': 0n, macs: 0n, flops: 5n * 256n, senet: 0n });
  });

  it('nn.Softmax(dim=1) on 2x10x3x3: thop and flops rows * (3n - 1), ptflops F.softmax numel(in) for the batch', () => {
    // 18 rows of n = 10: 10 exps, 9 adds, 10 divides each.
    const softmax = makeOp('softmax', 'softmax', [[2, 10, 3, 3]], [2, 10, 3, 3], { attrs: { axis: 1 } });
    expect(counts(softmax)).toEqual({ thop: 18n * 29n, fvcore: 0n, ptflops: 180n, 'ptflops-aten': 0n, macs: 0n, flops: 18n * 29n, senet: 0n });
  });

  it('F.pad and the padding modules are copies: 0 everywhere', () => {
    const pad = makeOp('pad', 'pad', [[1, 8, 8, 8]], [1, 8, 10, 10]);
    expect(Object.values(counts(pad)).every((n) => n === 0n)).toBe(true);
  });

  it('backward: tfjs gradients of each operand that is an activation; a constant gets none', () => {
    const back = (op: ReturnType<typeof makeOp>): bigint => countByRule(flopsBackward[op.kind], op);
    const [x, y] = [[2, 8, 4, 4], [2, 1, 4, 4]];
    // a * b, b broadcast over C: dy * b (256) for a; dy * a (256) and its sum over C (256 - 32) for b.
    expect(back(makeOp('m', 'mul', [x, y], x))).toBe(256n + 256n + 224n);
    // x * c: only x's gradient, dy * c.
    expect(back(makeOp('m', 'mul', [x], x, { attrs: { constant: { at: 1, shape: [1, 8, 1, 1] } } }))).toBe(256n);
    // c - x: x's gradient is -dy (256 negations); x - c: dy itself.
    expect(back(makeOp('s', 'sub', [x], x, { attrs: { constant: { at: 0, shape: [1, 1, 1, 1] } } }))).toBe(256n);
    expect(back(makeOp('s', 'sub', [x], x, { attrs: { constant: { at: 1, shape: [1, 1, 1, 1] } } }))).toBe(0n);
    // a / b: dy / b (256); dy * a (256), summed over C (224), then b^2, divide, negate (3 * 32).
    expect(back(makeOp('d', 'div', [x, y], x))).toBe(256n + 256n + 224n + 96n);
    // x ** 2: 2 - 1 (1), x^1 (256), 2 * x^1 (256), dy * that (256).
    expect(back(makeOp('p', 'pow', [x], x, { attrs: { constant: { at: 1, shape: [1, 1, 1, 1] } } }))).toBe(1n + 768n);
    // softmax over n = 8 in 32 rows: dy * y, its row sums (32 * 7), times y, subtract.
    expect(back(makeOp('sm', 'softmax', [x], x, { attrs: { axis: 1 } }))).toBe(256n + 224n + 256n + 256n);
    expect(back(makeOp('t', 'tanh', [x], x))).toBe(3n * 256n);
    expect(back(makeOp('pd', 'pad', [x], [2, 8, 6, 6]))).toBe(0n);
    expect(countByRule(macsBackward.mul, makeOp('m', 'mul', [x, y], x))).toBe(0n);
  });
});
