// The GFLOPs figure YOLOv9's and Ultralytics' model summary prints (utils/torch_utils.py model_info):
// thop's MACs of the model at a 1 x 3 x S x S input, S its largest stride, times 2 / 1e9, times
// (imgsz / S)^2. An exported graph has its shapes baked for imgsz, so the stride-sized pass is
// worked out op by op from the ops at imgsz: an op on a map (any axis past the channels > 1)
// counts in proportion to its area, so its share is thop at imgsz; an op on pooled features (SE's
// FC layers, a 1x1 map) counts the same at any size, so the summary scales it by (imgsz / S)^2;
// a global pool's `(H*W + 1) * numel(out)` scales but its `+ 1`. That is how the summary misstates SE.
import type { LayerCounts } from './count';
import { dim, input, numel, type Op } from './ops';

export interface YoloFigure {
  /** thop's MACs at 1 x 3 x S x S, batch 1: exact when the image is a multiple of the stride. */
  thopAtStride: number;
  /** FLOPs the summary prints as GFLOPs, `thopAtStride * 2 * (H / S) * (W / S)`. */
  flops: number;
  /** As the summary prints it: `%.1f` of flops / 1e9. */
  gflops: string;
}

/** Whether the op's cost grows with the image: it works on a map with an axis past the channels > 1. */
function onMap(op: Op): boolean {
  const x = op.inputShapes[0];
  return x !== undefined && x.length >= 3 && numel(x) / (BigInt(dim(x, 0)) * BigInt(dim(x, 1))) > 1n;
}

/** An op's share of the summary's thop at stride, times S^2 * H * W... kept exact: its count at the stride-sized input times H*W (the image area). */
function scaledShare(layer: LayerCounts, area: bigint, strideArea: bigint): bigint {
  const thop = layer.counts.thop ?? 0n;
  const { op } = layer;
  if (op.kind === 'global_avg_pool' && thop > 0n) {
    // (h*w + 1) * n at the image: (h*w * S^2 / area + 1) * n at stride.
    const n = numel(op.outputShape);
    return (thop - n) * strideArea + area * n;
  }
  return onMap(op) ? thop * strideArea : thop * area;
}

/** The summary's figure for these layers, at image H x W, stride S and the file's batch. */
export function yoloFigure(layers: readonly LayerCounts[], height: number, width: number, stride: number): YoloFigure {
  const area = BigInt(height) * BigInt(width);
  const strideArea = BigInt(stride) * BigInt(stride);
  const batch = BigInt(layers[0] === undefined ? 1 : dim(input(layers[0].op), 0));
  // Sum of (thop at stride) * area, over the batch.
  const total = layers.reduce((n, l) => n + scaledShare(l, area, strideArea), 0n);
  const thopAtStride = Number(total) / Number(area * batch);
  const flops = (Number(total) * 2) / Number(strideArea * batch);
  return { thopAtStride, flops, gflops: (flops / 1e9).toFixed(1) };
}

/** What the summary counts for some of the layers (an SE block), against twice their thop at the image, per image. */
export function yoloShare(layers: readonly LayerCounts[], height: number, width: number, stride: number): { summary: number; atImage: number } {
  const figure = yoloFigure(layers, height, width, stride);
  const batch = layers[0] === undefined ? 1 : dim(input(layers[0].op), 0);
  const thop = layers.reduce((n, l) => n + (l.counts.thop ?? 0n), 0n);
  return { summary: figure.flops, atImage: (Number(thop) * 2) / batch };
}
