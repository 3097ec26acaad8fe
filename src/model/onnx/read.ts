// An ONNX file to a Graph, decoded by protobufjs; anything that is not a sound ONNX model
// of opset 11 to 21 is refused with one line naming the file.
import { UsageError } from '../../errors';
import type { Folder } from '../../fs/byte-source';
import type { Attr, DeclaredDim, Graph, GraphInput, GraphNode, Initializer } from '../graph/types';
import { modelProtoType, type AttributeProto, type ModelProto, type NodeProto, type ValueInfoProto } from './schema';
import { readTensor, safeCount, toBigInt } from './tensors';

const OPSETS = { min: 11, max: 21 } as const;

const decoder = new TextDecoder('utf-8', { fatal: false });
/** protobufjs leaves an absent bytes field as an empty array, not a Uint8Array. */
const text = (bytes: Uint8Array | readonly number[]): string => decoder.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));

function decode(bytes: Uint8Array, path: string): ModelProto {
  try {
    return modelProtoType().decode(bytes) as unknown as ModelProto;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const what = /index out of range/.test(reason) ? 'truncated or corrupt' : 'corrupt or not ONNX';
    throw new UsageError(`${path}: not a readable ONNX model (${what}: ${reason})`);
  }
}

/** ONNX AttributeProto.AttributeType codes. */
function readAttr(a: AttributeProto, path: string, folder: Folder, node: string): Attr {
  switch (a.type) {
    case 1:
      return { kind: 'float', value: a.f };
    case 2:
      return { kind: 'int', value: toBigInt(a.i) };
    case 3:
      return { kind: 'string', value: text(a.s) };
    case 4:
      if (a.t === null) throw new UsageError(`${path}: node '${node}' attribute '${a.name}' has no tensor (corrupt file)`);
      return { kind: 'tensor', value: readTensor(a.t, path, folder, `node '${node}' attribute`) };
    case 6:
      return { kind: 'floats', value: a.floats };
    case 7:
      return { kind: 'ints', value: a.ints.map(toBigInt) };
    case 8:
      return { kind: 'strings', value: a.strings.map(text) };
    default:
      return { kind: 'unsupported', type: a.type };
  }
}

const VARIADIC: ReadonlySet<string> = new Set(['Concat', 'Sum', 'Mean', 'Max', 'Min']);

function readNode(n: NodeProto, index: number, path: string, folder: Folder, taken: Set<string>): GraphNode {
  let name = n.name === '' ? `${n.opType}_${index}` : n.name;
  while (taken.has(name)) name = `${name}_${index}`;
  taken.add(name);
  if (n.opType === '') throw new UsageError(`${path}: node ${index} has no op type (corrupt file)`);
  const attrs = new Map(n.attribute.map((a) => [a.name, readAttr(a, path, folder, name)] as const));
  const domain = n.domain === 'ai.onnx' ? '' : n.domain;
  // Another operator set's op is not ONNX's op of the same name (com.microsoft's pools, fused
  // convs): qualified by its domain, it is an op seprof does not know, listed as such.
  const qualified = domain === '' ? n.opType : `${domain}.${n.opType}`;
  // A variadic op of one input passes it on (torch.cat([x])): read as the Identity it is, by both derivations.
  const opType = VARIADIC.has(qualified) && n.input.length === 1 && n.input[0] !== '' ? 'Identity' : qualified;
  // A Split into one part (torch.split(x, n) along an axis of n) is its input: tfjs' SplitV has no gradient for one part.
  if (qualified === 'Split' && n.output.length === 1 && n.input.length >= 1)
    return { name, opType: 'Identity', domain, inputs: n.input.slice(0, 1), outputs: n.output, attrs: new Map() };
  return { name, opType, domain, inputs: n.input, outputs: n.output, attrs };
}

function readInput(v: ValueInfoProto, path: string): GraphInput {
  const tensor = v.type?.tensorType ?? null;
  if (tensor === null) throw new UsageError(`${path}: graph input '${v.name}' is not a tensor`);
  const shape: DeclaredDim[] | null =
    tensor.shape === null
      ? null
      : tensor.shape.dim.map((d, i) => {
          if (d.dimParam !== '') return d.dimParam;
          const size = safeCount(d.dimValue, `${path}: input '${v.name}' dimension ${i}`);
          // An exporter writes 0 (or nothing) for a dimension it leaves open.
          return size === 0 ? null : size;
        });
  return { name: v.name, dtype: tensor.elemType, shape };
}

function defaultOpset(model: ModelProto, path: string): number {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (entry === undefined) throw new UsageError(`${path}: no ONNX opset imported: not an ONNX model`);
  const version = Number(toBigInt(entry.version));
  if (version < OPSETS.min || version > OPSETS.max) {
    throw new UsageError(
      `${path}: opset ${version} is not supported (seprof reads opsets ${OPSETS.min} to ${OPSETS.max}; re-export with opset_version in that range)`,
    );
  }
  return version;
}

/** The largest stride an Ultralytics or YOLOv9 export writes in its metadata (`stride: '32'`), which YOLO's model summary reads. */
function yoloStride(props: readonly { key: string; value: string }[]): { stride?: number } {
  const value = props.find((p) => p.key === 'stride')?.value;
  const stride = value === undefined ? NaN : Number(value);
  return Number.isSafeInteger(stride) && stride > 0 ? { stride } : {};
}

/** Decodes the bytes of an ONNX file (read by the caller) into a Graph; external data is looked for in `folder`. */
export function onnxGraph(bytes: Uint8Array, path: string, folder: Folder): Graph {
  const model = decode(bytes, path);
  const graph = model.graph;
  if (graph === null || toBigInt(model.irVersion) <= 0n) throw new UsageError(`${path}: no ONNX graph in the file: not an ONNX model`);
  const opset = defaultOpset(model, path);
  if (graph.node.length === 0) throw new UsageError(`${path}: the graph has no nodes`);
  const initializers = new Map<string, Initializer>();
  for (const t of graph.initializer) {
    if (initializers.has(t.name)) throw new UsageError(`${path}: initializer '${t.name}' is given twice (corrupt file)`);
    initializers.set(t.name, readTensor(t, path, folder, 'initializer'));
  }
  const taken = new Set<string>();
  return {
    source: path,
    format: 'onnx',
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
    opset,
    nodes: graph.node.map((n, i) => readNode(n, i, path, folder, taken)),
    inputs: graph.input.filter((v) => !initializers.has(v.name)).map((v) => readInput(v, path)),
    outputs: graph.output.map((v) => v.name),
    initializers,
    ...yoloStride(model.metadataProps),
  };
}
