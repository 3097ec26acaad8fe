// The block vocabulary both derivations read: the analytic path turns a config into ops,
// the tfjs builders in src/modules turn it into layers. Neither imports the other.
import { PAPER_SE, seHidden, type SeVariant } from './se-variants';

/** SE's settings inside a block or network. */
export interface SeSettings {
  /** Reduction ratio r; the hidden width is floor(C / r). */
  reduction: number;
  /** FC layers with biases, as in the SENet paper's reference models. */
  bias: boolean;
  /** The field's SE blocks: absent for the paper's. */
  variant?: SeVariant | undefined;
}

/** The hidden width of SE on C channels under its settings. */
export function seWidth(channels: number, se: SeSettings): number {
  return seHidden(channels, se.reduction, se.variant?.hidden ?? PAPER_SE.hidden);
}

/** The SENet paper's placements (its Figure 5), and SE_3x3: after the bottleneck's 3x3 conv (its Table 15). */
export const SE_POSITIONS = ['standard', 'pre', 'post', 'identity', '3x3'] as const;
export type SePosition = (typeof SE_POSITIONS)[number];
export const RESNET_KINDS = ['bottleneck', 'basic'] as const;
export const STRIDE_PLACES = ['1x1', '3x3'] as const;

/** A ResNet block's own hyper-parameters. */
export interface ResNetBlockShape {
  kind: (typeof RESNET_KINDS)[number];
  planes: number;
  stride: 1 | 2;
  /** Which conv of a bottleneck carries the stride: Caffe's first 1x1, or torchvision's 3x3. */
  strideOn: (typeof STRIDE_PLACES)[number];
}

export interface ResNetBlockConfig extends ResNetBlockShape {
  /** Where SE sits; `standard` (and unread) in a plain block. */
  sePosition: SePosition;
  /** SE's settings, or null for a plain block. */
  se: SeSettings | null;
}

export function resnetOutputChannels(block: Pick<ResNetBlockShape, 'kind' | 'planes'>): number {
  return block.kind === 'bottleneck' ? 4 * block.planes : block.planes;
}

export interface InceptionWidths {
  c1: number;
  c3r: number;
  c3: number;
  c5r: number;
  c5: number;
  pp: number;
}

/** GoogLeNet's inception (3a): 192x28x28 in, widths 64, 96, 128, 16, 32, 32. */
export const INCEPTION_3A: InceptionWidths = { c1: 64, c3r: 96, c3: 128, c5r: 16, c5: 32, pp: 32 };

export const BRANCH3_KINDS = ['5x5', '3x3x2'] as const;
export const POOL_KINDS = ['max', 'avg'] as const;

/** An Inception block's own hyper-parameters. */
export interface InceptionBlockShape {
  widths: InceptionWidths;
  /** The third branch: one 5x5 conv (GoogLeNet) or two stacked 3x3 (BN-Inception). */
  branch3: (typeof BRANCH3_KINDS)[number];
  pool: (typeof POOL_KINDS)[number];
}

export interface InceptionBlockConfig extends InceptionBlockShape {
  se: SeSettings | null;
  /**
   * BN-Inception's grid-reduction modules (3c, 4e) have stride 2 on the last conv of the
   * two 3x3 branches and on the pool, no 1x1 branch (c1 = 0) and no pool projection (pp = 0).
   */
  stride?: 1 | 2;
}

export function inceptionOutputChannels(w: InceptionWidths): number {
  return w.c1 + w.c3 + w.c5 + w.pp;
}

export const RESNET_DEPTHS = {
  resnet50: [3, 4, 6, 3],
  resnet101: [3, 4, 23, 3],
  resnet152: [3, 8, 36, 3],
} as const;

export const LAYOUTS = ['v1', 'v1.5'] as const;
export type Layout = (typeof LAYOUTS)[number];
