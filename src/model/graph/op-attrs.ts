// What an ONNX node's inputs and attributes say about the op, read the same way by the analytic
// op list and the tfjs executor: Pad's pads, Softmax's axis, a Reduce's axes, an elementwise op's constant operand.
import type { InferredGraph } from './infer';
import { attrFloat, attrInt, attrInts, attrString, type GraphNode } from './types';

export type PadMode = 'constant' | 'reflect' | 'edge';

export interface PadSpec {
  mode: PadMode;
  /** Per axis of the input, before and after. */
  begin: readonly number[];
  end: readonly number[];
  /** The fill of constant mode. */
  value: number;
}

const PAD_MODES: readonly string[] = ['constant', 'reflect', 'edge'];

/** A Pad node's padding over every axis (opset 18's `axes` spread out), or undefined when not known or not a mode seprof reads. */
export function padSpec(g: InferredGraph, node: GraphNode): PadSpec | undefined {
  const rank = g.tensors.get(node.inputs[0] ?? '')?.shape.length ?? 0;
  const mode = attrString(node, 'mode', 'constant');
  const given = (i: number): readonly (bigint | number)[] | undefined =>
    (node.inputs[i] ?? '') === '' ? undefined : g.tensors.get(node.inputs[i] as string)?.values?.data;
  const pads = (node.inputs.length > 1 ? given(1) : attrInts(node, 'pads'))?.map(Number);
  const axes = (given(3) ?? Array.from({ length: rank }, (_, i) => i)).map((a) => (Number(a) + rank) % rank);
  if (!PAD_MODES.includes(mode) || pads === undefined || pads.length !== 2 * axes.length) return undefined;
  const [begin, end] = [new Array<number>(rank).fill(0), new Array<number>(rank).fill(0)];
  axes.forEach((axis, i) => {
    begin[axis] = pads[i] as number;
    end[axis] = pads[i + axes.length] as number;
  });
  const value = node.inputs.length > 2 ? Number(given(2)?.[0] ?? 0) : attrFloat(node, 'value', 0);
  return { mode: mode as PadMode, begin, end, value };
}

/** Zeros over H and W only: what nn.AvgPool2d(padding=p) puts before the AveragePool it exports. */
export function isSpatialZeroPad(spec: PadSpec | undefined): boolean {
  if (spec === undefined || spec.mode !== 'constant' || spec.value !== 0 || spec.begin.length !== 4) return false;
  return [0, 1].every((axis) => spec.begin[axis] === 0 && spec.end[axis] === 0);
}

/**
 * The axis Softmax normalises over, non-negative, or undefined when it is not one axis: before
 * opset 13 Softmax flattens from `axis` on (default 1), which is one axis only when it is the last
 * one that is not 1.
 */
export function softmaxAxis(g: InferredGraph, node: GraphNode): number | undefined {
  const shape = g.tensors.get(node.inputs[0] ?? '')?.shape ?? [];
  const modern = g.graph.opset >= 13;
  const axis = (Number(attrInt(node, 'axis', modern ? -1n : 1n)) + shape.length) % shape.length;
  return modern || shape.slice(axis + 1).every((d) => d === 1) ? axis : undefined;
}

/** A Reduce node's axes, non-negative, from the attribute (before opset 18) or the input; [] when not known. */
export function reduceAxes(g: InferredGraph, node: GraphNode): number[] {
  const rank = g.tensors.get(node.inputs[0] ?? '')?.shape.length ?? 0;
  const given = attrInts(node, 'axes') ?? g.tensors.get(node.inputs[1] ?? '')?.values?.data ?? [];
  return given.map((a) => (Number(a) + rank) % rank);
}

/** Binary elementwise ops that become op kinds (`a + b`, `x * 0.5`, `x ** 2`). */
export const ELEMENTWISE_OPS: ReadonlySet<string> = new Set(['Add', 'Mul', 'Sub', 'Div', 'Pow']);

/** The position of an elementwise node's one constant operand, if it has one. */
export function constantOperand(index: { isConstant(tensor: string): boolean }, node: GraphNode): 0 | 1 | undefined {
  const [a, b] = [index.isConstant(node.inputs[0] ?? ''), index.isConstant(node.inputs[1] ?? '')];
  if (a === b) return undefined;
  return a ? 0 : 1;
}

/** A shape broadcast to `rank` by leading 1s, as ONNX (numpy) broadcasting reads it. */
export function alignedShape(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(Math.max(0, rank - shape.length)).fill(1), ...shape];
}

/**
 * A MatMul of two activations of rank 2 or more (attention's q @ k^T and attn @ v, torch.bmm):
 * seprof's matmul. A MatMul by an initializer is a Linear.
 */
export function isActivationMatMul(index: { isConstant(tensor: string): boolean; shape(tensor: string): readonly number[] }, node: GraphNode): boolean {
  const [a = '', b = ''] = node.inputs;
  const operand = (t: string): boolean => !index.isConstant(t) && index.shape(t).length >= 2;
  return node.opType === 'MatMul' && operand(a) && operand(b);
}
