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
import {
  axesTour,
  type GraphModelWriter,
  groupedConv,
  kerasHardSigmoidSe,
  kerasReshapes,
  opsTour,
  resizeSliceTour,
  segmentationHead,
  seMobileNetBlock,
} from './support/graph-model';

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
    // Activations: not the constants, nor the shapes shape inference folded.
    .filter(
      (n) =>
        !['Const', 'Placeholder', 'Identity'].includes(n.op) &&
        inferred.tensors.get(n.name)?.values === undefined &&
        inferred.tensors.has(n.name) &&
        !inferred.graph.initializers.has(n.name),
    )
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

  it('on resizes in each coordinate mode, ClipByValue, StridedSlice (masks, shrink, ellipsis), Slice, Split, SplitV, Conv2DBackpropInput (SAME, VALID)', async () => {
    expect(await agreeNodeByNode(written(resizeSliceTour()), [1, 6, 8, 4])).toEqual([]);
  });

  it('with weights quantized to uint8 and uint16 (min + scale * q, as tfjs dequantizes them)', async () => {
    expect(await agreeNodeByNode(written(seMobileNetBlock(), 'uint8'), [1, 16, 16, 8])).toEqual([]);
    expect(await agreeNodeByNode(written(opsTour(), 'uint16'), [1, 12, 12, 3])).toEqual([]);
  });
});

interface Profile {
  layers: { name: string; op: string; params: number; counts: Record<string, number> }[];
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

describe('resizes, slices, transposed and grouped convs, clips (segmentation and detection GraphModels)', () => {
  it('counts a segmentation head by hand and agrees with the measured run on every layer', async () => {
    const p = await profile(['--file', written(segmentationHead())]);
    // conv 3x3 4->8 (no bias), Conv2DBackpropInput 3x3 8->2.
    expect(p.totals.params).toBe(9 * 4 * 8 + 9 * 8 * 2);
    expect(p.layers.map((l) => l.op)).toEqual(['conv2d', 'relu6', 'resize', 'conv_transpose', 'resize']);
    // conv: numel(out) 8*8*8 times Cin*k2 4*9; transposed: numel(in) 8*16*16 times Cout*k2 2*9.
    const conv = 8 * 64 * 4 * 9;
    expect(p.totals.counts['macs']).toBe(conv + 8 * 256 * 2 * 9);
    // thop: the transposed conv by numel(out) 2*32*32 times Cin*k2 8*9; bilinear 11 per output (8*16*16), nearest 1 (2*64*64).
    expect(p.totals.counts['thop']).toBe(conv + 2 * 1024 * 8 * 9 + 11 * 8 * 256 + 2 * 4096);
    // flops: 2 * MACs of both convs, relu6's max and min per element (8*8*8), bilinear's 7 per output; nearest is a copy.
    expect(p.totals.counts['flops']).toBe(2 * (conv + 8 * 256 * 2 * 9) + 2 * 512 + 7 * 8 * 256);
    expect(p.check).toMatchObject({ status: 'match', layers: 5 });
  });

  it('measures the resize and slice tour (a resize to a size computed from a shape too) and agrees on every layer', async () => {
    const p = await profile(['--file', written(resizeSliceTour())]);
    expect(p.layers.map((l) => l.op)).toEqual([...Array<string>(12).fill('resize'), 'relu6', 'conv_transpose', 'conv_transpose', 'add', 'resize']);
    expect(p.file.unsupported).toEqual([]);
    expect(p.check).toMatchObject({ status: 'match', layers: 17 });
  });

  it('reads a conv with a fused PReLU (its slopes learned, one per channel) as prelu: as tfjs-converter computes it, counted and measured', async () => {
    const path = written(seMobileNetBlock());
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const conv = json.modelTopology.node.find((n: { name: string }) => n.name === 'model/expand/Relu');
    conv.attr.fused_ops = { list: { s: ['BiasAdd', 'Prelu'].map((v) => Buffer.from(v).toString('base64')) } };
    conv.attr.num_args = { i: '2' };
    // The slopes: a [32] constant of the file (the bias's values).
    conv.input.push('model/expand/Conv2D_bn_offset');
    writeFileSync(path, JSON.stringify(json));
    expect(await agreeNodeByNode(path, [1, 16, 16, 8])).toEqual([]);
    const p = await profile(['--file', path]);
    expect(p.layers[1]).toMatchObject({ name: 'model/expand/Relu/Prelu', op: 'prelu', params: 32 });
    // The block's 1,514 params and the 32 slopes; thop counts PReLU's numel(in) (count_prelu): 32 x 16 x 16.
    expect(p.totals.params).toBe(1514 + 32);
    expect(p.totals.counts['thop']).toBe(215701 + 32 * 256);
    expect(p.check).toMatchObject({ status: 'match', layers: 15 });
  });

  it("reads TensorFlow 2's grouped Conv2D (filter of C / groups inputs) as a grouped conv, computes it and agrees with the measured run", async () => {
    const path = written(groupedConv());
    const p = await profile(['--file', path]);
    // 4 groups of 2 -> 3 channels: params 3*3*2*12, MACs numel(out) 12*6*6 times (Cin/g)*k2 2*9.
    expect(p.totals.params).toBe(9 * 2 * 12);
    expect(p.totals.counts['macs']).toBe(12 * 36 * 2 * 9);
    expect(p.check).toMatchObject({ status: 'match', layers: 2 });
    // The executor's output against the groups convolved one by one in tfjs (tfjs' conv2d takes no groups).
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const bytes = readFileSync(join(dirname(path), 'group1-shard1of1.bin'));
    const filter = tf.tensor4d(
      Array.from({ length: 216 }, (_, i) => bytes.readFloatLE(4 * i)),
      [3, 3, 2, 12],
    );
    expect(json.weightsManifest[0].weights[0].name).toBe('grouped/Conv2D/ReadVariableOp');
    const x = tf.randomNormal([1, 6, 6, 8]) as tf.Tensor4D;
    const xs = tf.split(x, 4, 3) as tf.Tensor4D[];
    const fs = tf.split(filter, 4, 3);
    const want = tf.relu(
      tf.concat(
        xs.map((part, i) => tf.conv2d(part, fs[i] as tf.Tensor4D, 1, 'same')),
        3,
      ),
    );
    const graph = readModelFile(path);
    const executor = new GraphExecutor(inferShapes(graph, new Map([['x', [1, 8, 6, 6]]])));
    const [got] = executor.run(new Map([['x', x]]));
    expect(tf.max(tf.abs(tf.sub(got as tf.Tensor, want))).dataSync()[0]).toBeLessThan(1e-4);
    executor.dispose();
    tf.dispose([filter, x, ...xs, ...fs, want, got as tf.Tensor]);
    // A filter whose input channels do not divide the input's is refused, naming the node.
    expectUsageError(
      await seprofInProcess(['--file', written(groupedConv(3)), '--no-measure']),
      /node 'grouped\/Conv2D' \(Conv2D\): its filter takes 3 of the 8 input channels/,
    );
  });

  it("finds the SE gated by Keras' older hard_sigmoid clip(0.2 x + 0.5, 0, 1) as one hardsigmoid (ClipByValue, or Minimum and Maximum), as tfjs-converter computes it, and measures it", async () => {
    for (const clip of ['ClipByValue', 'MinMax'] as const) {
      const path = written(kerasHardSigmoidSe(clip));
      expect(await agreeNodeByNode(path, [1, 4, 4, 8])).toEqual([]);
      const p = await profile(['--file', path]);
      expect(p.check).toMatchObject({ status: 'match', layers: 6 });
      expect(p.layers.map((l) => l.op)).toEqual(['global_avg_pool', 'conv2d', 'relu', 'conv2d', 'hardsigmoid', 'scale']);
      expect(p.file.seBlocks).toEqual([expect.objectContaining({ where: 'se', channels: 8, hidden: 2, gate: 'hardsigmoid', bias: true })]);
      // flops: pool 8*16, the 1x1 convs 2*(8*2)+2 and 2*(2*8)+8, relu 2, the gate's 4 per element (8), the scale 8*16.
      expect(p.totals.counts['flops']).toBe(128 + (32 + 2) + 2 + (32 + 8) + 4 * 8 + 128);
    }
  });

  it('counts a ClipByValue to bounds other than [0, 6] as torch.clamp: a clip, 0 in every peer', async () => {
    const path = written(segmentationHead());
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const max = json.weightsManifest[0].weights.findIndex((w: { name: string }) => w.name === 'seg/relu6/max');
    expect(max).toBeGreaterThan(0);
    // The bound's 4 bytes: 6 -> 1.
    const shard = readFileSync(join(dirname(path), 'group1-shard1of1.bin'));
    const offset = json.weightsManifest[0].weights.slice(0, max).reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    expect(shard.readFloatLE(offset)).toBe(6);
    shard.writeFloatLE(1, offset);
    writeFileSync(join(dirname(path), 'group1-shard1of1.bin'), shard);
    const p = await profile(['--file', path, '--no-measure', '--conventions', 'all']);
    expect(p.file.unsupported).toEqual([]);
    const clip = p.layers.find((l) => l.name === 'seg/relu6');
    // On the conv's 1 x 8 x 8 x 8 output: a max and a min per element (flops), nothing in thop.
    expect(clip).toMatchObject({ op: 'clip', params: 0, counts: { thop: 0, flops: 2 * 8 * 8 * 8 } });
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
