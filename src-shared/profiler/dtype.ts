/**
 * Element types for the profiler (pure; runs anywhere): bytes per element, the ONNX
 * TensorProto.DataType numbering (Cast's `to`, ConstantOfShape's tensor) and the integer/float
 * split that constant folding needs (integer Div truncates).
 */
import type { ElemType } from './ir.js';

/** TensorProto.DataType → our name, per onnx/onnx.proto (1 = FLOAT … 23 = FLOAT4E2M1). */
const BY_CODE: Record<number, ElemType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
  17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4', 23: 'float4e2m1',
};

export function elemTypeFromCode(code: number): ElemType {
  return BY_CODE[code] ?? 'undefined';
}

/** Bytes per element (0.5 for packed 4-bit types); 0 where the size is not fixed (string, undefined). */
export function bytesPerElement(t: ElemType): number {
  switch (t) {
    case 'float32': case 'int32': case 'uint32': return 4;
    case 'float16': case 'bfloat16': case 'int16': case 'uint16': return 2;
    case 'float64': case 'int64': case 'uint64': case 'complex64': return 8;
    case 'complex128': return 16;
    case 'uint8': case 'int8': case 'bool':
    case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': return 1;
    case 'uint4': case 'int4': case 'float4e2m1': return 0.5;
    case 'string': case 'undefined': return 0;
  }
}

/** Bytes of a tensor of `elements` elements; packed 4-bit types round up to whole bytes. */
export function tensorBytes(t: ElemType, elements: number): number {
  return Math.ceil(bytesPerElement(t) * elements);
}

export function isIntegerType(t: ElemType): boolean {
  return t === 'int8' || t === 'uint8' || t === 'int16' || t === 'uint16' || t === 'int32' || t === 'uint32'
    || t === 'int64' || t === 'uint64' || t === 'int4' || t === 'uint4';
}
