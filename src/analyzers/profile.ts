// One profile of one spec: analytic counts, and when asked the measured cross-check.
import { analyticOps } from './analytic';
import { analyticBackward, trainingOf, type Training } from './backward/training';
import { compareBackward, compareLayers, kernelMismatches, skippedCheck, type Check } from './check';
import { countLayer, totalsOf, type LayerCounts, type Totals } from './count';
import { numel } from './ops';
import type { BackendChoice, BackendInfo } from './measured/backend-choice';
import type { Latency } from './measured/latency';
import type { Spec } from '../spec';

export interface Sizes {
  /** float32 bytes of the input batch. */
  inputBytes: bigint;
  /** float32 bytes of every op's output (the forward activations). */
  activationBytes: bigint;
  /** float32 bytes of params and buffers. */
  paramBytes: bigint;
}

export interface Profile {
  spec: Spec;
  layers: LayerCounts[];
  totals: Totals;
  sizes: Sizes;
  check: Check;
  /** With --training: backward and forward + backward counts. */
  training?: Training;
  /** Present when the model ran in tfjs. */
  measured?: { backend: BackendInfo; latency: Latency };
}

export interface ProfileOptions {
  measure: boolean;
  backend: BackendChoice;
  runs: number;
  warmup: number;
  training: boolean;
}

const FLOAT32_BYTES = 4n;

function sizesOf(spec: Spec, layers: readonly LayerCounts[], totals: Totals): Sizes {
  const { channels, height, width } = spec.input;
  return {
    inputBytes: numel([spec.batch, channels, height, width]) * FLOAT32_BYTES,
    activationBytes: layers.reduce((sum, l) => sum + numel(l.op.outputShape), 0n) * FLOAT32_BYTES,
    paramBytes: (totals.params + totals.buffers) * FLOAT32_BYTES,
  };
}

export async function profile(spec: Spec, options: ProfileOptions): Promise<Profile> {
  const layers = analyticOps(spec).map(countLayer);
  const totals = totalsOf(layers);
  const backward = options.training ? analyticBackward(layers) : undefined;
  const base = {
    spec,
    layers,
    totals,
    sizes: sizesOf(spec, layers, totals),
    ...(backward === undefined ? {} : { training: trainingOf(totals, backward) }),
  };
  if (!options.measure) return { ...base, check: skippedCheck('--no-measure', layers.length) };

  // tfjs costs a quarter of a second to import: only the measured path pays it.
  const { measure } = await import('./measured/index.js');
  const measurement = await measure(spec, options);
  const check = compareLayers(layers, measurement.ops.map(countLayer));
  check.mismatches.push(...kernelMismatches(measurement.unrecognised));
  if (backward !== undefined) {
    if (measurement.backward === undefined) throw new Error('the backward pass was not measured');
    check.mismatches.push(...compareBackward(backward.rows, measurement.backward.rows));
    check.mismatches.push(...kernelMismatches(measurement.backward.unrecognised));
  }
  if (check.mismatches.length > 0) check.status = 'mismatch';
  return { ...base, check, measured: { backend: measurement.backend, latency: measurement.latency } };
}
