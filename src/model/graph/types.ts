// A model file's computation graph, whatever format it came from: nodes in the ONNX
// operator vocabulary, NCHW tensors, initializers known by their dims (never their weights).
import type { ByteSource } from '../../fs/byte-source';

/**
 * `table[key]` for a name a file gives (an op type, a dtype): the table's own entry only, never
 * one Object.prototype lends (`toString`, `constructor`, `__proto__`).
 */
export const own = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** ONNX TensorProto.DataType codes; the ones shape arithmetic reads by value. */
export const DTYPE = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, double: 11 } as const;

/** A tensor's values, known only for small constants: integers exact, floats as numbers. */
export type Values = { kind: 'int'; data: readonly bigint[] } | { kind: 'float'; data: readonly number[] };

export interface Initializer {
  name: string;
  dtype: number;
  dims: readonly number[];
  /** Present for small inline tensors (shape arithmetic reads them); counting never reads weights. */
  values?: Values;
  /**
   * Where the weights are, for the measured run: a view into the model file's bytes, a slice
   * of another file, or none in any file (SE inserted by --add-se), made up when measured;
   * or an external data file that is not there (weights stripped: counting never reads them,
   * the measured run refuses).
   */
  data?: { kind: 'inline'; bytes: Uint8Array } | FileBytes | { kind: 'synthetic' } | { kind: 'missing'; location: string };
  /**
   * A value the converter wrote, not a learned tensor: a GraphModel's Const that is no variable's
   * read (a literal such as 3, a folded tensor). Read as an operand it is a constant, not params,
   * as an ONNX initializer the exporter named (`onnx::Add_167`) is.
   */
  constant?: true;
}

/**
 * Weights in files: `length` bytes from `offset` of the files' concatenation (TF.js shards
 * its weights). `stored` says how they are laid out when not as the initializer's dims:
 * stored dims, and the permutation that gives the initializer's order (Keras HWIO to OIHW).
 */
export interface FileBytes {
  kind: 'files';
  sources: readonly ByteSource[];
  offset: number;
  length: number;
  stored?: { dims: readonly number[]; perm: readonly number[] };
  /** Float weights stored quantized (a TF.js GraphModel converted with --quantize_*). */
  quantization?: Quantization;
}

/** tensorflowjs_converter's quantized weights: `min + scale * q` of uint8 or uint16, or float16. */
export type Quantization = { dtype: 'uint8' | 'uint16'; min: number; scale: number } | { dtype: 'float16' };

export type Attr =
  | { kind: 'int'; value: bigint }
  | { kind: 'ints'; value: readonly bigint[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: Initializer }
  | { kind: 'unsupported'; type: number };

export interface GraphNode {
  /** The node's name in the file, or `${opType}_${index}` when it has none. */
  name: string;
  opType: string;
  /** '' for the default ONNX domain. */
  domain: string;
  /** Tensor names; '' marks an optional input left out. */
  inputs: readonly string[];
  outputs: readonly string[];
  attrs: ReadonlyMap<string, Attr>;
}

/** A declared dimension: a size, a symbolic name (`batch`), or unknown. */
export type DeclaredDim = number | string | null;

export interface GraphInput {
  name: string;
  dtype: number;
  shape: readonly DeclaredDim[] | null;
}

export interface Graph {
  /** The file it was read from, for messages. */
  source: string;
  format: 'onnx' | 'tfjs-layers' | 'tfjs-graph';
  /** What wrote the file, e.g. `pytorch 1.13.1`. */
  producer: string;
  /** The default domain's opset (TF.js models use the ONNX vocabulary at opset 21). */
  opset: number;
  /** The model's largest stride, from a YOLO export's metadata: what YOLO's model summary sizes its input by. */
  stride?: number;
  nodes: readonly GraphNode[];
  /** Inputs the caller feeds (initializers listed as inputs by old exporters are not among them). */
  inputs: readonly GraphInput[];
  outputs: readonly string[];
  initializers: ReadonlyMap<string, Initializer>;
}

export function attrInt(node: GraphNode, name: string, fallback: bigint): bigint {
  const attr = node.attrs.get(name);
  return attr?.kind === 'int' ? attr.value : fallback;
}

export function attrInts(node: GraphNode, name: string): readonly bigint[] | undefined {
  const attr = node.attrs.get(name);
  return attr?.kind === 'ints' ? attr.value : undefined;
}

export function attrFloat(node: GraphNode, name: string, fallback: number): number {
  const attr = node.attrs.get(name);
  return attr?.kind === 'float' ? attr.value : fallback;
}

export function attrString(node: GraphNode, name: string, fallback: string): string {
  const attr = node.attrs.get(name);
  return attr?.kind === 'string' ? attr.value : fallback;
}
