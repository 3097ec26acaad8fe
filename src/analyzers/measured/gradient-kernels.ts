// Reads the kernels a tfjs gradient executed into backward counts. tf.profile records names
// and shapes only, so every cost is derived from shapes (and, for pooling, the layer's window),
// and every kernel is either costed, a data move, or reported: nothing is dropped silently.
import { GRADIENT_SUMS, numel, type Shape } from '../ops';
import { VIEW_KERNELS, type KernelRecord, type LayerFacts } from '../../model/kinds/kernel-reading';

/**
 * Kernels of a backward pass that move data without arithmetic, besides the views: a model
 * file's layout transposes, and the zero padding that is a slice's gradient.
 */
const MOVE_KERNELS: ReadonlySet<string> = new Set(['Tile', 'SplitV', 'Concat', 'Transpose', 'PadV2', 'ZerosLike']);

/** Kernels with one arithmetic operation per output element. */
const ELEMENTWISE_KERNELS: ReadonlySet<string> = new Set([
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'Step',
  'Rsqrt',
  'LessEqual',
  'GreaterEqual',
  'LogicalAnd',
  'Greater',
  'Equal',
  'Select',
  'Neg',
  'Square',
  'Sqrt',
  'Exp',
  'Log',
  'Pow',
]);

/**
 * What a backward kernel costs under the two conventions that count a backward pass:
 * multiply-accumulates (macs) and every arithmetic operation (flops).
 */
export interface KernelCost {
  macs: bigint;
  flops: bigint;
}

/** A layer's measured backward counts, or the gradient sums' (GRADIENT_SUMS): a row the counting layer compares. */
export interface MeasuredRow {
  name: string;
  counts: KernelCost;
}

const cost = (macs: bigint, flops: bigint): KernelCost => ({ macs, flops });
const product = (macs: bigint): KernelCost => cost(macs, 2n * macs);

function shapeAt(list: KernelRecord['inputShapes'], index: number): Shape | undefined {
  return list[index] ?? undefined;
}

/** The contracted size of a product [..., M, K] x [..., K, N], batched or not, either operand transposed. */
function contracted(a: Shape, b: Shape, y: Shape): number | undefined {
  if (![a, b, y].every((s) => s.length >= 2)) return undefined;
  const [a0, a1, b0, b1, m, n] = [a, b, y].flatMap((s) => s.slice(-2));
  const k = a0 === m ? a1 : a1 === m ? a0 : undefined;
  const other = b0 === k ? b1 : b1 === k ? b0 : undefined;
  return k !== undefined && other === n ? k : undefined;
}

/** Multiply-accumulates of a convolution gradient: numel(dy) * kh * kw * Cin, filter [kh, kw, Cin, Cout]. */
function convGradientMacs(dy: Shape, filter: Shape): bigint | undefined {
  if (dy.length !== 4 || filter.length !== 4 || dy[3] !== filter[3]) return undefined;
  const cout = BigInt(filter[3] ?? 1);
  return (numel(dy) * numel(filter)) / cout;
}

/** What one backward kernel costs, 'move' when it only moves data, undefined when unknown. */
export function gradientKernelCost(kernel: KernelRecord, layer: LayerFacts): KernelCost | 'move' | undefined {
  const { name } = kernel;
  if (name.endsWith('__op') || VIEW_KERNELS.has(name) || MOVE_KERNELS.has(name)) return 'move';
  const x = shapeAt(kernel.inputShapes, 0);
  const w = shapeAt(kernel.inputShapes, 1);
  const y = shapeAt(kernel.outputShapes, 0);
  if (x === undefined || y === undefined) return undefined;
  if (ELEMENTWISE_KERNELS.has(name)) return cost(0n, numel(y));
  switch (name) {
    case 'Sum':
      return cost(0n, numel(x) - numel(y));
    // A Gather's gradient: dy's slices scattered into zeros of the source's shape, one per index. The
    // gathers a measured run takes gradients through have distinct indices (a select, `qkv[0]`; the
    // step-2 slices the executor runs as gathers; a repeated index is refused before the run,
    // measured/file-gradients): each slice lands alone, a copy, as PyTorch's slice backward is.
    case 'UnsortedSegmentSum':
      return x[0] !== undefined && y[0] !== undefined && x[0] <= y[0] ? 'move' : undefined;
    case 'Sigmoid':
      return cost(0n, 4n * numel(y)); // softplus' gradient dy * sigmoid(x): 4 per element, as the forward sigmoid.
    case 'BatchMatMul': {
      const k = w === undefined ? undefined : contracted(x, w, y);
      return k === undefined ? undefined : product(numel(y) * BigInt(k));
    }
    case 'Conv2D': {
      // A transposed convolution's input gradient: dy convolved with its filter [kh, kw, Cin, Cout].
      const [kh = 1, kw = 1, cin = 1] = w ?? [];
      return w === undefined || w.length !== 4 ? undefined : product(numel(y) * BigInt(kh * kw * cin));
    }
    case 'Conv2DBackpropInput': {
      const macs = w === undefined ? undefined : convGradientMacs(x, w); // inputs: dy, filter
      return macs === undefined ? undefined : product(macs);
    }
    case 'Conv2DBackpropFilter': {
      const macs = w === undefined ? undefined : convGradientMacs(w, y); // inputs: x, dy; output: the filter
      return macs === undefined ? undefined : product(macs);
    }
    // A depthwise filter [kh, kw, C, 1]: kh * kw multiply-accumulates per element of dy, for each gradient.
    case 'DepthwiseConv2dNativeBackpropInput': // inputs: dy, filter
      return w === undefined || w[3] !== 1 ? undefined : product(numel(x) * BigInt((w[0] ?? 1) * (w[1] ?? 1)));
    case 'DepthwiseConv2dNativeBackpropFilter': // inputs: x, dy; output: the filter
      return w === undefined || y[3] !== 1 ? undefined : product(numel(w) * BigInt((y[0] ?? 1) * (y[1] ?? 1)));
    case 'AvgPoolGrad': {
      // inputs: dy, x. The transpose of the forward: k*k per output gradient.
      if (layer.poolSize === undefined) return undefined;
      const [kh, kw] = layer.poolSize;
      return cost(0n, BigInt(kh * kw) * numel(x));
    }
    case 'ResizeNearestNeighborGrad':
      return cost(0n, numel(x)); // inputs: dy, the images. Each output gradient added into its source pixel.
    case 'ResizeBilinearGrad':
      return cost(0n, 8n * numel(x)); // inputs: dy, the images. Each output gradient weighted into its 4 sources: 4 multiplies, 4 adds.
    case 'MaxPoolGrad':
      return cost(0n, numel(x)); // inputs: dy, x, y. Each output gradient added to its maximum.
    default:
      return undefined;
  }
}

/**
 * The kernels of a gradient run after its forward pass. The tape re-runs the forward first,
 * cloning the tensors it saves (Identity); without those clones it starts with exactly the
 * kernels of a plain forward run.
 */
export function afterForward(gradientRun: readonly KernelRecord[], forward: readonly KernelRecord[]): KernelRecord[] {
  const strip = (kernels: readonly KernelRecord[]): KernelRecord[] => kernels.filter((k) => k.name !== 'Identity');
  const [run, plain] = [strip(gradientRun), strip(forward)];
  plain.forEach((kernel, i) => {
    const seen = run[i];
    if (seen === undefined || signature(seen) !== signature(kernel)) {
      throw new Error(
        `the gradient run does not start with the forward pass: expected ${signature(kernel)}, got ${seen === undefined ? 'nothing' : signature(seen)}`,
      );
    }
  });
  return run.slice(plain.length);
}

/** A kernel's name and shapes: what tf.profile can tell two executions apart by. */
export function signature(kernel: KernelRecord): string {
  return `${kernel.name} ${JSON.stringify(kernel.inputShapes)} -> ${JSON.stringify(kernel.outputShapes)}`;
}

export interface LayerGradient {
  facts: LayerFacts;
  /** Whether the layer's forward produced an op: view layers have none. */
  hasOp: boolean;
  /** The kernels of the layer's own gradient, run alone with an upstream gradient dy. */
  kernels: KernelRecord[];
}

export interface MeasuredBackward {
  rows: MeasuredRow[];
  /** Kernels seprof cannot cost, or that the layer runs and the model run do not explain. */
  unrecognised: string[];
}

function addCounts(sum: KernelCost, counts: KernelCost): void {
  sum.macs += counts.macs;
  sum.flops += counts.flops;
}

/**
 * Per-layer backward counts from each layer's own gradient run, and the gradient sums: the
 * kernels the whole model's gradient ran beyond every layer's own, which must all be adds.
 */
export function readBackward(layers: readonly LayerGradient[], model: readonly KernelRecord[]): MeasuredBackward {
  const rows: MeasuredRow[] = [];
  const unrecognised: string[] = [];
  const leftover = new Map<string, KernelRecord[]>();
  for (const kernel of model) {
    const same = leftover.get(signature(kernel));
    if (same === undefined) leftover.set(signature(kernel), [kernel]);
    else same.push(kernel);
  }

  for (const { facts, hasOp, kernels } of layers) {
    const counts = cost(0n, 0n);
    for (const kernel of kernels) {
      const same = leftover.get(signature(kernel));
      if (same === undefined || same.length === 0) unrecognised.push(`${facts.name}: ${kernel.name} ran in the layer's gradient but not in the model's`);
      else same.pop();
      const read = gradientKernelCost(kernel, facts);
      if (read === undefined) unrecognised.push(`${facts.name}: ${kernel.name} (backward)`);
      else if (read !== 'move') addCounts(counts, read);
    }
    if (hasOp) rows.push({ name: facts.name, counts });
    else if (counts.flops !== 0n || counts.macs !== 0n) unrecognised.push(`${facts.name}: backward arithmetic in a layer with no op`);
  }

  const sums = cost(0n, 0n);
  let adds = 0;
  for (const kernel of [...leftover.values()].flat()) {
    const read = gradientKernelCost(kernel, { name: GRADIENT_SUMS, params: 0n, buffers: 0n });
    if (read === 'move') continue;
    if (kernel.name !== 'Add' || read === undefined) {
      unrecognised.push(`${GRADIENT_SUMS}: ${kernel.name} ran in the model's gradient but in no layer's`);
      continue;
    }
    addCounts(sums, read);
    adds += 1;
  }
  if (adds > 0) rows.push({ name: GRADIENT_SUMS, counts: sums });
  return { rows, unrecognised };
}
