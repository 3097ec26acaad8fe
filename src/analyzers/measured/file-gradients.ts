// The measured backward pass of a model file, as for a network's layers: each graph module's
// own gradient with respect to the activations it reads and its learned weights, dy = 1 of its
// output's shape (what a backward hook sees), on the real inputs of a forward pass; then the
// whole graph's, with respect to its inputs and every learned weight.
import * as tf from '@tensorflow/tfjs-core';
import type { NodeGroup } from '../../model/graph/node-groups';
import type { GraphExecutor } from '../../modules/graph-executor';
import { afterForward } from './gradient-kernels';
import { backwardKernels, gradientsOf, profiled } from './gradients';
import type { KernelRecord } from '../../model/kinds/kernel-reading';
import type { OnProgress } from './progress';

const recorded = (): number => tf.engine().state.activeProfile.kernels.length;

export interface ModuleGradient {
  module: NodeGroup;
  /** The kernels of the module's own gradient, after the forward its gradient run repeats. */
  kernels: KernelRecord[];
}

/**
 * One forward pass under one profile (a profile per module would await between the executor's
 * synchronous steps); each module runs, then its gradient, and the span of each is its own.
 */
export async function moduleGradients(executor: GraphExecutor, inputs: ReadonlyMap<string, tf.Tensor>, onProgress: OnProgress | undefined): Promise<ModuleGradient[]> {
  const spans: { module: NodeGroup; from: number; mid: number; to: number }[] = [];
  const kernels = await profiled(() => {
    const around = (module: NodeGroup, run: () => tf.Tensor, wrt: () => tf.Tensor[]): tf.Tensor => {
      const from = recorded();
      const y = run();
      const mid = recorded();
      tf.dispose(gradientsOf({ run, wrt: wrt() }));
      spans.push({ module, from, mid, to: recorded() });
      onProgress?.(spans.length, executor.modules.length, 'layer gradients');
      return y;
    };
    tf.dispose(executor.run(inputs, around));
    return [];
  });
  return spans.map(({ module, from, mid, to }) => ({ module, kernels: afterForward(kernels.slice(mid, to), kernels.slice(from, mid)) }));
}

/**
 * The kernels of the whole graph's backward. The loss sums every output: several are joined into
 * one tensor for tf.grads by reshapes and a concat, whose gradients only move data.
 */
export function graphGradientKernels(executor: GraphExecutor, inputs: ReadonlyMap<string, tf.Tensor>): Promise<KernelRecord[]> {
  const run = (): tf.Tensor =>
    tf.tidy(() => {
      const outputs = executor.run(inputs);
      return outputs.length === 1 ? (outputs[0] as tf.Tensor) : tf.concat(outputs.map((y) => tf.reshape(y, [-1])));
    });
  return backwardKernels({ run, wrt: [...new Set(inputs.values()), ...executor.learnedWeights()] });
}
