// npm run bench:se-latency: is `--se-latency` reproducible within its intervals? Runs seprof
// --se-latency several times in a row (3 unless --runs N) on SE-ResNet-50, MobileNetV3-Large,
// EfficientNet-B0 and YOLOv9 gelan-t with SE (the committed weight-stripped export, run beside
// random weights), and prints per run the machine's load, SE adds and SE time share with their
// intervals and each process's own figure; then, per model, whether every two runs' intervals
// overlap and whether every run's point lies inside every other run's interval. A timing is
// the machine's: this prints what this machine gave now, it asserts nothing.
//   node bench/se-latency.mjs [--runs N] [--only NAME] [-- more seprof options]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'seprof');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const extra = dash < 0 ? [] : argv.slice(dash + 1);
const flag = (name) => (own.includes(name) ? own[own.indexOf(name) + 1] : undefined);
const RUNS = Number(flag('--runs') ?? 3);
const scratch = mkdtempSync(join(tmpdir(), 'seprof-se-latency-'));

/** A copy of the export beside random float32 weights (the committed file has none): zeros would run as fast, but a model has weights. */
function withRandomWeights(model) {
  const { modelProtoType } = require('../dist/model/onnx/schema.js');
  const proto = modelProtoType().decode(readFileSync(model));
  const extents = new Map();
  for (const t of proto.graph?.initializer ?? []) {
    const entry = (key) => t.externalData.find((e) => e.key === key)?.value;
    if (t.dataLocation !== 1 || entry('location') === undefined) continue;
    const length = entry('length') ?? String(t.dims.reduce((n, d) => n * Number(d), 4));
    extents.set(entry('location'), Math.max(extents.get(entry('location')) ?? 0, Number(entry('offset') ?? 0) + Number(length)));
  }
  const copy = join(scratch, basename(model));
  copyFileSync(model, copy);
  let state = 24;
  for (const [location, size] of extents) {
    const weights = new Float32Array(Math.ceil(size / 4));
    for (let i = 0; i < weights.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      weights[i] = (state / 2 ** 32 - 0.5) * 0.1;
    }
    writeFileSync(join(scratch, location), Buffer.from(weights.buffer, 0, size));
  }
  return copy;
}

const MODELS = [
  { name: 'SE-ResNet-50', args: ['--model', 'se-resnet50'] },
  { name: 'MobileNetV3-Large', args: ['--model', 'mobilenet_v3_large'] },
  { name: 'EfficientNet-B0', args: ['--model', 'efficientnet_b0'] },
  {
    name: 'YOLOv9 gelan-t + SE, 2x3x320x320',
    args: () => ['--file', withRandomWeights(join(root, 'test', 'fixtures', 'onnx-real', 'gelan_t_se_2x320_op13.onnx'))],
  },
];

/** The CPUs' busy and total jiffies so far (Linux), for the share of the machine busy during a run: ours and everyone's. */
function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + fields[4];
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

const pct = (x) => (x === null || !Number.isFinite(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);
const plain = (x) => (x === null || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const cell = (i, show) => `${show(i.value)} [${show(i.low)}, ${show(i.high)}]`;
const inside = (x, i) => i.low !== null && i.high !== null && i.low <= x && x <= i.high;
const overlap = (a, b) => a.low !== null && b.low !== null && a.low <= b.high && b.low <= a.high;

function runOnce(args) {
  const before = cpuTimes();
  const load = loadavg()[0];
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, ...args, '--se-latency', '--json', '--quiet', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - start) / 1000;
  const after = cpuTimes();
  if (result.status !== 0) throw new Error(`seprof ${args.join(' ')} failed: ${result.stderr}`);
  const se = JSON.parse(result.stdout).seLatency;
  const busy = before && after ? (after.busy - before.busy) / (after.total - before.total) : Number.NaN;
  return { se, seconds, load: [load, loadavg()[0]], busy };
}

function criteria(runs, pick) {
  const pairs = [];
  for (let a = 0; a < runs.length; a++) for (let b = 0; b < runs.length; b++) if (a !== b) pairs.push([pick(runs[a]), pick(runs[b])]);
  const overlapping = pairs.filter(([x, y]) => overlap(x, y)).length / 2;
  const pointsIn = pairs.filter(([x, y]) => inside(x.value, y)).length;
  return `${overlapping} of ${pairs.length / 2} pairs of intervals overlap; ${pointsIn} of ${pairs.length} points inside the other runs' intervals`;
}

try {
  console.log(
    `${new Date().toISOString()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${RUNS} runs each${extra.length ? `, ${extra.join(' ')}` : ''}\n`,
  );
  for (const model of MODELS.filter((m) => flag('--only') === undefined || m.name.toLowerCase().includes(flag('--only').toLowerCase()))) {
    const args = typeof model.args === 'function' ? model.args() : model.args;
    console.log(`${model.name}: seprof ${args.join(' ').replace(scratch, '$TMP')} --se-latency ${extra.join(' ')}`);
    console.log(
      '| run | wall | load (1 min, start to end) | CPUs busy | rounds, processes | with / without SE, medians | SE adds [95%] | SE time share [95%] | GFLOP/s: SE, convs | each process: SE adds |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    const runs = [];
    for (let r = 1; r <= RUNS; r++) {
      const run = runOnce(args);
      runs.push(run);
      const { se } = run;
      const each = (se.processes ?? []).map((p) => pct(p.addsRatio.value)).join(', ');
      console.log(
        `| ${r} | ${run.seconds.toFixed(0)} s | ${run.load.map((l) => l.toFixed(1)).join(' to ')} | ${plain(run.busy)} | ${se.withSe.runs}, ${se.processes?.length ?? 1} | ${[se.withSe, se.withoutSe].map((l) => l.medianMs.toFixed(1)).join(' / ')} ms (${se.clock ?? 'wall'}) | ${cell(se.addsRatio, pct)} | ${cell(se.layers.share, plain)} | ${se.layers.seGflops.toFixed(2)}, ${se.layers.convGflops.toFixed(2)} | ${each} |`,
      );
    }
    console.log(`SE adds: ${criteria(runs, (run) => run.se.addsRatio)}`);
    console.log(`SE time share: ${criteria(runs, (run) => run.se.layers.share)}\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
