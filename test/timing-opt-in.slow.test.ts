// Timing is opt-in: by default every command gives counts and the measured check, and no
// timing is done, printed or stored; --latency (or --runs/--warmup, which imply it) asks for it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/analyzers/profile';
import { profileOptions } from '../src/cli/options';
import { buildSpec } from '../src/model/spec';
import { seprofInProcess } from './support/cli';

const TIMING = /latency|Time \(ms\)|ms median|warm-up|GFLOP\/s/i;

describe('profile options', () => {
  it('ask for no timing unless --latency, --runs or --warmup is given', () => {
    expect(profileOptions({ measure: true }).timing).toBeUndefined();
    expect(profileOptions({ measure: true, latency: true }).timing).toMatchObject({ runs: 100, warmup: 200, perLayer: true });
    expect(profileOptions({ measure: true, runs: '4' }).timing).toMatchObject({ runs: 4, runsBudgetMs: undefined });
    expect(profileOptions({ measure: true, warmup: '0' }).timing).toMatchObject({ warmup: 0, warmupBudgetMs: undefined });
  });

  it('leave the measured profile untimed', async () => {
    const result = await profile(buildSpec({ channels: '32', reduction: '4' }), profileOptions({ measure: true, backend: 'wasm' }));
    expect(result.check.status).toBe('match');
    expect(result.measured?.backend.name).toBe('wasm');
    expect(result.measured?.latency).toBeUndefined();
    expect(result.measured?.layerMs).toBeUndefined();
  });
});

describe('no timing by default', () => {
  it('seprof: table and JSON', async () => {
    const table = await seprofInProcess(['--channels', '64', '--reduction', '4']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Check:\s+analytic and measured agree/);
    expect(table.stdout).not.toMatch(TIMING);
    const doc = JSON.parse((await seprofInProcess(['--channels', '64', '--reduction', '4', '--json'])).stdout) as Record<string, unknown>;
    expect(doc['backend']).not.toBeNull();
    expect(doc['latency']).toBeNull();
    expect(doc['layerLatencyMs']).toBeNull();
  });

  it('--at points', async () => {
    for (const format of ['table', 'json', 'csv']) {
      const run = await seprofInProcess(['--at', '64x7x7', '--at', '128x4x4', '--reduction', '4', '--format', format]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('match');
      expect(run.stdout).not.toMatch(TIMING);
    }
  });

  it('sweep: table, CSV and JSON', async () => {
    const args = ['sweep', '--channels', '16,32', '--reduction', '4'];
    const table = await seprofInProcess(args);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(TIMING);
    const [header, ...rows] = (await seprofInProcess([...args, '--format', 'csv'])).stdout.trim().split('\n');
    const at = header?.split(',').indexOf('latency_ms') ?? -1;
    expect(rows.map((row) => row.split(',')[at])).toEqual(['', '']);
    const doc = JSON.parse((await seprofInProcess([...args, '--json'])).stdout) as { cases: { latency: unknown; check: { status: string } }[] };
    expect(doc.cases.map((c) => [c.check.status, c.latency])).toEqual([
      ['match', null],
      ['match', null],
    ]);
  });

  it('report: report.json, report.md and the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seprof-timing-'));
    const suite = join(dir, 'suite.json');
    writeFileSync(suite, JSON.stringify({ cases: [{ name: 'se-32', options: { channels: 32, reduction: 4 } }] }));
    const run = await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'out')]);
    expect(run.code).toBe(0);
    expect(run.stdout.replace(/profiled in [\d.]+ s/, '')).not.toMatch(TIMING);
    expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).not.toMatch(TIMING);
    const doc = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { cases: { latency: unknown }[] };
    expect(doc.cases[0]?.latency).toBeNull();
  });

  it('explain', async () => {
    for (const format of ['table', 'json']) {
      const run = await seprofInProcess(['explain', '--channels', '64', '--reduction', '4', '--format', format]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/agree|"match"/);
      expect(run.stdout).not.toMatch(TIMING);
    }
  });
});

describe('timing on request', () => {
  it('--runs implies --latency: whole model and every layer', async () => {
    const run = await seprofInProcess(['--channels', '64', '--reduction', '4', '--runs', '3', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Latency:\s+[\d.]+ ms median \(p10 [\d.]+, p90 [\d.]+\) over 3 runs after 1 warm-up/);
    expect(run.stdout).toMatch(/│ Time \(ms\) │/);
    // A wide spread is a fact about the machine, said calmly, never a verdict on the counts.
    expect(run.stdout).not.toMatch(/too wide to trust/);
  });

  it("report --latency stores each case's latency and shows the column", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seprof-timing-'));
    const suite = join(dir, 'suite.json');
    writeFileSync(suite, JSON.stringify({ cases: [{ name: 'se-32', options: { channels: 32, reduction: 4 } }] }));
    const run = await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'out'), '--latency', '--runs', '2', '--warmup', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Latency ms');
    const doc = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { cases: { latency: unknown }[] };
    expect(doc.cases[0]?.latency).toMatchObject({ runs: 2, warmup: 1 });
  });
});
