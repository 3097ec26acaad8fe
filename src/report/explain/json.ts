// explain as one JSON document: the rules and counts per op kind, totals, differences, blind spots.
import { BACKWARD_KEYS } from '../../analyzers/backward';
import { conventionByKey } from '../../analyzers/conventions';
import type { Explanation, RuleUse } from '../../analyzers/explain';
import { jsonCount } from '../format';
import { profileJson, SCHEMA_VERSION } from '../profile/json';
import { jsonText } from '../text';

const useJson = ({ count, rule, skipped }: RuleUse) => ({ count: jsonCount(count), ...(skipped ? { skip: rule } : { formula: rule }) });

const byKey = (uses: readonly RuleUse[]) => Object.fromEntries(uses.map((u) => [u.key, useJson(u)]));

export function explainJson(explanation: Explanation, toolVersion: string): object {
  const { profile, keys, reference, kinds, differences, leftOut, blindSpots } = explanation;
  const base = profileJson(profile, { toolVersion });
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: base.tool,
    command: 'explain',
    spec: base.spec,
    backend: base.backend,
    reference,
    conventions: keys.map((key) => {
      const convention = conventionByKey(key);
      return { key, source: convention?.source, unit: convention?.unit, countsBackward: BACKWARD_KEYS.includes(key) };
    }),
    opKinds: kinds.map((k) => ({
      kind: k.kind,
      layers: k.ops.map((op) => ({ name: op.name, inputShapes: op.inputShapes, outputShape: op.outputShape })),
      counts: byKey(k.forward),
      ...(k.backward.length === 0 ? {} : { backward: byKey(k.backward) }),
    })),
    totals: base.totals,
    training: base.training,
    differences: differences.map((d) => ({
      key: d.key,
      reference,
      total: jsonCount(d.total),
      referenceTotal: jsonCount(d.referenceTotal),
      delta: jsonCount(d.delta),
      byKind: d.byKind.map((k) => ({ kind: k.kind, delta: jsonCount(k.delta), rule: useJson(k.rule), referenceRule: useJson(k.referenceRule) })),
    })),
    leftOut: Object.fromEntries(Object.entries(leftOut).map(([key, list]) => [key, list.map((u) => ({ kind: u.kind, reason: u.rule }))])),
    countedByNoPublicCounter: blindSpots.map((s) => ({
      kind: s.kind,
      counts: Object.fromEntries(Object.entries(s.counts).map(([k, n]) => [k, jsonCount(n)])),
    })),
    check: base.check,
  };
}

export function renderExplainJson(explanation: Explanation, toolVersion: string): string {
  return jsonText(explainJson(explanation, toolVersion));
}
