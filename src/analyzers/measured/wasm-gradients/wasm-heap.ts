// Inside a wasm kernel: the backend's own kernels called as plain functions, and the heap as
// Float32Arrays. A kernel called this way is not an engine kernel, so tf.profile records only
// the kernel that called it: each gradient kernel is read exactly once.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

function runWasmKernel(backend: BackendWasm, name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`the wasm backend has no kernel '${name}'`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

/** a [1, m, k] x b [1, k, n] by wasm's BatchMatMul, neither operand transposed. */
export function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  return runWasmKernel(backend, 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
}

/** A new float32 tensor on the heap, uninitialised. */
export function allocate(backend: BackendWasm, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/**
 * The tensor's values in place. Take views only after the last allocation: growing the
 * heap detaches every earlier view.
 */
export function floats(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** The same data seen with another shape of the same size (no copy, no reference taken). */
export function viewAs(info: TensorInfo, shape: number[]): TensorInfo {
  return { ...info, shape };
}

export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
