// Latency you can trust, per-layer timing, and the memory guard.
import { describe, expect, it } from 'vitest';
import { summarize } from '../src/analyzers/measured/timing';
import { byteSize } from '../src/parse';
import { seprof } from './support/cli';

describe('summarize', () => {
  it('reports the median, p10 and p90 of the samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 6, 7, 8, 9, 11];
    expect(summarize(samples, 3)).toMatchObject({ medianMs: 6, p10Ms: 2, p90Ms: 10, minMs: 1, maxMs: 11, runs: 11, warmup: 3 });
  });
});

describe('--latency', () => {
  const run = seprof(['--channels', '64', '--reduction', '4', '--latency', '--runs', '5', '--warmup', '2']);

  it('adds time, share and achieved GFLOP/s columns, and the per-layer medians to JSON', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ Time \(ms\) │ Time %\s+│ GFLOP\/s \(flops\) │/);
    expect(run.stdout).toMatch(/│ Total .*│\s+100\.00% │/);
    const doc = JSON.parse(seprof(['--channels', '64', '--reduction', '4', '--latency', '--runs', '3', '--json']).stdout) as {
      layerLatencyMs: Record<string, number>;
    };
    expect(Object.keys(doc.layerLatencyMs).sort()).toEqual(['fc1', 'fc2', 'gate', 'relu', 'scale', 'sigmoid', 'squeeze'].sort());
    expect(Object.values(doc.layerLatencyMs).every((ms) => ms >= 0)).toBe(true);
  });
});

describe('memory guard', () => {
  it('skips the measured run beyond --max-memory, keeps the analytic result and exits 0', () => {
    // SE(512) on 512x56x56: input and scale output are 512*56*56 floats each, 6.4 MB apiece.
    const run = seprof(['--channels', '512', '--height', '56', '--width', '56', '--max-memory', '4M', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^seprof: measured run skipped: it needs about \d+(\.\d)? MB, above the memory budget of 4 MB \(--max-memory\)\n$/);
    const doc = JSON.parse(run.stdout) as { check: { status: string }; totals: { params: number }; latency: unknown };
    expect(doc.check.status).toBe('skipped');
    expect(doc.latency).toBeNull();
    expect(doc.totals.params).toBe(2 * 512 * 32);
  });

  it('measures when the budget allows', () => {
    const run = seprof(['--channels', '16', '--reduction', '4', '--max-memory', '1G', '--runs', '1', '--json']);
    expect(JSON.parse(run.stdout).check.status).toBe('match');
  });

  it('reads sizes in powers of 1024 and rejects nonsense', () => {
    expect(byteSize('max-memory', '512M')).toBe(512n * 2n ** 20n);
    expect(byteSize('max-memory', '1.5G')).toBe(3n * 2n ** 29n);
    expect(byteSize('max-memory', '2048')).toBe(2048n);
    const bad = seprof(['--channels', '16', '--max-memory', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("seprof: --max-memory takes a size such as 512M or 2G; got 'lots'\n");
  });
});
