// The part of onnx.proto (ONNX IR 3 to 10) that counting reads, as a protobufjs descriptor.
// Field numbers are the ONNX spec's. Fields left out (sparse initializers, subgraph
// attributes, training info, local functions, sequence and map types) are skipped by the
// decoder without being materialised; leaving out every recursive field also means no
// file can nest messages deeper than this schema does.
import type { Type } from 'protobufjs';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const field = (type: string, id: number) => ({ type, id });

const DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: field('int64', 1),
            producerName: field('string', 2),
            producerVersion: field('string', 3),
            graph: field('GraphProto', 7),
            opsetImport: repeated('OperatorSetIdProto', 8),
            metadataProps: repeated('StringStringEntryProto', 14),
          },
        },
        OperatorSetIdProto: { fields: { domain: field('string', 1), version: field('int64', 2) } },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: field('string', 2),
            initializer: repeated('TensorProto', 5),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
          },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: field('string', 3),
            opType: field('string', 4),
            attribute: repeated('AttributeProto', 5),
            domain: field('string', 7),
          },
        },
        AttributeProto: {
          fields: {
            name: field('string', 1),
            f: field('float', 2),
            i: field('int64', 3),
            s: field('bytes', 4),
            t: field('TensorProto', 5),
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
            strings: repeated('bytes', 9),
            type: field('int32', 20),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            dataType: field('int32', 2),
            floatData: repeated('float', 4),
            int32Data: repeated('int32', 5),
            int64Data: repeated('int64', 7),
            name: field('string', 8),
            // A Buffer view into the file: decoding does not copy the weights.
            rawData: field('bytes', 9),
            doubleData: repeated('double', 10),
            externalData: repeated('StringStringEntryProto', 13),
            dataLocation: field('int32', 14),
          },
        },
        StringStringEntryProto: { fields: { key: field('string', 1), value: field('string', 2) } },
        ValueInfoProto: { fields: { name: field('string', 1), type: field('TypeProto', 2) } },
        TypeProto: { fields: { tensorType: field('TypeProtoTensor', 1) } },
        TypeProtoTensor: { fields: { elemType: field('int32', 1), shape: field('TensorShapeProto', 2) } },
        TensorShapeProto: { fields: { dim: repeated('Dimension', 1) } },
        Dimension: { fields: { dimValue: field('int64', 1), dimParam: field('string', 2) } },
      },
    },
  },
};

let modelProto: Type | undefined;

/**
 * The ModelProto decoder, built on first use: protobufjs is 46 modules, which every start
 * loaded before, and only ONNX files need it. A package, so a plain require loads it lazily
 * under tsc's CommonJS output and under vitest alike.
 */
export function modelProtoType(): Type {
  modelProto ??= (require('protobufjs') as typeof import('protobufjs')).Root.fromJSON(DESCRIPTOR).lookupType('onnx.ModelProto');
  return modelProto;
}

/** An int64 as protobufjs decodes it: a number, or a Long when it does not fit one. */
export type Int64 = number | { toString(): string };

export interface OperatorSetIdProto {
  domain: string;
  version: Int64;
}
export interface StringStringEntryProto {
  key: string;
  value: string;
}
export interface TensorProto {
  dims: Int64[];
  dataType: number;
  floatData: number[];
  int32Data: number[];
  int64Data: Int64[];
  name: string;
  rawData: Uint8Array;
  doubleData: number[];
  externalData: StringStringEntryProto[];
  dataLocation: number;
}
export interface AttributeProto {
  name: string;
  f: number;
  i: Int64;
  s: Uint8Array;
  t: TensorProto | null;
  floats: number[];
  ints: Int64[];
  strings: Uint8Array[];
  type: number;
}
export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: AttributeProto[];
  domain: string;
}
export interface DimensionProto {
  dimValue: Int64;
  dimParam: string;
}
export interface ValueInfoProto {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: DimensionProto[] } | null } | null } | null;
}
export interface GraphProto {
  node: NodeProto[];
  name: string;
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
}
export interface ModelProto {
  irVersion: Int64;
  producerName: string;
  producerVersion: string;
  graph: GraphProto | null;
  opsetImport: OperatorSetIdProto[];
  metadataProps: StringStringEntryProto[];
}
