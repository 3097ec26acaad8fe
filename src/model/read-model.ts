// A model's bytes to a Graph, wherever they are (a file on disk, a File in a page): ONNX by its
// protobuf, a TensorFlow.js LayersModel or GraphModel by its model.json, told by the content, not the name.
// Every way a model can be unusable is one UsageError naming it.
import { UsageError } from '../errors';
import { MAX_INPUT_BYTES, type ByteSource, type Folder } from '../fs/byte-source';
import type { Graph } from './graph/types';
import { onnxGraph } from './onnx/read';
import { graphModelGraph, isGraphModel } from './tfjs-graph/read';
import { layersModelGraph, parse } from './tfjs-layers/read';

/** protobuf's own limit for one message; larger ONNX models keep their weights in external data. */
const MAX_ONNX_BYTES = 2 ** 31 - 1;

const EXPORT_ONNX = "seprof reads ONNX and TF.js models: export it with torch.onnx.export(model, example_input, 'model.onnx')";

const startsWith = (bytes: Uint8Array, text: string, at = 0): boolean => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/**
 * Formats users reach for that seprof does not read, told by their first bytes, with what to do
 * instead: read as ONNX, their bytes give protobuf errors such as "invalid wire type 4".
 */
function foreignFormat(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, 'PK\x03\x04')) return `a zip archive, as PyTorch's torch.save and TorchScript write (.pt, .pth): ${EXPORT_ONNX}`;
  if (bytes[0] === 0x80 && (bytes[1] ?? 0) >= 2 && (bytes[1] ?? 0) <= 5) return `a Python pickle, as PyTorch's torch.save wrote before 1.6: ${EXPORT_ONNX}`;
  if (startsWith(bytes, '\x89HDF'))
    return 'an HDF5 file (Keras .h5): seprof reads ONNX and TF.js models: convert it with tensorflowjs_converter --input_format keras, or export ONNX with tf2onnx';
  if (startsWith(bytes, 'TFL3', 4))
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

/** Reads a model; the files it names beside itself (external data, weight shards) are looked for in `folder`. */
export function readModel(file: ByteSource, folder: Folder): Graph {
  const path = file.name;
  const size = file.size;
  if (size === 0) throw new UsageError(`${path}: the file is empty`);
  const start = file.read(0, 8);
  const foreign = foreignFormat(start);
  if (foreign !== undefined) throw new UsageError(`${path}: ${foreign}`);
  if (start[0] === '{'.charCodeAt(0)) {
    // A model.json holds topology and a weight manifest, never weights: as small as any input.
    if (size > MAX_INPUT_BYTES) throw new UsageError(`${path}: ${size} bytes is too large for a model.json (topology and manifest only)`);
    // TextDecoder drops a UTF-8 BOM and replaces invalid bytes, as reading text does everywhere in seprof.
    const json = parse(new TextDecoder().decode(file.read(0, size)), path);
    return asUsage(path, () => (isGraphModel(json) ? graphModelGraph(json, path, folder) : layersModelGraph(json, path, folder)));
  }
  if (path.endsWith('.json')) throw new UsageError(`${path}: not JSON: expected a TensorFlow.js model.json`);
  const first = start[0] ?? 0;
  if (!isProtobufTag(first))
    throw new UsageError(`${path}: not an ONNX model (its first byte, 0x${first.toString(16).padStart(2, '0')}, starts no protobuf field)`);
  if (size > MAX_ONNX_BYTES)
    throw new UsageError(`${path}: ${size} bytes is over protobuf's 2 GiB limit: not an ONNX model (large models keep weights in external data)`);
  // protobufjs decodes from one buffer; the weights in it stay views of it (never copied).
  const bytes = file.read(0, size);
  return asUsage(path, () => onnxGraph(bytes, path, folder));
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
