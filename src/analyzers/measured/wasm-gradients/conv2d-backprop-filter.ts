// Conv2DBackpropFilter, which the wasm backend lacks: the filter gradient is one product
// dW [kh*kw*Cin, Cout] = patches [kh*kw*Cin, M] x dy [M, Cout], as many multiply-accumulates
// as the forward convolution, run by wasm's BatchMatMul.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convGeometry } from './geometry';
import { patchesByRow } from './layout';
import { allocate, floats, matMul, release, viewAs } from './wasm-heap';

function conv2dBackpropFilter(args: { inputs: Conv2DBackpropFilterInputs; backend: BackendWasm; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs;
  const g = convGeometry(x.shape, filterShape, attrs);
  const rows = g.filterHeight * g.filterWidth * g.inChannels;
  const pixels = g.batchSize * g.outHeight * g.outWidth;
  const patches = allocate(backend, [1, rows, pixels]);
  patchesByRow(floats(backend, x), g, floats(backend, patches));
  const dw = matMul(backend, patches, viewAs(dy, [1, pixels, g.outChannels]));
  release(backend, patches);
  return viewAs(dw, [...filterShape]);
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
