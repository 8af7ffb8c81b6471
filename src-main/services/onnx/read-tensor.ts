/**
 * Reading initializer values on demand (Node main process / CLI). The loader (load-model.ts)
 * keeps only where each weight's bytes are; the quantization what-ifs and model runs call
 * `readInitializer` to fetch one tensor's values from the model file (raw_data), its
 * external-data file, or the values the loader already inlined. Also holds the element-type
 * tables and byte decoders the loader shares (float16/bfloat16 widening, int64 → number).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { ElemType, Initializer } from '../../../src-shared/profiler/ir.js';
import { dataTypeBytes, TensorDataType } from './onnx-constants.js';

/** What `readInitializer` returns: the narrowest typed array that holds the values exactly. */
export type TensorValues =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array;

// TensorProto.DataType code → IR name. FLOAT8E8M0 (24) has no IR name yet and maps to 'undefined'.
const ELEM_NAMES: Record<number, ElemType> = {
  [TensorDataType.UNDEFINED]: 'undefined', [TensorDataType.FLOAT]: 'float32', [TensorDataType.UINT8]: 'uint8',
  [TensorDataType.INT8]: 'int8', [TensorDataType.UINT16]: 'uint16', [TensorDataType.INT16]: 'int16',
  [TensorDataType.INT32]: 'int32', [TensorDataType.INT64]: 'int64', [TensorDataType.STRING]: 'string',
  [TensorDataType.BOOL]: 'bool', [TensorDataType.FLOAT16]: 'float16', [TensorDataType.DOUBLE]: 'float64',
  [TensorDataType.UINT32]: 'uint32', [TensorDataType.UINT64]: 'uint64', [TensorDataType.COMPLEX64]: 'complex64',
  [TensorDataType.COMPLEX128]: 'complex128', [TensorDataType.BFLOAT16]: 'bfloat16',
  [TensorDataType.FLOAT8E4M3FN]: 'float8e4m3fn', [TensorDataType.FLOAT8E4M3FNUZ]: 'float8e4m3fnuz',
  [TensorDataType.FLOAT8E5M2]: 'float8e5m2', [TensorDataType.FLOAT8E5M2FNUZ]: 'float8e5m2fnuz',
  [TensorDataType.UINT4]: 'uint4', [TensorDataType.INT4]: 'int4', [TensorDataType.FLOAT4E2M1]: 'float4e2m1',
};
const ELEM_CODES = new Map<ElemType, number>(Object.entries(ELEM_NAMES).map(([code, name]) => [name, Number(code)]));

export function elemTypeName(dataType: number): ElemType {
  return ELEM_NAMES[dataType] ?? 'undefined';
}

/** Bytes a tensor of `elemType` and `dims` occupies as raw_data; null when not fixed-size (string). */
export function expectedByteLength(elemType: ElemType, dims: readonly number[]): number | null {
  const per = dataTypeBytes(ELEM_CODES.get(elemType) ?? 0);
  if (per === null) return null;
  // 4-bit types pack two elements per byte, the last byte half-filled when the count is odd.
  return Math.ceil(elementCount(dims) * per);
}

/** Product of dims (1 for a scalar). Dims are checked non-negative by the loader. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

const f16Buffer = new Float32Array(1);
const f16Bits = new Uint32Array(f16Buffer.buffer);

/** IEEE 754 binary16 bits → number (exact: every half is a float32). */
const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE-754 binary16 bits of a float, round to nearest even (as numpy and ggml's GGML_FP32_TO_FP16): float16 inputs and GGUF weights. */
export function floatToHalf(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++; // a carry into the exponent is correct rounding
  return sign | half;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal (or zero)
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits → number: the upper half of a float32. */
export function bfloat16ToFloat(b: number): number {
  f16Bits[0] = (b & 0xffff) << 16;
  return f16Buffer[0]!;
}

/**
 * The bytes as an ArrayBuffer of their own: a buffer read just for this tensor is used as is; a
 * view into something larger (a file window, the caller's model bytes, maybe at an odd offset)
 * is copied, so the result is aligned and never aliases the model.
 */
function aligned(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out.buffer;
}

/**
 * Decodes little-endian tensor bytes (raw_data or an external-data slice) into typed values.
 * float16/bfloat16 widen to float32; int64/uint64 become float64 when every value is within
 * ±2^53 (exact), and stay BigInt64Array/BigUint64Array otherwise, so nothing is silently
 * rounded. Returns null for types we do not decode (string, complex, float8, float4).
 * ONNX stores tensors little-endian whatever the host; every platform Electron ships on is LE.
 */
export function decodeTensorBytes(elemType: ElemType, bytes: Uint8Array, count: number): TensorValues | null {
  switch (elemType) {
    case 'float32': return new Float32Array(aligned(bytes));
    case 'float64': return new Float64Array(aligned(bytes));
    case 'int8': return new Int8Array(aligned(bytes));
    case 'uint8': case 'bool': return new Uint8Array(aligned(bytes));
    case 'int16': return new Int16Array(aligned(bytes));
    case 'uint16': return new Uint16Array(aligned(bytes));
    case 'int32': return new Int32Array(aligned(bytes));
    case 'uint32': return new Uint32Array(aligned(bytes));
    case 'float16': case 'bfloat16': {
      const bits = new Uint16Array(aligned(bytes));
      const out = new Float32Array(bits.length);
      const widen = elemType === 'float16' ? halfToFloat : bfloat16ToFloat;
      for (let i = 0; i < bits.length; i++) out[i] = widen(bits[i]!);
      return out;
    }
    case 'int64': case 'uint64': {
      const big = elemType === 'int64' ? new BigInt64Array(aligned(bytes)) : new BigUint64Array(aligned(bytes));
      const out = new Float64Array(big.length);
      for (let i = 0; i < big.length; i++) {
        const v = big[i]!;
        if (v > 9007199254740992n || v < -9007199254740992n) return big;
        out[i] = Number(v);
      }
      return out;
    }
    case 'int4': case 'uint4': {
      // Two elements per byte, the first in the low nibble (ONNX IR spec, "4-bit integer types").
      const out = elemType === 'int4' ? new Int8Array(count) : new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const nibble = (bytes[i >> 1]! >> ((i & 1) * 4)) & 0xf;
        out[i] = elemType === 'int4' && nibble >= 8 ? nibble - 16 : nibble;
      }
      return out;
    }
    default: return null;
  }
}

/** Plain numbers for the IR's inline values (small tensors only). */
export function toNumbers(values: TensorValues): number[] {
  return Array.from(values as ArrayLike<number | bigint>, Number);
}

/** Inline values (already numbers) → the typed array `readInitializer` returns for that type. */
function fromNumbers(elemType: ElemType, values: number[]): TensorValues | null {
  switch (elemType) {
    case 'float32': case 'float16': case 'bfloat16': return Float32Array.from(values);
    case 'float64': case 'int64': case 'uint64': return Float64Array.from(values);
    case 'int8': case 'int4': return Int8Array.from(values);
    case 'uint8': case 'bool': case 'uint4': return Uint8Array.from(values);
    case 'int16': return Int16Array.from(values);
    case 'uint16': return Uint16Array.from(values);
    case 'int32': return Int32Array.from(values);
    case 'uint32': return Uint32Array.from(values);
    default: return null;
  }
}

function unsupported(label: string, init: Initializer): ApiFailure {
  return new ApiFailure('INVALID_REQUEST', `${label}: initializer '${init.name}' has element type ${init.elemType}, which FLOPscope cannot decode`);
}

async function readRange(file: string, offset: number, length: number, what: string, label: string): Promise<Uint8Array> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ApiFailure(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_REQUEST', `${label}: cannot open ${what}: ${(e as Error).message}`);
  }
  try {
    const size = (await handle.stat()).size;
    if (offset + length > size) {
      throw new ApiFailure('INVALID_REQUEST', `${label}: ${what} needs ${length} bytes at offset ${offset} but ${path.basename(file)} ends at ${size} (did the file change since it was loaded?)`);
    }
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done < length) throw new ApiFailure('INVALID_REQUEST', `${label}: ${what} ends early (read ${done} of ${length} bytes)`);
    return buf;
  } finally {
    await handle.close();
  }
}

/**
 * Reads one initializer's values. `model` is the model file the initializer came from (external
 * data is resolved next to it), or the bytes given to `loadModelFromBytes` (raw and inline
 * initializers only). Throws ApiFailure when the data is missing, out of range or of a type we do
 * not decode.
 */
export async function readInitializer(model: string | Uint8Array, init: Initializer): Promise<TensorValues> {
  const label = typeof model === 'string' ? path.basename(model) : 'the in-memory model';
  const count = elementCount(init.dims);
  const loc = init.location;
  let bytes: Uint8Array;
  switch (loc.kind) {
    case 'inline': {
      const values = fromNumbers(init.elemType, loc.values);
      if (!values) throw unsupported(label, init);
      return values;
    }
    case 'none':
      throw new ApiFailure('INVALID_REQUEST', `${label}: initializer '${init.name}' stores no readable data (${init.elemType} values in a form FLOPscope does not keep)`);
    case 'raw': {
      const what = `initializer '${init.name}'`;
      if (typeof model === 'string') bytes = await readRange(model, loc.offset, loc.length, what, label);
      else {
        if (loc.offset + loc.length > model.length) throw new ApiFailure('INVALID_REQUEST', `${label}: ${what} needs ${loc.length} bytes at offset ${loc.offset} but the model has ${model.length}`);
        bytes = model.subarray(loc.offset, loc.offset + loc.length);
      }
      break;
    }
    case 'external': {
      if (typeof model !== 'string') {
        throw new ApiFailure('INVALID_REQUEST', `${label}: initializer '${init.name}' stores its data in '${loc.file}', which cannot be resolved for a model loaded from memory`);
      }
      // The loader refuses such locations too; checked again since an Initializer may come from elsewhere.
      const normal = path.normalize(loc.file);
      if (path.isAbsolute(loc.file) || normal === '..' || normal.startsWith(`..${path.sep}`)) {
        throw new ApiFailure('INVALID_REQUEST', `${label}: initializer '${init.name}' stores its data in '${loc.file}', outside the model's folder`);
      }
      const length = loc.length ?? expectedByteLength(init.elemType, init.dims);
      if (length === null) throw unsupported(label, init);
      bytes = await readRange(path.join(path.dirname(model), normal), loc.offset, length, `initializer '${init.name}' (in '${loc.file}')`, label);
      break;
    }
  }
  const expected = expectedByteLength(init.elemType, init.dims);
  if (expected !== null && bytes.length !== expected) {
    throw new ApiFailure('INVALID_REQUEST', `${label}: initializer '${init.name}' has ${bytes.length} bytes of data but dims [${init.dims.join(', ')}] of ${init.elemType} need ${expected}`);
  }
  const values = decodeTensorBytes(init.elemType, bytes, count);
  if (!values) throw unsupported(label, init);
  return values;
}
