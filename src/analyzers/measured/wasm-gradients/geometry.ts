// The geometry of the forward convolution a gradient kernel belongs to, NHWC only (tfjs
// layers' layout; the wasm Conv2D has no other).
import { backend_util, type Conv2DAttrs, type DepthwiseConv2dNativeBackpropInputAttrs } from '@tensorflow/tfjs-core';

type Quad = [number, number, number, number];
type ConvAttrs = Pick<Conv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'>;
type DepthwiseAttrs = Pick<DepthwiseConv2dNativeBackpropInputAttrs, 'strides' | 'pad' | 'dilations' | 'dimRoundingMode'>;

export function convGeometry(inputShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  const info = backend_util.computeConv2DInfo(
    inputShape as Quad,
    filterShape as Quad,
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

/** A depthwise convolution's, filter [kh, kw, C, multiplier]; depthwise kernels are NHWC only. */
export function depthwiseGeometry(inputShape: readonly number[], filterShape: readonly number[], attrs: DepthwiseAttrs): backend_util.Conv2DInfo {
  const { strides, pad, dilations, dimRoundingMode } = attrs;
  const info = backend_util.computeConv2DInfo(inputShape as Quad, filterShape as Quad, strides, dilations, pad, dimRoundingMode, true);
  // tfjs's depthwise gradient refuses dilations and cpu's kernels ignore them: refuse, not differ.
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) throw new Error(`wasm depthwise gradients support dilation 1 only, not ${String(dilations)}`);
  return info;
}
