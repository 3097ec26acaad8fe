// --se-latency's arithmetic on a fake clock: the interleaving of the model and its twin, the
// budgets, the paired-ratio interval, and SE's share of layer-by-layer passes. No wall time.
import { describe, expect, it } from 'vitest';
import { meanInterval, overlaps, t975 } from '../src/analyzers/measured/interval';
import { MIN_ROUNDS, pairedCost, roundOrder, timePaired, type Side } from '../src/analyzers/measured/paired';
import type { LayerCounts } from '../src/analyzers/count';
import { seOpsByBlock, seTimeShare } from '../src/analyzers/se-time';

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
  it("t(0.975, df) is the published table's", () => {
    // Student's t, two-sided 95% (any statistics table): 12.706, 4.303, 2.571, 2.228, 2.042, 2.021, 2.000, 1.980, 1.960.
    const published: [number, number][] = [[1, 12.706], [2, 4.303], [5, 2.571], [10, 2.228], [30, 2.042], [40, 2.021], [60, 2.0], [120, 1.98], [1e6, 1.96]];
    for (const [df, t] of published) expect(t975(df)).toBeCloseTo(t, 3);
    expect(t975(0)).toBeNaN();
  });

  it('a mean with its t-interval', () => {
    // 1..5: mean 3, sample variance 2.5, half-width t(4) * sqrt(2.5 / 5) = 2.776 * 0.7071 = 1.963.
    const i = meanInterval([1, 2, 3, 4, 5]);
    expect(i.mean).toBe(3);
    expect(i.high - i.mean).toBeCloseTo(1.963, 3);
    expect(i.mean - i.low).toBeCloseTo(1.963, 3);
    expect(meanInterval([7]).low).toBeNaN();
  });

  it("SE adds: the geometric mean of the rounds' ratios, the interval of their logs mapped back", () => {
    // Ratios e^0.1, e^0.2, e^0.3: logs with mean 0.2 and standard deviation 0.1, so the interval is
    // 0.2 -/+ t(2) 4.303 * 0.1 / sqrt(3) = 0.2 -/+ 0.2484 in logs.
    const plain = [10, 20, 40];
    const se = plain.map((ms, i) => ms * Math.exp(0.1 * (i + 1)));
    const cost = pairedCost({ se, plain, warmup: 0 });
    expect(cost.addsRatio.mean).toBeCloseTo(Math.exp(0.2) - 1, 9);
    expect(cost.addsRatio.low).toBeCloseTo(Math.exp(0.2 - 0.2484) - 1, 3);
    expect(cost.addsRatio.high).toBeCloseTo(Math.exp(0.2 + 0.2484) - 1, 3);
    // In ms: the ratio on the twin's median, 20 ms.
    expect(cost.addsMs.mean).toBeCloseTo(20 * (Math.exp(0.2) - 1), 9);
    expect(cost.addsMs.high).toBeCloseTo(20 * (Math.exp(0.4484) - 1), 2);
    expect([cost.withSe.runs, cost.withoutSe.medianMs]).toEqual([3, 20]);
  });

  it('a machine slower in some rounds moves neither the ratio nor its interval', () => {
    // SE costs 5% in every round; rounds 2 and 4 ran on a machine three times as busy.
    const plain = [10, 30, 10, 30, 10];
    const cost = pairedCost({ se: plain.map((ms) => ms * 1.05), plain, warmup: 0 });
    expect(cost.addsRatio.mean).toBeCloseTo(0.05, 12);
    expect(cost.addsRatio.high - cost.addsRatio.low).toBeCloseTo(0, 12);
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
    const blocks = seOpsByBlock(layers.map((l) => l.op.name), new Set(['conv1', 'conv2']));
    expect(blocks).toEqual([
      { name: 'a.se', ops: ['a.se.squeeze', 'a.se.scale'] },
      { name: 'b.se', ops: ['b.se.squeeze', 'b.se.scale'] },
    ]);
    expect(seOpsByBlock(['squeeze', 'fc1'], new Set())).toEqual([{ name: 'se', ops: ['squeeze', 'fc1'] }]);
  });

  it('shares per pass with their interval, per block, and GFLOP/s beside the convs', () => {
    const blocks = seOpsByBlock(layers.map((l) => l.op.name), new Set(['conv1', 'conv2']));
    // Pass 1: 8 ms in all, SE 2 (a 0.5 + 0.5, b 0.5 + 0.5); pass 2: 10 ms, SE 2.5 (a 1, b 1.5).
    const passes = [
      { conv1: 3, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3, 'b.se.squeeze': 0.5, 'b.se.scale': 0.5 },
      { conv1: 3.75, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3.75, 'b.se.squeeze': 1, 'b.se.scale': 0.5 },
    ];
    const share = seTimeShare(layers, blocks, passes);
    // Shares 0.25 and 0.25: mean 0.25, no spread.
    expect(share.share.mean).toBeCloseTo(0.25, 12);
    expect(share.share.high - share.share.low).toBeCloseTo(0, 12);
    // Block a: 1 ms both passes, of a median total of 9 ms; 2000 flops in 1 ms = 0.002 GFLOP/s.
    expect(share.blocks[0]).toMatchObject({ name: 'a.se', ms: 1, flops: 2000n });
    expect(share.blocks[0]?.share).toBeCloseTo(1 / 9, 12);
    expect(share.blocks[0]?.gflops).toBeCloseTo(0.002, 12);
    // Block b: median of 1 and 1.5 ms; convs 8e6 flops in a median 6.75 ms.
    expect(share.blocks[1]?.ms).toBe(1.25);
    expect(share.convGflops).toBeCloseTo(8e6 / 6.75 / 1e6, 12);
    expect(share.seGflops).toBeCloseTo(8000 / 2.25 / 1e6, 12);
  });
});
