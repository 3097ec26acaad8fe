// The weights of an initializer as float32, for the measured run only (counting never
// reads them): from the model file's bytes, an external data file, or inline values.
import { UsageError } from '../../errors';
import { count } from './tensor-info';
import { DTYPE, type FileBytes, type Graph, type Initializer, type Quantization } from './types';

/**
 * The graph with stand-in values (`synthetic`) for the weights it points at but does not hold:
 * a weight-stripped export's missing external data, an initializer with no data. The measured
 * run executes the same kernels on the same shapes whatever the values, so it proves the counts.
 */
export function withStandInWeights(graph: Graph): Graph {
  const lacking = (init: Initializer): boolean => init.values === undefined && (init.data === undefined || init.data.kind === 'missing');
  if (![...graph.initializers.values()].some(lacking)) return graph;
  const initializers = new Map([...graph.initializers].map(([name, init]) => [name, lacking(init) ? { ...init, data: { kind: 'synthetic' as const } } : init]));
  return { ...graph, initializers };
}

/**
 * Weights a what-if or a stripped file lacks: small deterministic values (counts do not depend on
 * them), a period of 1,021 sines tiled by doubling copies, so that 60 M of them take milliseconds.
 */
function standInValues(n: number): Float32Array {
  const values = new Float32Array(n);
  const period = Math.min(n, 1021);
  for (let i = 0; i < period; i++) values[i] = Math.sin(i + 1) * 0.1;
  for (let filled = period; filled < n; filled *= 2) values.copyWithin(filled, 0, Math.min(filled, n - filled));
  return values;
}

export function floatWeights(init: Initializer): Float32Array {
  const n = Number(count(init.dims));
  if (init.values !== undefined) return Float32Array.from(init.values.data, Number);
  if (init.dtype !== DTYPE.float) throw new UsageError(`initializer '${init.name}' is not float32: the measured run reads float32 weights only`);
  if (init.data === undefined) throw new UsageError(`initializer '${init.name}' has no weights in the file: the measured run needs them`);
  if (init.data.kind === 'missing') {
    throw new UsageError(
      `external data file '${init.data.location}' of initializer '${init.name}' not found: the measured run needs the weights (--stand-in-weights measures with stand-in values, --no-measure counts without them)`,
    );
  }
  if (init.data.kind === 'synthetic') return standInValues(n);
  const bytes = init.data.kind === 'inline' ? init.data.bytes : readFiles(init.data);
  const quantized = init.data.kind === 'files' ? init.data.quantization : undefined;
  const width = quantized === undefined ? 4 : quantized.dtype === 'uint8' ? 1 : 2;
  if (bytes.byteLength !== n * width)
    throw new UsageError(`initializer '${init.name}' holds ${bytes.byteLength} bytes for ${n} ${quantized?.dtype ?? 'float32'} values`);
  // A copy: the file's bytes need not be 4-byte aligned.
  const values = quantized === undefined ? new Float32Array(new Uint8Array(bytes).buffer) : dequantized(bytes, quantized);
  return init.data.kind === 'files' && init.data.stored !== undefined ? permute(values, init.data.stored.dims, init.data.stored.perm) : values;
}

/** Quantized weights as float32, as tfjs reads them (io_utils' decodeWeights): `min + scale * q`, or IEEE half floats. */
export function dequantized(bytes: Uint8Array, q: Quantization): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (q.dtype === 'uint8') return Float32Array.from(bytes, (v) => q.min + q.scale * v);
  const n = bytes.byteLength / 2;
  if (q.dtype === 'uint16') return Float32Array.from({ length: n }, (_, i) => q.min + q.scale * view.getUint16(2 * i, true));
  return Float32Array.from({ length: n }, (_, i) => half(view.getUint16(2 * i, true)));
}

/** An IEEE 754 half-precision float from its 16 bits. */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** `length` bytes from `offset` of the files' concatenation. */
export function readFiles({ sources, offset, length }: FileBytes): Uint8Array {
  const bytes = new Uint8Array(length);
  let skip = offset;
  let filled = 0;
  for (const source of sources) {
    if (filled === length) break;
    if (skip >= source.size) {
      skip -= source.size;
      continue;
    }
    const slice = source.read(skip, Math.min(length - filled, source.size - skip));
    bytes.set(slice, filled);
    filled += slice.byteLength;
    skip = 0;
  }
  return bytes;
}

/** Row-major data of shape `dims`, transposed by `perm` (output axis i is input axis perm[i]). */
function permute(data: Float32Array, dims: readonly number[], perm: readonly number[]): Float32Array {
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const outDims = perm.map((p) => dims[p] as number);
  const out = new Float32Array(data.length);
  const index = new Array<number>(outDims.length).fill(0);
  for (let k = 0; k < out.length; k++) {
    out[k] = data[perm.reduce((at, p, i) => at + (index[i] as number) * (strides[p] as number), 0)] as number;
    for (let axis = outDims.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (outDims[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return out;
}
