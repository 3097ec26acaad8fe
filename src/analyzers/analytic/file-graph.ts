// A model file's graph to the op list: each module of the graph (see model/graph/modules)
// becomes one Op of seprof's kinds. Views and folded shape arithmetic cost nothing; modules
// without a kind are listed, counted as zero.
import { UsageError } from '../../errors';
import { loadFileModel } from '../../model/file-support';
import type { InferredGraph } from '../../model/graph/infer';
import { layerNormParts, type NodeInput } from '../../model/graph/fusions';
import { GraphIndex } from '../../model/graph/graph-index';
import { graphModules, type GraphModule } from '../../model/graph/modules';
import { alignedShape, constantOperand, isActivationMatMul, padSpec, reduceAxes, softmaxAxis } from '../../model/graph/op-attrs';
import { count } from '../../model/graph/tensor-info';
import { attrFloat, attrInt, attrInts, attrString, type GraphNode } from '../../model/graph/types';
import { fileRequest, type FileSpec } from '../../model/spec';
import { makeOp, OP_KINDS, type Op, type OpAttrs, type OpKind } from '../ops';

export interface Unsupported {
  opType: string;
  nodes: string[];
}

export interface GraphOps {
  ops: Op[];
  /** The graph nodes behind each op, by op name. */
  nodesOf: ReadonlyMap<string, readonly string[]>;
  /** Computing ops seprof has no kind for: counted as zero, listed by op type. */
  unsupported: Unsupported[];
  /** View and folded shape-arithmetic nodes: free. */
  free: number;
  notes: string[];
}

const isKind = (kind: string): kind is OpKind => (OP_KINDS as readonly string[]).includes(kind);

interface Planned {
  kind: string;
  /** Activation inputs the op reads. */
  inputs: readonly string[];
  attrs?: OpAttrs;
  params?: bigint;
  buffers?: bigint;
}

function windowAttrs(node: GraphNode, kernel: readonly number[]): OpAttrs {
  const strides = (attrInts(node, 'strides') ?? [1n]).map(Number);
  return { kernel: [kernel[0] ?? 1, kernel[1] ?? 1], stride: strides[0] ?? 1 };
}

/** Clip to [0, 6] is ReLU6 (min and max are inputs from opset 11). */
function isRelu6(g: InferredGraph, node: GraphNode): boolean {
  const bound = (i: number): number | undefined => {
    const values = g.tensors.get(node.inputs[i] ?? '')?.values;
    return values === undefined ? undefined : Number(values.data[0]);
  };
  const min = node.inputs.length > 1 ? bound(1) : attrFloat(node, 'min', -Infinity);
  const max = node.inputs.length > 2 ? bound(2) : attrFloat(node, 'max', Infinity);
  return min === 0 && max === 6;
}

/** Nearest-neighbour resizing of H and W only: nn.Upsample(mode='nearest'). */
function isNearestUpsample(index: GraphIndex, node: GraphNode): boolean {
  const [x, y] = [index.shape(node.inputs[0] ?? ''), index.shape(node.outputs[0] ?? '')];
  return attrString(node, 'mode', 'nearest') === 'nearest' && x.length === 4 && x[0] === y[0] && x[1] === y[1];
}

const ELEMENTWISE_KINDS: Readonly<Record<string, OpKind>> = { Add: 'add', Mul: 'mul', Sub: 'sub', Div: 'div', Pow: 'pow' };

/**
 * A binary elementwise node as PyTorch's operator (`a + b`, `x * 0.5`, `x ** 2`); a Mul of a map
 * by an N x C x 1 x 1 activation is SE's rescale. A constant operand is left out of the inputs;
 * an initializer one is a learned tensor (nn.Parameter: a gain, YOLOv7's ImplicitA/M), so params.
 */
function elementwise(index: GraphIndex, m: GraphModule, activations: readonly string[]): Planned {
  const node = m.main;
  const kind = ELEMENTWISE_KINDS[node.opType] ?? '';
  const at = constantOperand(index, node);
  if (at !== undefined) {
    const operand = node.inputs[at] ?? '';
    const shape = alignedShape(index.shape(operand), index.shape(m.output).length);
    const params = index.weight(operand) === undefined ? 0n : count(index.shape(operand));
    return { kind, inputs: [node.inputs[1 - at] ?? ''], attrs: { constant: { at, shape } }, params };
  }
  if (activations.length !== 2) return { kind: '', inputs: activations };
  if (node.opType !== 'Mul') return { kind, inputs: activations };
  // `s.expand_as(x)` is a view: the gate is what was expanded.
  const [a, b] = activations.map((t) => {
    const producer = index.producer(t);
    return producer?.opType === 'Expand' ? (producer.inputs[0] ?? t) : t;
  }) as [string, string];
  // The larger operand first, as the executor multiplies.
  const [big, small] = count(index.shape(a)) >= count(index.shape(b)) ? [a, b] : [b, a];
  const [bs, ss] = [index.shape(big), index.shape(small)];
  // Also on a 1 x 1 map, as the tfjs reader sees a per-channel gate.
  const gate = bs.length === 4 && ss.length === 4 && ss[2] === 1 && ss[3] === 1 && ss[1] === bs[1] && ss[0] === bs[0];
  return { kind: gate ? 'scale' : 'mul', inputs: [big, small] };
}

/** nn.LayerNorm, one LayerNormalization node or spelled out: its scale and shift (initializers) are params. */
function layerNorm(index: GraphIndex, m: GraphModule): Planned {
  const { input, axis, scale, shift } = layerNormParts(index, m);
  const learned = (t: NodeInput | undefined): bigint => {
    const weight = t === undefined ? undefined : index.weight(t.node.inputs[t.at] ?? '');
    return weight === undefined ? 0n : count(index.shape(weight));
  };
  return { kind: 'layernorm', inputs: [input], attrs: { axis, affine: scale !== undefined, bias: shift !== undefined }, params: learned(scale) + learned(shift) };
}

/** The kind, attributes, params and buffers of one module; kind '' when seprof has none for it. */
function plan(index: GraphIndex, m: GraphModule): Planned {
  const node = m.main;
  const data = node.inputs[0] ?? '';
  const elements = (tensor: string): bigint => (tensor === '' ? 0n : count(index.shape(tensor)));
  const activations = m.nodes.flatMap((n) => n.inputs).filter((t) => t !== '' && !index.isConstant(t) && !m.nodes.some((n) => n.outputs.includes(t)));
  const base = { inputs: [data] };
  if (m.fused === 'silu' || m.fused === 'hardswish' || m.fused === 'gelu') return { kind: m.fused, inputs: [m.nodes[0]?.inputs[0] ?? ''] };
  if (m.fused === 'layernorm') return layerNorm(index, m);
  switch (node.opType) {
    case 'Conv': {
      const [w = '', b = ''] = node.inputs.slice(1);
      const weight = index.shape(w);
      if (weight.length !== 4) break;
      return { ...base, kind: 'conv2d', attrs: { ...windowAttrs(node, weight.slice(2)), groups: Number(attrInt(node, 'group', 1n)), bias: b !== '' }, params: elements(w) + elements(b) };
    }
    case 'ConvTranspose': {
      const [w = '', b = ''] = node.inputs.slice(1);
      const weight = index.shape(w);
      if (weight.length !== 4) break;
      return { ...base, kind: 'conv_transpose', attrs: { ...windowAttrs(node, weight.slice(2)), groups: Number(attrInt(node, 'group', 1n)), bias: b !== '' }, params: elements(w) + elements(b) };
    }
    case 'Gemm': {
      const [w = '', b = ''] = node.inputs.slice(1);
      if (index.weight(w) === undefined) break;
      return { ...base, kind: 'linear', attrs: { bias: b !== '' }, params: elements(w) + elements(b) };
    }
    case 'MatMul': {
      if (isActivationMatMul(index, node)) return { kind: 'matmul', inputs: [data, node.inputs[1] ?? ''] };
      const w = node.inputs[1] ?? '';
      if (index.weight(w) === undefined || index.shape(w).length !== 2) break;
      const bias = m.fused === 'linear-bias' ? (m.nodes[1]?.inputs.find((t) => index.weight(t) !== undefined) ?? '') : '';
      return { ...base, kind: 'linear', attrs: { bias: bias !== '' }, params: elements(w) + elements(bias) };
    }
    case 'BatchNormalization': {
      const [scale = '', shift = '', mean = '', variance = ''] = node.inputs.slice(1);
      return { ...base, kind: 'batchnorm', params: elements(scale) + elements(shift), buffers: elements(mean) + elements(variance) };
    }
    case 'Relu':
      return { ...base, kind: 'relu' };
    case 'LeakyRelu':
      return { ...base, kind: 'leaky_relu' };
    case 'Sigmoid':
      return { ...base, kind: 'sigmoid' };
    case 'HardSigmoid':
      return { ...base, kind: 'hardsigmoid' };
    case 'HardSwish':
      return { ...base, kind: 'hardswish' };
    case 'Clip':
      return { ...base, kind: isRelu6(index.g, node) ? 'relu6' : '' };
    case 'GlobalAveragePool': {
      const x = index.shape(data);
      return { ...base, kind: 'global_avg_pool', attrs: { kernel: [x[2] ?? 1, x[3] ?? 1] } };
    }
    case 'ReduceMean': {
      const x = index.shape(data);
      const axes = reduceAxes(index.g, node);
      const spatial = x.length === 4 && axes.length === 2 && axes.includes(2) && axes.includes(3);
      // x.mean((2, 3)) is functional in PyTorch, not AdaptiveAvgPool2d: counted as such.
      return { ...base, kind: spatial ? 'reduce_mean' : '', attrs: { kernel: [x[2] ?? 1, x[3] ?? 1] } };
    }
    case 'MaxPool':
    case 'AveragePool': {
      const kernel = (attrInts(node, 'kernel_shape') ?? []).map(Number);
      if (kernel.length !== 2) break;
      // nn.AvgPool2d(padding=p) reads the unpadded tensor: ptflops counts numel of that.
      const inputs = m.fused === 'padded-avg-pool' ? [m.nodes[0]?.inputs[0] ?? ''] : [data];
      return { inputs, kind: node.opType === 'MaxPool' ? 'max_pool' : 'avg_pool', attrs: windowAttrs(node, kernel) };
    }
    case 'Mul':
    case 'Add':
    case 'Sub':
    case 'Div':
    case 'Pow':
      return elementwise(index, m, activations);
    case 'Tanh':
      // nn.Tanh or torch.tanh: no peer counts either, so the origin does not matter.
      return { ...base, kind: 'tanh' };
    case 'Softmax': {
      // Assumed nn.Softmax (thop's rule applies); torch.softmax / x.softmax would be 0 in thop.
      const axis = softmaxAxis(index.g, node);
      return { ...base, kind: axis === undefined ? '' : 'softmax', attrs: axis === undefined ? {} : { axis } };
    }
    case 'Pad': {
      const spec = padSpec(index.g, node);
      return spec === undefined ? { ...base, kind: '' } : { ...base, kind: 'pad', attrs: { mode: spec.mode } };
    }
    case 'Gelu':
      // nn.GELU(approximate='tanh') is another formula: not counted as gelu.
      return { ...base, kind: attrString(node, 'approximate', 'none') === 'none' ? 'gelu' : '' };
    case 'Erf':
      return { ...base, kind: 'erf' };
    case 'Exp':
      return { ...base, kind: 'exp' };
    case 'LayerNormalization':
      return layerNorm(index, m);
    case 'Resize':
      return { ...base, kind: isNearestUpsample(index, node) ? 'resize' : '' };
    case 'Concat': {
      // The learned tokens expanded into it (ViT's class token) are its params; they are inputs as expanded.
      const inputs = node.inputs.filter((t) => t !== '' && !index.isConstant(t));
      const tokens = m.nodes
        .filter((n) => n.opType === 'Expand')
        .map((n) => ({ at: inputs.indexOf(n.outputs[0] ?? ''), shape: index.shape(n.inputs[0] ?? '') }));
      const params = tokens.reduce((sum, t) => sum + count(t.shape), 0n);
      return { kind: 'concat', inputs, params, ...(tokens.length > 0 && { attrs: { tokens } }) };
    }
    default:
      break;
  }
  return { ...base, kind: '' };
}

const mapped = new WeakMap<InferredGraph, GraphOps>();

/** The op list of a graph, once per graph (the profile and its findings both read it). */
function graphOps(g: InferredGraph): GraphOps {
  const cached = mapped.get(g);
  if (cached !== undefined) return cached;
  const result = mapGraph(g);
  mapped.set(g, result);
  return result;
}

function mapGraph(g: InferredGraph): GraphOps {
  const index = new GraphIndex(g);
  const modules = graphModules(g);
  const ops: Op[] = [];
  const nodesOf = new Map<string, string[]>();
  const unsupported = new Map<string, string[]>();
  for (const m of modules) {
    const p = plan(index, m);
    if (!isKind(p.kind)) {
      const list = unsupported.get(m.main.opType);
      if (list === undefined) unsupported.set(m.main.opType, [m.main.name]);
      else list.push(m.main.name);
      continue;
    }
    const extra = { attrs: p.attrs ?? {}, params: p.params ?? 0n, buffers: p.buffers ?? 0n, reads: m.reads };
    ops.push(makeOp(m.name, p.kind, p.inputs.map((t) => index.shape(t)), index.shape(m.output), extra));
    nodesOf.set(m.name, m.nodes.map((n) => n.name));
  }
  const notes = [...g.notes];
  const opTypes = new Set(g.order.map((n) => n.opType));
  // Folding BN into a conv gives it a bias the exporter names (`onnx::Conv_64`), not a module's
  // `conv.bias`: a graph without one never had BN to fold (ConvNeXt, a ViT's patch embedding).
  const folded = g.order.some((n) => n.opType === 'Conv' && (n.inputs[2] ?? '') !== '' && !(n.inputs[2] ?? '').endsWith('.bias'));
  if (folded && !opTypes.has('BatchNormalization') && g.graph.format === 'onnx') {
    notes.push('the graph has convolutions and no BatchNormalization: any BN the model had was folded into the convs by the exporter (as PyTorch exports in eval mode), so counts match the peers on the BN-fused model, not on the original');
  }
  const computing = new Set(modules.flatMap((m) => m.nodes));
  return {
    ops,
    nodesOf,
    unsupported: [...unsupported].map(([opType, nodes]) => ({ opType, nodes })).sort((a, b) => b.nodes.length - a.nodes.length || a.opType.localeCompare(b.opType)),
    free: g.order.filter((n) => !computing.has(n)).length,
    notes,
  };
}

/** The ops of a file spec; with --strict an op seprof cannot count is an error. */
export function fileOps(spec: FileSpec): GraphOps {
  const result = graphOps(loadFileModel(fileRequest(spec)).inferred);
  if (spec.strict && result.unsupported.length > 0) {
    const list = result.unsupported.map((u) => `${u.opType} x${u.nodes.length} (${u.nodes[0]}${u.nodes.length > 1 ? ', ...' : ''})`).join(', ');
    throw new UsageError(`${spec.file}: --strict: ops seprof does not count: ${list}`);
  }
  return result;
}
