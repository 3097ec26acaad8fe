// --training, measured: tfjs gradient kernels must give the analytic backward counts, per layer.
import { unregisterKernel } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { GRADIENT_SUMS } from '../src/analyzers/ops';
import { analyticBackward } from '../src/analyzers/backward/training';
import { compareBackward, compareLayers } from '../src/analyzers/check';
import { countLayer } from '../src/analyzers/count';
import { measure, measureModel } from '../src/analyzers/measured';
import { registerWasmGradients } from '../src/analyzers/measured/wasm-gradients';
import { makeOp, type Op } from '../src/analyzers/ops';
import { seGrid, specOf } from './support/grid';

const grid = seGrid({
  channels: [1, 4, 12, 32],
  reduction: [1, 2, 4, 16],
  height: [1, 3],
  width: [2, 5],
  batch: [1, 2],
  bias: [false, true],
});

const once = { backend: 'wasm', training: true } as const;

describe('SE backward: analytic equals the tfjs gradient kernels on every layer (wasm)', () => {
  it('covers a grid of at least 100 cases', () => {
    expect(grid.length).toBeGreaterThanOrEqual(100);
  });

  it('agrees on every case of the grid', async () => {
    const failures: string[] = [];
    for (const spec of grid) {
      const measured = await measure(spec, once);
      const analytic = analyticBackward(analyticOps(spec).map(countLayer));
      const mismatches = compareBackward(analytic.rows, measured.backward?.rows ?? []);
      const unread = measured.backward?.unrecognised ?? ['no backward measured'];
      if (mismatches.length > 0 || unread.length > 0) failures.push(`${JSON.stringify(spec)}: ${JSON.stringify(mismatches)} ${unread.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });
});

// Every other op kind, in one small residual + inception-like model, by hand (NCHW):
// x -> conv1 3x3 (bias) -> bn1 -> relu1 --+
// x -> proj 1x1 --------------------------+-> add -> pool_max 3x3/2, pool_avg 2x2/2 (same padding) -> cat -> down 3x3/2 (bias)
function handBuiltModel(height: number, width: number): tfl.LayersModel {
  const x = tfl.input({ shape: [height, width, 3], name: 'input' });
  const apply = (layer: tfl.layers.Layer, input: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(input) as tfl.SymbolicTensor;
  let y = apply(tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: true, name: 'conv1' }), x);
  y = apply(tfl.layers.batchNormalization({ name: 'bn1' }), y);
  y = apply(tfl.layers.activation({ activation: 'relu', name: 'relu1' }), y);
  const proj = apply(tfl.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false, name: 'proj' }), x);
  const sum = apply(tfl.layers.add({ name: 'add' }), [y, proj]);
  const max = apply(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool_max' }), sum);
  const avg = apply(tfl.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'same', name: 'pool_avg' }), sum);
  const cat = apply(tfl.layers.concatenate({ name: 'cat' }), [max, avg]);
  const out = apply(tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', useBias: true, name: 'down' }), cat);
  return tfl.model({ inputs: x, outputs: out });
}

function handBuiltOps(batch: number, height: number, width: number): Op[] {
  const [h2, w2] = [Math.ceil(height / 2), Math.ceil(width / 2)];
  const [h4, w4] = [Math.ceil(h2 / 2), Math.ceil(w2 / 2)];
  const x = [batch, 3, height, width];
  const f = [batch, 4, height, width];
  const pooled = [batch, 4, h2, w2];
  return [
    makeOp('conv1', 'conv2d', [x], f, { attrs: { kernel: [3, 3], stride: 1, bias: true }, params: 3n * 9n * 4n + 4n }),
    makeOp('bn1', 'batchnorm', [f], f, { params: 8n, buffers: 8n }),
    makeOp('relu1', 'relu', [f], f),
    makeOp('proj', 'conv2d', [x], f, { attrs: { kernel: [1, 1], stride: 1, bias: false }, params: 12n, reads: ['input'] }),
    makeOp('add', 'add', [f, f], f, { reads: ['relu1', 'proj'] }),
    makeOp('pool_max', 'max_pool', [f], pooled, { attrs: { kernel: [3, 3], stride: 2 }, reads: ['add'] }),
    makeOp('pool_avg', 'avg_pool', [f], pooled, { attrs: { kernel: [2, 2], stride: 2 }, reads: ['add'] }),
    makeOp('cat', 'concat', [pooled, pooled], [batch, 8, h2, w2], { reads: ['pool_max', 'pool_avg'] }),
    makeOp('down', 'conv2d', [[batch, 8, h2, w2]], [batch, 2, h4, w4], { attrs: { kernel: [3, 3], stride: 2, bias: true }, params: 8n * 9n * 2n + 2n }),
  ];
}

describe.each(['cpu', 'wasm'] as const)('conv2d, batchnorm, pools, add and concat backward: analytic equals measured (%s)', (backend) => {
  it.each([
    [1, 8, 8],
    [2, 6, 6],
    [2, 9, 7],
  ])('batch %i, %ix%i', async (batch, height, width) => {
    const measured = await measureModel(() => handBuiltModel(height, width), [batch, height, width, 3], { ...once, backend });
    const layers = handBuiltOps(batch, height, width).map(countLayer);
    const analytic = analyticBackward(layers);
    expect(measured.backend.name).toBe(backend);
    expect(measured.unrecognised).toEqual([]);
    expect(compareLayers(layers, measured.ops.map(countLayer)).mismatches).toEqual([]);
    expect(measured.backward?.unrecognised).toEqual([]);
    expect(compareBackward(analytic.rows, measured.backward?.rows ?? [])).toEqual([]);

    // By hand: conv1's gradients cost 2 x its forward MACs; x and add are each read twice.
    const rows = Object.fromEntries((measured.backward?.rows ?? []).map((r) => [r.name, r.counts]));
    const pixels = BigInt(batch * height * width);
    expect(rows['conv1']?.['macs']).toBe(2n * pixels * 4n * 27n);
    expect(rows[GRADIENT_SUMS]?.['flops']).toBe(pixels * 3n + pixels * 4n);
    expect(rows['cat']?.['flops']).toBe(0n);
  });
});

describe('a backend without a kernel --training needs', () => {
  // wasm lacks Conv2DBackpropFilter until seprof registers one: take it away for each test.
  beforeEach(() => unregisterKernel('Conv2DBackpropFilter', 'wasm'));
  afterEach(() => registerWasmGradients());

  it('moves --backend auto to cpu and says why in one line on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const measured = await measureModel(() => handBuiltModel(6, 6), [1, 6, 6, 3], { ...once, backend: 'auto' });
      expect(measured.backend.name).toBe('cpu');
      expect(measured.backward?.unrecognised).toEqual([]);
      expect(stderr.mock.calls.map(([line]) => String(line))).toEqual([
        "seprof: the wasm backend has no kernel 'Conv2DBackpropFilter' that this model needs; measuring on cpu instead, which is slower\n",
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses with --backend wasm', async () => {
    await expect(measureModel(() => handBuiltModel(6, 6), [1, 6, 6, 3], once)).rejects.toThrow(
      "backend 'wasm' has no kernel 'Conv2DBackpropFilter' that this model needs; try --backend cpu",
    );
  });
});

describe('hybrid blocks backward: analytic equals the tfjs gradient kernels (wasm)', () => {
  // Every SE placement, both block kinds, both strides, and both Inception variants, small.
  const specs = [
    ...['standard', 'pre', 'post', 'identity'].flatMap((sePosition) => [
      specOf({ block: 'se-resnet', channels: 8, planes: 4, stride: 2, reduction: 4, sePosition, height: 5, width: 4 }),
      specOf({ block: 'se-resnet', kind: 'basic', channels: 8, planes: 8, reduction: 2, sePosition, bias: true, height: 4, width: 4, batch: 2 }),
    ]),
    specOf({ block: 'resnet', channels: 16, planes: 4, height: 4, width: 4 }),
    specOf({ block: 'se-inception', channels: 6, widths: '2,3,4,2,3,2', reduction: 2, height: 4, width: 4 }),
    specOf({ block: 'se-inception', channels: 6, widths: '2,3,4,2,3,2', branch3: '3x3x2', pool: 'avg', reduction: 2, height: 3, width: 5 }),
  ];

  it.each(specs.map((spec) => [JSON.stringify(spec), spec] as const))('%s', async (_, spec) => {
    const measured = await measure(spec, once);
    const layers = analyticOps(spec).map(countLayer);
    expect(measured.backend.name).toBe('wasm');
    expect(compareLayers(layers, measured.ops.map(countLayer)).mismatches).toEqual([]);
    expect(compareBackward(analyticBackward(layers).rows, measured.backward?.rows ?? [])).toEqual([]);
    expect(measured.backward?.unrecognised).toEqual([]);
  });
});

describe('the SE-ResNet bottleneck of docs/networks.md, --training on wasm', () => {
  // --block se-resnet --channels 256 --planes 64: 1x256x56x56, SE r=16.
  const spec = specOf({ block: 'se-resnet', channels: 256, planes: 64 });

  it('passes the per-layer backward check, with the convolutions costed by hand', async () => {
    const measured = await measure(spec, once);
    const layers = analyticOps(spec).map(countLayer);
    expect(measured.backend.name).toBe('wasm');
    expect(measured.backward?.unrecognised).toEqual([]);
    expect(compareBackward(analyticBackward(layers).rows, measured.backward?.rows ?? [])).toEqual([]);

    // Each convolution's input and weight gradients: 2 x (56*56 outputs x Cout x kh*kw*Cin).
    const rows = Object.fromEntries((measured.backward?.rows ?? []).map((r) => [r.name, r.counts]));
    const pixels = 56n * 56n;
    expect(rows['branch.conv1']?.['macs']).toBe(2n * pixels * 64n * 256n);
    expect(rows['branch.conv2']?.['macs']).toBe(2n * pixels * 64n * 9n * 64n);
    expect(rows['branch.conv3']?.['macs']).toBe(2n * pixels * 256n * 64n);
    expect(rows['se.fc1']?.['macs']).toBe(2n * 256n * 16n);
  });
});
