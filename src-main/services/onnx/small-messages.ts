/**
 * Decoders for the three small ONNX messages the lazy walk (load-model.ts) decodes whole:
 * ValueInfoProto (with its TypeProto and TensorShapeProto), OperatorSetIdProto and
 * StringStringEntryProto. Field numbers are onnx/onnx.proto's (IR version 11), the same as the
 * reflection descriptor in onnx-schema.ts.
 *
 * Written by hand over protobufjs' `Reader` rather than with the descriptor's reflected types
 * because protobufjs builds each reflected decoder with `new Function` the first time it runs:
 * ~25 ms of code generation on every `flopscope profile`, which no code cache can keep
 * (bench/cli-startup.ts). These messages are a dozen scalar fields; every other field is skipped
 * by wire type, as the reflected decoder does. A length that runs past its message or the buffer
 * throws a RangeError, which the walk reports as a corrupt field with its offset.
 */
import protobuf from 'protobufjs/light.js';
import type { OnnxDimension, OnnxOpset, OnnxShape, OnnxStringEntry, OnnxType, OnnxValueInfo } from './onnx-schema.js';

type Reader = protobuf.Reader;

/** int64 as a JS number (exact below 2^53); protobufjs returns a Long or a {low, high} pair. */
function int64(r: Reader): number {
  const v = r.int64() as number | protobuf.Long;
  if (typeof v === 'number') return v;
  const long = v as protobuf.Long & { toNumber?: () => number };
  return typeof long.toNumber === 'function' ? long.toNumber() : protobuf.util.LongBits.from(v).toNumber(false);
}

/** The end of a length-delimited field whose length was just read, checked against the enclosing end. */
function subEnd(r: Reader, end: number): number {
  const len = r.uint32();
  const e = r.pos + len;
  if (e > end) throw new RangeError(`a length of ${len} runs past its message`);
  return e;
}

/** Calls `field(no, wireType)` for each field in [r.pos, end); it returns false to have the field skipped. */
function fields(r: Reader, end: number, field: (no: number, wt: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (!field(no, wt)) r.skipType(wt);
  }
  if (r.pos > end) throw new RangeError('a field runs past its message');
}

function dimension(r: Reader, end: number): OnnxDimension {
  const d: OnnxDimension = {};
  fields(r, end, (no, wt) => {
    if (no === 1 && wt === 0) { d.dimValue = int64(r); d.value = 'dimValue'; return true; }
    if (no === 2 && wt === 2) { d.dimParam = r.string(); d.value = 'dimParam'; return true; }
    if (no === 3 && wt === 2) { d.denotation = r.string(); return true; }
    return false;
  });
  return d;
}

function shape(r: Reader, end: number): OnnxShape {
  const dim: OnnxDimension[] = [];
  fields(r, end, (no, wt) => {
    if (no !== 1 || wt !== 2) return false;
    dim.push(dimension(r, subEnd(r, end)));
    return true;
  });
  return { dim };
}

/** TypeProto.Tensor and TypeProto.SparseTensor: elem_type = 1, shape = 2. */
function tensorType(r: Reader, end: number): { elemType?: number; shape?: OnnxShape } {
  const t: { elemType?: number; shape?: OnnxShape } = {};
  fields(r, end, (no, wt) => {
    if (no === 1 && wt === 0) { t.elemType = r.int32(); return true; }
    if (no === 2 && wt === 2) { t.shape = shape(r, subEnd(r, end)); return true; }
    return false;
  });
  return t;
}

/** How deep TypeProtos may nest (sequence of map of optional…); deeper input is refused, not recursed into. */
const MAX_TYPE_DEPTH = 64;

/** TypeProto.Sequence / Optional: elem_type = 1. TypeProto.Map: key_type = 1, value_type = 2. */
function innerType(r: Reader, end: number, depth: number, map: boolean): { elemType?: OnnxType; keyType?: number; valueType?: OnnxType } {
  const t: { elemType?: OnnxType; keyType?: number; valueType?: OnnxType } = {};
  fields(r, end, (no, wt) => {
    if (map && no === 1 && wt === 0) { t.keyType = r.int32(); return true; }
    if (wt !== 2 || no !== (map ? 2 : 1)) return false;
    const inner = typeProto(r, subEnd(r, end), depth + 1);
    if (map) t.valueType = inner;
    else t.elemType = inner;
    return true;
  });
  return t;
}

/** TypeProto: tensor_type 1, sequence_type 4, map_type 5, denotation 6, sparse_tensor_type 8, optional_type 9. */
function typeProto(r: Reader, end: number, depth = 0): OnnxType {
  if (depth > MAX_TYPE_DEPTH) throw new RangeError(`types nested more than ${MAX_TYPE_DEPTH} deep`);
  const t: OnnxType = {};
  fields(r, end, (no, wt) => {
    if (no === 6 && wt === 2) { t.denotation = r.string(); return true; }
    if (wt !== 2) return false;
    switch (no) {
      case 1: t.tensorType = tensorType(r, subEnd(r, end)); t.value = 'tensorType'; return true;
      case 8: t.sparseTensorType = tensorType(r, subEnd(r, end)); t.value = 'sparseTensorType'; return true;
      case 4: t.sequenceType = innerType(r, subEnd(r, end), depth, false); t.value = 'sequenceType'; return true;
      case 5: t.mapType = innerType(r, subEnd(r, end), depth, true); t.value = 'mapType'; return true;
      case 9: t.optionalType = innerType(r, subEnd(r, end), depth, false); t.value = 'optionalType'; return true;
      default: return false;
    }
  });
  return t;
}

function stringEntry(r: Reader, end: number): OnnxStringEntry {
  const e: OnnxStringEntry = { key: '', value: '' };
  fields(r, end, (no, wt) => {
    if (wt !== 2 || (no !== 1 && no !== 2)) return false;
    if (no === 1) e.key = r.string();
    else e.value = r.string();
    return true;
  });
  return e;
}

/** ValueInfoProto: name 1, type 2, doc_string 3, metadata_props 4. */
export function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  const r = protobuf.Reader.create(bytes);
  const v: OnnxValueInfo = { metadataProps: [] };
  fields(r, r.len, (no, wt) => {
    if (wt !== 2) return false;
    switch (no) {
      case 1: v.name = r.string(); return true;
      case 2: v.type = typeProto(r, subEnd(r, r.len)); return true;
      case 3: v.docString = r.string(); return true;
      case 4: v.metadataProps.push(stringEntry(r, subEnd(r, r.len))); return true;
      default: return false;
    }
  });
  return v;
}

/** OperatorSetIdProto: domain 1, version 2. */
export function decodeOpset(bytes: Uint8Array): OnnxOpset {
  const r = protobuf.Reader.create(bytes);
  const o: OnnxOpset = {};
  fields(r, r.len, (no, wt) => {
    if (no === 1 && wt === 2) { o.domain = r.string(); return true; }
    if (no === 2 && wt === 0) { o.version = int64(r); return true; }
    return false;
  });
  return o;
}

/** StringStringEntryProto: key 1, value 2. */
export function decodeStringEntry(bytes: Uint8Array): OnnxStringEntry {
  const r = protobuf.Reader.create(bytes);
  return stringEntry(r, r.len);
}
