// Builds small ONNX files in the tests, encoded with the same protobufjs schema seprof
// decodes with (the fixtures exported from PyTorch cover what real exporters write).
import { modelProtoType } from '../../src/model/onnx/schema';

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: { name: string; type: number; i?: number; ints?: number[]; s?: Uint8Array; f?: number; t?: TensorSpec }[];
}

/** A tensor: an initializer, or a Constant node's `value` (float32 unless `dataType` says). */
export interface TensorSpec {
  name: string;
  dims: number[];
  dataType?: number;
  rawData?: Uint8Array;
  int64Data?: number[];
}

export interface ModelSpec {
  opset?: number;
  input?: { name: string; dims: (number | string)[] };
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
  outputs?: string[];
}

export function encodeModel(spec: ModelSpec): Uint8Array {
  const input = spec.input ?? { name: 'x', dims: [1, 8, 4, 4] };
  const message = modelProtoType().fromObject({
    irVersion: 8,
    producerName: 'seprof tests',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'g',
      node: spec.nodes.map((n, i) => ({ name: n.name ?? `n${i}`, opType: n.op, input: n.inputs, output: n.outputs, attribute: (n.attrs ?? []).map((a) => (a.t === undefined ? a : { ...a, t: { dataType: 1, ...a.t } })) })),
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
