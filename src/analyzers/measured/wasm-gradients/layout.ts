// Data movers for the convolution gradients, on NHWC float32 arrays. They copy values into
// the layout a wasm BatchMatMul wants, and back; only addPatches adds (the sums over filter
// taps that complete an input gradient).
import type { backend_util } from '@tensorflow/tfjs-core';

type Geometry = Pick<
  backend_util.Conv2DInfo,
  'batchSize' | 'inHeight' | 'inWidth' | 'inChannels' | 'outHeight' | 'outWidth' | 'filterHeight' | 'filterWidth' | 'strideHeight' | 'strideWidth'
> & { padInfo: { top: number; left: number } };

/**
 * The input patches as rows: out[(i*kw + j)*Cin + c][m] = x at the pixel that filter tap
 * (i, j) reads for output pixel m = (n*Ho + p)*Wo + q, channel c; 0 in the padding. Rows are
 * ordered like an HWIO filter, so patches [K, M] x dy [M, Cout] is the filter gradient.
 */
export function patchesByRow(x: Float32Array, g: Geometry, out: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: cin, outHeight: ho, outWidth: wo } = g;
  const m = batchSize * ho * wo;
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      for (let c = 0; c < cin; c++) {
        let at = ((i * g.filterWidth + j) * cin + c) * m;
        for (let n = 0; n < batchSize; n++) {
          for (let p = 0; p < ho; p++) {
            const row = p * g.strideHeight - g.padInfo.top + i;
            if (row < 0 || row >= h) {
              out.fill(0, at, at + wo);
              at += wo;
              continue;
            }
            const base = (n * h + row) * w;
            for (let q = 0; q < wo; q++, at++) {
              const col = q * g.strideWidth - g.padInfo.left + j;
              out[at] = col >= 0 && col < w ? (x[(base + col) * cin + c] as number) : 0;
            }
          }
        }
      }
    }
  }
}

/** A row-major matrix [rows, cols] as [cols, rows]. */
export function transposed(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c] as number;
  }
}

/** Where value (m, t) of a [pixels, taps] matrix sits: m * pixel + t * tap (either layout). */
export interface MatrixStrides {
  pixel: number;
  tap: number;
}

/**
 * The inverse of patchesByRow's gather: adds the patch of output pixel m = (n*Ho + p)*Wo + q,
 * cols (m, (i*kw + j)*Cin + c), into the input pixel tap (i, j) reads. dx must start at zero.
 */
export function addPatches(cols: Float32Array, at: MatrixStrides, g: Geometry, dx: Float32Array): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: cin, outHeight: ho, outWidth: wo, filterHeight: kh, filterWidth: kw } = g;
  let m = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let p = 0; p < ho; p++) {
      for (let q = 0; q < wo; q++, m++) {
        for (let i = 0; i < kh; i++) {
          const row = p * g.strideHeight - g.padInfo.top + i;
          for (let j = 0; j < kw; j++) {
            const col = q * g.strideWidth - g.padInfo.left + j;
            if (row < 0 || row >= h || col < 0 || col >= w) continue;
            const to = ((n * h + row) * w + col) * cin;
            const from = m * at.pixel + (i * kw + j) * cin * at.tap;
            for (let c = 0; c < cin; c++) dx[to + c] = (dx[to + c] as number) + (cols[from + c * at.tap] as number);
          }
        }
      }
    }
  }
}
