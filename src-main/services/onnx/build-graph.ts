/**
 * A small ONNX graph builder (Node main process / CLI): describe inputs, outputs, nodes and
 * optional initializers in plain objects and get a serialized ModelProto back, ready for
 * `InferenceSession.create(bytes)`. Used by the GEMM benchmark; deliberately minimal.
 */
import { AttributeType, ModelProto, TensorDataType } from './onnx-schema.js';

export type Dim = number | string;

export interface ValueSpec {
  name: string;
  /** A TensorDataType value, e.g. TensorDataType.FLOAT. */
  elemType: number;
  /** Fixed sizes as numbers, symbolic sizes ("batch") as strings. */
  shape: Dim[];
}

export type AttributeSpec =
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'ints'; value: number[] }
  | { name: string; type: 'floats'; value: number[] };

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** '' (default ai.onnx) or e.g. 'com.microsoft'. */
  domain?: string;
  attributes?: AttributeSpec[];
}

export interface InitializerSpec {
  name: string;
  dataType: number;
  dims: number[];
  /** Little-endian element bytes (TensorProto.raw_data). */
  raw: Uint8Array;
}

export interface ModelSpec {
  graphName?: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers?: InitializerSpec[];
  /** ai.onnx opset; 17 is read by every onnxruntime from 1.13 on. */
  opset?: number;
  /** Extra opset imports, e.g. [{ domain: 'com.microsoft', version: 1 }]. */
  extraOpsets?: { domain: string; version: number }[];
  /** IR version 8 pairs with opset 17. */
  irVersion?: number;
  docString?: string;
}

function valueInfo(v: ValueSpec): object {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(a: AttributeSpec): object {
  switch (a.type) {
    case 'int': return { name: a.name, type: AttributeType.INT, i: a.value };
    case 'float': return { name: a.name, type: AttributeType.FLOAT, f: a.value };
    case 'string': return { name: a.name, type: AttributeType.STRING, s: new TextEncoder().encode(a.value) };
    case 'ints': return { name: a.name, type: AttributeType.INTS, ints: a.value };
    case 'floats': return { name: a.name, type: AttributeType.FLOATS, floats: a.value };
  }
}

/** Serializes a ModelProto for `spec`. Throws if protobufjs rejects a field (bad spec). */
export function buildModel(spec: ModelSpec): Uint8Array {
  const model = {
    irVersion: spec.irVersion ?? 8,
    producerName: 'flopscope',
    producerVersion: '0.1',
    docString: spec.docString,
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }, ...(spec.extraOpsets ?? [])],
    graph: {
      name: spec.graphName ?? 'graph',
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.opType}_${i}`,
        opType: n.opType,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: (n.attributes ?? []).map(attribute),
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map((t) => ({ name: t.name, dataType: t.dataType, dims: t.dims, rawData: t.raw })),
    },
  };
  const err = ModelProto.verify(model);
  if (err) throw new Error(`invalid ONNX model spec: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

export { TensorDataType };
