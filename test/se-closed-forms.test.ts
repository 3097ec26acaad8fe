// The closed forms of docs/conventions.md against the summed op counts, and per-op rules by hand.
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { analyticBackward, trainingOf } from '../src/analyzers/backward/training';
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

describe('SE closed forms (docs/conventions.md)', () => {
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
    expect(totals.counts['flops']).toBe(B * C * S + 4n * B * C * m + (bias ? B * (m + C) : 0n) + B * m + 4n * B * C + B * C * S);
    expect(totals.counts['senet']).toBe(2n * B * C * S + 2n * B * C * m);
  });
});

describe('SE per op, every convention (docs/conventions.md rules by hand)', () => {
  it.each(grid.map((spec) => [JSON.stringify(spec), spec] as const))('%s', (_, spec) => {
    const B = BigInt(spec.batch);
    const C = BigInt(spec.input.channels);
    const S = BigInt(spec.input.height * spec.input.width);
    const m = C / BigInt(spec.reduction);
    const b = spec.bias ? 1n : 0n;
    const counts = Object.fromEntries(
      analyticOps(spec)
        .map(countLayer)
        .map((l) => [l.op.name, l.counts]),
    );
    // [thop, fvcore, ptflops, ptflops-aten, macs, flops] per op; ptflops module hooks are per image.
    const expected: Record<string, bigint[]> = {
      squeeze: [B * C * (S + 1n), B * C * S, C * S + B * C * S, 0n, 0n, B * C * S],
      fc1: [B * C * m, B * C * m, C * m + b * m, B * C * m + b * B * m, B * C * m, 2n * B * C * m + b * B * m],
      relu: [0n, 0n, m + B * m, 0n, 0n, B * m],
      fc2: [B * m * C, B * m * C, m * C + b * C, B * m * C + b * B * C, B * m * C, 2n * B * m * C + b * B * C],
      sigmoid: [0n, 0n, 0n, 0n, 0n, 4n * B * C],
      scale: [0n, 0n, 0n, 0n, 0n, B * C * S],
    };
    for (const [name, values] of Object.entries(expected)) {
      const keys = ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops'] as const;
      expect(keys.map((k) => counts[name]?.[k])).toEqual(values);
    }
  });
});

describe('SE backward closed forms (--training)', () => {
  it.each(grid.map((spec) => [JSON.stringify(spec), spec] as const))('%s', (_, spec) => {
    const B = BigInt(spec.batch);
    const C = BigInt(spec.input.channels);
    const S = BigInt(spec.input.height * spec.input.width);
    const m = C / BigInt(spec.reduction);
    const layers = analyticOps(spec).map(countLayer);
    const training = trainingOf(totalsOf(layers), analyticBackward(layers));
    const rows = Object.fromEntries(training.rows.map((row) => [row.name, row.counts['flops']]));
    // flops: squeeze broadcast + divide 2*B*C*S; each FC 4*B*C*m (+ (B-1)*out bias sums);
    // relu 2*B*m; sigmoid 3*B*C; scale 3*B*C*S - B*C; x is read twice: B*C*S to add its gradients.
    expect(rows).toEqual({
      squeeze: 2n * B * C * S,
      fc1: 4n * B * C * m + (spec.bias ? (B - 1n) * m : 0n),
      relu: 2n * B * m,
      fc2: 4n * B * C * m + (spec.bias ? (B - 1n) * C : 0n),
      sigmoid: 3n * B * C,
      scale: 3n * B * C * S - B * C,
      '(gradient sums)': B * C * S,
    });
    expect(training.backward['flops']).toBe(6n * B * C * S + 8n * B * C * m + 2n * B * m + 2n * B * C + (spec.bias ? (B - 1n) * (m + C) : 0n));
    expect(training.backward['macs']).toBe(4n * B * C * m);
    expect(training.total['macs']).toBe(6n * B * C * m);
    expect(training.backward).not.toHaveProperty('thop');
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
