// tfjs layers named like the analytic ops, one per PyTorch module. NHWC throughout.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type Tensor = tfl.SymbolicTensor;

/**
 * Weights are zeros: seprof reads shapes and kernels, never values, and random initializers
 * cost seconds for a large network (ResNet-152: 5 s of truncated normals). Shared, the layers
 * with one weight shape use one buffer, which the backend also packs once (ResNet-152: 240 MB
 * of weights become 40 MB); timing wants distinct buffers, as a trained model has.
 */
export type Initializer = ReturnType<typeof tfl.initializers.zeros>;
let initializer: Initializer = tfl.initializers.zeros();

/** The weight initializer of the layers built now: see `buildingWith`. */
export function weights(): { kernelInitializer: Initializer } {
  return { kernelInitializer: initializer };
}

function sharedZeros(): { shared: Initializer; release: () => void } {
  const byShape = new Map<string, tf.Tensor>();
  const shared = tfl.initializers.zeros();
  shared.apply = (shape, dtype) => {
    const dims = shape.map((d) => d ?? 1); // weights have no unknown dimension
    const key = `${dtype ?? 'float32'}:${dims.join('x')}`;
    const zeros = byShape.get(key) ?? tf.zeros(dims, dtype);
    byShape.set(key, zeros);
    return tf.reshape(zeros, dims); // a view: backends share the data of a reshape
  };
  return { shared, release: () => tf.dispose([...byShape.values()]) };
}

/** Builds with distinct or shared zero weights. */
export function buildingWith<T>(share: boolean, build: () => T): T {
  if (!share) return build();
  const { shared, release } = sharedZeros();
  initializer = shared;
  try {
    return build();
  } finally {
    initializer = tfl.initializers.zeros();
    release(); // the weights hold the buffers now
  }
}

export function apply(layer: tfl.layers.Layer, input: Tensor | Tensor[]): Tensor {
  return layer.apply(input) as Tensor;
}

export function channelsOf(x: Tensor): number {
  const channels = x.shape.at(-1);
  if (channels == null) throw new Error(`${x.name} has no known channel count`);
  return channels;
}

/** 'same' padding gives PyTorch's output size for odd kernels with padding (k - 1) / 2. */
export function conv(name: string, x: Tensor, filters: number, kernelSize: number, strides = 1): Tensor {
  return apply(tfl.layers.conv2d({ name, filters, kernelSize, strides, padding: 'same', useBias: false, ...weights() }), x);
}

export function batchnorm(name: string, x: Tensor): Tensor {
  return apply(tfl.layers.batchNormalization({ name, axis: -1, epsilon: 1e-5 }), x);
}

export function relu(name: string, x: Tensor): Tensor {
  return apply(tfl.layers.activation({ name, activation: 'relu' }), x);
}

export function pool(name: string, kind: 'max' | 'avg', x: Tensor, poolSize: number, strides: number): Tensor {
  const config = { name, poolSize, strides, padding: 'same' as const };
  return apply(kind === 'max' ? tfl.layers.maxPooling2d(config) : tfl.layers.averagePooling2d(config), x);
}

export function add(name: string, a: Tensor, b: Tensor): Tensor {
  return apply(tfl.layers.add({ name }), [a, b]);
}

export function concat(name: string, xs: Tensor[]): Tensor {
  return apply(tfl.layers.concatenate({ name, axis: -1 }), xs);
}

export function convBnRelu(prefix: string, suffix: string, x: Tensor, filters: number, kernelSize: number, strides = 1): Tensor {
  const y = batchnorm(`${prefix}bn${suffix}`, conv(`${prefix}conv${suffix}`, x, filters, kernelSize, strides));
  return relu(`${prefix}relu${suffix}`, y);
}
