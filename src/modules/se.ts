// SE in tfjs, one layer per PyTorch module, named like the ops: the paper's SEAttention and
// the field's variants (1x1 conv FCs, other activations and gates).
import * as tfl from '@tensorflow/tfjs-layers';
import { seWidth, type SeSettings } from '../model/blocks';
import { PAPER_SE, seOpNames } from '../model/se-variants';
import { activation } from './activations';
import { convolution } from './convs';
import { apply, channelsOf, weights, type Tensor } from './layers';

export interface SeLayerOptions extends SeSettings {
  /** Name prefix: '' standalone, 'se.' inside a block. */
  prefix?: string;
}

/** Applies SE to an NHWC feature map and returns the rescaled map. */
export function seLayers(x: Tensor, { prefix = '', ...se }: SeLayerOptions): Tensor {
  const variant = se.variant ?? PAPER_SE;
  const names = seOpNames(variant);
  const channels = channelsOf(x);
  const fc = (name: string, input: Tensor, units: number): Tensor =>
    variant.fc === 'linear'
      ? apply(tfl.layers.dense({ units, useBias: se.bias, name, ...weights() }), input)
      : convolution(name, input, { filters: units, kernelSize: 1, strides: 1, groups: 1, bias: se.bias });
  let s = apply(tfl.layers.globalAveragePooling2d({ name: `${prefix}${names.squeeze}` }), x);
  // A 1x1 conv reads the squeeze as [B, 1, 1, C]: a view, no arithmetic.
  if (variant.fc === 'conv1x1') s = apply(tfl.layers.reshape({ targetShape: [1, 1, channels], name: `${prefix}${names.squeeze}.view` }), s);
  s = fc(`${prefix}${names.fc1}`, s, seWidth(channels, se));
  s = activation(`${prefix}${names.act}`, variant.activation, s);
  s = fc(`${prefix}${names.fc2}`, s, channels);
  s = activation(`${prefix}${names.gate}`, variant.gate, s);
  // [B, C] -> [B, 1, 1, C] so the gate broadcasts over H x W: a view, no arithmetic.
  if (variant.fc === 'linear') s = apply(tfl.layers.reshape({ targetShape: [1, 1, channels], name: `${prefix}gate` }), s);
  return apply(tfl.layers.multiply({ name: `${prefix}${names.scale}` }), [x, s]);
}
