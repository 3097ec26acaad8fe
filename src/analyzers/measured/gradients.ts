// Runs tfjs gradients under tf.profile: of one layer with an upstream gradient dy (what a
// backward hook sees), and of the whole model with respect to its input and every weight.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterForward } from './gradient-kernels';
import type { KernelRecord } from '../../model/kinds/kernel-reading';

/** A forward computation and the tensors its gradient is taken with respect to. */
export interface Differentiable {
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

/**
 * The kernels one profiled run executed. A kernel error inside tf.profile would leave tfjs
 * profiling every later kernel, so profiling is switched off again before the error goes on:
 * the caller may then measure on another backend.
 */
export async function profiled(work: () => tf.TensorContainer): Promise<KernelRecord[]> {
  try {
    const profile = await tf.profile(work);
    tf.dispose(profile.result);
    return profile.kernels;
  } catch (error) {
    tf.engine().state.profiling = false;
    throw error;
  }
}

/**
 * The gradients for dy = 1 everywhere, the loss sum(outputs): tf.grads' default dy, made
 * without a kernel or a forward run to learn the output's shape.
 */
export const gradientsOf = ({ run, wrt }: Differentiable): tf.Tensor[] => tf.grads(run)(wrt);

/** The kernels of the backward pass alone: the gradient run, after the forward it repeats. */
export async function backwardKernels(target: Differentiable): Promise<KernelRecord[]> {
  const forward = await profiled(target.run);
  return afterForward(await profiled(() => gradientsOf(target)), forward);
}

/** The kernels of one layer's backward: gradients with respect to its inputs and trainable weights. */
export function layerGradientKernels(layer: tfl.layers.Layer, inputs: tf.Tensor[]): Promise<KernelRecord[]> {
  return backwardKernels(ofLayer(layer, inputs));
}

/** The kernels of the whole model's backward, with respect to the input and every weight. */
export function modelGradientKernels(model: tfl.LayersModel, x: tf.Tensor): Promise<KernelRecord[]> {
  return backwardKernels(ofModel(model, x));
}
