// --training measured on wasm with the per-layer backward check, for the training tests of
// whole networks (training-networks.slow and .long).
import { afterEach, beforeEach, expect, vi, type MockInstance } from 'vitest';
import { analyticOps } from '../../src/analyzers/analytic';
import { analyticBackward } from '../../src/analyzers/backward/training';
import { compareBackward } from '../../src/analyzers/check';
import { countLayer } from '../../src/analyzers/count';
import { measure } from '../../src/analyzers/measured';
import type { Spec } from '../../src/model/spec';

const once = { backend: 'auto', training: true } as const;

let stderr: MockInstance<typeof process.stderr.write>;

/** Registers the stderr spy of the calling test file: no line on stderr is part of training on wasm. */
export function watchStderr(): void {
  beforeEach(() => {
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());
}

/** Measures with --backend auto and expects wasm, no line on stderr, and agreeing backward counts. */
export async function expectTrainsOnWasm(spec: Spec) {
  const measured = await measure(spec, once);
  const layers = analyticOps(spec).map(countLayer);
  expect(measured.backend.name).toBe('wasm');
  expect(stderr).not.toHaveBeenCalled();
  expect(measured.backward?.unrecognised).toEqual([]);
  expect(compareBackward(analyticBackward(layers).rows, measured.backward?.rows ?? [])).toEqual([]);
  return { layers, rows: Object.fromEntries((measured.backward?.rows ?? []).map((r) => [r.name, r.counts])) };
}
