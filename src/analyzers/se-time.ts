// Where the time of SE goes (`--se-latency`): its layers found by what the SE-free twin lacks,
// their share of layer-by-layer passes, and the FLOP/s they achieve beside the convs'.
import type { LayerCounts } from './count';
import type { Clock } from './measured/clocks';
import { meanInterval, type Interval } from './measured/interval';
import type { PairedCost, ProcessCost } from './measured/paired';
import { quantile } from './measured/timing';

/** One SE block: the ops the twin lacks, run of one module path (`layer1.0.se`, `features.4.block.2`). */
export interface SeOps {
  name: string;
  ops: string[];
}

/** The module path of an op: its name without the last segment (`layer1.0.se.fc1` -> `layer1.0.se`). */
const modulePath = (op: string): string => (op.includes('.') ? op.slice(0, op.lastIndexOf('.')) : '');

/**
 * SE's ops are those of the model that its twin lacks (the twin is the same model less its SE,
 * names unchanged); consecutive ones under one module path make one block.
 */
export function seOpsByBlock(names: readonly string[], twinNames: ReadonlySet<string>): SeOps[] {
  const blocks: SeOps[] = [];
  let previous: string | undefined; // the op before, when the twin lacks it too
  for (const name of names) {
    if (twinNames.has(name)) {
      previous = undefined;
      continue;
    }
    const path = modulePath(name);
    const last = blocks.at(-1);
    if (last !== undefined && previous !== undefined && modulePath(previous) === path) last.ops.push(name);
    else blocks.push({ name: path === '' ? 'se' : path, ops: [name] });
    previous = name;
  }
  return blocks;
}

export interface SeBlockTime {
  name: string;
  /** The sum of its layers' median times over a process's passes, ms, averaged over processes. */
  ms: number;
  /** Its share of every layer's summed median time, averaged over processes. */
  share: number;
  /** The block's flops (the `flops` convention). */
  flops: bigint;
  /** flops / time, in 10^9 per second. */
  gflops: number;
}

export interface SeTimeShare {
  /** Layer-by-layer passes over the model with SE, in all processes. */
  passes: number;
  /**
   * SE's layers' share of the time: per process the sum of their median times over every
   * layer's, and the mean over processes with its Student-t interval (n: the processes).
   */
  share: Interval;
  blocks: SeBlockTime[];
  /** All SE layers' flops over their time, and the convs' (the work SE rides on). */
  seGflops: number;
  convGflops: number;
}

/** A layer-by-layer pass: each layer's (module's) wall ms by name. */
type Pass = ReadonlyMap<string, number>;

/** Each layer's median time over the passes. */
function layerMedians(passes: readonly Pass[], names: readonly string[]): Map<string, number> {
  return new Map(
    names.map((n) => [
      n,
      quantile(
        passes.map((p) => p.get(n) ?? 0).sort((a, b) => a - b),
        0.5,
      ),
    ]),
  );
}

/** GFLOP/s of `flops` done in `ms`. */
const gflopsOf = (flops: bigint, ms: number): number => (ms > 0 ? Number(flops) / ms / 1e6 : Number.NaN);

const meanOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A share is never negative: a t-interval's low bound below 0 (a share near 0 that varies) is 0. */
const atLeastZero = (i: Interval): Interval => ({ ...i, low: Math.max(0, i.low) });

/**
 * Layer-by-layer passes (`layer name -> ms` each), grouped by the process that ran them, read
 * as SE's share of the time. Within a process each layer's time is its median over the passes:
 * on a shared machine a pass is rarely free of a pause in one of its hundreds of layers, so a
 * pass's sum is not, and a sum of medians is. Across processes the times are averaged, and
 * the share's interval is over the processes' shares.
 */
export function seTimeShare(layers: readonly LayerCounts[], blocks: readonly SeOps[], processes: readonly (readonly Pass[])[]): SeTimeShare {
  const flopsOf = new Map(layers.map((l) => [l.op.name, l.counts['flops'] ?? 0n]));
  const allNames = layers.map((l) => l.op.name);
  const seNames = blocks.flatMap((b) => b.ops);
  const seSet = new Set(seNames);
  const convNames = layers.filter((l) => l.op.kind === 'conv2d' && !seSet.has(l.op.name)).map((l) => l.op.name);
  const flopsSum = (names: readonly string[]): bigint => names.reduce((s, n) => s + (flopsOf.get(n) ?? 0n), 0n);
  const medians = processes.map((passes) => layerMedians(passes, allNames));
  /** The mean over processes of `names`' summed median ms. */
  const msOf = (names: readonly string[]): number => meanOf(medians.map((m) => names.reduce((s, n) => s + (m.get(n) ?? 0), 0)));
  /** The mean over processes of `names`' share of that process's time. */
  const sharesOf = (names: readonly string[]): number[] =>
    medians.map((m) => names.reduce((s, n) => s + (m.get(n) ?? 0), 0) / allNames.reduce((s, n) => s + (m.get(n) ?? 0), 0));
  return {
    passes: processes.reduce((s, p) => s + p.length, 0),
    share: atLeastZero(meanInterval(sharesOf(seNames))),
    blocks: blocks.map((b) => {
      const ms = msOf(b.ops);
      const flops = flopsSum(b.ops);
      return { name: b.name, ms, share: meanOf(sharesOf(b.ops)), flops, gflops: gflopsOf(flops, ms) };
    }),
    seGflops: gflopsOf(flopsSum(seNames), msOf(seNames)),
    convGflops: gflopsOf(flopsSum(convNames), msOf(convNames)),
  };
}

/** What SE costs in time, measured against its twin on one backend. */
export interface SeLatency extends PairedCost {
  /** The backend both models ran on. */
  backend: string;
  /** What the times are: CPU time of the process that ran the model (user and system), or wall time. */
  clock: Clock;
  /** What one timed run is: a forward, or a training step (forward and every weight's gradient). */
  pass: 'forward' | 'training';
  /** SE's share of the forward's layer-by-layer time, per block. */
  layers: SeTimeShare;
  /** Each process's own rounds and estimate, in the order they ran. */
  processes: ProcessCost[];
}
