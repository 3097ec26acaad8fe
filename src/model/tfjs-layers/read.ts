// A TensorFlow.js LayersModel (model.json + weight manifest) to a Graph in the ONNX
// vocabulary, NCHW like the rest of seprof. Weights are known by their manifest shapes;
// the weight files are checked to exist and be long enough, never read.
import { UsageError } from '../../errors';
import { leavesFolder, type ByteSource, type Folder } from '../../fs/byte-source';
import type { Graph, GraphInput, Initializer, Quantization } from '../graph/types';
import { DTYPE, own } from '../graph/types';
import { layerNodes, type AddWeight, type KerasLayer, type LayerCall } from './layers';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
  /** Where its bytes are: the group's files, concatenated; how they are quantized, if they are. */
  at: { sources: ByteSource[]; offset: number; length: number; quantization?: Quantization };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parse(text: string, path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(json)) throw new UsageError(`${path}: not a TensorFlow.js model.json (no object at the top)`);
  return json;
}

/** tensorflowjs_converter's --quantize_uint8, _uint16 (`min + scale * q`) and _float16, for the measured run to read. */
function quantization(w: Record<string, unknown>, path: string): Quantization {
  const q = w['quantization'];
  const dtype = isObject(q) ? q['dtype'] : undefined;
  if (isObject(q) && dtype === 'float16') return { dtype };
  if (isObject(q) && (dtype === 'uint8' || dtype === 'uint16') && Number.isFinite(q['min']) && Number.isFinite(q['scale']))
    return { dtype, min: q['min'] as number, scale: q['scale'] as number };
  throw new UsageError(`${path}: weight '${w['name']}' has a quantization seprof does not read (uint8 or uint16 with min and scale, or float16)`);
}

/**
 * The manifest's weights with where their bytes are; `kind` names the model in the refusal.
 * Quantized weights are read for GraphModels (`quantized`); a LayersModel's are refused.
 */
export function weightSpecs(json: Record<string, unknown>, path: string, folder: Folder, kind = 'LayersModel', quantized = false): WeightSpec[] {
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) throw new UsageError(`${path}: no weightsManifest: not a TensorFlow.js ${kind}`);
  return manifest.flatMap((group: unknown, g) => {
    if (!isObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      throw new UsageError(`${path}: weightsManifest group ${g} needs paths and weights`);
    }
    const sources = checkWeightFiles(group['paths'], path, folder);
    let offset = 0;
    const weights = group['weights'].map((w: unknown, i): WeightSpec => {
      if (!isObject(w) || typeof w['name'] !== 'string' || !Array.isArray(w['shape']) || !w['shape'].every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new UsageError(`${path}: weight ${i} of manifest group ${g} needs a name and a shape of whole numbers`);
      }
      if (w['quantization'] !== undefined && !quantized) {
        throw new UsageError(
          `${path}: weight '${w['name']}' is quantized: seprof does not read quantized weights (convert the model without --quantize_* to profile it)`,
        );
      }
      const dtype = typeof w['dtype'] === 'string' ? w['dtype'] : 'float32';
      const q = w['quantization'] === undefined ? undefined : quantization(w, path);
      const length = Number(w['shape'].reduce((k: bigint, d: number) => k * BigInt(d), 1n) * BigInt(own(BYTES, q?.dtype ?? dtype) ?? 4));
      const spec = { name: w['name'], shape: w['shape'] as number[], dtype, at: { sources, offset, length, ...(q && { quantization: q }) } };
      offset += length;
      return spec;
    });
    const have = sources.reduce((n, file) => n + file.size, 0);
    if (have < offset) throw new UsageError(`${path}: weight files hold ${have} bytes, the manifest lists ${offset} (truncated?)`);
    return weights;
  });
}

/** The group's files, which must exist beside model.json. */
function checkWeightFiles(paths: unknown[], path: string, folder: Folder): ByteSource[] {
  return paths.map((file) => {
    if (typeof file !== 'string' || leavesFolder(file)) {
      throw new UsageError(`${path}: weight file path ${JSON.stringify(file)} must be relative and inside the model's folder`);
    }
    const source = folder.open(file);
    if (source === 'missing') throw new UsageError(`${path}: weight file '${file}' not found`);
    if (source === 'outside') throw new UsageError(`${path}: weight file '${file}' leads outside the model's folder (a link)`);
    if (source === 'not a file') throw new UsageError(`${path}: weight file '${file}' is not a file`);
    return source;
  });
}

/** Keras' topology: tfjs writes {class_name, config}; the Keras converter wraps it in model_config. */
function topology(json: Record<string, unknown>, path: string): { className: string; config: Record<string, unknown> } {
  let top = json['modelTopology'];
  if (isObject(top) && isObject(top['model_config'])) top = top['model_config'];
  if (!isObject(top) || typeof top['class_name'] !== 'string' || !isObject(top['config'])) {
    throw new UsageError(`${path}: no modelTopology with class_name and config: not a TensorFlow.js LayersModel`);
  }
  return { className: top['class_name'], config: top['config'] };
}

function layerList(config: Record<string, unknown>, path: string): KerasLayer[] {
  const layers = config['layers'];
  if (!Array.isArray(layers) || layers.length === 0) throw new UsageError(`${path}: the model has no layers`);
  return layers.map((l: unknown, i) => {
    if (!isObject(l) || typeof l['class_name'] !== 'string' || !isObject(l['config'])) {
      throw new UsageError(`${path}: layer ${i} needs class_name and config`);
    }
    const name = typeof l['name'] === 'string' ? l['name'] : typeof l['config']['name'] === 'string' ? l['config']['name'] : `layer_${i}`;
    return { name, className: l['class_name'], config: l['config'], inbound: l['inbound_nodes'] };
  });
}

type Ref = [string, number, number];

function refsOf(value: unknown, layer: string, path: string): Ref[][] {
  if (!Array.isArray(value)) throw new UsageError(`${path}: layer '${layer}' has no inbound_nodes`);
  return value.map((call: unknown) => {
    if (!Array.isArray(call)) throw new UsageError(`${path}: layer '${layer}' has a malformed inbound node`);
    return call.map((ref: unknown): Ref => {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string' || typeof ref[1] !== 'number' || typeof ref[2] !== 'number') {
        throw new UsageError(`${path}: layer '${layer}' has a malformed inbound node`);
      }
      return [ref[0], ref[1], ref[2]];
    });
  });
}

/** A layer call's output tensor; a model input is named as its InputLayer, for --input. */
const tensorName =
  (inputs: ReadonlySet<string>) =>
  ([layer, call, index]: Ref): string =>
    inputs.has(layer) ? layer : `${layer}:${call}:${index}`;

/** Keras' NHWC batch shape to NCHW, batch dimension open. */
function nchw(shape: unknown, where: string, path: string): GraphInput['shape'] {
  if (!Array.isArray(shape) || shape.length < 2) throw new UsageError(`${path}: ${where} has no batch_input_shape`);
  const dims = shape.map((d: unknown) => (typeof d === 'number' && Number.isSafeInteger(d) && d > 0 ? d : null));
  return dims.length === 4 ? [dims[0] ?? null, dims[3] ?? null, dims[1] ?? null, dims[2] ?? null] : dims;
}

/** A model.json (parsed) to a Graph; its weight files are looked for in `folder`. */
export function layersModelGraph(json: Record<string, unknown>, path: string, folder: Folder): Graph {
  const weights = weightSpecs(json, path, folder);
  const { className, config } = topology(json, path);
  const layers = layerList(config, path);
  const initializers = new Map<string, Initializer>();
  const weightsOf = (layer: string): ReadonlyMap<string, WeightSpec> =>
    new Map(weights.filter((w) => w.name.startsWith(`${layer}/`)).map((w) => [w.name.slice(layer.length + 1), w]));
  const addWeight: AddWeight = (name, dims, source) => {
    const values = source !== undefined && source.kind !== 'files' ? source : undefined;
    const dtype = values?.kind === 'int' ? DTYPE.int64 : DTYPE.float;
    initializers.set(name, { name, dtype, dims, ...(values && { values }), ...(source?.kind === 'files' && { data: source }) });
    return name;
  };
  const inputs: GraphInput[] = [];
  const nodes = [];
  let previous: string | undefined;
  const sequential = className === 'Sequential';
  const tensorOf = tensorName(new Set(layers.filter((l) => l.className === 'InputLayer').map((l) => l.name)));
  for (const [index, layer] of layers.entries()) {
    const calls: LayerCall[] = [];
    if (sequential) {
      if (previous === undefined) {
        const inputName = layer.className === 'InputLayer' ? layer.name : 'input';
        inputs.push({ name: inputName, dtype: DTYPE.float, shape: nchw(layer.config['batch_input_shape'], `layer '${layer.name}'`, path) });
        previous = inputName;
        if (layer.className === 'InputLayer') continue;
      }
      calls.push({ name: layer.name, inputs: [previous], output: `${layer.name}:0:0` });
    } else if (layer.className === 'InputLayer') {
      inputs.push({ name: layer.name, dtype: DTYPE.float, shape: nchw(layer.config['batch_input_shape'], `input '${layer.name}'`, path) });
      continue;
    } else {
      const refs = refsOf(layer.inbound, layer.name, path);
      calls.push(...refs.map((call, k) => ({ name: k === 0 ? layer.name : `${layer.name}_${k}`, inputs: call.map(tensorOf), output: `${layer.name}:${k}:0` })));
    }
    for (const call of calls) nodes.push(...layerNodes(layer, call, weightsOf(layer.name), addWeight, index, path));
    previous = `${layer.name}:0:0`;
  }
  let outputs: string[];
  if (sequential) {
    outputs = previous === undefined ? [] : [previous];
  } else {
    const outs = config['output_layers'];
    if (!Array.isArray(outs)) throw new UsageError(`${path}: the model lists no output_layers`);
    outputs = refsOf([outs], 'output_layers', path)[0]?.map(tensorOf) ?? [];
  }
  return { source: path, format: 'tfjs-layers', producer: String(json['generatedBy'] ?? 'TensorFlow.js'), opset: 21, nodes, inputs, outputs, initializers };
}
