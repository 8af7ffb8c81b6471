/**
 * The profiler's in-memory model description (pure; runs anywhere). The ONNX loader
 * (src-main/services/onnx/load-model.ts) turns a file into this, without weights: each
 * initializer keeps only where its bytes are (offset and length in the file, or an external-data
 * file), so a 1 GB model is described in a few MB. Shape inference and counting
 * (src-shared/profiler/*) work on this alone: FLOP counting needs shapes, not weights.
 */

/** ONNX TensorProto.DataType names we report ("float32" style, as onnx.helper prints them). */
export type ElemType =
  | 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64' | 'string' | 'bool'
  | 'float16' | 'float64' | 'uint32' | 'uint64' | 'complex64' | 'complex128' | 'bfloat16'
  | 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz' | 'uint4' | 'int4' | 'float4e2m1'
  | 'undefined';

/** A dimension: a fixed size, or a symbolic name ("batch", "sequence") the user binds. */
export type Dim = number | string;

export interface TensorInfo {
  name: string;
  elemType: ElemType;
  /** null when the graph does not say (rank unknown). */
  shape: Dim[] | null;
}

/** Where an initializer's bytes are; read on demand only (quantization what-ifs, runs). */
export type DataLocation =
  | { kind: 'raw'; offset: number; length: number }
  /** `file` is relative to the model's folder, as ONNX's external_data "location" says. */
  | { kind: 'external'; file: string; offset: number; length: number | null }
  /** Values in typed fields (float_data, int64_data…): small tensors, decoded eagerly. */
  | { kind: 'inline'; values: number[] }
  | { kind: 'none' };

export interface Initializer {
  name: string;
  elemType: ElemType;
  dims: number[];
  location: DataLocation;
}

export type AttributeValue =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ints'; value: number[] }
  | { type: 'floats'; value: number[] }
  | { type: 'strings'; value: string[] }
  /** A constant tensor attribute (Constant's value): dims and, when small, its values. */
  | { type: 'tensor'; value: { elemType: ElemType; dims: number[]; values: number[] | null } }
  | { type: 'graph'; value: GraphIR }
  | { type: 'graphs'; value: GraphIR[] }
  | { type: 'other' };

export interface NodeIR {
  /** The node's name; when the file has none, the loader names it `<opType>_<index>`. */
  name: string;
  opType: string;
  /** '' for the default ai.onnx domain. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

export interface GraphIR {
  name: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializers: Initializer[];
  nodes: NodeIR[];
  /** Intermediate value shapes recorded in the file (value_info), when present. */
  valueInfo: TensorInfo[];
}

export interface ModelIR {
  /** The file name (or zoo name), for messages. */
  source: string;
  irVersion: number;
  /** Opset per domain; '' is ai.onnx. */
  opsets: Record<string, number>;
  producer: string;
  graph: GraphIR;
  /** Bytes of the file itself. */
  fileBytes: number;
}
