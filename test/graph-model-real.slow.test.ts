// A GraphModel tensorflowjs_converter wrote (nsfwjs' MobileNetV2 1.4, uint8-quantized; see
// test/fixtures/tfjs-graph/nsfwjs-mobilenet-v2-mid), weights zeroed: read, counted, measured and
// checked on every layer.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { seprof } from './support/cli';
import { writeZeroShards } from './support/graph-model';

const FIXTURE = join(__dirname, 'fixtures', 'tfjs-graph', 'nsfwjs-mobilenet-v2-mid', 'model.json');

it("counts nsfwjs' MobileNetV2 as TF-slim publishes it, and the measured run agrees on every layer", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seprof-graph-real-'));
  copyFileSync(FIXTURE, join(dir, 'model.json'));
  writeZeroShards(dir);
  const run = seprof(['--file', join(dir, 'model.json'), '--json']);
  expect(run.code, run.stderr).toBe(0);
  const p = JSON.parse(run.stdout) as {
    totals: { params: number; counts: Record<string, number> };
    check: { status: string; layers: number };
    file: { seBlocks: unknown[]; unsupported: unknown[]; notes: string[] };
  };
  // Params: every weight in the manifest but the hub's two input-scaling scalars (constants, not params).
  const manifest = JSON.parse(readFileSync(FIXTURE, 'utf8')).weightsManifest[0].weights as { shape: number[] }[];
  const numel = manifest.map((w) => w.shape.reduce((a, b) => a * b, 1));
  expect(numel.filter((n) => n === 1)).toHaveLength(2);
  expect(p.totals.params).toBe(numel.filter((n) => n > 1).reduce((a, b) => a + b, 0));
  // TF-slim's table: mobilenet_v2_1.4_224, 582 million MACs with its 1001-class head (1792 x 1001);
  // this head has 5 classes, 1792 x 996 fewer.
  expect(Math.round(((p.totals.counts['macs'] ?? 0) + 1792 * 996) / 1e6)).toBe(582);
  expect(p.file.unsupported).toEqual([]);
  expect(p.file.seBlocks).toEqual([]);
  expect(p.file.notes).toContainEqual(expect.stringMatching(/tensorflowjs_converter folded the model's BatchNorm into its convs/));
  // 52 convs (17 depthwise), 35 ReLU6s (none after a projection), 10 residual adds, the pool, the dense layer, softmax, the hub's Mul and Sub.
  expect(p.check).toMatchObject({ status: 'match', layers: 102 });
});
