// A graph module as an op of seprof's kinds: the one decision both derivations' inputs rest on.
// The analytic path turns it into an Op; the executor runs that kind's formula for it.
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { KIND_ENTRIES } from './index';
import type { Planned } from './kind';

/** The module's op, or undefined when seprof has no kind for it (counted as zero, listed). */
export function planModule(index: GraphIndex, m: NodeGroup): Planned | undefined {
  const claims = KIND_ENTRIES.filter(([, d]) => (m.fused === undefined ? d.onnx.opTypes?.includes(m.main.opType) : d.onnx.fusions?.includes(m.fused)));
  for (const [kind, definition] of claims) {
    const planned = definition.plan(index, m);
    if (planned !== undefined) return { kind, ...planned };
  }
  return undefined;
}
