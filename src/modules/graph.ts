// Executes a model file's graph in tfjs, module by module, with the file's weights. The graph
// is NCHW; tfjs convolves NHWC, so rank-4 tensors are kept NHWC and views (Reshape, Flatten,
// ...) go through NCHW with transposes: layout, not arithmetic, and outside every module.
import * as tf from '@tensorflow/tfjs-core';
import type { InferredGraph } from '../model/graph/infer';
import { graphModules, GraphIndex, type GraphModule } from '../model/graph/modules';
import { attrFloat, attrInt, attrInts, attrString, type GraphNode } from '../model/graph/types';
import { floatWeights } from '../model/graph/weights';

/** The ops this executor runs; a graph with any other computing op is not measured. */
export const EXECUTABLE_OPS: ReadonlySet<string> = new Set([
  'Conv', 'Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Sigmoid', 'GlobalAveragePool', 'ReduceMean', 'MaxPool', 'AveragePool', 'Concat', 'BatchNormalization',
]);
/** Nodes whose initializer inputs are a module's weights. */
const WEIGHTED = new Set(['Conv', 'Gemm', 'MatMul', 'BatchNormalization']);
const VIEWS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Cast']);

const toNhwc = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 2, 3, 1]) : t);
const toNchw = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);
/** NCHW axis to the axis of the stored tensor. */
const storedAxis = (axis: number, rank: number): number => (rank === 4 ? [0, 3, 1, 2][axis] ?? axis : axis);

export interface ModuleWeights {
  params: bigint;
  buffers: bigint;
}

export class GraphExecutor {
  readonly modules: GraphModule[];
  private readonly index: GraphIndex;
  private readonly weights = new Map<string, tf.Tensor>();

  constructor(private readonly g: InferredGraph) {
    this.index = new GraphIndex(g);
    this.modules = graphModules(g);
  }

  /** Op types this executor cannot run, with a node of each. */
  unsupported(): string[] {
    const types = new Set(this.modules.flatMap((m) => m.nodes).filter((n) => !EXECUTABLE_OPS.has(n.opType)).map((n) => n.opType));
    for (const node of this.g.order) {
      if (!this.g.folded.has(node) && !EXECUTABLE_OPS.has(node.opType) && !VIEWS.has(node.opType) && !this.modules.some((m) => m.nodes.includes(node))) types.add(node.opType);
    }
    const grouped = this.modules.filter((m) => m.nodes[0]?.opType === 'Conv' && !this.convLayout(m.nodes[0]));
    if (grouped.length > 0) types.add('Conv (grouped)');
    return [...types];
  }

  /** Group 1 convs run as conv2d; grouped ones have no tfjs kernel here. */
  private convLayout(node: GraphNode): boolean {
    return attrInt(node, 'group', 1n) === 1n;
  }

  /**
   * The weights a module's nodes read, allocated now (before any profiling) as the tfjs
   * tensors the kernels take: BN statistics are buffers, everything else params.
   */
  moduleWeights(m: GraphModule): ModuleWeights {
    let params = 0n;
    let buffers = 0n;
    for (const node of m.nodes) {
      const weighted = WEIGHTED.has(node.opType) || (m.fused === 'linear-bias' && node.opType === 'Add');
      if (!weighted) continue;
      node.inputs.forEach((t, i) => {
        const name = this.index.weight(t);
        if (name === undefined) return;
        const size = BigInt(this.weight(name, node, i).size);
        if (node.opType === 'BatchNormalization' && i >= 3) buffers += size;
        else params += size;
      });
    }
    return { params, buffers };
  }

  /** A weight as the tfjs kernel wants it: conv filters HWIO, Gemm's B as [K, N]. */
  private weight(name: string, reader: GraphNode, position: number): tf.Tensor {
    const key = `${name}@${reader.opType}:${position}:${attrInt(reader, 'transB', 0n)}`;
    const cached = this.weights.get(key);
    if (cached !== undefined) return cached;
    const init = this.g.graph.initializers.get(name);
    if (init === undefined) throw new Error(`no initializer '${name}'`);
    const t = tf.keep(
      tf.tidy(() => {
        const raw = tf.tensor(floatWeights(init), [...init.dims]);
        if (reader.opType === 'Conv' && position === 1) return tf.transpose(raw, [2, 3, 1, 0]);
        return reader.opType === 'Gemm' && position === 1 && attrInt(reader, 'transB', 0n) === 1n ? tf.transpose(raw) : raw;
      }),
    );
    this.weights.set(key, t);
    return t;
  }

  /** A node input: an activation, a weight, or a folded constant. */
  private input(values: Map<string, tf.Tensor>, node: GraphNode, position: number): tf.Tensor {
    const tensor = node.inputs[position] ?? '';
    const value = values.get(tensor);
    if (value !== undefined) return value;
    const weight = this.index.weight(tensor);
    if (weight !== undefined) return this.weight(weight, node, position);
    const info = this.g.tensors.get(tensor);
    if (info?.values !== undefined) return toNhwc(tf.tensor(Float32Array.from(info.values.data, Number), [...info.shape]));
    throw new Error(`node '${node.name}' reads '${tensor}', which has not been computed`);
  }

  private pad(node: GraphNode): 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] {
    const auto = attrString(node, 'auto_pad', 'NOTSET');
    if (auto.startsWith('SAME')) return 'same';
    if (auto === 'VALID') return 'valid';
    const [t = 0, l = 0, b = 0, r = 0] = (attrInts(node, 'pads') ?? []).map(Number);
    return [[0, 0], [t, b], [l, r], [0, 0]];
  }

  private stride(node: GraphNode): [number, number] {
    const [sh = 1, sw = 1] = (attrInts(node, 'strides') ?? []).map(Number);
    return [sh, sw];
  }

  /** One computing node on stored (NHWC) tensors. */
  private compute(values: Map<string, tf.Tensor>, node: GraphNode, m: GraphModule): tf.Tensor {
    const x = (i: number): tf.Tensor => this.input(values, node, i);
    const hasBias = (node.inputs[2] ?? '') !== '';
    switch (node.opType) {
      case 'Conv': {
        const [dh = 1, dw = 1] = (attrInts(node, 'dilations') ?? []).map(Number);
        const pad = this.pad(node);
        const common = { x: x(0) as tf.Tensor4D, filter: x(1) as tf.Tensor4D, strides: this.stride(node), dilations: [dh, dw] as [number, number] };
        return hasBias ? tf.fused.conv2d({ ...common, pad, bias: x(2) }) : tf.conv2d(common.x, common.filter, common.strides, pad, 'NHWC', common.dilations);
      }
      case 'Gemm':
        return hasBias ? tf.fused.matMul({ a: x(0) as tf.Tensor2D, b: x(1) as tf.Tensor2D, bias: x(2) }) : tf.matMul(x(0), x(1));
      case 'MatMul': {
        const add = m.fused === 'linear-bias' ? m.nodes[1] : undefined;
        const biasAt = add?.inputs.findIndex((t) => this.index.weight(t) !== undefined) ?? -1;
        return add !== undefined && biasAt >= 0 ? tf.fused.matMul({ a: x(0), b: x(1), bias: this.input(values, add, biasAt) }) : tf.matMul(x(0), x(1));
      }
      case 'Relu':
        return tf.relu(x(0));
      case 'Sigmoid':
        return tf.sigmoid(x(0));
      case 'GlobalAveragePool':
      case 'ReduceMean':
        return tf.mean(x(0), [1, 2], true);
      case 'MaxPool':
      case 'AveragePool': {
        const [kh = 1, kw = 1] = (attrInts(node, 'kernel_shape') ?? []).map(Number);
        const pad = this.pad(node);
        const explicit = Array.isArray(pad) ? pad[1][0] : undefined;
        const windowPad = explicit === undefined ? (pad as 'same' | 'valid') : explicit;
        const input = x(0) as tf.Tensor4D;
        return node.opType === 'MaxPool' ? tf.maxPool(input, [kh, kw], this.stride(node), windowPad) : tf.avgPool(input, [kh, kw], this.stride(node), windowPad);
      }
      case 'Mul': {
        // The feature map first, the per-channel gate second: SE's rescale as tfjs runs it.
        const [a, b] = [x(0), x(1)];
        return a.size >= b.size ? tf.mul(a, b) : tf.mul(b, a);
      }
      case 'Add':
        return tf.add(x(0), x(1));
      case 'Concat': {
        const inputs = node.inputs.map((_, i) => x(i));
        const rank = inputs[0]?.rank ?? 4;
        return tf.concat(inputs, storedAxis(Number(attrInt(node, 'axis', 1n) + (attrInt(node, 'axis', 1n) < 0n ? BigInt(rank) : 0n)), rank));
      }
      case 'BatchNormalization':
        return tf.batchNorm(x(0), x(3), x(4), x(2), x(1), attrFloat(node, 'epsilon', 1e-5));
      default:
        throw new Error(`the executor cannot run ${node.opType} (node '${node.name}')`);
    }
  }

  /** A view: the same data under the inferred NCHW shape, laid out NHWC again when rank 4. */
  private view(values: Map<string, tf.Tensor>, node: GraphNode): tf.Tensor {
    const x = this.input(values, node, 0);
    const shape = this.index.shape(node.outputs[0] ?? '');
    if (node.opType === 'Identity' || node.opType === 'Dropout' || node.opType === 'Cast') return x;
    return toNhwc(tf.reshape(toNchw(x), [...shape]));
  }

  /**
   * Runs the graph on `input` (NCHW values, stored NHWC); `around` wraps each module's run
   * (to attribute the kernels it records). Returns the stored outputs; the caller disposes them.
   */
  run(inputs: ReadonlyMap<string, tf.Tensor>, around: (m: GraphModule, run: () => void) => void = (_, run) => run()): tf.Tensor[] {
    const values = new Map(inputs);
    const moduleOf = new Map(this.modules.flatMap((m) => m.nodes.map((n) => [n, m] as const)));
    const done = new Set<GraphModule>();
    for (const node of this.g.order) {
      if (this.g.folded.has(node)) continue;
      const m = moduleOf.get(node);
      if (m === undefined) {
        if (!VIEWS.has(node.opType)) throw new Error(`the executor cannot run ${node.opType} (node '${node.name}')`);
        values.set(node.outputs[0] ?? '', this.view(values, node));
        continue;
      }
      if (done.has(m)) continue;
      done.add(m);
      around(m, () => {
        // Linear + bias is one fused kernel; other modules run node by node (SiLU: Sigmoid, then Mul).
        const nodes = m.fused === 'linear-bias' ? [m.main] : m.nodes;
        for (const n of nodes) values.set(n === m.main ? m.output : (n.outputs[0] ?? ''), this.compute(values, n, m));
      });
    }
    return this.g.graph.outputs.map((name) => values.get(name) as tf.Tensor);
  }

  dispose(): void {
    for (const t of this.weights.values()) t.dispose();
    this.weights.clear();
  }
}

/** A random input per graph input, stored NHWC when rank 4. */
export function randomInputs(g: InferredGraph): Map<string, tf.Tensor> {
  return new Map([...g.inputShapes].map(([name, shape]) => [name, toNhwc(tf.randomNormal([...shape]))]));
}
