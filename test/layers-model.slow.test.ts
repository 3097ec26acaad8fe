// TensorFlow.js LayersModels built and saved here, read back as NCHW graphs.
import { mkdtempSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphExecutor } from '../src/modules/graph-executor';
import { seprof } from './support/cli';
import { saveLayersModel } from './support/layers-model';

/** A MobileNetV3-style SE block in Keras: depthwise conv, GAP, two Dense, a hard-sigmoid (or sigmoid) gate. */
function seModel(gate: 'hardSigmoid' | 'sigmoid' = 'hardSigmoid'): tl.LayersModel {
  const x = tl.input({ shape: [14, 14, 32], name: 'image' });
  const conv = tl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', useBias: false, name: 'conv' }).apply(x) as tl.SymbolicTensor;
  const bn = tl.layers.batchNormalization({ name: 'bn' }).apply(conv) as tl.SymbolicTensor;
  const act = tl.layers.activation({ activation: 'relu', name: 'act' }).apply(bn) as tl.SymbolicTensor;
  const dw = tl.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', name: 'dw' }).apply(act) as tl.SymbolicTensor;
  const pooled = tl.layers.globalAveragePooling2d({ name: 'squeeze' }).apply(dw) as tl.SymbolicTensor;
  const fc1 = tl.layers.dense({ units: 8, activation: 'relu', name: 'fc1' }).apply(pooled) as tl.SymbolicTensor;
  const fc2 = tl.layers.dense({ units: 32, activation: gate, name: 'fc2' }).apply(fc1) as tl.SymbolicTensor;
  const reshaped = tl.layers.reshape({ targetShape: [1, 1, 32], name: 'gate' }).apply(fc2) as tl.SymbolicTensor;
  const scaled = tl.layers.multiply({ name: 'scale' }).apply([dw, reshaped]) as tl.SymbolicTensor;
  return tl.model({ inputs: x, outputs: scaled });
}

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'seprof-layers-'));
  await saveLayersModel(seModel(), dir);
});

/** The graph executor, on the saved file at `path`, computes what the Keras model predicts. */
function expectPredicts(model: tl.LayersModel, path: string): void {
  const executor = new GraphExecutor(inferShapes(readModelFile(path), new Map()));
  const x = tf.randomNormal([1, 14, 14, 32]);
  const [ours] = executor.run(new Map([['image', x]]));
  const theirs = model.predict(x) as tf.Tensor;
  expect(tf.max(tf.abs(tf.sub(ours as tf.Tensor, theirs))).dataSync()[0]).toBeLessThan(1e-4);
  executor.dispose();
  tf.dispose([x, ours as tf.Tensor, theirs]);
}

describe('TensorFlow.js LayersModel', () => {
  it('reads model.json as an NCHW graph with Keras layer names', () => {
    const inferred = inferShapes(readModelFile(join(dir, 'model.json')), new Map());
    const shape = (node: string): string => {
      const n = inferred.order.find((x) => x.name === node);
      return (inferred.tensors.get(n?.outputs[0] ?? '')?.shape ?? []).join('x');
    };
    expect(shape('conv')).toBe('1x32x14x14');
    expect(shape('dw')).toBe('1x32x7x7');
    expect(shape('squeeze.flatten')).toBe('1x32');
    expect(shape('fc1')).toBe('1x8');
    expect(shape('gate')).toBe('1x32x1x1');
    expect(shape('scale')).toBe('1x32x7x7');
    expect(inferred.order.map((n) => n.opType)).toContain('HardSigmoid');
    expect(inferred.graph.initializers.get('dw/depthwise_kernel')?.dims).toEqual([32, 1, 3, 3]);
  });

  it('refuses a model whose weight file is shorter than its manifest', async () => {
    const short = mkdtempSync(join(tmpdir(), 'seprof-layers-short-'));
    await saveLayersModel(seModel(), short);
    truncateSync(join(short, 'weights.bin'), 100);
    expect(() => readModelFile(join(short, 'model.json'))).toThrow(/weight files hold 100 bytes, the manifest lists \d+ \(truncated\?\)/);
  });
});

describe('seprof --file model.json', () => {
  it('profiles the saved LayersModel and finds its hard-sigmoid SE (Dense layers with bias)', () => {
    const run = seprof(['--file', join(dir, 'model.json'), '--no-measure', '--json']);
    expect(run.code).toBe(0);
    const p = JSON.parse(run.stdout) as { totals: { params: number }; file: { seBlocks: { channels: number; hidden: number; gate: string; bias: boolean }[] } };
    expect(p.file.seBlocks).toEqual([expect.objectContaining({ channels: 32, hidden: 8, gate: 'hardsigmoid', bias: true })]);
    // conv 3x3 32->32 no bias, BN gamma+beta, depthwise 3x3 + bias, Dense 32->8 and 8->32 with bias.
    expect(p.totals.params).toBe(32 * 32 * 9 + 2 * 32 + (32 * 9 + 32) + (32 * 8 + 8) + (8 * 32 + 32));
  });
});

describe('Sequential LayersModels and input names', () => {
  it('reads a Sequential model and takes --input by the InputLayer name', async () => {
    const seq = tl.sequential({
      layers: [
        tl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', name: 'c1' }),
        tl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
        tl.layers.flatten({ name: 'flat' }),
        tl.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
      ],
    });
    const seqDir = mkdtempSync(join(tmpdir(), 'seprof-layers-seq-'));
    const graph = readModelFile(await saveLayersModel(seq, seqDir));
    const inferred = inferShapes(graph, new Map([[graph.inputs[0]?.name, [2, 3, 8, 8]]]));
    const shape = (name: string): number[] => [...(inferred.tensors.get(inferred.order.find((n) => n.name === name)?.outputs[0] ?? '')?.shape ?? [])];
    // 8x8 valid 3x3 stride 2: floor((8 - 3) / 2) + 1 = 3; a 2x2 pool: 1.
    expect(shape('c1.relu')).toEqual([2, 4, 3, 3]);
    expect(shape('pool')).toEqual([2, 4, 1, 1]);
    expect(shape('flat')).toEqual([2, 4]);
    expect(shape('out.softmax')).toEqual([2, 3]);
    const functional = readModelFile(join(dir, 'model.json'));
    expect(functional.inputs.map((i) => i.name)).toEqual(['image']);
  });
});

describe('a layer with a fused activation', () => {
  it("shows the layer's own op beside its activation, so that the rows under it add up", async () => {
    const seq = tl.sequential({
      layers: [
        tl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', name: 'c1' }),
        tl.layers.flatten({ name: 'flat' }),
        tl.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
      ],
    });
    const path = await saveLayersModel(seq, mkdtempSync(join(tmpdir(), 'seprof-layers-fused-')));
    const run = seprof(['--file', path, '--no-measure', '--json']);
    expect(run.code).toBe(0);
    const tree = (JSON.parse(run.stdout) as { tree: { name: string; depth: number; params: number; counts: Record<string, number> }[] }).tree;
    const rows = tree
      .filter((r) => r.name === 'c1' || r.name.startsWith('c1.'))
      .map(({ name, depth, params, counts }) => [name, depth, params, counts['thop']]);
    // c1: 3x3x3 kernels, 4 filters, a bias each: 112 params; 8x8 valid, stride 2: 3x3 outputs, 36 elements of 27 MACs.
    expect(rows).toEqual([
      ['c1', 1, 112, 972],
      ['c1', 2, 112, 972],
      ['c1.relu', 2, 0, 0],
    ]);
    // The table too: the conv's row under the layer's, then the activation's.
    const table = seprof(['--file', path, '--no-measure']).stdout;
    expect(table).toMatch(/│ c1 +│ 2 ops +│[^\n]*\n│ +c1 +│ conv2d +│[^\n]*\n│ +c1\.relu +│ relu +│/);
  });
});

describe('a LayersModel, measured', () => {
  it('runs in tfjs with the weights from weights.bin and agrees with the analytic ops', async () => {
    const sigmoidDir = mkdtempSync(join(tmpdir(), 'seprof-layers-sigmoid-'));
    const path = await saveLayersModel(seModel('sigmoid'), sigmoidDir);
    const run = seprof(['--file', path, '--runs', '3', '--warmup', '1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // conv, bn, act, dw (depthwise, bias), squeeze, fc1, fc1.relu, fc2, fc2.sigmoid, scale.
    expect(run.stdout).toMatch(/Check: +analytic and measured agree on every layer \(10 layers/);
  });
});

describe('a Keras relu6 (a Clip whose bounds are attributes)', () => {
  it('is counted as relu6, run by the executor and checked: the paths no longer disagree', async () => {
    const seq = tl.sequential({
      layers: [
        tl.layers.conv2d({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu6', name: 'c1' }),
        tl.layers.activation({ activation: 'relu6', name: 'act' }),
      ],
    });
    const path = await saveLayersModel(seq, mkdtempSync(join(tmpdir(), 'seprof-layers-relu6-')));
    const run = seprof(['--file', path, '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { layers: { op: string }[]; check: { status: string } };
    expect(json.layers.map((l) => l.op)).toEqual(['conv2d', 'relu6', 'relu6']);
    expect(json.check.status).toBe('match');
    // And the output is PyTorch's min(max(x, 0), 6), as Keras computes it.
    const graph = readModelFile(path);
    const executor = new GraphExecutor(inferShapes(graph, new Map()));
    const x = tf.mul(tf.randomNormal([1, 6, 6, 3]), 10);
    const [ours] = executor.run(new Map([[graph.inputs[0]?.name ?? '', x]]));
    expect(tf.max(tf.abs(tf.sub(ours as tf.Tensor, seq.predict(x) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-4);
    executor.dispose();
  });
});

describe("Keras' hard_sigmoid (0.2x + 0.5, not PyTorch's x / 6 + 0.5)", () => {
  it('is counted as a hardsigmoid and measured as Keras computes it (clip(0.2x + 0.5, 0, 1)): the executor predicts what Keras does', async () => {
    const model = seModel('hardSigmoid');
    const path = await saveLayersModel(model, mkdtempSync(join(tmpdir(), 'seprof-layers-hard-')));
    const run = seprof(['--file', path, '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { layers: { op: string }[]; check: { status: string } };
    expect(json.layers.filter((l) => l.op === 'hardsigmoid')).toHaveLength(1);
    expect(json.check.status).toBe('match');
    expectPredicts(model, path);
  });
});

describe('the graph executor on a LayersModel', () => {
  it('computes what the Keras model predicts, from the weights in weights.bin', async () => {
    const model = seModel('sigmoid');
    const path = await saveLayersModel(model, mkdtempSync(join(tmpdir(), 'seprof-layers-exec-')));
    expectPredicts(model, path);
  });
});

describe('Keras gelu and gelu_new activations, UpSampling2D nearest and bilinear', () => {
  it('are counted as gelu (exact and tanh) and resize (nearest, bilinear), run as tfjs-layers computes them, and checked', async () => {
    const seq = tl.sequential({
      layers: [
        tl.layers.conv2d({ inputShape: [5, 5, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'gelu', name: 'c1' }),
        tl.layers.activation({ activation: 'gelu_new', name: 'act' }),
        tl.layers.upSampling2d({ size: [2, 2], name: 'up' }),
        tl.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear', name: 'bi' }),
      ],
    });
    const path = await saveLayersModel(seq, mkdtempSync(join(tmpdir(), 'seprof-layers-gelu-')));
    const run = seprof(['--file', path, '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { layers: { op: string }[]; check: { status: string } };
    expect(json.layers.map((l) => l.op)).toEqual(['conv2d', 'gelu', 'gelu', 'resize', 'resize']);
    expect(json.check.status).toBe('match');
    const graph = readModelFile(path);
    const executor = new GraphExecutor(inferShapes(graph, new Map()));
    const x = tf.randomNormal([1, 5, 5, 3]);
    const [ours] = executor.run(new Map([[graph.inputs[0]?.name ?? '', x]]));
    expect(ours?.shape).toEqual([1, 20, 30, 4]);
    expect(tf.max(tf.abs(tf.sub(ours as tf.Tensor, seq.predict(x) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-4);
    executor.dispose();
  });
});
