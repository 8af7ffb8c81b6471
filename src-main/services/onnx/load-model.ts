/**
 * ONNX model loader for the profiler (Node main process / CLI): file → ModelIR
 * (src-shared/profiler/ir.ts) without loading the weights.
 *
 * After Netron (source/onnx.js): first recognise the format from the first bytes, so a PyTorch
 * checkpoint or a TFLite file gets a clear "not an ONNX model" rather than a protobuf error; then
 * walk the protobuf lazily. The walk reads the file through a file handle in 64 KB windows and
 * decodes tags and varints with protobufjs' `Reader`; each TensorProto (initializers, Constant
 * values) is walked field by field, so its raw_data is *skipped* — we record (offset, length)
 * in the file and never read it — and a 2 GB model costs a few MB. Small leaf messages
 * (ValueInfoProto, OperatorSetIdProto) are decoded with the descriptor's generated types.
 * Weights are read later, on demand, by read-tensor.ts.
 *
 * Every failure is an ApiFailure naming the file and, where it can, the node or tensor; the
 * walk bounds every length by its enclosing message and the file, so corrupt input cannot make
 * it allocate more than the file holds or loop (load-model.fuzz.test.ts checks this).
 */
import { readSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import protobuf from 'protobufjs/light.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { AttributeValue, DataLocation, ElemType, GraphIR, Initializer, ModelIR, NodeIR, TensorInfo } from '../../../src-shared/profiler/ir.js';
import { AttributeType, DataLocation as OnnxDataLocation, TensorDataType } from './onnx-constants.js';
import { decodeOpset, decodeStringEntry, decodeValueInfo } from './small-messages.js';
import type { OnnxOpset, OnnxValueInfo } from './onnx-schema.js';
import { decodeTensorBytes, elementCount, elemTypeName, expectedByteLength, halfToFloat, bfloat16ToFloat, toNumbers } from './read-tensor.js';

export { readInitializer } from './read-tensor.js';
export type { TensorValues } from './read-tensor.js';

export interface LoadOptions {
  /** Typed-field tensors (float_data, int64_data…) and Constant values up to this many elements are inlined. Default 4096. */
  maxInlineValues?: number;
  /**
   * raw_data initializers up to this many elements (at most maxInlineValues) are read and
   * inlined too. Default 64: enough
   * for every shape-like constant (Reshape targets, Slice starts, Resize scales — PyTorch exports
   * store these as raw int64 initializers, and shape inference must fold them), far too few to
   * load weights. 0 keeps every raw initializer as an (offset, length).
   */
  maxInlineRawValues?: number;
  /** For `loadModelFromBytes`: the folder external-data files are resolved (and checked) against. */
  baseDir?: string;
  /**
   * For `loadModel`: the name messages and `source` use instead of the file's own (an upload's
   * temp file carries a random prefix; its messages name the file the user chose).
   */
  label?: string;
}

/** Bytes read per file access while walking through consecutive fields; sub-messages larger than this are read whole. */
const WINDOW = 64 * 1024;
/**
 * Bytes read after the walk jumped past a skipped payload (an initializer's raw_data): the next
 * tensor's header is ~100 bytes and its own payload is skipped too, so a full window there would
 * read ~64 KiB per weight for nothing (20 MB for ResNet-50, and as much garbage to collect).
 */
const JUMP_WINDOW = 4 * 1024;
/** How long the walk runs between yields to the event loop (serve mode keeps answering while a large model is read). */
const YIELD_EVERY_MS = 16;
/** If/Loop/Scan bodies nest; deeper than this is a corrupt file, not a model. */
const MAX_GRAPH_DEPTH = 64;

// ---------------------------------------------------------------------------------------------
// Byte sources and the windowed cursor

interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/**
 * Reads the file synchronously: a window is 4–64 KiB from the page cache (microseconds), where a
 * promise-based read costs a round trip through libuv's thread pool per window (~0.1 ms; hundreds
 * of windows per model). The walk yields to the event loop every YIELD_EVERY_MS instead.
 */
function fileSource(handle: fs.FileHandle, size: number, label: string): ByteSource {
  return {
    size,
    async read(offset, length) {
      // A Uint8Array, not a Buffer: protobufjs' Reader.create would give a Buffer its BufferReader,
      // whose string() cuts a string that runs past the end short instead of failing (the fuzz test
      // catches the difference).
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const bytesRead = readSync(handle.fd, buf, done, length - done, offset + done);
        if (bytesRead === 0) throw new ApiFailure('INVALID_REQUEST', `${label} shrank while it was being read (expected ${size} bytes)`);
        done += bytesRead;
      }
      return buf;
    },
  };
}

/** protobufjs reads 64-bit integers as a Long (the 'long' module's class, with toNumber) or a number. */
type LongLike = protobuf.Long & { toNumber(): number };
function hasToNumber(v: protobuf.Long): v is LongLike {
  return typeof (v as Partial<LongLike>).toNumber === 'function';
}
function toNum(v: number | protobuf.Long): number {
  if (typeof v === 'number') return v;
  // A bare {low, high} (no 'long' module loaded) goes through protobufjs's own LongBits.
  return hasToNumber(v) ? v.toNumber() : protobuf.util.LongBits.from(v).toNumber(v.unsigned);
}

/** One protobuf field as the walker sees it. For wire type 2, [start, end) is the payload. */
interface Field {
  no: number;
  wt: number;
  /** The value for wire types 0 (int64 as a number), 1 (double) and 5 (float). */
  value: number;
  start: number;
  len: number;
  end: number;
}

/** Describes the message being walked, for error messages; lazy because names arrive mid-walk. */
interface Ctx {
  describe(): string;
}

/**
 * Reads a ByteSource through a sliding window with protobufjs' Reader. `pos` is absolute.
 * `need(n)` returns undefined when the bytes are already in the window, so the common path of
 * the walk stays synchronous (an await per field would cost more than the decoding).
 */
class Cursor {
  pos = 0;
  private win: Uint8Array = new Uint8Array(0);
  private winStart = 0;
  private reader: protobuf.Reader = protobuf.Reader.create(new Uint8Array(0));
  constructor(readonly src: ByteSource) {}

  need(n: number): Promise<void> | undefined {
    if (this.pos >= this.winStart && this.pos + n <= this.winStart + this.win.length) return undefined;
    return this.refill(n);
  }

  private lastYield = performance.now();

  private async refill(n: number): Promise<void> {
    if (performance.now() - this.lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    // Running off the end of the window reads on in full windows; a jump past a skipped payload reads a small one.
    const sequential = this.pos === this.winStart + this.win.length;
    const len = Math.min(Math.max(n, sequential ? WINDOW : JUMP_WINDOW), this.src.size - this.pos);
    this.win = await this.src.read(this.pos, len);
    this.winStart = this.pos;
    this.reader = protobuf.Reader.create(this.win);
  }

  /** Positions the Reader at `pos`, never letting it read past `limit` (absolute). */
  private at(limit: number): protobuf.Reader {
    const r = this.reader;
    r.pos = this.pos - this.winStart;
    r.len = Math.min(limit - this.winStart, this.win.length);
    return r;
  }

  /** A varint as an int64 converted to number (exact below 2^53), or undefined if it runs past `limit`. */
  varint(limit: number): number | undefined {
    const r = this.at(limit);
    try {
      const v = toNum(r.int64());
      this.pos = this.winStart + r.pos;
      return v;
    } catch {
      return undefined;
    }
  }

  uint32(limit: number): number | undefined {
    const r = this.at(limit);
    try {
      const v = r.uint32();
      this.pos = this.winStart + r.pos;
      return v;
    } catch {
      return undefined;
    }
  }

  float(): number {
    const r = this.at(this.pos + 4);
    const v = r.float();
    this.pos += 4;
    return v;
  }

  double(): number {
    const r = this.at(this.pos + 8);
    const v = r.double();
    this.pos += 8;
    return v;
  }

  /** Bytes [start, start + len) as a view of the window if they are all in it, else null. */
  view(start: number, len: number): Uint8Array | null {
    const off = start - this.winStart;
    return off >= 0 && off + len <= this.win.length ? this.win.subarray(off, off + len) : null;
  }

  /** Bytes [start, start + len) — a view of the window when it fits, else one read. */
  async bytes(start: number, len: number): Promise<Uint8Array> {
    if (len > WINDOW) return this.src.read(start, len);
    const saved = this.pos;
    this.pos = start;
    const p = this.need(len);
    if (p) await p;
    const off = start - this.winStart;
    this.pos = saved;
    return this.win.subarray(off, off + len);
  }
}

// ---------------------------------------------------------------------------------------------
// Format recognition (before any decoding)

/** ModelProto's fields and their wire types: a real model's first tag is one of these. */
const MODEL_FIELDS: Record<number, number> = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2 };

const ascii = (b: Uint8Array, at: number, s: string): boolean =>
  b.length >= at + s.length && [...s].every((ch, i) => b[at + i] === ch.charCodeAt(0));

function looksLikeText(head: Uint8Array): string | null {
  const probe = head.subarray(0, 512);
  for (const b of probe) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return null;
  try {
    // stream: a multi-byte character cut by the probe's end is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(probe, { stream: probe.length < head.length });
  } catch {
    return null;
  }
  const first = new TextDecoder().decode(probe).trimStart()[0];
  return first === '{' || first === '[' ? 'a JSON text file' : 'a text file';
}

/** What a zip archive probably is, from its first entry's name (local file header at offset 0). */
function zipKind(head: Uint8Array): string {
  if (head.length < 30) return 'a zip archive';
  const nameLen = head[26]! | (head[27]! << 8);
  const name = new TextDecoder().decode(head.subarray(30, 30 + nameLen));
  if (/(^|\/)(data\.pkl|version|byteorder|data\/\d+)$/.test(name) || name.endsWith('.pkl')) return 'a PyTorch zip archive (.pt/.pth checkpoint or TorchScript)';
  if (name.endsWith('.onnx')) return `a zip archive containing '${name}' (unzip it and open the .onnx file)`;
  if (name === 'metadata.json' || name === 'config.json' || name.endsWith('.weights.h5')) return 'a Keras .keras zip archive';
  return `a zip archive (first entry '${name}')`;
}

/** A description of what the file is if it is recognisably not ONNX, else null. */
export function sniffNonOnnx(head: Uint8Array, size: number): string | null {
  if (ascii(head, 0, 'PK\x03\x04') || ascii(head, 0, 'PK\x05\x06')) return zipKind(head);
  if (ascii(head, 4, 'TFL3')) return 'a TensorFlow Lite flatbuffer (.tflite)';
  if (ascii(head, 4, 'ORTM')) return 'an ONNX Runtime .ort flatbuffer (FLOPscope reads .onnx protobufs)';
  if (ascii(head, 0, 'GGUF')) return 'a GGUF file (llama.cpp)';
  if (ascii(head, 0, '\x89HDF\r\n\x1a\n')) return 'an HDF5 file (a Keras .h5 model?)';
  if (ascii(head, 0, '\x93NUMPY')) return 'a NumPy .npy array';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'a gzip-compressed file (decompress it first)';
  if (head[0] === 0x80 && head[1] !== undefined && head[1] >= 2 && head[1] <= 5) return 'a Python pickle (a legacy PyTorch checkpoint?)';
  if (head.length >= 9) {
    // safetensors: u64 little-endian JSON header length, then the JSON header itself.
    const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
    if (n >= 2n && n <= BigInt(size - 8) && head[8] === 0x7b) return 'a safetensors file';
  }
  const text = looksLikeText(head);
  if (text) return text;
  // TF SavedModel: saved_model_schema_version = 1, then meta_graphs (a message, so 0x0a follows
  // its length); an ONNX producer_name never begins with a newline.
  if (head[0] === 0x08 && head[1] === 0x01 && head[2] === 0x12) {
    let i = 3;
    while (i < head.length && head[i]! & 0x80) i++;
    if (head[i + 1] === 0x0a) return 'a TensorFlow SavedModel (saved_model.pb)';
  }
  if (head[0] === 0x0a) return 'a different protobuf (a TensorFlow GraphDef .pb or a Caffe model?), not an ONNX ModelProto';
  const r = protobuf.Reader.create(head);
  let tag: number;
  try {
    tag = r.uint32();
  } catch {
    tag = -1;
  }
  if (tag < 0 || MODEL_FIELDS[tag >>> 3] !== (tag & 7)) {
    const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return `an unknown format: its first bytes ${hex} do not begin an ONNX ModelProto`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The walk

/**
 * Node's native UTF-8 decoder, called on the bytes in place. On the short names that fill a graph,
 * in a process that has just started (the walk runs once, mostly before V8 optimises anything), it
 * is ~4× faster than protobufjs' JavaScript decoder and ~2× faster than TextDecoder (3,000 names:
 * 3.0 ms against 12–16 ms and 5.8 ms, each in a fresh `node`). It takes any Uint8Array, not only a
 * Buffer. Malformed UTF-8 becomes U+FFFD, as with the other two.
 */
const utf8Slice = Buffer.prototype.utf8Slice as (this: Uint8Array, start: number, end: number) => string;
const utf8 = (b: Uint8Array): string => utf8Slice.call(b, 0, b.length);

/** Applies `use` now to a plain value, or later to a promised one. */
function then<T, R>(v: T | Promise<T>, use: (v: T) => R): R | Promise<R> {
  return v instanceof Promise ? v.then(use) : use(v);
}

/** TensorProto's typed value fields, by field number. */
const F_FLOAT = 4, F_INT32 = 5, F_STRING = 6, F_INT64 = 7, F_DOUBLE = 10, F_UINT64 = 11;

/** Which typed field holds a data type's values (onnx.proto's comments on each *_data field). */
function typedFieldFor(dataType: number): number | null {
  switch (dataType) {
    case TensorDataType.FLOAT: case TensorDataType.COMPLEX64: return F_FLOAT;
    case TensorDataType.INT64: return F_INT64;
    case TensorDataType.DOUBLE: case TensorDataType.COMPLEX128: return F_DOUBLE;
    case TensorDataType.UINT32: case TensorDataType.UINT64: return F_UINT64;
    case TensorDataType.STRING: return F_STRING;
    case TensorDataType.UNDEFINED: return null;
    default: return F_INT32; // int8/16/32, uint8/16, bool, float16/bfloat16 bits, float8, 4-bit
  }
}

/** A value of a typed field: a packed run [start, start+len) still in the file, or one scalar. */
type TypedPart = { start: number; len: number; wt: number } | number;

/** What the walk keeps of a TensorProto: everything but its data, which stays in the file. */
interface TensorRec {
  name: string | undefined;
  dataType: number;
  dims: number[];
  raw: { start: number; len: number } | null;
  /** Parts of the typed field that matches dataType (known only at the end, so all are kept by field). */
  typed: Map<number, TypedPart[]>;
  external: Map<string, string>;
  dataLocation: number;
}

interface GraphCtx extends Ctx {
  /** '' for the main graph, else " in the subgraph 'body' of node 'loop'". */
  suffix: string;
  depth: number;
  /** For external-data messages: "initializer 'W'" plus where, for subgraphs. */
  initLabel(name: string): string;
}

interface NodeCtx extends Ctx {
  /** The node alone, without "in the subgraph … of node …". */
  short(): string;
}

interface PendingExternal {
  label: string;
  elemType: ElemType;
  dims: number[];
  location: Extract<DataLocation, { kind: 'external' }>;
}

class Walker {
  readonly c: Cursor;
  readonly size: number;
  readonly externals: PendingExternal[] = [];
  private readonly maxInline: number;
  private readonly maxInlineRaw: number;

  constructor(src: ByteSource, readonly label: string, options: LoadOptions) {
    this.c = new Cursor(src);
    this.size = src.size;
    this.maxInline = Math.max(0, options.maxInlineValues ?? 4096);
    this.maxInlineRaw = Math.min(this.maxInline, Math.max(0, options.maxInlineRawValues ?? 64));
  }

  truncated(ctx: Ctx, at: number, len: number, what?: string): ApiFailure {
    const who = what ? `${ctx.describe()}'s ${what}` : ctx.describe();
    return new ApiFailure('INVALID_REQUEST', `${this.label} is truncated: ${who} needs ${len} bytes at offset ${at} but the file ends at ${this.size}`);
  }

  corrupt(ctx: Ctx, detail: string): ApiFailure {
    return new ApiFailure('INVALID_REQUEST', `${this.label} is not a valid ONNX model: ${ctx.describe()} ${detail}`);
  }

  invalid(detail: string): ApiFailure {
    return new ApiFailure('INVALID_REQUEST', `${this.label}: ${detail}`);
  }

  /**
   * Walks the fields of the message at [start, end), calling `onField` for each. For wire type 2
   * the payload is bounded by `end` (else corrupt) and by the file (else truncated — detected at
   * the deepest message that reaches past EOF, so the error names the tensor that is cut).
   */
  async walk(start: number, end: number, ctx: Ctx, onField: (f: Field) => void | Promise<void>): Promise<void> {
    const c = this.c;
    c.pos = start;
    // One Field per message walk, reused: handlers use it before the next field is read.
    const f: Field = { no: 0, wt: 0, value: 0, start: 0, len: 0, end: 0 };
    while (c.pos < end) {
      if (c.pos >= this.size) throw this.truncated(ctx, start, end - start);
      const limit = Math.min(end, this.size);
      const p = c.need(Math.min(limit - c.pos, 24));
      if (p) await p;
      const tagAt = c.pos;
      const tag = c.uint32(limit);
      if (tag === undefined) throw this.cut(ctx, start, end, `has a field header at offset ${tagAt} that runs past its end`);
      const no = tag >>> 3;
      const wt = tag & 7;
      if (no === 0) throw this.corrupt(ctx, `has an invalid field number 0 at offset ${tagAt}`);
      f.no = no;
      f.wt = wt;
      f.value = f.start = f.len = f.end = 0;
      switch (wt) {
        case 0: {
          const v = c.varint(limit);
          if (v === undefined) throw this.cut(ctx, start, end, `has a varint at offset ${tagAt} that runs past its end`);
          f.value = v;
          break;
        }
        case 1: case 5: {
          const n = wt === 1 ? 8 : 4;
          if (c.pos + n > limit) throw this.cut(ctx, start, end, `has a ${n * 8}-bit value at offset ${c.pos} that runs past its end`);
          f.value = wt === 1 ? c.double() : c.float();
          break;
        }
        case 2: {
          const len = c.varint(limit);
          if (len === undefined) throw this.cut(ctx, start, end, `has a length at offset ${tagAt} that runs past its end`);
          f.start = c.pos;
          f.len = len;
          f.end = c.pos + len;
          // Past the enclosing message's end is corruption — unless that end is the file's end
          // too: then the file was cut, and the deepest message reaching past EOF reports it.
          if (len < 0 || (f.end > end && end < this.size)) {
            throw this.corrupt(ctx, `has a field ${no} of ${len} bytes at offset ${f.start} that runs past its end at offset ${end}`);
          }
          break;
        }
        default:
          throw this.corrupt(ctx, `has field ${no} with unsupported wire type ${wt} at offset ${tagAt}`);
      }
      const r = onField(f);
      if (r) await r;
      if (wt === 2) {
        // A skipped payload that runs past EOF: the file was cut inside this message.
        if (f.end > this.size) throw this.truncated(ctx, f.start, f.len, `field ${f.no}`);
        c.pos = f.end;
      }
    }
  }

  /** A read that ran past `limit`: truncation when the file ended first, else corruption. */
  private cut(ctx: Ctx, start: number, end: number, detail: string): ApiFailure {
    if (end > this.size) return this.truncated(ctx, start, end - start);
    // The model itself has no length to quote: it just stops mid-field.
    if (end === this.size && start === 0) return new ApiFailure('INVALID_REQUEST', `${this.label} is truncated: the model ${detail.replace('runs past its end', 'runs past the end of the file')}`);
    return this.corrupt(ctx, detail);
  }

  expect(f: Field, wt: number, ctx: Ctx, what: string): void {
    if (f.wt !== wt) throw this.corrupt(ctx, `has field ${f.no} (${what}) with wire type ${f.wt}, expected ${wt}`);
  }

  /*
   * The field readers below return plain values when the bytes are already in the window (almost
   * always: 64 KB holds many nodes) and a Promise only when they must read the file, so the walk
   * of a 20k-node graph does not pay an await per string.
   */

  payload(f: Field, ctx: Ctx, what: string): Uint8Array | Promise<Uint8Array> {
    if (f.end > this.size) throw this.truncated(ctx, f.start, f.len, what);
    return this.c.view(f.start, f.len) ?? this.c.bytes(f.start, f.len);
  }

  string(f: Field, ctx: Ctx, what: string): string | Promise<string> {
    this.expect(f, 2, ctx, what);
    return then(this.payload(f, ctx, what), utf8);
  }

  /** Decodes a small sub-message whole (small-messages.ts). */
  decode<T>(decoder: (bytes: Uint8Array) => T, f: Field, ctx: Ctx, what: string): T | Promise<T> {
    this.expect(f, 2, ctx, what);
    const { no, start } = f;
    return then(this.payload(f, ctx, what), (bytes) => {
      try {
        return decoder(bytes);
      } catch (e) {
        throw this.corrupt(ctx, `has field ${no} (${what}) at offset ${start} that does not decode (${(e as Error).message})`);
      }
    });
  }

  /** Repeated int64/float/double values, packed (wire type 2) or one per field. */
  numbers(f: Field, scalarWt: number, kind: 'int64' | 'float' | 'double', ctx: Ctx, what: string, out: number[]): void | Promise<void> {
    if (f.wt === scalarWt) {
      out.push(f.value);
      return;
    }
    this.expect(f, 2, ctx, what);
    const start = f.start;
    return then(this.payload(f, ctx, what), (bytes) => {
      const r = protobuf.Reader.create(bytes);
      try {
        while (r.pos < r.len) out.push(kind === 'int64' ? toNum(r.int64()) : kind === 'float' ? r.float() : r.double());
      } catch {
        throw this.corrupt(ctx, `has packed ${what} at offset ${start} that do not decode`);
      }
    });
  }

  // ---- ModelProto

  async model(): Promise<Omit<ModelIR, 'source' | 'fileBytes'>> {
    const ctx: Ctx = { describe: () => 'the model' };
    let irVersion = 0;
    let producerName = '';
    let producerVersion = '';
    const opsets: Record<string, number> = {};
    let graph: GraphIR | undefined;
    let sawIr = false;
    const mainCtx: GraphCtx = { describe: () => 'the graph', suffix: '', depth: 0, initLabel: (n) => `initializer '${n}'` };
    await this.walk(0, this.size, ctx, (f) => {
      switch (f.no) {
        case 1: this.expect(f, 0, ctx, 'ir_version'); irVersion = f.value; sawIr = true; return;
        case 2: return then(this.string(f, ctx, 'producer_name'), (v) => { producerName = v; });
        case 3: return then(this.string(f, ctx, 'producer_version'), (v) => { producerVersion = v; });
        case 7:
          this.expect(f, 2, ctx, 'graph');
          if (graph) throw this.corrupt(ctx, 'has two graphs');
          return this.graph(f, mainCtx).then((g) => { graph = g; });
        case 8:
          return then(this.decode<OnnxOpset>(decodeOpset, f, ctx, 'opset_import'), (o) => {
            opsets[!o.domain || o.domain === 'ai.onnx' ? '' : o.domain] = o.version ?? 0;
          });
        default: // doc_string, metadata, training_info, functions…: not needed to describe the graph.
      }
    });
    if (!graph) {
      const none = !sawIr && Object.keys(opsets).length === 0;
      throw new ApiFailure('INVALID_REQUEST', none
        ? `${this.label} is not an ONNX model: it has no ir_version, opset_import or graph (a different protobuf?)`
        : `${this.label} has no graph: an ONNX model must have one`);
    }
    return { irVersion, opsets, producer: `${producerName} ${producerVersion}`.trim(), graph };
  }

  // ---- GraphProto

  async graph(f: Field, ctx: GraphCtx): Promise<GraphIR> {
    if (ctx.depth > MAX_GRAPH_DEPTH) throw this.corrupt(ctx, `is nested more than ${MAX_GRAPH_DEPTH} subgraphs deep`);
    let name = '';
    const inputs: TensorInfo[] = [];
    const outputs: TensorInfo[] = [];
    const valueInfo: TensorInfo[] = [];
    const initializers: Initializer[] = [];
    const nodes: Array<Omit<NodeIR, 'name' | 'opType'> & { name: string | undefined; opType: string | undefined }> = [];
    const info = (g: Field, what: string, list: TensorInfo[]) =>
      then(this.decode<OnnxValueInfo>(decodeValueInfo, g, ctx, what), (v) => { list.push(tensorInfo(v)); });
    await this.walk(f.start, f.end, ctx, (g) => {
      switch (g.no) {
        case 1: this.expect(g, 2, ctx, 'node'); return this.node(g, ctx, nodes.length).then((n) => { nodes.push(n); });
        case 2: return then(this.string(g, ctx, 'name'), (v) => { name = v; });
        case 5:
          this.expect(g, 2, ctx, 'initializer');
          return this.initializer(g, ctx, initializers.length).then((i) => { initializers.push(i); });
        case 11: return info(g, `input #${inputs.length}`, inputs);
        case 12: return info(g, `output #${outputs.length}`, outputs);
        case 13: return info(g, `value_info #${valueInfo.length}`, valueInfo);
        case 15:
          this.expect(g, 2, ctx, 'sparse_initializer');
          return this.sparseInitializer(g, ctx, initializers.length).then((i) => { initializers.push(i); });
        default:
      }
    });
    return { name, inputs, outputs, initializers, nodes: nameNodes(nodes, ctx, this), valueInfo };
  }

  // ---- NodeProto and AttributeProto

  async node(f: Field, graph: GraphCtx, index: number) {
    let name: string | undefined;
    let opType: string | undefined;
    let domain = '';
    const inputs: string[] = [];
    const outputs: string[] = [];
    const attributes: Record<string, AttributeValue> = {};
    // Provisional names: the final ones (nameNodes) need every node of the graph.
    const short = () => `node ${name ? `'${name}'` : opType ? `'${opType}_${index}'` : `#${index}`}${opType ? ` (${opType})` : ''}`;
    const ctx: NodeCtx = { short, describe: () => `${short()}${graph.suffix}` };
    await this.walk(f.start, f.end, ctx, (g) => {
      switch (g.no) {
        case 1: return then(this.string(g, ctx, 'input'), (v) => { inputs.push(v); });
        case 2: return then(this.string(g, ctx, 'output'), (v) => { outputs.push(v); });
        case 3: return then(this.string(g, ctx, 'name'), (v) => { name = v; });
        case 4: return then(this.string(g, ctx, 'op_type'), (v) => { opType = v; });
        case 7: return then(this.string(g, ctx, 'domain'), (v) => { domain = v; });
        case 5:
          this.expect(g, 2, ctx, 'attribute');
          return this.attribute(g, ctx, graph.depth).then(([key, value]) => { attributes[key] = value; });
        default:
      }
    });
    return { name, opType, domain: domain === 'ai.onnx' ? '' : domain, inputs, outputs, attributes };
  }

  async attribute(f: Field, node: NodeCtx, depth: number): Promise<[string, AttributeValue]> {
    let name = '';
    let type: number | undefined;
    let fv = 0;
    let iv = 0;
    let s = '';
    let t: TensorRec | undefined;
    let g: GraphIR | undefined;
    const floats: number[] = [];
    const ints: number[] = [];
    const strings: string[] = [];
    const graphs: GraphIR[] = [];
    const seen = new Set<number>();
    let isRef = false;
    const ctx: Ctx = { describe: () => `attribute '${name}' of ${node.describe()}` };
    // A subgraph names its node without the node's own enclosing chain, so messages from deep
    // inside nested If/Loop bodies stay one line long.
    const sub = (i?: number): GraphCtx => {
      const where = `the subgraph '${name}${i === undefined ? '' : `[${i}]`}' of ${node.short()}`;
      return { describe: () => where, suffix: ` in ${where}`, depth: depth + 1, initLabel: (n) => `initializer '${n}' of ${where}` };
    };
    const tctx: Ctx = { describe: () => `the tensor of ${ctx.describe()}` };
    await this.walk(f.start, f.end, ctx, (a) => {
      seen.add(a.no);
      switch (a.no) {
        case 1: return then(this.string(a, ctx, 'name'), (v) => { name = v; });
        case 20: this.expect(a, 0, ctx, 'type'); type = a.value; return;
        case 2: this.expect(a, 5, ctx, 'f'); fv = a.value; return;
        case 3: this.expect(a, 0, ctx, 'i'); iv = a.value; return;
        case 4: return then(this.string(a, ctx, 's'), (v) => { s = v; });
        case 5: this.expect(a, 2, ctx, 't'); return this.tensor(a, tctx).then((v) => { t = v; });
        case 6: this.expect(a, 2, ctx, 'g'); return this.graph(a, sub()).then((v) => { g = v; });
        case 7: return this.numbers(a, 5, 'float', ctx, 'floats', floats);
        case 8: return this.numbers(a, 0, 'int64', ctx, 'ints', ints);
        case 9: return then(this.string(a, ctx, 'strings'), (v) => { strings.push(v); });
        case 11: this.expect(a, 2, ctx, 'graphs'); return this.graph(a, sub(graphs.length)).then((v) => { graphs.push(v); });
        case 21: isRef = true; return;
        default:
      }
    });
    if (isRef) return [name, { type: 'other' }];
    // IR < 2 files have no `type`; infer it from the field that is set, as onnx.helper does.
    const kind = type ?? (seen.has(2) ? AttributeType.FLOAT : seen.has(3) ? AttributeType.INT : seen.has(4) ? AttributeType.STRING
      : seen.has(5) ? AttributeType.TENSOR : seen.has(6) ? AttributeType.GRAPH : seen.has(7) ? AttributeType.FLOATS
        : seen.has(8) ? AttributeType.INTS : seen.has(9) ? AttributeType.STRINGS : seen.has(11) ? AttributeType.GRAPHS : AttributeType.UNDEFINED);
    switch (kind) {
      case AttributeType.FLOAT: return [name, { type: 'float', value: fv }];
      case AttributeType.INT: return [name, { type: 'int', value: iv }];
      case AttributeType.STRING: return [name, { type: 'string', value: s }];
      case AttributeType.FLOATS: return [name, { type: 'floats', value: floats }];
      case AttributeType.INTS: return [name, { type: 'ints', value: ints }];
      case AttributeType.STRINGS: return [name, { type: 'strings', value: strings }];
      case AttributeType.GRAPHS: return [name, { type: 'graphs', value: graphs }];
      case AttributeType.GRAPH: return [name, g ? { type: 'graph', value: g } : { type: 'other' }];
      case AttributeType.TENSOR: {
        if (!t) return [name, { type: 'other' }];
        const elemType = elemTypeName(t.dataType);
        const loc = await this.tensorData(t, tctx, this.maxInline, this.maxInline);
        return [name, { type: 'tensor', value: { elemType, dims: t.dims, values: loc.kind === 'inline' ? loc.values : null } }];
      }
      default: return [name, { type: 'other' }];
    }
  }

  // ---- TensorProto

  /** Walks a TensorProto, keeping its header and *where* its data is, never the data itself. */
  async tensor(f: Field, ctx: Ctx, nameSink?: (n: string) => void): Promise<TensorRec> {
    const t: TensorRec = { name: undefined, dataType: 0, dims: [], raw: null, typed: new Map(), external: new Map(), dataLocation: 0 };
    await this.walk(f.start, f.end, ctx, (g) => {
      switch (g.no) {
        case 1: return this.numbers(g, 0, 'int64', ctx, 'dims', t.dims);
        case 2: this.expect(g, 0, ctx, 'data_type'); t.dataType = g.value; break;
        case 8: return then(this.string(g, ctx, 'name'), (v) => { t.name = v; nameSink?.(v); });
        case 9:
          this.expect(g, 2, ctx, 'raw_data');
          // The point of the whole loader: remember where the weights are, do not read them.
          if (g.end > this.size) throw this.truncated(ctx, g.start, g.len);
          t.raw = { start: g.start, len: g.len };
          break;
        case 13:
          return then(this.decode<{ key?: string; value?: string }>(decodeStringEntry, g, ctx, 'external_data'), (e) => {
            t.external.set(e.key ?? '', e.value ?? '');
          });
        case 14: this.expect(g, 0, ctx, 'data_location'); t.dataLocation = g.value; break;
        case F_FLOAT: case F_INT32: case F_INT64: case F_DOUBLE: case F_UINT64: case F_STRING: {
          const parts = t.typed.get(g.no) ?? [];
          t.typed.set(g.no, parts);
          if (g.wt === 2) parts.push({ start: g.start, len: g.len, wt: g.no === F_FLOAT ? 5 : g.no === F_DOUBLE ? 1 : g.no === F_STRING ? 2 : 0 });
          else parts.push(g.value);
          // Unpacked scalars arrive one field each; past the inline cap we only need to know there are many.
          if (parts.length > this.maxInline + 1) parts.length = this.maxInline + 1;
          break;
        }
        default:
      }
    });
    return t;
  }

  async initializer(f: Field, graph: GraphCtx, index: number): Promise<Initializer> {
    let name: string | undefined;
    const ctx: Ctx = { describe: () => `${graph.describe()}'s initializer ${name !== undefined ? `'${name}'` : `#${index}`}` };
    const t = await this.tensor(f, ctx, (n) => { name = n; });
    const init: Initializer = { name: t.name ?? `initializer_${index}`, elemType: elemTypeName(t.dataType), dims: t.dims, location: { kind: 'none' } };
    init.location = await this.tensorData(t, ctx, this.maxInline, this.maxInlineRaw);
    if (init.location.kind === 'external') {
      this.externals.push({ label: graph.initLabel(init.name), elemType: init.elemType, dims: init.dims, location: init.location });
    }
    return init;
  }

  /** A sparse initializer is described by its dense dims; its values are not kept. */
  async sparseInitializer(f: Field, graph: GraphCtx, index: number): Promise<Initializer> {
    let name = `initializer_${index}`;
    let dataType = 0;
    const dims: number[] = [];
    const ctx: Ctx = { describe: () => `${graph.describe()}'s sparse initializer '${name}'` };
    await this.walk(f.start, f.end, ctx, (g) => {
      if (g.no === 1) {
        this.expect(g, 2, ctx, 'values');
        return this.tensor(g, ctx).then((values) => {
          if (values.name) name = values.name;
          dataType = values.dataType;
        });
      }
      if (g.no === 3) return this.numbers(g, 0, 'int64', ctx, 'dims', dims);
    });
    return { name, elemType: elemTypeName(dataType), dims, location: { kind: 'none' } };
  }

  /**
   * Where a tensor's values are: external file, raw_data (inlined when ≤ maxRaw elements), typed
   * fields (inlined when ≤ maxTyped elements), or none. Checks the data size against the dims,
   * since readInitializer would otherwise misread a mismatched tensor.
   */
  async tensorData(t: TensorRec, ctx: Ctx, maxTyped: number, maxRaw: number): Promise<DataLocation> {
    for (const d of t.dims) if (!(d >= 0) || !Number.isSafeInteger(d)) throw this.corrupt(ctx, `has an invalid dimension ${d} in dims [${t.dims.join(', ')}]`);
    const elemType = elemTypeName(t.dataType);
    const count = elementCount(t.dims);
    const expected = expectedByteLength(elemType, t.dims);
    const need = (len: number) => {
      if (expected !== null && len !== expected) throw this.corrupt(ctx, `has ${len} bytes of data but its dims [${t.dims.join(', ')}] of ${elemType} need ${expected}`);
    };
    if (t.dataLocation === OnnxDataLocation.EXTERNAL) {
      const file = t.external.get('location');
      if (!file) throw this.corrupt(ctx, "has data_location EXTERNAL but no 'location' entry");
      const num = (key: string): number | null => {
        const v = t.external.get(key);
        if (v === undefined) return null;
        if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v))) throw this.corrupt(ctx, `has an invalid external-data ${key} '${v}'`);
        return Number(v);
      };
      const length = num('length');
      if (length !== null) need(length);
      return { kind: 'external', file, offset: num('offset') ?? 0, length };
    }
    if (t.raw) {
      need(t.raw.len);
      if (count <= maxRaw) {
        const values = decodeTensorBytes(elemType, await this.c.bytes(t.raw.start, t.raw.len), count);
        if (values) return { kind: 'inline', values: toNumbers(values) };
      }
      return { kind: 'raw', offset: t.raw.start, length: t.raw.len };
    }
    const field = typedFieldFor(t.dataType);
    const parts = field === null ? undefined : t.typed.get(field);
    if (!parts || parts.length === 0) return count === 0 && expected !== null ? { kind: 'inline', values: [] } : { kind: 'none' };
    if (count <= maxTyped && field !== F_STRING) {
      const values = await this.typedValues(parts, field!, count, ctx);
      if (values.length !== count) throw this.corrupt(ctx, `has ${values.length} values but its dims [${t.dims.join(', ')}] need ${count}`);
      const converted = convertTyped(t.dataType, values);
      if (converted) return { kind: 'inline', values: converted };
      return { kind: 'none' };
    }
    // Too many to inline. float_data of a FLOAT tensor and double_data of a DOUBLE tensor, when
    // packed in one run, are byte for byte what raw_data would hold: point at them.
    const only = parts.length === 1 ? parts[0] : undefined;
    if (typeof only === 'object' && ((field === F_FLOAT && t.dataType === TensorDataType.FLOAT) || (field === F_DOUBLE && t.dataType === TensorDataType.DOUBLE))) {
      need(only.len);
      return { kind: 'raw', offset: only.start, length: only.len };
    }
    return { kind: 'none' };
  }

  /** Decodes at most count + 1 values of a typed field (one more tells us the count is wrong). */
  async typedValues(parts: TypedPart[], field: number, count: number, ctx: Ctx): Promise<number[]> {
    const out: number[] = [];
    for (const part of parts) {
      if (out.length > count) break;
      if (typeof part === 'number') { out.push(part); continue; }
      const width = part.wt === 5 ? 4 : part.wt === 1 ? 8 : 0;
      // Fixed-width runs have a known count; varint runs hold at most one value per byte.
      if ((width && part.len / width > count + 1 - out.length) || (!width && part.len > 10 * (count + 1))) {
        throw this.corrupt(ctx, `has more values than its dims need ${count}`);
      }
      const bytes = await this.c.bytes(part.start, part.len);
      const r = protobuf.Reader.create(bytes);
      try {
        while (r.pos < r.len && out.length <= count) {
          out.push(field === F_FLOAT ? r.float() : field === F_DOUBLE ? r.double() : toNum(field === F_UINT64 ? r.uint64() : r.int64()));
        }
      } catch {
        throw this.corrupt(ctx, `has packed values at offset ${part.start} that do not decode`);
      }
    }
    return out;
  }
}

/** Typed-field numbers → values of the tensor's type (bit patterns for 16-bit floats); null when not numeric. */
function convertTyped(dataType: number, values: number[]): number[] | null {
  switch (dataType) {
    case TensorDataType.FLOAT16: return values.map((v) => halfToFloat(v & 0xffff));
    case TensorDataType.BFLOAT16: return values.map((v) => bfloat16ToFloat(v & 0xffff));
    case TensorDataType.BOOL: return values.map((v) => (v ? 1 : 0));
    case TensorDataType.INT32: case TensorDataType.INT16: case TensorDataType.INT8: return values.map((v) => v | 0);
    case TensorDataType.UINT8: case TensorDataType.UINT16: return values.map((v) => v >>> 0);
    case TensorDataType.FLOAT: case TensorDataType.DOUBLE: case TensorDataType.INT64:
    case TensorDataType.UINT32: case TensorDataType.UINT64: return values;
    default: return null; // complex, float8, 4-bit, string: no plain numbers
  }
}

function tensorInfo(v: OnnxValueInfo): TensorInfo {
  const name = v.name ?? '';
  const t = v.type?.tensorType ?? v.type?.sparseTensorType;
  const shape = t?.shape
    ? t.shape.dim.map((d, i) => {
      if (d.value === 'dimValue' && d.dimValue !== undefined && d.dimValue >= 0) return d.dimValue;
      // An unnamed unknown dim gets a unique symbol, so binding it cannot bind another tensor's dims.
      return d.value === 'dimParam' && d.dimParam ? d.dimParam : `unk__${name}_${i}`;
    })
    : null;
  return { name, elemType: elemTypeName(t?.elemType ?? 0), shape };
}

/**
 * Final node names: the file's names, `<opType>_<index>` for unnamed nodes, and `_1`, `_2`…
 * suffixes for duplicates (the first keeps its name), unique within the graph.
 */
function nameNodes(
  nodes: Array<Omit<NodeIR, 'name' | 'opType'> & { name: string | undefined; opType: string | undefined }>,
  graph: GraphCtx,
  w: Walker,
): NodeIR[] {
  const explicit = new Set(nodes.map((n) => n.name).filter((n): n is string => !!n));
  const taken = new Set<string>();
  return nodes.map((n, i) => {
    if (!n.opType) {
      const which = n.name ? `node '${n.name}'` : `node #${i}`;
      throw w.invalid(`${which} of ${graph.describe()} has no op_type`);
    }
    let name = n.name || `${n.opType}_${i}`;
    if (taken.has(name) || (!n.name && explicit.has(name))) {
      let k = 1;
      while (taken.has(`${name}_${k}`) || explicit.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    taken.add(name);
    return { ...n, name, opType: n.opType };
  });
}

// ---------------------------------------------------------------------------------------------
// Entry points

async function checkExternals(w: Walker, dir: string): Promise<void> {
  const sizes = new Map<string, number | null>();
  for (const e of w.externals) {
    const { file, offset, length } = e.location;
    // ONNX's checker refuses locations outside the model's folder; so do we (a model must not read /etc/passwd).
    const normal = path.normalize(file);
    if (path.isAbsolute(file) || normal === '..' || normal.startsWith(`..${path.sep}`)) {
      throw w.invalid(`${e.label} stores its data in '${file}', outside the model's folder`);
    }
    const full = path.join(dir, normal);
    if (!sizes.has(full)) {
      const st = await fs.stat(full).catch(() => null);
      sizes.set(full, st?.isFile() ? st.size : null);
    }
    const size = sizes.get(full);
    if (size === null || size === undefined) throw w.invalid(`${e.label} stores its data in '${file}', which is missing next to the model (looked for ${full})`);
    const len = length ?? expectedByteLength(e.elemType, e.dims) ?? 0;
    if (offset + len > size) throw w.invalid(`${e.label} needs ${len} bytes at offset ${offset} of '${file}', but that file has only ${size} bytes`);
  }
}

async function load(src: ByteSource, label: string, options: LoadOptions, dir: string | null): Promise<ModelIR> {
  if (src.size === 0) throw new ApiFailure('INVALID_REQUEST', `${label} is empty (0 bytes), not an ONNX model`);
  const head = await src.read(0, Math.min(src.size, 4096));
  const other = sniffNonOnnx(head, src.size);
  if (other) throw new ApiFailure('INVALID_REQUEST', `${label} is not an ONNX model (it looks like ${other})`);
  const w = new Walker(src, label, options);
  try {
    const model = await w.model();
    if (dir !== null) await checkExternals(w, dir);
    return { source: label, fileBytes: src.size, ...model };
  } catch (e) {
    if (e instanceof ApiFailure) throw e;
    // Anything else (a stack overflow on absurd nesting, a protobufjs error we did not map) is still a bad file.
    throw new ApiFailure('INVALID_REQUEST', `${label} is not a valid ONNX model: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Loads an ONNX model's description from `file` without reading its weights. Initializers keep
 * the (offset, length) of their raw_data in the file, or their external-data location (checked
 * to exist and be long enough); read them with `readInitializer(file, init)`.
 */
export async function loadModel(file: string, options: LoadOptions = {}): Promise<ModelIR> {
  const label = options.label || path.basename(file);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiFailure('NOT_FOUND', options.label ? `${label} does not exist` : `${label} does not exist (${file})`);
    throw new ApiFailure('INVALID_REQUEST', `${label} cannot be opened: ${(e as Error).message}`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ApiFailure('INVALID_REQUEST', `${label} is not a file`);
    return await load(fileSource(handle, st.size, label), label, options, path.dirname(path.resolve(file)));
  } finally {
    await handle.close();
  }
}

/**
 * The same for a model already in memory (zoo models). `name` labels messages and becomes
 * `source`; raw offsets index `bytes` (pass the same bytes to `readInitializer`). External data is
 * checked only when `options.baseDir` says where it lives.
 */
export async function loadModelFromBytes(bytes: Uint8Array, name: string, options: LoadOptions = {}): Promise<ModelIR> {
  return load(memorySource(bytes), name, options, options.baseDir ?? null);
}
