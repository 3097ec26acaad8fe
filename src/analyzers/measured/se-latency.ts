// One process of `--se-latency` (se-session.ts runs it in a child process that se-processes.ts
// forks): the model and its SE-free twin built side by side on one backend, timed in
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
import { CLOCKS, clockFor, type Clock, type ClockChoice } from './clocks';
import { assertFits, skipOnMemoryFault } from './memory';
import { timePaired, type PairedSamples, type PairPlan } from './paired';

/** What one process times: plain data, sent to the child process as it is. */
export interface SessionRequest {
  withSe: Spec;
  twin: Spec;
  backend: BackendChoice;
  /** This process's rounds. */
  plan: PairPlan;
  /** Layer-by-layer passes of the model with SE, for each layer's share of the time. */
  passes: number;
  /** Time a training step (forward, then the gradients of every weight) rather than a forward. */
  training: boolean;
  /** Both models' estimated peak together. */
  peakBytes?: bigint | undefined;
  /** Build the model with SE first and start the rounds with it, else with its twin: alternated over processes, so that neither always gets the fresh heap or the same run index. */
  seFirst: boolean;
  /** What a run's time is: the wall clock, the CPU time of the process that runs the model, or auto (clocks.ts). */
  clock: ClockChoice;
}

export interface SessionResult {
  backend: BackendInfo;
  /** The clock the rounds and the layers were timed by. */
  clock: Clock;
  samples: PairedSamples;
  /** Each layer's (module's) ms by `clock` in each pass over the model with SE. */
  passes: Map<string, number>[];
}

/** One model ready to run: a forward or a training step, each read back, and its layers' times. */
interface Runnable {
  forward: () => void;
  trainingStep: () => void;
  /** `runs` layer-by-layer passes, each layer (module) timed by `now`. */
  passes: (runs: number, now: () => number) => Promise<Map<string, number>[]>;
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
    passes: (runs, now) => layerPasses(model, x, runs, now),
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
  const passes = async (runs: number, now: () => number): Promise<Map<string, number>[]> => {
    const all: Map<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const times = new Map<string, number>(); // a Map: module names are the file's, any string
      const outputs = executor.run(inputs, (m, run) => {
        const start = now();
        const y = run();
        y.dataSync();
        times.set(m.name, (times.get(m.name) ?? 0) + now() - start);
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

async function pairOn(request: SessionRequest, choice: BackendChoice, onRound: (done: number) => void): Promise<SessionResult> {
  const backend = await useBackend(choice);
  assertFits(backend.name, request.peakBytes);
  const built: Partial<Record<'se' | 'plain', Runnable>> = {};
  try {
    for (const side of request.seFirst ? (['se', 'plain'] as const) : (['plain', 'se'] as const)) {
      built[side] = runnable(side === 'se' ? request.withSe : request.twin);
    }
    const { se, plain } = built as Record<'se' | 'plain', Runnable>;
    const step = (r: Runnable): (() => void) => (request.training ? r.trainingStep : r.forward);
    const clock = clockFor(request.clock, backend.name);
    const now = CLOCKS[clock];
    const plan = { ...request.plan, offset: request.seFirst ? 0 : 1 };
    const samples = timePaired({ se: step(se), plain: step(plain) }, plan, now, { onRound, wallNow: CLOCKS.wall });
    await se.passes(1, now); // the first layer-by-layer pass allocates what later ones reuse: untimed
    return { backend, clock, samples, passes: await se.passes(request.passes, now) };
  } finally {
    built.se?.dispose();
    built.plain?.dispose();
  }
}

/** Times the model with SE against its twin in interleaved rounds, then the model's layers one by one, in this process. */
export function runSession(request: SessionRequest, onRound: (done: number) => void): Promise<SessionResult> {
  return skipOnMemoryFault(() => withKernelFallback(request.backend, (choice) => pairOn(request, choice, onRound)));
}
