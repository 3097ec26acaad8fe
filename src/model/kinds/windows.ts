// Window attributes shared by convolutions and pools: kernel, strides, pads as ONNX writes them.
import type { OpAttrs } from '../../analyzers/op-fields';
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { count } from '../graph/tensor-info';
import { attrInt, attrInts, attrString, type GraphNode } from '../graph/types';
import type { Planned } from './kind';

/** Pads as tfjs takes them: 'same', 'valid', or explicit NHWC pairs. */
export type Padding = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

export function windowAttrs(node: GraphNode, kernel: readonly number[]): OpAttrs {
  const strides = (attrInts(node, 'strides') ?? [1n]).map(Number);
  return { kernel: [kernel[0] ?? 1, kernel[1] ?? 1], stride: strides[0] ?? 1 };
}

export function padding(node: GraphNode): Padding {
  const auto = attrString(node, 'auto_pad', 'NOTSET');
  if (auto.startsWith('SAME')) return 'same';
  if (auto === 'VALID') return 'valid';
  const [t = 0, l = 0, b = 0, r = 0] = (attrInts(node, 'pads') ?? []).map(Number);
  return [
    [0, 0],
    [t, b],
    [l, r],
    [0, 0],
  ];
}

/** Depthwise kernels and pools take 'same', 'valid' or one number: explicit pads only when even on all sides. */
export function evenPad(pad: Padding): 'same' | 'valid' | number | undefined {
  if (!Array.isArray(pad)) return pad;
  const [[t, b], [l, r]] = [pad[1], pad[2]];
  return t === b && l === r && t === l ? t : undefined;
}

export function strides(node: GraphNode): [number, number] {
  const [sh = 1, sw = 1] = (attrInts(node, 'strides') ?? []).map(Number);
  return [sh, sw];
}

/** The stride a layer's kernels cannot show. */
export function strideFact(node: GraphNode): { stride?: number } {
  const given = attrInts(node, 'strides');
  return given === undefined ? {} : { stride: Number(given[0] ?? 1n) };
}

/** A conv or transposed conv by its 4-D filter: window, groups, bias, and the filter and bias as params. */
export function planFilter(index: GraphIndex, m: NodeGroup): Omit<Planned, 'kind'> | undefined {
  const [x = '', w = '', b = ''] = m.main.inputs;
  const weight = index.shape(w);
  if (weight.length !== 4) return undefined;
  const params = count(weight) + (b === '' ? 0n : count(index.shape(b)));
  return { inputs: [x], attrs: { ...windowAttrs(m.main, weight.slice(2)), groups: Number(attrInt(m.main, 'group', 1n)), bias: b !== '' }, params };
}
