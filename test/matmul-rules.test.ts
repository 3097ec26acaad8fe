// The matmul op kind (a product of two activations: attention's q @ k^T and attn @ v) counted
// by hand under every convention, forward and backward, and its import from an ONNX graph.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKWARD } from '../src/analyzers/backward';
import { CONVENTIONS, countByRule, isForwardOnly } from '../src/analyzers/conventions';
import { makeOp, type Op } from '../src/analyzers/ops';
import { profile } from '../src/index';

const counts = (op: Op): Record<string, bigint> => Object.fromEntries(CONVENTIONS.map((c) => [c.key, countByRule(c.rules[op.kind], op)]));
const backward = (op: Op): Record<string, bigint> =>
  Object.fromEntries(Object.entries(BACKWARD).flatMap(([key, table]) => (isForwardOnly(table) ? [] : [[key, countByRule(table[op.kind], op)]])));

describe('matmul rules by hand', () => {
  // q @ k^T of 2 images, 2 heads, 16 tokens, head width 8: 2*2*16*16 outputs of 8 products each.
  const scores = makeOp(
    'attn.matmul',
    'matmul',
    [
      [2, 2, 16, 8],
      [2, 2, 8, 16],
    ],
    [2, 2, 16, 16],
  );

  it('q @ k^T: 8,192 multiply-accumulates for every peer but thop (whose hooks see no function), twice that in flops', () => {
    expect(counts(scores)).toEqual({ thop: 0n, fvcore: 8192n, ptflops: 8192n, 'ptflops-aten': 8192n, macs: 8192n, flops: 16384n, senet: 8192n });
  });

  it('backward: dy @ k and q^T @ dy, each as large as the forward; nothing broadcast, nothing summed', () => {
    expect(backward(scores)).toEqual({ macs: 2n * 8192n, flops: 4n * 8192n });
  });

  // a [16, 8] broadcast over 3 batches of b [3, 8, 5]: 3*16*5 = 240 outputs, K = 8.
  const broadcast = makeOp(
    'mm',
    'matmul',
    [
      [16, 8],
      [3, 8, 5],
    ],
    [3, 16, 5],
  );

  it("a broadcast along a batch axis: fvcore's and ptflops' numel(a) * N counts it once, the aten backend's bmm every batch", () => {
    // fvcore and ptflops: numel(a) * N = 128 * 5; macs and ptflops-aten: 240 * 8.
    expect(counts(broadcast)).toEqual({ thop: 0n, fvcore: 640n, ptflops: 640n, 'ptflops-aten': 1920n, macs: 1920n, flops: 3840n, senet: 1920n });
  });

  it("backward of a broadcast a: its 3 x 16 x 8 gradient summed over the batch into 16 x 8 (384 - 128 adds); b's needs no sum", () => {
    expect(backward(broadcast)).toEqual({ macs: 2n * 1920n, flops: 4n * 1920n + (384n - 128n) + (3n * 8n * 5n - 120n) });
  });
});

describe('ONNX import', () => {
  it('a MatMul of two activations is a matmul without params, a MatMul by an initializer stays a Linear', async () => {
    const result = await profile({ file: join(__dirname, 'fixtures', 'onnx-peers', 'vit_block_op13.onnx') });
    const attention = result.layers
      .filter((l) => l.op.name.startsWith('attn.'))
      .map((l) => [l.op.name, l.op.kind, l.op.params, l.op.inputShapes, l.op.outputShape, l.op.reads]);
    expect(attention).toEqual([
      ['attn.q', 'linear', 272n, [[2, 16, 16]], [2, 16, 16], ['norm1']],
      ['attn.k', 'linear', 272n, [[2, 16, 16]], [2, 16, 16], ['norm1']],
      ['attn.v', 'linear', 272n, [[2, 16, 16]], [2, 16, 16], ['norm1']],
      [
        'attn.matmul',
        'matmul',
        0n,
        [
          [2, 2, 16, 8],
          [2, 2, 8, 16],
        ],
        [2, 2, 16, 16],
        ['attn.q', 'attn.k'],
      ],
      ['attn.mul', 'mul', 0n, [[2, 2, 16, 16]], [2, 2, 16, 16], ['attn.matmul']],
      ['attn.softmax', 'softmax', 0n, [[2, 2, 16, 16]], [2, 2, 16, 16], ['attn.mul']],
      [
        'attn.matmul_1',
        'matmul',
        0n,
        [
          [2, 2, 16, 16],
          [2, 2, 16, 8],
        ],
        [2, 2, 16, 8],
        ['attn.softmax', 'attn.v'],
      ],
      ['attn.proj', 'linear', 272n, [[2, 16, 16]], [2, 16, 16], ['attn.matmul_1']],
    ]);
    expect(result.file?.unsupported).toEqual([]);
  });
});
