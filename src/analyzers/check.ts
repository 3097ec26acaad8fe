// The cross-check: analytic and measured must agree on every layer, to the integer.
import type { BackwardRow } from './backward/training';
import { countEntries, type Counts, type LayerCounts } from './count';
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

type Differ = (quantity: string, analytic: string, measured: string) => void;

/** Pairs rows by name, reports rows on one side only, and lets `compare` report the rest. */
function compareByName<T>(
  analytic: readonly T[],
  measured: readonly T[],
  describe: (row: T) => { name: string; kind: string },
  compare: (a: T, m: T, differ: Differ) => void,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const measuredByName = new Map(measured.map((row) => [describe(row).name, row]));
  for (const a of analytic) {
    const { name, kind } = describe(a);
    const m = measuredByName.get(name);
    measuredByName.delete(name);
    if (m === undefined) {
      mismatches.push({ layer: name, quantity: 'layer', analytic: kind, measured: ABSENT });
      continue;
    }
    compare(a, m, (quantity, av, mv) => {
      if (av !== mv) mismatches.push({ layer: name, quantity, analytic: av, measured: mv });
    });
  }
  for (const extra of measuredByName.values()) {
    const { name, kind } = describe(extra);
    mismatches.push({ layer: name, quantity: 'layer', analytic: ABSENT, measured: kind });
  }
  return mismatches;
}

function compareCounts(analytic: Counts, measured: Counts, differ: Differ, prefix = ''): void {
  for (const [key, value] of countEntries(analytic)) differ(`${prefix}${key}`, String(value), String(measured[key] ?? ABSENT));
}

export function compareLayers(analytic: readonly LayerCounts[], measured: readonly LayerCounts[]): Check {
  const mismatches = compareByName(
    analytic,
    measured,
    ({ op }) => ({ name: op.name, kind: op.kind }),
    (a, m, differ) => {
      differ('op', a.op.kind, m.op.kind);
      differ('input shapes', a.op.inputShapes.map(formatShape).join(', '), m.op.inputShapes.map(formatShape).join(', '));
      differ('output shape', formatShape(a.op.outputShape), formatShape(m.op.outputShape));
      differ('params', String(a.op.params), String(m.op.params));
      differ('buffers', String(a.op.buffers), String(m.op.buffers));
      compareCounts(a.counts, m.counts, differ);
    },
  );
  return { status: mismatches.length === 0 ? 'match' : 'mismatch', layers: analytic.length, mismatches };
}

/** Backward counts row by row; quantities read `backward <convention>`. */
export function compareBackward(analytic: readonly BackwardRow[], measured: readonly BackwardRow[]): Mismatch[] {
  return compareByName(
    analytic,
    measured,
    ({ name }) => ({ name, kind: 'backward' }),
    (a, m, differ) => compareCounts(a.counts, m.counts, differ, 'backward '),
  );
}

/** Kernels the measured path could not read: each one is a difference, never dropped. */
export function kernelMismatches(unrecognised: readonly string[]): Mismatch[] {
  return unrecognised.map((kernel) => ({ layer: kernel.split(':')[0] ?? kernel, quantity: 'kernel', analytic: '(none)', measured: kernel }));
}

export function skippedCheck(reason: string, layers: number): Check {
  return { status: 'skipped', reason, layers, mismatches: [] };
}
