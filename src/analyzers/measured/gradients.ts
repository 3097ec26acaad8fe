// Runs tfjs gradients under tf.profile: of one layer with an upstream gradient dy (what a
// backward hook sees), and of the whole model with respect to its input and every weight.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterForward } from './gradient-kernels';
import type { KernelRecord } from './kernels';

async function profiled(run: () => tf.TensorContainer): Promise<KernelRecord[]> {
  const profile = await tf.profile(run);
  tf.dispose(profile.result);
  return profile.kernels;
}

/** The backward kernels of run() with respect to wrt, for dy = 1 (the loss sum(outputs)). */
async function gradientKernels(run: () => tf.Tensor, wrt: readonly tf.Tensor[]): Promise<KernelRecord[]> {
  const forward = await profiled(run);
  const dy = tf.tidy(() => tf.onesLike(run()));
  try {
    return afterForward(await profiled(() => tf.grads(run)([...wrt], dy)), forward);
  } finally {
    dy.dispose();
  }
}

/** The kernels of one layer's backward: gradients with respect to its inputs and trainable weights. */
export function layerGradientKernels(layer: tfl.layers.Layer, inputs: tf.Tensor[]): Promise<KernelRecord[]> {
  const run = (): tf.Tensor => layer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as tf.Tensor;
  return gradientKernels(run, [...inputs, ...layer.trainableWeights.map((w) => w.read())]);
}

/** The kernels of the whole model's backward, with respect to the input and every weight. */
export function modelGradientKernels(model: tfl.LayersModel, x: tf.Tensor): Promise<KernelRecord[]> {
  const run = (): tf.Tensor => model.apply(x) as tf.Tensor;
  return gradientKernels(run, [x, ...model.trainableWeights.map((w) => w.read())]);
}
