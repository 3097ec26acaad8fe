// Runs tfjs gradients under tf.profile: of one layer with an upstream gradient dy (what a
// backward hook sees), and of the whole model with respect to its input and every weight.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterForward } from './gradient-kernels';
import type { KernelRecord } from './kernels';

/** A forward computation and the tensors its gradient is taken with respect to. */
interface Differentiable {
  run: () => tf.Tensor;
  wrt: tf.Tensor[];
}

function ofLayer(layer: tfl.layers.Layer, inputs: tf.Tensor[]): Differentiable {
  const run = (): tf.Tensor => layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as tf.Tensor;
  return { run, wrt: [...inputs, ...layer.trainableWeights.map((w) => w.read())] };
}

function ofModel(model: tfl.LayersModel, x: tf.Tensor): Differentiable {
  return { run: () => model.apply(x) as tf.Tensor, wrt: [x, ...model.trainableWeights.map((w) => w.read())] };
}

/** The gradient for dy = 1 everywhere, the loss sum(outputs); values do not change the kernels. */
async function withOnes<T>({ run }: Differentiable, use: (dy: tf.Tensor) => Promise<T> | T): Promise<T> {
  const dy = tf.tidy(() => tf.onesLike(run()));
  try {
    return await use(dy);
  } finally {
    dy.dispose();
  }
}

async function profiled(work: () => tf.TensorContainer): Promise<KernelRecord[]> {
  const profile = await tf.profile(work);
  tf.dispose(profile.result);
  return profile.kernels;
}

/** The kernels of the backward pass alone: the gradient run, after the forward it repeats. */
async function backwardKernels(target: Differentiable): Promise<KernelRecord[]> {
  const forward = await profiled(target.run);
  return withOnes(target, async (dy) => afterForward(await profiled(() => tf.grads(target.run)(target.wrt, dy)), forward));
}

/** The kernels of one layer's backward: gradients with respect to its inputs and trainable weights. */
export function layerGradientKernels(layer: tfl.layers.Layer, inputs: tf.Tensor[]): Promise<KernelRecord[]> {
  return backwardKernels(ofLayer(layer, inputs));
}

/** The kernels of the whole model's backward, with respect to the input and every weight. */
export function modelGradientKernels(model: tfl.LayersModel, x: tf.Tensor): Promise<KernelRecord[]> {
  return backwardKernels(ofModel(model, x));
}

/**
 * Runs the model's gradient once, unprofiled, so that a backend missing a gradient kernel
 * fails here: a kernel error inside tf.profile would leave tfjs profiling every later kernel.
 */
export function tryModelGradient(model: tfl.LayersModel, x: tf.Tensor): Promise<void> {
  const target = ofModel(model, x);
  return withOnes(target, (dy) => tf.dispose(tf.grads(target.run)(target.wrt, dy)));
}
