// The parts of an op that no op kind defines: shapes (NCHW, like PyTorch) and attributes. The op
// kinds (model/kinds) are written in these; the Op itself, whose kind is one of theirs, is ops.ts.

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

export function numel(shape: Shape): bigint {
  return shape.reduce((n, d) => n * BigInt(d), 1n);
}

export function dim(shape: Shape, axis: number): number {
  const d = shape.at(axis);
  if (d === undefined) throw new Error(`shape [${shape.join(', ')}] has no axis ${axis}`);
  return d;
}

export function formatShape(shape: Shape): string {
  return shape.join('x');
}

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
   * Model files: the inputs autograd takes no gradient for, computed from constants only (Swin's
   * attention mask, built at run time): their positions in `inputShapes`; `all` when the op reads
   * nothing a graph input reaches and learns nothing, so it has no backward pass at all.
   */
  frozen?: 'all' | readonly number[];
  /**
   * Model files: the model's batch, when the op's dim 0 is not it (Swin's windows folded into dim
   * 0): ptflops divides its module hooks by the model's batch, not the op's.
   */
  batch?: number;
}
