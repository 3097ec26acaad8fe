// The JSON document: every convention, exact integers, schema documented in the README.
import type { Profile } from '../analyzers/profile';
import type { Counts, Totals } from '../analyzers/count';
import { jsonCount } from './format';

export const SCHEMA_VERSION = 1;

function jsonCounts(counts: Counts): Record<string, number | string> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, jsonCount(n)]));
}

export function jsonTotals(totals: Totals): object {
  return { params: jsonCount(totals.params), buffers: jsonCount(totals.buffers), counts: jsonCounts(totals.counts) };
}

export function profileJson(profile: Profile, toolVersion: string): object {
  const { spec, layers, totals, sizes, check, measured, overhead } = profile;
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
    })),
    totals: jsonTotals(totals),
    overhead:
      overhead === undefined
        ? null
        : { plain: overhead.plain, plainTotals: jsonTotals(overhead.plainTotals), added: jsonTotals(overhead.added) },
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
