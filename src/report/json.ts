// The JSON document: every convention, exact integers, schema documented in the README.
import type { Profile } from '../analyzers/profile';
import type { Counts } from '../analyzers/count';
import { hiddenWidth } from '../spec';
import { jsonCount } from './format';

export const SCHEMA_VERSION = 1;

function jsonCounts(counts: Counts): Record<string, number | string> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, jsonCount(n)]));
}

export function profileJson(profile: Profile, toolVersion: string): object {
  const { spec, layers, totals, sizes, check, measured } = profile;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'seprof', version: toolVersion },
    spec: { ...spec, hidden: hiddenWidth(spec.input.channels, spec.reduction) },
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
    })),
    totals: { params: jsonCount(totals.params), buffers: jsonCount(totals.buffers), counts: jsonCounts(totals.counts) },
    sizes: {
      inputBytes: jsonCount(sizes.inputBytes),
      activationBytes: jsonCount(sizes.activationBytes),
      paramBytes: jsonCount(sizes.paramBytes),
    },
    check,
    latency: measured?.latency ?? null,
  };
}

export function renderJson(profile: Profile, toolVersion: string): string {
  return `${JSON.stringify(profileJson(profile, toolVersion), null, 2)}\n`;
}
