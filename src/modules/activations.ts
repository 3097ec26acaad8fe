// Activations one tfjs layer each, as PyTorch defines them. tfjs's own `hardSigmoid` is
// Keras's 0.2x + 0.5 and its `swish` multiplies by a scale first, so the layers here write
// PyTorch's formulas out: the kernels they run are read back as one op (measured/kernels.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Activation } from '../model/graph';
import { apply, type Tensor } from './layers';

type Formula = (x: tf.Tensor) => tf.Tensor;

/** PyTorch's hardsigmoid relu6(x + 3) / 6 and hardswish x * relu6(x + 3) / 6, as tfjs kernels. */
export const hardSigmoid: Formula = (x) => tf.div(tf.relu6(tf.add(x, 3)), 6);
export const hardSwish: Formula = (x) => tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);
/** PyTorch's exact GELU, in the exporter's order: x * (1 + erf(x / sqrt(2))) * 0.5. */
export const gelu: Formula = (x) => tf.mul(tf.mul(x, tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1)), 0.5);

const FORMULAS: Record<'relu6' | 'silu' | 'hardswish' | 'hardsigmoid', Formula> = {
  relu6: (x) => tf.relu6(x), // tfjs-layers' relu6 is min(6, relu(x)): two kernels
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  hardsigmoid: hardSigmoid,
  hardswish: hardSwish,
};

/** An elementwise function of one tensor, shape-preserving. */
class Elementwise extends tfl.layers.Layer {
  static readonly className = 'SeprofElementwise';

  constructor(
    private readonly formula: Formula,
    name: string,
  ) {
    super({ name });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (x === undefined) throw new Error(`${this.name} has no input`);
    return tf.tidy(() => this.formula(x));
  }
}

/** The activation layer named `name`: tfjs's own relu and sigmoid, PyTorch's formulas for the rest. */
export function activation(name: string, kind: Activation, x: Tensor): Tensor {
  switch (kind) {
    case 'relu':
    case 'sigmoid':
      return apply(tfl.layers.activation({ name, activation: kind }), x);
    default:
      return apply(new Elementwise(FORMULAS[kind], name), x);
  }
}
