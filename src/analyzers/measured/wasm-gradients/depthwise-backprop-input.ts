// DepthwiseConv2dNativeBackpropInput, which the wasm backend lacks: plain loops over the
// heap like the filter gradient, each input pixel gathering the output pixels that read it.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  DepthwiseConv2dNativeBackpropInput,
  type backend_util,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type DepthwiseConv2dNativeBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { depthwiseGeometry } from './geometry';
import { allocate, floats } from './wasm-heap';

/**
 * dx[n, r, s, c] = sum over the output pixels (p, q) whose tap (i, j) reads (r, s), and over
 * k < m, of dy[n, p, q, c*m + k] * W[i, j, c, k]. Summed in doubles in the cpu kernel's
 * order (p, q, k ascending).
 */
function depthwiseInputGradient(dy: Float32Array, filter: Float32Array, g: backend_util.Conv2DInfo, dx: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: cin, outHeight: ho, outWidth: wo, outChannels: cout, filterHeight: kh, filterWidth: kw } = g;
  const { strideHeight: sh, strideWidth: sw, padInfo } = g;
  const m = cout / cin;
  const sums = new Float64Array(cin);
  for (let n = 0; n < batchSize; n++) {
    for (let r = 0; r < h; r++) {
      // Output row p reads input row r through tap i = r + top - p*sh, 0 <= i < kh.
      const pFirst = Math.max(0, Math.ceil((r + padInfo.top - kh + 1) / sh));
      const pLast = Math.min(ho - 1, Math.floor((r + padInfo.top) / sh));
      for (let s = 0; s < w; s++) {
        const qFirst = Math.max(0, Math.ceil((s + padInfo.left - kw + 1) / sw));
        const qLast = Math.min(wo - 1, Math.floor((s + padInfo.left) / sw));
        sums.fill(0);
        for (let p = pFirst; p <= pLast; p++) {
          const i = r + padInfo.top - p * sh;
          for (let q = qFirst; q <= qLast; q++) {
            const j = s + padInfo.left - q * sw;
            const dyAt = ((n * ho + p) * wo + q) * cout;
            const tapAt = (i * kw + j) * cout;
            for (let c = 0, o = 0; c < cin; c++) {
              let sum = sums[c] as number;
              for (const end = o + m; o < end; o++) sum += (dy[dyAt + o] as number) * (filter[tapAt + o] as number);
              sums[c] = sum;
            }
          }
        }
        dx.set(sums, ((n * h + r) * w + s) * cin);
      }
    }
  }
}

function depthwiseConv2dNativeBackpropInput(args: {
  inputs: DepthwiseConv2dNativeBackpropInputInputs;
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const g = depthwiseGeometry(attrs.inputShape, filter.shape, attrs);
  const dx = allocate(backend, [...attrs.inputShape]);
  depthwiseInputGradient(floats(backend, dy), floats(backend, filter), g, floats(backend, dx));
  return dx;
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as KernelFunc,
};
