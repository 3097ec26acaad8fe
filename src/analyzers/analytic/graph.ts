// A model file's graph to the op list: each computing node (or fused pair: Sigmoid then Mul
// is one SiLU, as PyTorch has one module) becomes one Op of seprof's kinds. Views and
// folded shape arithmetic cost nothing; ops without a kind are listed, counted as zero.
import { count, type TensorInfo } from '../../model/graph/tensor-info';
import type { InferredGraph } from '../../model/graph/infer';
import { opNames } from '../../model/graph/names';
import { attrFloat, attrInt, attrInts, type GraphNode } from '../../model/graph/types';
import { UsageError } from '../../errors';
import { loadFileModel } from '../../model/file-model';
import { fileRequest, type FileSpec } from '../../model/spec';
import { makeOp, OP_KINDS, type Op, type OpAttrs, type OpKind, type Shape } from '../ops';

/** Ops that only relabel or select data: views in PyTorch, no cost under any convention. */
export const VIEW_OPS: ReadonlySet<string> = new Set([
  'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Transpose', 'Slice', 'Split', 'Expand', 'Cast', 'Constant',
]);

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
  node: GraphNode;
  /** The nodes fused into this op (the node itself included). */
  nodes: GraphNode[];
  kind: string;
  inputs: readonly string[];
  output: string;
  attrs: OpAttrs;
  params: bigint;
  buffers: bigint;
}

class Context {
  readonly readers = new Map<string, GraphNode[]>();
  constructor(readonly g: InferredGraph) {
    for (const node of g.order) for (const input of node.inputs) this.readers.set(input, [...(this.readers.get(input) ?? []), node]);
  }
  shape(tensor: string): Shape {
    return (this.g.tensors.get(tensor) as TensorInfo).shape;
  }
  /** A weight: an initializer, possibly behind Identity nodes (exporters share equal tensors so). */
  isWeight(tensor: string): boolean {
    if (tensor === '') return false;
    if (this.g.graph.initializers.has(tensor)) return true;
    const producer = this.g.order.find((n) => n.outputs.includes(tensor));
    return producer?.opType === 'Identity' && this.isWeight(producer.inputs[0] ?? '');
  }
  elements(tensor: string): bigint {
    return tensor === '' ? 0n : count(this.shape(tensor));
  }
  onlyReader(tensor: string): GraphNode | undefined {
    const readers = this.readers.get(tensor) ?? [];
    return readers.length === 1 && !this.g.graph.outputs.includes(tensor) ? readers[0] : undefined;
  }
}

function windowAttrs(node: GraphNode, kernel: readonly number[]): OpAttrs {
  const strides = (attrInts(node, 'strides') ?? [1n]).map(Number);
  return { kernel: [kernel[0] ?? 1, kernel[1] ?? 1], stride: strides[0] ?? 1 };
}

/** Clip to [0, 6] is ReLU6 (min and max are inputs from opset 11). */
function isRelu6(c: Context, node: GraphNode): boolean {
  const bound = (i: number): number | undefined => {
    const info = c.g.tensors.get(node.inputs[i] ?? '');
    return info?.values?.kind === 'float' ? info.values.data[0] : info?.values?.data[0] === undefined ? undefined : Number(info.values.data[0]);
  };
  const min = node.inputs.length > 1 ? bound(1) : attrFloat(node, 'min', -Infinity);
  const max = node.inputs.length > 2 ? bound(2) : attrFloat(node, 'max', Infinity);
  return min === 0 && max === 6;
}

/** x * gate(x) as one activation: SiLU from Sigmoid, HardSwish from HardSigmoid(1/6, 1/2). */
function fusedActivation(c: Context, node: GraphNode): Planned | undefined {
  if (node.opType !== 'Sigmoid' && node.opType !== 'HardSigmoid') return undefined;
  const x = node.inputs[0] as string;
  const gate = node.outputs[0] as string;
  const mul = c.onlyReader(gate);
  if (mul?.opType !== 'Mul' || !mul.inputs.includes(x) || !mul.inputs.includes(gate)) return undefined;
  if (node.opType === 'HardSigmoid' && Math.abs(attrFloat(node, 'alpha', 0.2) - 1 / 6) > 1e-6) return undefined;
  const kind = node.opType === 'Sigmoid' ? 'silu' : 'hardswish';
  return { node: mul, nodes: [node, mul], kind, inputs: [x], output: mul.outputs[0] as string, attrs: {}, params: 0n, buffers: 0n };
}

/** MatMul by a weight, with the Add of a bias after it: one Linear. */
function linearFromMatMul(c: Context, node: GraphNode): Planned | undefined {
  const [x, w] = node.inputs as [string, string];
  if (!c.isWeight(w) || c.shape(w).length !== 2) return undefined;
  const out = node.outputs[0] as string;
  const add = c.onlyReader(out);
  const bias = add?.opType === 'Add' ? add.inputs.find((t) => t !== out && c.isWeight(t)) : undefined;
  const params = c.elements(w) + (bias === undefined ? 0n : c.elements(bias));
  if (add !== undefined && bias !== undefined) {
    return { node, nodes: [node, add], kind: 'linear', inputs: [x], output: add.outputs[0] as string, attrs: { bias: true }, params, buffers: 0n };
  }
  return { node, nodes: [node], kind: 'linear', inputs: [x], output: out, attrs: { bias: false }, params, buffers: 0n };
}

/** The kind, attributes, params and buffers of one node; kind '' when seprof has none for it. */
function plan(c: Context, node: GraphNode): Planned {
  const data = (node.inputs[0] ?? '') as string;
  const base = { node, nodes: [node], inputs: [data], output: node.outputs[0] as string, attrs: {}, params: 0n, buffers: 0n };
  const activations = node.inputs.filter((t) => t !== '' && !c.isWeight(t) && c.g.tensors.get(t)?.values === undefined);
  switch (node.opType) {
    case 'Conv': {
      const [w = '', b = ''] = node.inputs.slice(1);
      const weight = c.shape(w);
      if (weight.length !== 4) break;
      const attrs = { ...windowAttrs(node, weight.slice(2)), groups: Number(attrInt(node, 'group', 1n)), bias: b !== '' };
      return { ...base, kind: 'conv2d', attrs, params: c.elements(w) + c.elements(b) };
    }
    case 'Gemm': {
      const [w = '', b = ''] = node.inputs.slice(1);
      if (!c.isWeight(w)) break;
      return { ...base, kind: 'linear', attrs: { bias: b !== '' }, params: c.elements(w) + c.elements(b) };
    }
    case 'MatMul':
      return linearFromMatMul(c, node) ?? { ...base, kind: '' };
    case 'BatchNormalization': {
      const [scale = '', shift = '', mean = '', variance = ''] = node.inputs.slice(1);
      return { ...base, kind: 'batchnorm', params: c.elements(scale) + c.elements(shift), buffers: c.elements(mean) + c.elements(variance) };
    }
    case 'Relu':
      return { ...base, kind: 'relu' };
    case 'Sigmoid':
      return { ...base, kind: 'sigmoid' };
    case 'HardSigmoid':
      return { ...base, kind: 'hardsigmoid' };
    case 'HardSwish':
      return { ...base, kind: 'hardswish' };
    case 'Clip':
      return { ...base, kind: isRelu6(c, node) ? 'relu6' : '' };
    case 'GlobalAveragePool': {
      const x = c.shape(data);
      return { ...base, kind: 'global_avg_pool', attrs: { kernel: [x[2] ?? 1, x[3] ?? 1] } };
    }
    case 'ReduceMean': {
      const x = c.shape(data);
      const axes = (attrInts(node, 'axes') ?? (c.g.tensors.get(node.inputs[1] ?? '')?.values?.data as bigint[] | undefined) ?? []).map((a) => (Number(a) + x.length) % x.length);
      const spatial = x.length === 4 && axes.length === 2 && axes.includes(2) && axes.includes(3);
      return spatial ? { ...base, kind: 'global_avg_pool', attrs: { kernel: [x[2] ?? 1, x[3] ?? 1] } } : { ...base, kind: '' };
    }
    case 'MaxPool':
    case 'AveragePool': {
      const kernel = (attrInts(node, 'kernel_shape') ?? []).map(Number);
      if (kernel.length !== 2) break;
      return { ...base, kind: node.opType === 'MaxPool' ? 'max_pool' : 'avg_pool', attrs: windowAttrs(node, kernel) };
    }
    case 'Mul': {
      // x * s with s broadcast over H x W: SE's rescale.
      if (activations.length !== 2) break;
      const [a, b] = activations as [string, string];
      const [big, small] = count(c.shape(a)) >= count(c.shape(b)) ? [a, b] : [b, a];
      const [bs, ss] = [c.shape(big), c.shape(small)];
      const gate = bs.length === 4 && ss.length === 4 && ss[2] === 1 && ss[3] === 1 && ss[1] === bs[1] && (bs[2] !== 1 || bs[3] !== 1);
      return gate ? { ...base, kind: 'scale', inputs: [big, small] } : { ...base, kind: '' };
    }
    case 'Add':
      if (activations.length !== 2) break;
      return { ...base, kind: 'add', inputs: activations };
    case 'Concat':
      return { ...base, kind: 'concat', inputs: activations };
    default:
      break;
  }
  return { ...base, kind: '' };
}

export function graphOps(g: InferredGraph): GraphOps {
  const c = new Context(g);
  const planned: Planned[] = [];
  const fusedAway = new Set<GraphNode>();
  let free = 0;
  for (const node of g.order) {
    if (fusedAway.has(node)) continue;
    if (g.folded.has(node) || VIEW_OPS.has(node.opType)) {
      free += 1;
      continue;
    }
    const p = (isKind('silu') || isKind('hardswish') ? fusedActivation(c, node) : undefined) ?? plan(c, node);
    for (const n of p.nodes) if (n !== node) fusedAway.add(n);
    planned.push(p);
  }
  const names = opNames(planned.map((p) => p.node));
  // Which op's output each tensor is, looking through views: what an op `reads`.
  const source = new Map<string, string>(g.graph.inputs.map((i) => [i.name, 'input']));
  const opOf = new Map<GraphNode, Planned>();
  for (const p of planned) for (const n of p.nodes) opOf.set(n, p);
  for (const node of g.order) {
    const p = opOf.get(node);
    if (p !== undefined) {
      if (node === p.nodes.at(-1)) for (const out of node.outputs) source.set(out, names.get(p.node) as string);
    } else if (VIEW_OPS.has(node.opType)) {
      const from = source.get(node.inputs[0] ?? '');
      if (from !== undefined) for (const out of node.outputs) source.set(out, from);
    }
  }
  const ops: Op[] = [];
  const nodesOf = new Map<string, string[]>();
  const unsupported = new Map<string, string[]>();
  for (const p of planned) {
    const name = names.get(p.node) as string;
    if (!isKind(p.kind)) {
      unsupported.set(p.node.opType, [...(unsupported.get(p.node.opType) ?? []), p.node.name]);
      continue;
    }
    const reads = [...new Set(p.inputs.map((t) => source.get(t)).filter((s): s is string => s !== undefined))];
    ops.push(makeOp(name, p.kind, p.inputs.map((t) => c.shape(t)), c.shape(p.output), { attrs: p.attrs, params: p.params, buffers: p.buffers, reads }));
    nodesOf.set(name, p.nodes.map((n) => n.name));
  }
  const notes = [...g.notes];
  const opTypes = new Set(g.order.map((n) => n.opType));
  if (opTypes.has('Conv') && !opTypes.has('BatchNormalization') && g.graph.format === 'onnx') {
    notes.push('the graph has convolutions and no BatchNormalization: the exporter folded BN into the convs, so counts match the peers on the BN-fused PyTorch model, not on the original');
  }
  return {
    ops,
    nodesOf,
    unsupported: [...unsupported].map(([opType, nodes]) => ({ opType, nodes })).sort((a, b) => b.nodes.length - a.nodes.length || a.opType.localeCompare(b.opType)),
    free,
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
