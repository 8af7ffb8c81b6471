/**
 * ONNX's enumerations and element sizes (onnx/onnx.proto, IR version 11), apart from the
 * protobufjs descriptor in onnx-schema.ts: reading a model (load-model.ts, read-tensor.ts) needs
 * these numbers but not the reflected types, whose construction costs every CLI start ~6 ms.
 */
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
