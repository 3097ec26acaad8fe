// How many inputs and outputs each op takes (ONNX's operator schemas, opsets 11 to 21): a node
// with one input too few or too many is malformed, refused before any rule or kernel reads it.

import { own } from '../types';

export interface Arity {
  inputs: readonly [number, number];
  outputs: readonly [number, number];
}

const ONE: Arity = { inputs: [1, 1], outputs: [1, 1] };
const MANY = Number.POSITIVE_INFINITY;
const takes = (min: number, max = min, outputs: readonly [number, number] = [1, 1]): Arity => ({ inputs: [min, max], outputs });

const TABLE: Record<string, Arity> = {
  PRelu: takes(2),
  Clip: takes(1, 3),
  BatchNormalization: takes(5, 5, [1, 3]),
  InstanceNormalization: takes(3),
  LayerNormalization: takes(2, 3, [1, 3]),
  GroupNormalization: takes(3),
  ...Object.fromEntries(
    ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or'].map((op) => [op, takes(2)]),
  ),
  ...Object.fromEntries(['Max', 'Min', 'Sum', 'Mean', 'Concat'].map((op) => [op, takes(1, MANY)])),
  Where: takes(3),
  Conv: takes(2, 3),
  ConvTranspose: takes(2, 3),
  MaxPool: takes(1, 1, [1, 2]),
  Pad: takes(1, 4),
  Resize: takes(1, 4),
  Dropout: takes(1, 3, [1, 2]),
  Constant: takes(0),
  Gather: takes(2),
  Unsqueeze: takes(1, 2),
  Squeeze: takes(1, 2),
  Slice: takes(1, 5),
  Reshape: takes(2),
  Split: takes(1, 2, [1, MANY]),
  Expand: takes(2),
  Tile: takes(2),
  Range: takes(3),
  ScatterND: takes(3),
  Gemm: takes(2, 3),
  MatMul: takes(2),
  Einsum: takes(1, MANY),
  ...Object.fromEntries(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceL2'].map((op) => [op, takes(1, 2)])),
};

/** The node's arity; one input and one output unless the table says otherwise. */
export const arityOf = (opType: string): Arity => own(TABLE, opType) ?? ONE;

/** The type ONNX gives each attribute seprof reads, whatever the op: an attribute of another type is malformed. */
const ATTRIBUTE_KINDS: Readonly<Record<string, 'int' | 'ints' | 'float' | 'string'>> = {
  axis: 'int',
  group: 'int',
  to: 'int',
  transA: 'int',
  transB: 'int',
  keepdims: 'int',
  ceil_mode: 'int',
  allowzero: 'int',
  noop_with_empty_axes: 'int',
  start: 'int',
  end: 'int',
  count_include_pad: 'int',
  select_last_index: 'int',
  axes: 'ints',
  kernel_shape: 'ints',
  pads: 'ints',
  strides: 'ints',
  dilations: 'ints',
  perm: 'ints',
  split: 'ints',
  output_padding: 'ints',
  output_shape: 'ints',
  alpha: 'float',
  beta: 'float',
  epsilon: 'float',
  min: 'float',
  max: 'float',
  momentum: 'float',
  gamma: 'float',
  lambd: 'float',
  mode: 'string',
  auto_pad: 'string',
  approximate: 'string',
  coordinate_transformation_mode: 'string',
  nearest_mode: 'string',
};

/** The attribute whose type is not ONNX's, and the type it should have. */
export function misTypedAttribute(attrs: ReadonlyMap<string, { kind: string }>): { name: string; kind: string; expected: string } | undefined {
  for (const [name, attr] of attrs) {
    const expected = ATTRIBUTE_KINDS[name];
    if (expected !== undefined && attr.kind !== expected) return { name, kind: attr.kind, expected };
  }
  return undefined;
}
