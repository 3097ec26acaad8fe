// SEAttention in tfjs, one layer per PyTorch module, named like the ops.
import * as tfl from '@tensorflow/tfjs-layers';
import { hiddenWidth } from '../model/blocks';
import { apply, channelsOf, relu, weights, type Tensor } from './layers';

export interface SeLayerOptions {
  reduction: number;
  bias: boolean;
  /** Name prefix: '' standalone, 'se.' inside a block. */
  prefix?: string;
}

/** Applies SE to an NHWC feature map and returns the rescaled map. */
export function seLayers(x: Tensor, { reduction, bias, prefix = '' }: SeLayerOptions): Tensor {
  const channels = channelsOf(x);
  let s = apply(tfl.layers.globalAveragePooling2d({ name: `${prefix}squeeze` }), x);
  s = apply(tfl.layers.dense({ units: hiddenWidth(channels, reduction), useBias: bias, name: `${prefix}fc1`, ...weights() }), s);
  s = relu(`${prefix}relu`, s);
  s = apply(tfl.layers.dense({ units: channels, useBias: bias, name: `${prefix}fc2`, ...weights() }), s);
  s = apply(tfl.layers.activation({ activation: 'sigmoid', name: `${prefix}sigmoid` }), s);
  // [B, C] -> [B, 1, 1, C] so the gate broadcasts over H x W: a view, no arithmetic.
  s = apply(tfl.layers.reshape({ targetShape: [1, 1, channels], name: `${prefix}gate` }), s);
  return apply(tfl.layers.multiply({ name: `${prefix}scale` }), [x, s]);
}
