// Initializers and constant tensors: dims always, values only for small inline tensors
// (the ones shape arithmetic reads). Weights are validated by length, never copied.
import { UsageError } from '../../errors';
import { leavesFolder, type Folder } from '../../fs/byte-source';
import { DTYPE, type Initializer, type Values } from '../graph/types';
import type { Int64, TensorProto } from './schema';

/** Tensors at most this many elements carry their values (shape vectors, scales, axes). */
const SMALL_TENSOR = 4096;

const ITEM_SIZE: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2 };
const INT_DTYPES: ReadonlySet<number> = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);

export const toBigInt = (v: Int64): bigint => BigInt(typeof v === 'number' ? v : v.toString());

/** A dimension or count from the file: a whole number JavaScript holds exactly. */
export function safeCount(v: Int64, what: string): number {
  const n = toBigInt(v);
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`${what} is ${n}: not a valid size`);
  return Number(n);
}

function readRaw(raw: Uint8Array, dtype: number, count: number): Values | undefined {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const ints = (read: (at: number) => bigint, size: number): Values => ({
    kind: 'int',
    data: Array.from({ length: count }, (_, i) => read(i * size)),
  });
  const floats = (read: (at: number) => number, size: number): Values => ({
    kind: 'float',
    data: Array.from({ length: count }, (_, i) => read(i * size)),
  });
  switch (dtype) {
    case DTYPE.int64:
      return ints((at) => view.getBigInt64(at, true), 8);
    case DTYPE.int32:
      return ints((at) => BigInt(view.getInt32(at, true)), 4);
    case DTYPE.int8:
      return ints((at) => BigInt(view.getInt8(at)), 1);
    case DTYPE.uint8:
    case DTYPE.bool:
      return ints((at) => BigInt(view.getUint8(at)), 1);
    case DTYPE.float:
      return floats((at) => view.getFloat32(at, true), 4);
    case DTYPE.double:
      return floats((at) => view.getFloat64(at, true), 8);
    default:
      return undefined;
  }
}

function inlineValues(t: TensorProto, count: number): Values | undefined {
  if (t.rawData.length > 0) return readRaw(t.rawData, t.dataType, count);
  if (t.int64Data.length > 0) return { kind: 'int', data: t.int64Data.map(toBigInt) };
  if (t.int32Data.length > 0) return INT_DTYPES.has(t.dataType) ? { kind: 'int', data: t.int32Data.map(BigInt) } : undefined;
  if (t.floatData.length > 0) return { kind: 'float', data: t.floatData };
  if (t.doubleData.length > 0) return { kind: 'float', data: t.doubleData };
  return count === 0 ? (INT_DTYPES.has(t.dataType) ? { kind: 'int', data: [] } : { kind: 'float', data: [] }) : undefined;
}

/** The element count the inline data holds, to refuse a tensor whose data and dims disagree. */
function inlineCount(t: TensorProto): number | undefined {
  if (t.rawData.length > 0) {
    const size = ITEM_SIZE[t.dataType];
    return size === undefined ? undefined : t.rawData.length / size;
  }
  return t.int64Data.length || t.int32Data.length || t.floatData.length || t.doubleData.length;
}

/** An external-data offset or length: a whole number of bytes, written in decimal as onnx writes it. */
function byteCount(value: string | undefined, key: string, fallback: bigint, name: string, modelPath: string): bigint {
  if (value === undefined) return fallback;
  if (!/^\d{1,16}$/.test(value) || BigInt(value) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(`${modelPath}: initializer '${name}' has external data ${key} '${value}': not a whole number of bytes`);
  }
  return BigInt(value);
}

/**
 * External data: a file beside the model, inside its folder (as onnx.checker requires), long
 * enough. A data file that is not there is allowed (a graph with its weights stripped): counting
 * needs only dims; the measured run refuses, naming the file.
 */
function checkExternal(t: TensorProto, modelPath: string, folder: Folder, bytes: bigint): Initializer['data'] {
  const entry = (key: string): string | undefined => t.externalData.find((e) => e.key === key)?.value;
  const location = entry('location');
  if (location === undefined || location === '') throw new UsageError(`${modelPath}: initializer '${t.name}' has external data without a location`);
  if (leavesFolder(location)) {
    throw new UsageError(`${modelPath}: initializer '${t.name}' points outside the model's folder: '${location}'`);
  }
  const offset = byteCount(entry('offset'), 'offset', 0n, t.name, modelPath);
  const length = byteCount(entry('length'), 'length', bytes, t.name, modelPath);
  if (length !== bytes && bytes > 0n) {
    throw new UsageError(`${modelPath}: initializer '${t.name}' has external data of length ${length} bytes; its dims need ${bytes}`);
  }
  const source = folder.open(location);
  if (source === 'missing') return { kind: 'missing', location };
  // Checked before its size is read: the "too short" message must tell nothing of a file outside.
  if (source === 'outside') throw new UsageError(`${modelPath}: initializer '${t.name}' external data '${location}' leads outside the model's folder (a link)`);
  if (source === 'not a file') throw new UsageError(`${modelPath}: external data '${location}' of initializer '${t.name}' is not a file`);
  if (offset + length > BigInt(source.size)) {
    throw new UsageError(`${modelPath}: external data file '${location}' is too short for initializer '${t.name}' (truncated?)`);
  }
  source.read(0, 0); // a file that will not open (permissions) is refused now, not when measured
  return { kind: 'files', sources: [source], offset: Number(offset), length: Number(length) };
}

export function readTensor(t: TensorProto, modelPath: string, folder: Folder, what: string): Initializer {
  const dims = t.dims.map((d, i) => safeCount(d, `${what} '${t.name}' dimension ${i}`));
  const count = dims.reduce((n, d) => n * BigInt(d), 1n);
  const size = ITEM_SIZE[t.dataType];
  if (t.dataLocation === 1) {
    const data = checkExternal(t, modelPath, folder, size === undefined ? 0n : count * BigInt(size));
    return { name: t.name, dtype: t.dataType, dims, ...(data && { data }) };
  }
  const held = inlineCount(t);
  if (held !== undefined && held !== 0 && BigInt(held) !== count) {
    throw new UsageError(`${modelPath}: ${what} '${t.name}' holds ${held} values for dims [${dims.join(', ')}] (corrupt file)`);
  }
  const values = count <= SMALL_TENSOR ? inlineValues(t, Number(count)) : undefined;
  const data = t.rawData.length > 0 ? { data: { kind: 'inline' as const, bytes: t.rawData } } : {};
  return { name: t.name, dtype: t.dataType, dims, ...(values && { values }), ...data };
}
