// Tile for wasm. wasm has one, but it computes every output index (about 100 ns per element
// here); batchnorm's gradient tiles a [1, 1, 1, C] statistic to the whole activation. This
// one writes each block once and repeats it with copyWithin, a memcpy per repetition.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Tile, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs, type TileInputs } from '@tensorflow/tfjs-core';

type Values = Float32Array | Int32Array | Uint8Array;

/** x of `shape` repeated reps[d] times along each dimension d, into out (row-major). */
export function tileInto(x: Values, shape: readonly number[], reps: readonly number[], out: Values): void {
  if (shape.length === 0) {
    out.set(x);
    return;
  }
  const inner = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  let at = 0;
  const fill = (d: number, from: number): void => {
    const start = at;
    const size = shape[d] ?? 1;
    if (d === shape.length - 1) {
      out.set(x.subarray(from, from + size), at);
      at += size;
    } else {
      for (let i = 0; i < size; i++) fill(d + 1, from + i * (inner[d] ?? 1));
    }
    const block = at - start;
    for (let r = 1; r < (reps[d] ?? 1); r++, at += block) out.copyWithin(at, start, start + block);
  };
  fill(0, 0);
}

function tile(args: { inputs: TileInputs; backend: BackendWasm; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const out = backend.makeOutput(
    x.shape.map((size, d) => size * (attrs.reps[d] ?? 1)),
    x.dtype,
  );
  tileInto(backend.typedArrayFromHeap(x) as Values, x.shape, attrs.reps, backend.typedArrayFromHeap(out) as Values);
  return out;
}

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
