// The JSON document: every convention, exact integers, schema documented in the README.
import { BACKWARD, isForwardOnly } from '../analyzers/backward';
import { GRADIENT_SUMS, sumCounts, type Training } from '../analyzers/backward/training';
import type { Profile } from '../analyzers/profile';
import type { Counts } from '../analyzers/count';
import { hiddenWidth } from '../spec';
import { jsonCount } from './format';

export const SCHEMA_VERSION = 1;

function jsonCounts(counts: Counts): Record<string, number | string> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, jsonCount(n)]));
}

/** --training: backward totals, forward + backward totals, and why some conventions have none. */
function trainingJson(training: Training): object {
  const sums = training.rows.find((row) => row.name === GRADIENT_SUMS);
  return {
    backward: jsonCounts(training.backward),
    total: jsonCounts(training.total),
    forwardOnly: Object.fromEntries(
      Object.entries(BACKWARD).flatMap(([key, entry]) => (isForwardOnly(entry) ? [[key, entry.forwardOnly]] : [])),
    ),
    gradientSums:
      sums === undefined ? null : { tensors: training.fanOuts, backward: jsonCounts(sums.counts) },
  };
}

export function profileJson(profile: Profile, toolVersion: string): Record<string, unknown> {
  const { spec, layers, totals, sizes, check, measured, training } = profile;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'seprof', version: toolVersion },
    spec: { ...spec, hidden: hiddenWidth(spec.input.channels, spec.reduction) },
    backend: measured?.backend ?? null,
    layers: layers.map(({ op, counts }, i) => ({
      name: op.name,
      op: op.kind,
      inputShapes: op.inputShapes,
      outputShape: op.outputShape,
      attrs: op.attrs,
      params: jsonCount(op.params),
      buffers: jsonCount(op.buffers),
      counts: jsonCounts(counts),
      ...backwardJson(training, i, counts),
    })),
    totals: { params: jsonCount(totals.params), buffers: jsonCount(totals.buffers), counts: jsonCounts(totals.counts) },
    sizes: {
      inputBytes: jsonCount(sizes.inputBytes),
      activationBytes: jsonCount(sizes.activationBytes),
      paramBytes: jsonCount(sizes.paramBytes),
    },
    check,
    latency: measured?.latency ?? null,
    training: training === undefined ? null : trainingJson(training),
  };
}

/** A layer's `backward` and `total` (forward + backward) counts, with --training. */
function backwardJson(training: Training | undefined, index: number, forward: Counts): object {
  const backward = training?.rows[index]?.counts;
  if (backward === undefined) return {};
  return { backward: jsonCounts(backward), total: jsonCounts(sumCounts([backward, forward])) };
}

export function renderJson(profile: Profile, toolVersion: string): string {
  return `${JSON.stringify(profileJson(profile, toolVersion), null, 2)}\n`;
}
