// Executes a model file's graph in tfjs, module by module, with the file's weights. The graph
// is NCHW; tfjs convolves NHWC, so rank-4 tensors are kept NHWC and views (Reshape, Flatten,
// ...) go through NCHW with transposes: layout, not arithmetic, and outside every module.
import * as tf from '@tensorflow/tfjs-core';
import { storedAxis } from '../analyzers/measured/kernels';
import { OP_KINDS } from '../analyzers/ops';
import { gelu, hardSigmoid, hardSwish } from './activations';
import { layerNorm, type LayerNormWeights } from './layer-norm';
import type { InferredGraph } from '../model/graph/infer';
import { layerNormParts, type NodeInput } from '../model/graph/fusions';
import { GraphIndex } from '../model/graph/graph-index';
import { graphModules, type GraphModule } from '../model/graph/modules';
import { alignedShape, constantOperand, ELEMENTWISE_OPS, isActivationMatMul, padSpec, softmaxAxis, type PadSpec } from '../model/graph/op-attrs';
import { attrFloat, attrInt, attrInts, attrString, type GraphNode } from '../model/graph/types';
import { floatWeights } from '../model/graph/weights';
import { sliceRanges, type SliceRange } from '../model/graph/rules/tensor';
import { ALIAS_VIEWS, schedule, type Step } from '../model/graph/schedule';
import { LiveValues } from './live-values';

/** The ops this executor runs; a graph with any other computing op is not measured. */
const EXECUTABLE_OPS: ReadonlySet<string> = new Set([
  'Conv', 'Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Clip', 'GlobalAveragePool', 'ReduceMean',
  'MaxPool', 'AveragePool', 'Concat', 'BatchNormalization', 'Resize', 'ConvTranspose', 'Tanh', 'Erf', 'Exp',
]);

/** An op runs only when seprof has its kind, so that both derivations see it. */
const hasKind = (kind: string): boolean => (OP_KINDS as readonly string[]).includes(kind);

/** Modules spelled out by the exporter and run as PyTorch's formula: their nodes' constants were checked when grouped. */
const FORMULAS: ReadonlySet<GraphModule['fused']> = new Set(['gelu', 'layernorm']);
const isLayerNorm = (m: GraphModule): boolean => m.fused === 'layernorm' || m.main.opType === 'LayerNormalization';

type Padding = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** Depthwise kernels take 'same', 'valid' or one number: explicit pads only when even on all sides. */
function evenPad(pad: Padding): 'same' | 'valid' | number | undefined {
  if (!Array.isArray(pad)) return pad;
  const [[t, b], [l, r]] = [pad[1], pad[2]];
  return t === b && l === r && t === l ? t : undefined;
}


/** Nodes whose initializer inputs are a module's weights. */
const WEIGHTED = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'BatchNormalization']);
const VIEWS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Cast', 'Slice', 'Split', 'Expand', 'Transpose', 'Gather']);

const toNhwc = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 2, 3, 1]) : t);
const toNchw = (t: tf.Tensor): tf.Tensor => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);

/** NCHW-ordered `t` broadcast to `shape`: itself when it has that shape already (a batch of 1). */
const expandTo = (t: tf.Tensor, shape: readonly number[]): tf.Tensor => (t.shape.every((d, i) => d === shape[i]) && t.rank === shape.length ? t : tf.broadcastTo(t, [...shape]));

/** A pad's [before, after] per stored axis. */
function storedPads(spec: PadSpec): [number, number][] {
  const pairs = spec.begin.map((b, axis): [number, number] => [b, spec.end[axis] ?? 0]);
  return pairs.map((_, axis) => pairs[pairs.length === 4 ? ([0, 2, 3, 1][axis] ?? axis) : axis] as [number, number]);
}

/**
 * Edge padding (no tfjs kernel): per padded axis, one split into the first slice, the middle
 * and the last slice, and one concat with the edges repeated. A split reads the tensor once, so
 * the gradient adds each copy's gradient into its edge and nothing more (slices would each add a
 * whole zero-padded gradient into the tensor).
 */
function edgePad(x: tf.Tensor, pads: readonly [number, number][]): tf.Tensor {
  return pads.reduce((t, [before, after], axis) => {
    if (before === 0 && after === 0) return t;
    const size = t.shape[axis] as number;
    const parts = size === 1 ? [t] : tf.split(t, size === 2 ? [1, 1] : [1, size - 2, 1], axis);
    const [first, last] = [parts[0] as tf.Tensor, parts.at(-1) as tf.Tensor];
    return tf.concat([...new Array<tf.Tensor>(before).fill(first), ...parts, ...new Array<tf.Tensor>(after).fill(last)], axis);
  }, x);
}

/** Softmax over a stored axis: tfjs normalises the last one, so others go there and back (layout). */
function softmaxOver(x: tf.Tensor, axis: number): tf.Tensor {
  if (axis === x.rank - 1) return tf.softmax(x);
  const perm = [...x.shape.keys()].filter((a) => a !== axis).concat(axis);
  const back = perm.map((_, a) => perm.indexOf(a));
  return tf.transpose(tf.softmax(tf.transpose(x, perm)), back);
}

/** The activations a node reads, by tensor name. */
interface Values {
  get(name: string): tf.Tensor | undefined;
}

/**
 * Wraps one module's run; `wrt` gives what the module's gradient is taken with respect to (the
 * activations it reads and its learned weights).
 */
export type ModuleAround = (m: GraphModule, run: () => tf.Tensor, wrt: () => tf.Tensor[]) => tf.Tensor;

export interface ModuleWeights {
  params: bigint;
  buffers: bigint;
}

export class GraphExecutor {
  readonly modules: GraphModule[];
  private readonly index: GraphIndex;
  private readonly weights = new Map<string, tf.Tensor>();
  private readonly groups = new Map<string, tf.Tensor[]>();
  private readonly constants = new Map<string, tf.Tensor>();
  /** The nodes of modules run as one formula: runnable whatever their op types. */
  private readonly formulaNodes: ReadonlySet<GraphNode>;
  private readonly steps: readonly Step[];

  constructor(private readonly g: InferredGraph) {
    this.index = new GraphIndex(g);
    this.modules = graphModules(g);
    this.formulaNodes = new Set(this.modules.flatMap((m) => (FORMULAS.has(m.fused) ? m.nodes : [])));
    this.steps = schedule(g);
  }

  /** What this executor cannot run, by op type: a graph with any of it is not measured. */
  unsupported(): string[] {
    const live = this.g.order.filter((n) => !this.g.folded.has(n));
    return [...new Set(live.filter((n) => !this.runnable(n)).map((n) => n.opType))];
  }

  private runnable(node: GraphNode): boolean {
    if (this.formulaNodes.has(node)) return true;
    switch (node.opType) {
      case 'Conv': {
        const group = attrInt(node, 'group', 1n);
        const channels = BigInt(this.index.shape(node.inputs[0] ?? '')[1] ?? 0);
        const outputs = BigInt(this.index.shape(node.outputs[0] ?? '')[1] ?? 0);
        // Grouped convs run as split, one conv per group, concat (and the bias added): no tfjs kernel has groups.
        return group === 1n || group < channels || (group === channels && outputs === channels && evenPad(this.pad(node)) !== undefined);
      }
      case 'HardSigmoid':
        return hasKind('hardsigmoid') && Math.abs(attrFloat(node, 'alpha', 0.2) - 1 / 6) < 1e-6 && Math.abs(attrFloat(node, 'beta', 0.5) - 0.5) < 1e-6;
      case 'Clip': {
        const bound = (i: number): number | undefined => {
          const v = this.g.tensors.get(node.inputs[i] ?? '')?.values?.data[0];
          return v === undefined ? undefined : Number(v);
        };
        return hasKind('relu6') && bound(1) === 0 && bound(2) === 6;
      }
      case 'HardSwish':
        return hasKind('hardswish');
      case 'Gelu':
        return hasKind('gelu') && attrString(node, 'approximate', 'none') === 'none';
      case 'LayerNormalization':
        // Its optional outputs (the mean and inverse deviation, for training) are not computed.
        return hasKind('layernorm') && node.outputs.slice(1).every((t) => t === '' || (this.index.readers(t).length === 0 && !this.g.graph.outputs.includes(t)));
      case 'Slice':
        return this.ranges(node).every((r) => r.step === 1);
      case 'Gather':
        // `x[:, 0]`: one constant index, a slice; an index list would be a gather kernel.
        return this.gatherIndex(node) !== undefined;
      case 'Resize':
        // PyTorch's nearest upsampling: floor(out / scale), what tfjs computes without half-pixel centres.
        return attrString(node, 'mode', 'nearest') === 'nearest' && attrString(node, 'coordinate_transformation_mode', 'half_pixel') === 'asymmetric';
      case 'ReduceMean':
        return hasKind('reduce_mean');
      case 'Softmax':
        return hasKind('softmax') && softmaxAxis(this.g, node) !== undefined;
      case 'Pad':
        return hasKind('pad') && padSpec(this.g, node) !== undefined;
      case 'Add':
      case 'Mul':
      case 'Sub':
      case 'Div':
      case 'Pow': {
        // NHWC storage holds for operands of the output's rank; constants are aligned to it.
        const rank = this.index.shape(node.outputs[0] ?? '').length;
        const activations = node.inputs.filter((t) => !this.index.isConstant(t));
        return this.isLinearBias(node) || activations.every((t) => this.index.shape(t).length === rank || rank !== 4);
      }
      case 'MatMul': {
        if (!isActivationMatMul(this.index, node)) return true;
        // tfjs' BatchMatMul gradient does not sum a broadcast operand's gradient back: equal batch axes only.
        const [a, b] = node.inputs.map((t) => this.index.shape(t));
        return hasKind('matmul') && a !== undefined && b !== undefined && a.length === b.length && a.slice(0, -2).every((d, i) => d === b[i]);
      }
      case 'ConvTranspose': {
        // One Conv2DBackpropInput kernel: group 1, no bias (a bias would be a second kernel), even pads.
        const [t = 0, l = 0, b = 0, r = 0] = (attrInts(node, 'pads') ?? []).map(Number);
        const even = t === b && l === r && t === l && attrInts(node, 'output_padding') === undefined;
        return attrInt(node, 'group', 1n) === 1n && (node.inputs[2] ?? '') === '' && even && attrString(node, 'auto_pad', 'NOTSET') === 'NOTSET';
      }
      default:
        return EXECUTABLE_OPS.has(node.opType) || VIEWS.has(node.opType);
    }
  }

  /**
   * The weights a module's nodes read, allocated now (before any profiling) as the tfjs
   * tensors the kernels take: BN statistics are buffers, everything else params.
   */
  moduleWeights(m: GraphModule): ModuleWeights {
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
  private moduleTensors(m: GraphModule): { learned: tf.Tensor[]; buffers: tf.Tensor[] } {
    if (isLayerNorm(m)) return { learned: this.layerNormWeights(m).learned, buffers: [] };
    // GELU's constants are its formula's.
    if (m.fused === 'gelu') return { learned: [], buffers: [] };
    const learned: tf.Tensor[] = [];
    const buffers: tf.Tensor[] = [];
    for (const node of m.nodes) {
      const weighted = WEIGHTED.has(node.opType) || (m.fused === 'linear-bias' && node.opType === 'Add') || (m.fused === 'learned-tokens' && node.opType === 'Expand');
      if (!weighted && ELEMENTWISE_OPS.has(node.opType)) {
        const at = constantOperand(this.index, node);
        const operand = at === undefined ? undefined : this.constant(node, at);
        // A learned operand (an initializer) is params, as the analytic op says.
        if (operand !== undefined && this.index.weight(node.inputs[at ?? 0] ?? '') !== undefined) learned.push(operand);
      }
      if (!weighted) continue;
      node.inputs.forEach((t, i) => {
        const name = this.index.weight(t);
        // An Expand's shape is no weight, even as an initializer.
        if (name === undefined || (node.opType === 'Expand' && i > 0)) return;
        const weight = this.weight(name, node, i);
        if (node.opType === 'Conv' && i === 1 && this.isGrouped(node)) learned.push(...this.groupFilters(node));
        else if (node.opType === 'BatchNormalization' && i >= 3) buffers.push(weight);
        else learned.push(weight);
      });
    }
    return { learned, buffers };
  }

  /** What a module's gradient is taken with respect to: the activations it reads and its learned weights, once each. */
  private gradientInputs(values: Values, m: GraphModule): tf.Tensor[] {
    const activations = m.nodes.flatMap((n) => n.inputs.flatMap((t) => values.get(t) ?? []));
    return [...new Set([...activations, ...this.moduleTensors(m).learned])];
  }

  /** A layernorm's scale and shift laid out against its input, and those of them that are initializers. */
  private layerNormWeights(m: GraphModule): LayerNormWeights & { learned: tf.Tensor[] } {
    const { scale, shift } = layerNormParts(this.index, m);
    const learned: tf.Tensor[] = [];
    const laidOut = (t: NodeInput | undefined): tf.Tensor | undefined => {
      if (t === undefined) return undefined;
      const tensor = this.constant(t.node, t.at);
      if (this.index.weight(t.node.inputs[t.at] ?? '') !== undefined) learned.push(tensor);
      return tensor;
    };
    return { scale: laidOut(scale), shift: laidOut(shift), learned };
  }

  /** nn.LayerNorm over the stored axes of its NCHW ones. */
  private layerNorm(values: Values, m: GraphModule): tf.Tensor {
    const { axis, epsilon } = layerNormParts(this.index, m);
    const x = this.input(values, m.nodes[0] as GraphNode, 0);
    const axes = [...x.shape.keys()].filter((a) => a >= axis).map((a) => storedAxis(a, x.rank));
    return layerNorm(x, axes, epsilon, this.layerNormWeights(m));
  }

  /** The Add of a Linear's bias, which its MatMul's module runs fused. */
  private isLinearBias(node: GraphNode): boolean {
    return this.modules.some((m) => m.fused === 'linear-bias' && m.nodes[1] === node);
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
    const weight = this.index.weight(tensor);
    const init = weight === undefined ? undefined : this.g.graph.initializers.get(weight);
    const data = init === undefined ? Float32Array.from(this.g.tensors.get(tensor)?.values?.data ?? [], Number) : floatWeights(init);
    const t = tf.keep(tf.tidy(() => toNhwc(tf.tensor(data, shape))));
    this.constants.set(key, t);
    return t;
  }

  /** A conv with groups that is not depthwise. */
  private isGrouped(node: GraphNode): boolean {
    const group = attrInt(node, 'group', 1n);
    return group > 1n && group < BigInt(this.index.shape(node.inputs[0] ?? '')[1] ?? 0);
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
        // ConvTranspose [Cin, Cout, kh, kw] to tfjs' [kh, kw, Cout, Cin].
        if (reader.opType === 'ConvTranspose' && position === 1) return tf.transpose(raw, [2, 3, 1, 0]);
        if (reader.opType === 'Conv' && position === 1) {
          // OIHW to HWIO; a depthwise filter [C, 1, kh, kw] becomes [kh, kw, C, 1].
          const group = attrInt(reader, 'group', 1n);
          const depthwise = group > 1n && init.dims[1] === 1 && BigInt(init.dims[0] ?? 0) === group;
          return tf.transpose(raw, depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0]);
        }
        return reader.opType === 'Gemm' && position === 1 && attrInt(reader, 'transB', 0n) === 1n ? tf.transpose(raw) : raw;
      }),
    );
    this.weights.set(key, t);
    return t;
  }

  /** A node input: an activation, a weight, or a folded constant. */
  private input(values: Values, node: GraphNode, position: number): tf.Tensor {
    const tensor = node.inputs[position] ?? '';
    const value = values.get(tensor);
    if (value !== undefined) return value;
    const weight = this.index.weight(tensor);
    if (weight !== undefined) return this.weight(weight, node, position);
    const info = this.g.tensors.get(tensor);
    if (info?.values !== undefined) return toNhwc(tf.tensor(Float32Array.from(info.values.data, Number), [...info.shape]));
    throw new Error(`node '${node.name}' reads '${tensor}', which has not been computed`);
  }

  private pad(node: GraphNode): Padding {
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
  private compute(values: Values, node: GraphNode, m: GraphModule): tf.Tensor {
    const x = (i: number): tf.Tensor => this.input(values, node, i);
    const hasBias = (node.inputs[2] ?? '') !== '';
    switch (node.opType) {
      case 'Conv': {
        const [dh = 1, dw = 1] = (attrInts(node, 'dilations') ?? []).map(Number);
        const pad = this.pad(node);
        const common = { x: x(0) as tf.Tensor4D, filter: x(1) as tf.Tensor4D, strides: this.stride(node), dilations: [dh, dw] as [number, number] };
        const groups = Number(attrInt(node, 'group', 1n));
        if (this.isGrouped(node)) {
          const parts = tf.split(common.x, groups, 3);
          const filters = this.groupFilters(node);
          const y = tf.concat(parts.map((part, i) => tf.conv2d(part as tf.Tensor4D, filters[i] as tf.Tensor4D, common.strides, pad, 'NHWC', common.dilations)), 3);
          return hasBias ? tf.add(y, x(2)) : y;
        }
        if (groups > 1) {
          // runnable() admitted only even pads here.
          const even = evenPad(pad) ?? 'valid';
          return hasBias ? tf.fused.depthwiseConv2d({ ...common, pad: even, bias: x(2) }) : tf.depthwiseConv2d(common.x, common.filter, common.strides, even, 'NHWC', common.dilations);
        }
        return hasBias ? tf.fused.conv2d({ ...common, pad, bias: x(2) }) : tf.conv2d(common.x, common.filter, common.strides, pad, 'NHWC', common.dilations);
      }
      case 'ConvTranspose': {
        const [n = 1, c = 1, h = 1, w = 1] = this.index.shape(node.outputs[0] ?? '');
        const pad = Number((attrInts(node, 'pads') ?? [0n])[0]);
        return tf.conv2dTranspose(x(0) as tf.Tensor4D, x(1) as tf.Tensor4D, [n, h, w, c], this.stride(node), pad);
      }
      case 'HardSigmoid':
        return hardSigmoid(x(0));
      case 'HardSwish':
        return hardSwish(x(0));
      case 'Clip':
        return tf.relu6(x(0));
      case 'Gemm':
        return hasBias ? tf.fused.matMul({ a: x(0) as tf.Tensor2D, b: x(1) as tf.Tensor2D, bias: x(2) }) : tf.matMul(x(0), x(1));
      case 'MatMul': {
        // Of two activations, on their NCHW-ordered axes (rank 4 is stored NHWC): one BatchMatMul.
        if (isActivationMatMul(this.index, node)) return toNhwc(tf.matMul(toNchw(x(0)), toNchw(x(1))));
        const add = m.fused === 'linear-bias' ? m.nodes[1] : undefined;
        const biasAt = add?.inputs.findIndex((t) => this.index.weight(t) !== undefined) ?? -1;
        // A Linear on channels-last 4-D (ConvNeXt) multiplies the last axis of the NCHW-ordered tensor: layout, in and out.
        const a = toNchw(x(0));
        const b = x(1);
        // Of a weight, as PyTorch's Linear: the leading axes are rows of one 2-D product (tfjs's
        // fused gradient cannot sum a batch of weight gradients back into one weight).
        const rows = b.rank === 2 && a.rank > 2 ? tf.reshape(a, [-1, a.shape.at(-1) ?? 1]) : a;
        const y = add !== undefined && biasAt >= 0 ? tf.fused.matMul({ a: rows, b, bias: this.input(values, add, biasAt) }) : tf.matMul(rows, b);
        return toNhwc(rows === a ? y : tf.reshape(y, [...a.shape.slice(0, -1), y.shape.at(-1) ?? 1]));
      }
      case 'Relu':
        return tf.relu(x(0));
      case 'LeakyRelu':
        return tf.leakyRelu(x(0), attrFloat(node, 'alpha', 0.01));
      case 'Sigmoid':
        return tf.sigmoid(x(0));
      case 'GlobalAveragePool':
        return tf.mean(x(0), [1, 2], true);
      case 'ReduceMean':
        return tf.mean(x(0), [1, 2], attrInt(node, 'keepdims', 1n) === 1n);
      case 'Resize': {
        const [, , h = 1, w = 1] = this.index.shape(node.outputs[0] ?? '');
        return tf.image.resizeNearestNeighbor(x(0) as tf.Tensor4D, [h, w]);
      }
      case 'MaxPool':
      case 'AveragePool': {
        const [kh = 1, kw = 1] = (attrInts(node, 'kernel_shape') ?? []).map(Number);
        const pad = this.pad(node);
        const explicit = Array.isArray(pad) ? pad[1][0] : undefined;
        const windowPad = explicit === undefined ? (pad as 'same' | 'valid') : explicit;
        const input = x(0) as tf.Tensor4D;
        return node.opType === 'MaxPool' ? tf.maxPool(input, [kh, kw], this.stride(node), windowPad) : tf.avgPool(input, [kh, kw], this.stride(node), windowPad);
      }
      case 'Mul':
      case 'Add':
      case 'Sub':
      case 'Div':
      case 'Pow':
        return this.elementwise(values, node);
      case 'Tanh':
        return tf.tanh(x(0));
      case 'Erf':
        return tf.erf(x(0));
      case 'Exp':
        return tf.exp(x(0));
      case 'Gelu':
        return gelu(x(0));
      case 'LayerNormalization':
        return this.layerNorm(values, m);
      case 'Softmax': {
        const input = x(0);
        return softmaxOver(input, storedAxis(softmaxAxis(this.g, node) ?? -1, input.rank));
      }
      case 'Pad': {
        const spec = padSpec(this.g, node);
        if (spec === undefined) throw new Error(`pad '${node.name}' has no known pads`);
        const pads = storedPads(spec);
        if (spec.mode === 'edge') return edgePad(x(0), pads);
        return spec.mode === 'reflect' ? tf.mirrorPad(x(0), pads, 'reflect') : tf.pad(x(0), pads, spec.value);
      }
      case 'Expand':
        // A learned token (an initializer, NCHW-ordered) broadcast to the batch.
        return toNhwc(expandTo(x(0), this.index.shape(node.outputs[0] ?? '')));
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

  /** A binary elementwise op on stored tensors, its constant operand prepared beforehand. */
  private elementwise(values: Values, node: GraphNode): tf.Tensor {
    const at = constantOperand(this.index, node);
    const [a, b] = [0, 1].map((i) => (i === at ? this.constant(node, i) : this.input(values, node, i))) as [tf.Tensor, tf.Tensor];
    switch (node.opType) {
      case 'Mul':
        // Two maps: the larger first, as the analytic op lists them (the feature map, then SE's gate).
        return at === undefined && a.size < b.size ? tf.mul(b, a) : tf.mul(a, b);
      case 'Sub':
        return tf.sub(a, b);
      case 'Div':
        return tf.div(a, b);
      case 'Pow':
        return tf.pow(a, b);
      default:
        return tf.add(a, b);
    }
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
    const x = this.input(values, node, 0);
    const shape = this.index.shape(node.outputs[0] ?? '');
    // Left unexpanded for readers that broadcast anyway (SE's `expand_as`), as PyTorch's expand is a view.
    const broadcasts = this.index.readers(node.outputs[0] ?? '').every((r) => r.opType === 'Mul' || r.opType === 'Add');
    if (node.opType === 'Expand' && !broadcasts) return [toNhwc(expandTo(toNchw(x), shape))];
    if (ALIAS_VIEWS.has(node.opType)) return [x];
    const logical = toNchw(x);
    switch (node.opType) {
      case 'Gather': {
        // One index on one axis: a slice of size 1 there, the axis then dropped (aten::select).
        const { axis, at } = this.gatherIndex(node) ?? { axis: 0, at: 0 };
        const begin = logical.shape.map((_, i) => (i === axis ? at : 0));
        const size = logical.shape.map((d, i) => (i === axis ? 1 : d));
        return [toNhwc(tf.reshape(tf.slice(logical, begin, size), [...shape]))];
      }
      case 'Slice': {
        const ranges = this.ranges(node);
        return [toNhwc(tf.slice(logical, ranges.map((r) => r.start), ranges.map((r) => r.length)))];
      }
      case 'Transpose': {
        // ConvNeXt's and ViT's permutes: a move, outside every module, as the other layout changes.
        const perm = attrInts(node, 'perm')?.map(Number) ?? [...logical.shape.keys()].reverse();
        return [toNhwc(tf.transpose(logical, perm))];
      }
      case 'Split': {
        const axis = Number(attrInt(node, 'axis', 0n) + (attrInt(node, 'axis', 0n) < 0n ? BigInt(logical.rank) : 0n));
        const sizes = node.outputs.map((out) => this.index.shape(out)[axis] ?? 0);
        return tf.split(logical, sizes, axis).map(toNhwc);
      }
      default:
        return [toNhwc(tf.reshape(logical, [...this.index.shape(node.outputs[0] ?? '')]))];
    }
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
          if (!VIEWS.has(step.view.opType)) throw new Error(`the executor cannot run ${step.view.opType} (node '${step.view.name}')`);
          tf.tidy(() => this.view(values, step.view)).forEach((t, i) => values.set(step.view.outputs[i] ?? '', t));
        } else {
          const m = step.module;
          values.set(m.output, around(m, () => tf.tidy(() => this.runModule(values, m)), () => this.gradientInputs(values, m)));
        }
        for (const name of step.frees) values.free(name);
      }
      return this.g.graph.outputs.map((name) => values.get(name) as tf.Tensor);
    } catch (error) {
      values.disposeAll();
      throw error;
    }
  }

  /**
   * One module on stored tensors: its output. Linear + bias is one fused kernel; HardSigmoid then
   * Mul, GELU and LayerNorm spelled out run PyTorch's formula; SiLU runs Sigmoid, then Mul.
   */
  private runModule(values: Values, m: GraphModule): tf.Tensor {
    const x = (): tf.Tensor => this.input(values, m.nodes[0] as GraphNode, 0);
    switch (m.fused) {
      case 'hardswish':
        return hardSwish(x());
      case 'gelu':
        return gelu(x());
      case 'layernorm':
        return this.layerNorm(values, m);
      default: {
        // The first node of a fused pair writes a tensor only the second reads.
        const inner = new Map<string, tf.Tensor>();
        const scope: Values = { get: (name) => inner.get(name) ?? values.get(name) };
        let output: tf.Tensor | undefined;
        for (const n of m.fused === 'linear-bias' ? [m.main] : m.nodes) {
          output = this.compute(scope, n, m);
          inner.set(n.outputs[0] ?? '', output);
        }
        if (output === undefined) throw new Error(`module ${m.name} has no nodes`);
        return output;
      }
    }
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
  return new Map([...g.inputShapes].map(([name, shape]) => [name, tf.tidy(() => toNhwc(tf.randomNormal([...shape])))]));
}
