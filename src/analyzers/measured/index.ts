// The measured path: build the spec's tfjs model, run it layer by layer under tf.profile,
// and read the ops from the kernels that executed and the weights that were allocated.
// First: tfjs's bundles then compile from V8's code cache when one is there.
import './compile-cache';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { UsageError } from '../../errors';
import { buildModel, isFunctionalMean } from '../../modules';
import type { Spec } from '../../model/spec';
import type { Op } from '../ops';
import { useBackend } from './backend';
import type { BackendChoice, BackendInfo } from './backend-choice';
import { readBackward, type LayerGradient, type MeasuredBackward } from './gradient-kernels';
import { layerGradientKernels, modelGradientKernels } from './gradients';
import type { LayerFacts } from '../../model/kinds/kernel-reading';
import { timeForward } from './latency';
import { summarize, type Latency, type Timing } from './timing';
import { assertFits, skipOnMemoryFault } from './memory';
import { oneAtATime } from './one-at-a-time';
import type { OnProgress } from './progress';
import { readPass, recordPass, type Around, type RecordedPass, type UnitReader } from './record';

export interface MeasureOptions {
  backend: BackendChoice;
  /** Time the forward pass (and every layer) only when asked: counts are the point. */
  timing?: Timing | undefined;
  /** Also run the backward pass (`--training`). */
  training?: boolean | undefined;
  /** Told as layers and timed runs are done. */
  onProgress?: OnProgress | undefined;
  /** The estimated peak of the run, checked against what the chosen backend can hold. */
  peakBytes?: bigint | undefined;
}

export interface Measurement {
  backend: BackendInfo;
  ops: Op[];
  unrecognised: string[];
  /** With `timing`. */
  latency?: Latency;
  /** Median ms per layer name, with `timing.perLayer`. */
  layerMs?: Record<string, number>;
  /** With `training`: the backward counts read from the gradient kernels. */
  backward?: MeasuredBackward;
}

function weightCount(weights: readonly tfl.LayerVariable[]): bigint {
  return weights.reduce((sum, w) => sum + w.shape.reduce((n: bigint, d) => n * BigInt(d ?? 1), 1n), 0n);
}

function layerFacts(layer: tfl.layers.Layer): LayerFacts {
  const config = layer.getConfig();
  const pool = config['poolSize'] as number[] | number | undefined;
  const strides = config['strides'] as number[] | number | undefined;
  const facts: LayerFacts = {
    name: layer.name,
    params: weightCount(layer.trainableWeights),
    buffers: weightCount(layer.nonTrainableWeights),
  };
  if (isFunctionalMean(layer)) facts.mean = 'reduce_mean';
  if (pool !== undefined) facts.poolSize = typeof pool === 'number' ? [pool, pool] : [pool[0] ?? 1, pool[1] ?? 1];
  if (strides !== undefined) facts.stride = typeof strides === 'number' ? strides : (strides[0] ?? 1);
  return facts;
}

type LayerOutput = tf.Tensor | tf.Tensor[];

/** How a pass over the layers reports and cleans up behind itself. */
interface WalkOptions {
  /** Told after every layer: how many have run, of how many. */
  onLayer?: ((done: number, total: number) => void) | undefined;
  /** When given, each layer's weights are freed once it ran, and added here: for the last pass over a model. */
  released?: Set<tfl.LayerVariable> | undefined;
}

/** The layers a pass runs: all but the input layers. */
function layerSteps(model: tfl.LayersModel): tfl.layers.Layer[] {
  return model.layers.filter((layer) => (layer.inboundNodes[0]?.inboundLayers.length ?? 0) > 0);
}

/**
 * Runs the model layer by layer on real tensors, in order; `visit` wraps each layer's run
 * and may await between layers. Each activation is freed once its last reader has run: a
 * ResNet-152 keeps only a few alive. The input `x` stays the caller's.
 */
async function walkLayers(
  model: tfl.LayersModel,
  x: tf.Tensor,
  visit: (layer: tfl.layers.Layer, inputs: tf.Tensor[], run: () => LayerOutput) => LayerOutput | Promise<LayerOutput>,
  { onLayer, released }: WalkOptions = {},
): Promise<void> {
  const values = new Map<number, tf.Tensor>();
  const modelInput = model.inputs[0];
  if (modelInput === undefined) throw new Error('model has no input');
  values.set(modelInput.id, x);
  const readers = new Map<number, number>();
  for (const layer of model.layers) {
    for (const t of layer.inboundNodes[0]?.inputTensors ?? []) readers.set(t.id, (readers.get(t.id) ?? 0) + 1);
  }
  const steps = layerSteps(model);
  try {
    for (const [done, layer] of steps.entries()) {
      const node = layer.inboundNodes[0];
      if (node === undefined) continue;
      const inputs = node.inputTensors.map((t) => {
        const value = values.get(t.id);
        if (value === undefined) throw new Error(`layer ${layer.name} runs before its input ${t.name}`);
        return value;
      });
      const visited = visit(layer, inputs, () => layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as LayerOutput);
      const outputs = visited instanceof Promise ? await visited : visited; // no tick for a synchronous visit
      const produced = Array.isArray(outputs) ? outputs : [outputs];
      node.outputTensors.forEach((t, i) => {
        const value = produced[i];
        if (value !== undefined) values.set(t.id, value);
      });
      for (const t of node.inputTensors) {
        const left = (readers.get(t.id) ?? 1) - 1;
        readers.set(t.id, left);
        if (left === 0) {
          const value = values.get(t.id);
          if (value !== x) value?.dispose();
          values.delete(t.id);
        }
      }
      // Disposing a weight also frees the packed copy the wasm backend made of it for XNNPACK.
      if (released !== undefined) {
        for (const weight of layer.weights) {
          weight.dispose();
          released.add(weight);
        }
      }
      onLayer?.(done + 1, steps.length);
    }
  } finally {
    for (const value of values.values()) if (value !== x) value.dispose();
  }
}

/** A layer-by-layer pass under one tf.profile, each layer's kernels recorded as its own (bench/run.mjs times it). */
export function recordLayers(
  model: tfl.LayersModel,
  x: tf.Tensor,
  { onProgress, released }: { onProgress: OnProgress | undefined; released?: Set<tfl.LayerVariable> },
): Promise<RecordedPass<tfl.layers.Layer>> {
  const pass = (around: Around<tfl.layers.Layer>): Promise<void> => walkLayers(model, x, (layer, _, run) => around(layer, run), { released });
  return recordPass(pass, { total: layerSteps(model).length, onProgress });
}

// Facts read weight shapes and the config, never weight values: released weights are fine.
const LAYER_READER: UnitReader<tfl.layers.Layer> = { facts: layerFacts, label: (layer) => layer.name };

/** Each layer's time by `now` (the wall clock unless told) in each of `runs` layer-by-layer passes, each layer waited for. */
export async function layerPasses(model: tfl.LayersModel, x: tf.Tensor, runs: number, now = (): number => performance.now()): Promise<Map<string, number>[]> {
  const passes: Map<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const times = new Map<string, number>();
    await walkLayers(model, x, (layer, _, run) => {
      const start = now();
      const outputs = run();
      for (const output of Array.isArray(outputs) ? outputs : [outputs]) output.dataSync();
      times.set(layer.name, now() - start);
      return outputs;
    });
    passes.push(times);
  }
  return passes;
}

/** Median wall time of each layer over `runs` layer-by-layer passes. */
async function layerTimes(model: tfl.LayersModel, x: tf.Tensor, runs: number): Promise<Record<string, number>> {
  const passes = await layerPasses(model, x, runs);
  const names = [...(passes[0]?.keys() ?? [])];
  return Object.fromEntries(
    names.map((name) => [
      name,
      summarize(
        passes.map((p) => p.get(name) ?? Number.NaN),
        0,
      ).medianMs,
    ]),
  );
}

/**
 * Each layer's backward kernels, from its own gradient with an upstream dy (what a backward
 * hook sees), on the real inputs of a layer-by-layer pass.
 */
async function layerGradients(model: tfl.LayersModel, x: tf.Tensor, ops: readonly Op[], onProgress: OnProgress | undefined): Promise<LayerGradient[]> {
  const withOps = new Set(ops.map((op) => op.name));
  const gradients: LayerGradient[] = [];
  const visit = async (layer: tfl.layers.Layer, inputs: tf.Tensor[], run: () => LayerOutput): Promise<LayerOutput> => {
    const facts = layerFacts(layer);
    gradients.push({ facts, hasOp: withOps.has(layer.name), kernels: await layerGradientKernels(layer, inputs) });
    return run();
  };
  await walkLayers(model, x, visit, { onLayer: (done, total) => onProgress?.(done, total, 'layer gradients') });
  return gradients;
}

export { MeasurementSkipped } from './memory';

export function measure(spec: Spec, options: MeasureOptions): Promise<Measurement> {
  const { channels, height, width } = spec.input;
  // Shared weights are cheaper to build and to pack; timing wants a model's distinct weights.
  const build = (): tfl.LayersModel => buildModel(spec, { shareWeights: options.timing === undefined });
  return measureModel(build, [spec.batch, height, width, channels], options);
}

/** Measures a model built on the chosen backend, on a random NHWC input of the given shape. */
export function measureModel(build: () => tfl.LayersModel, inputShape: readonly number[], options: MeasureOptions): Promise<Measurement> {
  return oneAtATime(() => skipOnMemoryFault(() => withKernelFallback(options.backend, (choice) => measureLoudly(build, inputShape, options, choice))));
}

/**
 * Runs `measureOn` on the chosen backend. When that backend lacks a kernel the model needs,
 * auto moves to cpu, which implements every kernel, and says so; a backend asked for by name
 * is refused with the hint.
 */
export async function withKernelFallback<T>(choice: BackendChoice, measureOn: (choice: BackendChoice) => Promise<T>): Promise<T> {
  try {
    return await measureOn(choice);
  } catch (error) {
    const kernel = missingKernel(error);
    if (kernel === undefined) throw error;
    if (choice === 'auto' && tf.getBackend() !== 'cpu') {
      process.stderr.write(
        `seprof: the ${tf.getBackend()} backend has no kernel '${kernel}' that this model needs; measuring on cpu instead, which is slower\n`,
      );
      return measureOn('cpu');
    }
    throw new UsageError(`backend '${tf.getBackend()}' has no kernel '${kernel}' that this model needs; try --backend cpu`);
  }
}

function missingKernel(error: unknown): string | undefined {
  return error instanceof Error ? /^Kernel '(\w+)' not registered/.exec(error.message)?.[1] : undefined;
}

async function measureLoudly(
  build: () => tfl.LayersModel,
  inputShape: readonly number[],
  options: MeasureOptions,
  choice: BackendChoice,
): Promise<Measurement> {
  const backend = await useBackend(choice);
  assertFits(backend.name, options.peakBytes);
  const model = build();
  // Values change no kernel; filled on the backend, the input has no copy in JavaScript.
  const x = tf.fill([...inputShape], 1); // NHWC
  const released = new Set<tfl.LayerVariable>();
  try {
    const { timing, onProgress } = options;
    const training = options.training === true;
    // By default the profiled pass is the only one: it is the first forward too (no warm-up,
    // since nothing is timed), and it frees each layer's weights behind itself.
    const last = !training && timing === undefined;
    const { ops, unrecognised } = readPass(await recordLayers(model, x, { onProgress, ...(last && { released }) }), LAYER_READER);
    const backward = training ? readBackward(await layerGradients(model, x, ops, onProgress), await modelGradientKernels(model, x)) : undefined;
    const latency = timing === undefined ? undefined : timeForward(model, x, timing, onProgress);
    const layerMs = timing?.perLayer === true && latency !== undefined ? await layerTimes(model, x, Math.max(1, Math.min(latency.runs, 10))) : undefined;
    return { backend, ops, unrecognised, ...(latency && { latency }), ...(layerMs && { layerMs }), ...(backward && { backward }) };
  } finally {
    x.dispose();
    disposeModel(model, released);
  }
}

/** Frees the model's weights that a pass has not freed already (tfjs refuses to free one twice). */
function disposeModel(model: tfl.LayersModel, released: ReadonlySet<tfl.LayerVariable>): void {
  if (released.size === 0) model.dispose();
  else for (const weight of model.weights) if (!released.has(weight)) weight.dispose();
}
