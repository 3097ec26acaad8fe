// The measured backward pass of a model file, as for a network's layers: each graph module's
// own gradient with respect to the activations it reads and its learned weights, dy = 1 of its
// output's shape (what a backward hook sees), on the real inputs of a forward pass; then the
// whole graph's, with respect to its inputs and every learned weight.
import * as tf from '@tensorflow/tfjs-core';
import { GraphIndex } from '../../model/graph/graph-index';
import type { InferredGraph } from '../../model/graph/infer';
import type { NodeGroup } from '../../model/graph/node-groups';
import { attrInt, type GraphNode } from '../../model/graph/types';
import type { GraphExecutor } from '../../modules/graph-executor';
import type { OpKind } from '../ops';
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
 * A Gather on a trained tensor (a graph input or a learned weight reaches it) whose indices may
 * repeat: its gradient sums the slices that share an index, which the measured reading does not
 * cost (gradient-kernels, UnsortedSegmentSum) and the backward rules do not count.
 */
function summingGather(g: InferredGraph, index: GraphIndex): GraphNode | undefined {
  return g.order.find((node) => {
    if (node.opType !== 'Gather' || g.folded.has(node) || !index.trained(node.inputs[0] ?? '')) return false;
    const indices = g.tensors.get(node.inputs[1] ?? '')?.values?.data;
    if (indices === undefined) return true;
    const shape = index.shape(node.inputs[0] ?? '');
    const size = BigInt(shape[(Number(attrInt(node, 'axis', 0n)) + shape.length) % shape.length] ?? 0);
    const at = indices.map((i) => (BigInt(i) < 0n ? BigInt(i) + size : BigInt(i)));
    return new Set(at).size < at.length;
  });
}

/** The kinds whose backward rules leave out the gradient of a frozen input (model/kinds/plan: a buffer, a mask built from constants). */
const FROZEN_INPUTS_COUNTED: ReadonlySet<OpKind> = new Set<OpKind>(['add', 'sub', 'mul', 'div', 'pow', 'concat', 'scale', 'linear']);

/**
 * A module with a frozen input whose backward counts cannot leave that input's gradient out: a
 * kind whose rules count every input's gradient (a conv over a buffer), or a concat with learned
 * tokens. Ops frozen whole have no backward pass at all, which both sides leave out.
 */
function frozenGap(executor: GraphExecutor): string | undefined {
  for (const m of executor.modules) {
    const planned = executor.planOf(m);
    const frozen = planned?.attrs?.frozen;
    if (planned === undefined || frozen === undefined || frozen === 'all') continue;
    if (FROZEN_INPUTS_COUNTED.has(planned.kind) && planned.attrs?.tokens === undefined) continue;
    return `module '${m.name}' reads '${planned.inputs[frozen[0] ?? 0]}', which autograd takes no gradient for (a constant or a buffer, or computed from them only): seprof's backward counts for a ${planned.kind} do not leave that gradient out yet`;
  }
  return undefined;
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
  const frozen = frozenGap(executor);
  if (frozen !== undefined) return frozen;
  const gather = summingGather(g, index);
  if (gather !== undefined)
    return `node '${gather.name}' gathers with indices that may repeat: its gradient sums the slices that share one, which seprof's backward counts do not count yet`;
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
  const spans: { module: NodeGroup; from: number; mid: number; to: number; gradient: boolean }[] = [];
  const kernels = await profiled(() => {
    const around = (module: NodeGroup, run: () => tf.Tensor, wrt: () => tf.Tensor[]): tf.Tensor => {
      const from = recorded();
      const y = run();
      const mid = recorded();
      // A module computed from constants only (Swin's attention mask) has no gradient to take.
      const xs = wrt();
      if (xs.length > 0) tf.dispose(gradientsOf({ run, wrt: xs }));
      spans.push({ module, from, mid, to: recorded(), gradient: xs.length > 0 });
      onProgress?.(spans.length, executor.modules.length, 'layer gradients');
      return y;
    };
    tf.dispose(executor.run(inputs, around));
    return [];
  });
  return spans.map(({ module, from, mid, to, gradient }) => ({
    module,
    kernels: gradient ? withoutSlotSums(module, afterForward(kernels.slice(mid, to), kernels.slice(from, mid))) : [],
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
