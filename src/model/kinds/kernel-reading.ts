// The vocabulary of reading tfjs kernels back into ops: what tf.profile records of a kernel,
// what only the layer knows, and the shape helpers every kind's reading shares.
import type { OpAttrs, Shape } from '../../analyzers/op-fields';

/** One entry of tf.profile(...).kernels, the fields we read. */
export interface KernelRecord {
  name: string;
  inputShapes: (readonly number[] | null | undefined)[];
  outputShapes: (readonly number[] | null | undefined)[];
}

/** What only the layer knows: tf.profile records no window sizes or strides. */
export interface LayerFacts {
  name: string;
  params: bigint;
  buffers: bigint;
  poolSize?: readonly [number, number];
  stride?: number;
  /** A Mean kernel is a global_avg_pool (AdaptiveAvgPool2d) unless the layer says it is a reduce_mean (x.mean). */
  mean?: 'reduce_mean';
  /** An AvgPool kernel is an avg_pool (nn.AvgPool2d) unless the layer says it is an adaptive one (AdaptiveAvgPool2d(o), global_avg_pool). */
  adaptive?: true;
  /** An elementwise layer's constant operand, by position: an operand of the kernel, not an input of the op. */
  constantAt?: 0 | 1;
  /** A softmax layer's NCHW axis: tfjs normalises the last stored axis, so the kernel saw it moved there. */
  softmaxAxis?: number;
  /** A pad layer: its kernels (edge padding runs as concats) are one pad. */
  pad?: true;
  /** A graph module: the ops whose outputs it reads, carried by each of its ops. */
  reads?: readonly string[];
  /**
   * A model file's linear on a tensor of rank 3 or more (ViT's tokens, ConvNeXt's channels-last
   * map): the axes its rows come from, NCHW, which tfjs' matMul folds into one batch axis.
   */
  rows?: Shape;
  /** A model file's product of two activations: its BatchMatMul is a matmul, on NCHW-ordered operands. */
  matmul?: true;
  /** A reduce layer (x.sum, x.amax, x.amin): its Sum, Max or Min kernel is that op, on the stored tensor or on the graph's order. */
  reduce?: { op: 'sum' | 'max' | 'min' | 'mean' | 'l2'; stored: boolean };
  /** An instance norm layer (its kernels are layernorm's formula): whether its scale and shift are learned. */
  instanceNorm?: { affine: boolean; bias: boolean };
  /** A group norm layer (its kernels are layernorm's formula on the channels grouped): whether its scale and shift are learned. */
  groupNorm?: { affine: boolean; bias: boolean; perGroup?: true };
  /** A model file's einsum: its BatchMatMul is the op, with this equation on these operands (NCHW). */
  einsum?: { equation: string; operands: readonly Shape[] };
}

/** An op of kind `K` read from kernels, before the layer names it and gives it its weights. */
export interface Draft<K extends string = string> {
  kind: K;
  inputShapes: Shape[];
  outputShape: Shape;
  attrs: OpAttrs;
}

/** All of one layer's kernels (`names`: theirs, space-separated) as one op, or undefined. */
export type Composite<K extends string> = (kernels: readonly KernelRecord[], names: string, layer: LayerFacts) => Draft<K> | undefined;

/** Kernels that move no arithmetic: views, copies and dtype no-ops. */
export const VIEW_KERNELS: ReadonlySet<string> = new Set(['Reshape', 'Identity', 'Slice', 'Cast', 'ExpandDims', 'Squeeze']);

/** A stored (NHWC, tfjs) shape in NCHW (PyTorch) order; other ranks are unchanged. */
export function nchwShape(shape: Shape): Shape {
  if (shape.length !== 4) return shape;
  const [n, h, w, c] = shape as [number, number, number, number];
  return [n, c, h, w];
}

/** NCHW axis to the axis of the stored (NHWC) tensor. */
export const storedAxis = (axis: number, rank: number): number => (rank === 4 ? ([0, 3, 1, 2][axis] ?? axis) : axis);

export function shapeAt(list: KernelRecord['inputShapes'], index: number, kernel: string): Shape {
  const shape = list[index];
  if (shape == null) throw new Error(`kernel ${kernel} has no shape at position ${index}`);
  return shape;
}

/** An op of stored shapes, in NCHW. */
export function draft<K extends string>(kind: K, inputs: Shape[], output: Shape, attrs: OpAttrs = {}): Draft<K> {
  return { kind, inputShapes: inputs.map(nchwShape), outputShape: nchwShape(output), attrs };
}

/** A one-input kernel that keeps its shapes: the op of that kind on its input. */
export function oneInput<K extends string>(kind: K, kernel: KernelRecord): Draft<K> {
  return draft(kind, [shapeAt(kernel.inputShapes, 0, kernel.name)], shapeAt(kernel.outputShapes, 0, kernel.name));
}

/** Every input of a kernel, for ops of many inputs (concat, AddN). */
export function allInputs(kernel: KernelRecord): Shape[] {
  return kernel.inputShapes.map((_, i) => shapeAt(kernel.inputShapes, i, kernel.name));
}

export const isScalar = (shape: KernelRecord['inputShapes'][number]): boolean => shape != null && shape.length === 0;

/**
 * A formula of several kernels read as one op of `kind` when its names are exactly `sequence`:
 * the first kernel takes x and, if any, a scalar (`x + 3`, `x / sqrt(2)`).
 */
export function formula<K extends string>(kind: K, sequence: string): Composite<K> {
  return (kernels, names) => {
    const [first, last] = [kernels[0], kernels.at(-1)];
    if (names !== sequence || first === undefined || last === undefined) return undefined;
    const ofX = first.inputShapes.length < 2 || isScalar(first.inputShapes[1]);
    return ofX ? draft(kind, [shapeAt(first.inputShapes, 0, first.name)], shapeAt(last.outputShapes, 0, last.name)) : undefined;
  };
}

/** A binary elementwise kernel as its op: the constant operand (the layer knows which) leaves the inputs. */
export function readElementwise<K extends string>(kind: K, kernel: KernelRecord, layer: LayerFacts): Draft<K> {
  const shapes = [0, 1].map((i) => shapeAt(kernel.inputShapes, i, kernel.name));
  const y = shapeAt(kernel.outputShapes, 0, kernel.name);
  const at = layer.constantAt;
  if (at === undefined) return draft(kind, shapes, y);
  const read = draft(
    kind,
    shapes.filter((_, i) => i !== at),
    y,
  );
  return { ...read, attrs: { constant: { at, shape: nchwShape(shapes[at] as Shape) } } };
}
