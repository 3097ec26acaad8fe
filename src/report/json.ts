// The JSON document: every convention, exact integers, schema documented in the README.
import type { Profile } from '../analyzers/profile';
import type { Counts } from '../analyzers/count';
import type { Check } from '../analyzers/check';
import type { BackendInfo } from '../analyzers/measured/backend-choice';
import type { Latency } from '../analyzers/measured/latency';
import { hiddenWidth } from '../spec';
import { jsonCount } from './format';

export const SCHEMA_VERSION = 1;

export type JsonCount = number | string;

/** The parts of the profile document that reports reuse; the README documents every field. */
export interface ProfileJson {
  schemaVersion: number;
  tool: { name: string; version: string };
  spec: object;
  backend: BackendInfo | null;
  layers: object[];
  totals: { params: JsonCount; buffers: JsonCount; counts: Record<string, JsonCount> };
  sizes: Record<string, JsonCount>;
  check: Check;
  latency: Latency | null;
}

function jsonCounts(counts: Counts): Record<string, number | string> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, jsonCount(n)]));
}

export function profileJson(profile: Profile, toolVersion: string): ProfileJson {
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
