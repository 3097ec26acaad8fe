// SEAttention in tfjs, one layer per PyTorch module, named like the ops.
import * as tfl from '@tensorflow/tfjs-layers';
import { hiddenWidth } from '../spec';

export interface SeLayerOptions {
  reduction: number;
  bias: boolean;
  /** Name prefix: '' standalone, 'se.' inside a block. */
  prefix?: string;
}

/** Applies SE to an NHWC feature map and returns the rescaled map. */
export function seLayers(x: tfl.SymbolicTensor, { reduction, bias, prefix = '' }: SeLayerOptions): tfl.SymbolicTensor {
  const channels = x.shape.at(-1);
  if (channels == null) throw new Error('SE needs a known channel count');
  const hidden = hiddenWidth(channels, reduction);
  const apply = (layer: tfl.layers.Layer, input: tfl.SymbolicTensor | tfl.SymbolicTensor[]): tfl.SymbolicTensor =>
    layer.apply(input) as tfl.SymbolicTensor;

  let s = apply(tfl.layers.globalAveragePooling2d({ name: `${prefix}squeeze` }), x);
  s = apply(tfl.layers.dense({ units: hidden, useBias: bias, name: `${prefix}fc1` }), s);
  s = apply(tfl.layers.activation({ activation: 'relu', name: `${prefix}relu` }), s);
  s = apply(tfl.layers.dense({ units: channels, useBias: bias, name: `${prefix}fc2` }), s);
  s = apply(tfl.layers.activation({ activation: 'sigmoid', name: `${prefix}sigmoid` }), s);
  // [B, C] -> [B, 1, 1, C] so the gate broadcasts over H x W: a view, no arithmetic.
  s = apply(tfl.layers.reshape({ targetShape: [1, 1, channels], name: `${prefix}gate` }), s);
  return apply(tfl.layers.multiply({ name: `${prefix}scale` }), [x, s]);
}
