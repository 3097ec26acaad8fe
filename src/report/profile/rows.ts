// The rows a layer table shows: every op, or a depth-limited tree of module paths
// (like torchinfo's and DeepSpeed's module depth), and the K most expensive layers.
import type { ConventionKey } from '../../analyzers/conventions';
import { sumCounts } from '../../analyzers/backward';
import type { Counts, LayerCounts } from '../../analyzers/count';
import { totalsOf } from '../../analyzers/count';
import type { Shape } from '../../analyzers/ops';
import { percent } from '../format';

export interface Row {
  /** Module path: `layer1.0.se` for a group, the op's name for a layer. */
  name: string;
  /** 1 for top-level modules; 0 for rows of a flat layer list. */
  depth: number;
  /** The op kind of a layer, or how many ops a group holds. */
  what: string;
  outputShape: Shape;
  params: bigint;
  buffers: bigint;
  counts: Counts;
  /** Measured median ms (`--latency`), summed over a group's layers. */
  timeMs?: number;
  /** Backward counts (`--training`), summed over a group's layers. */
  backward?: Counts;
}

/** What was measured or derived per layer name beside the forward counts. */
export interface PerLayer {
  /** Median ms, as measured with `--latency`. */
  times?: Readonly<Record<string, number>> | undefined;
  /** Backward counts, with `--training`. */
  backward?: ReadonlyMap<string, Counts> | undefined;
}

function extrasOf(members: readonly LayerCounts[], { times, backward }: PerLayer): Pick<Row, 'timeMs' | 'backward'> {
  return {
    ...(times && { timeMs: members.reduce((sum, l) => sum + (times[l.op.name] ?? 0), 0) }),
    ...(backward && { backward: sumCounts(members.map((l) => backward.get(l.op.name) ?? {})) }),
  };
}

/** An op's kind as the table shows it: `F.avg_pool` when a function made it, `x.softmax` a tensor method (model files). */
export function opLabel(op: LayerCounts['op']): string {
  return op.attrs.origin === 'function' ? `F.${op.kind}` : op.attrs.origin === 'method' ? `x.${op.kind}` : op.kind;
}

export function layerRows(layers: readonly LayerCounts[], perLayer: PerLayer = {}): Row[] {
  return layers.map((layer) => {
    const { op, counts } = layer;
    return {
      name: op.name,
      depth: 0,
      what: opLabel(op),
      outputShape: op.outputShape,
      params: op.params,
      buffers: op.buffers,
      counts,
      ...extrasOf([layer], perLayer),
    };
  });
}

/** One row for a group of layers: an op's kind when it is the one layer of that name, else how many ops. */
function groupRow(name: string, depth: number, members: readonly LayerCounts[], perLayer: PerLayer): Row {
  const totals = totalsOf(members);
  const last = members.at(-1);
  return {
    name,
    depth,
    what: members.length === 1 && last !== undefined && last.op.name === name ? opLabel(last.op) : `${members.length} ops`,
    outputShape: last?.op.outputShape ?? [],
    params: totals.params,
    buffers: totals.buffers,
    counts: totals.counts,
    ...extrasOf(members, perLayer),
  };
}

/** Groups ops by the first 1..maxDepth segments of their dotted paths, parents first. */
export function treeRows(layers: readonly LayerCounts[], maxDepth: number, perLayer: PerLayer = {}): Row[] {
  const groups = new Map<string, { depth: number; members: LayerCounts[] }>();
  for (const layer of layers) {
    const segments = layer.op.name.split('.');
    const deepest = Math.min(maxDepth, segments.length);
    for (let depth = 1; depth <= deepest; depth++) {
      const path = segments.slice(0, depth).join('.');
      const group = groups.get(path) ?? { depth, members: [] };
      group.members.push(layer);
      groups.set(path, group);
    }
  }
  // A layer that is an op and has ops under its path too (a TF.js conv with a fused activation:
  // `c1` and `c1.relu`) shows its own op as the first of its rows, so that its ops add up.
  return [...groups].flatMap(([name, { depth, members }]) => {
    const own = members.find((l) => l.op.name === name);
    const row = groupRow(name, depth, members, perLayer);
    return own !== undefined && members.length > 1 && depth < maxDepth ? [row, groupRow(name, depth + 1, [own], perLayer)] : [row];
  });
}

/**
 * The tree cut at maxDepth: the modules that deep, and the layers of shallower paths, each layer
 * in exactly one row (no parents), so that a column sums to the total.
 */
export function cutRows(layers: readonly LayerCounts[], maxDepth: number, perLayer: PerLayer = {}): Row[] {
  const groups = new Map<string, LayerCounts[]>();
  for (const layer of layers) {
    const segments = layer.op.name.split('.');
    const path = segments.slice(0, Math.min(maxDepth, segments.length)).join('.');
    const members = groups.get(path) ?? [];
    members.push(layer);
    groups.set(path, members);
  }
  return [...groups].map(([name, members]) => groupRow(name, name.split('.').length, members, perLayer));
}

/** The K layers that cost most under one convention, most expensive first. */
export function topLayers(layers: readonly LayerCounts[], key: ConventionKey, k: number): LayerCounts[] {
  const cost = (l: LayerCounts): bigint => l.counts[key] ?? 0n;
  return [...layers].sort((a, b) => (cost(b) > cost(a) ? 1 : cost(b) < cost(a) ? -1 : 0)).slice(0, k);
}

/** `12.34%` of a total, exact to two decimals. */
export function share(part: bigint, total: bigint): string {
  return total === 0n ? '-' : percent(part, total);
}
