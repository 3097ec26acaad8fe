// The order a model file's graph runs in, module by module with the views between them, and
// when each activation can go: the graph executor frees by it, and the measured run's memory
// estimate reads its peak from it.
import type { InferredGraph } from './infer';
import { GraphIndex } from './graph-index';
import { nodeGroups, type NodeGroup } from './node-groups';
import { KINDS } from '../kinds';
import { planModule } from '../kinds/plan';
import type { GraphNode } from './types';

/** Views that hand their input on as it is: one tensor under a second name. */
export const ALIAS_VIEWS: ReadonlySet<string> = new Set(['Identity', 'Dropout', 'Cast', 'Expand']);

/** A module, run whole at its last node (a Concat after the Expand of its class token), or a view between modules. */
export type Step = ({ module: NodeGroup } | { view: GraphNode }) & {
  /** Activations no later step reads (graph outputs never): freed once this step ran. */
  frees: readonly string[];
};

const nodesOf = (step: { module: NodeGroup } | { view: GraphNode }): readonly GraphNode[] => ('view' in step ? [step.view] : step.module.nodes);

/** A tensor the graph computes as it runs: shaped, and neither a weight nor a folded constant. */
export function activationOf(g: InferredGraph, index: GraphIndex): (t: string) => boolean {
  return (t) => t !== '' && g.tensors.has(t) && !index.isConstant(t);
}

export function schedule(g: InferredGraph): Step[] {
  const activation = activationOf(g, GraphIndex.of(g));
  const moduleOf = new Map(nodeGroups(g).flatMap((m) => m.nodes.map((n) => [n, m] as const)));
  const steps: ({ module: NodeGroup } | { view: GraphNode })[] = [];
  for (const node of g.order) {
    if (g.folded.has(node)) continue;
    const m = moduleOf.get(node);
    if (m === undefined) steps.push({ view: node });
    else if (node === m.nodes.at(-1)) steps.push({ module: m });
  }
  // The last step to touch each activation: its last reader, or its writer when nothing reads it.
  const last = new Map<string, number>();
  steps.forEach((step, i) => {
    for (const n of nodesOf(step)) for (const t of [...n.inputs, ...n.outputs]) if (activation(t)) last.set(t, i);
  });
  const outputs = new Set(g.graph.outputs);
  const frees = steps.map((): string[] => []);
  for (const [t, i] of last) if (!outputs.has(t)) frees[i]?.push(t);
  return steps.map((step, i) => ({ ...step, frees: frees[i] ?? [] }));
}

/**
 * A step's own intermediates, in its largest tensors: hardswish's x + 3, relu6 and product
 * before the division; a grouped conv's parts, per-group outputs and their concatenation
 * before the bias; a view's layout copies; a kernel's scratch (wasm's Mean transposes its input).
 */
const INTERMEDIATES = 3n;

const FLOAT32_BYTES = 4n;

/**
 * Bytes of activations alive at the peak of a pass that runs `schedule(g)` and frees as it
 * says: the graph's inputs throughout, every activation until its last reader ran, and each
 * step's intermediates while it runs. A view that hands its input on holds nothing new.
 */
export function livePeakBytes(g: InferredGraph): bigint {
  const index = GraphIndex.of(g);
  const activation = activationOf(g, index);
  const inputs = new Set(g.graph.inputs.map((i) => i.name));
  const bytes = (t: string): bigint => index.shape(t).reduce((n, d) => n * BigInt(d), FLOAT32_BYTES);
  // Each live name and the tensor whose data it is; a tensor goes with its last name.
  const dataOf = new Map<string, string>();
  const names = new Map<string, number>();
  const hold = (name: string, data: string): void => {
    dataOf.set(name, data);
    names.set(data, (names.get(data) ?? 0) + 1);
  };
  let live = 0n;
  for (const input of inputs) {
    hold(input, input);
    live += bytes(input);
  }
  let peak = live;
  for (const step of schedule(g)) {
    const touched = nodesOf(step)
      .flatMap((n) => [...n.inputs, ...n.outputs])
      .filter(activation);
    const writes = ('view' in step ? step.view.outputs : [step.module.output]).filter(activation);
    if ('view' in step && ALIAS_VIEWS.has(step.view.opType)) {
      const data = dataOf.get(step.view.inputs[0] ?? '');
      if (data !== undefined) for (const t of writes) hold(t, data);
    } else {
      const made = writes.reduce((sum, t) => sum + bytes(t), 0n);
      const largest = touched.reduce((most, t) => (bytes(t) > most ? bytes(t) : most), 0n);
      if (live + made + INTERMEDIATES * largest > peak) peak = live + made + INTERMEDIATES * largest;
      for (const t of writes) hold(t, t);
      live += made;
    }
    for (const t of step.frees) {
      const data = dataOf.get(t);
      if (data === undefined) continue;
      dataOf.delete(t);
      const left = (names.get(data) ?? 1) - 1;
      names.set(data, left);
      // The inputs are the caller's: held to the end.
      if (left === 0 && !inputs.has(data)) live -= bytes(data);
    }
  }
  return peak;
}

/** A view's kernels: a rank-4 one goes through NCHW and back (two transposes) around its own. */
const VIEW_KERNELS = 3n;

/** The kernels a module's kind runs for it; a module with no kind is not run (the graph is not measured). */
function kernelsOf(index: GraphIndex, m: NodeGroup): bigint {
  const planned = planModule(index, m);
  return planned === undefined ? 0n : BigInt(KINDS[planned.kind].kernelCount(index, m));
}

/**
 * Bytes of every tensor a forward pass of `schedule(g)` makes, none freed: each kernel a step
 * runs makes at most one tensor as large as the largest the step touches. A training step's
 * tape keeps what the backward pass reads of them.
 */
export function madeBytes(g: InferredGraph): bigint {
  const index = GraphIndex.of(g);
  const activation = activationOf(g, index);
  const bytes = (t: string): bigint => index.shape(t).reduce((n, d) => n * BigInt(d), FLOAT32_BYTES);
  let made = 0n;
  for (const step of schedule(g)) {
    if ('view' in step && ALIAS_VIEWS.has(step.view.opType)) continue;
    const nodes = nodesOf(step);
    const largest = nodes
      .flatMap((n) => [...n.inputs, ...n.outputs])
      .filter(activation)
      .reduce((most, t) => (bytes(t) > most ? bytes(t) : most), 0n);
    const kernels = 'view' in step ? VIEW_KERNELS : kernelsOf(index, step.module);
    made += kernels * largest;
  }
  return made;
}
