// Conv2DBackpropInput for wasm. wasm has one, but a scalar loop (several times slower than
// its Conv2D); here the input gradient is one product and a scatter: the patch gradients
// cols = dy [M, Cout] x W^T [Cout, kh*kw*Cin], each patch added back into the pixels its taps
// read. A 1x1, stride-1, unpadded layer needs no scatter: cols is dx.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convGeometry } from './geometry';
import { addPatches, transposed, type MatrixStrides } from './layout';
import { allocate, floats, matMul, release, viewAs } from './wasm-heap';

function conv2dBackpropInput(args: { inputs: Conv2DBackpropInputInputs; backend: BackendWasm; attrs: Conv2DBackpropInputAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const g = convGeometry(attrs.inputShape, filter.shape, attrs);
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const pixels = g.batchSize * g.outHeight * g.outWidth;
  // wasm's BatchMatMul is about 10x slower with a transposed operand, and repacks its second
  // operand on every call: transpose here, and make the smaller of W^T and dy^T the second.
  const byTap = taps > pixels;
  const second = allocate(backend, byTap ? [1, g.outChannels, pixels] : [1, g.outChannels, taps]);
  if (byTap) transposed(floats(backend, dy), pixels, g.outChannels, floats(backend, second));
  else transposed(floats(backend, filter), taps, g.outChannels, floats(backend, second));
  const cols = matMul(backend, viewAs(byTap ? filter : dy, [1, byTap ? taps : pixels, g.outChannels]), second);
  release(backend, second);
  const layout: MatrixStrides = byTap ? { pixel: 1, tap: pixels } : { pixel: taps, tap: 1 };

  const { top, left, bottom, right } = g.padInfo;
  const direct = !byTap && g.filterHeight * g.filterWidth * g.strideHeight * g.strideWidth === 1 && top + left + bottom + right === 0;
  if (direct) return viewAs(cols, [...attrs.inputShape]);
  const dx = allocate(backend, [...attrs.inputShape]);
  const sums = floats(backend, dx);
  sums.fill(0);
  addPatches(floats(backend, cols), layout, g, sums);
  release(backend, cols);
  return dx;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};
