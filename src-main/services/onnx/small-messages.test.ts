import { describe, expect, it } from 'vitest';
import { onnxRoot } from './onnx-schema.js';
import { decodeOpset, decodeStringEntry, decodeValueInfo } from './small-messages.js';

// The hand-written decoders against protobufjs' reflected ones, on messages the reflected encoder writes.
const ValueInfoProto = onnxRoot.lookupType('onnx.ValueInfoProto');
const OperatorSetIdProto = onnxRoot.lookupType('onnx.OperatorSetIdProto');
const StringStringEntryProto = onnxRoot.lookupType('onnx.StringStringEntryProto');
const reflected = (type: typeof ValueInfoProto, bytes: Uint8Array) =>
  type.toObject(type.decode(bytes), { longs: Number, arrays: true, oneofs: true });

describe('small ONNX messages', () => {
  it('decode a ValueInfoProto as the reflected decoder does: dims, symbols, sparse, sequence, map, optional, metadata', () => {
    const infos = [
      { name: 'input', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 3 }, { dimValue: 224 }, { dimValue: 2 ** 40 }, {}] } } } },
      { name: 'sp', type: { sparseTensorType: { elemType: 7, shape: { dim: [{ dimValue: 5, denotation: 'N' }] } }, denotation: 'IMAGE' }, docString: 'doc' },
      { name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } },
      { name: 'map', type: { mapType: { keyType: 8, valueType: { optionalType: { elemType: { tensorType: { elemType: 10 } } } } } } },
      { name: 'meta', metadataProps: [{ key: 'k', value: 'v' }, { key: 'second', value: '' }] },
      {},
    ];
    for (const info of infos) {
      const bytes = ValueInfoProto.encode(ValueInfoProto.fromObject(info)).finish();
      expect(decodeValueInfo(bytes)).toEqual({ metadataProps: [], ...reflected(ValueInfoProto, bytes) });
    }
  });

  it('decode OperatorSetIdProto and StringStringEntryProto', () => {
    for (const o of [{ domain: 'com.microsoft', version: 1 }, { version: 21 }, {}]) {
      const bytes = OperatorSetIdProto.encode(OperatorSetIdProto.fromObject(o)).finish();
      expect(decodeOpset(bytes)).toEqual(reflected(OperatorSetIdProto, bytes));
    }
    const e = StringStringEntryProto.encode(StringStringEntryProto.fromObject({ key: 'location', value: 'w.bin' })).finish();
    expect(decodeStringEntry(e)).toEqual({ key: 'location', value: 'w.bin' });
  });

  it('throw on a length that runs past its message, and on types nested past the limit', () => {
    const bytes = ValueInfoProto.encode(ValueInfoProto.fromObject({ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 3 }] } } } })).finish();
    expect(() => decodeValueInfo(bytes.subarray(0, bytes.length - 2))).toThrow(RangeError);
    // Hand-encoded (protobufjs' own encoder stops at its recursion limit): sequence of sequence of … tensor.
    const field = (no: number, payload: Uint8Array) => Uint8Array.from([(no << 3) | 2, ...varint(payload.length), ...payload]);
    const varint = (n: number) => { const out: number[] = []; while (n > 127) { out.push((n & 127) | 128); n >>>= 7; } out.push(n); return out; };
    const nest = (levels: number) => {
      let t = field(1, Uint8Array.from([0x08, 0x01]));
      for (let i = 0; i < levels; i++) t = field(4, field(1, t));
      return field(2, t);
    };
    expect(decodeValueInfo(nest(60)).type?.value).toBe('sequenceType');
    expect(() => decodeValueInfo(nest(70))).toThrow(/nested more than 64 deep/);
  });
});
