// The measured path: build the spec's tfjs model, run it layer by layer under tf.profile,
// and read the ops from the kernels that executed and the weights that were allocated.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from '../../modules';
import type { Spec } from '../../spec';
import type { Op } from '../ops';
import { useBackend } from './backend';
import type { BackendChoice, BackendInfo } from './backend-choice';
import { opsFromKernels, type LayerFacts } from './kernels';
import { timeForward, type Latency, type TimingPlan } from './latency';

export interface MeasureOptions extends TimingPlan {
  backend: BackendChoice;
}

export interface Measurement {
  backend: BackendInfo;
  ops: Op[];
  unrecognised: string[];
  latency: Latency;
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
async function profileLayers(model: tfl.LayersModel, x: tf.Tensor): Promise<{ ops: Op[]; unrecognised: string[] }> {
  const values = new Map<number, tf.Tensor>();
  const modelInput = model.inputs[0];
  if (modelInput === undefined) throw new Error('model has no input');
  values.set(modelInput.id, x);
  // Each activation is freed once its last reader has run: a ResNet-152 keeps only a few alive.
  const readers = new Map<number, number>();
  for (const layer of model.layers) {
    for (const t of layer.inboundNodes[0]?.inputTensors ?? []) readers.set(t.id, (readers.get(t.id) ?? 0) + 1);
  }
  const ops: Op[] = [];
  const unrecognised: string[] = [];
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
    for (const t of node.inputTensors) {
      const left = (readers.get(t.id) ?? 1) - 1;
      readers.set(t.id, left);
      if (left === 0) {
        values.get(t.id)?.dispose();
        values.delete(t.id);
      }
    }
    const read = opsFromKernels(profile.kernels, layerFacts(layer));
    ops.push(...read.ops);
    unrecognised.push(...read.unrecognised.map((k) => `${layer.name}: ${k}`));
  }
  for (const value of values.values()) value.dispose();
  return { ops, unrecognised };
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
  return quietly(() => measureLoudly(spec, options));
}

async function measureLoudly(spec: Spec, options: MeasureOptions): Promise<Measurement> {
  const backend = await useBackend(options.backend);
  const model = buildModel(spec);
  const { channels, height, width } = spec.input;
  const x = tf.randomNormal([spec.batch, height, width, channels]); // NHWC
  try {
    const { ops, unrecognised } = await profileLayers(model, x.clone());
    const latency = timeForward(model, x, options);
    return { backend, ops, unrecognised, latency };
  } finally {
    x.dispose();
    model.dispose();
  }
}
