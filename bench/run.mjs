// npm run bench: start-up and end-to-end timings of seprof, each as a ratio to `node -e 0`
// measured in this same run. Medians of repeated runs after one warm-up run.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/seprof', import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);

function timeCommand(args) {
  const run = () => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  run(); // warm the file cache
  const samples = Array.from({ length: REPEATS }, run).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const seed = [bin, '--channels', '512', '--reduction', '8'];
const rows = [
  ['node -e 0', timeCommand(['-e', '0'])],
  ['seprof --channels 512 --reduction 8 --no-measure', timeCommand([...seed, '--no-measure'])],
  ['seprof --channels 512 --reduction 8 (analytic + measured + latency)', timeCommand(seed)],
  ['seprof --channels 512 --reduction 8 --training', timeCommand([...seed, '--training'])],
  ['seprof explain --channels 512 --reduction 8', timeCommand([bin, 'explain', ...seed.slice(1)])],
];
const baseline = rows[0][1];
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}; median of ${REPEATS} runs`);
for (const [name, ms] of rows) {
  console.log(`${name.padEnd(70)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / baseline).toFixed(2)}x node -e 0`);
}
