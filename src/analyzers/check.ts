// The cross-check: analytic and measured must agree on every layer, to the integer.
import type { LayerCounts } from './count';
import { formatShape } from './ops';

export interface Mismatch {
  layer: string;
  quantity: string;
  analytic: string;
  measured: string;
}

export type CheckStatus = 'match' | 'mismatch' | 'skipped';

export interface Check {
  status: CheckStatus;
  /** Why the check was skipped, when it was. */
  reason?: string;
  layers: number;
  mismatches: Mismatch[];
}

const ABSENT = '(absent)';

export function compareLayers(analytic: readonly LayerCounts[], measured: readonly LayerCounts[]): Check {
  const mismatches: Mismatch[] = [];
  const measuredByName = new Map(measured.map((layer) => [layer.op.name, layer]));
  for (const a of analytic) {
    const m = measuredByName.get(a.op.name);
    measuredByName.delete(a.op.name);
    if (m === undefined) {
      mismatches.push({ layer: a.op.name, quantity: 'layer', analytic: a.op.kind, measured: ABSENT });
      continue;
    }
    const differ = (quantity: string, av: string, mv: string): void => {
      if (av !== mv) mismatches.push({ layer: a.op.name, quantity, analytic: av, measured: mv });
    };
    differ('op', a.op.kind, m.op.kind);
    differ('input shapes', a.op.inputShapes.map(formatShape).join(', '), m.op.inputShapes.map(formatShape).join(', '));
    differ('output shape', formatShape(a.op.outputShape), formatShape(m.op.outputShape));
    differ('params', String(a.op.params), String(m.op.params));
    differ('buffers', String(a.op.buffers), String(m.op.buffers));
    for (const [key, value] of Object.entries(a.counts)) differ(key, String(value), String(m.counts[key] ?? ABSENT));
  }
  for (const extra of measuredByName.values()) {
    mismatches.push({ layer: extra.op.name, quantity: 'layer', analytic: ABSENT, measured: extra.op.kind });
  }
  return { status: mismatches.length === 0 ? 'match' : 'mismatch', layers: analytic.length, mismatches };
}

export function skippedCheck(reason: string, layers: number): Check {
  return { status: 'skipped', reason, layers, mismatches: [] };
}
