// SE in tfjs, one layer per PyTorch module, named like the ops: the paper's SEAttention and
// the field's variants (1x1 conv FCs, other activations and gates).
import * as tf from '@tensorflow/tfjs-core';
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

/**
 * `x.mean((2, 3), keepdim=True)`, timm's squeeze: a tensor method, not AdaptiveAvgPool2d. The
 * same Mean kernel, its output kept [B, 1, 1, C]; the measured reader reads it as a reduce_mean.
 */
class SpatialMean extends tfl.layers.Layer {
  static readonly className = 'SeprofSpatialMean';

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [shape[0] ?? null, 1, 1, shape[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x === undefined) throw new Error(`${this.name} has no input`);
    return tf.mean(x, [1, 2], true);
  }
}

/** Whether a layer is a squeeze written as x.mean (measured: a reduce_mean, not a global_avg_pool). */
export const isFunctionalMean = (layer: tfl.layers.Layer): boolean => layer instanceof SpatialMean;

/** Applies SE to an NHWC feature map and returns the rescaled map. */
export function seLayers(x: Tensor, { prefix = '', ...se }: SeLayerOptions): Tensor {
  const variant = se.variant ?? PAPER_SE;
  const names = seOpNames(variant);
  const channels = channelsOf(x);
  const fc = (name: string, input: Tensor, units: number): Tensor =>
    variant.fc === 'linear'
      ? apply(tfl.layers.dense({ units, useBias: se.bias, name, ...weights() }), input)
      : convolution(name, input, { filters: units, kernelSize: 1, strides: 1, groups: 1, bias: se.bias });
  const mean = variant.squeeze === 'mean';
  let s = apply(mean ? new SpatialMean({ name: `${prefix}${names.squeeze}` }) : tfl.layers.globalAveragePooling2d({ name: `${prefix}${names.squeeze}` }), x);
  // A 1x1 conv reads the squeeze as [B, 1, 1, C], a Linear as [B, C]: a view, no arithmetic.
  if (variant.fc === 'conv1x1' && !mean) s = apply(tfl.layers.reshape({ targetShape: [1, 1, channels], name: `${prefix}${names.squeeze}.view` }), s);
  if (variant.fc === 'linear' && mean) s = apply(tfl.layers.reshape({ targetShape: [channels], name: `${prefix}${names.squeeze}.view` }), s);
  s = fc(`${prefix}${names.fc1}`, s, seWidth(channels, se));
  s = activation(`${prefix}${names.act}`, variant.activation, s);
  s = fc(`${prefix}${names.fc2}`, s, channels);
  s = activation(`${prefix}${names.gate}`, variant.gate, s);
  // [B, C] -> [B, 1, 1, C] so the gate broadcasts over H x W: a view, no arithmetic.
  if (variant.fc === 'linear') s = apply(tfl.layers.reshape({ targetShape: [1, 1, channels], name: `${prefix}gate` }), s);
  return apply(tfl.layers.multiply({ name: `${prefix}${names.scale}` }), [x, s]);
}
