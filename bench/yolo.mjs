// The YOLOv9 row of `npm run bench`: gelan-c with an SE block at 1x3x640x640, measured and checked
// by seprof from the committed weight-stripped export (test/fixtures/onnx-real, run with
// --stand-in-weights), against one PyTorch forward of the same fused model, one
// thread, built by the fixture's own real_models.py from a YOLOv9 checkout (YOLOV9=path, as the
// fixtures were made). Without the export, the checkout or torch, the row says skipped.
// Run alone: `node bench/yolo.mjs` (after `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(root, 'test', 'fixtures', 'onnx-real');
const EXPORT = join(FIXTURES, 'gelan_c_se_1x640_op17.onnx');

// The fixture's model, fused as exported (its build runs two dry forwards), then one timed forward.
const TORCH = `
import resource, sys, time
import torch
torch.set_num_threads(1)
sys.path.insert(0, sys.argv[1])
import real_models
model = real_models.build('gelan_c_se', (1, 3, 640, 640))
x = torch.randn(1, 3, 640, 640)
with torch.no_grad():
    start = time.perf_counter()
    model(x)
    forward = time.perf_counter() - start
print("forward_ms=%f maxrss=%d" % (forward * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), file=sys.stderr)
`;

/**
 * The rows: seprof's measured run (wall time and peak memory, medians of `repeats`) against the
 * PyTorch forward and the peak memory of the process that built and ran it. `runOnce(command,
 * args, options)` is the bench's: { wallMs, kib } or undefined.
 */
export function yoloRows({ runOnce, row, ms, mb, times, python, repeats, bin }) {
  const figure = '`seprof gelan_c_se_1x640_op17.onnx` (YOLOv9 gelan-c + SE at 640, measured and checked; stand-in weights)';
  const skip = (why) => row(figure, `PyTorch: skipped (${why})`, 'skipped', 'skipped', '≤ 1.0x');
  if (!existsSync(EXPORT)) return skip('the export is not in this checkout');
  const yolov9 = process.env.YOLOV9;
  if (yolov9 === undefined || !existsSync(join(yolov9, 'models', 'yolo.py'))) return skip('set YOLOV9 to a checkout of WongKinYiu/yolov9');
  if (python === undefined) return skip('no python3 here imports torch');
  const seprof = [bin, EXPORT, '--stand-in-weights', '--quiet'];
  const torchOnce = () => {
    const result = spawnSync(python, ['-c', TORCH, FIXTURES], { env: { ...process.env, YOLOV9: yolov9, OMP_NUM_THREADS: '1' }, encoding: 'utf8' });
    const match = /forward_ms=([\d.]+) maxrss=(\d+)/.exec(result.stderr ?? '');
    return result.status === 0 && match ? { forwardMs: Number(match[1]), kib: Number(match[2]) } : undefined;
  };
  if (torchOnce() === undefined) return skip('the YOLOv9 model did not build');
  runOnce(process.execPath, seprof);
  const pairs = Array.from({ length: repeats }, () => ({ seprof: runOnce(process.execPath, seprof), torch: torchOnce() }));
  if (pairs.some((p) => p.seprof === undefined || p.torch === undefined)) return skip('a run failed');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [wall, kib] = [median(pairs.map((p) => p.seprof.wallMs)), median(pairs.map((p) => p.seprof.kib))];
  const [forward, torchKib] = [median(pairs.map((p) => p.torch.forwardMs)), median(pairs.map((p) => p.torch.kib))];
  row(figure, `one PyTorch forward of the same fused model, one thread (${ms(forward)})`, ms(wall), times(wall, forward), '≤ 1.0x');
  row(
    'peak memory of `seprof gelan_c_se_1x640_op17.onnx`',
    `the PyTorch process that built the model and ran it (${mb(torchKib)})`,
    mb(kib),
    times(kib, torchKib),
    '≤ 1.0x',
  );
}

// Alone: the bench's helpers, enough to print these rows.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const maxRss = fileURLToPath(new URL('./max-rss.cjs', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'seprof-bench-'));
  const runOnce = (command, args) => {
    const rssFile = join(scratch, 'rss');
    const start = process.hrtime.bigint();
    const result = spawnSync(command, ['-r', maxRss, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BENCH_MAX_RSS_FILE: rssFile } });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    return result.status === 0 ? { wallMs, kib: Number(readFileSync(rssFile, 'utf8')) } : undefined;
  };
  const python = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].find(
    (c) => c && spawnSync(c, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
  );
  const rows = [];
  yoloRows({
    runOnce,
    row: (figure, against, value, ratio, target) => rows.push(`| ${figure} | ${against} | ${value} | ${ratio} | ${target} |`),
    ms: (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`),
    mb: (kib) => `${Math.round(kib / 1024)} MB`,
    times: (x, base) => `${(x / base).toFixed(2)}x`,
    python,
    repeats: Number(process.env.BENCH_NETWORK_REPEATS ?? 3),
    bin: fileURLToPath(new URL('../bin/seprof', import.meta.url)),
  });
  rmSync(scratch, { recursive: true, force: true });
  console.log(rows.join('\n'));
}
