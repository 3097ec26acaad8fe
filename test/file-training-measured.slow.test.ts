// --training on model files, measured: each graph module's gradient kernels (tfjs, with respect
// to the activations the module reads and its learned weights) read back into backward counts,
// and the whole graph's extra Adds as the gradient sums, against the analytic backward rules.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRADIENT_SUMS } from '../src/analyzers/ops';
import { profile as profileSpec } from '../src/analyzers/profile';
import { profile } from '../src/index';
import { loadFileSupport } from '../src/model/file-support';
import { buildSpec } from '../src/model/spec';
import { encodeModel, type ModelSpec, type NodeSpec } from './support/onnx';

const FIXTURES = join(__dirname, 'fixtures', 'onnx');
const tmp = mkdtempSync(join(tmpdir(), 'seprof-file-training-'));

/** A small model file: x is 1x8x6x6 unless said otherwise, the output the last node's. */
function modelFile(name: string, spec: Partial<ModelSpec> & { nodes: NodeSpec[] }): string {
  const path = join(tmp, `${name}.onnx`);
  writeFileSync(path, encodeModel({ input: { name: 'x', dims: [1, 8, 6, 6] }, outputs: [spec.nodes.at(-1)?.outputs[0] ?? 'y'], ...spec }));
  return path;
}

const values = (n: number): Uint8Array => new Uint8Array(Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i + 1)).buffer);
const weight = (name: string, dims: number[]): { name: string; dims: number[]; rawData: Uint8Array } => ({
  name,
  dims,
  rawData: values(dims.reduce((a, b) => a * b, 1)),
});
const literal = (name: string, dims: number[], data: number[]): { name: string; dims: number[]; rawData: Uint8Array } => ({
  name,
  dims,
  rawData: new Uint8Array(Float32Array.from(data).buffer),
});
const pads = (name: string, data: number[]): { name: string; dims: number[]; dataType: number; int64Data: number[] } => ({
  name,
  dims: [data.length],
  dataType: 7,
  int64Data: data,
});
const ints = (name: string, list: number[]): { name: string; type: number; ints: number[] } => ({ name, type: 7, ints: list });
const int = (name: string, i: number): { name: string; type: number; i: number } => ({ name, type: 2, i });
const text = (name: string, s: string): { name: string; type: number; s: Uint8Array } => ({ name, type: 3, s: new TextEncoder().encode(s) });

describe('the fixtures with weights: analytic and measured backward agree on every module (wasm)', () => {
  beforeAll(loadFileSupport);
  const files = [
    'mbv3_block',
    'se_resnet_block',
    'se_resnet_block_external',
    'tiny_yolo_ops',
    'tiny_yolo_se',
    'convnext_block',
    'convnext_block_op17',
    'convnext_block_op20',
    'vit_head',
    'vit_head_op17',
    'vit_head_op20',
    'vit_block',
    'vit_block_op17',
    'vit_block_mha',
  ];
  it.each(files)('%s', async (file) => {
    const progress: string[] = [];
    const onProgress = (done: number, total: number, what: string): number => progress.push(`${done}/${total} ${what}`);
    const result = await profileSpec(buildSpec({ file: join(FIXTURES, `${file}.onnx`) }), { measure: true, training: true, backend: 'auto', onProgress });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
    expect(result.measured?.backend.name).toBe('wasm');
    // A backward row per module, each module's gradient announced as networks announce a layer's.
    const modules = result.layers.length;
    expect(result.training?.rows.filter((row) => row.name !== GRADIENT_SUMS)).toHaveLength(modules);
    expect(progress.filter((line) => line.endsWith('layer gradients'))).toEqual(
      Array.from({ length: modules }, (_, i) => `${i + 1}/${modules} layer gradients`),
    );
  });

  it("sums the gradients of what the graph reads twice, views included: the YOLO block's two slices of cv1", async () => {
    const result = await profile({ file: join(FIXTURES, 'tiny_yolo_se.onnx'), measure: true, training: true });
    const fans = result.training?.fanOuts ?? [];
    // chunk(2) exported as two Slices: each reads the whole of cv1.act, and its second half is read by m.conv and the concat.
    expect(fans.find((f) => f.tensor === 'cv1.act')?.readers).toEqual(['Slice /Slice', 'Slice /Slice_1']);
    expect(fans.find((f) => f.tensor === 'cv1.act (Slice /Slice_1)')?.readers).toEqual(['m.conv', 'concat']);
    expect(result.check.status).toBe('match');
  });
});

describe('a small module by hand: a learned per-channel gain, then edge padding', () => {
  // x 1x2x3x3 (18) times g 1x2x1x1 (an initializer: params), then replicate-padded by 1 below and 2 left: 1x2x4x5 (40).
  const path = modelFile('gain-edge', {
    input: { name: 'x', dims: [1, 2, 3, 3] },
    opset: 13,
    nodes: [
      { op: 'Mul', inputs: ['x', 'g'], outputs: ['m'], name: 'gain' },
      { op: 'Pad', inputs: ['m', 'p'], outputs: ['y'], name: 'edge', attrs: [text('mode', 'edge')] },
    ],
    initializers: [weight('g', [1, 2, 1, 1]), pads('p', [0, 0, 0, 2, 0, 0, 1, 0])],
  });

  it('counts dy * g (18), dy * x (18) and its sum over N, H, W (18 - 2); each copy of an edge added into it (40 - 18)', async () => {
    const result = await profile({ file: path, measure: true, training: true });
    expect(result.check.mismatches).toEqual([]);
    const backward = Object.fromEntries((result.training?.rows ?? []).map((row) => [row.name, [row.counts['macs'], row.counts['flops']]]));
    expect(backward).toEqual({ gain: [0n, 18n + 18n + 16n], edge: [0n, 22n] });
    expect(result.training?.backward['flops']).toBe(74n);
  });
});

describe('every op the executor runs: analytic and measured backward agree (cpu)', () => {
  const cases: [string, Partial<ModelSpec> & { nodes: NodeSpec[] }][] = [
    [
      'a transposed conv (its input gradient is a conv)',
      {
        nodes: [
          {
            op: 'ConvTranspose',
            inputs: ['x', 'w'],
            outputs: ['y'],
            attrs: [ints('kernel_shape', [4, 4]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])],
          },
        ],
        initializers: [weight('w', [8, 4, 4, 4])],
      },
    ],
    [
      'a grouped conv with bias, a strided depthwise conv',
      {
        nodes: [
          { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['g'], attrs: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), int('group', 2)] },
          {
            op: 'Conv',
            inputs: ['g', 'd', 'c'],
            outputs: ['y'],
            attrs: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2]), int('group', 8)],
          },
        ],
        initializers: [weight('w', [8, 4, 3, 3]), weight('b', [8]), weight('d', [8, 1, 3, 3]), weight('c', [8])],
      },
    ],
    [
      'BatchNormalization, LeakyRelu, Clip to [0, 6], HardSigmoid',
      {
        nodes: [
          { op: 'BatchNormalization', inputs: ['x', 's', 'b', 'm', 'v'], outputs: ['n'] },
          { op: 'LeakyRelu', inputs: ['n'], outputs: ['l'], attrs: [{ name: 'alpha', type: 1, f: 0.1 }] },
          { op: 'Clip', inputs: ['l', 'lo', 'hi'], outputs: ['c'] },
          {
            op: 'HardSigmoid',
            inputs: ['c'],
            outputs: ['y'],
            attrs: [
              { name: 'alpha', type: 1, f: 1 / 6 },
              { name: 'beta', type: 1, f: 0.5 },
            ],
          },
        ],
        initializers: [
          weight('s', [8]),
          weight('b', [8]),
          weight('m', [8]),
          literal('v', [8], [1, 2, 3, 4, 1, 2, 3, 4]),
          literal('lo', [], [0]),
          literal('hi', [], [6]),
        ],
      },
    ],
    ['HardSwish', { opset: 14, nodes: [{ op: 'HardSwish', inputs: ['x'], outputs: ['y'] }] }],
    [
      'Sub, Div and Pow of two maps, one broadcast',
      {
        nodes: [
          { op: 'Sigmoid', inputs: ['x'], outputs: ['s'] },
          { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['g'] },
          { op: 'Sub', inputs: ['x', 'g'], outputs: ['a'] },
          { op: 'Div', inputs: ['a', 's'], outputs: ['d'] },
          { op: 'Pow', inputs: ['s', 'd'], outputs: ['y'] },
        ],
      },
    ],
    [
      'learned and literal operands on either side',
      {
        nodes: [
          { op: 'Sub', inputs: ['g', 'x'], outputs: ['a'] },
          { op: 'Div', inputs: ['a', 'h'], outputs: ['d'] },
          { op: 'Mul', inputs: ['d', 'half'], outputs: ['m'] },
          { op: 'Add', inputs: ['m', 'k'], outputs: ['y'] },
        ],
        initializers: [weight('g', [1, 8, 1, 1]), weight('h', [1, 8, 1, 1]), literal('half', [], [0.5]), weight('k', [8, 1, 1])],
      },
    ],
    [
      'padded max pool, average pool, spatial mean',
      {
        nodes: [
          { op: 'MaxPool', inputs: ['x'], outputs: ['m'], attrs: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2])] },
          { op: 'AveragePool', inputs: ['m'], outputs: ['a'], attrs: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
          { op: 'ReduceMean', inputs: ['a'], outputs: ['y'], attrs: [ints('axes', [2, 3]), int('keepdims', 1)] },
        ],
      },
    ],
    [
      'softmax over the channels and over the last axis',
      {
        opset: 13,
        nodes: [
          { op: 'Softmax', inputs: ['x'], outputs: ['a'], attrs: [int('axis', 1)] },
          { op: 'Softmax', inputs: ['a'], outputs: ['y'], attrs: [int('axis', -1)] },
        ],
      },
    ],
    [
      'Flatten, then Gemm with transB',
      {
        nodes: [
          { op: 'Flatten', inputs: ['x'], outputs: ['f'] },
          { op: 'Gemm', inputs: ['f', 'w', 'b'], outputs: ['y'], attrs: [int('transB', 1)] },
        ],
        initializers: [weight('w', [10, 288]), weight('b', [10])],
      },
    ],
    [
      'a Linear on 3-D tokens, batch 2',
      {
        input: { name: 'x', dims: [2, 4, 8] },
        nodes: [
          { op: 'MatMul', inputs: ['x', 'w'], outputs: ['m'] },
          { op: 'Add', inputs: ['m', 'b'], outputs: ['y'] },
        ],
        initializers: [weight('w', [8, 6]), weight('b', [6])],
      },
    ],
    [
      'edge padding on both sides, then reflect padding',
      {
        opset: 13,
        nodes: [
          { op: 'Pad', inputs: ['x', 'p'], outputs: ['e'], attrs: [text('mode', 'edge')] },
          { op: 'Pad', inputs: ['e', 'q'], outputs: ['y'], attrs: [text('mode', 'reflect')] },
        ],
        initializers: [pads('p', [0, 0, 2, 1, 0, 0, 1, 3]), pads('q', [0, 0, 1, 1, 0, 0, 1, 1])],
      },
    ],
    [
      'edge padding of an axis of 1 and one of 2',
      {
        input: { name: 'x', dims: [1, 8, 1, 2] },
        opset: 13,
        nodes: [{ op: 'Pad', inputs: ['x', 'p'], outputs: ['y'], attrs: [text('mode', 'edge')] }],
        initializers: [pads('p', [0, 0, 2, 1, 0, 0, 1, 3])],
      },
    ],
    [
      'exp, tanh, relu, and a concat with the input',
      {
        nodes: [
          { op: 'Exp', inputs: ['x'], outputs: ['e'] },
          { op: 'Tanh', inputs: ['e'], outputs: ['t'] },
          { op: 'Relu', inputs: ['t'], outputs: ['r'] },
          { op: 'Concat', inputs: ['r', 'x'], outputs: ['y'], attrs: [int('axis', 1)] },
        ],
      },
    ],
    [
      'nearest upsampling',
      {
        opset: 13,
        nodes: [
          {
            op: 'Resize',
            inputs: ['x', '', 's'],
            outputs: ['y'],
            attrs: [text('mode', 'nearest'), text('coordinate_transformation_mode', 'asymmetric'), text('nearest_mode', 'floor')],
          },
        ],
        initializers: [literal('s', [4], [1, 1, 2, 2])],
      },
    ],
    [
      'an output that a later op reads too (the loss is one more reader)',
      {
        nodes: [
          { op: 'Relu', inputs: ['x'], outputs: ['r'] },
          { op: 'Sigmoid', inputs: ['r'], outputs: ['y'] },
        ],
        outputs: ['r', 'y'],
      },
    ],
    [
      'an initializer two convs share (exporters deduplicate equal biases): each its own parameter',
      {
        nodes: [
          { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['a'], attrs: [ints('kernel_shape', [1, 1])] },
          { op: 'Identity', inputs: ['b'], outputs: ['b2'] },
          { op: 'Conv', inputs: ['a', 'w2', 'b2'], outputs: ['y'], attrs: [ints('kernel_shape', [1, 1])] },
        ],
        initializers: [weight('w', [8, 8, 1, 1]), weight('w2', [8, 8, 1, 1]), weight('b', [8])],
      },
    ],
    [
      // SE-ResNeXt-50's export: a downsample conv's bias is an Identity of the bias of a conv that
      // runs after it. A bias past 4,096 values is not folded: its Identity runs as a view.
      "a bias read through an Identity of a later conv's bias: the weight, not an activation, of its module",
      {
        nodes: [
          { op: 'Identity', inputs: ['b'], outputs: ['b2'] },
          { op: 'Conv', inputs: ['x', 'w', 'b2'], outputs: ['a'], attrs: [ints('kernel_shape', [1, 1])] },
          { op: 'Conv', inputs: ['a', 'w2', 'b'], outputs: ['y'], attrs: [ints('kernel_shape', [1, 1]), int('group', 4100)] },
        ],
        initializers: [weight('w', [4100, 8, 1, 1]), weight('w2', [4100, 1, 1, 1]), weight('b', [4100])],
        input: { name: 'x', dims: [1, 8, 1, 1] },
      },
    ],
  ];

  it.each(cases)('%s', async (name, spec) => {
    const result = await profile({ file: modelFile(name.replace(/\W+/g, '-'), spec), measure: true, training: true, backend: 'cpu' });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
    expect(result.measured?.backend.name).toBe('cpu');
  });
});

describe('odd but valid graphs under --training (issue 23): analytic and measured agree', () => {
  beforeAll(loadFileSupport);
  const x = { name: 'x', dims: [1, 8, 4, 4] };
  const run = (name: string, nodes: NodeSpec[], initializers: ModelSpec['initializers'] = []) =>
    profile({ file: modelFile(name, { input: x, nodes, initializers }), measure: true, training: true });
  const sums = (result: Awaited<ReturnType<typeof profile>>) => result.training?.rows.find((row) => row.name === GRADIENT_SUMS)?.counts['flops'];

  it.each([2, 3, 5_000])('Concat of %i slots of x: each slot a gradient, summed into x (slots - 1 adds of 128)', async (slots) => {
    const result = await run(`concat-${slots}`, [
      { op: 'Concat', name: 'cat', inputs: Array<string>(slots).fill('x'), outputs: ['y'], attrs: [int('axis', 1)] },
    ]);
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
    expect(result.training?.fanOuts.find((f) => f.tensor === 'input')?.readers).toHaveLength(slots);
    // x is 1x8x4x4: 128 elements, one add each per extra slot.
    expect(sums(result)).toBe(BigInt((slots - 1) * 128));
  });

  it("x * x after a ReLU: the two operands' gradients summed into the ReLU's output", async () => {
    const result = await run('mul-x-x', [
      { op: 'Relu', inputs: ['x'], outputs: ['r'] },
      { op: 'Mul', inputs: ['r', 'r'], outputs: ['y'] },
    ]);
    expect(result.check.mismatches).toEqual([]);
    expect(sums(result)).toBe(128n);
  });

  it('a graph of views only: no gradient kernel, nothing to count', async () => {
    const result = await run('expand-only', [{ op: 'Expand', inputs: ['x', 's'], outputs: ['y'] }], [pads('s', [2, 8, 4, 4])]);
    expect(result.check.status).toBe('match');
    expect(result.training?.backward['flops']).toBe(0n);
  });

  // A mask built at run time from constants (as Swin's), too large to fold (8,192 values): off autograd's tape.
  it('a mask computed from constants only: no backward for it, and the add that applies it takes no gradient for it', async () => {
    const big = { name: 'x', dims: [1, 8, 32, 32] };
    const result = await profile({
      file: modelFile('mask', {
        input: big,
        nodes: [
          { op: 'ConstantOfShape', inputs: ['shape'], outputs: ['ones'], attrs: [] },
          { op: 'Sigmoid', name: 'mask', inputs: ['ones'], outputs: ['m'] },
          { op: 'Add', name: 'masked', inputs: ['x', 'm'], outputs: ['y'] },
        ],
        initializers: [{ name: 'shape', dims: [4], dataType: 7, int64Data: [1, 1, 32, 32] }],
      }),
      measure: true,
      training: true,
      backend: 'cpu',
    });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => [l.op.name, l.op.attrs.frozen])).toEqual([
      ['mask', 'all'],
      ['masked', [1]],
    ]);
    // Counted, the mask's gradient would be 3 * 1,024 (sigmoid) and the broadcast sum 8,192 - 1,024 (add): none is.
    const rows = new Map(result.training?.rows.map((row) => [row.name, row.counts['flops']]));
    expect([rows.get('mask'), rows.get('masked')]).toEqual([0n, 0n]);
  });

  // torchvision's LR-ASPP MobileNetV3-Large: its last stage's depthwise convs are dilated.
  it.each([
    ['a dilated depthwise conv', 8],
    ['a dilated conv', 1],
  ])('%s (tfjs has no gradient for it) is skipped, naming the module, not an internal error', async (_, group) => {
    const result = await run(
      `dilated-${group}`,
      [
        {
          op: 'Conv',
          name: 'dilated',
          inputs: ['x', 'w'],
          outputs: ['y'],
          attrs: [ints('kernel_shape', [3, 3]), ints('pads', [2, 2, 2, 2]), ints('dilations', [2, 2]), int('group', group)],
        },
      ],
      [weight('w', [8, 8 / group, 3, 3])],
    );
    expect(result.check.status).toBe('skipped');
    expect(result.check.reason).toBe("module 'dilated': tfjs has no gradient for a dilated convolution (dilations 2x2)");
  });

  it('a backward run past what tf.profile holds is skipped, naming why, not an internal error', async () => {
    const result = await run('concat-100000', [
      { op: 'Concat', name: 'cat', inputs: Array<string>(100_000).fill('x'), outputs: ['y'], attrs: [int('axis', 1)] },
    ]);
    expect(result.check.status).toBe('skipped');
    expect(result.check.reason).toMatch(/^its backward pass runs about [\d,]+ tfjs kernels in one profiled run, past the 100,000 tf.profile can hold$/);
    // The analytic count stands: 99,999 adds of 128.
    expect(sums(result)).toBe(99_999n * 128n);
  });
});
