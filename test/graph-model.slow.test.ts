// TensorFlow.js GraphModels (what tensorflowjs_converter writes for SavedModels and TF Hub
// models): read as NCHW graphs, counted, their SE found, executed and checked per layer; the
// translation is checked against @tensorflow/tfjs-converter running the same file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tfc from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphExecutor } from '../src/modules/graph-executor';
import { expectUsageError, seprofInProcess } from './support/cli';
import { expectValid } from './support/schemas';
import { axesTour, type GraphModelWriter, kerasReshapes, opsTour, seMobileNetBlock } from './support/graph-model';

const written = (g: GraphModelWriter, quantize?: 'uint8' | 'uint16'): string => g.write(mkdtempSync(join(tmpdir(), 'seprof-graph-model-')), quantize);

/** The file as tfjs-converter loads it (loadGraphModel from its model.json and shard). */
function converterModel(path: string): Promise<tfc.GraphModel> {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const shard = readFileSync(join(dirname(path), 'group1-shard1of1.bin'));
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength);
  return tfc.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      signature: json.signature,
      weightSpecs: json.weightsManifest[0].weights,
      weightData,
    }),
  });
}

/**
 * Every TensorFlow node the translated graph has a tensor of (by the node's name), computed by
 * tfjs-converter from the file and by seprof's executor from the translation, NHWC both.
 */
async function agreeNodeByNode(path: string, input: readonly number[]): Promise<string[]> {
  const model = await converterModel(path);
  const graph = readModelFile(path);
  const [n, h, w, c] = input as [number, number, number, number];
  const given = new Map([[graph.inputs[0]?.name, [n, c, h, w]]]);
  const inferred = inferShapes(graph, given);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { modelTopology: { node: { name: string; op: string }[] } };
  const names = json.modelTopology.node
    .filter((n) => !['Const', 'Placeholder', 'Identity'].includes(n.op) && inferred.tensors.has(n.name) && !inferred.graph.initializers.has(n.name))
    .map((n) => n.name);
  const x = tf.randomNormal([...input]);
  const theirs = model.execute(x, names) as tf.Tensor[];
  const executor = new GraphExecutor(inferShapes({ ...graph, outputs: names }, given));
  const ours = executor.run(new Map([[graph.inputs[0]?.name ?? '', x]]));
  const differing = names.filter((_, i) => {
    const [a, b] = [ours[i] as tf.Tensor, theirs[i] as tf.Tensor];
    return a.shape.join() !== b.shape.join() || (tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number) > 1e-4;
  });
  executor.dispose();
  tf.dispose([x, ...ours, ...theirs]);
  model.dispose();
  expect(names.length).toBeGreaterThan(1);
  return differing;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the translation computes what tfjs-converter computes from the file', () => {
  it('on the SE-MobileNet block: every node (fused convs, the hard sigmoid, the BiasAdd given to its conv, the head)', async () => {
    expect(await agreeNodeByNode(written(seMobileNetBlock()), [1, 16, 16, 8])).toEqual([]);
  });

  it('on the ops tour: Pad, batch norm, pools, ConcatV2, a Dense SE, a flattening Reshape (NHWC order), MatMul', async () => {
    expect(await agreeNodeByNode(written(opsTour()), [2, 12, 12, 3])).toEqual([]);
  });

  it("on Keras' Reshape and Flatten with an open batch (Shape, StridedSlice, Pack and Reshape; the flattening in NHWC order)", async () => {
    expect(await agreeNodeByNode(written(kerasReshapes()), [1, 5, 5, 4])).toEqual([]);
  });

  it('on ops whose axes the NCHW translation renumbers (Transpose, Mean, ExpandDims, Squeeze, BatchMatMulV2, Softmax, MirrorPad, ConcatV2, Max)', async () => {
    expect(await agreeNodeByNode(written(axesTour()), [1, 4, 6, 8])).toEqual([]);
  });

  it('with weights quantized to uint8 and uint16 (min + scale * q, as tfjs dequantizes them)', async () => {
    expect(await agreeNodeByNode(written(seMobileNetBlock(), 'uint8'), [1, 16, 16, 8])).toEqual([]);
    expect(await agreeNodeByNode(written(opsTour(), 'uint16'), [1, 12, 12, 3])).toEqual([]);
  });
});

interface Profile {
  layers: { name: string; op: string; params: number }[];
  totals: { params: number; buffers: number; counts: Record<string, number> };
  check: { status: string; layers: number; reason?: string };
  file: {
    seBlocks: { where: string; channels: number; hidden: number; reduction: number; gate: string; bias: boolean }[];
    unsupported: { opType: string; nodes: string[] }[];
  };
}

const profile = async (args: string[]): Promise<Profile> => {
  const run = await seprofInProcess([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const json = JSON.parse(run.stdout);
  expectValid('profile', json);
  return json as Profile;
};

describe('seprof --file model.json (a GraphModel)', () => {
  it('counts the SE-MobileNet block, finds its SE and agrees with the measured run on every layer', async () => {
    const p = await profile(['--file', written(seMobileNetBlock())]);
    // expand 1x1 8->32 + bias, depthwise 3x3 x 32 + bias, SE 32->8->32 with biases, project 32->8 + bias, dense 8->10 + bias.
    expect(p.totals.params).toBe(8 * 32 + 32 + (9 * 32 + 32) + (32 * 8 + 8) + (8 * 32 + 32) + (32 * 8 + 8) + (8 * 10 + 10));
    // Multiply-accumulates of the convs and the dense layer at 16 x 16.
    const macs = 256 * 32 * 8 + 256 * 32 * 9 + 32 * 8 + 8 * 32 + 256 * 8 * 32 + 8 * 10;
    expect(p.totals.counts['macs']).toBe(macs);
    // thop: those, the two global pools ((H*W + 1) * C), softmax's rows * (3n - 1); ReLU, ReLU6, the hard sigmoid and SE's x * s are 0.
    expect(p.totals.counts['thop']).toBe(macs + 257 * 32 + 257 * 8 + (3 * 10 - 1));
    expect(p.file.seBlocks).toEqual([expect.objectContaining({ where: 'model/se', channels: 32, hidden: 8, reduction: 4, gate: 'hardsigmoid', bias: true })]);
    expect(p.layers.map((l) => l.op)).toEqual([
      'conv2d',
      'relu',
      'conv2d',
      'relu6',
      'global_avg_pool',
      'conv2d',
      'relu',
      'conv2d',
      'hardsigmoid',
      'scale',
      'conv2d',
      'add',
      'global_avg_pool',
      'linear',
      'softmax',
    ]);
    expect(p.check).toMatchObject({ status: 'match', layers: 15 });
    // --input names the Placeholder, NCHW: two 20 x 20 images.
    const two = await profile(['--file', written(seMobileNetBlock()), '--input', 'input=2x8x20x20', '--no-measure']);
    expect(two.totals.counts['macs']).toBe(2 * (400 * 32 * 8 + 400 * 32 * 9 + 32 * 8 + 8 * 32 + 400 * 8 * 32 + 8 * 10));
  });

  it('counts the ops tour by hand (batch norm buffers too) and agrees with the measured run', async () => {
    const p = await profile(['--file', written(opsTour())]);
    // conv 3x3 3->16, BN gamma+beta, depthwise 3x3 x 16 + bias, Dense SE 32->8->32 with biases, logits 288->5.
    expect(p.totals.params).toBe(27 * 16 + 2 * 16 + (9 * 16 + 16) + (32 * 8 + 8) + (8 * 32 + 32) + 288 * 5);
    expect(p.totals.buffers).toBe(2 * 16);
    // The strided conv and the depthwise on 6 x 6, the three Dense layers.
    expect(p.totals.counts['macs']).toBe(36 * 16 * 27 + 36 * 16 * 9 + 32 * 8 + 8 * 32 + 288 * 5);
    expect(p.file.seBlocks).toEqual([expect.objectContaining({ channels: 32, hidden: 8, gate: 'sigmoid', bias: true })]);
    expect(p.check.status).toBe('match');
  });

  it('lists an op it does not read by its TensorFlow name, skips the measured run naming it, and refuses it under --strict', async () => {
    const g = seMobileNetBlock();
    const path = g.write(mkdtempSync(join(tmpdir(), 'seprof-graph-unknown-')));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const softmax = json.modelTopology.node.find((n: { name: string }) => n.name === 'model/dense/Softmax');
    softmax.op = 'LogSoftmax';
    writeFileSync(path, JSON.stringify(json));
    const p = await profile(['--file', path]);
    expect(p.file.unsupported).toEqual([{ opType: 'tf.LogSoftmax', nodes: ['model/dense/Softmax'] }]);
    expect(p.check.status).toBe('skipped');
    expect(p.check.reason).toMatch(/tf\.LogSoftmax \(node 'model\/dense\/Softmax'/);
    expectUsageError(await seprofInProcess(['--file', path, '--strict', '--no-measure']), /tf\.LogSoftmax/);
  });

  it("finds the Dense SE whose gate Keras' Reshape puts back on the map, and agrees with the measured run", async () => {
    const p = await profile(['--file', written(kerasReshapes())]);
    expect(p.file.seBlocks).toEqual([expect.objectContaining({ where: 'keras/se', channels: 6, hidden: 2, gate: 'sigmoid', bias: true })]);
    // conv 3x3 4->6, Dense 6->2 and 2->6 with biases, logits 54->3.
    expect(p.totals.params).toBe(9 * 4 * 6 + (6 * 2 + 2) + (2 * 6 + 6) + 54 * 3);
    expect(p.check.status).toBe('match');
  });

  it('measures the axes tour (means, batched products, softmaxes, padding, concat, a max) and agrees on every layer', async () => {
    const p = await profile(['--file', written(axesTour())]);
    expect(p.layers.map((l) => l.op).sort()).toEqual(
      ['concat', 'matmul', 'matmul', 'mul', 'pad', 'reduce_max', 'reduce_mean', 'reduce_mean', 'softmax', 'softmax'].sort(),
    );
    expect(p.check).toMatchObject({ status: 'match', layers: 10 });
  });

  it('adds SE after a named layer (--add-se) and explains the conventions', async () => {
    const path = written(opsTour());
    const p = await profile(['--file', path, '--add-se', 'tour/dw/Relu6', '--reduction', '4', '--no-measure']);
    // SE(16, r=4) without bias: 16*4 + 4*16 params more.
    expect(p.totals.params).toBe(2616 + 2 * 16 * 4);
    expect(p.file.seBlocks).toHaveLength(2);
    const explained = await seprofInProcess(['explain', path]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('conv2d');
  });
});

describe('the committed fixture (test/fixtures/tfjs-graph/se-mobilenet-block, shown in docs/model-files.md)', () => {
  it('is what the writer writes (UPDATE_FIXTURES=1 writes it again)', () => {
    const dir = join(__dirname, 'fixtures', 'tfjs-graph', 'se-mobilenet-block');
    if (process.env['UPDATE_FIXTURES'] === '1') seMobileNetBlock().write(dir);
    const { json, shard } = seMobileNetBlock().files();
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe(`${JSON.stringify(json)}\n`);
    expect(readFileSync(join(dir, 'group1-shard1of1.bin')).equals(shard)).toBe(true);
  });
});
