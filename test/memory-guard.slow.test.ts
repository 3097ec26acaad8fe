// The memory guard against the backend's real limit: a run the backend cannot hold, or one
// that runs out of memory anyway, is skipped with the analytic result printed, exit 0.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { measure, measureModel, MeasurementSkipped } from '../src/analyzers/measured';
import { useBackend } from '../src/analyzers/measured/backend';
import { measureFile } from '../src/analyzers/measured/file';
import { numel } from '../src/analyzers/ops';
import { measuredRunBytes, profile } from '../src/analyzers/profile';
import { loadFileModel, loadFileSupport } from '../src/model/file-support';
import { livePeakBytes, madeBytes } from '../src/model/graph/schedule';
import { buildSpec, fileRequest, type FileSpec } from '../src/model/spec';
import { GraphExecutor, randomInputs } from '../src/modules/graph-executor';
import { seprof } from './support/cli';

const MiB = 2n ** 20n;
const FIXTURES = join('test', 'fixtures', 'onnx');

beforeAll(loadFileSupport);

function fileSpec(name: string): FileSpec {
  const spec = buildSpec({ file: join(FIXTURES, name) });
  if (spec.block !== 'file') throw new Error(`${name} is not a model file`);
  return spec;
}

describe('the estimated peak of a measured run', () => {
  it('counts the input, the live activations and a kernel scratch: SE on 256x1024x1024 needs 3 GiB', () => {
    const GiB = 1024n * MiB;
    const sizes = { inputBytes: GiB, activationBytes: GiB + 2n * MiB, paramBytes: 32n * 1024n };
    expect(measuredRunBytes(sizes, GiB)).toBe(GiB + 32n * 1024n + (GiB + 2n * MiB) + GiB);
    // Timed, the weights are distinct and packed once more.
    expect(measuredRunBytes(sizes, GiB, { timed: true }) - measuredRunBytes(sizes, GiB)).toBe(32n * 1024n);
  });

  it('holds a network to a few of its largest activations, not all of them', () => {
    const layers = analyticOps(buildSpec({ model: 'resnet152' })).map(countLayer);
    const totals = totalsOf(layers);
    const activationBytes = layers.reduce((sum, l) => sum + l.op.outputShape.reduce((n, d) => n * BigInt(d), 1n), 0n) * 4n;
    const sizes = { inputBytes: 3n * 224n * 224n * 4n, activationBytes, paramBytes: (totals.params + totals.buffers) * 4n };
    const largest = 64n * 112n * 112n * 4n;
    expect(measuredRunBytes(sizes, largest)).toBe(sizes.inputBytes + sizes.paramBytes + 4n * largest);
    expect(measuredRunBytes(sizes, largest)).toBeLessThan(sizes.inputBytes + sizes.paramBytes + activationBytes);
  });

  it("covers what a model file's pass holds at its peak, which frees as it goes, on every fixture", async () => {
    await useBackend('wasm');
    for (const name of ['se_resnet_block.onnx', 'mbv3_block.onnx', 'tiny_yolo_se.onnx', 'tiny_yolo_ops.onnx']) {
      const spec = fileSpec(name);
      const { sizes, layers } = await profile(spec, { measure: false, backend: 'wasm' });
      const largest = layers.reduce((most, l) => (numel(l.op.outputShape) > most ? numel(l.op.outputShape) : most), 0n) * 4n;
      const { inferred } = loadFileModel(fileRequest(spec));
      const before = tf.memory().numBytes;
      const executor = new GraphExecutor(inferred);
      const inputs = randomInputs(inferred);
      for (const m of executor.modules) executor.moduleWeights(m);
      const { peakBytes, result } = await tf.profile(() => executor.run(inputs));
      tf.dispose([result, ...inputs.values()]);
      executor.dispose();
      const held = BigInt(peakBytes - before);
      // Less than one tidy over the pass held: every activation alive at its end.
      expect(held, name).toBeLessThan(sizes.inputBytes + sizes.paramBytes + sizes.activationBytes);
      expect(held, name).toBeLessThanOrEqual(
        measuredRunBytes(sizes, largest, { file: { liveBytes: livePeakBytes(inferred), madeBytes: madeBytes(inferred) } }),
      );
    }
  });
});

describe('the estimated peak of a training step on a model file', () => {
  /** The largest peak any tf.profile saw while `work` ran: the measured path profiles every pass it runs. */
  async function peakOf(work: () => Promise<unknown>): Promise<number> {
    const engine = tf.engine();
    const original = engine.profile.bind(engine);
    let peak = 0;
    const spy = vi.spyOn(engine, 'profile').mockImplementation(async (query) => {
      const info = await original(query);
      peak = Math.max(peak, info.peakBytes);
      return info;
    });
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return peak;
  }

  it("covers what a network's measured training run holds, up to its whole-model backward", async () => {
    await useBackend('wasm');
    for (const model of ['mobilenet_v3_large', 'se-resnet50']) {
      const spec = buildSpec({ model, height: '64' });
      const { sizes, layers } = await profile(spec, { measure: false, backend: 'wasm', training: true });
      const largest = layers.reduce((most, l) => (numel(l.op.outputShape) > most ? numel(l.op.outputShape) : most), 0n) * 4n;
      const before = tf.memory().numBytes;
      const peak = await peakOf(() => profile(spec, { measure: true, backend: 'wasm', training: true }));
      const held = BigInt(peak - before);
      const estimate = measuredRunBytes(sizes, largest, { training: true });
      expect(held, model).toBeGreaterThan(0n);
      expect(held, model).toBeLessThanOrEqual(estimate);
      // Not so generous that it refuses runs that fit: under twice what was held.
      expect(estimate, model).toBeLessThan(2n * held);
    }
  });

  it("covers what the forward, the module gradients and the whole graph's gradient hold, on every fixture with weights", async () => {
    await useBackend('wasm');
    const names = ['se_resnet_block', 'mbv3_block', 'tiny_yolo_se', 'tiny_yolo_ops', 'convnext_block', 'convnext_block_op17', 'vit_head', 'vit_head_op20'];
    for (const name of names) {
      const spec = fileSpec(`${name}.onnx`);
      const { sizes, layers } = await profile(spec, { measure: false, backend: 'wasm' });
      const largest = layers.reduce((most, l) => (numel(l.op.outputShape) > most ? numel(l.op.outputShape) : most), 0n) * 4n;
      const { inferred } = loadFileModel(fileRequest(spec));
      const before = tf.memory().numBytes;
      const result = await peakOf(() => measureFile(spec, { backend: 'wasm', training: true }));
      const held = BigInt(result - before);
      const estimate = measuredRunBytes(sizes, largest, { training: true, file: { liveBytes: livePeakBytes(inferred), madeBytes: madeBytes(inferred) } });
      expect(held, name).toBeGreaterThan(0n);
      expect(held, name).toBeLessThanOrEqual(estimate);
      expect(tf.memory().numBytes, name).toBe(before);
    }
  });
});

describe('a run the backend cannot hold', () => {
  it('is skipped before anything is allocated: analytic result, the reason on stderr, exit 0', () => {
    // 6 GiB estimated, under --max-memory 20G but above what wasm can address.
    const run = seprof(['--channels', '512', '--height', '1024', '--width', '1024', '--max-memory', '20G', '--backend', 'wasm', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^seprof: measured run skipped: it needs about [\d.]+ GB, more than the wasm backend can hold \(3.5 GB\)\n$/);
    const doc = JSON.parse(run.stdout) as { check: { status: string }; totals: { params: number } };
    expect(doc.check.status).toBe('skipped');
    expect(doc.totals.params).toBe(2 * 512 * 32);
  });
});

describe('a model file run beyond the memory budget', () => {
  it('is skipped by --max-memory: analytic result, the standard line on stderr, exit 0', () => {
    const run = seprof([join(FIXTURES, 'se_resnet_block.onnx'), '--max-memory', '1K', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^seprof: measured run skipped: it needs about [\d.]+ [KMG]?B, above the memory budget of 1 KB \(--max-memory\)\n$/);
    const doc = JSON.parse(run.stdout) as { check: { status: string }; totals: { params: number } };
    expect(doc.check.status).toBe('skipped');
    expect(doc.totals.params).toBe(19648);
  });

  it('is skipped before anything is allocated when the backend cannot hold it', async () => {
    const run = measureFile(fileSpec('se_resnet_block.onnx'), { backend: 'wasm', peakBytes: 4096n * MiB });
    await expect(run).rejects.toThrow(/^it needs about [\d.]+ GB, more than the wasm backend can hold \(3.5 GB\)$/);
    await expect(run).rejects.toBeInstanceOf(MeasurementSkipped);
  });
});

describe('a run that runs out of memory anyway', () => {
  const inputShape = [1, 4, 4, 8];
  const outOfMemory = (): tfl.LayersModel => {
    throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
  };

  it('ends as skipped with the reason, not as a failure', async () => {
    const run = measureModel(outOfMemory, inputShape, { backend: 'wasm' });
    await expect(run).rejects.toBeInstanceOf(MeasurementSkipped);
    await expect(measureModel(outOfMemory, inputShape, { backend: 'wasm' })).rejects.toThrow(/^the wasm backend ran out of memory \(WebAssembly\.Memory/);
  });

  it('leaves a fresh backend for the next run', async () => {
    await expect(measureModel(outOfMemory, inputShape, { backend: 'wasm' })).rejects.toBeInstanceOf(MeasurementSkipped);
    const spec = buildSpec({ channels: '8', reduction: '2' });
    const measured = await measure(spec, { backend: 'wasm' });
    expect(measured.ops.map((op) => op.name)).toEqual(['squeeze', 'fc1', 'relu', 'fc2', 'sigmoid', 'scale']);
    const result = await profile(spec, { measure: true, backend: 'wasm' });
    expect(result.check.status).toBe('match');
  });

  it('is not mistaken for another error', async () => {
    const broken = (): tfl.LayersModel => {
      throw new Error('layer fc1 runs before its input');
    };
    await expect(measureModel(broken, inputShape, { backend: 'wasm' })).rejects.toThrow('layer fc1 runs before its input');
  });
});

describe('a wasm kernel that runs out of memory inside the profiled pass', () => {
  // tf.profile runs each kernel inside the backend's timer; wasm's own is async and turned the
  // fault into a rejected promise: an internal error, then the fault unhandled (the process ended).
  it('ends as skipped with the reason, and leaves a fresh backend for the next run', async () => {
    const sigmoid = tf.getKernel('Sigmoid', 'wasm');
    if (sigmoid === undefined) throw new Error('wasm has no Sigmoid');
    tf.unregisterKernel('Sigmoid', 'wasm');
    tf.registerKernel({
      ...sigmoid,
      kernelFunc: () => {
        throw new Error('memory access out of bounds'); // wasm's RuntimeError on a heap that cannot grow
      },
    });
    const spec = buildSpec({ channels: '8', reduction: '2' });
    try {
      await expect(measure(spec, { backend: 'wasm' })).rejects.toThrow(/^the wasm backend ran out of memory \(memory access out of bounds\)$/);
    } finally {
      tf.unregisterKernel('Sigmoid', 'wasm');
      tf.registerKernel(sigmoid);
    }
    expect((await profile(spec, { measure: true, backend: 'wasm' })).check.status).toBe('match');
  });
});

describe('a model file run that runs out of memory anyway', () => {
  /** measureFile with the graph executor's run failing as `error` does. */
  async function failingWith(error: Error): Promise<unknown> {
    const run = vi.spyOn(GraphExecutor.prototype, 'run').mockImplementation(() => {
      throw error;
    });
    try {
      return await measureFile(fileSpec('se_resnet_block.onnx'), { backend: 'wasm' });
    } finally {
      run.mockRestore();
    }
  }

  it('ends as skipped with the reason, not as a failure, and leaves a fresh backend for the next run', async () => {
    const run = failingWith(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'));
    await expect(run).rejects.toBeInstanceOf(MeasurementSkipped);
    await expect(run).rejects.toThrow(/^the wasm backend ran out of memory \(WebAssembly\.Memory/);
    const result = await profile(fileSpec('se_resnet_block.onnx'), { measure: true, backend: 'wasm' });
    expect(result.check.status).toBe('match');
  });

  it('is not mistaken for another error', async () => {
    await expect(failingWith(new Error('the executor cannot run Foo'))).rejects.toThrow('the executor cannot run Foo');
  });

  it("in its backward pass (a gradient kernel, inside a module's profiled gradient) ends as skipped too", async () => {
    // ReLU's gradient is the only reader of Step: the forward runs, the first module gradient with a ReLU faults.
    const step = tf.getKernel('Step', 'wasm');
    if (step === undefined) throw new Error('wasm has no Step');
    tf.unregisterKernel('Step', 'wasm');
    tf.registerKernel({
      ...step,
      kernelFunc: () => {
        throw new Error('memory access out of bounds');
      },
    });
    try {
      expect((await profile(fileSpec('se_resnet_block.onnx'), { measure: true, backend: 'wasm' })).check.status).toBe('match');
      const run = measureFile(fileSpec('se_resnet_block.onnx'), { backend: 'wasm', training: true });
      await expect(run).rejects.toBeInstanceOf(MeasurementSkipped);
      await expect(run).rejects.toThrow(/^the wasm backend ran out of memory \(memory access out of bounds\)$/);
    } finally {
      tf.unregisterKernel('Step', 'wasm');
      tf.registerKernel(step);
    }
    const result = await profile(fileSpec('se_resnet_block.onnx'), { measure: true, backend: 'wasm', training: true });
    expect(result.check).toMatchObject({ status: 'match', mismatches: [] });
  });
});
