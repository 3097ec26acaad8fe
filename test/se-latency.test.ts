// --se-latency's arithmetic on a fake clock: the interleaving of the model and its twin, the
// budgets, the paired-ratio interval within a process and over processes, and SE's share of
// layer-by-layer passes. No wall time.
import { describe, expect, it } from 'vitest';
import { meanInterval, medianBoundRank, medianInterval, overlaps, tQuantile95 } from '../src/analyzers/measured/interval';
import { MIN_ROUNDS, pairedCost, processCost, roundOrder, timePaired, type PairedSamples, type Side } from '../src/analyzers/measured/paired';
import type { LayerCounts } from '../src/analyzers/count';
import { seOpsByBlock, seTimeShare } from '../src/analyzers/se-time';
import { compareReports, EXACT, parseTolerance } from '../src/report/compare/compare';
import { readReport, type Bounds, type ReadCase } from '../src/report/report/document';

/** mulberry32: a small seeded generator, so that a simulation is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

  it("shifts the order by the plan's offset", () => {
    const fake = fakeRuns((side) => (side === 'se' ? 3 : 2));
    const samples = timePaired(fake.run, { rounds: 2, warmup: 1, offset: 1 }, fake.now);
    // Offset 1: the first round runs the twin first, then they alternate.
    expect(fake.log.join(' ')).toBe('plain se se plain plain se');
    expect(samples).toEqual({ se: [3, 3], plain: [2, 2], warmup: 1 });
  });

  it('stops at the budget, after at least MIN_ROUNDS timed rounds and one warm-up round', () => {
    const fake = fakeRuns((side) => (side === 'se' ? 3 : 2)); // 5 ms a round
    const few = timePaired(fake.run, { rounds: 100, warmup: 100, roundsBudgetMs: 1, warmupBudgetMs: 1 }, fake.now);
    expect([few.se.length, few.warmup]).toEqual([MIN_ROUNDS, 1]);
    const budgeted = timePaired(fake.run, { rounds: 100, warmup: 100, roundsBudgetMs: 40, warmupBudgetMs: 12 }, fake.now);
    // Rounds go on while less than the budget is spent: 8 rounds make 40 ms, 3 warm-up rounds 15.
    expect([budgeted.se.length, budgeted.warmup]).toEqual([8, 3]);
    // A fresh process warms up for at least minWarmup rounds, whatever the budget.
    expect(timePaired(fake.run, { rounds: 6, warmup: 10, warmupBudgetMs: 1, minWarmup: 3 }, fake.now).warmup).toBe(3);
  });
  it('times the runs by one clock and spends the budgets by the wall clock', () => {
    // The process gets the core half the time: a run's CPU time is half its wall time.
    const fake = fakeRuns((side) => (side === 'se' ? 6 : 4)); // wall ms: 10 a round
    const cpu = (): number => fake.now() / 2;
    const samples = timePaired(fake.run, { rounds: 100, warmup: 0, roundsBudgetMs: 40, minRounds: 1 }, cpu, { wallNow: fake.now });
    // 40 wall ms make 4 rounds (CPU time would have allowed 8), each run timed at half its wall time.
    expect(samples).toEqual({ se: [3, 3, 3, 3], plain: [2, 2, 2, 2], warmup: 0 });
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

  it("within a process: the median of the rounds' ratios, with the sign test's interval", () => {
    // Ten rounds, SE's ratios 1.01 to 1.10 in some order: median 1.055, interval x(2) to x(9) = 1.02 to 1.09.
    const plain = [10, 20, 40, 10, 20, 40, 10, 20, 40, 30];
    const factors = [1.05, 1.1, 1.01, 1.03, 1.08, 1.02, 1.09, 1.04, 1.07, 1.06];
    const one = processCost({ se: plain.map((ms, i) => ms * (factors[i] ?? 0)), plain, warmup: 2 });
    expect([one.rounds, one.warmup, one.addsRatio.n]).toEqual([10, 2, 10]);
    expect(one.addsRatio.value).toBeCloseTo(0.055, 12);
    expect(one.addsRatio.low).toBeCloseTo(0.02, 12);
    expect(one.addsRatio.high).toBeCloseTo(0.09, 12);
  });

  it("neither a busier machine in some rounds nor one paused run moves a process's median", () => {
    // SE costs 5% in every round; rounds 2 and 4 ran on a machine three times as busy; round 5's SE run was paused 100 ms.
    const plain = [10, 30, 10, 30, 10, 10, 10];
    const se = plain.map((ms) => ms * 1.05);
    se[4] = 110.5;
    const one = processCost({ se, plain, warmup: 0 });
    expect(one.addsRatio.value).toBeCloseTo(0.05, 12);
    expect(one.addsRatio.low).toBeCloseTo(0.05, 12);
  });

  it("Student's t quantile from its series, against the published table", () => {
    // t(0.975) from any table (e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.2): df 1, 2, 5, 10, 30, 100.
    expect([1, 2, 5, 10, 30, 100].map((df) => Math.round(tQuantile95(df) * 1000) / 1000)).toEqual([12.706, 4.303, 2.571, 2.228, 2.042, 1.984]);
    // Large df tends to the normal's 1.95996.
    expect(tQuantile95(100_000)).toBeCloseTo(1.96, 3);
    // 1, 2, 3, 4, 5: mean 3, s = sqrt(2.5), half width 2.776 * sqrt(2.5 / 5) = 1.963.
    const i = meanInterval([1, 2, 3, 4, 5]);
    expect(i.value).toBe(3);
    expect(i.high - i.value).toBeCloseTo(2.7764451 * Math.sqrt(0.5), 6);
    expect(i.value - i.low).toBeCloseTo(i.high - i.value, 12);
    expect(meanInterval([7]).low).toBeNaN();
  });

  it("over processes: the geometric mean of the processes' medians, a t-interval, and ms on the twin's median", () => {
    // Three processes whose rounds say SE adds 4%, 5% and 6%; their logs' mean is the log of the geometric mean.
    const process = (ratio: number, plain: number[]): PairedSamples => ({ se: plain.map((ms) => ms * ratio), plain, warmup: 1 });
    const cost = pairedCost([process(1.04, [10, 20, 30]), process(1.05, [20, 20, 20]), process(1.06, [20, 30, 40])]);
    const logs = [1.04, 1.05, 1.06].map(Math.log);
    const mean = (logs[0]! + logs[1]! + logs[2]!) / 3;
    const s = Math.sqrt(logs.reduce((a, l) => a + (l - mean) ** 2, 0) / 2);
    expect(cost.addsRatio.value).toBeCloseTo(Math.cbrt(1.04 * 1.05 * 1.06) - 1, 12);
    expect(cost.addsRatio.low).toBeCloseTo(Math.exp(mean - (4.302653 * s) / Math.sqrt(3)) - 1, 6);
    expect(cost.addsRatio.high).toBeCloseTo(Math.exp(mean + (4.302653 * s) / Math.sqrt(3)) - 1, 6);
    expect(cost.addsRatio.n).toBe(3);
    // The twin's runs pooled: 10, 20 x 5, 30 x 2, 40: median 20 ms, so SE adds about 1 ms.
    expect(cost.withoutSe.medianMs).toBe(20);
    expect(cost.addsMs.value).toBeCloseTo(20 * cost.addsRatio.value, 12);
    expect([cost.withSe.runs, cost.withSe.warmup]).toEqual([9, 3]);
  });

  it('with a per-process offset on the fake clock, the interval widens to cover it', () => {
    // Each process draws its own layout: SE costs 5% there times an offset of -3% to +3%, and
    // every round of that process agrees closely (a 0.2% jitter), as rounds on one heap do.
    const offsets = [0.97, 1.03, 0.99, 1.02, 0.98, 1.01];
    const processes = offsets.map((offset, p) => {
      const fake = fakeRuns((side, k) => (side === 'se' ? 1.05 * offset * (1 + 0.002 * Math.sin(k + p)) : 1) * 100);
      return timePaired(fake.run, { rounds: 30, warmup: 2 }, fake.now);
    });
    // Each process alone states a narrow interval that misses the machine's 5% (1.05 x the offsets' geometric mean).
    const truth = 1.05 * Math.exp(offsets.reduce((a, o) => a + Math.log(o), 0) / offsets.length) - 1;
    const alone = processes.map(processCost);
    expect(alone.filter((c) => c.addsRatio.low <= truth && truth <= c.addsRatio.high)).toHaveLength(0);
    expect(Math.max(...alone.map((c) => c.addsRatio.high - c.addsRatio.low))).toBeLessThan(0.005);
    // Over processes the spread of offsets is in the interval: it covers the truth and every process's own figure's mean.
    const all = pairedCost(processes).addsRatio;
    expect(all.value).toBeCloseTo(truth, 3);
    expect(all.low).toBeLessThan(truth);
    expect(all.high).toBeGreaterThan(truth);
    expect(all.high - all.low).toBeGreaterThan(0.02);
    expect(all.n).toBe(6);
  });

  it("covers the machine's figure 95% of the time when processes differ, where one process's interval does not", () => {
    // 400 simulated runs of seprof, 6 processes of 20 rounds each. A process's offset (log-normal,
    // sd 2%) moves all its rounds; each round adds a log-normal jitter of sd 3% and, one round in
    // ten, a pause of +50% on one side. One long process of 120 rounds stands for the old design.
    const random = mulberry32(24);
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const truth = 0.06;
    const oneProcess = (rounds: number): PairedSamples => {
      const offset = Math.exp(0.02 * normal());
      const plain: number[] = [];
      const se: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const base = 50 * Math.exp(0.1 * normal()); // the machine's load this round: both runs alike
        const pause = random() < 0.1 ? 1.5 : 1;
        plain.push(base * (random() < 0.5 ? pause : 1));
        se.push(base * (1 + truth) * offset * Math.exp(0.03 * normal()) * (random() < 0.5 ? pause : 1));
      }
      return { se, plain, warmup: 0 };
    };
    let covered = 0;
    let coveredAlone = 0;
    const runs = 400;
    for (let run = 0; run < runs; run++) {
      const i = pairedCost(Array.from({ length: 6 }, () => oneProcess(20))).addsRatio;
      if (i.low <= truth && truth <= i.high) covered++;
      const alone = processCost(oneProcess(120)).addsRatio;
      if (alone.low <= truth && truth <= alone.high) coveredAlone++;
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.91);
    expect(coveredAlone / runs).toBeLessThan(0.75);
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

  it('shares per process with their interval, per block, and GFLOP/s beside the convs', () => {
    const blocks = seOpsByBlock(
      layers.map((l) => l.op.name),
      new Set(['conv1', 'conv2']),
    );
    // Per layer, the median of its two passes: convs 3.375 ms each, a's layers 0.5 and 0.5, b's 0.75 and 0.5: 9 ms in all, SE 2.25.
    const passes = [
      { conv1: 3, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3, 'b.se.squeeze': 0.5, 'b.se.scale': 0.5 },
      { conv1: 3.75, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3.75, 'b.se.squeeze': 1, 'b.se.scale': 0.5 },
    ].map((pass) => new Map(Object.entries(pass)));
    const share = seTimeShare(layers, blocks, [passes]);
    // 2.25 / 9 (one process bounds no interval).
    expect(share.share.value).toBeCloseTo(0.25, 12);
    expect(share.share.n).toBe(1);
    expect(share.share.low).toBeNaN();
    expect(share.passes).toBe(2);
    // Block a: 1 ms of 9; 2000 flops in 1 ms = 0.002 GFLOP/s.
    expect(share.blocks[0]).toMatchObject({ name: 'a.se', ms: 1, flops: 2000n });
    expect(share.blocks[0]?.share).toBeCloseTo(1 / 9, 12);
    expect(share.blocks[0]?.gflops).toBeCloseTo(0.002, 12);
    // Block b: 0.75 + 0.5 ms; convs 8e6 flops in 6.75 ms.
    expect(share.blocks[1]?.ms).toBe(1.25);
    expect(share.convGflops).toBeCloseTo(8e6 / 6.75 / 1e6, 12);
    expect(share.seGflops).toBeCloseTo(8000 / 2.25 / 1e6, 12);
  });

  it('a pause in one layer of one pass moves nothing; processes that differ widen the interval by their spread', () => {
    const blocks = seOpsByBlock(
      layers.map((l) => l.op.name),
      new Set(['conv1', 'conv2']),
    );
    const pass = { conv1: 3, 'a.se.squeeze': 0.5, 'a.se.scale': 0.5, conv2: 3, 'b.se.squeeze': 0.5, 'b.se.scale': 0.5 };
    const process = (convMs: number, pausedAt?: number) =>
      Array.from({ length: 3 }, (_, i) => new Map(Object.entries({ ...pass, conv1: convMs, conv2: convMs, ...(i === pausedAt && { 'b.se.scale': 40 }) })));
    // Three processes alike but for one paused layer: share 2 / 8 in each, an interval of zero width.
    const same = seTimeShare(layers, blocks, [process(3), process(3, 1), process(3)]);
    expect([same.share.value, same.share.low, same.share.high]).toEqual([0.25, 0.25, 0.25]);
    expect(same.passes).toBe(9);
    // Processes whose convs ran at 2, 3 and 4 ms: shares 2/6, 2/8, 2/10, their mean and t(2) interval.
    const apart = seTimeShare(layers, blocks, [process(2), process(3), process(4)]).share;
    const shares = [2 / 6, 2 / 8, 2 / 10];
    const mean = (shares[0]! + shares[1]! + shares[2]!) / 3;
    const s = Math.sqrt(shares.reduce((a, x) => a + (x - mean) ** 2, 0) / 2);
    expect(apart.value).toBeCloseTo(mean, 12);
    expect(apart.high).toBeCloseTo(mean + (4.302653 * s) / Math.sqrt(3), 6);
    expect(apart.n).toBe(3);
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
