// Activations one tfjs layer each, as PyTorch defines them. tfjs's own `hardSigmoid` is
// Keras's 0.2x + 0.5 and its `swish` multiplies by a scale first, so the layers here write
// PyTorch's formulas out: the kernels they run are read back as one op (measured/kernels.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Activation } from '../model/layer-vocabulary';
import { hardSigmoidFormula } from '../model/kinds/hardsigmoid';
import { hardSwishFormula } from '../model/kinds/hardswish';
import { apply, type Tensor } from './layers';

type Formula = (x: tf.Tensor) => tf.Tensor;

const FORMULAS: Record<'relu6' | 'silu' | 'hardswish' | 'hardsigmoid', Formula> = {
  relu6: (x) => tf.relu6(x), // tfjs-layers' relu6 is min(6, relu(x)): two kernels
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  hardsigmoid: (x) => hardSigmoidFormula(tf, x),
  hardswish: (x) => hardSwishFormula(tf, x),
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
