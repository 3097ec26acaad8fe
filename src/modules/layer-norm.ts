// nn.LayerNorm in tfjs kernels, as PyTorch's exporter spells it out before opset 17: the mean
// and variance over the normalised axes, the centred input divided by sqrt(variance + eps), then
// the learned scale and shift. The kernels it runs are read back as one op (measured/kernels.ts).
import * as tf from '@tensorflow/tfjs-core';

export interface LayerNormWeights {
  /** Laid out to broadcast against the input (NHWC when rank 4). */
  scale?: tf.Tensor;
  shift?: tf.Tensor;
}

/** Over stored `axes`; the centred input is computed once, for the variance and the result. */
export function layerNorm(x: tf.Tensor, axes: readonly number[], epsilon: number, { scale, shift }: LayerNormWeights): tf.Tensor {
  const centred = tf.sub(x, tf.mean(x, [...axes], true));
  const variance = tf.mean(tf.square(centred), [...axes], true);
  const normalised = tf.div(centred, tf.sqrt(tf.add(variance, epsilon)));
  const scaled = scale === undefined ? normalised : tf.mul(normalised, scale);
  return shift === undefined ? scaled : tf.add(scaled, shift);
}
