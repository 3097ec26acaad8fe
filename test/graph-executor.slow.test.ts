// The tfjs graph executor computes what PyTorch computed: each fixture's output on a probe
// input, summarised by make_fixtures.py when it was exported, is reproduced from the file.
// It frees each activation once its last reader ran, and leaves nothing behind when it fails.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphExecutor } from '../src/modules/graph-executor';
import { encodeModel } from './support/onnx';

const FIXTURES = join(__dirname, 'fixtures', 'onnx');

interface Summary {
  input: number[];
  sum: number;
  sumOfSquares: number;
  samples: [number, number][];
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** sin(0.01 * i) in NCHW order, as make_fixtures.py's probe, stored NHWC. */
function probe(shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.transpose(
    tf.tensor(
      Float32Array.from({ length: n }, (_, i) => Math.sin(0.01 * i)),
      shape,
    ),
    [0, 2, 3, 1],
  );
}

describe('the graph executor reproduces PyTorch', () => {
  const files = ['se_resnet_block', 'se_resnet_block_external', 'mbv3_block', 'tiny_yolo_se', 'tiny_yolo_ops'];
  // GELU and LayerNorm spelled out (opset 13), LayerNormalization (17), Gelu (20): one PyTorch model each.
  const transformers = ['convnext_block', 'vit_head'].flatMap((name) => [name, `${name}_op17`, `${name}_op20`]);
  // Self-attention: hand-written (opsets 13 and 17) and nn.MultiheadAttention.
  const attention = ['vit_block', 'vit_block_op17', 'vit_block_mha', 'vit_tiny'];
  // torchvision's Swin, narrow: the shifted windows' mask built at run time (ScatterND, Equal, Not,
  // Where), PatchMerging's x[..., 0::2, 0::2, :] (Slice with step 2), padded windows.
  const swin = ['swin_tiny', 'swin_tiny_op17'];
  // Swin V2, as narrow: cosine attention (ReduceL2, Clip), a clamped logit scale per head, the position bias MLP on a buffer.
  const swinV2 = ['swin_v2_tiny', 'swin_v2_tiny_op17'];
  // torchvision's MaxViT, narrow: window and grid partitions (rank-6 permutes), MBConv with SE, relative position bias.
  const maxvit = ['maxvit_tiny'];
  for (const name of [...files, ...transformers, ...attention, ...swin, ...swinV2, ...maxvit]) {
    it(name, () => {
      const summary = JSON.parse(readFileSync(join(FIXTURES, `${name.replace(/_external|_op\d+/, '')}.output.json`), 'utf8')) as Summary;
      const inferred = inferShapes(readModelFile(join(FIXTURES, `${name}.onnx`)), new Map());
      const executor = new GraphExecutor(inferred);
      const input = probe(summary.input);
      const [stored] = executor.run(new Map([['images', input]]));
      const y = Array.from((stored?.rank === 4 ? tf.transpose(stored, [0, 3, 1, 2]) : (stored as tf.Tensor)).dataSync());
      executor.dispose();
      const sum = y.reduce((a, b) => a + b, 0);
      const sumOfSquares = y.reduce((a, b) => a + b * b, 0);
      expect(Math.abs(sum - summary.sum)).toBeLessThan(1e-3 * Math.max(1, Math.abs(summary.sum)));
      expect(Math.abs(sumOfSquares - summary.sumOfSquares)).toBeLessThan(1e-4 * summary.sumOfSquares);
      for (const [i, value] of summary.samples) expect(Math.abs((y[i] as number) - value)).toBeLessThan(1e-4 + 1e-4 * Math.abs(value));
    });
  }
});

describe('the graph executor frees as it goes', () => {
  // x -> a -> b -> c; y = c + a: the skip a is read last by the add, b by r3.
  const path = join(mkdtempSync(join(tmpdir(), 'seprof-executor-')), 'skip.onnx');
  writeFileSync(
    path,
    encodeModel({
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'r1' },
        { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'r2' },
        { op: 'Relu', inputs: ['b'], outputs: ['c'], name: 'r3' },
        { op: 'Add', inputs: ['c', 'a'], outputs: ['y'], name: 'add' },
      ],
    }),
  );
  const executor = new GraphExecutor(inferShapes(readModelFile(path), new Map()));

  it("holds each activation until its last reader ran; then only the outputs are left, and the input stays the caller's", () => {
    const x = tf.ones([1, 4, 4, 8]);
    const before = tf.memory().numTensors;
    const alive: number[] = [];
    const [y] = executor.run(new Map([['x', x]]), (_, run) => {
      const out = run();
      alive.push(tf.memory().numTensors - before);
      return out;
    });
    // After r3: a, b and c (b goes once r3 ran); after the add: a, c and y.
    expect(alive).toEqual([1, 2, 3, 3]);
    expect(tf.memory().numTensors - before).toBe(1);
    expect(Array.from((y as tf.Tensor).dataSync().slice(0, 2))).toEqual([2, 2]);
    expect(x.isDisposed).toBe(false);
    tf.dispose([x, y as tf.Tensor]);
  });

  it('leaves nothing behind when a module fails midway', () => {
    const x = tf.ones([1, 4, 4, 8]);
    const before = tf.memory().numTensors;
    const failing = (m: { name: string }, run: () => tf.Tensor): tf.Tensor => {
      if (m.name === 'add') throw new Error('the add failed');
      return run();
    };
    expect(() => executor.run(new Map([['x', x]]), failing)).toThrow('the add failed');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
