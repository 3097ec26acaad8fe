// A TensorFlow.js GraphModel (model.json with `format: graph-model`: a TensorFlow GraphDef as
// JSON, and a weight manifest whose entries are its Const nodes) to a Graph in the ONNX
// vocabulary, NCHW like the rest of seprof, so counting, the SE search, explain, --add-se and the
// graph executor read it as they read ONNX and LayersModels.
//
// The GraphDef is read here, not by @tensorflow/tfjs-converter: counting never loads tfjs (a
// start pays for every module it loads; see docs/architecture.md), and the converter's parser
// builds an executable graph of tfjs tensors, with the weights, where seprof needs the topology
// and the weights' shapes only. The weights stay byte ranges in the shards, read by the measured
// run; only the small integer and scalar constants shape arithmetic reads (a Reshape's target, a
// Mean's axes, hard-sigmoid's 3 and 1/6) are read now. The measured run executes the translation
// with seprof's graph executor, module by module under tf.profile, so every layer's kernels are
// its own (GraphModel.execute runs the graph whole); test/graph-model.slow.test.ts checks, node by
// node, that the translation computes what tfjs-converter computes from the same file.
import { UsageError } from '../../errors';
import type { Folder } from '../../fs/byte-source';
import { dequantized, readFiles } from '../graph/weights';
import type { Graph, Values } from '../graph/types';
import { isObject, weightSpecs, type WeightSpec } from '../tfjs-layers/read';
import { NodeAttrs, tensorShape } from './attrs';
import type { Constant, TfNode } from './plan';
import { translate } from './translate';

/** Constants up to this many values are read at once: shape vectors and scalars, never weights. */
const MAX_READ_VALUES = 64;

/** Whether a parsed model.json is a GraphModel: by its format, or by a topology of GraphDef nodes. */
export function isGraphModel(json: Record<string, unknown>): boolean {
  const top = json['modelTopology'];
  return json['format'] === 'graph-model' || (isObject(top) && Array.isArray(top['node']));
}

/** A node's input reference: `name`, `name:k` (output k), `^name` (a control edge, no data). */
function inputRefs(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) throw new UsageError(`${where}: input is not a list of node names`);
  return value.filter((v: string) => !v.startsWith('^')).map((v: string) => v.replace(/:0$/, ''));
}

function readNodes(top: Record<string, unknown>, path: string): TfNode[] {
  const list = top['node'];
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(`${path}: the GraphModel's modelTopology has no nodes`);
  const names = new Set<string>();
  return list.map((n: unknown, i) => {
    if (!isObject(n) || typeof n['name'] !== 'string' || n['name'] === '' || typeof n['op'] !== 'string' || n['op'] === '')
      throw new UsageError(`${path}: node ${i} of the GraphModel needs a name and an op`);
    const name = n['name'];
    if (names.has(name)) throw new UsageError(`${path}: node '${name}' is given twice (corrupt file)`);
    names.add(name);
    const where = `${path}: node '${name}' (${n['op']})`;
    const attr = n['attr'] ?? {};
    if (!isObject(attr)) throw new UsageError(`${where}: attr is not an object`);
    return { name, op: n['op'], inputs: inputRefs(n['input'], where), attrs: new NodeAttrs(attr, where) };
  });
}

const DTYPES: Readonly<Record<string, string>> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_BOOL: 'bool', DT_HALF: 'float16', DT_INT64: 'int64' };

/** Small values (shape vectors, scalars) read from the shards; larger constants stay byte ranges. */
function manifestValues(w: WeightSpec): Values | undefined {
  const n = w.shape.reduce((k, d) => k * d, 1);
  if (n > MAX_READ_VALUES || (w.dtype !== 'int32' && w.dtype !== 'float32')) return undefined;
  const bytes = readFiles({ kind: 'files', ...w.at });
  if (w.at.quantization !== undefined) return { kind: 'float', data: Array.from(dequantized(bytes, w.at.quantization)) };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (i: number): number => (w.dtype === 'int32' ? view.getInt32(4 * i, true) : view.getFloat32(4 * i, true));
  const data = Array.from({ length: n }, (_, i) => at(i));
  return w.dtype === 'int32' ? { kind: 'int', data: data.map(BigInt) } : { kind: 'float', data };
}

/** A Const the manifest does not hold, its values inline in the node (`intVal`, `floatVal`), as a GraphDef may keep small ones. */
function inlineConstant(node: TfNode): Constant {
  const tensor = node.attrs.tensor('value');
  const ints = tensor?.['intVal'] ?? tensor?.['int64Val'];
  const floats = tensor?.['floatVal'];
  if (tensor === undefined || (ints === undefined && floats === undefined))
    throw new UsageError(`${node.attrs.where}: no weights in the manifest and no value in the node: the manifest does not match the graph`);
  const shape = tensorShape(tensor['tensorShape'] ?? {}, `${node.attrs.where}: value`);
  if (shape === undefined || shape.some((d) => d === null)) throw new UsageError(`${node.attrs.where}: its value has no fixed shape`);
  const dims = shape as number[];
  const n = dims.reduce((k, d) => k * d, 1);
  const list = Array.isArray(ints) ? ints : Array.isArray(floats) ? floats : undefined;
  if (list === undefined || list.length === 0 || n > MAX_READ_VALUES)
    throw new UsageError(
      `${node.attrs.where}: its value in the node is not a short list of numbers (at most ${MAX_READ_VALUES}), and the manifest has no weights for it`,
    );
  const numbers = list.map(Number);
  if (!numbers.every(Number.isFinite)) throw new UsageError(`${node.attrs.where}: its value holds something that is not a number`);
  // protobuf writes a repeated value once for a tensor filled with it.
  const filled = Array.from({ length: n }, (_, i) => numbers[Math.min(i, numbers.length - 1)] as number);
  const values: Values = Array.isArray(ints) ? { kind: 'int', data: filled.map((v) => BigInt(Math.trunc(v))) } : { kind: 'float', data: filled };
  return { name: node.name, dims, dtype: Array.isArray(ints) ? 'int32' : 'float32', values };
}

function constants(nodes: readonly TfNode[], weights: readonly WeightSpec[], path: string): Map<string, Constant> {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const result = new Map<string, Constant>();
  for (const node of nodes) {
    if (node.op !== 'Const') continue;
    const w = byName.get(node.name);
    if (w === undefined) {
      result.set(node.name, inlineConstant(node));
      continue;
    }
    const declared = node.attrs.type('dtype');
    if (declared !== undefined && DTYPES[declared] !== undefined && DTYPES[declared] !== w.dtype)
      throw new UsageError(`${path}: Const '${node.name}' is ${declared}, its manifest entry ${w.dtype}`);
    const values = manifestValues(w);
    result.set(node.name, { name: node.name, dims: w.shape, dtype: w.dtype ?? 'float32', at: w.at, ...(values && { values }) });
  }
  return result;
}

/** The signature's tensor names (`Identity:0`), where the converter wrote one. */
function signatureOutputs(json: Record<string, unknown>): string[] | undefined {
  const meta = json['userDefinedMetadata'];
  const signature = json['signature'] ?? (isObject(meta) ? meta['signature'] : undefined);
  const outputs = isObject(signature) ? signature['outputs'] : undefined;
  if (!isObject(outputs)) return undefined;
  const names = Object.values(outputs).map((o) => (isObject(o) && typeof o['name'] === 'string' ? o['name'].replace(/:0$/, '') : ''));
  return names.length > 0 && names.every((n) => n !== '') ? names : undefined;
}

/** A GraphModel's model.json (parsed) to a Graph; its weight files are looked for in `folder`. */
export function graphModelGraph(json: Record<string, unknown>, path: string, folder: Folder): Graph {
  const top = json['modelTopology'];
  if (!isObject(top)) throw new UsageError(`${path}: no modelTopology: not a TensorFlow.js GraphModel`);
  const nodes = readNodes(top, path);
  const weights = weightSpecs(json, path, folder, 'GraphModel', true);
  const translated = translate(nodes, constants(nodes, weights, path), signatureOutputs(json), path);
  const producer =
    typeof json['convertedBy'] === 'string' ? json['convertedBy'] : typeof json['generatedBy'] === 'string' ? json['generatedBy'] : 'TensorFlow.js';
  return { source: path, format: 'tfjs-graph', producer, opset: 21, ...translated };
}
