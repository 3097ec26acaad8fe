// Every convention on every op of the hybrid blocks, against docs/conventions.md's rules by hand.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { countLayer, totalsOf } from '../src/analyzers/count';
import type { Op } from '../src/analyzers/ops';
import { inceptionGrid, resnetGrid } from './support/block-grids';

const numel = (shape: readonly number[]): bigint => shape.reduce((n, d) => n * BigInt(d), 1n);

/** docs/conventions.md, read afresh: [thop, fvcore, ptflops, ptflops-aten, macs, flops, senet]. */
function byHand(op: Op): bigint[] {
  const x = op.inputShapes[0] ?? [];
  const B = BigInt(x[0] ?? 1);
  const inN = numel(x);
  const outN = numel(op.outputShape);
  const [kh, kw] = op.attrs.kernel ?? [1, 1];
  const k2 = BigInt(kh * kw);
  switch (op.kind) {
    case 'conv2d': {
      const macs = (outN * BigInt(x[1] ?? 0) * k2) / BigInt(op.attrs.groups ?? 1);
      const bias = op.attrs.bias ? outN : 0n;
      return [macs, macs, (macs + bias) / B, macs + bias, macs, 2n * macs + bias, macs];
    }
    case 'batchnorm':
      return [4n * inN, 2n * inN, (2n * inN) / B, 0n, 0n, 2n * outN, 0n];
    case 'relu':
      return [0n, 0n, outN / B + inN, 0n, 0n, outN, 0n];
    case 'max_pool':
      return [0n, 0n, inN / B + inN, 0n, 0n, (k2 - 1n) * outN, 0n];
    case 'avg_pool':
      return [outN, 0n, inN / B + inN, 0n, 0n, k2 * outN, 0n];
    case 'global_avg_pool':
      return [(k2 + 1n) * outN, inN, inN / B + inN, 0n, 0n, inN, inN];
    case 'linear': {
      const macs = inN * BigInt(op.outputShape.at(-1) ?? 0);
      const bias = op.attrs.bias ? outN : 0n;
      return [macs, macs, (macs + bias) / B, macs + bias, macs, 2n * macs + bias, macs];
    }
    case 'sigmoid':
      return [0n, 0n, 0n, 0n, 0n, 4n * outN, 0n];
    case 'relu6': // ptflops hooks nn.ReLU6, which calls the unpatched F.hardtanh
      return [0n, 0n, outN / B, 0n, 0n, 2n * outN, 0n];
    case 'silu': // only ptflops' patched F.silu, whole batch
      return [0n, 0n, inN, 0n, 0n, 5n * outN, 0n];
    case 'hardswish':
      return [0n, 0n, 0n, 0n, 0n, 5n * outN, 0n];
    case 'hardsigmoid':
      return [0n, 0n, 0n, 0n, 0n, 4n * outN, 0n];
    case 'scale':
      return [0n, 0n, 0n, 0n, 0n, outN, outN];
    case 'add':
      return [0n, 0n, 0n, 0n, 0n, outN, 0n];
    case 'reduce_mean': // senet: SE's squeeze, over H and W only
      return [0n, 0n, 0n, 0n, 0n, inN, op.attrs.kernel === undefined ? 0n : inN];
    case 'resize': // bilinear: thop 11, fvcore 4, flops 7 per output element
      return op.attrs.bilinear === true
        ? [11n * outN, 4n * outN, outN / B / B + outN, 0n, 0n, 7n * outN, 0n]
        : [outN, outN, outN / B / B + outN, 0n, 0n, 0n, 0n];
    case 'leaky_relu':
      return [0n, 0n, outN / B, 0n, 0n, 2n * outN, 0n];
    // thop's count_prelu: numel(in); ptflops: the module per image and F.prelu, which it calls, for the batch.
    case 'prelu':
      return [inN, 0n, outN / B + inN, 0n, 0n, 2n * outN, 0n];
    case 'conv_transpose': {
      const macs = inN * BigInt(op.outputShape[1] ?? 0) * k2; // groups 1 here
      const bias = op.attrs.bias ? outN : 0n;
      return [outN * BigInt(x[1] ?? 0) * k2, macs, (macs + bias) / B, macs + bias, macs, 2n * macs + bias, macs];
    }
    case 'concat':
    case 'pad':
      return [0n, 0n, 0n, 0n, 0n, 0n, 0n];
    case 'mul':
    case 'sub':
    case 'div':
    case 'pow':
      return [0n, 0n, 0n, 0n, 0n, outN, 0n];
    case 'tanh':
      return [0n, 0n, 0n, 0n, 0n, 5n * outN, 0n];
    case 'softmax': {
      const n = BigInt(x[op.attrs.axis ?? x.length - 1] ?? 1);
      const thop = (inN / n) * (3n * n - 1n);
      return [thop, 0n, inN, 0n, 0n, thop, 0n];
    }
    case 'gelu': // ptflops: nn.GELU's module hook per image and the patched F.gelu per batch; flops 13 for the tanh form
      return [0n, 0n, outN / B + inN, 0n, 0n, (op.attrs.approximate === 'tanh' ? 13n : 5n) * outN, 0n];
    case 'erf':
    case 'exp':
      return [0n, 0n, 0n, 0n, 0n, outN, 0n];
    case 'layernorm': {
      const rows = inN / numel(x.slice(op.attrs.axis ?? -1));
      const affine = op.attrs.affine ? inN : 0n;
      const shift = op.attrs.bias ? inN : 0n;
      return [affine > 0n ? 4n * inN : 2n * inN, affine > 0n ? 5n * inN : 4n * inN, inN / B, 0n, 0n, 5n * inN + 2n * rows + affine + shift, 0n];
    }
    case 'reduce_sum':
    case 'reduce_max':
    case 'reduce_min': // functional: only flops, n - 1 per result of n
      return [0n, 0n, 0n, 0n, 0n, inN - outN, 0n];
    case 'softplus':
      return [0n, 0n, 0n, 0n, 0n, 3n * outN, 0n];
    case 'mish':
      return [0n, 0n, 0n, 0n, 0n, 9n * outN, 0n];
    case 'instance_norm': {
      const rows = BigInt(x[0] ?? 1) * BigInt(x[1] ?? 1);
      const affine = op.attrs.affine === true;
      const learned = (affine ? inN : 0n) + (op.attrs.bias ? inN : 0n);
      return [(affine ? 4n : 2n) * inN, (affine ? 5n : 4n) * inN, ((affine ? 2n : 1n) * inN) / B, 0n, 0n, 5n * inN + 2n * rows + learned, 0n];
    }
    case 'clip': // functional (torch.clamp): only flops, a max and a min per element
      return [0n, 0n, 0n, 0n, 0n, 2n * outN, 0n];
    case 'reduce_l2': // functional (torch.norm): only flops, a square, an add and a root per element in all
      return [0n, 0n, 0n, 0n, 0n, 2n * inN, 0n];
    case 'group_norm': {
      // thop has no nn.GroupNorm rule: 0; fvcore aten::group_norm and ptflops' bn hook as for the other norms; rows = N * G.
      const rows = BigInt(x[0] ?? 1) * BigInt(op.attrs.groups ?? 1);
      const affine = op.attrs.affine === true;
      const learned = (affine ? inN : 0n) + (op.attrs.bias ? inN : 0n);
      return [0n, (affine ? 5n : 4n) * inN, ((affine ? 2n : 1n) * inN) / B, 0n, 0n, 5n * inN + 2n * rows + learned, 0n];
    }
    case 'matmul': {
      // numel(a) * N for fvcore and ptflops (whole batch), numel(out) * K for the aten backend's bmm and seprof.
      const macs = outN * BigInt(x.at(-1) ?? 0);
      const peers = inN * BigInt(op.inputShapes[1]?.at(-1) ?? 0);
      return [0n, peers, peers, macs, macs, 2n * macs, macs];
    }
    default: // einsum and any kind no built-in block holds: model files only (test/file-einsum.slow.test.ts)
      throw new Error(`no built-in block has a ${op.kind} (${op.name})`);
  }
}

const KEYS = ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet'] as const;

describe.each([
  ['SE-ResNet and ResNet blocks', resnetGrid],
  ['SE-Inception and Inception blocks', inceptionGrid],
] as const)('%s', (_, grid) => {
  it('count every op under every convention as docs/conventions.md says, and sum to the totals', () => {
    expect(grid.length).toBeGreaterThanOrEqual(60);
    const failures: string[] = [];
    for (const spec of grid) {
      const layers = analyticOps(spec).map(countLayer);
      const sums = KEYS.map(() => 0n);
      for (const { op, counts } of layers) {
        byHand(op).forEach((n, i) => {
          const key = KEYS[i] ?? 'thop';
          sums[i] = (sums[i] ?? 0n) + n;
          if (counts[key] !== n) failures.push(`${spec.block} ${op.name} ${key}: ${counts[key]} vs ${n}`);
        });
      }
      const totals = totalsOf(layers);
      KEYS.forEach((key, i) => {
        if (totals.counts[key] !== sums[i]) failures.push(`${spec.block} total ${key}`);
      });
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
