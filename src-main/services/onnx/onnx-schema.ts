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

export { AttributeType, DataLocation, dataTypeBytes, TensorDataType, type TensorDataTypeName } from './onnx-constants.js';
import { AttributeType, DataLocation, TensorDataType } from './onnx-constants.js';

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
