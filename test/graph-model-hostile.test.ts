// A GraphModel that cannot be read is one line naming the file, and the node where there is
// one: bad JSON, shards missing, short or outside the folder, a graph of cycles or dangling
// names, ops or attributes seprof does not read.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphModelWriter, s, segmentationHead, seMobileNetBlock } from './support/graph-model';

interface Json {
  format?: string;
  signature: { outputs: Record<string, { name: string }> };
  modelTopology: { node: { name: string; op: string; input?: string[]; attr?: Record<string, unknown> }[] };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];
}

/** The SE block's files after `change`, in a folder of their own; the model.json path. */
function variant(change: (json: Json) => void, shard?: (bytes: Buffer) => Buffer, g: GraphModelWriter = seMobileNetBlock()): string {
  const dir = mkdtempSync(join(tmpdir(), 'seprof-graph-hostile-'));
  const files = g.files();
  const json = structuredClone(files.json) as unknown as Json;
  change(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), shard ? shard(files.shard) : files.shard);
  return join(dir, 'model.json');
}

const node = (json: Json, name: string): Json['modelTopology']['node'][number] => {
  const found = json.modelTopology.node.find((n) => n.name === name);
  if (found === undefined) throw new Error(`no node ${name}`);
  return found;
};

function refused(path: string, message: RegExp): void {
  let error: unknown;
  try {
    readModelFile(path);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  const text = (error as Error).message;
  expect(text).toMatch(message);
  expect(text.startsWith(path)).toBe(true);
  expect(text).not.toContain('\n');
}

describe('a GraphModel seprof cannot read is one line, naming the file', () => {
  it('reads the unchanged file', () => {
    expect(readModelFile(variant(() => undefined)).format).toBe('tfjs-graph');
  });

  it.each<[string, (json: Json) => void, RegExp]>([
    ['no topology', (j) => Object.assign(j, { modelTopology: undefined }), /no modelTopology: not a TensorFlow.js GraphModel/],
    ['no nodes', (j) => Object.assign(j.modelTopology, { node: [] }), /modelTopology has no nodes/],
    ['a node without an op', (j) => Object.assign(node(j, 'model/se/Mean'), { op: '' }), /node \d+ of the GraphModel needs a name and an op/],
    ['a name given twice', (j) => j.modelTopology.node.push({ ...node(j, 'model/se/Mean') }), /node 'model\/se\/Mean' is given twice/],
    ['no manifest', (j) => Object.assign(j, { weightsManifest: undefined }), /no weightsManifest: not a TensorFlow.js GraphModel/],
    [
      'a dangling input',
      (j) => Object.assign(node(j, 'model/se/multiply/mul'), { input: ['model/depthwise/Relu6', 'model/se/nowhere'] }),
      /node 'model\/se\/multiply\/mul' reads 'model\/se\/nowhere', which the graph does not have/,
    ],
    [
      'a cycle',
      (j) => Object.assign(node(j, 'model/expand/Relu'), { input: ['model/add/add', 'model/expand/Conv2D_weights', 'model/expand/Conv2D_bn_offset'] }),
      /the graph has a cycle through node '[^']+' \(control flow/,
    ],
    [
      'an output the graph lacks',
      (j) => Object.assign(j.signature.outputs, { output_0: { name: 'Nowhere:0' } }),
      /names output 'Nowhere', which the graph does not have/,
    ],
    [
      'a Const the shard does not hold',
      (j) => j.weightsManifest[0]?.weights.splice(0, 1),
      /node 'model\/expand\/Conv2D_weights' \(Const\): no weights in the manifest and no value in the node/,
    ],
    [
      'an NCHW conv',
      (j) => Object.assign(node(j, 'model/expand/Relu').attr ?? {}, { data_format: s('NCHW') }),
      /node 'model\/expand\/Relu' \(_FusedConv2D\): data_format NCHW: seprof reads NHWC graphs/,
    ],
    [
      'fused ops seprof does not read',
      (j) =>
        Object.assign(node(j, 'model/expand/Relu').attr ?? {}, {
          fused_ops: { list: { s: ['BiasAdd', 'Swish'].map((v) => Buffer.from(v).toString('base64')) } },
        }),
      /node 'model\/expand\/Relu' \(_FusedConv2D\): fused ops \[BiasAdd, Swish\] are not read/,
    ],
    [
      'a stride that is not a whole number',
      (j) => Object.assign(node(j, 'model/expand/Relu').attr ?? {}, { strides: { list: { i: ['1', 'two', '2', '1'] } } }),
      /node 'model\/expand\/Relu' \(_FusedConv2D\): attribute 'strides' item 1 is "two", not a whole number/,
    ],
    [
      'a Mean over computed axes',
      (j) => Object.assign(node(j, 'model/se/Mean'), { input: ['model/depthwise/Relu6', 'model/depthwise/Relu6'] }),
      /node 'model\/se\/Mean' \(Mean\): its axes \(input 1\) is computed in the graph, not a constant/,
    ],
    [
      'an integer input',
      (j) => Object.assign(node(j, 'input').attr ?? {}, { dtype: { type: 'DT_INT32' } }),
      /node 'input' \(Placeholder\): an input of DT_INT32: seprof profiles models of float inputs/,
    ],
    [
      'an input of unknown rank',
      (j) => Object.assign(node(j, 'input').attr ?? {}, { shape: { shape: { unknownRank: true } } }),
      /node 'input' \(Placeholder\): the input has no shape \(unknown rank\)/,
    ],
    [
      'an unknown quantization',
      (j) => Object.assign(j.weightsManifest[0]?.weights[0] ?? {}, { quantization: { dtype: 'int4', min: -1, scale: 0.01 } }),
      /weight 'model\/expand\/Conv2D_weights' has a quantization seprof does not read/,
    ],
    [
      'a shard outside the folder',
      (j) => Object.assign(j.weightsManifest[0] ?? {}, { paths: ['../group1-shard1of1.bin'] }),
      /weight file path "..\/group1-shard1of1.bin" must be relative and inside the model's folder/,
    ],
    ['a missing shard', (j) => Object.assign(j.weightsManifest[0] ?? {}, { paths: ['group1-shard9of9.bin'] }), /weight file 'group1-shard9of9.bin' not found/],
  ])('refuses %s', (_, change, message) => {
    refused(variant(change), message);
  });

  it.each<[string, (json: Json) => void, RegExp]>([
    [
      'a resize with both switches',
      (j) => Object.assign(node(j, 'seg/up').attr ?? {}, { align_corners: { b: true } }),
      /node 'seg\/up' \(ResizeBilinear\): align_corners and half_pixel_centers are both set/,
    ],
    [
      'a StridedSlice with two ellipses',
      (j) => Object.assign(node(j, 'seg/crop').attr ?? {}, { ellipsis_mask: { i: '3' } }),
      /node 'seg\/crop' \(StridedSlice\): ellipsis_mask marks more than one entry/,
    ],
    [
      'a StridedSlice adding an axis',
      (j) => Object.assign(node(j, 'seg/crop').attr ?? {}, { new_axis_mask: { i: '2' } }),
      /node 'seg\/crop' \(StridedSlice\): new_axis_mask is set/,
    ],
    [
      'a StridedSlice of fewer strides than begins',
      (j) => Object.assign(node(j, 'seg/crop'), { input: ['seg/nearest', 'seg/crop/begin', 'seg/crop/end', 'seg/split/axis'] }),
      /node 'seg\/crop' \(StridedSlice\): begin, end and strides of 4, 4 and 1 values for rank 4/,
    ],
    [
      'a transposed conv of explicit padding',
      (j) => Object.assign(node(j, 'seg/deconv').attr ?? {}, { padding: s('EXPLICIT') }),
      /node 'seg\/deconv' \(Conv2DBackpropInput\): padding 'EXPLICIT' is not SAME or VALID/,
    ],
    [
      'a transposed conv whose input_sizes disagree with its filter',
      (j) => Object.assign(node(j, 'seg/deconv'), { input: ['seg/up/size', 'seg/deconv/ReadVariableOp', 'seg/up'] }),
      /node 'seg\/deconv' \(Conv2DBackpropInput\): input_sizes \[16, 16\] are not N, H, W and the filter's 2 channels/,
    ],
    [
      'a ClipByValue to computed bounds',
      (j) => Object.assign(node(j, 'seg/relu6'), { input: ['seg/conv/Conv2D', 'seg/conv/Conv2D', 'seg/relu6/max'] }),
      /node 'seg\/relu6' \(ClipByValue\): its minimum \(input 1\) is computed in the graph/,
    ],
  ])('refuses %s, naming the node', (_, change, message) => {
    refused(variant(change, undefined, segmentationHead()), message);
  });

  it('refuses a resize to a size computed from activations (not from shapes) when shapes are inferred, naming the node', () => {
    const path = variant((j) => Object.assign(node(j, 'seg/up'), { input: ['seg/relu6', 'seg/conv/Conv2D'] }), undefined, segmentationHead());
    const graph = readModelFile(path);
    expect(() => inferShapes(graph, new Map())).toThrow(/seg\/up.*sizes/);
  });

  it('refuses a SplitV with a size left to compute (-1), naming the node', () => {
    const g = new GraphModelWriter();
    const x = g.placeholder('x', [-1, 4, 4, 6]);
    const sizes = g.constant('split/sizes', [2], [2, -1], 'int32');
    const axis = g.constant('split/axis', [], [3], 'int32');
    g.signature.outputs.push(g.op('split', 'SplitV', [x, sizes, axis], { num_split: { i: '2' } }));
    refused(
      variant(() => undefined, undefined, g),
      /node 'split' \(SplitV\): size_splits \[2, -1\] has a size left to be computed \(-1\)/,
    );
  });

  it('refuses a shard shorter than the manifest, and bad JSON', () => {
    refused(
      variant(
        () => undefined,
        (b) => b.subarray(0, 100),
      ),
      /weight files hold 100 bytes, the manifest lists \d+ \(truncated\?\)/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'seprof-graph-json-'));
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'model.json'), '{"format": "graph-model", "modelTopology": {"node": [');
    refused(join(dir, 'm', 'model.json'), /not valid JSON/);
  });
});

describe('what a GraphModel may hold besides the usual', () => {
  it('reads a constant whose value is in the node (floatVal), not in the manifest', () => {
    const weights = (seMobileNetBlock().files().json as unknown as Json).weightsManifest[0]?.weights ?? [];
    const at = weights.findIndex((w) => w.name === 'model/se/add/y');
    const offset = weights.slice(0, at).reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    const path = variant(
      (j) => {
        j.weightsManifest[0]?.weights.splice(at, 1);
        node(j, 'model/se/add/y').attr = { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: {}, floatVal: [3] } }, dtype: { type: 'DT_FLOAT' } };
      },
      (b) => Buffer.concat([b.subarray(0, offset), b.subarray(offset + 4)]),
    );
    expect(
      readModelFile(path)
        .nodes.filter((n) => n.opType === 'HardSigmoid')
        .map((n) => n.name),
    ).toEqual(['model/se/mul']);
  });

  it('reads a conv with a fused PReLU, its slopes laid out per channel, and passes data through IdentityN', () => {
    const path = variant((j) => {
      const conv = node(j, 'model/expand/Relu');
      conv.attr = { ...conv.attr, fused_ops: { list: { s: ['BiasAdd', 'Prelu'].map((v) => Buffer.from(v).toString('base64')) } }, num_args: { i: '2' } };
      conv.input = [...(conv.input ?? []), 'model/expand/Conv2D_bn_offset'];
      j.modelTopology.node.push({ name: 'model/identity_n', op: 'IdentityN', input: ['model/depthwise/Relu6', 'model/expand/Relu'] });
      node(j, 'model/se/Mean').input = ['model/identity_n', 'model/se/Mean/reduction_indices'];
    });
    const g = inferShapes(readModelFile(path), new Map());
    const prelu = g.order.find((n) => n.opType === 'PRelu');
    expect(prelu?.name).toBe('model/expand/Relu/Prelu');
    expect(g.tensors.get(prelu?.inputs[1] ?? '')?.shape).toEqual([1, 32, 1, 1]);
    expect(g.order.find((n) => n.name === 'model/se/Mean')?.inputs).toEqual(['model/depthwise/Relu6']);
  });

  it('refuses a cycle of Identity nodes in one line (no endless loop)', () => {
    refused(
      variant((j) => {
        j.modelTopology.node.push({ name: 'loop/a', op: 'Identity', input: ['loop/b'] }, { name: 'loop/b', op: 'Identity', input: ['loop/a'] });
        node(j, 'model/se/multiply/mul').input = ['model/depthwise/Relu6', 'loop/a'];
      }),
      /the graph has a cycle through node 'loop\/[ab]'/,
    );
  });
});
