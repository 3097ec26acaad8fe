// The JSON document: every convention, exact integers, schema documented in docs/json.md.
import type { Profile } from '../../analyzers/profile';
import { BACKWARD, isForwardOnly, sumCounts } from '../../analyzers/backward';
import type { Training } from '../../analyzers/backward/training';
import type { Check } from '../../analyzers/check';
import type { Counts, Totals } from '../../analyzers/count';
import type { BackendInfo } from '../../analyzers/measured/backend-choice';
import type { Latency } from '../../analyzers/measured/timing';
import { jsonCount } from '../format';
import type { RenderOptions } from '../render-options';
import { topLayers, treeRows } from './rows';
import { seLatencyJson } from './se-latency';
import { trainingView, type TrainingView } from './training-view';
import { jsonText } from '../text';

export const SCHEMA_VERSION = 1;

export type JsonCount = number | string;

interface JsonTotals {
  params: JsonCount;
  buffers: JsonCount;
  counts: Record<string, JsonCount>;
}

/** The profile document; docs/json.md documents every field. */
export interface ProfileJson {
  schemaVersion: number;
  tool: { name: string; version: string };
  spec: object;
  backend: BackendInfo | null;
  layers: object[];
  totals: JsonTotals;
  overhead: { baseline: string; plain: object; plainTotals: JsonTotals; added: JsonTotals } | null;
  sizes: Record<string, JsonCount>;
  check: Check;
  latency: Latency | null;
  /** With --latency: median ms per layer. */
  layerLatencyMs: Record<string, number> | null;
  /** Only with --se-latency: the model against its SE-free twin. */
  seLatency?: object;
  training: object | null;
  tree?: object[];
  top?: { convention: string; layers: string[] };
  /** Model files: notes, ops counted as zero, SE blocks found and what they count. */
  file?: { notes: string[]; unsupported: { opType: string; nodes: string[] }[]; freeNodes: number; seBlocks: object[]; yolo?: object };
}

function jsonCounts(counts: Counts): Record<string, number | string> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, jsonCount(n)]));
}

/** --training: backward totals, forward + backward totals, and why some conventions have none. */
function trainingJson(training: Training): object {
  const sums = trainingView(training).gradientSums;
  return {
    backward: jsonCounts(training.backward),
    total: jsonCounts(training.total),
    forwardOnly: Object.fromEntries(Object.entries(BACKWARD).flatMap(([key, entry]) => (isForwardOnly(entry) ? [[key, entry.forwardOnly]] : []))),
    gradientSums: sums === undefined ? null : { tensors: training.fanOuts, backward: jsonCounts(sums) },
  };
}

/** A layer's `backward` and `total` (forward + backward) counts, with --training. */
function backwardJson(training: TrainingView | undefined, name: string, forward: Counts): object {
  const backward = training?.byOp.get(name);
  if (backward === undefined) return {};
  return { backward: jsonCounts(backward), total: jsonCounts(sumCounts([backward, forward])) };
}

export function jsonTotals(totals: Totals): JsonTotals {
  return { params: jsonCount(totals.params), buffers: jsonCount(totals.buffers), counts: jsonCounts(totals.counts) };
}

type JsonOptions = Pick<RenderOptions, 'toolVersion'> & Partial<Pick<RenderOptions, 'depth' | 'top' | 'columns'>>;

export function profileJson(profile: Profile, { toolVersion, depth, top, columns }: JsonOptions): ProfileJson {
  const { spec, layers, totals, sizes, check, measured, overhead, training } = profile;
  const view = training && trainingView(training);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'seprof', version: toolVersion },
    spec,
    backend: measured?.backend ?? null,
    layers: layers.map(({ op, counts }) => ({
      name: op.name,
      op: op.kind,
      inputShapes: op.inputShapes,
      outputShape: op.outputShape,
      attrs: op.attrs,
      params: jsonCount(op.params),
      buffers: jsonCount(op.buffers),
      counts: jsonCounts(counts),
      ...backwardJson(view, op.name, counts),
    })),
    totals: jsonTotals(totals),
    overhead:
      overhead === undefined
        ? null
        : { baseline: overhead.baseline, plain: overhead.plain, plainTotals: jsonTotals(overhead.plainTotals), added: jsonTotals(overhead.added) },
    sizes: {
      inputBytes: jsonCount(sizes.inputBytes),
      activationBytes: jsonCount(sizes.activationBytes),
      paramBytes: jsonCount(sizes.paramBytes),
    },
    check,
    latency: measured?.latency ?? null,
    layerLatencyMs: measured?.layerMs ?? null,
    ...(profile.seLatency !== undefined && { seLatency: seLatencyJson(profile.seLatency) }),
    training: training === undefined ? null : trainingJson(training),
    ...(depth !== undefined && {
      tree: treeRows(layers, depth).map((r) => ({ name: r.name, depth: r.depth, params: jsonCount(r.params), counts: jsonCounts(r.counts) })),
    }),
    ...(profile.file !== undefined && {
      file: {
        notes: profile.file.notes,
        unsupported: profile.file.unsupported,
        freeNodes: profile.file.free,
        seBlocks: profile.file.seBlocks.map(({ block, totals: t }) => ({ ...block, totals: jsonTotals(t) })),
        ...(profile.file.yolo !== undefined && { yolo: profile.file.yolo }),
      },
    }),
    ...(top !== undefined && columns !== undefined && { top: { convention: columns[0], layers: topLayers(layers, columns[0], top).map((l) => l.op.name) } }),
  };
}

export function renderJson(profile: Profile, options: RenderOptions): string {
  return jsonText(profileJson(profile, options));
}
