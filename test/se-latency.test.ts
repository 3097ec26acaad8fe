// --se-latency's arithmetic on a fake clock: the interleaving of the model and its twin, the
// budgets, the paired-ratio interval, and SE's share of layer-by-layer passes. No wall time.
import { describe, expect, it } from 'vitest';
import { bootstrapInterval, medianBoundRank, medianInterval, overlaps, seededRandom } from '../src/analyzers/measured/interval';
import { MIN_ROUNDS, pairedCost, roundOrder, timePaired, type Side } from '../src/analyzers/measured/paired';
import type { LayerCounts } from '../src/analyzers/count';
import { seOpsByBlock, seTimeShare } from '../src/analyzers/se-time';
import { compareReports, EXACT, parseTolerance } from '../src/report/compare/compare';
import { readReport, type Bounds, type ReadCase } from '../src/report/report/document';

/** A clock that moves only when a run says so; each run logs its side and advances by its cost. */
function fakeRuns(cost: (side: Side, run: number) => number): { log: Side[]; now: () => number; run: Record<Side, () => void> } {
  let t = 1000;
  const log: Side[] = [];
  const step = (side: Side) => () => {
    t += cost(side, log.length);
    log.push(side);
  };
  return { log, now: () => t, run: { se: step('se'), plain: step('plain') } };
}

describe('interleaving', () => {
  it('alternates which model goes first, ABBA, across warm-up and timed rounds', () => {
    const fake = fakeRuns((side) => (side === 'se' ? 3 : 2));
    const samples = timePaired(fake.run, { rounds: 4, warmup: 3 }, fake.now);
    // 3 warm-up rounds then 4 timed: round i runs SE first when i is even.
    expect(fake.log.join(' ')).toBe(['se plain', 'plain se', 'se plain', 'plain se', 'se plain', 'plain se', 'se plain'].join(' '));
    expect(samples).toEqual({ se: [3, 3, 3, 3], plain: [2, 2, 2, 2], warmup: 3 });
    expect([0, 1, 2, 3].map(roundOrder).filter(([first]) => first === 'se')).toHaveLength(2);
  });

  it('pairs each run with its own round, so a drift over time cancels in the ratio', () => {
    // Every run is slower than the one before (a machine getting busier): run k costs 10 + k, SE twice that.
    const fake = fakeRuns((side, k) => (side === 'se' ? 2 : 1) * (10 + k));
    const { se, plain } = timePaired(fake.run, { rounds: 2, warmup: 0 }, fake.now);
    // Round 0: se is run 0 (20), plain run 1 (11); round 1: plain run 2 (12), se run 3 (26).
    expect(se).toEqual([20, 26]);
    expect(plain).toEqual([11, 12]);
  });

  it('stops at the budget, after at least MIN_ROUNDS timed rounds and one warm-up round', () => {
    const fake = fakeRuns((side) => (side === 'se' ? 3 : 2)); // 5 ms a round
    const few = timePaired(fake.run, { rounds: 100, warmup: 100, roundsBudgetMs: 1, warmupBudgetMs: 1 }, fake.now);
    expect([few.se.length, few.warmup]).toEqual([MIN_ROUNDS, 1]);
    const budgeted = timePaired(fake.run, { rounds: 100, warmup: 100, roundsBudgetMs: 40, warmupBudgetMs: 12 }, fake.now);
    // Rounds go on while less than the budget is spent: 8 rounds make 40 ms, 3 warm-up rounds 15.
    expect([budgeted.se.length, budgeted.warmup]).toEqual([8, 3]);
  });
});

describe('interval arithmetic', () => {
  it("a median's 95% interval is bounded by the sign test's order statistics", () => {
    // Published tables of the sign test's interval for a median (e.g. Conover, Practical
    // Nonparametric Statistics, table A3): n = 6: x(1)..x(6); 10: x(2)..x(9); 20: x(6)..x(15);
    // 100: x(40)..x(61). Below 6 no pair of order statistics covers 95%.
    expect([5, 6, 10, 20, 100].map(medianBoundRank)).toEqual([0, 1, 2, 6, 40]);
    // Past 2^-1074 the tail is summed in logs: n = 2000 gives 2000 / 2 - 1.96 * sqrt(2000) / 2 - 1/2, about 956.
    expect(medianBoundRank(2000)).toBeGreaterThanOrEqual(955);
    expect(medianBoundRank(2000)).toBeLessThanOrEqual(957);
    const i = medianInterval([9, 1, 8, 2, 7, 3, 6, 4, 5, 10]);
    expect(i).toEqual({ value: 5.5, low: 2, high: 9, n: 10 });
    expect(medianInterval([1, 2, 3, 4, 5]).low).toBeNaN();
  });

  it("SE adds: the median of the rounds' ratios, with its interval, and in ms on the twin's median", () => {
    // Ten rounds, SE's ratios 1.01 to 1.10 in some order: median 1.055, interval x(2) to x(9) = 1.02 to 1.09.
    const plain = [10, 20, 40, 10, 20, 40, 10, 20, 40, 30];
    const factors = [1.05, 1.1, 1.01, 1.03, 1.08, 1.02, 1.09, 1.04, 1.07, 1.06];
    const cost = pairedCost({ se: plain.map((ms, i) => ms * (factors[i] ?? 0)), plain, warmup: 0 });
    expect(cost.addsRatio.value).toBeCloseTo(0.055, 12);
    expect(cost.addsRatio.low).toBeCloseTo(0.02, 12);
    expect(cost.addsRatio.high).toBeCloseTo(0.09, 12);
    // The twin's median is 20 ms: SE adds 1.1 ms, 0.4 to 1.8 ms.
    expect(cost.addsMs.value).toBeCloseTo(1.1, 9);
    expect([cost.addsMs.low, cost.addsMs.high].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0.4, 1.8]);
    expect([cost.withSe.runs, cost.withoutSe.medianMs]).toEqual([10, 20]);
  });

  it('neither a busier machine in some rounds nor one paused run moves it', () => {
    // SE costs 5% in every round; rounds 2 and 4 ran on a machine three times as busy; round 5's SE run was paused 100 ms.
    const plain = [10, 30, 10, 30, 10, 10, 10];
    const se = plain.map((ms) => ms * 1.05);
    se[4] = 110.5;
    const cost = pairedCost({ se, plain, warmup: 0 });
    expect(cost.addsRatio.value).toBeCloseTo(0.05, 12);
    expect(cost.addsRatio.low).toBeCloseTo(0.05, 12);
  });

  it('a percentile bootstrap resamples with the random source it is given', () => {
    const samples = [4, 1, 3, 2, 6, 5];
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    // A source that always draws the first sample: every resample is [4, 4, 4, 4, 4, 4].
    expect(bootstrapInterval(samples, mean, () => 0, 50)).toEqual({ value: 3.5, low: 4, high: 4, n: 6 });
    // One that draws them in turn: every resample is the sample itself.
    let k = 0;
    expect(bootstrapInterval(samples, mean, () => (k++ % 6) / 6 + 0.01, 50)).toEqual({ value: 3.5, low: 3.5, high: 3.5, n: 6 });
    const seeded = bootstrapInterval(samples, mean, seededRandom(1));
    expect(seeded).toEqual(bootstrapInterval(samples, mean, seededRandom(1)));
    expect(seeded.low).toBeLessThan(3.5);
    expect(seeded.high).toBeGreaterThan(3.5);
    expect(bootstrapInterval(samples.slice(1), mean, () => 0).low).toBeNaN();
  });

  it('intervals are compared, not points', () => {
    expect(overlaps({ low: 1, high: 3 }, { low: 2.5, high: 4 })).toBe(true);
    expect(overlaps({ low: 1, high: 2 }, { low: 2.5, high: 4 })).toBe(false);
  });
});

describe("SE's share of the time", () => {
  const op = (name: string, kind: string, flops: bigint): LayerCounts => ({ op: { name, kind }, counts: { flops } }) as unknown as LayerCounts;
  const layers = [
    op('conv1', 'conv2d', 4_000_000n),
    op('a.se.squeeze', 'global_avg_pool', 1000n),
    op('a.se.scale', 'scale', 1000n),
    op('conv2', 'conv2d', 4_000_000n),
    op('b.se.squeeze', 'global_avg_pool', 3000n),
    op('b.se.scale', 'scale', 3000n),
  ];

  it('finds SE blocks as the runs of ops the twin lacks, one module path each', () => {
    const blocks = seOpsByBlock(
      layers.map((l) => l.op.name),
      new Set(['conv1', 'conv2']),
    );
    expect(blocks).toEqual([
      { name: 'a.se', ops: ['a.se.squeeze', 'a.se.scale'] },
      { name: 'b.se', ops: ['b.se.squeeze', 'b.se.scale'] },
    ]);
    expect(seOpsByBlock(['squeeze', 'fc1'], new Set())).toEqual([{ name: 'se', ops: ['squeeze', 'fc1'] }]);
  });

  it('shares per pass with their interval, per block, and GFLOP/s beside the convs', () => {
    const blocks = seOpsByBlock(
      layers.map((l) => l.op.name),
      new Set(['conv1', 'conv2']),
    );
    // Per layer, the median of its two passes: convs 3.375 ms each, a's layers 0.5 and 0.5, b's 0.75 and 0.5: 9 ms in all, SE 2.25.
    const passes = [
      { conv1: 3, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3, 'b.se.squeeze': 0.5, 'b.se.scale': 0.5 },
      { conv1: 3.75, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3.75, 'b.se.squeeze': 1, 'b.se.scale': 0.5 },
    ].map((pass) => new Map(Object.entries(pass)));
    const share = seTimeShare(layers, blocks, passes);
    // 2.25 / 9 (two passes bound no interval).
    expect(share.share.value).toBeCloseTo(0.25, 12);
    expect(share.share.n).toBe(2);
    // Block a: 1 ms of 9; 2000 flops in 1 ms = 0.002 GFLOP/s.
    expect(share.blocks[0]).toMatchObject({ name: 'a.se', ms: 1, flops: 2000n });
    expect(share.blocks[0]?.share).toBeCloseTo(1 / 9, 12);
    expect(share.blocks[0]?.gflops).toBeCloseTo(0.002, 12);
    // Block b: 0.75 + 0.5 ms; convs 8e6 flops in 6.75 ms.
    expect(share.blocks[1]?.ms).toBe(1.25);
    expect(share.convGflops).toBeCloseTo(8e6 / 6.75 / 1e6, 12);
    expect(share.seGflops).toBeCloseTo(8000 / 2.25 / 1e6, 12);
  });

  it('a pause in one layer of one pass moves neither the share nor its interval', () => {
    const blocks = seOpsByBlock(
      layers.map((l) => l.op.name),
      new Set(['conv1', 'conv2']),
    );
    const pass = { conv1: 3, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3, 'b.se.squeeze': 0.5, 'b.se.scale': 0.5 };
    const passes = Array.from({ length: 8 }, (_, i) => new Map(Object.entries(i === 3 ? { ...pass, 'b.se.scale': 40 } : pass)));
    const share = seTimeShare(layers, blocks, passes);
    expect(share.share.value).toBeCloseTo(0.25, 12);
    // A resample that draws the paused pass four times or more of eight moves b.se.scale's median: rare enough to stay outside 95%.
    expect([share.share.low, share.share.high].map((x) => Math.round(x * 1e12) / 1e12)).toEqual([0.25, 0.25]);
  });
});

describe('compare: SE time as intervals', () => {
  const one = (adds: Bounds, share: Bounds): { label: string; cases: ReadCase[] } => ({
    label: 'r',
    cases: [
      {
        name: 'net',
        spec: '{}',
        specFields: new Map(),
        quantities: new Map([['params', 10n]]),
        check: 'match',
        latencyMs: null,
        seBlocks: 1,
        se: { adds, share },
      },
    ],
  });
  const base = one({ value: 0.05, low: 0.03, high: 0.07 }, { value: 0.1, low: 0.09, high: 0.11 });
  const status = (next: ReturnType<typeof one>, tolerance?: string) =>
    compareReports(base, next, { tolerance: EXACT, seLatencyTolerance: tolerance === undefined ? undefined : parseTolerance('t', tolerance) })
      .deltas.filter((d) => d.quantity.startsWith('SE'))
      .map((d) => [d.quantity, d.status, d.fails]);

  it('overlapping intervals are the same within noise, whatever their points', () => {
    // The point moved from 5% to 6.9%, inside both intervals.
    expect(status(one({ value: 0.069, low: 0.06, high: 0.08 }, { value: 0.1, low: 0.09, high: 0.11 }), '0')).toEqual([
      ['SE adds %', 'within noise', false],
      ['SE time share', 'within noise', false],
    ]);
  });

  it('intervals apart are reported, and fail only above the base by more than the tolerance', () => {
    const slower = one({ value: 0.12, low: 0.1, high: 0.14 }, { value: 0.1, low: 0.09, high: 0.11 });
    expect(status(slower)[0]).toEqual(['SE adds %', 'apart', false]);
    // Low bound 0.10 against the base's high 0.07: 3 points above. 2% fails, 5% does not.
    expect(status(slower, '2%')[0]).toEqual(['SE adds %', 'slower', true]);
    expect(status(slower, '5%')[0]).toEqual(['SE adds %', 'apart', false]);
    // The case's sentence says it: 5% to 12% is 7 points.
    expect(compareReports(base, slower, { tolerance: EXACT }).summaries).toEqual([{ case: 'net', text: 'SE adds % +7.00 pt', fails: false }]);
    // Faster never fails.
    expect(status(one({ value: 0.01, low: 0, high: 0.02 }, { value: 0.1, low: 0.09, high: 0.11 }), '0')[0]).toEqual(['SE adds %', 'apart', false]);
    // Unknown bounds (fewer than 6 rounds) say nothing.
    expect(status(one({ value: 0.5, low: Number.NaN, high: Number.NaN }, { value: 0.1, low: 0.09, high: 0.11 }), '0')[0]).toEqual([
      'SE adds %',
      'reported',
      false,
    ]);
  });

  it('refuses a tolerance with no SE latency to check', () => {
    const untimed = { label: 'r', cases: one({ value: 0, low: 0, high: 0 }, { value: 0, low: 0, high: 0 }).cases.map((c) => ({ ...c, se: null })) };
    expect(() => compareReports(untimed, untimed, { tolerance: EXACT, seLatencyTolerance: parseTolerance('t', '1%') })).toThrow(
      /SE latency tolerance 1% would check nothing/,
    );
  });

  it('reads seLatency from report.json, null bounds as unknown, and refuses a malformed one', () => {
    const doc = (seLatency: unknown): string =>
      JSON.stringify({
        schema: 'seprof-report',
        schemaVersion: 1,
        cases: [{ name: 'c', spec: {}, params: 1, buffers: 0, counts: {}, check: { status: 'match' }, latency: null, seLatency }],
      });
    const interval = (value: number, low: number | null, high: number | null) => ({ value, low, high, n: 6 });
    const read = readReport(doc({ addsRatio: interval(0.1, 0.05, null), layers: { share: interval(0.2, 0.1, 0.3) } }), 'r').cases[0];
    expect(read?.se?.adds.value).toBe(0.1);
    expect(read?.se?.adds.high).toBeNaN();
    expect(readReport(doc({ skipped: 'no SE-free twin' }), 'r').cases[0]?.se).toBeNull();
    expect(() => readReport(doc({ addsRatio: 'fast' }), 'r')).toThrow(/r: case 'c': has a malformed seLatency/);
  });
});
