// Turns the kernels tf.profile saw while one layer ran into the ops they executed.
import { numel, type Op, type OpKind, type Shape } from '../ops';

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
}

/** Kernels that move no arithmetic: views, copies and dtype no-ops. */
export const VIEW_KERNELS: ReadonlySet<string> = new Set(['Reshape', 'Identity', 'Slice', 'Cast', 'ExpandDims', 'Squeeze']);

/** NHWC (tfjs) to NCHW (PyTorch); other ranks are unchanged. */
export function toNchw(shape: Shape): Shape {
  if (shape.length !== 4) return shape;
  const [n, h, w, c] = shape as [number, number, number, number];
  return [n, c, h, w];
}

function shapeAt(list: KernelRecord['inputShapes'], index: number, kernel: string): Shape {
  const shape = list[index];
  if (shape == null) throw new Error(`kernel ${kernel} has no shape at position ${index}`);
  return shape;
}

type Draft = Pick<Op, 'kind' | 'inputShapes' | 'outputShape' | 'attrs'>;

function draft(kind: OpKind, inputs: Shape[], output: Shape, attrs: Op['attrs'] = {}): Draft {
  return { kind, inputShapes: inputs.map(toNchw), outputShape: toNchw(output), attrs };
}

/** NCHW axis to the axis of the stored (NHWC) tensor. */
export const storedAxis = (axis: number, rank: number): number => (rank === 4 ? ([0, 3, 1, 2][axis] ?? axis) : axis);

/** A binary elementwise kernel as its op: the constant operand (the layer knows which) leaves the inputs. */
function readElementwise(kind: OpKind, kernel: KernelRecord, layer: LayerFacts): Draft {
  const shapes = [0, 1].map((i) => shapeAt(kernel.inputShapes, i, kernel.name));
  const y = shapeAt(kernel.outputShapes, 0, kernel.name);
  const at = layer.constantAt;
  if (at === undefined) return draft(kind, shapes, y);
  const read = draft(kind, shapes.filter((_, i) => i !== at), y);
  return { ...read, attrs: { constant: { at, shape: toNchw(shapes[at] as Shape) } } };
}

/** The softmax kernel's input back in stored order: the executor moved the softmax axis last. */
function softmaxInput(kernel: KernelRecord, axis: number): Shape {
  const moved = shapeAt(kernel.inputShapes, 0, kernel.name);
  const at = storedAxis(axis, moved.length);
  return [...moved.slice(0, at), moved.at(-1) as number, ...moved.slice(at, -1)];
}

const isView = (kernel: KernelRecord): boolean => kernel.name.endsWith('__op') || VIEW_KERNELS.has(kernel.name);

/** Kernels of one input whose op keeps the kernel's input and output shapes as they are. */
const ONE_INPUT: ReadonlyMap<string, OpKind> = new Map([
  ['Relu', 'relu'],
  ['Relu6', 'relu6'],
  ['LeakyRelu', 'leaky_relu'],
  ['Sigmoid', 'sigmoid'],
  ['Tanh', 'tanh'],
  ['Erf', 'erf'],
  ['Exp', 'exp'],
  ['FusedBatchNorm', 'batchnorm'],
  ['ResizeNearestNeighbor', 'resize'],
  ['PadV2', 'pad'],
  ['MirrorPad', 'pad'],
]);

function readKernel(kernel: KernelRecord, layer: LayerFacts): Draft | undefined {
  const x = (): Shape => shapeAt(kernel.inputShapes, 0, kernel.name);
  const y = (): Shape => shapeAt(kernel.outputShapes, 0, kernel.name);
  const hasBias = kernel.inputShapes[2] != null;
  const oneInput = ONE_INPUT.get(kernel.name);
  if (oneInput !== undefined) return draft(oneInput, [x()], y());
  switch (kernel.name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const [kh, kw, cinPerGroup] = shapeAt(kernel.inputShapes, 1, kernel.name) as [number, number, number];
      const groups = (x()[3] ?? cinPerGroup) / cinPerGroup;
      return draft('conv2d', [x()], y(), { kernel: [kh, kw], stride: layer.stride ?? 1, groups, bias: hasBias });
    }
    case 'MatMul':
    case 'BatchMatMul':
    case '_FusedMatMul': {
      // The executor multiplies two activations in NCHW order: the shapes are the op's (no toNchw).
      if (layer.matmul === true) return { kind: 'matmul', inputShapes: [x(), shapeAt(kernel.inputShapes, 1, kernel.name)], outputShape: y(), attrs: {} };
      // Dense reshapes [rows, in] to a batch of one [1, rows, in]: read rows back from the sizes.
      const a = x();
      const inFeatures = a.at(-1) ?? 1;
      const outFeatures = y().at(-1) ?? 1;
      const rows = Number(numel(a)) / inFeatures;
      // Rows of a higher-rank input, in the layer's axes when they hold as many (NCHW already: no toNchw).
      const axes = layer.rows !== undefined && numel(layer.rows) === BigInt(rows) ? layer.rows : [rows];
      return { kind: 'linear', inputShapes: [[...axes, inFeatures]], outputShape: [...axes, outFeatures], attrs: { bias: hasBias } };
    }
    case 'DepthwiseConv2dNative':
    // A model file's depthwise conv with its (BN-folded) bias runs fused.
    case 'FusedDepthwiseConv2D': {
      const [kh, kw, cin, multiplier] = shapeAt(kernel.inputShapes, 1, kernel.name) as [number, number, number, number];
      if (multiplier !== 1) return undefined;
      return draft('conv2d', [x()], y(), { kernel: [kh, kw], stride: layer.stride ?? 1, groups: cin, bias: hasBias });
    }
    case 'Mean': {
      // GlobalAveragePooling2D drops H and W; PyTorch's AdaptiveAvgPool2d(1) keeps them as 1 x 1.
      const [n, h, w, c] = x() as [number, number, number, number];
      if (layer.mean === 'reduce_mean') return draft('reduce_mean', [x()], y(), { kernel: [h, w] });
      return draft('global_avg_pool', [x()], [n, 1, 1, c], { kernel: [h, w] });
    }
    case 'Conv2DBackpropInput': {
      // conv2dTranspose: dy (the op's input) and the filter [kh, kw, Cout, Cin].
      const [kh, kw] = shapeAt(kernel.inputShapes, 1, kernel.name) as [number, number];
      return draft('conv_transpose', [x()], y(), { kernel: [kh, kw], stride: layer.stride ?? 1, groups: 1, bias: false });
    }
    case 'AvgPool':
    case 'MaxPool': {
      const kind = kernel.name === 'AvgPool' ? 'avg_pool' : 'max_pool';
      return draft(kind, [x()], y(), { kernel: layer.poolSize ?? [1, 1], stride: layer.stride ?? 1 });
    }
    case 'Multiply': {
      // x * s of two maps with s of shape [B, 1, 1, C]: SE's rescale (also when x itself is 1 x 1).
      const [a, b] = [x(), shapeAt(kernel.inputShapes, 1, kernel.name)];
      const gate = layer.constantAt === undefined && b.length === 4 && a.length === 4 && b[0] === a[0] && b[1] === 1 && b[2] === 1 && b[3] === a[3];
      return gate ? draft('scale', [a, b], y()) : readElementwise('mul', kernel, layer);
    }
    case 'Add':
      return readElementwise('add', kernel, layer);
    case 'AddN':
      return draft('add', kernel.inputShapes.map((_, i) => shapeAt(kernel.inputShapes, i, kernel.name)), y());
    case 'Sub':
      return readElementwise('sub', kernel, layer);
    case 'RealDiv':
      return readElementwise('div', kernel, layer);
    case 'Pow':
      return readElementwise('pow', kernel, layer);
    case 'Softmax': {
      if (layer.softmaxAxis === undefined) return draft('softmax', [x()], y(), { axis: x().length - 1 });
      const stored = softmaxInput(kernel, layer.softmaxAxis);
      return draft('softmax', [stored], stored, { axis: layer.softmaxAxis });
    }
    case 'Concat':
    case 'ConcatV2':
      return draft('concat', kernel.inputShapes.map((_, i) => shapeAt(kernel.inputShapes, i, kernel.name)), y());
    default:
      return undefined;
  }
}

/** Kernel names a layer ran, in order, that together are one PyTorch op. */
const COMPOSITES: readonly { kernels: string; kind: OpKind }[] = [
  { kernels: 'Sigmoid Multiply', kind: 'silu' },
  { kernels: 'Add Relu6 RealDiv', kind: 'hardsigmoid' },
  { kernels: 'Add Relu6 Multiply RealDiv', kind: 'hardswish' },
  { kernels: 'RealDiv Erf Add Multiply Multiply', kind: 'gelu' },
];

/** nn.LayerNorm as modules/layer-norm.ts runs it: the mean, x - mean, its square, their mean, + eps, sqrt, the divide; then scale, shift. */
const LAYER_NORM = /^Mean Sub Square Mean Add Sqrt RealDiv( Multiply)?( Add)?$/;

/**
 * A layernorm from its kernels: the first Mean's NCHW output has 1 on the normalised axes, the
 * trailing ones (an axis of size 1 before them may be taken as normalised: it changes no count).
 */
function readLayerNorm(kernels: readonly KernelRecord[], names: string): Draft | undefined {
  const match = LAYER_NORM.exec(names);
  const [mean, last] = [kernels[0], kernels.at(-1)];
  if (match === null || mean === undefined || last === undefined) return undefined;
  const means = toNchw(shapeAt(mean.outputShapes, 0, mean.name));
  let axis = means.length;
  while (axis > 0 && means[axis - 1] === 1) axis -= 1;
  const attrs = { axis, affine: match[1] !== undefined, bias: match[2] !== undefined };
  return draft('layernorm', [shapeAt(mean.inputShapes, 0, mean.name)], shapeAt(last.outputShapes, 0, last.name), attrs);
}

const isScalar = (shape: KernelRecord['inputShapes'][number]): boolean => shape != null && shape.length === 0;

/**
 * One op from all the kernels of a layer, when together they are one PyTorch op: SiLU,
 * Hardswish, Hardsigmoid, GELU and LayerNorm written out (`x + 3` adds a scalar), and a grouped conv run as
 * split -> one Conv2D per group -> concat, read back with the groups and the whole shapes.
 */
function readComposite(kernels: readonly KernelRecord[], layer: LayerFacts): Draft | undefined {
  const names = kernels.map((k) => k.name).join(' ');
  const first = kernels[0];
  const last = kernels.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const composite = COMPOSITES.find((c) => c.kernels === names);
  if (composite !== undefined) {
    // `x + 3`, `x / sqrt(2)`: the first kernel of a formula takes x and, if any, a scalar.
    const ofX = first.inputShapes.length < 2 || isScalar(first.inputShapes[1]);
    const x = shapeAt(first.inputShapes, 0, first.name);
    return ofX ? draft(composite.kind, [x], shapeAt(last.outputShapes, 0, last.name)) : undefined;
  }
  const norm = readLayerNorm(kernels, names);
  if (norm !== undefined) return norm;
  // nn.AvgPool2d(padding=p) as exported: the zero pad, then the pool, one op on the unpadded input.
  if (names === 'PadV2 AvgPool') {
    return draft('avg_pool', [shapeAt(first.inputShapes, 0, first.name)], shapeAt(last.outputShapes, 0, last.name), { kernel: layer.poolSize ?? [1, 1], stride: layer.stride ?? 1 });
  }
  // Edge padding: per padded axis a split into edges and middle (none when the axis is 1), then a
  // concat with the edges repeated; the first kernel reads the unpadded tensor.
  if (layer.pad === true && /^(SplitV )?Concat(V2)?( (SplitV )?Concat(V2)?)*$/.test(names)) {
    return draft('pad', [shapeAt(first.inputShapes, 0, first.name)], shapeAt(last.outputShapes, 0, last.name));
  }
  // A model file's grouped conv adds its (BN-folded) bias after the concat.
  if (!/^(SplitV )*(Conv2D )+Concat(V2)?( Add)?$/.test(names)) return undefined;
  const convs = kernels.filter((k) => k.name === 'Conv2D');
  const [one] = convs;
  const parts = new Set(convs.map((k) => `${k.inputShapes[0]?.join()}|${k.inputShapes[1]?.join()}`));
  if (one === undefined || convs.length < 2 || parts.size !== 1) return undefined;
  const [part, filter] = [shapeAt(one.inputShapes, 0, one.name), shapeAt(one.inputShapes, 1, one.name)];
  const [n, h, w, cinPerGroup] = part as [number, number, number, number];
  const [kh, kw] = filter as [number, number];
  const groups = convs.length;
  return draft('conv2d', [[n, h, w, cinPerGroup * groups]], shapeAt(last.outputShapes, 0, last.name), {
    kernel: [kh, kw],
    stride: layer.stride ?? 1,
    groups,
    bias: last.name === 'Add',
  });
}

export interface LayerOps {
  ops: Op[];
  /** Kernels that ran but that seprof cannot map to an op kind. */
  unrecognised: string[];
}

/** The ops one layer executed, carrying the weights the layer actually allocated. */
export function opsFromKernels(kernels: readonly KernelRecord[], layer: LayerFacts): LayerOps {
  const drafts: Draft[] = [];
  const unrecognised: string[] = [];
  const counted = kernels.filter((kernel) => !isView(kernel));
  const composite = readComposite(counted, layer);
  if (composite !== undefined) drafts.push(composite);
  for (const kernel of composite === undefined ? counted : []) {
    const read = readKernel(kernel, layer);
    if (read === undefined) unrecognised.push(kernel.name);
    else drafts.push(read);
  }
  // A layer is one PyTorch module: normally one op. Several get numbered names so the
  // cross-check reports them instead of merging them silently.
  const ops = drafts.map((d, i): Op => ({
    ...d,
    name: drafts.length === 1 ? layer.name : `${layer.name}#${i}`,
    params: i === 0 ? layer.params : 0n,
    buffers: i === 0 ? layer.buffers : 0n,
    ...(layer.reads !== undefined && { reads: layer.reads }),
  }));
  if (ops.length === 0 && (layer.params > 0n || layer.buffers > 0n)) {
    unrecognised.push(`${layer.name}: weights but no counted kernel`);
  }
  return { ops, unrecognised };
}
