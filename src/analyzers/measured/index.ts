// The measured path: build the spec's tfjs model, run it layer by layer under tf.profile,
// and read the ops from the kernels that executed and the weights that were allocated.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../../modules';
import type { Spec } from '../../spec';
import type { Op } from '../ops';
import { UsageError } from '../../errors';
import { useBackend } from './backend';
import type { BackendChoice, BackendInfo } from './backend-choice';
import { readBackward, type LayerGradient, type MeasuredBackward } from './gradient-kernels';
import { layerGradientKernels, modelGradientKernels, tryModelGradient } from './gradients';
import { opsFromKernels, type LayerFacts } from './kernels';
import { timeForward, type Latency } from './latency';

export interface MeasureOptions {
  backend: BackendChoice;
  runs: number;
  warmup: number;
  /** Also run the backward pass (--training). */
  training?: boolean;
}

export interface Measurement {
  backend: BackendInfo;
  ops: Op[];
  unrecognised: string[];
  latency: Latency;
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
  if (pool !== undefined) facts.poolSize = typeof pool === 'number' ? [pool, pool] : [pool[0] ?? 1, pool[1] ?? 1];
  if (strides !== undefined) facts.stride = typeof strides === 'number' ? strides : (strides[0] ?? 1);
  return facts;
}

/** Runs each layer on real tensors under its own profile: thop's forward hooks, in tfjs. */
async function profileLayers(
  model: tfl.LayersModel,
  x: tf.Tensor,
  training: boolean,
): Promise<{ ops: Op[]; unrecognised: string[]; gradients: LayerGradient[] }> {
  const values = new Map<number, tf.Tensor>();
  const modelInput = model.inputs[0];
  if (modelInput === undefined) throw new Error('model has no input');
  values.set(modelInput.id, x);
  const ops: Op[] = [];
  const unrecognised: string[] = [];
  const gradients: LayerGradient[] = [];
  for (const layer of model.layers) {
    const node = layer.inboundNodes[0];
    if (node === undefined || node.inboundLayers.length === 0) continue; // the input layer
    const inputs = node.inputTensors.map((t) => {
      const value = values.get(t.id);
      if (value === undefined) throw new Error(`layer ${layer.name} runs before its input ${t.name}`);
      return value;
    });
    let outputs: tf.Tensor | tf.Tensor[] = [];
    const profile = await tf.profile(() => {
      outputs = layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as tf.Tensor | tf.Tensor[];
      return outputs;
    });
    const produced = Array.isArray(outputs) ? outputs : [outputs];
    node.outputTensors.forEach((t, i) => {
      const value = produced[i];
      if (value !== undefined) values.set(t.id, value);
    });
    const facts = layerFacts(layer);
    const read = opsFromKernels(profile.kernels, facts);
    ops.push(...read.ops);
    unrecognised.push(...read.unrecognised.map((k) => `${layer.name}: ${k}`));
    if (training) gradients.push({ facts, hasOp: read.ops.length > 0, kernels: await layerGradientKernels(layer, inputs) });
  }
  for (const value of values.values()) value.dispose();
  return { ops, unrecognised, gradients };
}

/** tfjs prints banners and notices through console (the cpu backend's on first use). */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, info: console.info };
  console.log = console.warn = console.info = () => {};
  try {
    return await work();
  } finally {
    Object.assign(console, saved);
  }
}

export function measure(spec: Spec, options: MeasureOptions): Promise<Measurement> {
  const { channels, height, width } = spec.input;
  return measureModel(() => buildModel(spec), [spec.batch, height, width, channels], options);
}

/** Measures a model built on the chosen backend, on a random NHWC input of the given shape. */
export function measureModel(build: () => tfl.LayersModel, inputShape: readonly number[], options: MeasureOptions): Promise<Measurement> {
  return quietly(async () => {
    try {
      return await measureLoudly(build, inputShape, options, options.backend);
    } catch (error) {
      // wasm has no Conv2DBackpropFilter: auto moves to cpu, which implements every kernel.
      const kernel = missingKernel(error);
      if (kernel === undefined) throw error;
      if (options.backend === 'auto' && tf.getBackend() !== 'cpu') return measureLoudly(build, inputShape, options, 'cpu');
      throw new UsageError(`backend '${tf.getBackend()}' has no kernel '${kernel}' that this model needs; try --backend cpu`);
    }
  });
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
  const model = build();
  const x = tf.randomNormal([...inputShape]);
  try {
    const training = options.training ?? false;
    if (training) await tryModelGradient(model, x);
    const { ops, unrecognised, gradients } = await profileLayers(model, x.clone(), training);
    const backward = training ? readBackward(gradients, await modelGradientKernels(model, x)) : undefined;
    const latency = timeForward(model, x, options);
    return { backend, ops, unrecognised, latency, ...(backward === undefined ? {} : { backward }) };
  } finally {
    x.dispose();
    model.dispose();
  }
}
