// Builds small ONNX files in the tests, encoded with the same protobufjs schema seprof
// decodes with (the fixtures exported from PyTorch cover what real exporters write).
import { modelProtoType } from '../../src/model/onnx/schema';

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: { name: string; type: number; i?: number; ints?: number[]; s?: Uint8Array; f?: number }[];
}

export interface ModelSpec {
  opset?: number;
  input?: { name: string; dims: (number | string)[] };
  nodes: NodeSpec[];
  initializers?: { name: string; dims: number[]; dataType?: number; rawData?: Uint8Array; int64Data?: number[] }[];
  outputs?: string[];
  /** The model's metadata_props (a YOLO export's `stride`). */
  metadata?: { key: string; value: string }[];
}

export function encodeModel(spec: ModelSpec): Uint8Array {
  const input = spec.input ?? { name: 'x', dims: [1, 8, 4, 4] };
  const message = modelProtoType().fromObject({
    irVersion: 8,
    producerName: 'seprof tests',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    metadataProps: spec.metadata ?? [],
    graph: {
      name: 'g',
      node: spec.nodes.map((n, i) => ({ name: n.name ?? `n${i}`, opType: n.op, input: n.inputs, output: n.outputs, attribute: n.attrs ?? [] })),
      initializer: (spec.initializers ?? []).map((t) => ({ dataType: 1, ...t })),
      input: [
        {
          name: input.name,
          type: { tensorType: { elemType: 1, shape: { dim: input.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
        },
      ],
      output: (spec.outputs ?? [spec.nodes.at(-1)?.outputs[0] ?? 'y']).map((name) => ({ name })),
    },
  });
  return modelProtoType().encode(message).finish();
}
