// npm run bench: seprof's speed, each figure a ratio measured in this one run.
//  - start-up and the seed command against `node -e 0` (medians of repeated processes);
//  - the layer-by-layer profiled pass against a plain forward of the same tfjs model;
//  - sweep throughput, analytic and measured;
//  - the seed command on every backend that loads here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const bin = fileURLToPath(new URL('../bin/seprof', import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1).padStart(8)} ms`;
const ratio = (x, base) => `${(x / base).toFixed(2)}x`;

function timeProcess(args, { allowFailure = false } = {}) {
  const once = () => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0 && !allowFailure) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, ok: result.status === 0 };
  };
  if (!once().ok) return undefined; // warms the file cache, and tells whether it runs at all
  return median(Array.from({ length: REPEATS }, () => once().ms));
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}; medians of ${REPEATS} runs\n`);

// 1. Start-up and the seed command.
const seed = [bin, '--channels', '512', '--reduction', '8'];
const node = timeProcess(['-e', '0']);
const analytic = timeProcess([...seed, '--no-measure']);
const full = timeProcess(seed);
console.log('start-up (targets: --no-measure within 2x, the full seed command within 8x of node -e 0)');
console.log(`  node -e 0                                          ${ms(node)}  1.00x`);
console.log(`  seprof --channels 512 --reduction 8 --no-measure   ${ms(analytic)}  ${ratio(analytic, node)}`);
console.log(`  seprof --channels 512 --reduction 8 (measured)     ${ms(full)}  ${ratio(full, node)}`);

// 2. The profiler's own cost: layer-by-layer profiled pass against a plain forward.
const tf = require('@tensorflow/tfjs-core');
const { buildSpec } = require('../dist/model/spec.js');
const { buildModel } = require('../dist/modules/index.js');
const { useBackend } = require('../dist/analyzers/measured/backend.js');
const { profileLayers } = require('../dist/analyzers/measured/index.js');
const { forwardOnce } = require('../dist/analyzers/measured/latency.js');
const quiet = console.warn;
console.warn = () => {};
await useBackend('wasm');
console.warn = quiet;
console.log('\nprofiling overhead on wasm (target: profiled pass under 1.2x of a plain forward)');
for (const [label, raw, runs] of [
  ['SE(512, r=8) 512x7x7', { channels: '512', reduction: '8' }, 200],
  ['SE-ResNet bottleneck 256x56x56', { block: 'se-resnet', channels: '256', planes: '64' }, 20],
  ['ResNet-50 224x224', { model: 'resnet50' }, 5],
]) {
  const spec = buildSpec(raw);
  const model = buildModel(spec);
  const { channels, height, width } = spec.input;
  const x = tf.randomNormal([spec.batch, height, width, channels]);
  for (let i = 0; i < Math.min(runs, 50); i++) forwardOnce(model, x); // JIT and allocator settle
  const plain = median(Array.from({ length: runs }, () => forwardOnce(model, x)));
  const profiled = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await profileLayers(model, x);
    profiled.push(performance.now() - start);
  }
  console.log(`  ${label.padEnd(32)} forward ${ms(plain)}  profiled ${ms(median(profiled))}  ${ratio(median(profiled), plain)}`);
  x.dispose();
  model.dispose();
}

// 3. Sweep throughput: 100 SE cases (C = 16..1600 step 16, r = 4 at 7x7), analytic and measured.
console.log('\nsweep throughput, 100 SE cases in one process (target: measured under 10 s)');
const sweep = [bin, 'sweep', '--channels', '16..1600+16', '--reduction', '4', '--format', 'csv'];
for (const [label, args] of [
  ['analytic (--no-measure)', [...sweep, '--no-measure']],
  ['measured (cross-check + latency)', sweep],
]) {
  const time = timeProcess(args);
  console.log(`  ${label.padEnd(34)} ${ms(time)}  ${(100 / (time / 1000)).toFixed(0).padStart(6)} cases/s`);
}

// 4. The seed command on every backend that loads here.
console.log('\nthe seed command by backend (whole process)');
for (const backend of ['wasm', 'cpu', 'tensorflow']) {
  const time = timeProcess([...seed, '--backend', backend], { allowFailure: true });
  console.log(`  --backend ${backend.padEnd(11)} ${time === undefined ? '   does not load here' : `${ms(time)}  ${ratio(time, node)}`}`);
}
