// DepthwiseConv2dNativeBackpropFilter, which the wasm backend lacks. A depthwise gradient is
// kh*kw multiply-accumulates per element of dy, too few per value for a BatchMatMul to pay:
// plain loops over the heap, channels innermost (NHWC keeps them contiguous).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  DepthwiseConv2dNativeBackpropFilter,
  type backend_util,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { depthwiseGeometry } from './geometry';
import { allocate, floats } from './wasm-heap';

/**
 * dW[i, j, c, k] = sum over n, p, q of x at the pixel tap (i, j) reads for output (n, p, q),
 * channel c, times dy[n, p, q, c*m + k]. Summed in doubles in the cpu kernel's order (n, p, q).
 */
function depthwiseFilterGradient(x: Float32Array, dy: Float32Array, g: backend_util.Conv2DInfo, dw: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: cin, outHeight: ho, outWidth: wo, outChannels: cout, filterHeight: kh, filterWidth: kw } = g;
  const m = cout / cin;
  const sums = new Float64Array(dw.length);
  for (let n = 0; n < batchSize; n++) {
    for (let p = 0; p < ho; p++) {
      for (let q = 0; q < wo; q++) {
        const dyAt = ((n * ho + p) * wo + q) * cout;
        for (let i = 0; i < kh; i++) {
          const row = p * g.strideHeight - g.padInfo.top + i;
          if (row < 0 || row >= h) continue;
          for (let j = 0; j < kw; j++) {
            const col = q * g.strideWidth - g.padInfo.left + j;
            if (col < 0 || col >= w) continue;
            const xAt = ((n * h + row) * w + col) * cin;
            const tapAt = (i * kw + j) * cout;
            for (let c = 0, o = 0; c < cin; c++) {
              const value = x[xAt + c] as number;
              for (const end = o + m; o < end; o++) sums[tapAt + o] = (sums[tapAt + o] as number) + value * (dy[dyAt + o] as number);
            }
          }
        }
      }
    }
  }
  dw.set(sums);
}

function depthwiseConv2dNativeBackpropFilter(args: {
  inputs: DepthwiseConv2dNativeBackpropFilterInputs;
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const g = depthwiseGeometry(x.shape, attrs.filterShape, attrs);
  const dw = allocate(backend, [...attrs.filterShape]);
  depthwiseFilterGradient(floats(backend, x), floats(backend, dy), g, floats(backend, dw));
  return dw;
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as KernelFunc,
};
