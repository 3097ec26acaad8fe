// Attention measured: a MatMul of two rank-4 activations (stored NHWC by the executor) computed
// on the right axes and read back as the analytic matmul, its backward rule against the
// BatchMatMul gradients tfjs runs, and `seprof explain` on the attention fixture.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flopsBackward } from '../src/analyzers/backward/flops';
import { macsBackward } from '../src/analyzers/backward/macs';
import { countByRule } from '../src/analyzers/conventions';
import { explain } from '../src/analyzers/explain';
import { gradientKernelCost } from '../src/analyzers/measured/gradient-kernels';
import { makeOp } from '../src/analyzers/ops';
import { profile } from '../src/index';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphExecutor } from '../src/modules/graph-executor';
import { encodeModel } from './support/onnx';

describe('x @ x^T @ x on a 1x2x6x4 map', () => {
  // Scores x @ x^T (1x2x6x6), then scores @ x (1x2x6x4): two products of activations, 2 x 6 x 6 x 4 MACs each.
  const path = join(mkdtempSync(join(tmpdir(), 'seprof-matmul-')), 'attn.onnx');
  writeFileSync(
    path,
    encodeModel({
      opset: 13,
      input: { name: 'x', dims: [1, 2, 6, 4] },
      nodes: [
        { op: 'Transpose', inputs: ['x'], outputs: ['xt'], name: '/Transpose', attrs: [{ name: 'perm', type: 7, ints: [0, 1, 3, 2] }] },
        { op: 'MatMul', inputs: ['x', 'xt'], outputs: ['s'], name: '/MatMul' },
        { op: 'MatMul', inputs: ['s', 'x'], outputs: ['y'], name: '/MatMul_1' },
      ],
    }),
  );
  const values = Float32Array.from({ length: 48 }, (_, i) => Math.sin(i + 1));

  it('multiplies the NCHW axes, though rank-4 tensors are stored NHWC', async () => {
    await tf.setBackend('cpu');
    const executor = new GraphExecutor(inferShapes(readModelFile(path), new Map()));
    const x = tf.tensor(values, [1, 2, 6, 4]);
    const [stored] = executor.run(new Map([['x', tf.transpose(x, [0, 2, 3, 1])]]));
    const y = tf.transpose(stored as tf.Tensor, [0, 3, 1, 2]);
    executor.dispose();
    const expected = tf.matMul(tf.matMul(x, x, false, true), x);
    expect(y.shape).toEqual([1, 2, 6, 4]);
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-4);
  });

  it('is read back as two matmuls, forward and backward', async () => {
    const result = await profile({ file: path, measure: true, training: true });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => [l.op.name, l.op.kind, l.counts['macs']])).toEqual([
      ['matmul', 'matmul', 2n * 36n * 4n],
      ['matmul_1', 'matmul', 2n * 24n * 6n],
    ]);
  });
});

describe('the backward rule against the BatchMatMul gradients tfjs runs (cpu)', () => {
  it.each([
    [
      [3, 5, 4],
      [3, 4, 7],
    ],
    [
      [2, 2, 16, 8],
      [2, 2, 8, 16],
    ],
  ])('%j @ %j', async (a, b) => {
    await tf.setBackend('cpu');
    const [x, w] = [tf.randomNormal(a), tf.randomNormal(b)];
    const y = tf.matMul(x, w);
    const dy = tf.onesLike(y);
    const run = await tf.profile(() => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q))([x, w], dy));
    const layer = { name: 'mm', params: 0n, buffers: 0n };
    // The tape re-runs the forward (its BatchMatMul, and Identity clones of what it saves) first.
    const kernels = run.kernels.filter((k) => k.name !== 'Identity');
    expect(kernels.map((k) => k.name)).toEqual(['BatchMatMul', 'BatchMatMul', 'BatchMatMul']);
    const measured = kernels.slice(1).reduce(
      (sum, k) => {
        const c = gradientKernelCost(k, layer);
        if (c === undefined) throw new Error(`no cost for ${k.name}`);
        return c === 'move' ? sum : { macs: sum.macs + (c['macs'] ?? 0n), flops: sum.flops + (c['flops'] ?? 0n) };
      },
      { macs: 0n, flops: 0n },
    );
    const op = makeOp('mm', 'matmul', [a, b], y.shape);
    expect(measured).toEqual({ macs: countByRule(macsBackward['matmul'], op), flops: countByRule(flopsBackward['matmul'], op) });
    tf.dispose([x, w, y, dy, ...(run.result as tf.Tensor[])]);
  });
});

describe('seprof explain on the hand-written attention', () => {
  it("gives matmul each convention's rule with its source, counted on q @ k^T and attn @ v", async () => {
    const result = await profile({ file: join(__dirname, 'fixtures', 'onnx', 'vit_block.onnx'), training: true });
    const explained = explain(result, ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet'], 'thop');
    const matmul = explained.kinds.find((k) => k.kind === 'matmul');
    const rules = Object.fromEntries((matmul?.forward ?? []).map((u) => [u.key, [u.rule, u.count]]));
    expect(rules['thop']?.[0]).toMatch(/invisible to module hooks/);
    expect(rules['fvcore']?.[0]).toMatch(/jit_handles.py:217-227/);
    expect(rules['ptflops']?.[0]).toMatch(/pytorch_ops.py:385-387/);
    expect(rules['ptflops-aten']?.[0]).toMatch(/aten_ops.py:57-68/);
    // Batch 1, 2 heads, 16 tokens, width 8: 4,096 multiply-accumulates per product.
    expect(Object.fromEntries(Object.entries(rules).map(([k, [, n]]) => [k, n]))).toEqual({
      thop: 0n,
      fvcore: 8192n,
      ptflops: 8192n,
      'ptflops-aten': 8192n,
      macs: 8192n,
      flops: 16384n,
      senet: 8192n,
    });
    expect(matmul?.backward.map((u) => [u.key, u.count])).toEqual([
      ['macs', 16384n],
      ['flops', 32768n],
    ]);
  });
});
