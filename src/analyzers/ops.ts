// The one currency of seprof: a list of executed operations, NCHW like PyTorch.
// The analytic and measured paths both produce Op[]; conventions count them.

/**
 * Dimensions are safe integers (at most 2^53 - 1): the spec refuses inputs that would make
 * one larger, shape arithmetic runs in bigint and comes back through `toDim`. Products of
 * dimensions can pass 2^53, so they are bigint (`numel`, and the rules' products).
 */
export type Shape = readonly number[];

/** A dimension worked out in bigint, back as a number: it must be a safe integer, or the spec let through what it should refuse. */
export function toDim(n: bigint): number {
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`dimension ${n} is not a safe integer`);
  return Number(n);
}

/** The backward-only row: the adds that sum the gradients of tensors read several times. */
export const GRADIENT_SUMS = '(gradient sums)';

export const OP_KINDS = [
  'conv2d',
  'batchnorm',
  'relu',
  'sigmoid',
  'relu6',
  'silu',
  'hardswish',
  'hardsigmoid',
  'global_avg_pool',
  'avg_pool',
  'max_pool',
  'linear',
  'scale',
  'add',
  'concat',
  // Model files (issue 14): the functional spatial mean, nearest-neighbour upsampling, LeakyReLU.
  'reduce_mean',
  'resize',
  'leaky_relu',
  'conv_transpose',
  // Model files: elementwise operators beside add (a + b) and scale (SE's x * s), the heads'
  // activations, and padding.
  'mul',
  'sub',
  'div',
  'pow',
  'tanh',
  'softmax',
  'pad',
  // Model files: what transformer-style and modern conv nets export: nn.GELU, the functions
  // torch.erf and torch.exp, and nn.LayerNorm.
  'gelu',
  'erf',
  'exp',
  'layernorm',
  // Model files: a product of two activations (attention's q @ k^T and attn @ v, torch.bmm):
  // inputShapes [..., M, K] and [..., K, N], batch axes broadcast; no weight, so no params.
  'matmul',
  // Model files: torch.einsum of two operands (window attention): inputShapes the operands, the
  // equation in attrs; P, the product of its letters' sizes, multiply-accumulates.
  'einsum',
  // Model files: torch.sum, torch.amax, torch.amin over any axes (YOLOv9's CBFuse sums a stack).
  'reduce_sum',
  'reduce_max',
  'reduce_min',
  // Model files: nn.Softplus and nn.Mish (YOLOv4-style heads).
  'softplus',
  'mish',
  // Model files: nn.InstanceNorm2d.
  'instance_norm',
  // Model files: nn.PReLU, its slope learned (one, or one per channel).
  'prelu',
  // Model files: nn.GroupNorm (GroupNormalization, or the exporter's Reshape, InstanceNormalization,
  // Reshape, Mul, Add): attrs.groups, affine and bias as layernorm's.
  'group_norm',
  // Model files: torch.clamp (any bounds but ReLU6's) and torch.norm over axes (F.normalize; Swin V2).
  'clip',
  'reduce_l2',
] as const;

export type OpKind = (typeof OP_KINDS)[number];

export interface OpAttrs {
  /** conv2d, conv_transpose and pools: [kh, kw]. */
  kernel?: readonly [number, number];
  /** conv2d and pools. */
  stride?: number;
  /** conv2d; group_norm: its channel groups. */
  groups?: number;
  /** group_norm: its scale and shift are per group (GroupNormalization before opset 21), not per channel. */
  perGroup?: boolean;
  /** conv2d and linear; layernorm: its learned shift. */
  bias?: boolean;
  /**
   * softmax: the axis it normalises over, of the NCHW input; layernorm: the first axis it
   * normalises over, with every axis after it (PyTorch's trailing normalized_shape).
   */
  axis?: number;
  /** layernorm: a learned elementwise scale (nn.LayerNorm's elementwise_affine weight). */
  affine?: boolean;
  /**
   * add, mul, sub, div, pow: the operand that is a constant (`x * 0.5`, a learned gain), which
   * `inputShapes` leaves out as `reads` does: its position (which side of `-`, `/`, `**`) and its
   * shape, aligned to the output's rank.
   */
  constant?: { at: 0 | 1; shape: Shape };
  /** gelu: PyTorch's tanh approximation (nn.GELU(approximate='tanh')), else the exact erf form. */
  approximate?: 'tanh';
  /** resize: bilinear (ONNX linear), else nearest. */
  bilinear?: boolean;
  /** pad: how the border is filled (ONNX Pad's modes), which decides what its gradient adds. */
  mode?: 'constant' | 'reflect' | 'edge';
  /**
   * concat: the learned tokens broadcast into it (ViT's class token, expanded to the batch), each
   * its input's position in `inputShapes` (as expanded) and its own shape, which its params are.
   */
  tokens?: readonly { at: number; shape: Shape }[];
  /**
   * Model files: the op was not a module's (model/graph/origins): a function called in a module's
   * forward (`F.avg_pool2d`), or a tensor method (`x.softmax(1)`). thop sees neither; ptflops only
   * the functions it patches. Absent: a module made it, as in every built-in network.
   */
  origin?: 'function' | 'method';
  /** einsum: its equation with the output written out (`bhqd,bhkd->bhqk`). */
  equation?: string;
  /**
   * Model files: the model's batch, when the op's dim 0 is not it (Swin's windows folded into dim
   * 0): ptflops divides its module hooks by the model's batch, not the op's.
   */
  batch?: number;
}

export interface Op {
  /** Path in the model, PyTorch style: `fc1`, `se.fc1`, `layer2.0.conv1`. */
  name: string;
  kind: OpKind;
  inputShapes: Shape[];
  outputShape: Shape;
  attrs: OpAttrs;
  /** Trainable parameters. */
  params: bigint;
  /** Non-trainable state (batchnorm running mean and variance). */
  buffers: bigint;
  /**
   * The ops whose outputs this op reads, `input` for the model input. Absent: the previous
   * op's output (a chain). The backward pass sums the gradients of a tensor read twice.
   */
  reads?: readonly string[];
}

export function numel(shape: Shape): bigint {
  return shape.reduce((n, d) => n * BigInt(d), 1n);
}

/** The first input, which every op has. */
export function input(op: Op): Shape {
  const shape = op.inputShapes[0];
  if (shape === undefined) throw new Error(`op ${op.name} has no input`);
  return shape;
}

export function dim(shape: Shape, axis: number): number {
  const d = shape.at(axis);
  if (d === undefined) throw new Error(`shape [${shape.join(', ')}] has no axis ${axis}`);
  return d;
}

export function formatShape(shape: Shape): string {
  return shape.join('x');
}

export function makeOp(
  name: string,
  kind: OpKind,
  inputShapes: Shape[],
  outputShape: Shape,
  extra: Partial<Pick<Op, 'attrs' | 'params' | 'buffers' | 'reads'>> = {},
): Op {
  if (!outputShape.every(Number.isSafeInteger)) throw new Error(`op ${name}: output shape [${outputShape.join(', ')}] is not exact`);
  return { name, kind, inputShapes, outputShape, attrs: {}, params: 0n, buffers: 0n, ...extra };
}
