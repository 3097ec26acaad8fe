// A model file to a Graph: ONNX by its protobuf, a TensorFlow.js LayersModel or GraphModel by
// its model.json. Every way a file can be unusable is one UsageError naming the file; a system
// refusing to read it (permissions) is an IoError.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { readFailure, UsageError } from '../errors';
import { MAX_INPUT_BYTES, readInputText } from '../fs/read';
import type { Graph } from './graph/types';
import { onnxGraph } from './onnx/read';
import { graphModelGraph, isGraphModel } from './tfjs-graph/read';
import { layersModelGraph, parse } from './tfjs-layers/read';

/** protobuf's own limit for one message; larger ONNX models keep their weights in external data. */
const MAX_ONNX_BYTES = 2 ** 31 - 1;
/** The file's first `n` bytes (fewer when it is shorter). */
function head(path: string, n: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw readFailure(`model file ${path}`, error);
  }
  try {
    const bytes = Buffer.alloc(n);
    return bytes.subarray(0, readSync(fd, bytes, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

const EXPORT_ONNX = "seprof reads ONNX and TF.js models: export it with torch.onnx.export(model, example_input, 'model.onnx')";

/**
 * Formats users reach for that seprof does not read, told by their first bytes, with what to do
 * instead: read as ONNX, their bytes give protobuf errors such as "invalid wire type 4".
 */
function foreignFormat(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')))
    return `a zip archive, as PyTorch's torch.save and TorchScript write (.pt, .pth): ${EXPORT_ONNX}`;
  if (bytes[0] === 0x80 && (bytes[1] ?? 0) >= 2 && (bytes[1] ?? 0) <= 5) return `a Python pickle, as PyTorch's torch.save wrote before 1.6: ${EXPORT_ONNX}`;
  if (bytes.subarray(0, 4).equals(Buffer.from('\x89HDF', 'latin1')))
    return 'an HDF5 file (Keras .h5): seprof reads ONNX and TF.js models: convert it with tensorflowjs_converter --input_format keras, or export ONNX with tf2onnx';
  if (bytes.subarray(4, 8).toString('latin1') === 'TFL3')
    return 'a TensorFlow Lite model: seprof reads ONNX and TF.js models: convert the original model with tf2onnx or tensorflowjs_converter';
  return undefined;
}

/**
 * Whether a byte can open a protobuf message: a field number of at least 1 and a wire type
 * protobuf has (varint, 64-bit, length-delimited, 32-bit). Told before the file is read
 * whole: a 1.9 GB file of zeros was read into memory only to be refused.
 */
function isProtobufTag(byte: number): boolean {
  return byte >= 0x08 && [0, 1, 2, 5].includes(byte & 7);
}

function sizeOf(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    throw readFailure(`model file ${path}`, error);
  }
  if (!stat.isFile()) throw new UsageError(`${path}: not a file${stat.isDirectory() ? ' (for a TF.js model, give its model.json)' : ''}`);
  if (stat.size === 0) throw new UsageError(`${path}: the file is empty`);
  return stat.size;
}

/** Reads a model file; the format is told by the content (JSON or protobuf), not the name. */
export function readModelFile(path: string): Graph {
  const size = sizeOf(path);
  const start = head(path, 8);
  const foreign = foreignFormat(start);
  if (foreign !== undefined) throw new UsageError(`${path}: ${foreign}`);
  const isJson = start[0] === '{'.charCodeAt(0);
  if (isJson) {
    // A model.json holds topology and a weight manifest, never weights: as small as any input.
    if (size > MAX_INPUT_BYTES) throw new UsageError(`${path}: ${size} bytes is too large for a model.json (topology and manifest only)`);
    const json = parse(readInputText(path, `model file ${path}`), path);
    return asUsage(path, () => (isGraphModel(json) ? graphModelGraph(json, path) : layersModelGraph(json, path)));
  }
  if (path.endsWith('.json')) throw new UsageError(`${path}: not JSON: expected a TensorFlow.js model.json`);
  const first = start[0] ?? 0;
  if (!isProtobufTag(first))
    throw new UsageError(`${path}: not an ONNX model (its first byte, 0x${first.toString(16).padStart(2, '0')}, starts no protobuf field)`);
  if (size > MAX_ONNX_BYTES)
    throw new UsageError(`${path}: ${size} bytes is over protobuf's 2 GiB limit: not an ONNX model (large models keep weights in external data)`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw readFailure(`model file ${path}`, error);
  }
  return asUsage(path, () => onnxGraph(bytes, path));
}

/** A decoded file whose fields do not fit together is corrupt: one line, not a stack trace. */
function asUsage<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UsageError || !(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new UsageError(`${path}: not a readable model (corrupt: ${error.message})`);
  }
}
