// The gradient kernels seprof registers on wasm: the cpu backend's results on small random
// tensors (within float tolerance), and recorded by tf.profile exactly as cpu records its own.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs' gradient functions
import '@tensorflow/tfjs-backend-cpu'; // the reference, which seprof itself loads only on use
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../src/analyzers/measured/backend';
import { signature } from '../src/analyzers/measured/gradient-kernels';
import { modelGradientKernels } from '../src/analyzers/measured/gradients';
import { tileInto } from '../src/analyzers/measured/wasm-gradients/tile';
import { buildModel } from '../src/modules';
import { specOf } from './support/grid';

/** Deterministic values in [-1, 1): the same tensors on both backends, run after run. */
function values(size: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: size }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 30 - 1;
  });
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** One kernel run on cpu and on wasm, inputs built fresh on each backend. */
async function onBoth(run: () => tf.Tensor): Promise<{ cpu: tf.TypedArray; wasm: tf.TypedArray; shape: { cpu: number[]; wasm: number[] } }> {
  const results: Record<string, { data: tf.TypedArray; shape: number[] }> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    results[backend] = tf.tidy(() => {
      const y = run();
      return { data: y.dataSync().slice(), shape: y.shape };
    });
  }
  const [cpu, wasm] = [results['cpu'], results['wasm']];
  if (cpu === undefined || wasm === undefined) throw new Error('a backend did not run');
  return { cpu: cpu.data, wasm: wasm.data, shape: { cpu: cpu.shape, wasm: wasm.shape } };
}

function expectClose(actual: tf.TypedArray, expected: tf.TypedArray): void {
  expect(actual.length).toBe(expected.length);
  const scale = 1 + Math.max(...Array.from(expected, Math.abs));
  const worst = Math.max(0, ...Array.from(actual, (v, i) => Math.abs(v - (expected[i] ?? Number.NaN))));
  expect(worst).toBeLessThan(1e-5 * scale);
}

beforeAll(async () => {
  await useBackend('wasm'); // registers seprof's kernels
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

// [x NHWC, filter HWIO, strides, pad]: 1x1 direct, strided, padded, the ResNet stem, valid
// windows that leave pixels out, more taps than pixels (the other product order), batch 2.
type Quad = [number, number, number, number];
const convolutions: [Quad, Quad, [number, number], 'same' | 'valid'][] = [
  [[1, 5, 5, 6], [1, 1, 6, 4], [1, 1], 'same'],
  [[2, 7, 6, 3], [1, 1, 3, 5], [2, 2], 'valid'],
  [[2, 7, 6, 3], [3, 3, 3, 4], [1, 1], 'same'],
  [[1, 9, 8, 4], [3, 3, 4, 4], [2, 2], 'same'],
  [[1, 12, 12, 3], [7, 7, 3, 4], [2, 2], 'same'],
  [[1, 7, 9, 2], [5, 5, 2, 3], [1, 1], 'valid'],
  [[1, 8, 7, 2], [2, 2, 2, 3], [3, 3], 'valid'],
  [[1, 3, 3, 16], [3, 3, 16, 8], [1, 1], 'same'],
  [[2, 6, 5, 3], [3, 1, 3, 2], [2, 1], 'same'],
];

describe('wasm Conv2DBackpropFilter and Conv2DBackpropInput equal cpu', () => {
  it.each(convolutions.map((c) => [JSON.stringify(c), ...c] as const))('%s', async (_, xShape, filterShape, strides, pad) => {
    const probe = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, strides, pad);
    const dyShape = probe.shape;
    tf.dispose(probe);
    const [x, filter, dy] = [values(size(xShape), 1), values(size(filterShape), 2), values(size(dyShape), 3)];
    const attrs = { strides, pad, dataFormat: 'NHWC' as const };

    const dw = await onBoth(
      () => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, dyShape) }, { ...attrs, filterShape }) as tf.Tensor,
    );
    expect(dw.shape.wasm).toEqual(filterShape);
    expectClose(dw.wasm, dw.cpu);

    const dx = await onBoth(
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy: tf.tensor(dy, dyShape), filter: tf.tensor(filter, filterShape) },
            { ...attrs, inputShape: xShape },
          ) as tf.Tensor,
    );
    expect(dx.shape.wasm).toEqual(xShape);
    expectClose(dx.wasm, dx.cpu);
  });

  it('gives the same gradients through tf.grads, run after run with new values', async () => {
    for (const seed of [4, 5]) {
      const [xShape, filterShape] = [
        [2, 6, 6, 3],
        [3, 3, 3, 4],
      ];
      const grads = await onBoth(() => {
        const [x, w] = [tf.tensor(values(size(xShape), seed), xShape), tf.tensor(values(size(filterShape), seed + 10), filterShape)];
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([x, w]);
        return tf.concat([tf.reshape(dx as tf.Tensor, [-1]), tf.reshape(dw as tf.Tensor, [-1])]);
      });
      expectClose(grads.wasm, grads.cpu);
    }
  });
});

// [x NHWC, filter [kh, kw, C, multiplier], strides, pad]: tfjs-layers' 'same' at every kernel
// size seprof's networks use, odd and even sizes, 'valid' windows that leave pixels out, an
// even kernel, a number and explicit uneven pads, multipliers 2 and 3, batch 2.
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
const depthwise: [Quad, Quad, [number, number], Pad][] = [
  [[1, 5, 5, 4], [3, 3, 4, 1], [1, 1], 'same'],
  [[2, 7, 6, 3], [3, 3, 3, 1], [2, 2], 'same'],
  [[1, 9, 8, 6], [5, 5, 6, 1], [2, 2], 'same'],
  [[1, 12, 12, 4], [7, 7, 4, 1], [2, 2], 'same'],
  [[1, 7, 9, 2], [5, 5, 2, 1], [1, 1], 'valid'],
  [[1, 8, 7, 3], [2, 2, 3, 1], [3, 3], 'valid'],
  [
    [1, 7, 6, 4],
    [3, 3, 4, 1],
    [2, 2],
    [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  ],
  [[1, 6, 6, 2], [3, 3, 2, 3], [1, 1], 1],
  [[2, 6, 5, 3], [3, 1, 3, 2], [2, 1], 'same'],
  [[1, 4, 4, 8], [1, 1, 8, 2], [1, 1], 'valid'],
];

describe('wasm DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput equal cpu', () => {
  // Both sum in doubles in the cpu kernels' order: equal to the bit, not just within tolerance.
  it.each(depthwise.map((c) => [JSON.stringify(c), ...c] as const))('%s', async (_, xShape, filterShape, strides, pad) => {
    const dyShape = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, undefined, true).outShape;
    const [x, filter, dy] = [values(size(xShape), 1), values(size(filterShape), 2), values(size(dyShape), 3)];
    const attrs = { strides, pad, dilations: 1 };

    const dw = await onBoth(
      () =>
        tf
          .engine()
          .runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tf.tensor(x, xShape), dy: tf.tensor(dy, dyShape) }, { ...attrs, filterShape }) as tf.Tensor,
    );
    expect(dw.shape.wasm).toEqual(filterShape);
    expect(dw.wasm).toEqual(dw.cpu);

    const dx = await onBoth(
      () =>
        tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy: tf.tensor(dy, dyShape), filter: tf.tensor(filter, filterShape) },
            { ...attrs, inputShape: xShape },
          ) as tf.Tensor,
    );
    expect(dx.shape.wasm).toEqual(xShape);
    expect(dx.wasm).toEqual(dx.cpu);
  });

  // The forward depthwise conv is wasm's own, summed in float32: close, not equal to the bit.
  it('gives the same gradients through tf.grads', async () => {
    const [xShape, filterShape] = [
      [2, 6, 6, 4],
      [3, 3, 4, 1],
    ];
    const grads = await onBoth(() => {
      const [x, w] = [tf.tensor(values(size(xShape), 6), xShape), tf.tensor(values(size(filterShape), 16), filterShape)];
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([x, w]);
      return tf.concat([tf.reshape(dx as tf.Tensor, [-1]), tf.reshape(dw as tf.Tensor, [-1])]);
    });
    expectClose(grads.wasm, grads.cpu);
  });

  it('refuses a dilation, which tfjs gradients never ask for and cpu would ignore', () => {
    const [x, dy] = [tf.zeros([1, 6, 6, 2]), tf.zeros([1, 2, 2, 2])];
    expect(() =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dilations: 2, filterShape: [3, 3, 2, 1] }),
    ).toThrow(/dilation 1 only/);
    tf.dispose([x, dy]);
  });
});

describe('wasm Tile equals cpu', () => {
  const tiles: [number[], number[], 'float32' | 'int32' | 'bool'][] = [
    [[1, 1, 1, 4], [2, 3, 5, 1], 'float32'],
    [[2, 3], [2, 2], 'float32'],
    [[3], [4], 'int32'],
    [[2, 1, 3], [1, 4, 2], 'int32'],
    [[2, 2], [3, 1], 'bool'],
  ];
  it.each(tiles.map((t) => [JSON.stringify(t), ...t] as const))('%s', async (_, shape, reps, dtype) => {
    const x = Array.from(values(size(shape), 7), (v) => (dtype === 'float32' ? v : Math.round(v * 4) > 0 ? Math.round(v * 4) : 0));
    const y = await onBoth(() => tf.tile(tf.tensor(x, shape, dtype), reps));
    expect(y.shape.wasm).toEqual(y.shape.cpu);
    expect(Array.from(y.wasm)).toEqual(Array.from(y.cpu));
  });

  it('copies a scalar', () => {
    const out = new Float32Array(1);
    tileInto(Float32Array.of(3), [], [], out);
    expect(Array.from(out)).toEqual([3]);
  });
});

describe('each gradient kernel is recorded once, as on cpu', () => {
  // The registered kernels call wasm's BatchMatMul as a plain function, not through the
  // engine: tf.profile sees exactly the kernels the cpu backend records for the same gradient.
  it.each([
    ['se-resnet', specOf({ block: 'se-resnet', channels: 8, planes: 4, stride: 2, reduction: 4, height: 6, width: 5 }), 'Conv2DBackpropFilter'],
    ['se-inception', specOf({ block: 'se-inception', channels: 6, widths: '2,3,4,2,3,2', reduction: 2, height: 5, width: 5 }), 'Conv2DBackpropFilter'],
    ['mobilenet_v3_small (depthwise)', specOf({ model: 'mobilenet_v3_small', height: 32 }), 'DepthwiseConv2dNativeBackpropFilter'],
  ] as const)('%s', async (_, spec, kernel) => {
    const recorded: Record<string, string[]> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      const model = buildModel(spec);
      const x = tf.tensor(values(spec.input.height * spec.input.width * spec.input.channels, 9), [1, spec.input.height, spec.input.width, spec.input.channels]);
      recorded[backend] = (await modelGradientKernels(model, x)).map(signature);
      x.dispose();
      model.dispose();
    }
    expect(recorded['wasm']).toEqual(recorded['cpu']);
    expect(recorded['wasm']?.filter((s) => s.startsWith(`${kernel} `)).length).toBeGreaterThan(0);
  });
});
