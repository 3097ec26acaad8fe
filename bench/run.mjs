// npm run bench: seprof's speed and memory, each figure a ratio to what it is measured against,
// all measured in this one run on this machine. Prints the table docs/benchmarks.md shows.
//  - whole processes against `node -e 0` (medians of repeated runs);
//  - a measured ResNet-152 against a PyTorch forward of torchvision's resnet152, `import torch`
//    included (when python3 has torch and torchvision; "skipped" otherwise), and its peak memory;
//    --training on SE-ResNet-50 and EfficientNet-B0 against a PyTorch training step (forward and
//    backward) of torchvision's resnet50 and efficientnet_b0; a ResNet-50 ONNX file, exported by
//    that python here, against the PyTorch forward; YOLOv9 gelan-c + SE at 640 from the committed
//    export against one PyTorch forward of the same fused model (bench/yolo.mjs);
//  - the profiled pass (the layer-by-layer forward under tf.profile, kernels recorded; reading
//    them into ops comes after) against a plain forward of the same tfjs model, in this process;
//  - sweep throughput, large graphs (100,000 nodes, --add-se at 2,000 targets) against a tenth
//    of them, and the seed command on every backend that loads here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yoloRows } from './yolo.mjs';

const require = createRequire(import.meta.url);
const bin = fileURLToPath(new URL('../bin/seprof', import.meta.url));
const maxRss = fileURLToPath(new URL('./max-rss.cjs', import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const NETWORK_REPEATS = Number(process.env.BENCH_NETWORK_REPEATS ?? 3);
const scratch = mkdtempSync(join(tmpdir(), 'seprof-bench-'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 1 ? 3 : 1)} ms`);
const mb = (kib) => `${Math.round(kib / 1024)} MB`;
const times = (x, base) => `${(x / base).toFixed(x / base < 0.1 ? 3 : 2)}x`;

/** One run of a command: wall time and peak memory (KiB), or undefined when it fails. */
function runOnce(command, args, { node = true } = {}) {
  const rssFile = join(scratch, `rss-${process.pid}`);
  const start = process.hrtime.bigint();
  const result = spawnSync(command, node ? ['-r', maxRss, ...args] : args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BENCH_MAX_RSS_FILE: rssFile },
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) return undefined;
  const kib = node ? Number(readFileSync(rssFile, 'utf8')) : Number(/maxrss=(\d+)/.exec(result.stderr)?.[1]);
  return { wallMs, kib };
}

/** Median wall time and peak memory of `repeats` runs, after one that warms the file cache. */
function measureProcess(command, args, repeats, options) {
  if (runOnce(command, args, options) === undefined) return undefined;
  const runs = Array.from({ length: repeats }, () => runOnce(command, args, options)).filter(Boolean);
  return { wallMs: median(runs.map((r) => r.wallMs)), kib: median(runs.map((r) => r.kib)) };
}

/** Medians of node processes run in turns, one of each per round. */
function measureInterleaved(argLists, repeats) {
  for (const args of argLists) runOnce(process.execPath, args); // warms the file cache
  const rounds = Array.from({ length: repeats }, () => argLists.map((args) => runOnce(process.execPath, args)));
  return argLists.map((_, i) => ({ wallMs: median(rounds.map((r) => r[i].wallMs)), kib: median(rounds.map((r) => r[i].kib)) }));
}

const rows = [];
const row = (figure, against, value, ratio, target) => rows.push({ figure, against, value, ratio, target });
const progress = (text) => process.stderr.write(`bench: ${text}\n`);

// 1. Start-up and the seed command, against Node's own start.
progress('start-up');
const seed = [bin, '--channels', '512', '--reduction', '8'];
// Interleaved, so that a machine that gets busier slows all three alike.
const [node, analytic, full] = measureInterleaved([['-e', '0'], [...seed, '--no-measure'], seed], REPEATS);
const nodeAgainst = `\`node -e 0\` (${ms(node.wallMs)})`;
row('`seprof --channels 512 --reduction 8 --no-measure`', nodeAgainst, ms(analytic.wallMs), times(analytic.wallMs, node.wallMs), '≤ 1.5x');
row('`seprof --channels 512 --reduction 8` (measured and checked)', nodeAgainst, ms(full.wallMs), times(full.wallMs, node.wallMs), '≤ 3.5x');

// 2. Whole networks against PyTorch, paired runs so that both see the same machine: a measured
// ResNet-152 against a forward, --training against a training step, a model file against a forward.
progress('ResNet-152, measured, and PyTorch');
// argv: a torchvision model and `forward` (eval, no grad), `training` (forward, sum, backward) or
// `export` (an eval-mode ONNX export to the path that follows).
const TORCH = `
import resource, sys
import torch, torchvision
name, step = sys.argv[1], sys.argv[2]
model = getattr(torchvision.models, name)()
x = torch.randn(1, 3, 224, 224)
if step == "training":
    loss = model(x).sum()
    loss.backward()
elif step == "forward":
    with torch.no_grad():
        model.eval()(x)
else:
    torch.onnx.export(model.eval(), x, sys.argv[3])
print("maxrss=%d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
`;
// python3 first; Debian's python3-torch installs for the system python, which a pyenv shim may hide.
const python = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].find(
  (candidate) => candidate && spawnSync(candidate, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0,
);
const torchLoads = python !== undefined;
const noTorch = 'PyTorch: skipped (no python3 here imports torch and torchvision)';
const torchArgs = (name, step) => ['-c', TORCH, name, step];

/** Medians of `NETWORK_REPEATS` pairs, seprof then PyTorch (when it loads), after one of each that warms the file cache. */
function measureAgainstTorch(args, pythonArgs) {
  runOnce(process.execPath, args);
  if (torchLoads) runOnce(python, pythonArgs, { node: false });
  const pairs = Array.from({ length: NETWORK_REPEATS }, () => ({
    seprof: runOnce(process.execPath, args),
    torch: torchLoads ? runOnce(python, pythonArgs, { node: false }) : undefined,
  }));
  const medians = (side) => ({ wallMs: median(pairs.map((p) => p[side].wallMs)), kib: median(pairs.map((p) => p[side].kib)) });
  return { seprof: medians('seprof'), torch: torchLoads ? medians('torch') : undefined };
}
/** A row of seprof against PyTorch, `what` naming what PyTorch runs. */
function torchRow(figure, what, { seprof, torch }, target = '') {
  const against = torch === undefined ? noTorch : `${what}, \`import torch\` included (${ms(torch.wallMs)})`;
  row(figure, against, ms(seprof.wallMs), torch ? times(seprof.wallMs, torch.wallMs) : 'skipped', target);
}

const resnet152 = measureAgainstTorch([bin, '--model', 'resnet152', '--quiet'], torchArgs('resnet152', 'forward'));
const { seprof: resnet, torch } = resnet152;
torchRow('`seprof --model resnet152` (measured and checked)', 'PyTorch forward of torchvision resnet152', resnet152, '≤ 1.0x');
row('peak memory of `seprof --model resnet152`', 'the target, 600 MB', mb(resnet.kib), times(resnet.kib, 600 * 1024), '≤ 1.0x');
if (torch) row('peak memory of `seprof --model resnet152`', `the PyTorch forward above (${mb(torch.kib)})`, mb(resnet.kib), times(resnet.kib, torch.kib), '');

for (const [model, peer, note] of [
  ['se-resnet50', 'resnet50', ' (torchvision has no SE-ResNet-50: the same network without its SE blocks)'],
  ['efficientnet_b0', 'efficientnet_b0', ''],
]) {
  progress(`${model} --training, and a PyTorch training step`);
  torchRow(
    `\`seprof --model ${model} --training\` (measured and checked)`,
    `PyTorch training step (forward, \`.sum()\`, backward) of torchvision ${peer}${note}`,
    measureAgainstTorch([bin, '--model', model, '--training', '--quiet'], torchArgs(peer, 'training')),
  );
}

progress('a model file, ResNet-50 exported to ONNX, and PyTorch');
const onnx = join(scratch, 'resnet50.onnx');
const exported = torchLoads && spawnSync(python, [...torchArgs('resnet50', 'export'), onnx], { stdio: 'ignore' }).status === 0;
const fileFigure = '`seprof resnet50.onnx` (measured and checked; torchvision resnet50 exported here, in eval mode)';
if (exported) torchRow(fileFigure, 'PyTorch forward of torchvision resnet50', measureAgainstTorch([bin, onnx, '--quiet'], torchArgs('resnet50', 'forward')));
else row(fileFigure, torchLoads ? 'PyTorch: skipped (the ONNX export failed)' : noTorch, 'skipped', 'skipped', '');

progress('YOLOv9 gelan-c + SE at 640, and PyTorch');
yoloRows({ runOnce, row, ms, mb, times, python, repeats: NETWORK_REPEATS, bin });

// 3. The profiler's own cost: the recorded layer-by-layer pass against a plain forward.
progress('profiled pass against a plain forward');
const tf = require('@tensorflow/tfjs-core');
const { buildSpec } = require('../dist/model/spec.js');
const { buildModel } = require('../dist/modules/index.js');
const { useBackend } = require('../dist/analyzers/measured/backend.js');
const { recordLayers } = require('../dist/analyzers/measured/index.js');
const { forwardOnce } = require('../dist/analyzers/measured/latency.js');
const quiet = console.warn;
console.warn = () => {};
await useBackend('wasm');
console.warn = quiet;
for (const [label, raw, repeats] of [
  ['SE(512, r=8) on 512x7x7', { channels: '512', reduction: '8' }, 400],
  ['SE-ResNet bottleneck on 256x56x56', { block: 'se-resnet', channels: '256', planes: '64' }, 20],
  ['ResNet-50 on 224x224', { model: 'resnet50' }, 15],
]) {
  const spec = buildSpec(raw);
  const model = buildModel(spec);
  const { channels, height, width } = spec.input;
  const x = tf.randomNormal([spec.batch, height, width, channels]);
  const profiledOnce = async () => {
    const start = performance.now();
    await recordLayers(model, x, { onProgress: undefined });
    return performance.now() - start;
  };
  // Warmed first (JIT, allocator, packed weights).
  for (let i = 0; i < Math.min(Math.ceil(repeats / 3), 50); i++) {
    forwardOnce(model, x);
    await profiledOnce();
  }
  // Paired and in turns, the order swapped every pair (ABBA): each ratio compares two runs
  // side by side on the same machine, so a machine that gets busier or quieter during the
  // run moves both alike. The figure is the median of the pairs' ratios.
  const pairs = [];
  for (let i = 0; i < repeats; i++) {
    if (i % 2 === 0) {
      const plain = forwardOnce(model, x);
      pairs.push({ plain, profiled: await profiledOnce() });
    } else {
      const profiled = await profiledOnce();
      pairs.push({ plain: forwardOnce(model, x), profiled });
    }
  }
  const [p, f] = [median(pairs.map((pair) => pair.profiled)), median(pairs.map((pair) => pair.plain))];
  const ratio = median(pairs.map((pair) => pair.profiled / pair.plain));
  row(
    `profiled pass, ${label}`,
    `a plain forward of the same tfjs model (${ms(f)}; median of ${repeats} paired ratios)`,
    ms(p),
    `${ratio.toFixed(2)}x`,
    '≤ 1.1x',
  );
  x.dispose();
  model.dispose();
}

// 4. Sweep throughput: 100 SE cases (C = 16..1600 step 16, r = 4 at 7x7), against one seed command.
progress('sweeps');
const sweep = [bin, 'sweep', '--channels', '16..1600+16', '--reduction', '4', '--format', 'csv', '--quiet'];
for (const [label, args, one] of [
  ['sweep of 100 SE cases, analytic (`--no-measure`)', [...sweep, '--no-measure'], analytic],
  ['sweep of 100 SE cases, measured and checked', sweep, full],
]) {
  const run = measureProcess(process.execPath, args, Math.max(3, Math.round(REPEATS / 5)));
  row(
    label,
    `100 single runs of the seed command (${ms(100 * one.wallMs)})`,
    `${ms(run.wallMs)}, ${Math.round(100 / (run.wallMs / 1000))} cases/s`,
    times(run.wallMs, 100 * one.wallMs),
    '',
  );
}

// 5. Large graphs, counted (`--no-measure`): a chain of ReLUs 10 times longer, and --add-se with
// 10 times the targets, against the shorter. Linear work gives about 10x.
progress('large graphs');
const { modelProtoType } = require('../dist/model/onnx/schema.js');
const { writeFileSync } = require('node:fs');
function reluChain(n) {
  const path = join(scratch, `chain-${n}.onnx`);
  const node = Array.from({ length: n }, (_, i) => ({ name: `r${i}`, opType: 'Relu', input: [i === 0 ? 'x' : `t${i - 1}`], output: [`t${i}`] }));
  const input = [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [1, 8, 4, 4].map((dimValue) => ({ dimValue })) } } } }];
  const model = {
    irVersion: 8,
    producerName: 'seprof bench',
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: 'g', node, input, output: [{ name: `t${n - 1}` }] },
  };
  writeFileSync(path, modelProtoType().encode(modelProtoType().fromObject(model)).finish());
  return path;
}
/** A Flatten and a MatMul whose weight is `rows` x 512 floats: a file of about rows * 2 KB. */
function bigMatMul(rows) {
  const path = join(scratch, `matmul-${rows}.onnx`);
  const input = [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [1, rows].map((dimValue) => ({ dimValue })) } } } }];
  const node = [{ name: 'mm', opType: 'MatMul', input: ['x', 'w'], output: ['y'] }];
  const initializer = [{ name: 'w', dims: [rows, 512], dataType: 1, rawData: new Uint8Array(rows * 512 * 4) }];
  const model = { irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph: { name: 'g', node, input, initializer, output: [{ name: 'y' }] } };
  writeFileSync(path, modelProtoType().encode(modelProtoType().fromObject(model)).finish());
  return path;
}
const targets = (n) => Array.from({ length: n }, (_, i) => `r${i}`).join(',');
for (const [label, short, long, target = '≈ 10x (linear)'] of [
  [
    'a 100,000-node graph, its table (`--no-measure --depth 1`)',
    [reluChain(10_000), '--no-measure', '--depth', '1'],
    [reluChain(100_000), '--no-measure', '--depth', '1'],
  ],
  [
    'a 100,000-node graph as JSON (`--no-measure --format json`)',
    [join(scratch, 'chain-10000.onnx'), '--no-measure', '--format', 'json'],
    [join(scratch, 'chain-100000.onnx'), '--no-measure', '--format', 'json'],
  ],
  [
    'a 102 MB ONNX file counted (`--no-measure`): its weights are never read',
    [bigMatMul(5_017), '--no-measure'],
    [bigMatMul(50_176), '--no-measure'],
    '≈ 1x (the file is read, not decoded)',
  ],
  [
    '`--add-se` at 2,000 targets of a 2,000-node graph',
    [reluChain(200), '--add-se', targets(200), '--reduction', '2', '--no-measure'],
    [reluChain(2_000), '--add-se', targets(2_000), '--reduction', '2', '--no-measure'],
  ],
]) {
  const [few, many] = [short, long].map((args) => measureProcess(process.execPath, [bin, ...args], 1));
  row(
    label,
    `a tenth as many (${few ? ms(few.wallMs) : 'failed'})`,
    many ? `${ms(many.wallMs)}, ${mb(many.kib)}` : 'failed',
    few && many ? times(many.wallMs, few.wallMs) : '',
    target,
  );
}

// 6. The seed command on every backend that loads here.
progress('backends');
const loads = ['wasm', 'cpu', 'tensorflow'].filter((backend) => runOnce(process.execPath, [...seed, '--backend', backend]) !== undefined);
const [nodeNow, ...byBackend] = measureInterleaved(
  [['-e', '0'], ...loads.map((backend) => [...seed, '--backend', backend])],
  Math.max(3, Math.round(REPEATS / 3)),
);
for (const backend of ['wasm', 'cpu', 'tensorflow']) {
  const run = byBackend[loads.indexOf(backend)];
  const against = `\`node -e 0\` (${ms(nodeNow.wallMs)}, in turns with these)`;
  row(
    `\`seprof --channels 512 --reduction 8 --backend ${backend}\``,
    against,
    run ? ms(run.wallMs) : 'does not load here',
    run ? times(run.wallMs, nodeNow.wallMs) : '',
    '',
  );
}
rmSync(scratch, { recursive: true, force: true });

const [load1] = loadavg();
console.log(
  `${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}, load average ${load1.toFixed(1)} at the end; medians of ${REPEATS} runs (${NETWORK_REPEATS} paired runs for the networks against PyTorch)\n`,
);
console.log('| figure | measured against | here | ratio | target |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.figure} | ${r.against} | ${r.value} | ${r.ratio} | ${r.target} |`);
