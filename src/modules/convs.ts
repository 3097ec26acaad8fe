// Convolutions by group count: tfjs's Conv2D (groups 1), DepthwiseConv2D (groups = Cin =
// Cout), and a grouped conv tfjs lacks, built as split -> one conv per group -> concat
// inside one layer that holds one weight, so that it reads back as one op.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { apply, channelsOf, weights, type Initializer, type Tensor } from './layers';

export interface ConvOptions {
  filters: number;
  kernelSize: number;
  strides: number;
  groups: number;
  bias: boolean;
}

/** 'same' padding: PyTorch's output size for odd kernels with padding (k - 1) / 2. */
class GroupedConv2D extends tfl.layers.Layer {
  static readonly className = 'SeprofGroupedConv2D';
  private kernel: tfl.LayerVariable | undefined;

  constructor(
    private readonly options: ConvOptions,
    name: string,
    private readonly initializer: Initializer,
  ) {
    super({ name });
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const cin = shape[3] ?? 0;
    const { kernelSize: k, groups, filters } = this.options;
    this.kernel = this.addWeight('kernel', [k, k, cin / groups, filters], 'float32', this.initializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [n, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const s = this.options.strides;
    return [n ?? null, h == null ? null : Math.ceil(h / s), w == null ? null : Math.ceil(w / s), this.options.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const kernel = this.kernel;
    if (kernel === undefined) throw new Error(`${this.name} was not built`);
    return tf.tidy(() => {
      const { groups, strides } = this.options;
      const xs = tf.split(x, groups, 3);
      const ws = tf.split(kernel.read() as tf.Tensor4D, groups, 3);
      return tf.concat(
        xs.map((part, i) => tf.conv2d(part as tf.Tensor4D, ws[i] as tf.Tensor4D, strides, 'same')),
        3,
      );
    });
  }
}

export function convolution(name: string, x: Tensor, options: ConvOptions): Tensor {
  const { filters, kernelSize, strides, groups, bias } = options;
  const cin = channelsOf(x);
  if (groups === 1) return apply(tfl.layers.conv2d({ name, filters, kernelSize, strides, padding: 'same', useBias: bias, ...weights() }), x);
  if (groups === cin && filters === cin && !bias) {
    return apply(
      tfl.layers.depthwiseConv2d({
        name,
        kernelSize,
        strides,
        depthMultiplier: 1,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: weights().kernelInitializer,
      }),
      x,
    );
  }
  if (bias) throw new Error(`${name}: a grouped conv with bias is not built`);
  return apply(new GroupedConv2D(options, name, weights().kernelInitializer), x);
}
