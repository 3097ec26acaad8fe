// Builds small ONNX files in the tests, encoded with the same protobufjs schema seprof
// decodes with (the fixtures exported from PyTorch cover what real exporters write).
import { modelProtoType } from '../../src/model/onnx/schema';

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** A node of another operator set (`com.microsoft`); '' or absent for ONNX's own. */
  domain?: string;
  /** int64 values may be decimal strings, for sizes past 2^53. */
  attrs?: { name: string; type: number; i?: number | string; ints?: (number | string)[]; s?: Uint8Array; f?: number; floats?: number[]; t?: TensorSpec }[];
}

/** A Constant node's `value` tensor (float32 unless `dataType` says). */
export interface TensorSpec {
  name: string;
  dims: number[];
  dataType?: number;
  rawData?: Uint8Array;
  int64Data?: number[];
}

export interface ModelSpec {
  opset?: number;
  /** producer_name (default: seprof tests). */
  producer?: string;
  input?: { name: string; dims: (number | string)[] };
  /** More graph inputs after `input`. */
  moreInputs?: { name: string; dims: (number | string)[] }[];
  nodes: NodeSpec[];
  initializers?: {
    name: string;
    dims: (number | string)[];
    dataType?: number;
    rawData?: Uint8Array;
    int64Data?: number[];
    floatData?: number[];
    /** External data (`location`, `offset`, `length`); sets data_location to EXTERNAL. */
    external?: Record<string, string>;
    /** External data entries as written, and data_location, for files an exporter would not write. */
    externalData?: { key: string; value: string }[];
    dataLocation?: number;
  }[];
  outputs?: string[];
  /** The model's metadata_props (a YOLO export's `stride`). */
  metadata?: { key: string; value: string }[];
}

export function encodeModel(spec: ModelSpec): Uint8Array {
  const input = spec.input ?? { name: 'x', dims: [1, 8, 4, 4] };
  const message = modelProtoType().fromObject({
    irVersion: 8,
    producerName: spec.producer ?? 'seprof tests',
    opsetImport: [
      { domain: '', version: spec.opset ?? 13 },
      ...[...new Set(spec.nodes.flatMap((n) => (n.domain ? [n.domain] : [])))].map((domain) => ({ domain, version: 1 })),
    ],
    metadataProps: spec.metadata ?? [],
    graph: {
      name: 'g',
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `n${i}`,
        opType: n.op,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: (n.attrs ?? []).map((a) => (a.t === undefined ? a : { ...a, t: { dataType: 1, ...a.t } })),
      })),
      initializer: (spec.initializers ?? []).map(({ external, ...t }) =>
        external === undefined
          ? { dataType: 1, ...t }
          : { dataType: 1, ...t, dataLocation: 1, externalData: Object.entries(external).map(([key, value]) => ({ key, value })) },
      ),
      input: [input, ...(spec.moreInputs ?? [])].map((i) => ({
        name: i.name,
        type: { tensorType: { elemType: 1, shape: { dim: i.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
      })),
      output: (spec.outputs ?? [spec.nodes.at(-1)?.outputs[0] ?? 'y']).map((name) => ({ name })),
    },
  });
  return modelProtoType().encode(message).finish();
}
