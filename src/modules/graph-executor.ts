// Executes a model file's graph in tfjs, module by module, with the file's weights: each module
// runs its op kind's formula (model/kinds), the kind the analytic path planned for it. The graph
// is NCHW; tfjs convolves NHWC, so rank-4 tensors are kept NHWC and views (Reshape, Flatten,
// ...) go through NCHW with transposes: layout, not arithmetic, and outside every module.
import * as tf from '@tensorflow/tfjs-core';
import type { InferredGraph } from '../model/graph/infer';
import { groupNormParts, layerNormParts, type NodeInput } from '../model/graph/fusions';
import { GraphIndex, WEIGHTED_OPS } from '../model/graph/graph-index';
import { nodeGroups, isValueNode, isViewNode, type NodeGroup } from '../model/graph/node-groups';
import { alignedShape, constantOperand, ELEMENTWISE_OPS } from '../model/graph/op-attrs';
import { attrInt, attrInts, DTYPE, type GraphNode } from '../model/graph/types';
import { floatWeights } from '../model/graph/weights';
import { sliceRanges, type SliceRange } from '../model/graph/rules/tensor';
import { ALIAS_VIEWS, schedule, type Step } from '../model/graph/schedule';
import type { OpKind } from '../analyzers/ops';
import { KINDS } from '../model/kinds';
import { storedAxis } from '../model/kinds/kernel-reading';
import { isGroupedConv } from '../model/kinds/conv2d';
import type { Planned, RunContext } from '../model/kinds/kind';
import { toGraphOrder, toStored } from '../model/kinds/layout';
import { planModule } from '../model/kinds/plan';
import { LiveValues } from './live-values';
import { runValueOp, tfDtype, valueGap } from './value-ops';

/** NCHW-ordered `t` broadcast to `shape`: itself when it has that shape already (a batch of 1). */
const expandTo = (t: tf.Tensor, shape: readonly number[]): tf.Tensor =>
  t.shape.every((d, i) => d === shape[i]) && t.rank === shape.length ? t : tf.broadcastTo(t, [...shape]);

/**
 * A Slice's cut of `x`: a slice of the axes whose step is 1, then, on each other axis
 * (`x[:, 0::2]`, `x.flip(1)`), a gather of the indices it takes (tfjs' stridedSlice has no gradient).
 */
function cut(x: tf.Tensor, ranges: readonly SliceRange[]): tf.Tensor {
  const begin = ranges.map((r) => (r.step === 1 ? r.start : 0));
  const size = ranges.map((r, axis) => (r.step === 1 ? r.length : (x.shape[axis] as number)));
  return ranges.reduce(
    (y, r, axis) => {
      if (r.step === 1) return y;
      const taken = Array.from({ length: r.length }, (_, k) => r.start + k * r.step);
      return tf.gather(y, tf.tensor1d(taken, 'int32'), axis);
    },
    tf.slice(x, begin, size),
  );
}

/** The activations a node reads, by tensor name. */
interface Values {
  get(name: string): tf.Tensor | undefined;
}

/**
 * Wraps one module's run; `wrt` gives what the module's gradient is taken with respect to (the
 * activations it reads and its learned weights).
 */
export type ModuleAround = (m: NodeGroup, run: () => tf.Tensor, wrt: () => tf.Tensor[]) => tf.Tensor;

export interface ModuleWeights {
  params: bigint;
  buffers: bigint;
}

export class GraphExecutor {
  readonly modules: NodeGroup[];
  private readonly index: GraphIndex;
  private readonly weights = new Map<string, tf.Tensor>();
  private readonly groups = new Map<string, tf.Tensor[]>();
  private readonly constants = new Map<string, tf.Tensor>();
  /** Each module's op, as the analytic path plans it: the kind whose formula runs it. */
  private readonly plans: ReadonlyMap<NodeGroup, Planned<OpKind> | undefined>;
  /** The kind each node's module runs as: how the node's weights are laid out. */
  private readonly kindOf: ReadonlyMap<GraphNode, OpKind>;
  private readonly steps: readonly Step[];

  constructor(private readonly g: InferredGraph) {
    this.index = GraphIndex.of(g);
    this.modules = nodeGroups(g);
    this.plans = new Map(this.modules.map((m) => [m, planModule(this.index, m)]));
    this.kindOf = new Map(
      this.modules.flatMap((m) => {
        const kind = this.plans.get(m)?.kind;
        return kind === undefined ? [] : m.nodes.map((n) => [n, kind] as const);
      }),
    );
    this.steps = schedule(g);
  }

  /** The op a module runs as (the analytic path's plan of it), or undefined when it has no kind. */
  planOf(m: NodeGroup): Planned<OpKind> | undefined {
    return this.plans.get(m);
  }

  /**
   * What this executor cannot run, one line per op type naming its first node and why: a graph
   * with any of it is not measured.
   */
  unsupported(): string[] {
    const why = new Map<string, string>();
    for (const step of this.steps) {
      const node = 'view' in step ? step.view : step.module.main;
      const reason = 'view' in step ? this.viewGap(node) : this.moduleGap(step.module);
      if (reason !== undefined && !why.has(node.opType)) why.set(node.opType, `${node.opType} (node '${node.name}': ${reason})`);
    }
    return [...why.values()];
  }

  /** Why a module cannot run, or undefined when it can. */
  private moduleGap(m: NodeGroup): string | undefined {
    const planned = this.plans.get(m);
    if (planned === undefined) return 'seprof has no op kind for it';
    return KINDS[planned.kind].runnable(this.index, m) ? undefined : `tfjs has no kernel that computes this ${planned.kind} as PyTorch does`;
  }

  /** Why a view or value node between modules cannot run, or undefined when it can. */
  private viewGap(node: GraphNode): string | undefined {
    if (isValueNode(this.index, node)) return valueGap(node);
    return isViewNode(this.index, node) && node.opType !== 'Constant' ? undefined : 'a view tfjs is not given';
  }

  /**
   * The weights a module's nodes read, allocated now (before any profiling) as the tfjs
   * tensors the kernels take: BN statistics are buffers, everything else params.
   */
  moduleWeights(m: NodeGroup): ModuleWeights {
    const { learned, buffers } = this.moduleTensors(m);
    const size = (ts: readonly tf.Tensor[]): bigint => ts.reduce((n, t) => n + BigInt(t.size), 0n);
    return { params: size(learned), buffers: size(buffers) };
  }

  /** Every learned tensor the graph's kernels take, once: what a training step differentiates. */
  learnedWeights(): tf.Tensor[] {
    return [...new Set(this.modules.flatMap((m) => this.moduleTensors(m).learned))];
  }

  /**
   * The tensors a module's kernels take as weights: learned ones (initializers: a grouped conv's
   * per-group filters, a learned elementwise operand) and BN's running statistics (buffers).
   */
  private moduleTensors(m: NodeGroup): { learned: tf.Tensor[]; buffers: tf.Tensor[] } {
    if (this.plans.get(m)?.kind === 'layernorm') return { learned: this.layerNormLearned(m), buffers: [] };
    if (this.plans.get(m)?.kind === 'group_norm') return { learned: this.groupNormLearned(m), buffers: [] };
    // GELU's constants are its formula's.
    if (m.fused === 'gelu' || m.fused === 'gelu-tanh') return { learned: [], buffers: [] };
    const learned: tf.Tensor[] = [];
    const buffers: tf.Tensor[] = [];
    for (const node of m.nodes) {
      const weighted =
        WEIGHTED_OPS.has(node.opType) || (m.fused === 'linear-bias' && node.opType === 'Add') || (m.fused === 'learned-tokens' && node.opType === 'Expand');
      if (!weighted && ELEMENTWISE_OPS.has(node.opType)) {
        const at = constantOperand(this.index, node);
        const operand = at === undefined ? undefined : this.constant(node, at);
        // A learned operand (an initializer) is params, as the analytic op says.
        if (operand !== undefined && this.index.learned(node.inputs[at ?? 0] ?? '')) learned.push(operand);
      }
      // A learned tensor clamped as it is (Swin V2's logit scale): the clip's params, as planned.
      const clamped = node.opType === 'Clip' ? this.index.weight(node.inputs[0] ?? '') : undefined;
      if (clamped !== undefined && this.index.learned(node.inputs[0] ?? '')) learned.push(this.weight(clamped, node, 0));
      if (!weighted) continue;
      node.inputs.forEach((t, i) => {
        const name = this.index.weight(t);
        // An Expand's shape is no weight, even as an initializer, nor is a weighted node's data (Swin V2's coordinates table into its MLP).
        if (name === undefined || (node.opType === 'Expand' && i > 0) || (WEIGHTED_OPS.has(node.opType) && i === 0)) return;
        const weight = this.weight(name, node, i);
        if (node.opType === 'Conv' && i === 1 && isGroupedConv(this.index, node)) learned.push(...this.groupFilters(node));
        else if (node.opType === 'BatchNormalization' && i >= 3) buffers.push(weight);
        else learned.push(weight);
      });
    }
    return { learned, buffers };
  }

  /** What a module's gradient is taken with respect to: the activations it reads that a graph input reaches, and its learned weights, once each. */
  private gradientInputs(values: Values, m: NodeGroup): tf.Tensor[] {
    // A weight read through a view (an exporter's Identity of a shared initializer) is a live
    // value too, but the module reads its own copy of the weight (weight()): not an activation.
    // Nor is a tensor no graph input reaches (Swin's attention mask): autograd gives it no gradient.
    const activation = (t: string): boolean => this.index.weight(t) === undefined && !this.index.isConstant(t) && this.index.trained(t);
    const activations = m.nodes.flatMap((n) => n.inputs.filter(activation).flatMap((t) => values.get(t) ?? []));
    return [...new Set([...activations, ...this.moduleTensors(m).learned])];
  }

  /** A layernorm's scale and shift that are initializers, laid out against its input. */
  private layerNormLearned(m: NodeGroup): tf.Tensor[] {
    const { scale, shift } = layerNormParts(this.index, m);
    const learned = (t: NodeInput | undefined): tf.Tensor[] =>
      t !== undefined && this.index.weight(t.node.inputs[t.at] ?? '') !== undefined ? [this.constant(t.node, t.at)] : [];
    return [...learned(scale), ...learned(shift)];
  }

  /** A group norm's weight and bias that are initializers, as its run reads them. */
  private groupNormLearned(m: NodeGroup): tf.Tensor[] {
    const { scale, shift } = groupNormParts(this.index, m);
    return [scale, shift].flatMap((t) => {
      const weight = t === undefined ? undefined : this.index.weight(t.node.inputs[t.at] ?? '');
      if (t === undefined || weight === undefined) return [];
      return [m.fused === 'group-norm' ? this.constant(t.node, t.at) : this.weight(weight, t.node, t.at)];
    });
  }

  /**
   * An elementwise node's constant operand as tfjs broadcasts it against the stored output:
   * aligned to the output's rank, NHWC when rank 4, made before anything is profiled.
   */
  private constant(node: GraphNode, position: number): tf.Tensor {
    const tensor = node.inputs[position] ?? '';
    const key = `${tensor}@${node.name}`;
    const cached = this.constants.get(key);
    if (cached !== undefined) return cached;
    const rank = this.index.shape(node.outputs[0] ?? '').length;
    const shape = alignedShape(this.index.shape(tensor), rank);
    const t = tf.keep(tf.tidy(() => toStored(tf, tf.tensor(this.constantData(tensor), shape))));
    this.constants.set(key, t);
    return t;
  }

  /** A constant's values: an initializer's, folded ones, or a Constant node's read now (too large to fold). */
  private constantData(tensor: string): Float32Array {
    const weight = this.index.weight(tensor);
    const init = weight === undefined ? this.index.constantNode(tensor) : this.g.graph.initializers.get(weight);
    const values = this.g.tensors.get(tensor)?.values;
    return init === undefined || (weight === undefined && values !== undefined) ? Float32Array.from(values?.data ?? [], Number) : floatWeights(init);
  }

  /** A grouped conv's HWIO filter, split by group before anything is profiled. */
  private groupFilters(node: GraphNode): tf.Tensor[] {
    const key = `${node.inputs[1]}@groups`;
    const cached = this.groups.get(key);
    if (cached !== undefined) return cached;
    const name = this.index.weight(node.inputs[1] ?? '');
    if (name === undefined) throw new Error(`conv '${node.name}' has no weight initializer`);
    const parts = tf.split(this.weight(name, node, 1), Number(attrInt(node, 'group', 1n)), 3).map((t) => tf.keep(t));
    this.groups.set(key, parts);
    return parts;
  }

  /**
   * A weight as the tfjs kernel wants it: conv filters HWIO, Gemm's B as [K, N]. One tensor per
   * reading node: an initializer that exporters share between nodes (equal biases, through
   * Identity) is each node's own parameter, as the analytic ops count it, and gets no summed gradient.
   */
  private weight(name: string, reader: GraphNode, position: number): tf.Tensor {
    const key = `${name}@${reader.name}:${position}`;
    const cached = this.weights.get(key);
    if (cached !== undefined) return cached;
    const init = this.g.graph.initializers.get(name);
    if (init === undefined) throw new Error(`no initializer '${name}'`);
    const t = tf.keep(
      tf.tidy(() => {
        const raw = tf.tensor(floatWeights(init), [...init.dims]);
        const kind = this.kindOf.get(reader);
        const layout = kind === undefined ? undefined : KINDS[kind].weightLayout;
        return layout === undefined ? raw : layout(tf, reader, position, raw);
      }),
    );
    this.weights.set(key, t);
    return t;
  }

  /** A node input: an activation, a weight, or a folded constant. */
  private input(values: Values, node: GraphNode, position: number): tf.Tensor {
    const tensor = node.inputs[position] ?? '';
    // A weight first, laid out for this reader: an Identity of it (the exporter's alias of an
    // equal tensor) may have run as a view, untransposed.
    // A weighted node's data input is no weight even as an initializer: a constant, stored as activations are.
    const weight = WEIGHTED_OPS.has(node.opType) && position === 0 ? undefined : this.index.weight(tensor);
    if (weight !== undefined) return this.weight(weight, node, position);
    const value = values.get(tensor);
    if (value !== undefined) return value;
    const info = this.g.tensors.get(tensor);
    if (info !== undefined && this.index.isConstant(tensor)) return toStored(tf, tf.tensor(this.constantData(tensor), [...info.shape]));
    throw new Error(`node '${node.name}' reads '${tensor}', which has not been computed`);
  }

  /** The Slice node's ranges, from the constants shape inference folded. */
  private ranges(node: GraphNode): SliceRange[] {
    const inputs = node.inputs.map((t) => (t === '' ? undefined : this.g.tensors.get(t)));
    return sliceRanges({ node, inputs, opset: this.g.graph.opset });
  }

  /** A Gather's one constant index (rank 0), non-negative; undefined for anything else. */
  private gatherIndex(node: GraphNode): { axis: number; at: number } | undefined {
    const indices = this.g.tensors.get(node.inputs[1] ?? '');
    const rank = this.index.shape(node.inputs[0] ?? '').length;
    const axis = (Number(attrInt(node, 'axis', 0n)) + rank) % rank;
    const size = this.index.shape(node.inputs[0] ?? '')[axis] ?? 0;
    const at = indices?.shape.length === 0 ? Number(indices.values?.data[0]) : NaN;
    return Number.isInteger(at) ? { axis, at: at < 0 ? at + size : at } : undefined;
  }

  /** A view: the same data under the inferred NCHW shapes, laid out NHWC again when rank 4. */
  private view(values: Values, node: GraphNode): tf.Tensor[] {
    // `x[:, 0]` is a slice; an index list (or computed indices) a gather, as the value ops run.
    if (isValueNode(this.index, node) || (node.opType === 'Gather' && this.gatherIndex(node) === undefined)) return [this.valueOp(values, node)];
    const x = this.input(values, node, 0);
    const shape = this.index.shape(node.outputs[0] ?? '');
    // A cast of a mask or indices changes the dtype; a float tensor cast to float stays itself.
    const to = node.opType === 'Cast' ? tfDtype(this.g.tensors.get(node.outputs[0] ?? '')?.dtype ?? DTYPE.float) : x.dtype;
    if (to !== x.dtype) return [tf.cast(x, to)];
    // Left unexpanded for readers that broadcast anyway (SE's `expand_as`), as PyTorch's expand is a view.
    const broadcasts = this.index.readers(node.outputs[0] ?? '').every((r) => r.opType === 'Mul' || r.opType === 'Add');
    if (node.opType === 'Expand' && !broadcasts) return [toStored(tf, expandTo(toGraphOrder(tf, x), shape))];
    if (ALIAS_VIEWS.has(node.opType)) return [x];
    // YOLO's chunks and slices of a map keep its rank: cut in the stored layout, no transposes.
    if (x.rank === 4 && (node.opType === 'Split' || node.opType === 'Slice')) return this.storedCut(node, x);
    const logical = toGraphOrder(tf, x);
    switch (node.opType) {
      case 'Gather': {
        // One index on one axis: a slice of size 1 there, the axis then dropped (aten::select).
        const { axis, at } = this.gatherIndex(node) ?? { axis: 0, at: 0 };
        const begin = logical.shape.map((_, i) => (i === axis ? at : 0));
        const size = logical.shape.map((d, i) => (i === axis ? 1 : d));
        return [toStored(tf, tf.reshape(tf.slice(logical, begin, size), [...shape]))];
      }
      case 'Slice':
        return [toStored(tf, cut(logical, this.ranges(node)))];
      case 'Transpose': {
        // ConvNeXt's and ViT's permutes: a move, outside every module, as the other layout changes.
        const perm = attrInts(node, 'perm')?.map(Number) ?? [...logical.shape.keys()].reverse();
        return [toStored(tf, tf.transpose(logical, perm))];
      }
      case 'Split': {
        const axis = Number(attrInt(node, 'axis', 0n) + (attrInt(node, 'axis', 0n) < 0n ? BigInt(logical.rank) : 0n));
        const sizes = node.outputs.map((out) => this.index.shape(out)[axis] ?? 0);
        return tf.split(logical, sizes, axis).map((t) => toStored(tf, t));
      }
      default:
        return [toStored(tf, tf.reshape(logical, [...this.index.shape(node.outputs[0] ?? '')]))];
    }
  }

  /** A Split or Slice of a rank-4 stored (NHWC) tensor along the stored axes of the graph's ones. */
  private storedCut(node: GraphNode, x: tf.Tensor): tf.Tensor[] {
    if (node.opType === 'Split') {
      const axis = Number(attrInt(node, 'axis', 0n) + (attrInt(node, 'axis', 0n) < 0n ? 4n : 0n));
      const sizes = node.outputs.map((out) => this.index.shape(out)[axis] ?? 0);
      return tf.split(x, sizes, storedAxis(axis, 4));
    }
    // The NCHW axis each stored (NHWC) axis holds.
    return [
      cut(
        x,
        [0, 2, 3, 1].map((a) => this.ranges(node)[a] as SliceRange),
      ),
    ];
  }

  /**
   * A value node (or a gather by an index list) on its inputs in the graph's order and their
   * ONNX dtypes: a constant input made as its dtype, not as a float operand.
   */
  private valueOp(values: Values, node: GraphNode): tf.Tensor {
    const inputs = node.inputs.map((tensor) => {
      if (tensor === '') return undefined;
      const value = values.get(tensor);
      if (value !== undefined) return toGraphOrder(tf, value);
      const info = this.g.tensors.get(tensor);
      if (info === undefined || !this.index.isConstant(tensor)) throw new Error(`node '${node.name}' reads '${tensor}', which has not been computed`);
      const data = info.values === undefined ? this.constantData(tensor) : Float32Array.from(info.values.data, Number);
      return tf.cast(tf.tensor(data, [...info.shape]), tfDtype(info.dtype));
    });
    const out = this.g.tensors.get(node.outputs[0] ?? '');
    return toStored(tf, runValueOp(node, inputs, out?.shape ?? [], out?.dtype ?? DTYPE.float));
  }

  /**
   * Runs the graph on `inputs` (NCHW values, stored NHWC), step by step as `schedule` orders
   * it, freeing each activation once its last reader ran: a pass holds what later steps still
   * read, not every activation. `around` wraps each module's run (to attribute the kernels it
   * records, or to take the module's gradient with respect to `wrt`); the module's own
   * intermediates go when it ends. Returns the stored outputs; the caller disposes them, and the
   * inputs stay the caller's.
   */
  run(inputs: ReadonlyMap<string, tf.Tensor>, around: ModuleAround = (_, run) => run()): tf.Tensor[] {
    const values = new LiveValues(inputs);
    try {
      for (const step of this.steps) {
        if ('view' in step) {
          if (this.viewGap(step.view) !== undefined) throw new Error(`the executor cannot run ${step.view.opType} (node '${step.view.name}')`);
          tf.tidy(() => this.view(values, step.view)).forEach((t, i) => {
            values.set(step.view.outputs[i] ?? '', t);
          });
        } else {
          const m = step.module;
          values.set(
            m.output,
            around(
              m,
              () => tf.tidy(() => this.runModule(values, m)),
              () => this.gradientInputs(values, m),
            ),
          );
        }
        for (const name of step.frees) values.free(name);
      }
      return this.g.graph.outputs.map((name) => values.get(name) as tf.Tensor);
    } catch (error) {
      values.disposeAll();
      throw error;
    }
  }

  /** One module on stored tensors: its output, by its kind's formula. */
  private runModule(values: Values, m: NodeGroup): tf.Tensor {
    const planned = this.plans.get(m);
    if (planned === undefined) throw new Error(`the executor cannot run ${m.main.opType} (node '${m.main.name}')`);
    const context: RunContext = {
      tf,
      index: this.index,
      input: (node, position) => this.input(values, node, position),
      constant: (node, position) => this.constant(node, position),
      groupFilters: (node) => this.groupFilters(node),
    };
    return KINDS[planned.kind].run(context, m);
  }

  dispose(): void {
    for (const t of this.weights.values()) t.dispose();
    for (const parts of this.groups.values()) tf.dispose(parts);
    for (const t of this.constants.values()) t.dispose();
    this.constants.clear();
    this.weights.clear();
    this.groups.clear();
  }
}

/** A random input per graph input, stored NHWC when rank 4 (the NCHW draw freed). */
export function randomInputs(g: InferredGraph): Map<string, tf.Tensor> {
  return new Map([...g.inputShapes].map(([name, shape]) => [name, tf.tidy(() => toStored(tf, tf.randomNormal([...shape])))]));
}
