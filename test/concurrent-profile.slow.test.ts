// A library user's overlapping measured profiles: tfjs has one engine (one backend, one
// profiler) per process, so each run must see only its own kernels, and the host's console is
// the host's while seprof measures and after.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { profile, type Profile, type ProfileOptions } from '../src/index';
import { ROOT } from './support/cli';

const ONNX = (name: string): string => join(ROOT, 'test/fixtures/onnx', name);

/** Ten different models: blocks, networks, model files, another backend, a backward pass. */
const CALLS: ProfileOptions[] = [
  { model: 'mobilenet_v3_small' },
  { channels: 512, reduction: 8 },
  { block: 'se-resnet', channels: 256, planes: 64 },
  { block: 'se-inception', channels: 192, widths: [64, 96, 128, 16, 32, 32] },
  { channels: 64, reduction: 4, backend: 'cpu' },
  { file: ONNX('se_resnet_block.onnx') },
  { file: ONNX('tiny_yolo_se.onnx') },
  { block: 'se-resnet', channels: 64, planes: 16, training: true },
  { channels: 96, reduction: 4, seFc: 'conv1x1', seHidden: 'divisible:8', seGate: 'hardsigmoid' },
  { model: 'efficientnet_b0', height: 64, width: 64 },
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('overlapping measured profile() calls', () => {
  it('ten at once: ten matching checks, each of its own model, and the console stays the host’s', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const pending = CALLS.map((options) => profile({ ...options, measure: true }));
    console.log('started');
    const results: Profile[] = [];
    for (const [i, run] of pending.entries()) {
      results.push(await run);
      // The runs after this one are still going: the host's console must reach the host.
      expect(console.log).toBe(log);
      console.log(`after ${i}`);
    }
    expect(log.mock.calls.map(([line]) => line as string)).toEqual(['started', ...CALLS.map((_, i) => `after ${i}`)]);

    for (const [i, result] of results.entries()) {
      expect(result.check.mismatches, JSON.stringify(CALLS[i])).toEqual([]);
      expect(result.check.status).toBe('match');
    }
    // Each result is of the model it asked for, counted independently: SE's params are 2*C*m.
    expect(results[1]?.totals.params).toBe(2n * 512n * 64n);
    expect(results[4]?.totals.params).toBe(2n * 64n * 16n);
    expect(results[4]?.measured?.backend.name).toBe('cpu');
    // _make_divisible(96 / 4, 8) = 24 hidden channels, 1x1 convs without bias.
    expect(results[8]?.totals.params).toBe(2n * 96n * 24n);
    // torchvision's mobilenet_v3_small: 2,542,856 parameters (its model card).
    expect(results[0]?.totals.params).toBe(2_542_856n);
  });

  it('a failing run does not stop the ones queued behind it', async () => {
    const [bad, good] = await Promise.allSettled([
      profile({ file: ONNX('no-such-file.onnx'), measure: true }),
      profile({ channels: 32, reduction: 4, measure: true }),
    ]);
    expect(bad.status).toBe('rejected');
    expect(good.status === 'fulfilled' && good.value.check.status).toBe('match');
  });
});

describe('as a program', () => {
  it("four overlapping measured calls, then the program's own console.log prints", () => {
    const program = `
      const { profile } = require('seprof');
      const calls = [{ channels: 512, reduction: 8 }, { model: 'mobilenet_v3_small', height: 64, width: 64 }, { block: 'se-resnet', channels: 256, planes: 64 }, { channels: 8, reduction: 2, backend: 'cpu' }];
      console.log('before');
      Promise.all(calls.map((c) => profile({ ...c, measure: true }))).then((rs) => console.log(rs.map((r) => r.check.status).join(' ')));`;
    const run = spawnSync(process.execPath, ['-e', program], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('before\nmatch match match match\n');
    // The cpu backend's banner ("Hi, looks like you are running TensorFlow.js in Node.js") is tfjs's, silenced while it loads.
    expect(run.stderr).not.toContain('TensorFlow.js in Node.js');
  });
});
