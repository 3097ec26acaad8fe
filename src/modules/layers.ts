// tfjs layers named like the analytic ops, one per PyTorch module. NHWC throughout.
import * as tfl from '@tensorflow/tfjs-layers';

export type Tensor = tfl.SymbolicTensor;

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
  return apply(tfl.layers.conv2d({ name, filters, kernelSize, strides, padding: 'same', useBias: false }), x);
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
