// The executor runs what the analytic side counts on the graphs real exports hold (issue 21):
// Constant nodes of any size, pools with ceil_mode, count_include_pad and dilations, a one-input
// Concat, the Reduce ops; each checked against values computed here, and measured with the
// analytic counts agreeing layer by layer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { GraphExecutor } from '../src/modules/graph-executor';
import { encodeModel, type ModelSpec } from './support/onnx';

const TENSOR = 4;
const dir = mkdtempSync(join(tmpdir(), 'seprof-executes-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function modelFile(name: string, spec: ModelSpec): string {
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, encodeModel(spec));
  return path;
}

/** Runs the file's graph on `x` (NCHW values, rank 4 stored NHWC) and returns its first output in NCHW order. */
function execute(path: string, x: tf.Tensor): { values: Float32Array; shape: number[] } {
  const executor = new GraphExecutor(inferShapes(readModelFile(path), new Map()));
  const stored = x.rank === 4 ? tf.transpose(x, [0, 2, 3, 1]) : x;
  const [out] = executor.run(new Map([['x', stored]]));
  const y = out?.rank === 4 ? tf.transpose(out, [0, 3, 1, 2]) : (out as tf.Tensor);
  const result = { values: y.dataSync() as Float32Array, shape: y.shape };
  executor.dispose();
  return result;
}

const ramp = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i));
const bytes = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer.slice(0));

describe("Constant nodes of any size (YOLO's anchors and strides)", () => {
  // 2 x 4200 = 8400 values, over the 4096 shape inference folds: YOLOv9's detect head at 320.
  const n = 4200;
  const anchors = ramp(2 * n, (i) => (i % 97) / 8);
  const strides = ramp(n, (i) => (i < 3200 ? 8 : i < 4000 ? 16 : 32));
  const path = modelFile('constants', {
    input: { name: 'x', dims: [1, 2, n] },
    nodes: [
      {
        op: 'Constant',
        inputs: [],
        outputs: ['anchors'],
        attrs: [{ name: 'value', type: TENSOR, t: { name: 'a', dims: [1, 2, n], rawData: bytes(anchors) } }],
      },
      { op: 'Constant', inputs: [], outputs: ['strides'], attrs: [{ name: 'value', type: TENSOR, t: { name: 's', dims: [1, n], rawData: bytes(strides) } }] },
      { op: 'Sub', inputs: ['anchors', 'x'], outputs: ['lt'], name: 'sub' },
      { op: 'Mul', inputs: ['lt', 'strides'], outputs: ['y'], name: 'mul' },
    ],
  });

  it('runs them: (anchors - x) * strides, as computed here', () => {
    const x = ramp(2 * n, (i) => Math.sin(i));
    const { values, shape } = execute(path, tf.tensor(x, [1, 2, n]));
    expect(shape).toEqual([1, 2, n]);
    for (let i = 0; i < 2 * n; i += 1) expect(values[i]).toBeCloseTo(((anchors[i] ?? 0) - (x[i] ?? 0)) * (strides[i % n] ?? 0), 4);
  });

  it('counts them as constant operands, not activations, and measures the same: a sub and a mul of 8400 elements, no params', async () => {
    const result = await profile({ file: path, measure: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => [l.op.kind, l.op.inputShapes, l.op.params, l.counts['flops']])).toEqual([
      ['sub', [[1, 2, n]], 0n, 2n * BigInt(n)],
      ['mul', [[1, 2, n]], 0n, 2n * BigInt(n)],
    ]);
  });
});

const INT = 2;
const INTS = 7;
const ints = (name: string, values: number[]) => ({ name, type: INTS, ints: values });
const int = (name: string, value: number) => ({ name, type: INT, i: value });

/**
 * PyTorch's max_pool2d / avg_pool2d on one NCHW plane, written from its definition: windows of
 * k at s*o - p, ceil_mode's last window kept only when it starts inside the input or the left
 * pad; an average divides by the window clipped to the padded input (count_include_pad) or by
 * the input elements it holds.
 */
function torchPool(kind: 'max' | 'avg', x: Float32Array, h: number, k: number, s: number, p: number, ceil: boolean, countPad: boolean): number[] {
  let out = (ceil ? Math.ceil((h + 2 * p - k) / s) : Math.floor((h + 2 * p - k) / s)) + 1;
  if (ceil && (out - 1) * s >= h + p) out -= 1;
  const y: number[] = [];
  for (let i = 0; i < out; i += 1) {
    for (let j = 0; j < out; j += 1) {
      const [r0, c0] = [i * s - p, j * s - p];
      const [r1, c1] = [Math.min(r0 + k, h + p), Math.min(c0 + k, h + p)];
      let [best, sum, n] = [-Infinity, 0, 0];
      for (let r = Math.max(r0, 0); r < Math.min(r1, h); r += 1) {
        for (let c = Math.max(c0, 0); c < Math.min(c1, h); c += 1) {
          const v = x[r * h + c] ?? NaN;
          best = Math.max(best, v);
          sum += v;
          n += 1;
        }
      }
      y.push(kind === 'max' ? best : sum / (countPad ? (r1 - r0) * (c1 - c0) : n));
    }
  }
  return y;
}

describe('pools as PyTorch runs them: ceil_mode, count_include_pad', () => {
  const h = 8;
  const x = ramp(h * h, (i) => Math.cos(i * 0.7) * 3);
  const cases = [
    // GoogLeNet's and SENet's nn.MaxPool2d(3, stride=2, ceil_mode=True): 8 -> 3 by floor, 4 by ceil.
    { name: 'max k3 s2 ceil', op: 'MaxPool', kind: 'max', k: 3, s: 2, p: 0, ceil: true, countPad: false, out: 4 },
    { name: 'max k3 s2 p1 ceil', op: 'MaxPool', kind: 'max', k: 3, s: 2, p: 1, ceil: true, countPad: false, out: 5 },
    { name: 'avg k3 s2 p1 ceil, counting pads', op: 'AveragePool', kind: 'avg', k: 3, s: 2, p: 1, ceil: true, countPad: true, out: 5 },
    { name: 'avg k3 s2 p1 ceil, not counting pads', op: 'AveragePool', kind: 'avg', k: 3, s: 2, p: 1, ceil: true, countPad: false, out: 5 },
    { name: 'avg k3 s1 p1, counting pads', op: 'AveragePool', kind: 'avg', k: 3, s: 1, p: 1, ceil: false, countPad: true, out: 8 },
  ] as const;
  for (const c of cases) {
    const attrs = [ints('kernel_shape', [c.k, c.k]), ints('strides', [c.s, c.s]), ints('pads', [c.p, c.p, c.p, c.p]), int('ceil_mode', c.ceil ? 1 : 0)];
    const path = modelFile(c.name.replace(/\W+/g, '-'), {
      input: { name: 'x', dims: [1, 1, h, h] },
      nodes: [
        {
          op: c.op,
          inputs: ['x'],
          outputs: ['y'],
          name: 'pool',
          attrs: c.op === 'AveragePool' ? [...attrs, int('count_include_pad', c.countPad ? 1 : 0)] : attrs,
        },
      ],
    });
    it(`${c.name}: ${h}x${h} -> ${c.out}x${c.out}, the values PyTorch's definition gives, measured and agreeing`, async () => {
      const expected = torchPool(c.kind, x, h, c.k, c.s, c.p, c.ceil, c.countPad);
      expect(expected).toHaveLength(c.out * c.out);
      const { values, shape } = execute(path, tf.tensor(x, [1, 1, h, h]));
      expect(shape).toEqual([1, 1, c.out, c.out]);
      expected.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 5));
      for (const backend of ['cpu', 'wasm'] as const) {
        const result = await profile({ file: path, measure: true, backend });
        expect(result.check.status).toBe('match');
        expect(result.layers.map((l) => l.op.outputShape)).toEqual([[1, 1, c.out, c.out]]);
      }
    });
  }

  it('a dilated pool is not run, and the skip names the op and the node', async () => {
    const path = modelFile('dilated', {
      input: { name: 'x', dims: [1, 1, h, h] },
      nodes: [{ op: 'MaxPool', inputs: ['x'], outputs: ['y'], name: 'dilated_pool', attrs: [ints('kernel_shape', [2, 2]), ints('dilations', [2, 2])] }],
    });
    const result = await profile({ file: path, measure: true, backend: 'cpu' });
    expect(result.check.status).toBe('skipped');
    expect(result.check.reason).toContain("MaxPool (node 'dilated_pool'");
  });
});

describe("a one-input Concat (DenseNet's first dense layer: torch.cat([x], 1))", () => {
  const path = modelFile('concat-one', {
    input: { name: 'x', dims: [1, 4, 3, 3] },
    nodes: [
      { op: 'Concat', inputs: ['x'], outputs: ['c'], name: 'cat', attrs: [int('axis', 1)] },
      { op: 'Relu', inputs: ['c'], outputs: ['y'], name: 'relu' },
    ],
  });
  it('is read as the Identity it is (a view): measured, the relu its one layer, agreeing', async () => {
    const x = ramp(36, (i) => i - 18);
    expect(Array.from(execute(path, tf.tensor(x, [1, 4, 3, 3])).values)).toEqual(Array.from(x, (v) => Math.max(v, 0)));
    const result = await profile({ file: path, measure: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => [l.op.kind, l.op.inputShapes])).toEqual([['relu', [[1, 4, 3, 3]]]]);
  });
});

describe("Reduce ops as PyTorch functions (YOLOv9's CBFuse: torch.sum(torch.stack([a, b]), dim=0))", () => {
  const axes = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: 7, int64Data: values });
  const path = modelFile('cbfuse', {
    input: { name: 'x', dims: [1, 4, 3, 3] },
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['r'], name: 'relu' },
      { op: 'Unsqueeze', inputs: ['x', 'zero'], outputs: ['a'], name: 'ua' },
      { op: 'Unsqueeze', inputs: ['r', 'zero'], outputs: ['b'], name: 'ub' },
      { op: 'Concat', inputs: ['a', 'b'], outputs: ['stack'], name: 'stack', attrs: [int('axis', 0)] },
      { op: 'ReduceSum', inputs: ['stack', 'zero'], outputs: ['s'], name: 'sum', attrs: [int('keepdims', 0)] },
      { op: 'ReduceMax', inputs: ['s'], outputs: ['m'], name: 'amax', attrs: [ints('axes', [2]), int('keepdims', 0)] },
      { op: 'ReduceMin', inputs: ['m'], outputs: ['y'], name: 'amin', attrs: [ints('axes', [1]), int('keepdims', 1)] },
    ],
    initializers: [axes('zero', [0])],
  });

  it('sums the stack back to a 4-D map, then its max over H and min over C, as computed here', () => {
    const x = ramp(36, (i) => Math.sin(i * 1.3) * 4);
    const s = Array.from(x, (v) => v + Math.max(v, 0));
    // s [1, 4, 3, 3] -> max over H -> [1, 4, 3] -> min over C, kept -> [1, 1, 3].
    const m = [0, 1, 2, 3].map((c) => [0, 1, 2].map((w) => Math.max(...[0, 1, 2].map((h) => s[c * 9 + h * 3 + w] ?? NaN))));
    const y = [0, 1, 2].map((w) => Math.min(...m.map((row) => row[w] ?? NaN)));
    const out = execute(path, tf.tensor(x, [1, 4, 3, 3]));
    expect(out.shape).toEqual([1, 1, 3]);
    y.forEach((v, i) => expect(out.values[i]).toBeCloseTo(v, 5));
  });

  it("counts them by the peers' rules (functional: 0; flops n - 1 per result of n) and measures the same, forward and backward", async () => {
    const result = await profile({ file: path, measure: true, training: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    const reduces = result.layers.filter((l) => l.op.kind.startsWith('reduce_'));
    expect(reduces.map((l) => [l.op.kind, l.op.inputShapes[0], l.op.outputShape])).toEqual([
      ['reduce_sum', [2, 1, 4, 3, 3], [1, 4, 3, 3]],
      ['reduce_max', [1, 4, 3, 3], [1, 4, 3]],
      ['reduce_min', [1, 4, 3], [1, 1, 3]],
    ]);
    // 72 values summed into 36; 36 into 12; 12 into 3.
    expect(reduces.map((l) => l.counts['flops'])).toEqual([36n, 24n, 9n]);
    for (const l of reduces) for (const peer of ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'senet'] as const) expect(l.counts[peer]).toBe(0n);
  });
});

describe('Resize as PyTorch interpolates: nearest and bilinear, each coordinate transformation tfjs can match', () => {
  const STRING = 3;
  const floatsInit = (name: string, values: number[]) => ({ name, dims: [values.length], rawData: bytes(Float32Array.from(values)) });
  const sizesInit = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: 7, int64Data: values });
  const str = (name: string, value: string) => ({ name, type: STRING, s: new TextEncoder().encode(value) });
  const resizeFile = (name: string, mode: string, transform: string, out: number, extra: { name: string; type: number; s?: Uint8Array }[] = []) =>
    modelFile(name, {
      opset: 13,
      input: { name: 'x', dims: [1, 2, 4, 4] },
      nodes: [
        {
          op: 'Resize',
          inputs: ['x', '', '', 'sizes'],
          outputs: ['y'],
          name: 'resize',
          attrs: [str('mode', mode), str('coordinate_transformation_mode', transform), ...extra],
        },
      ],
      initializers: [sizesInit('sizes', [1, 2, out, out]), floatsInit('unused', [0])],
    });

  /** PyTorch's upsample_bilinear2d source index and weights (aten/src/ATen/native/UpSample.h: area_pixel_compute_source_index). */
  function torchBilinear(x: Float32Array, h: number, out: number, alignCorners: boolean): number[] {
    const scale = alignCorners ? (out > 1 ? (h - 1) / (out - 1) : 0) : h / out;
    const source = (d: number): [number, number, number] => {
      const s = alignCorners ? scale * d : Math.max(scale * (d + 0.5) - 0.5, 0);
      const i0 = Math.floor(s);
      const i1 = i0 < h - 1 ? i0 + 1 : i0;
      return [i0, i1, s - i0];
    };
    const y: number[] = [];
    for (let c = 0; c < 2; c += 1) {
      for (let r = 0; r < out; r += 1) {
        const [r0, r1, lr] = source(r);
        for (let q = 0; q < out; q += 1) {
          const [c0, c1, lc] = source(q);
          const at = (i: number, j: number): number => x[c * h * h + i * h + j] ?? NaN;
          y.push((1 - lr) * ((1 - lc) * at(r0, c0) + lc * at(r0, c1)) + lr * ((1 - lc) * at(r1, c0) + lc * at(r1, c1)));
        }
      }
    }
    return y;
  }

  const x = ramp(32, (i) => Math.cos(i * 0.9) * 2 + i / 10);
  // F.interpolate(bilinear, align_corners=False) exports pytorch_half_pixel; True exports align_corners.
  for (const [transform, alignCorners] of [
    ['pytorch_half_pixel', false],
    ['half_pixel', false],
    ['align_corners', true],
  ] as const) {
    for (const out of [7, 2]) {
      it(`bilinear, ${transform}, 4x4 -> ${out}x${out}: PyTorch's values`, () => {
        const { values, shape } = execute(resizeFile(`bilinear-${transform}-${out}`, 'linear', transform, out), tf.tensor(x, [1, 2, 4, 4]));
        expect(shape).toEqual([1, 2, out, out]);
        torchBilinear(x, 4, out, alignCorners).forEach((v, i) => expect(values[i]).toBeCloseTo(v, 5));
      });
    }
  }

  it("bilinear 4x4 -> 7x7 is measured and counted by each peer's bilinear rule: thop 11 * numel(out), fvcore 4 *, flops 7 *", async () => {
    const result = await profile({ file: resizeFile('bilinear-counts', 'linear', 'pytorch_half_pixel', 7), measure: true, training: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    const numelOut = 2n * 49n;
    // ptflops: nn.Upsample's hook numel(out) / B^2 plus F.interpolate's numel(out), B = 1.
    expect(result.layers.map((l) => [l.op.kind, l.counts['thop'], l.counts['fvcore'], l.counts['ptflops'], l.counts['flops']])).toEqual([
      ['resize', 11n * numelOut, 4n * numelOut, 2n * numelOut, 7n * numelOut],
    ]);
  });

  /** ONNX Resize nearest by its definition: the coordinate transformation, then the rounding, clamped. */
  function onnxNearest(x: Float32Array, h: number, out: number, transform: string, rounding: string): number[] {
    const scale = out / h;
    const coordinate = (d: number): number =>
      transform === 'asymmetric' ? d / scale : transform === 'align_corners' ? (out === 1 ? 0 : (d * (h - 1)) / (out - 1)) : (d + 0.5) / scale - 0.5;
    const round = (v: number): number =>
      rounding === 'floor' ? Math.floor(v) : rounding === 'ceil' ? Math.ceil(v) : rounding === 'round_prefer_ceil' ? Math.floor(v + 0.5) : Math.ceil(v - 0.5);
    const source = (d: number): number => Math.min(h - 1, Math.max(0, round(coordinate(d))));
    const y: number[] = [];
    for (let c = 0; c < 2; c += 1) for (let r = 0; r < out; r += 1) for (let q = 0; q < out; q += 1) y.push(x[c * h * h + source(r) * h + source(q)] ?? NaN);
    return y;
  }

  // PyTorch's nearest (asymmetric, floor); nearest-exact (half_pixel, round_prefer_ceil: floor((d + 0.5) / scale)); align_corners with rounding.
  const nearest = [
    ['asymmetric', 'floor', 8],
    ['asymmetric', 'floor', 3],
    ['half_pixel', 'round_prefer_ceil', 7],
    ['half_pixel', 'round_prefer_ceil', 2],
    ['align_corners', 'round_prefer_ceil', 7],
  ] as const;
  for (const [transform, rounding, out] of nearest) {
    it(`nearest, ${transform} + ${rounding}, 4x4 -> ${out}x${out}: ONNX's values, measured`, async () => {
      const path = resizeFile(`nearest-${transform}-${rounding}-${out}`, 'nearest', transform, out, [str('nearest_mode', rounding)]);
      const { values } = execute(path, tf.tensor(x, [1, 2, 4, 4]));
      onnxNearest(x, 4, out, transform, rounding).forEach((v, i) => expect(values[i]).toBe(v));
      expect((await profile({ file: path, measure: true, backend: 'cpu' })).check.status).toBe('match');
    });
  }

  it('a mode tfjs cannot compute (tf_crop_and_resize, cubic) is counted or listed, and the skip names the op and the node', async () => {
    const crop = await profile({ file: resizeFile('crop', 'nearest', 'tf_crop_and_resize', 7), measure: true, backend: 'cpu' });
    expect(crop.check.status).toBe('skipped');
    expect(crop.check.reason).toContain("Resize (node 'resize'");
    const cubic = await profile({ file: resizeFile('cubic', 'cubic', 'half_pixel', 7), measure: true, backend: 'cpu' });
    expect(cubic.check.status).toBe('skipped');
    expect(cubic.check.reason).toContain("Resize (node 'resize'");
  });
});

describe("nn.Softplus and nn.Mish (the exporter's Softplus, Tanh, Mul by x before opset 18)", () => {
  const path = modelFile('mish', {
    input: { name: 'x', dims: [1, 2, 3, 3] },
    nodes: [
      { op: 'Softplus', inputs: ['x'], outputs: ['sp'], name: 'mish.softplus' },
      { op: 'Tanh', inputs: ['sp'], outputs: ['t'], name: 'mish.tanh' },
      { op: 'Mul', inputs: ['x', 't'], outputs: ['m'], name: 'mish' },
      { op: 'Softplus', inputs: ['m'], outputs: ['y'], name: 'softplus' },
    ],
  });
  it('runs x * tanh(log(1 + e^x)), then log(1 + e^m), as computed here', () => {
    const x = ramp(18, (i) => (i - 9) / 2);
    const softplus = (v: number): number => Math.log1p(Math.exp(v));
    const { values } = execute(path, tf.tensor(x, [1, 2, 3, 3]));
    x.forEach((v, i) => expect(values[i]).toBeCloseTo(softplus(v * Math.tanh(softplus(v))), 5));
  });
  it('is one mish and one softplus: 0 in every peer, flops 9 and 3 per element, backward 11 and 5; measured the same', async () => {
    const result = await profile({ file: path, measure: true, training: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => [l.op.kind, l.counts['thop'], l.counts['fvcore'], l.counts['ptflops'], l.counts['flops']])).toEqual([
      ['mish', 0n, 0n, 0n, 9n * 18n],
      ['softplus', 0n, 0n, 0n, 3n * 18n],
    ]);
  });
});

describe("nn.GELU(approximate='tanh'): the exporter's nine nodes (before opset 20) and Gelu (opset 20)", () => {
  const scalar = (name: string, value: number) => ({ name, dims: [], rawData: bytes(Float32Array.of(value)) });
  const spelled = modelFile('gelu-tanh', {
    input: { name: 'x', dims: [1, 2, 3, 3] },
    nodes: [
      { op: 'Mul', inputs: ['x', 'x'], outputs: ['x2'] },
      { op: 'Mul', inputs: ['x', 'x2'], outputs: ['x3'] },
      { op: 'Mul', inputs: ['kappa', 'x3'], outputs: ['kx3'] },
      { op: 'Add', inputs: ['x', 'kx3'], outputs: ['s'] },
      { op: 'Mul', inputs: ['beta', 's'], outputs: ['inner'] },
      { op: 'Tanh', inputs: ['inner'], outputs: ['t'] },
      { op: 'Add', inputs: ['one', 't'], outputs: ['u'] },
      { op: 'Mul', inputs: ['x', 'u'], outputs: ['v'] },
      { op: 'Mul', inputs: ['half', 'v'], outputs: ['y'], name: 'gelu' },
    ],
    initializers: [scalar('kappa', 0.044715), scalar('beta', Math.sqrt(2 / Math.PI)), scalar('one', 1), scalar('half', 0.5)],
  });
  const node = modelFile('gelu-tanh-op20', {
    opset: 20,
    input: { name: 'x', dims: [1, 2, 3, 3] },
    nodes: [{ op: 'Gelu', inputs: ['x'], outputs: ['y'], name: 'gelu', attrs: [{ name: 'approximate', type: 3, s: new TextEncoder().encode('tanh') }] }],
  });
  const x = ramp(18, (i) => (i - 9) / 3);
  const expected = Array.from(x, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));

  for (const [form, path] of [
    ['nine nodes', spelled],
    ['Gelu node', node],
  ] as const) {
    it(`${form}: PyTorch's values; one gelu, no params, flops 13 per element, backward measured and agreeing`, async () => {
      const { values } = execute(path, tf.tensor(x, [1, 2, 3, 3]));
      expected.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 5));
      const result = await profile({ file: path, measure: true, training: true, backend: 'cpu' });
      expect(result.check.status).toBe('match');
      // ptflops: nn.GELU's module hook numel(out) per image + F.gelu numel(in), B = 1.
      expect(result.layers.map((l) => [l.op.kind, l.op.params, l.counts['thop'], l.counts['ptflops'], l.counts['flops']])).toEqual([
        ['gelu', 0n, 0n, 36n, 13n * 18n],
      ]);
    });
  }
});

describe("x.mean over any axes (the einsum attention's token mean x.mean(1)), and head_dim ** -0.5 as a Pow of constants", () => {
  const scalar = (name: string, value: number) => ({ name, dims: [], rawData: bytes(Float32Array.of(value)) });
  const path = modelFile('token-mean', {
    input: { name: 'x', dims: [2, 6, 4] },
    nodes: [
      { op: 'Pow', inputs: ['eight', 'minus_half'], outputs: ['scale'], name: 'scale' },
      { op: 'Mul', inputs: ['x', 'scale'], outputs: ['s'], name: 'mul' },
      { op: 'ReduceMean', inputs: ['s'], outputs: ['y'], name: 'mean', attrs: [ints('axes', [1]), int('keepdims', 0)] },
    ],
    initializers: [scalar('eight', 8), scalar('minus_half', -0.5)],
  });
  it('runs the mean of x / sqrt(8) over the tokens, as computed here', () => {
    const x = ramp(48, (i) => Math.sin(i));
    const { values, shape } = execute(path, tf.tensor(x, [2, 6, 4]));
    expect(shape).toEqual([2, 4]);
    for (let b = 0; b < 2; b += 1) {
      for (let c = 0; c < 4; c += 1) {
        const mean = [0, 1, 2, 3, 4, 5].reduce((sum, t) => sum + (x[b * 24 + t * 4 + c] ?? NaN), 0) / 6 / Math.sqrt(8);
        expect(values[b * 4 + c]).toBeCloseTo(mean, 5);
      }
    }
  });
  it('counts a mul by a constant and a reduce_mean (flops numel(in); senet 0: no squeeze), measured the same', async () => {
    const result = await profile({ file: path, measure: true, training: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => [l.op.kind, l.counts['flops'], l.counts['senet']])).toEqual([
      ['mul', 48n, 0n],
      ['reduce_mean', 48n, 0n],
    ]);
  });
});

describe('nn.GroupNorm(2, 4) as PyTorch exports it (Reshape, InstanceNormalization of Constant ones and zeros, Reshape, Mul, Add), and GroupNormalization', () => {
  const constant = (out: string, values: number[], dims: number[]) => ({
    op: 'Constant',
    inputs: [],
    outputs: [out],
    attrs: [{ name: 'value', type: TENSOR, t: { name: out, dims, rawData: bytes(Float32Array.from(values)) } }],
  });
  const shape = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: 7, int64Data: values });
  const w = [0.5, 1.5, -1, 2];
  const b = [0.1, -0.2, 0.3, 0];
  const path = modelFile('group-norm', {
    input: { name: 'x', dims: [1, 4, 3, 3] },
    nodes: [
      constant('ones', [1, 1], [2]),
      constant('zeros', [0, 0], [2]),
      { op: 'Reshape', inputs: ['x', 'groups'], outputs: ['g'], name: 'gn.reshape' },
      { op: 'InstanceNormalization', inputs: ['g', 'ones', 'zeros'], outputs: ['n'], name: 'gn', attrs: [{ name: 'epsilon', type: 1, f: 1e-5 }] },
      { op: 'Reshape', inputs: ['n', 'back'], outputs: ['r'], name: 'gn.back' },
      { op: 'Mul', inputs: ['r', 'w'], outputs: ['m'], name: 'gn.mul' },
      { op: 'Add', inputs: ['m', 'b'], outputs: ['y'], name: 'gn.add' },
    ],
    initializers: [
      shape('groups', [0, 2, -1]),
      shape('back', [1, 4, 3, 3]),
      { name: 'w', dims: [4, 1, 1], rawData: bytes(Float32Array.from(w)) },
      { name: 'b', dims: [4, 1, 1], rawData: bytes(Float32Array.from(b)) },
    ],
  });

  it("computes PyTorch's group norm: each group of 2 channels normalised over its 18 values, then w and b per channel", () => {
    const x = ramp(36, (i) => Math.sin(i * 0.8) * 3 + i / 9);
    const expected = Array.from(x, (v, i) => {
      const group = x.slice(Math.floor(i / 18) * 18, Math.floor(i / 18) * 18 + 18);
      const mean = group.reduce((s, u) => s + u, 0) / 18;
      const variance = group.reduce((s, u) => s + (u - mean) ** 2, 0) / 18;
      const c = Math.floor(i / 9);
      return ((v - mean) / Math.sqrt(variance + 1e-5)) * (w[c] ?? NaN) + (b[c] ?? NaN);
    });
    const { values } = execute(path, tf.tensor(x, [1, 4, 3, 3]));
    expected.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 4));
  });

  it("is one group_norm, counted by nn.GroupNorm's rules: thop 0 (no rule), fvcore 5n (affine), ptflops 2n per image, flops 5n + 2 rows + 2n, the weight and bias 8 params; measured, forward and backward", async () => {
    const result = await profile({ file: path, measure: true, training: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    const n = 36n;
    expect(result.layers.map((l) => [l.op.kind, l.op.params, l.counts['thop'], l.counts['fvcore'], l.counts['ptflops'], l.counts['flops']])).toEqual([
      ['group_norm', 8n, 0n, 5n * n, 2n * n, 5n * n + 2n * 2n + 2n * n],
    ]);
  });

  it.each(['group_norm_net_op13.onnx', 'group_norm_net_op17.onnx'])(
    'the real export of a GroupNorm net (test/fixtures/onnx-peers, affine and not), measured with stand-in weights: %s agrees on every layer',
    async (file) => {
      const result = await profile({ file: join(__dirname, 'fixtures', 'onnx-peers', file), measure: true, backend: 'cpu', standInWeights: true });
      expect(result.check.mismatches).toEqual([]);
      expect(result.check.status).toBe('match');
      expect(result.layers.filter((l) => l.op.kind === 'group_norm')).toHaveLength(2);
    },
  );

  // GroupNormalization (opset 18: scale and bias per group; opset 21: per channel) computes the same normalisation.
  const native = (opset: number, scale: number[], shift: number[]) =>
    modelFile(`group-norm-${opset}`, {
      opset,
      input: { name: 'x', dims: [1, 4, 3, 3] },
      nodes: [
        { op: 'GroupNormalization', inputs: ['x', 's', 'c'], outputs: ['y'], name: 'gn', attrs: [int('num_groups', 2), { name: 'epsilon', type: 1, f: 1e-5 }] },
      ],
      initializers: [
        { name: 's', dims: [scale.length], rawData: bytes(Float32Array.from(scale)) },
        { name: 'c', dims: [shift.length], rawData: bytes(Float32Array.from(shift)) },
      ],
    });

  it.each([
    [18, [0.5, -1], [0.1, 0.3], (c: number) => Math.floor(c / 2)],
    [21, w, b, (c: number) => c],
  ] as const)(
    'GroupNormalization at opset %i: each group normalised, then its scale and bias (per group at 18, per channel from 21)',
    (opset, scale, shift, at) => {
      const x = ramp(36, (i) => Math.cos(i * 0.6) * 2 - i / 12);
      const { values } = execute(native(opset, [...scale], [...shift]), tf.tensor(x, [1, 4, 3, 3]));
      x.forEach((v, i) => {
        const group = x.slice(Math.floor(i / 18) * 18, Math.floor(i / 18) * 18 + 18);
        const mean = group.reduce((s, u) => s + u, 0) / 18;
        const variance = group.reduce((s, u) => s + (u - mean) ** 2, 0) / 18;
        const c = at(Math.floor(i / 9));
        expect(values[i]).toBeCloseTo(((v - mean) / Math.sqrt(variance + 1e-5)) * (scale[c] ?? NaN) + (shift[c] ?? NaN), 4);
      });
    },
  );

  // Held-out check, session 3 (torchvision's FCOS head): the exporter folds weight.view(C, 1, 1) and
  // bias.view(C, 1, 1) into onnx:: initializers; they are nn.GroupNorm's params all the same. The peers'
  // rules at batch 2: thop none (register_hooks, thop/profile.py:21-66), fvcore aten::group_norm
  // norm_flop_counter(2), 5n with a weight (flop_count.py:37), ptflops bn_flops_counter_hook 2n, per
  // image (pytorch_ops.py:51-57, 303).
  it('at batch 2, its weight and bias folded by the exporter (onnx:: names) are params, counted and measured as nn.GroupNorm', async () => {
    const path = modelFile('group-norm-folded', {
      input: { name: 'x', dims: [2, 4, 3, 3] },
      nodes: [
        constant('ones', [1, 1], [2]),
        constant('zeros', [0, 0], [2]),
        { op: 'Reshape', inputs: ['x', 'groups'], outputs: ['g'], name: '/gn/Reshape' },
        {
          op: 'InstanceNormalization',
          inputs: ['g', 'ones', 'zeros'],
          outputs: ['n'],
          name: '/gn/InstanceNormalization',
          attrs: [{ name: 'epsilon', type: 1, f: 1e-5 }],
        },
        { op: 'Reshape', inputs: ['n', 'back'], outputs: ['r'], name: '/gn/Reshape_1' },
        { op: 'Mul', inputs: ['r', 'onnx::Mul_7'], outputs: ['m'], name: '/gn/Mul' },
        { op: 'Add', inputs: ['m', 'onnx::Add_8'], outputs: ['y'], name: '/gn/Add' },
      ],
      initializers: [
        shape('groups', [0, 2, -1]),
        shape('back', [2, 4, 3, 3]),
        { name: 'onnx::Mul_7', dims: [4, 1, 1], rawData: bytes(Float32Array.from(w)) },
        { name: 'onnx::Add_8', dims: [4, 1, 1], rawData: bytes(Float32Array.from(b)) },
      ],
      outputs: ['y'],
    });
    const n = 2n * 36n;
    const folded = await profile({ file: path, measure: true, backend: 'cpu' });
    expect(folded.check.status).toBe('match');
    expect(folded.totals.params).toBe(8n);
    expect(folded.file?.notes.some((note) => note.includes('onnx::Mul_7'))).toBe(false);
    const { counts } = folded.totals;
    expect([counts.thop, counts.fvcore, counts.ptflops, counts['ptflops-aten']]).toEqual([0n, 5n * n, (2n * n) / 2n, 0n]);
  });
});

describe('views cut in the stored layout: Split of the channels, Slice of H and W', () => {
  const axes = (name: string, values: number[]) => ({ name, dims: [values.length], dataType: 7, int64Data: values });
  const path = modelFile('cuts', {
    input: { name: 'x', dims: [1, 4, 5, 6] },
    nodes: [
      { op: 'Split', inputs: ['x', 'sizes'], outputs: ['a', 'b'], name: 'chunk', attrs: [int('axis', 1)] },
      { op: 'Slice', inputs: ['b', 'starts', 'ends', 'axes'], outputs: ['s'], name: 'crop' },
      { op: 'Relu', inputs: ['s'], outputs: ['y'], name: 'relu' },
    ],
    initializers: [axes('sizes', [1, 3]), axes('starts', [1, 2]), axes('ends', [4, 5]), axes('axes', [2, 3])],
    outputs: ['y'],
  });
  it('x[:, 1:][:, :, 1:4, 2:5] through a relu, as indexed here', () => {
    const x = ramp(120, (i) => Math.sin(i * 0.37) * 2);
    const { values, shape } = execute(path, tf.tensor(x, [1, 4, 5, 6]));
    expect(shape).toEqual([1, 3, 3, 3]);
    let k = 0;
    for (let c = 1; c < 4; c += 1)
      for (let h = 1; h < 4; h += 1) for (let w = 2; w < 5; w += 1) expect(values[k++]).toBeCloseTo(Math.max(x[c * 30 + h * 6 + w] ?? NaN, 0), 6);
  });
});

describe("value ops between modules (Swin's attention mask): masks, indices and selections, run as ONNX defines them, counted 0", () => {
  const i64 = (name: string, dims: number[], values: number[]) => ({ name, dims, dataType: 7, int64Data: values });
  const f32 = (name: string, dims: number[], values: number[]) => ({ name, dims, floatData: values });
  // x of 1x4x6: a relu (a module), then o = ((int(x) mod 3 != 0) and x < 0.5) or x > 2, y = where(o, x, -100) + relu(x).
  const path = modelFile('masks', {
    input: { name: 'x', dims: [1, 4, 6] },
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['r'], name: 'relu' },
      { op: 'Cast', inputs: ['x'], outputs: ['xi'], name: 'cast', attrs: [int('to', 7)] },
      { op: 'Mod', inputs: ['xi', 'three'], outputs: ['m'], name: 'mod' },
      { op: 'Equal', inputs: ['m', 'zero'], outputs: ['c'], name: 'eq' },
      { op: 'Not', inputs: ['c'], outputs: ['n'], name: 'not' },
      { op: 'Less', inputs: ['x', 'half'], outputs: ['lt'], name: 'lt' },
      { op: 'And', inputs: ['n', 'lt'], outputs: ['a'], name: 'and' },
      { op: 'Greater', inputs: ['x', 'two'], outputs: ['gt'], name: 'gt' },
      { op: 'Or', inputs: ['a', 'gt'], outputs: ['o'], name: 'or' },
      { op: 'Where', inputs: ['o', 'x', 'minus'], outputs: ['w'], name: 'where' },
      { op: 'Add', inputs: ['w', 'r'], outputs: ['y'], name: 'add' },
    ],
    initializers: [i64('three', [], [3]), i64('zero', [], [0]), f32('half', [], [0.5]), f32('two', [], [2]), f32('minus', [], [-100])],
    outputs: ['y'],
  });
  const x = ramp(24, (i) => (i - 11) * 0.45);

  it('computes the mask from x as ONNX says (Cast truncates, Mod floors: -4 mod 3 = 2) and selects by it', () => {
    const { values, shape } = execute(path, tf.tensor(x, [1, 4, 6]));
    expect(shape).toEqual([1, 4, 6]);
    x.forEach((v, i) => {
      const m = (((Math.trunc(v) % 3) + 3) % 3) as number;
      const o = (m !== 0 && v < 0.5) || v > 2;
      expect(values[i]).toBeCloseTo((o ? v : -100) + Math.max(v, 0), 5);
    });
  });

  it('leaves two modules, the relu and the add, measured and agreeing; the value ops are listed nowhere', async () => {
    const result = await profile({ file: path, measure: true, backend: 'cpu' });
    expect(result.check.status).toBe('match');
    expect(result.layers.map((l) => l.op.kind)).toEqual(['relu', 'add']);
    expect(result.file?.unsupported).toEqual([]);
  });

  // ScatterND into zeros too large to fold (70 x 70: Swin's padded mask at 256), a Range of 4900,
  // gathers by an index list ([2, -1]) and by indices computed from x, a backward and a step-2 slice.
  const scatter = modelFile('scatter', {
    input: { name: 'x', dims: [1, 70, 70] },
    nodes: [
      {
        op: 'ConstantOfShape',
        inputs: ['shape'],
        outputs: ['zeros'],
        name: 'zeros',
        attrs: [{ name: 'value', type: TENSOR, t: { name: 'v', dims: [1], rawData: bytes(Float32Array.of(0)) } }],
      },
      { op: 'ScatterND', inputs: ['zeros', 'at', 'updates'], outputs: ['mask'], name: 'scatter' },
      { op: 'Range', inputs: ['start', 'limit', 'delta'], outputs: ['range'], name: 'range' },
      { op: 'Reshape', inputs: ['range', 'shape'], outputs: ['ramp'], name: 'reshape' },
      { op: 'Add', inputs: ['x', 'mask'], outputs: ['xm'], name: 'add_mask' },
      { op: 'Add', inputs: ['xm', 'ramp'], outputs: ['y'], name: 'add_ramp' },
    ],
    initializers: [
      i64('shape', [3], [1, 70, 70]),
      i64('at', [2, 2], [0, 3, 0, 69]),
      f32(
        'updates',
        [2, 70],
        Array.from({ length: 140 }, (_, i) => i + 1),
      ),
      f32('start', [], [0]),
      f32('limit', [], [4900]),
      f32('delta', [], [1]),
    ],
    outputs: ['y'],
  });

  it('ScatterND replaces the rows it indexes in zeros built at run time, Range counts 0 to 4899', () => {
    const input = ramp(4900, (i) => Math.cos(i));
    const { values } = execute(scatter, tf.tensor(input, [1, 70, 70]));
    for (let i = 0; i < 4900; i += 1) {
      const [h, w] = [Math.floor(i / 70), i % 70];
      const mask = h === 3 ? 1 + w : h === 69 ? 71 + w : 0;
      expect(values[i]).toBeCloseTo((input[i] ?? NaN) + mask + i, 3);
    }
  });

  const picks = modelFile('picks', {
    input: { name: 'x', dims: [1, 3, 4, 6] },
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['r'], name: 'relu' },
      // x[:, :, :, ::-1][:, :, 0::2] (a flip, then step 2), then the channels [0, -1] (an index list).
      { op: 'Slice', inputs: ['r', 'fs', 'fe', 'fa', 'fstep'], outputs: ['flip'], name: 'flip' },
      { op: 'Slice', inputs: ['flip', 'hs', 'he', 'ha', 'hstep'], outputs: ['even'], name: 'even' },
      { op: 'Gather', inputs: ['even', 'list'], outputs: ['g'], name: 'pick', attrs: [int('axis', 1)] },
      { op: 'Sigmoid', inputs: ['g'], outputs: ['y'], name: 'sigmoid' },
    ],
    initializers: [
      i64('fs', [1], [-1]),
      i64('fe', [1], [-1000]),
      i64('fa', [1], [3]),
      i64('fstep', [1], [-1]),
      i64('hs', [1], [0]),
      i64('he', [1], [1000]),
      i64('ha', [1], [2]),
      i64('hstep', [1], [2]),
      i64('list', [2], [0, -1]),
    ],
    outputs: ['y'],
  });

  it('a backward slice, a step-2 slice and an index list on a stored map, as indexed here', () => {
    const input = ramp(72, (i) => Math.sin(i * 0.7));
    const { values, shape } = execute(picks, tf.tensor(input, [1, 3, 4, 6]));
    expect(shape).toEqual([1, 2, 2, 6]);
    let k = 0;
    for (const c of [0, 2])
      for (const h of [0, 2])
        for (let w = 5; w >= 0; w -= 1) expect(values[k++]).toBeCloseTo(1 / (1 + Math.exp(-Math.max(input[c * 24 + h * 6 + w] ?? NaN, 0))), 5);
  });

  // The opset-13 export (its LayerNorm decomposed) trains in the long tier: file-real-training.long.
  it.each(['swin_tiny_op17'])(
    "%s --training: Swin's attention mask, built from constants at run time, has no backward pass, nor gets the add that applies it a gradient for it; analytic and measured agree",
    async (file) => {
      const result = await profile({ file: join(__dirname, 'fixtures', 'onnx', `${file}.onnx`), measure: true, training: true, backend: 'cpu' });
      expect(result.check.mismatches).toEqual([]);
      expect(result.check.status).toBe('match');
      // The shifted blocks' mask modules (features.1.1: a concat of constants and what reads it): no backward row counts.
      const frozen = result.layers.filter((l) => l.op.attrs.frozen === 'all').map((l) => l.op.name);
      expect(frozen.length).toBeGreaterThan(0);
      expect(frozen.every((name) => /^features\.\d\.1\.attn\./.test(name))).toBe(true);
      const rows = new Map(result.training?.rows.map((row) => [row.name, row.counts['flops']]));
      expect(frozen.map((name) => rows.get(name))).toEqual(frozen.map(() => 0n));
    },
  );

  it("Swin V2 --training: its position MLP over a buffer counts its weights' gradient only; the run is skipped at the table's gather, whose repeated indices sum gradients", async () => {
    const swin = join(__dirname, 'fixtures', 'onnx', 'swin_v2_tiny_op17.onnx');
    const result = await profile({ file: swin, measure: true, training: true, backend: 'cpu' });
    // cpb_mlp.0 is Linear(2, 512) over the relative coordinates table, a buffer: x^T * dy alone, as many MACs as the forward.
    const mlp = result.layers.find((l) => l.op.name === 'features.1.0.attn.cpb_mlp.0');
    expect(mlp?.op.attrs.frozen).toEqual([0]);
    const row = result.training?.rows.find((r) => r.name === 'features.1.0.attn.cpb_mlp.0');
    expect(row?.counts['macs']).toBe(mlp?.counts['macs']);
    expect(result.check.status).toBe('skipped');
    expect(result.check.reason).toMatch(
      /^node '\/features\/features\.1\/features\.1\.0\/attn\/Gather' gathers with indices that may repeat: its gradient sums the slices that share one, which seprof's backward counts do not count yet$/,
    );
  });

  it('a ScatterND that adds (reduction) is not run, and the skip names the op and the node', async () => {
    const adds = modelFile('scatter-add', {
      opset: 16,
      input: { name: 'x', dims: [1, 4] },
      nodes: [
        {
          op: 'ScatterND',
          inputs: ['x', 'at', 'updates'],
          outputs: ['s'],
          name: 'scatter_add',
          attrs: [{ name: 'reduction', type: 3, s: new TextEncoder().encode('add') }],
        },
        { op: 'Relu', inputs: ['s'], outputs: ['y'], name: 'relu' },
      ],
      initializers: [i64('at', [1, 2], [0, 1]), f32('updates', [1], [5])],
      outputs: ['y'],
    });
    const result = await profile({ file: adds, measure: true, backend: 'cpu' });
    expect(result.check.reason).toMatch(/ScatterND \(node 'scatter_add': reduction 'add'/);
  });
});

describe("an elementwise op of a map and an activation of lower rank (Swin V2's logit scale [heads, 1, 1] times the attention)", () => {
  const path = modelFile('ranks', {
    input: { name: 'x', dims: [1, 2, 3, 3] },
    nodes: [
      { op: 'Reshape', inputs: ['x', 'three'], outputs: ['t'], name: 'view' },
      { op: 'Relu', inputs: ['t'], outputs: ['r'], name: 'relu' },
      { op: 'Mul', inputs: ['x', 'r'], outputs: ['y'], name: 'mul' },
    ],
    initializers: [{ name: 'three', dims: [3], dataType: 7, int64Data: [2, 3, 3] }],
    outputs: ['y'],
  });

  // A per-channel [C, 1, 1] operand of a batch of one is a gate as SE's [N, C, 1, 1] is (Swin V2's last stage: one window).
  const gate = modelFile('rank-gate', {
    input: { name: 'x', dims: [1, 2, 3, 3] },
    nodes: [
      { op: 'ReduceMax', inputs: ['x'], outputs: ['m'], name: 'amax', attrs: [{ name: 'axes', type: INTS, ints: [2, 3] }] },
      { op: 'Reshape', inputs: ['m', 'per'], outputs: ['t'], name: 'view' },
      { op: 'Relu', inputs: ['t'], outputs: ['r'], name: 'relu' },
      { op: 'Mul', inputs: ['x', 'r'], outputs: ['y'], name: 'mul' },
    ],
    initializers: [{ name: 'per', dims: [3], dataType: 7, int64Data: [2, 1, 1] }],
    outputs: ['y'],
  });

  it('reads a per-channel [C, 1, 1] operand as a scale, as the kernels show it; measured and agreeing', async () => {
    const result = await profile({ file: gate, measure: true, backend: 'cpu' });
    expect(result.layers.map((l) => [l.op.kind, l.op.inputShapes])).toEqual([
      ['reduce_max', [[1, 2, 3, 3]]],
      ['relu', [[2, 1, 1]]],
      [
        'scale',
        [
          [1, 2, 3, 3],
          [1, 2, 1, 1],
        ],
      ],
    ]);
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });

  // Swin V2's logit scale: torch.clamp(self.logit_scale, max=log(100)).exp(), an nn.Parameter [heads, 1, 1].
  const logit = modelFile('logit-scale', {
    input: { name: 'x', dims: [1, 2, 3, 3] },
    nodes: [
      { op: 'Clip', inputs: ['attn.logit_scale', '', 'most'], outputs: ['c'], name: '/attn/Clip' },
      { op: 'Exp', inputs: ['c'], outputs: ['e'], name: '/attn/Exp' },
      { op: 'Mul', inputs: ['x', 'e'], outputs: ['y'], name: '/attn/Mul' },
    ],
    initializers: [
      { name: 'attn.logit_scale', dims: [2, 1, 1], floatData: [Math.log(10), Math.log(1000)] },
      { name: 'most', dims: [], floatData: [Math.log(100)] },
    ],
    outputs: ['y'],
  });

  it("counts a clamped nn.Parameter as the clip's params (2), runs x * exp(min(s, log 100)) and measures it agreeing", async () => {
    const x = ramp(18, (i) => Math.cos(i));
    const { values } = execute(logit, tf.tensor(x, [1, 2, 3, 3]));
    x.forEach((v, i) => expect(values[i]).toBeCloseTo(v * (i < 9 ? 10 : 100), 3));
    const result = await profile({ file: logit, measure: true, backend: 'cpu' });
    expect(result.layers.map((l) => [l.op.kind, l.op.params])).toEqual([
      ['clip', 2n],
      ['exp', 0n],
      ['scale', 0n],
    ]);
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });

  it('aligns the rank-3 operand to the stored map: x * relu(x), as computed here; measured and agreeing', async () => {
    const x = ramp(18, (i) => Math.sin(i * 1.3) * 2);
    const { values } = execute(path, tf.tensor(x, [1, 2, 3, 3]));
    x.forEach((v, i) => expect(values[i]).toBeCloseTo(v * Math.max(v, 0), 5));
    const result = await profile({ file: path, measure: true, backend: 'cpu' });
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });
});
