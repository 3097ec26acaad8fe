// `--se-latency`: the model and its SE-free twin built side by side on one backend, timed in
// interleaved rounds (paired.ts), then the model's layers (or a file's modules) timed one by one.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadFileModel } from '../../model/file-support';
import { fileRequest, type Spec } from '../../model/spec';
import { buildModel } from '../../modules';
import { GraphExecutor, randomInputs } from '../../modules/graph-executor';
import { useBackend } from './backend';
import type { BackendChoice, BackendInfo } from './backend-choice';
import { gradientsOf } from './gradients';
import { layerPasses, withKernelFallback } from './index';
import { assertFits, skipOnMemoryFault } from './memory';
import { oneAtATime } from './one-at-a-time';
import { timePaired, type PairedSamples, type PairPlan } from './paired';
import type { OnProgress } from './progress';

export interface SePairOptions {
  backend: BackendChoice;
  plan: PairPlan;
  /** Layer-by-layer passes of the model with SE, for each layer's share of the time. */
  passes: number;
  /** Time a training step (forward, then the gradients of every weight) rather than a forward. */
  training: boolean;
  onProgress?: OnProgress | undefined;
  /** Both models' estimated peak together. */
  peakBytes?: bigint | undefined;
}

export interface SePairMeasurement {
  backend: BackendInfo;
  samples: PairedSamples;
  /** Each layer's (module's) wall ms in each pass over the model with SE. */
  passes: Map<string, number>[];
}

/** One model ready to run: a forward or a training step, each read back, and its layers' times. */
interface Runnable {
  forward: () => void;
  trainingStep: () => void;
  passes: (runs: number) => Promise<Map<string, number>[]>;
  dispose: () => void;
}

/** Reads every tensor back (the backend has finished) and frees it. */
function settle(tensors: readonly tf.Tensor[]): void {
  for (const t of tensors) t.dataSync();
  tf.dispose([...tensors]);
}

function networkRunnable(spec: Spec): Runnable {
  const { channels, height, width } = spec.input;
  // Distinct weights, as a trained model has (shared ones are packed once, and run faster).
  const model: tfl.LayersModel = buildModel(spec, { shareWeights: false });
  const x = tf.fill([spec.batch, height, width, channels], 1);
  const weights = model.trainableWeights.map((w) => w.read());
  return {
    forward: () => settle([tf.tidy(() => model.apply(x) as tf.Tensor)]),
    trainingStep: () => settle(gradientsOf({ run: () => model.apply(x) as tf.Tensor, wrt: weights })),
    passes: (runs) => layerPasses(model, x, runs),
    dispose: () => {
      x.dispose();
      model.dispose();
    },
  };
}

function fileRunnable(spec: Spec & { block: 'file' }): Runnable {
  const { inferred } = loadFileModel(fileRequest(spec));
  const executor = new GraphExecutor(inferred);
  const missing = executor.unsupported();
  if (missing.length > 0) {
    executor.dispose();
    throw new Error(`the tfjs graph executor does not run ${missing.join(', ')}`);
  }
  const inputs = randomInputs(inferred);
  const joined = (): tf.Tensor => {
    const outputs = executor.run(inputs);
    return outputs.length === 1 ? (outputs[0] as tf.Tensor) : tf.concat(outputs.map((y) => tf.reshape(y, [-1])));
  };
  const passes = async (runs: number): Promise<Map<string, number>[]> => {
    const all: Map<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const times = new Map<string, number>(); // a Map: module names are the file's, any string
      const outputs = executor.run(inputs, (m, run) => {
        const start = performance.now();
        const y = run();
        y.dataSync();
        times.set(m.name, (times.get(m.name) ?? 0) + performance.now() - start);
        return y;
      });
      tf.dispose(outputs);
      all.push(times);
    }
    return all;
  };
  return {
    forward: () => settle(executor.run(inputs)),
    trainingStep: () => settle(gradientsOf({ run: () => tf.tidy(joined), wrt: executor.learnedWeights() })),
    passes,
    dispose: () => {
      tf.dispose([...inputs.values()]);
      executor.dispose();
    },
  };
}

const runnable = (spec: Spec): Runnable => (spec.block === 'file' ? fileRunnable(spec) : networkRunnable(spec));

async function pairOn(withSe: Spec, twin: Spec, options: SePairOptions, choice: BackendChoice): Promise<SePairMeasurement> {
  const backend = await useBackend(choice);
  assertFits(backend.name, options.peakBytes);
  const se = runnable(withSe);
  let plain: Runnable | undefined;
  try {
    plain = runnable(twin);
    const step = (r: Runnable): (() => void) => (options.training ? r.trainingStep : r.forward);
    const { plan, onProgress } = options;
    const most = plan.warmup + plan.rounds;
    const samples = timePaired(
      { se: step(se), plain: step(plain) },
      plan,
      () => performance.now(),
      (done) => onProgress?.(done, most, 'SE latency rounds'),
    );
    await se.passes(1); // the first layer-by-layer pass allocates what later ones reuse: untimed
    return { backend, samples, passes: await se.passes(options.passes) };
  } finally {
    se.dispose();
    plain?.dispose();
  }
}

/** Times the model with SE against its twin in interleaved rounds, then the model's layers one by one. */
export function measureSePair(withSe: Spec, twin: Spec, options: SePairOptions): Promise<SePairMeasurement> {
  return oneAtATime(() => skipOnMemoryFault(() => withKernelFallback(options.backend, (choice) => pairOn(withSe, twin, options, choice))));
}
