// The measured backward pass of a model file, as for a network's layers: each graph module's
// own gradient with respect to the activations it reads and its learned weights, dy = 1 of its
// output's shape (what a backward hook sees), on the real inputs of a forward pass; then the
// whole graph's, with respect to its inputs and every learned weight.
import * as tf from '@tensorflow/tfjs-core';
import { GraphIndex } from '../../model/graph/graph-index';
import type { InferredGraph } from '../../model/graph/infer';
import type { NodeGroup } from '../../model/graph/node-groups';
import type { GraphNode } from '../../model/graph/types';
import type { GraphExecutor } from '../../modules/graph-executor';
import { KINDS } from '../../model/kinds';
import { afterForward } from './gradient-kernels';
import { backwardKernels, gradientsOf, profiled } from './gradients';
import type { KernelRecord } from '../../model/kinds/kernel-reading';
import type { OnProgress } from './progress';

const recorded = (): number => tf.engine().state.activeProfile.kernels.length;

/**
 * tf.profile takes Math.max over its kernels' arguments, which overflows the stack past about
 * 120,000 kernels in one run (Concat of 100,000 slots of one tensor: one Add per slot's gradient).
 */
const PROFILE_KERNELS = 100_000;
/** Kernels per node in the module-gradient run, generously: its forward, the forward again, its gradient. */
const KERNELS_PER_NODE = 8;

/** A module whose output reaches no graph output (dead code): tf.grads refuses a weight off every path to the loss. */
function deadModule(g: InferredGraph, modules: readonly NodeGroup[]): NodeGroup | undefined {
  const index = GraphIndex.of(g);
  const live = new Set<GraphNode>();
  const todo = [...g.graph.outputs];
  for (let tensor = todo.pop(); tensor !== undefined; tensor = todo.pop()) {
    const node = index.producer(tensor);
    if (node === undefined || live.has(node)) continue;
    live.add(node);
    todo.push(...node.inputs);
  }
  return modules.find((m) => !m.nodes.some((n) => live.has(n)));
}

/**
 * A module that reads nothing the graph's inputs feed (Swin's attention mask, built from constants
 * at run time): autograd takes no gradient through it, which its gradient run would measure.
 */
function constantModule(g: InferredGraph, modules: readonly NodeGroup[]): NodeGroup | undefined {
  const fed = new Set(g.graph.inputs.map((i) => i.name));
  for (const node of g.order) if (!g.folded.has(node) && node.inputs.some((t) => fed.has(t))) for (const t of node.outputs) fed.add(t);
  return modules.find((m) => !m.nodes.some((n) => n.inputs.some((t) => fed.has(t))));
}

/** Why the backward pass cannot be measured: a module off every path to the loss or that tfjs takes no gradient through, or more kernels than tf.profile holds. */
export function gradientRunRefused(g: InferredGraph, executor: GraphExecutor): string | undefined {
  const dead = deadModule(g, executor.modules);
  if (dead !== undefined) return `module '${dead.name}' computes what no graph output reads: tfjs takes no gradient through it`;
  const index = GraphIndex.of(g);
  for (const m of executor.modules) {
    const kind = executor.planOf(m)?.kind;
    const gap = kind === undefined ? undefined : KINDS[kind].gradientGap?.(index, m);
    if (gap !== undefined) return `module '${m.name}': ${gap}`;
  }
  const constant = constantModule(g, executor.modules);
  if (constant !== undefined)
    return `module '${constant.name}' computes from constants only (a mask built at run time): autograd takes no gradient through it, which seprof's backward counts do not leave out yet`;
  const kernels = executor.modules.reduce((n, m) => n + KERNELS_PER_NODE * m.nodes.length + m.repeatedReads, 0);
  if (kernels <= PROFILE_KERNELS) return undefined;
  return `its backward pass runs about ${kernels.toLocaleString('en-US')} tfjs kernels in one profiled run, past the ${PROFILE_KERNELS.toLocaleString('en-US')} tf.profile can hold`;
}

export interface ModuleGradient {
  module: NodeGroup;
  /** The kernels of the module's own gradient, after the forward its gradient run repeats. */
  kernels: KernelRecord[];
}

/**
 * One forward pass under one profile (a profile per module would await between the executor's
 * synchronous steps); each module runs, then its gradient, and the span of each is its own.
 */
export async function moduleGradients(
  executor: GraphExecutor,
  inputs: ReadonlyMap<string, tf.Tensor>,
  onProgress: OnProgress | undefined,
): Promise<ModuleGradient[]> {
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
  return spans.map(({ module, from, mid, to }) => ({
    module,
    kernels: withoutSlotSums(module, afterForward(kernels.slice(mid, to), kernels.slice(from, mid))),
  }));
}

/**
 * A module reading one tensor in several slots (Concat(x, x)): tfjs sums the slots' gradients
 * inside the module's gradient run, the last Adds of that tensor's shape. They are gradient sums
 * (graph/fan-outs counts each slot as a reader), so they are left to the whole graph's run.
 */
function withoutSlotSums(module: NodeGroup, kernels: KernelRecord[]): KernelRecord[] {
  let left = module.repeatedReads;
  const isSum = (k: KernelRecord): boolean =>
    k.name === 'Add' && k.inputShapes.length === 2 && k.inputShapes.every((s) => JSON.stringify(s) === JSON.stringify(k.outputShapes[0]));
  return kernels
    .reverse()
    .filter((k) => !(left > 0 && isSum(k) && left-- > 0))
    .reverse();
}

/**
 * The kernels of the whole graph's backward. The loss sums every output: several are joined into
 * one tensor for tf.grads by reshapes and a concat, whose gradients only move data.
 */
export async function graphGradientKernels(executor: GraphExecutor, inputs: ReadonlyMap<string, tf.Tensor>): Promise<KernelRecord[]> {
  // A graph of views only (an Expand, a Reshape) has a gradient that moves data and runs no kernel; tf.grads would refuse it.
  if (executor.modules.length === 0) return [];
  const run = (): tf.Tensor =>
    tf.tidy(() => {
      const outputs = executor.run(inputs);
      return outputs.length === 1 ? (outputs[0] as tf.Tensor) : tf.concat(outputs.map((y) => tf.reshape(y, [-1])));
    });
  return backwardKernels({ run, wrt: [...new Set(inputs.values()), ...executor.learnedWeights()] });
}
