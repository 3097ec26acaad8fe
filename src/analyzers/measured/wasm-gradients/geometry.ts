// The geometry of the forward convolution a gradient kernel belongs to, NHWC only (tfjs
// layers' layout; the wasm Conv2D has no other).
import { backend_util, type Conv2DAttrs } from '@tensorflow/tfjs-core';

type ConvAttrs = Pick<Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'>;

export function convGeometry(inputShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error(`wasm convolution gradients support NHWC only, not ${dataFormat}`);
  return info;
}
