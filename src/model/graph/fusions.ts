// Several nodes that are one PyTorch module: Sigmoid then Mul is one SiLU, HardSigmoid then Mul
// one HardSwish, MatMul then the Add of a bias one Linear, a zero Pad then an AveragePool one
// padded AvgPool2d, the exporter's spelled-out GELU (before opset 20) and LayerNorm (before
// opset 17), nn.GroupNorm (a Reshape to N x G x L, InstanceNormalization, a Reshape back, then its
// weight and bias), and a Concat with the learned tokens expanded into it (ViT's class token). The peers
// count the module, so seprof counts one op, by the module's rule.
import type { GraphIndex } from './graph-index';
import { alignedShape, isSpatialZeroPad, padSpec, reduceAxes } from './op-attrs';
import { attrFloat, attrInt, attrInts, attrString, type GraphNode } from './types';

export type Fusion = 'silu' | 'hardswish' | 'linear-bias' | 'padded-avg-pool' | 'gelu' | 'layernorm' | 'learned-tokens' | 'mish' | 'gelu-tanh' | 'group-norm';

/** A module before it is named: its nodes in execution order, the main one giving its op. */
export interface GroupDraft {
  /** The node that gives the module its op (the Conv, the MatMul, the activation's Mul). */
  main: GraphNode;
  /** Every node of the module, in execution order. */
  nodes: readonly GraphNode[];
  fused?: Fusion;
  /** The tensor the module writes. */
  output: string;
}

/** x * gate(x) as one activation. */
function fusedActivation(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  if (node.opType !== 'Sigmoid' && node.opType !== 'HardSigmoid') return undefined;
  const fused = node.opType === 'Sigmoid' ? 'silu' : 'hardswish';
  const x = node.inputs[0] as string;
  const gate = node.outputs[0] as string;
  const mul = index.onlyReader(gate);
  if (mul?.opType !== 'Mul' || !mul.inputs.includes(x) || !mul.inputs.includes(gate)) return undefined;
  if (fused === 'hardswish' && Math.abs(attrFloat(node, 'alpha', 0.2) - 1 / 6) > 1e-6) return undefined;
  return { main: mul, nodes: [node, mul], fused, output: mul.outputs[0] as string };
}

/** MatMul by a weight matrix and the Add of a bias vector after it. */
function linearWithBias(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  if (node.opType !== 'MatMul' || index.weight(node.inputs[1] ?? '') === undefined) return undefined;
  const add = index.onlyReader(node.outputs[0] as string);
  if (add?.opType !== 'Add' || !add.inputs.some((t) => t !== node.outputs[0] && index.weight(t) !== undefined)) return undefined;
  return { main: node, nodes: [node, add], fused: 'linear-bias', output: add.outputs[0] as string };
}

/**
 * A zero Pad of H and W and the unpadded AveragePool reading it: nn.AvgPool2d(k, s, padding=p)
 * (count_include_pad) as the exporter writes it, one module in PyTorch.
 */
function paddedAvgPool(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  if (node.opType !== 'Pad') return undefined;
  const pool = index.onlyReader(node.outputs[0] as string);
  if (pool?.opType !== 'AveragePool' || pool.inputs[0] !== node.outputs[0]) return undefined;
  const unpadded = (attrInts(pool, 'pads') ?? []).every((p) => p === 0n) && attrString(pool, 'auto_pad', 'NOTSET') === 'NOTSET';
  if (!unpadded || !isSpatialZeroPad(padSpec(index.g, node))) return undefined;
  return { main: pool, nodes: [node, pool], fused: 'padded-avg-pool', output: pool.outputs[0] as string };
}

const near = (value: number | undefined, expected: number): boolean => value !== undefined && Math.abs(value - expected) <= 1e-6 * Math.abs(expected);

/** The only reader of `tensor` when it is an `opType` whose other input, if it has one, passes `other`. */
function next(index: GraphIndex, tensor: string, opType: string, other: (t: string) => boolean = () => true): GraphNode | undefined {
  const reader = index.onlyReader(tensor);
  if (reader?.opType !== opType) return undefined;
  // Its inputs but the first `tensor` (`x * x` keeps the other one).
  const rest = reader.inputs.filter((t, i) => t !== tensor || reader.inputs.indexOf(t) !== i);
  return rest.every(other) ? reader : undefined;
}

const out = (node: GraphNode): string => node.outputs[0] ?? '';

/** x * tanh(softplus(x)): nn.Mish as torch's exporter writes it before opset 18. */
function mish(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  if (node.opType !== 'Softplus') return undefined;
  const x = node.inputs[0] ?? '';
  const tanh = next(index, out(node), 'Tanh');
  const times = tanh === undefined ? undefined : next(index, out(tanh), 'Mul', (t) => t === x);
  return tanh === undefined || times === undefined ? undefined : { main: times, nodes: [node, tanh, times], fused: 'mish', output: out(times) };
}

/**
 * 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))): nn.GELU(approximate='tanh') as
 * torch's exporter writes it before opset 20: x * x, times x, times kappa, plus x, times beta,
 * Tanh, plus 1, times x, times 0.5.
 */
function geluTanh(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  const x = node.inputs[0] ?? '';
  if (node.opType !== 'Mul' || node.inputs[1] !== x || index.isConstant(x)) return undefined;
  const cube = next(index, out(node), 'Mul', (t) => t === x);
  const kappa = cube && next(index, out(cube), 'Mul', (t) => near(index.scalar(t), 0.044715));
  const plusX = kappa && next(index, out(kappa), 'Add', (t) => t === x);
  const beta = plusX && next(index, out(plusX), 'Mul', (t) => near(index.scalar(t), Math.sqrt(2 / Math.PI)));
  const tanh = beta && next(index, out(beta), 'Tanh');
  const plusOne = tanh && next(index, out(tanh), 'Add', (t) => near(index.scalar(t), 1));
  const timesX = plusOne && next(index, out(plusOne), 'Mul', (t) => t === x);
  const half = timesX && next(index, out(timesX), 'Mul', (t) => near(index.scalar(t), 0.5));
  const nodes = [node, cube, kappa, plusX, beta, tanh, plusOne, timesX, half];
  return half === undefined || nodes.some((n) => n === undefined)
    ? undefined
    : { main: half, nodes: nodes as GraphNode[], fused: 'gelu-tanh', output: out(half) };
}

/** x * (1 + erf(x / sqrt(2))) * 0.5: nn.GELU() as torch's exporter writes it before opset 20. */
function gelu(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  const x = node.inputs[0] ?? '';
  if (node.opType !== 'Div' || index.isConstant(x) || !near(index.scalar(node.inputs[1] ?? ''), Math.SQRT2)) return undefined;
  const erf = next(index, out(node), 'Erf');
  const plusOne = erf && next(index, out(erf), 'Add', (t) => near(index.scalar(t), 1));
  const timesX = plusOne && next(index, out(plusOne), 'Mul', (t) => t === x);
  const half = timesX && next(index, out(timesX), 'Mul', (t) => near(index.scalar(t), 0.5));
  if (erf === undefined || plusOne === undefined || timesX === undefined || half === undefined) return undefined;
  return { main: half, nodes: [node, erf, plusOne, timesX, half], fused: 'gelu', output: out(half) };
}

/** A learned tensor with one value per element of a normalised row of `x` (axes `axis` on). */
function perRowElement(index: GraphIndex, tensor: string, x: string, axis: number): boolean {
  if (index.weight(tensor) === undefined) return false;
  const shape = index.shape(x);
  const aligned = alignedShape(index.shape(tensor), shape.length);
  return aligned.every((d, i) => (i < axis ? d === 1 : d === shape[i]));
}

/** The first axis of a ReduceMean over trailing axes that keeps them, else undefined. */
function trailingMean(index: GraphIndex, node: GraphNode): number | undefined {
  const rank = index.shape(node.inputs[0] ?? '').length;
  const axes = [...new Set(reduceAxes(index.g, node))].sort((a, b) => a - b);
  const first = rank - axes.length;
  const trailing = axes.length > 0 && axes.every((a, i) => a === first + i);
  return trailing && attrInt(node, 'keepdims', 1n) === 1n ? first : undefined;
}

/**
 * nn.LayerNorm as torch's exporter writes it before opset 17: ReduceMean, Sub, Pow 2, ReduceMean,
 * Add eps, Sqrt, Div, then the Mul of its weight and the Add of its bias when elementwise_affine.
 */
function layerNorm(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  const axis = node.opType === 'ReduceMean' ? trailingMean(index, node) : undefined;
  const x = node.inputs[0] ?? '';
  if (axis === undefined) return undefined;
  const centred = next(index, out(node), 'Sub');
  if (centred?.inputs[0] !== x || centred.inputs[1] !== out(node) || index.g.graph.outputs.includes(out(centred))) return undefined;
  // The centred x is read twice: squared for the variance, and divided by the deviation.
  const readers = index.readers(out(centred));
  const square = readers.find((r) => r.opType === 'Pow' && r.inputs[0] === out(centred) && index.scalar(r.inputs[1] ?? '') === 2);
  const variance = square && next(index, out(square), 'ReduceMean');
  const plusEps = variance && trailingMean(index, variance) === axis ? next(index, out(variance), 'Add', (t) => index.scalar(t) !== undefined) : undefined;
  const deviation = plusEps && next(index, out(plusEps), 'Sqrt');
  const divide = deviation && next(index, out(deviation), 'Div', (t) => t === out(centred));
  if (readers.length !== 2 || square === undefined || variance === undefined || plusEps === undefined || deviation === undefined || divide === undefined)
    return undefined;
  if (divide.inputs[0] !== out(centred)) return undefined;
  const nodes = [node, centred, square, variance, plusEps, deviation, divide];
  const learned = (t: string): boolean => perRowElement(index, t, x, axis);
  const scale = next(index, out(divide), 'Mul', learned);
  const shift = next(index, out(scale ?? divide), 'Add', learned);
  for (const n of [scale, shift]) if (n !== undefined) nodes.push(n);
  const last = nodes.at(-1) as GraphNode;
  return { main: last, nodes, fused: 'layernorm', output: out(last) };
}

/** The Expand nodes of learned tensors (initializers) that only `concat` reads: `token.expand(n, -1, -1)`. */
function expandedTokens(index: GraphIndex, concat: GraphNode): GraphNode[] {
  if (concat.opType !== 'Concat') return [];
  return concat.inputs.flatMap((t) => {
    const expand = index.producer(t);
    return expand?.opType === 'Expand' && index.weight(expand.inputs[0] ?? '') !== undefined && index.onlyReader(t) === concat ? [expand] : [];
  });
}

/**
 * `torch.cat([cls_token.expand(n, -1, -1), x], 1)`: the Concat and the Expands of the learned
 * tokens it joins, one module, so that the tokens are its params (an nn.Parameter of the model,
 * in no submodule) and its gradient reaches them.
 */
function learnedTokens(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  const expands = expandedTokens(index, node);
  return expands.length === 0 ? undefined : { main: node, nodes: [...expands, node], fused: 'learned-tokens', output: out(node) };
}

/** Whether every value of a folded constant is `value` (GroupNorm's ones and zeros, which learn nothing). */
function allOf(index: GraphIndex, tensor: string, value: number): boolean {
  return index.g.tensors.get(tensor)?.values?.data.every((v) => Number(v) === value) === true;
}

/**
 * A per-channel operand of a group norm's output: its learned weight or bias (an initializer,
 * whatever its name: the exporter folds `weight.view(C, 1, 1)` into `onnx::Mul_38`), or the
 * constant `identity` (ones or zeros) nn.GroupNorm(affine=False) exports, which learns nothing.
 */
function perChannel(index: GraphIndex, tensor: string, x: string, identity: number): boolean {
  const shape = index.shape(x);
  const aligned = alignedShape(index.shape(tensor), shape.length);
  const channels = aligned.every((d, i) => (i === 1 ? d === shape[1] || d === 1 : d === 1));
  return channels && (index.weight(tensor) !== undefined || allOf(index, tensor, identity));
}

/**
 * nn.GroupNorm as torch's exporter writes it (any opset before 18): a Reshape of x to N x G x L,
 * InstanceNormalization with constant ones and zeros, a Reshape back to x's shape, then the Mul
 * of its weight and the Add of its bias (ones and zeros when affine=False).
 */
function groupNorm(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  if (node.opType !== 'InstanceNormalization') return undefined;
  const view = index.producer(node.inputs[0] ?? '');
  const x = view?.inputs[0] ?? '';
  if (view?.opType !== 'Reshape' || index.onlyReader(out(view)) !== node || index.isConstant(x)) return undefined;
  const [xs, grouped] = [index.shape(x), index.shape(out(view))];
  const [n = 0, c = 0, g = 0] = [xs[0], xs[1], grouped[1]];
  if (xs.length < 3 || grouped.length !== 3 || grouped[0] !== n || g === 0 || c % g !== 0) return undefined;
  if (!allOf(index, node.inputs[1] ?? '', 1) || !allOf(index, node.inputs[2] ?? '', 0)) return undefined;
  const back = next(index, out(node), 'Reshape');
  if (back === undefined || index.shape(out(back)).join() !== xs.join()) return undefined;
  const scale = next(index, out(back), 'Mul', (t) => perChannel(index, t, x, 1));
  const shift = next(index, out(scale ?? back), 'Add', (t) => perChannel(index, t, x, 0));
  const nodes = [view, node, back, ...(scale === undefined ? [] : [scale]), ...(shift === undefined ? [] : [shift])];
  const last = nodes.at(-1) as GraphNode;
  return { main: last, nodes, fused: 'group-norm', output: out(last) };
}

/** The module ending or starting at `node` when several nodes are one PyTorch module, else undefined. */
export function fusedModule(index: GraphIndex, node: GraphNode): GroupDraft | undefined {
  return (
    fusedActivation(index, node) ??
    linearWithBias(index, node) ??
    paddedAvgPool(index, node) ??
    gelu(index, node) ??
    layerNorm(index, node) ??
    learnedTokens(index, node) ??
    mish(index, node) ??
    geluTanh(index, node) ??
    groupNorm(index, node)
  );
}

/** A tensor a layernorm reads: the node reading it and its input position (its weights are aligned per node). */
export interface NodeInput {
  node: GraphNode;
  at: number;
}

export interface LayerNormParts {
  input: string;
  /** The first axis normalised, non-negative: it and every later one. */
  axis: number;
  epsilon: number;
  scale?: NodeInput;
  shift?: NodeInput;
}

const operand = (node: GraphNode | undefined, from: string): NodeInput | undefined =>
  node === undefined ? undefined : { node, at: node.inputs[0] === from ? 1 : 0 };

/** What a layernorm module normalises and how: a LayerNormalization node (opset 17+) or the exporter's spelled-out form. */
export function layerNormParts(index: GraphIndex, m: GroupDraft): LayerNormParts {
  const [first] = m.nodes;
  if (first === undefined) throw new Error('a module without nodes');
  const input = first.inputs[0] ?? '';
  const rank = index.shape(input).length;
  if (m.fused !== 'layernorm') {
    const [scale, shift] = [1, 2].map((at): NodeInput | undefined => ((first.inputs[at] ?? '') === '' ? undefined : { node: first, at }));
    const axis = (Number(attrInt(first, 'axis', -1n)) + rank) % rank;
    return { input, axis, epsilon: attrFloat(first, 'epsilon', 1e-5), ...(scale && { scale }), ...(shift && { shift }) };
  }
  const [, , , , plusEps, , divide, ...affine] = m.nodes;
  const eps = plusEps?.inputs.map((t) => index.scalar(t)).find((v) => v !== undefined);
  const scale = operand(
    affine.find((n) => n.opType === 'Mul'),
    out(divide as GraphNode),
  );
  const shift = operand(
    affine.find((n) => n.opType === 'Add'),
    out(affine.find((n) => n.opType === 'Mul') ?? (divide as GraphNode)),
  );
  return { input, axis: trailingMean(index, first) ?? rank - 1, epsilon: eps ?? 1e-5, ...(scale && { scale }), ...(shift && { shift }) };
}

export interface GroupNormParts {
  input: string;
  groups: number;
  epsilon: number;
  /** The weight and the bias as read (a Mul's or an Add's operand, GroupNormalization's inputs), when not constant ones and zeros. */
  scale?: NodeInput;
  shift?: NodeInput;
}

/**
 * What a group norm module normalises and how: ONNX GroupNormalization (opset 18 on: its scale
 * and bias per group before opset 21, per channel from it) or the exporter's pattern (`groupNorm`).
 * A constant operand of ones or zeros (affine=False) is no scale or shift: nothing is learned or run.
 */
export function groupNormParts(index: GraphIndex, m: GroupDraft): GroupNormParts {
  const [first] = m.nodes;
  if (first === undefined) throw new Error('a module without nodes');
  const input = first.inputs[0] ?? '';
  const kept = (node: GraphNode | undefined, at: number, identity: number): NodeInput | undefined => {
    const t = node?.inputs[at] ?? '';
    return node === undefined || t === '' || (index.weight(t) === undefined && allOf(index, t, identity)) ? undefined : { node, at };
  };
  if (m.fused !== 'group-norm') {
    const [scale, shift] = [kept(first, 1, 1), kept(first, 2, 0)];
    const groups = Number(attrInt(first, 'num_groups', 1n));
    return { input, groups, epsilon: attrFloat(first, 'epsilon', 1e-5), ...(scale && { scale }), ...(shift && { shift }) };
  }
  const [view, norm, back, ...affine] = m.nodes as [GraphNode, GraphNode, GraphNode, ...GraphNode[]];
  const [mul, add] = [affine.find((n) => n.opType === 'Mul'), affine.find((n) => n.opType === 'Add')];
  const scale = kept(mul, mul?.inputs[0] === out(back) ? 1 : 0, 1);
  const shift = kept(add, add?.inputs[0] === out(mul ?? back) ? 1 : 0, 0);
  const groups = index.shape(out(view))[1] ?? 1;
  return { input, groups, epsilon: attrFloat(norm, 'epsilon', 1e-5), ...(scale && { scale }), ...(shift && { shift }) };
}
