// The gradient kernels seprof registers on the wasm backend, so that --training runs there,
// fast: the ones wasm lacks (Conv2DBackpropFilter, both depthwise gradients) and two it has
// but runs slowly (Conv2DBackpropInput, Tile, SplitV: Concat's gradient). Built from wasm's BatchMatMul, plain copies
// and, for the depthwise ones, plain loops.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-backprop-input';
import { splitVConfig } from './split';
import { tileConfig } from './tile';

const GRADIENT_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  tileConfig,
  splitVConfig,
];

/** Registers them, replacing wasm's own where it has one; calling it again changes nothing. */
export function registerWasmGradients(): void {
  for (const config of GRADIENT_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}
