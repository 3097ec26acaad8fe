// The measured path: SE runs in tfjs and the executed kernels must give the analytic ops.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { seGrid, seSpec } from './support/grid';

const grid = seGrid({
  channels: [1, 4, 12, 32],
  reduction: [1, 2, 4, 16],
  height: [1, 3, 5],
  width: [2, 5],
  batch: [1, 3],
  bias: [false, true],
});

const once = { backend: 'wasm' } as const;

describe('SE: analytic equals measured on every layer', () => {
  it('covers a grid of at least 200 cases', () => {
    expect(grid.length).toBeGreaterThanOrEqual(200);
  });

  it('agrees on every case of the grid', async () => {
    const failures: string[] = [];
    for (const spec of grid) {
      const measured = await measure(spec, once);
      const check = compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer));
      if (check.status !== 'match' || measured.unrecognised.length > 0) {
        failures.push(`${JSON.stringify(spec)}: ${JSON.stringify(check.mismatches)} ${measured.unrecognised.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('measures the published SEAttention(512, r=8) figures from the executed kernels alone', async () => {
    const measured = await measure(seSpec({ channels: 512, reduction: 8, height: 7, width: 7, batch: 1, bias: false }), once);
    const totals = totalsOf(measured.ops.map(countLayer));
    expect(measured.backend.name).toBe('wasm');
    expect(totals.params).toBe(65_536n);
    expect(totals.counts['thop']).toBe(91_136n);
    expect(measured.ops.map((op) => op.kind)).toEqual(['global_avg_pool', 'linear', 'relu', 'linear', 'sigmoid', 'scale']);
  });

  it('sees the FC biases tfjs allocated', async () => {
    const measured = await measure(seSpec({ channels: 64, reduction: 4, height: 7, width: 7, batch: 1, bias: true }), once);
    expect(totalsOf(measured.ops.map(countLayer)).params).toBe(2n * 64n * 16n + 16n + 64n);
    expect(measured.ops.filter((op) => op.kind === 'linear').map((op) => op.attrs.bias)).toEqual([true, true]);
  });

  it('runs the cpu backend as well', async () => {
    const measured = await measure(seSpec({ channels: 8, reduction: 2, height: 3, width: 3, batch: 2, bias: false }), {
      ...once,
      backend: 'cpu',
    });
    expect(measured.backend.name).toBe('cpu');
    expect(
      compareLayers(
        analyticOps(seSpec({ channels: 8, reduction: 2, height: 3, width: 3, batch: 2, bias: false })).map(countLayer),
        measured.ops.map(countLayer),
      ).status,
    ).toBe('match');
  });
});
