// --se-latency as users run it: the lines and the JSON it adds, the refusals, and the suite
// commands' columns. Figures are timings, so only their form and their internal relations are
// checked, never a value.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, seprofInProcess } from './support/cli';
import { expectValid } from './support/schemas';

const BLOCK = ['--block', 'se-resnet', '--channels', '32', '--planes', '8', '--height', '8', '--backend', 'wasm', '--quiet'];
/** Two processes: the fewest an interval over processes takes, each a child that loads tfjs. */
const TWO = ['--se-processes', '2'];

interface Bounds {
  value: number;
  low: number | null;
  high: number | null;
  n: number;
}

describe('--se-latency', () => {
  // Each run forks its processes, each loading tfjs: one text run (of a training step) and one JSON run.
  it('adds what SE costs in time, with intervals, to the table; with --training of a training step', async () => {
    const run = await seprofInProcess([...BLOCK, ...TWO, '--se-rounds', '6', '--training']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SE latency: against --block resnet, the same block without SE (wasm, training step, CPU time; 6 interleaved rounds after');
    expect(run.stdout).toMatch(/ warm-up, in 2 processes\)\n/);
    expect(run.stdout).toMatch(/SE adds: +-?[\d.]+ ms \([+-][\d.]+%\); 95% interval -?[\d.]+ to -?[\d.]+ ms \([+-][\d.]+% to [+-][\d.]+%\)/);
    expect(run.stdout).toMatch(/SE time share: +[\d.]+% of the forward's layer-by-layer time \(95% interval [\d.]+% to [\d.]+%, 4 passes\)/);
    expect(run.stdout).toMatch(/GFLOP\/s: +SE layers [\d.]+, convs [\d.]+ \(layer by layer\)/);
    // SE's flops by the closed form: pool 32*8*8, two FCs 2*32*2 each, relu 2, sigmoid 4*32, scale 32*8*8.
    expect(run.stdout).toMatch(/│ se +│ +[\d.]+ │ +[\d.]+% │ +4,482 │/);
  });

  it('stores it in the JSON, valid against the schema, its interval around its median', async () => {
    const run = await seprofInProcess([...BLOCK, ...TWO, '--se-rounds', '12', '--se-clock', 'wall', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      seLatency: {
        pass: string;
        clock: string;
        addsRatio: Bounds;
        layers: { passes: number; share: Bounds; blocks: { flops: number }[] };
        withSe: { runs: number };
        processes: { rounds: number; addsRatio: Bounds }[];
      };
    };
    expectValid('profile', doc);
    const { addsRatio, layers, pass, withSe, processes, clock } = doc.seLatency;
    expect(clock).toBe('wall');
    // 12 rounds split over 2 processes; the interval is over the processes, each its own over its 6 rounds.
    expect([pass, withSe.runs, addsRatio.n, layers.share.n, layers.passes]).toEqual(['forward', 12, 2, 2, 4]);
    expect(processes.map((p) => [p.rounds, p.addsRatio.n])).toEqual([
      [6, 6],
      [6, 6],
    ]);
    expect(addsRatio.low).toBeLessThanOrEqual(addsRatio.value);
    expect(addsRatio.high).toBeGreaterThanOrEqual(addsRatio.value);
    // The geometric mean of the two processes' medians lies between them.
    const [a, b] = processes.map((p) => p.addsRatio.value);
    expect(addsRatio.value).toBeGreaterThanOrEqual(Math.min(a!, b!) - 1e-12);
    expect(addsRatio.value).toBeLessThanOrEqual(Math.max(a!, b!) + 1e-12);
    expect(layers.share.value).toBeGreaterThan(0);
    expect(layers.share.value).toBeLessThan(1);
    expect(layers.blocks.map((b) => b.flops)).toEqual([2048 + 128 + 2 + 128 + 128 + 2048]);
  });

  it('refuses a model without a twin, --no-measure, and too few rounds', async () => {
    expectUsageError(
      await seprofInProcess(['--channels', '32', '--se-latency']),
      /--se-latency times a model against its SE-free twin, and --block se \(SE alone; --latency times it\) has none/,
    );
    expectUsageError(await seprofInProcess(['--model', 'resnet50', '--se-latency']), /--model resnet50 has none/);
    expectUsageError(
      await seprofInProcess([...BLOCK, '--se-latency', '--no-measure']),
      /--se-latency times the model in tfjs: it does not go with --no-measure/,
    );
    expectUsageError(await seprofInProcess([...BLOCK, '--se-rounds', '5']), /--se-rounds must be at least 6/);
    expectUsageError(await seprofInProcess([...BLOCK, '--se-rounds', '100001']), /--se-rounds must be at most 100,000, got 100001/);
    expectUsageError(await seprofInProcess([...BLOCK, '--se-processes', '1']), /--se-processes must be at least 2/);
    expectUsageError(await seprofInProcess([...BLOCK, '--se-clock', 'fast']), /--se-clock must be one of auto, cpu, wall; got 'fast'/);
    expectUsageError(await seprofInProcess([...BLOCK, '--se-processes', '1001']), /--se-processes must be at most 1000, got 1001/);
    expectUsageError(
      await seprofInProcess([...BLOCK, '--se-processes', '3', '--no-measure']),
      /--se-processes times the model in tfjs: it does not go with --no-measure/,
    );
  });
});

describe('--se-latency in the suite commands', () => {
  it('sweep: columns with intervals', async () => {
    const run = await seprofInProcess([
      'sweep',
      '--block',
      'se-resnet',
      '--channels',
      '32',
      '--planes',
      '8',
      '--height',
      '8',
      '--reduction',
      '4',
      '--se-rounds',
      '6',
      ...TWO,
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const header = lines.find((l) => l.includes('Params')) ?? '';
    expect(header).toContain('SE adds % [95%]');
    expect(header).toContain('SE time share [95%]');
    expect(lines.filter((l) => /[+-][\d.]+% \[[+-][\d.]+, [+-][\d.]+\] │ +[\d.]+% \[[\d.]+, [\d.]+\] │$/.test(l))).toHaveLength(1);
  });

  it('report: report.json carries it, the chart draws it, compare reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seprof-se-latency-'));
    const suite = join(dir, 'suite.json');
    const cases = [
      { name: 'block', options: { block: 'se-resnet', channels: 32, planes: 8, height: 8 } },
      { name: 'alone', options: { channels: 32, reduction: 4 } },
    ];
    writeFileSync(suite, JSON.stringify({ cases }));
    const run = await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'out'), '--se-rounds', '6', ...TWO, '--backend', 'wasm', '--quiet']);
    expect(run.code).toBe(0);
    // SE alone has no twin: in a suite it is no error, its SE latency says why it is missing.
    expect(run.stdout.split('\n').find((l) => l.includes('alone'))).toMatch(/│ +- │ +- │$/);
    const doc = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { cases: { seLatency: { addsRatio?: Bounds; skipped?: string } }[] };
    expectValid('report', doc);
    expect(doc.cases[0]?.seLatency.addsRatio?.n).toBe(2);
    expect(doc.cases[1]?.seLatency).toEqual({ skipped: 'no SE-free twin' });
    expect(readFileSync(join(dir, 'out', 'se-latency.svg'), 'utf8')).toContain('<title>block: SE adds');
    const same = await seprofInProcess(['compare', join(dir, 'out', 'report.json'), join(dir, 'out', 'report.json'), '--se-latency-tolerance', '0', '--json']);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    const comparison = JSON.parse(same.stdout) as { seLatencyTolerance: number; deltas: { quantity: string; status: string }[] };
    expectValid('compare', comparison);
    expect(comparison.seLatencyTolerance).toBe(0);
    expect(comparison.deltas.filter((d) => d.quantity.startsWith('SE')).map((d) => d.status)).toEqual(['within noise', 'within noise']);
  });
});
