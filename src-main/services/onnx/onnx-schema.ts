/**
 * ONNX protobuf schema as a protobufjs reflection descriptor (Node main process / CLI; pure JS,
 * no native code). Written for FLOPscope from the ONNX IR spec (onnx/onnx.proto, IR version 10/11
 * field numbers); it is not a copy of onnx.proto. It covers what encoding our benchmark graphs and
 * decoding real exported models need: ModelProto, GraphProto, NodeProto, AttributeProto (every
 * AttributeType), TensorProto (every DataType, segment, raw_data, external_data, data_location),
 * SparseTensorProto, ValueInfoProto, TypeProto (tensor, sequence, map, optional, sparse tensor),
 * TensorShapeProto, OperatorSetIdProto, StringStringEntryProto, TensorAnnotation and FunctionProto.
 * Left out: TrainingInfoProto, DeviceConfigurationProto and NodeProto's device configurations —
 * unknown fields are skipped by the decoder, so models that use them still decode.
 *
 * Field names are the spec's snake_case names in protobufjs' camelCase (raw_data → rawData).
 * onnx.proto is proto2: repeated scalars are unpacked unless the spec marks them [packed = true]
 * (TensorProto's *_data arrays). Decoders accept either encoding.
 */
import protobuf from 'protobufjs/light.js';

/** TensorProto.DataType (element types). */
export const TensorDataType = {
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
  // IR v9 (ONNX 1.14): 8-bit floats.
  FLOAT8E4M3FN: 17, FLOAT8E4M3FNUZ: 18, FLOAT8E5M2: 19, FLOAT8E5M2FNUZ: 20,
  // IR v10 (ONNX 1.16): 4-bit integers; IR v11 (ONNX 1.18): FP4 and the E8M0 scale type.
  UINT4: 21, INT4: 22, FLOAT4E2M1: 23, FLOAT8E8M0: 24,
} as const;
export type TensorDataTypeName = keyof typeof TensorDataType;

/** AttributeProto.AttributeType. */
export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;

/** TensorProto.DataLocation: where a tensor's bytes live. */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** Bytes per element, or a fraction for packed sub-byte types; null where not fixed-size (STRING, UNDEFINED). */
export function dataTypeBytes(dataType: number): number | null {
  switch (dataType) {
    case 1: case 6: case 12: return 4;
    case 2: case 3: case 9: case 17: case 18: case 19: case 20: case 24: return 1;
    case 4: case 5: case 10: case 16: return 2;
    case 7: case 11: case 13: case 14: return 8;
    case 15: return 16;
    case 21: case 22: case 23: return 0.5;
    default: return null;
  }
}

const str = (id: number) => ({ type: 'string', id });
const i64 = (id: number) => ({ type: 'int64', id });
const i32 = (id: number) => ({ type: 'int32', id });
const msg = (type: string, id: number) => ({ type, id });
const rep = (type: string, id: number, packed?: boolean) =>
  packed === undefined ? { rule: 'repeated', type, id } : { rule: 'repeated', type, id, options: { packed } };

/** The protobufjs JSON descriptor (namespace `onnx`). Field numbers per onnx/onnx.proto. */
export const onnxDescriptor = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: str(1),
            refAttrName: str(21),
            docString: str(13),
            type: msg('AttributeType', 20),
            f: { type: 'float', id: 2 },
            i: i64(3),
            s: { type: 'bytes', id: 4 },
            t: msg('TensorProto', 5),
            g: msg('GraphProto', 6),
            sparseTensor: msg('SparseTensorProto', 22),
            tp: msg('TypeProto', 14),
            floats: rep('float', 7),
            ints: rep('int64', 8),
            strings: rep('bytes', 9),
            tensors: rep('TensorProto', 10),
            graphs: rep('GraphProto', 11),
            sparseTensors: rep('SparseTensorProto', 23),
            typeProtos: rep('TypeProto', 15),
          },
          nested: { AttributeType: { values: { ...AttributeType } } },
        },
        ValueInfoProto: {
          fields: { name: str(1), type: msg('TypeProto', 2), docString: str(3), metadataProps: rep('StringStringEntryProto', 4) },
        },
        NodeProto: {
          fields: {
            input: rep('string', 1),
            output: rep('string', 2),
            name: str(3),
            opType: str(4),
            domain: str(7),
            overload: str(8),
            attribute: rep('AttributeProto', 5),
            docString: str(6),
            metadataProps: rep('StringStringEntryProto', 9),
          },
        },
        ModelProto: {
          fields: {
            irVersion: i64(1),
            opsetImport: rep('OperatorSetIdProto', 8),
            producerName: str(2),
            producerVersion: str(3),
            domain: str(4),
            modelVersion: i64(5),
            docString: str(6),
            graph: msg('GraphProto', 7),
            metadataProps: rep('StringStringEntryProto', 14),
            functions: rep('FunctionProto', 25),
          },
        },
        StringStringEntryProto: { fields: { key: str(1), value: str(2) } },
        TensorAnnotation: {
          fields: { tensorName: str(1), quantParameterTensorNames: rep('StringStringEntryProto', 2) },
        },
        GraphProto: {
          fields: {
            node: rep('NodeProto', 1),
            name: str(2),
            initializer: rep('TensorProto', 5),
            sparseInitializer: rep('SparseTensorProto', 15),
            docString: str(10),
            input: rep('ValueInfoProto', 11),
            output: rep('ValueInfoProto', 12),
            valueInfo: rep('ValueInfoProto', 13),
            quantizationAnnotation: rep('TensorAnnotation', 14),
            metadataProps: rep('StringStringEntryProto', 16),
          },
        },
        TensorProto: {
          fields: {
            dims: rep('int64', 1),
            dataType: i32(2),
            segment: msg('Segment', 3),
            floatData: rep('float', 4, true),
            int32Data: rep('int32', 5, true),
            stringData: rep('bytes', 6),
            int64Data: rep('int64', 7, true),
            name: str(8),
            docString: str(12),
            rawData: { type: 'bytes', id: 9 },
            externalData: rep('StringStringEntryProto', 13),
            dataLocation: msg('DataLocation', 14),
            doubleData: rep('double', 10, true),
            uint64Data: rep('uint64', 11, true),
            metadataProps: rep('StringStringEntryProto', 16),
          },
          nested: {
            DataType: { values: { ...TensorDataType } },
            Segment: { fields: { begin: i64(1), end: i64(2) } },
            DataLocation: { values: { ...DataLocation } },
          },
        },
        SparseTensorProto: {
          fields: { values: msg('TensorProto', 1), indices: msg('TensorProto', 2), dims: rep('int64', 3) },
        },
        TensorShapeProto: {
          fields: { dim: rep('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: i64(1), dimParam: str(2), denotation: str(3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType', 'sequenceType', 'mapType', 'optionalType', 'sparseTensorType'] } },
          fields: {
            tensorType: msg('Tensor', 1),
            sequenceType: msg('Sequence', 4),
            mapType: msg('Map', 5),
            optionalType: msg('Optional', 9),
            sparseTensorType: msg('SparseTensor', 8),
            denotation: str(6),
          },
          nested: {
            Tensor: { fields: { elemType: i32(1), shape: msg('TensorShapeProto', 2) } },
            Sequence: { fields: { elemType: msg('TypeProto', 1) } },
            Map: { fields: { keyType: i32(1), valueType: msg('TypeProto', 2) } },
            Optional: { fields: { elemType: msg('TypeProto', 1) } },
            SparseTensor: { fields: { elemType: i32(1), shape: msg('TensorShapeProto', 2) } },
          },
        },
        OperatorSetIdProto: { fields: { domain: str(1), version: i64(2) } },
        FunctionProto: {
          fields: {
            name: str(1),
            input: rep('string', 4),
            output: rep('string', 5),
            attribute: rep('string', 6),
            attributeProto: rep('AttributeProto', 11),
            node: rep('NodeProto', 7),
            docString: str(8),
            opsetImport: rep('OperatorSetIdProto', 9),
            domain: str(10),
            overload: str(13),
            valueInfo: rep('ValueInfoProto', 12),
            metadataProps: rep('StringStringEntryProto', 14),
          },
        },
      },
    },
  },
};

export const onnxRoot = protobuf.Root.fromJSON(onnxDescriptor);
export const ModelProto = onnxRoot.lookupType('onnx.ModelProto');
export const GraphProto = onnxRoot.lookupType('onnx.GraphProto');
export const TensorProto = onnxRoot.lookupType('onnx.TensorProto');

// ---- Decoded shapes (what `decodeModel` returns; int64 fields as JS numbers) ----

export interface OnnxStringEntry { key: string; value: string }
export interface OnnxOpset { domain?: string; version?: number }
export interface OnnxDimension { dimValue?: number; dimParam?: string; denotation?: string; value?: 'dimValue' | 'dimParam' }
export interface OnnxShape { dim: OnnxDimension[] }
export interface OnnxType {
  tensorType?: { elemType?: number; shape?: OnnxShape };
  sequenceType?: { elemType?: OnnxType };
  mapType?: { keyType?: number; valueType?: OnnxType };
  optionalType?: { elemType?: OnnxType };
  sparseTensorType?: { elemType?: number; shape?: OnnxShape };
  denotation?: string;
  value?: 'tensorType' | 'sequenceType' | 'mapType' | 'optionalType' | 'sparseTensorType';
}
export interface OnnxValueInfo { name?: string; type?: OnnxType; docString?: string; metadataProps: OnnxStringEntry[] }
export interface OnnxTensor {
  name?: string;
  dims: number[];
  dataType?: number;
  segment?: { begin?: number; end?: number };
  floatData: number[];
  int32Data: number[];
  stringData: Uint8Array[];
  int64Data: number[];
  doubleData: number[];
  uint64Data: number[];
  /** A view into the decoded buffer (no copy). */
  rawData?: Uint8Array;
  /** For data_location EXTERNAL: keys location, offset, length, checksum. */
  externalData: OnnxStringEntry[];
  dataLocation?: number;
  docString?: string;
  metadataProps: OnnxStringEntry[];
}
export interface OnnxSparseTensor { values?: OnnxTensor; indices?: OnnxTensor; dims: number[] }
export interface OnnxAttribute {
  name?: string;
  refAttrName?: string;
  docString?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  sparseTensor?: OnnxSparseTensor;
  tp?: OnnxType;
  floats: number[];
  ints: number[];
  strings: Uint8Array[];
  tensors: OnnxTensor[];
  graphs: OnnxGraph[];
  sparseTensors: OnnxSparseTensor[];
  typeProtos: OnnxType[];
}
export interface OnnxNode {
  input: string[];
  output: string[];
  name?: string;
  opType?: string;
  domain?: string;
  overload?: string;
  attribute: OnnxAttribute[];
  docString?: string;
  metadataProps: OnnxStringEntry[];
}
export interface OnnxGraph {
  node: OnnxNode[];
  name?: string;
  initializer: OnnxTensor[];
  sparseInitializer: OnnxSparseTensor[];
  docString?: string;
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
  quantizationAnnotation: { tensorName?: string; quantParameterTensorNames: OnnxStringEntry[] }[];
  metadataProps: OnnxStringEntry[];
}
export interface OnnxFunction {
  name?: string; domain?: string; overload?: string; docString?: string;
  input: string[]; output: string[]; attribute: string[]; attributeProto: OnnxAttribute[];
  node: OnnxNode[]; opsetImport: OnnxOpset[]; valueInfo: OnnxValueInfo[]; metadataProps: OnnxStringEntry[];
}
export interface OnnxModel {
  irVersion?: number;
  opsetImport: OnnxOpset[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph?: OnnxGraph;
  metadataProps: OnnxStringEntry[];
  functions: OnnxFunction[];
}

/**
 * Decodes a serialized ModelProto. int64 fields become JS numbers (exact below 2^53; sentinels
 * such as INT64_MAX in Slice `ends` round to 2^63, which still reads as "to the end"); bytes stay
 * views into `bytes`, so raw weights are not copied. Unset scalars are absent; repeated fields are
 * always arrays.
 */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const message = ModelProto.decode(bytes);
  return ModelProto.toObject(message, { longs: Number, arrays: true, oneofs: true }) as OnnxModel;
}
