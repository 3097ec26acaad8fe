// The closed forms of conventions.md against the summed op counts, and per-op rules by hand.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { countLayer, totalsOf } from '../src/analyzers/count';
import { seGrid, seSpec } from './support/grid';

const grid = seGrid({
  channels: [1, 3, 16, 64, 96, 512, 2048],
  reduction: [1, 2, 3, 4, 8, 16, 32],
  height: [1, 7, 14],
  width: [7, 9],
  batch: [1, 2, 5],
  bias: [false, true],
});

describe('SE closed forms (conventions.md)', () => {
  it('covers a grid of at least 200 cases', () => {
    expect(grid.length).toBeGreaterThanOrEqual(200);
  });

  it.each(grid.map((spec) => [JSON.stringify(spec), spec] as const))('%s', (_, spec) => {
    const B = BigInt(spec.batch);
    const C = BigInt(spec.input.channels);
    const S = BigInt(spec.input.height * spec.input.width);
    const m = C / BigInt(spec.reduction); // bigint division floors
    const bias = spec.bias;
    const totals = totalsOf(analyticOps(spec).map(countLayer));

    expect(totals.params).toBe(2n * C * m + (bias ? m + C : 0n));
    expect(totals.buffers).toBe(0n);
    expect(totals.counts['thop']).toBe(B * C * (S + 1n) + 2n * B * C * m);
    expect(totals.counts['fvcore']).toBe(B * C * S + 2n * B * C * m);
    expect(totals.counts['ptflops']).toBe(C * S + 2n * C * m + m + B * (C * S + m) + (bias ? m + C : 0n));
    expect(totals.counts['ptflops-aten']).toBe(2n * B * C * m + (bias ? B * (m + C) : 0n));
    expect(totals.counts['macs']).toBe(2n * B * C * m);
    // flops: pool B*C*S, two FCs 2*(2*B*C*m) (+ B*m + B*C bias adds), relu B*m,
    // sigmoid 4*B*C, scale B*C*S.
    expect(totals.counts['flops']).toBe(
      B * C * S + 4n * B * C * m + (bias ? B * (m + C) : 0n) + B * m + 4n * B * C + B * C * S,
    );
    expect(totals.counts['senet']).toBe(2n * B * C * S + 2n * B * C * m);
  });
});

describe('SEAttention(512, r=8) on 1x512x7x7, by hand', () => {
  const layers = analyticOps(seSpec({ channels: 512, reduction: 8, height: 7, width: 7, batch: 1, bias: false })).map(countLayer);
  const byName = Object.fromEntries(layers.map((l) => [l.op.name, l]));

  it('has the six PyTorch modules in order', () => {
    expect(layers.map((l) => l.op.name)).toEqual(['squeeze', 'fc1', 'relu', 'fc2', 'sigmoid', 'scale']);
  });

  it("matches thop's published 91,136 MACs and 65,536 params", () => {
    const totals = totalsOf(layers);
    expect(totals.counts['thop']).toBe(91_136n);
    expect(totals.params).toBe(65_536n);
  });

  it('counts each layer as thop does', () => {
    expect(byName['squeeze']?.counts['thop']).toBe(512n * (49n + 1n)); // (H*W + 1) * numel(out)
    expect(byName['fc1']?.counts['thop']).toBe(512n * 64n);
    expect(byName['fc2']?.counts['thop']).toBe(64n * 512n);
    expect(byName['sigmoid']?.counts['thop']).toBe(0n);
    expect(byName['scale']?.counts['thop']).toBe(0n);
  });

  it('counts every arithmetic operation under flops', () => {
    expect(byName['squeeze']?.counts['flops']).toBe(512n * 49n);
    expect(byName['relu']?.counts['flops']).toBe(64n);
    expect(byName['sigmoid']?.counts['flops']).toBe(4n * 512n);
    expect(byName['scale']?.counts['flops']).toBe(512n * 49n);
    expect(totalsOf(layers).counts['flops']).toBe(25_088n + 65_536n + 64n + 65_536n + 2_048n + 25_088n);
  });

  it('reports NCHW output shapes', () => {
    expect(byName['squeeze']?.op.outputShape).toEqual([1, 512, 1, 1]);
    expect(byName['fc1']?.op.outputShape).toEqual([1, 64]);
    expect(byName['scale']?.op.outputShape).toEqual([1, 512, 7, 7]);
  });
});
