// The memory guard against the backend's real limit: a run the backend cannot hold, or one
// that runs out of memory anyway, is skipped with the analytic result printed, exit 0.
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { measure, measureModel, MeasurementSkipped } from '../src/analyzers/measured';
import { measuredRunBytes, profile } from '../src/analyzers/profile';
import { buildSpec } from '../src/model/spec';
import { seprof } from './support/cli';

const MiB = 2n ** 20n;

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
