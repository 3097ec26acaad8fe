// SplitV for wasm: Concat's gradient. wasm's own runs one Slice per part, and each Slice copies
// the whole input off the heap first, so splitting into n parts copies n inputs: Concat(x, x,
// ..., x) of 5,000 slots took 99 s. This one reads the input in place, each part once.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backend_util, SplitV, util, type KernelConfig, type KernelFunc, type SplitVAttrs, type SplitVInputs, type TensorInfo } from '@tensorflow/tfjs-core';

type Values = Float32Array | Int32Array | Uint8Array;

function splitV(args: { inputs: SplitVInputs; backend: BackendWasm; attrs: SplitVAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0] as number;
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  const outs = sizes.map((size) =>
    backend.makeOutput(
      x.shape.map((d, i) => (i === axis ? size : d)),
      x.dtype,
    ),
  );
  // Views only after the last allocation: growing the heap detaches earlier ones.
  const from = backend.typedArrayFromHeap(x) as Values;
  const inner = util.sizeFromShape(x.shape.slice(axis + 1));
  const outer = util.sizeFromShape(x.shape.slice(0, axis));
  const row = (x.shape[axis] as number) * inner;
  let begin = 0;
  outs.forEach((out, k) => {
    const to = backend.typedArrayFromHeap(out) as Values;
    const width = (sizes[k] as number) * inner;
    for (let i = 0; i < outer; i++) to.set(from.subarray(i * row + begin, i * row + begin + width), i * width);
    begin += width;
  });
  return outs;
}

export const splitVConfig: KernelConfig = {
  kernelName: SplitV,
  backendName: 'wasm',
  kernelFunc: splitV as unknown as KernelFunc,
};
