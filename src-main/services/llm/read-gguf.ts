/**
 * GGUF header reader (Node): metadata and tensor infos of a llama.cpp model file without reading
 * its weights, so a 40 GB file costs a few MB of reads and milliseconds.
 *
 * Format: GGUF (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md), versions 2 and 3
 * (v1, with 32-bit counts, predates August 2023 and llama.cpp no longer loads it): magic 'GGUF',
 * u32 version, u64 tensor_count, u64 kv_count, the KV pairs, the tensor infos (name, u32 n_dims,
 * u64 dims innermost-first, u32 ggml type, u64 offset into the data section), then the data
 * section at the next multiple of general.alignment (default 32). Tensor storage per ggml type is
 * src-shared/llm/quant.ts (ggml-common.h block sizes).
 *
 * Why not @huggingface/gguf (installed, 0.4.6): on the header of a 40 GB Llama-3-70B-shaped file
 * (3.7 MB, 128k tokens; read-gguf.test.ts) it takes ~390 ms against ~21 ms here, on one machine;
 * its local-file reader materialises every array element (a 256k-token vocabulary and its merges
 * become half a million JS strings), throws plain Errors that do not say which key or tensor was
 * cut off (a truncated value is retried by re-fetching chunks, then reported as "Exceeded maximum
 * chunk fetches"), and checks neither ggml type ids nor tensor data against the file size. This reader walks the header through a file
 * handle in 1 MB windows, skips the contents of long arrays (keeping their length), and reports
 * every failure as ApiFailure('INVALID_REQUEST') naming the file and the key or tensor.
 *
 * Arrays up to SMALL_ARRAY elements (per-layer head counts, sliding-window patterns) are kept
 * whole; longer ones (tokenizer.ggml.tokens, .merges, .scores, .token_type) become a
 * GgufArraySummary { kind: 'array', itemType, length }.
 */
import type fs from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { GGML_TYPES, type GgmlTypeInfo } from '../../../src-shared/llm/quant.js';
import { openFile } from './read-config.js';

/** Arrays with more elements than this are summarised, not kept. */
export const SMALL_ARRAY = 4096;

/** A long metadata array, kept as its element type and length. */
export interface GgufArraySummary {
  kind: 'array';
  itemType: string;
  length: number;
}

export interface GgufTensor {
  name: string;
  /** Dims innermost-first (ggml ne order), as stored. */
  shape: number[];
  /** ggml type name ('Q4_K', 'F16', …). */
  type: string;
  /** Absolute offset of the tensor's data in the file. */
  offset: number;
  /** Bytes of the tensor's data. */
  bytes: number;
}

export interface GgufHeader {
  version: number;
  metadata: Record<string, unknown>;
  tensors: GgufTensor[];
  fileBytes: number;
  /** Offset of the data section (end of the header, aligned). */
  dataOffset: number;
  /** Sum of the tensors' bytes. */
  tensorDataBytes: number;
}

export function isGgufArraySummary(v: unknown): v is GgufArraySummary {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'array' && typeof (v as { length?: unknown }).length === 'number';
}

/** Element count of a metadata array, whole or summarised; null for anything else. */
export function ggufArrayLength(v: unknown): number | null {
  if (Array.isArray(v)) return v.length;
  return isGgufArraySummary(v) ? v.length : null;
}

const WINDOW = 1 << 20;
const MAX_DIMS = 4; // GGML_MAX_DIMS
const MAX_ARRAY_DEPTH = 4;
const VALUE_TYPES = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'array', 'u64', 'i64', 'f64'] as const;
/** Fixed sizes of the scalar value types, by type id (0 for string and array). */
const SCALAR_BYTES = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8];
const TYPE_BY_ID = new Map<number, GgmlTypeInfo>(GGML_TYPES.map((t) => [t.id, t]));

function fail(file: string, what: string): never {
  throw new ApiFailure('INVALID_REQUEST', `${path.basename(file)} is not a valid GGUF file: ${what}`);
}

/** Reads a file through a window; positions are absolute. `where` names the field for errors. */
class Cursor {
  pos = 0;
  private win = Buffer.alloc(0);
  private winStart = 0;
  where = 'the header';
  constructor(
    private readonly fh: fs.FileHandle,
    readonly size: number,
    readonly file: string,
  ) {}

  /** Ensures `n` bytes at pos are in the window; fails as truncated when the file ends first. */
  async need(n: number): Promise<void> {
    if (this.pos >= this.winStart && this.pos + n <= this.winStart + this.win.length) return;
    if (this.pos + n > this.size) {
      fail(this.file, `${this.where} runs past the end of the file (needs bytes ${this.pos}–${this.pos + n}, the file has ${this.size}); the file is truncated or corrupt`);
    }
    const len = Math.min(Math.max(n, WINDOW), this.size - this.pos);
    const buf = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const { bytesRead } = await this.fh.read(buf, done, len - done, this.pos + done);
      if (bytesRead === 0) fail(this.file, `the file shrank while it was being read (expected ${this.size} bytes)`);
      done += bytesRead;
    }
    this.win = buf;
    this.winStart = this.pos;
  }

  /** True when n bytes at pos are already in the window (the synchronous fast path). */
  has(n: number): boolean {
    return this.pos >= this.winStart && this.pos + n <= this.winStart + this.win.length;
  }

  private at(n: number): number {
    const o = this.pos - this.winStart;
    this.pos += n;
    return o;
  }

  u8(): number { return this.win.readUInt8(this.at(1)); }
  i8(): number { return this.win.readInt8(this.at(1)); }
  u16(): number { return this.win.readUInt16LE(this.at(2)); }
  i16(): number { return this.win.readInt16LE(this.at(2)); }
  u32(): number { return this.win.readUInt32LE(this.at(4)); }
  i32(): number { return this.win.readInt32LE(this.at(4)); }
  f32(): number { return this.win.readFloatLE(this.at(4)); }
  f64(): number { return this.win.readDoubleLE(this.at(8)); }
  u64(): bigint { return this.win.readBigUInt64LE(this.at(8)); }
  i64(): bigint { return this.win.readBigInt64LE(this.at(8)); }
  text(n: number): string { const o = this.at(n); return this.win.toString('utf8', o, o + n); }

  /** A u64 that must fit a JS number (lengths, counts, dims). */
  async size64(what: string): Promise<number> {
    await this.need(8);
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(this.file, `${what} is ${v}, beyond any real file`);
    return Number(v);
  }

  /** A GGUF string: u64 length, then UTF-8 bytes. */
  async string(what: string): Promise<string> {
    const n = await this.size64(`the length of ${what}`);
    if (this.pos + n > this.size) fail(this.file, `${what} (${n} bytes at byte ${this.pos}) runs past the end of the file (${this.size} bytes)`);
    await this.need(n);
    return this.text(n);
  }

  /** Skips a GGUF string, reading only its length. */
  async skipString(what: string): Promise<void> {
    const n = await this.size64(`the length of ${what}`);
    if (this.pos + n > this.size) fail(this.file, `${what} (${n} bytes at byte ${this.pos}) runs past the end of the file (${this.size} bytes)`);
    this.pos += n;
  }
}

/** What a non-GGUF file looks like, from its first bytes, for the bad-magic message. */
export function describeNonGguf(head: Buffer, size: number): string {
  if (size === 0) return 'the file is empty';
  const ascii = head.toString('latin1', 0, 4);
  if (ascii === 'FUGG') return 'it is a big-endian GGUF file, which is not supported';
  if (ascii === 'lmgg' || ascii === 'fmgg' || ascii === 'tjgg') return `it is a legacy GGML/GGJT file ('${ascii.split('').reverse().join('')}' magic), from before GGUF; convert it with llama.cpp's convert scripts`;
  if (head.length >= 9) {
    const n = head.readBigUInt64LE(0);
    if (n > 0n && n < BigInt(size) && head[8] === 0x7b) return 'it looks like a .safetensors file (an 8-byte header length then JSON)';
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'it is a ZIP archive (a PyTorch .pt/.bin checkpoint?)';
  if (head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5) return 'it is a Python pickle (an old PyTorch checkpoint?)';
  if (head[0] === 0x08 && (head[1] ?? 0x80) < 0x80) return 'it looks like an ONNX model (a protobuf starting with ir_version)';
  const first = head.toString('utf8').trimStart()[0];
  if (first === '{' || first === '[') return 'it is JSON text (a config.json or a safetensors index?)';
  return `it starts with bytes ${[...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, not the magic 'GGUF'`;
}

async function readValue(c: Cursor, type: number, key: string, depth: number): Promise<unknown> {
  if (type === 8) return c.string(`the value of ${key}`);
  if (type === 9) return readArray(c, key, depth);
  const bytes = SCALAR_BYTES[type];
  if (bytes === undefined || bytes === 0) fail(c.file, `${key} has unknown value type ${type} at byte ${c.pos - 4}`);
  await c.need(bytes);
  switch (type) {
    case 0: return c.u8();
    case 1: return c.i8();
    case 2: return c.u16();
    case 3: return c.i16();
    case 4: return c.u32();
    case 5: return c.i32();
    case 6: return c.f32();
    case 7: return c.u8() !== 0;
    case 10: return safeNumber(c.u64());
    case 11: return safeNumber(c.i64());
    default: return c.f64();
  }
}

function safeNumber(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

/** An array value: u32 item type, u64 length, items. Kept whole when short, else summarised. */
async function readArray(c: Cursor, key: string, depth: number): Promise<unknown> {
  if (depth >= MAX_ARRAY_DEPTH) fail(c.file, `${key} nests arrays more than ${MAX_ARRAY_DEPTH} deep`);
  await c.need(4);
  const itemType = c.u32();
  const itemName = VALUE_TYPES[itemType];
  if (itemName === undefined) fail(c.file, `${key} is an array of unknown value type ${itemType} (byte ${c.pos - 4})`);
  const length = await c.size64(`the length of ${key}`);
  const itemBytes = SCALAR_BYTES[itemType] ?? 0;
  // Every item takes at least 1 byte (a string 8, an array 12), so a length beyond the file is corrupt.
  const minItem = itemType === 8 ? 8 : itemType === 9 ? 12 : itemBytes;
  if (length * minItem > c.size - c.pos) {
    fail(c.file, `${key} claims ${length} items, more than the rest of the file (${c.size - c.pos} bytes) can hold`);
  }
  c.where = `the value of ${key}`;
  if (length <= SMALL_ARRAY) {
    const out: unknown[] = [];
    for (let i = 0; i < length; i++) out.push(await readValue(c, itemType, `${key}[${i}]`, depth + 1));
    return out;
  }
  if (itemBytes > 0) {
    c.pos += length * itemBytes;
  } else {
    for (let i = 0; i < length; i++) {
      if (itemType === 8) {
        // The fast path: the length is in the window; only its bytes are skipped.
        if (c.has(8)) {
          const n = Number(c.u64());
          if (c.pos + n > c.size) fail(c.file, `${key}[${i}] (${n} bytes at byte ${c.pos}) runs past the end of the file (${c.size} bytes)`);
          c.pos += n;
        } else {
          await c.skipString(`${key}[${i}]`);
        }
      } else {
        await readArray(c, `${key}[${i}]`, depth + 1);
      }
    }
  }
  return { kind: 'array', itemType: itemName, length } satisfies GgufArraySummary;
}

async function readPreamble(c: Cursor): Promise<{ version: number; tensorCount: number; kvCount: number }> {
  const headBytes = Math.min(c.size, 24);
  await c.need(headBytes);
  const head = Buffer.alloc(headBytes);
  for (let i = 0; i < headBytes; i++) head[i] = c.u8();
  c.pos = 0;
  if (head.toString('latin1', 0, 4) !== 'GGUF') fail(c.file, `bad magic: ${describeNonGguf(head, c.size)}`);
  c.where = 'the GGUF preamble (magic, version, tensor and KV counts)';
  await c.need(24);
  c.pos = 4;
  const version = c.u32();
  if (version !== 2 && version !== 3) {
    const why = version === 1 ? ' (GGUF v1, with 32-bit counts, is no longer loaded by llama.cpp; re-convert the model)' : '';
    fail(c.file, `unsupported GGUF version ${version}${why}; versions 2 and 3 are read`);
  }
  const tensorCount = await c.size64('tensor_count');
  const kvCount = await c.size64('kv_count');
  // A KV pair takes ≥ 13 bytes (8-byte key length, 4-byte value type, a 1-byte value); a tensor
  // info ≥ 32 (8-byte name length, n_dims, one 8-byte dim, type, 8-byte offset).
  if (kvCount * 13 > c.size - 24) fail(c.file, `kv_count is ${kvCount}, more KV pairs than the file (${c.size} bytes) can hold`);
  if (tensorCount * 32 > c.size - 24) fail(c.file, `tensor_count is ${tensorCount}, more tensor infos than the file (${c.size} bytes) can hold`);
  return { version, tensorCount, kvCount };
}

async function readMetadata(c: Cursor, kvCount: number): Promise<Record<string, unknown>> {
  const metadata: Record<string, unknown> = {};
  for (let i = 0; i < kvCount; i++) {
    c.where = `KV pair ${i} of ${kvCount}`;
    const key = await c.string(`the key of KV pair ${i}`);
    c.where = `the value of ${key}`;
    await c.need(4);
    const type = c.u32();
    if (VALUE_TYPES[type] === undefined) fail(c.file, `${key} has unknown value type ${type} (byte ${c.pos - 4})`);
    metadata[key] = await readValue(c, type, key, 0);
  }
  return metadata;
}

interface RawTensor { name: string; shape: number[]; info: GgmlTypeInfo; relOffset: number }

async function readTensorInfo(c: Cursor, i: number, count: number): Promise<RawTensor> {
  c.where = `tensor info ${i} of ${count}`;
  const name = await c.string(`the name of tensor ${i}`);
  c.where = `the info of tensor ${name}`;
  await c.need(4);
  const nDims = c.u32();
  if (nDims < 1 || nDims > MAX_DIMS) fail(c.file, `tensor ${name} has ${nDims} dimensions (ggml allows 1 to ${MAX_DIMS})`);
  const shape: number[] = [];
  for (let d = 0; d < nDims; d++) shape.push(await c.size64(`dimension ${d} of tensor ${name}`));
  await c.need(4);
  const typeId = c.u32();
  const info = TYPE_BY_ID.get(typeId);
  if (!info) fail(c.file, `tensor ${name} has unknown ggml type id ${typeId} (known: ${GGML_TYPES.map((t) => `${t.id} ${t.name}`).join(', ')})`);
  const relOffset = await c.size64(`the data offset of tensor ${name}`);
  return { name, shape, info, relOffset };
}

function tensorBytesOf(c: Cursor, t: RawTensor): number {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  const row = t.shape[0] ?? 0;
  if (!Number.isSafeInteger(elements)) fail(c.file, `tensor ${t.name} has shape [${t.shape.join(', ')}], too many elements`);
  if (row % t.info.blockSize !== 0) {
    fail(c.file, `tensor ${t.name} (${t.info.name}) has rows of ${row} elements, not a multiple of the ${t.info.name} block size ${t.info.blockSize}`);
  }
  return (elements / t.info.blockSize) * t.info.blockBytes;
}

function alignmentOf(file: string, metadata: Record<string, unknown>): number {
  const a = metadata['general.alignment'];
  if (a === undefined) return 32;
  if (typeof a !== 'number' || !Number.isInteger(a) || a <= 0 || (a & (a - 1)) !== 0) {
    fail(file, `general.alignment is ${String(a)}, not a power of two`);
  }
  return a;
}

/** Reads a GGUF file's header (see the file comment). Errors: ApiFailure INVALID_REQUEST. */
export async function readGgufHeader(file: string): Promise<GgufHeader> {
  const fh = await openFile(file);
  try {
    const size = (await fh.stat()).size;
    const c = new Cursor(fh, size, file);
    const { version, tensorCount, kvCount } = await readPreamble(c);
    const metadata = await readMetadata(c, kvCount);
    const raw: RawTensor[] = [];
    for (let i = 0; i < tensorCount; i++) raw.push(await readTensorInfo(c, i, tensorCount));
    const alignment = alignmentOf(file, metadata);
    const dataOffset = Math.ceil(c.pos / alignment) * alignment;
    const seen = new Set<string>();
    let tensorDataBytes = 0;
    const tensors = raw.map((t): GgufTensor => {
      if (seen.has(t.name)) fail(file, `tensor ${t.name} appears twice`);
      seen.add(t.name);
      if (t.relOffset % alignment !== 0) fail(file, `tensor ${t.name} has data offset ${t.relOffset}, not a multiple of general.alignment (${alignment})`);
      const bytes = tensorBytesOf(c, t);
      const offset = dataOffset + t.relOffset;
      if (offset + bytes > size) {
        fail(file, `the data of tensor ${t.name} (${bytes} bytes at byte ${offset}) ends at byte ${offset + bytes}, past the end of the file (${size} bytes); the file is truncated`);
      }
      tensorDataBytes += bytes;
      return { name: t.name, shape: t.shape, type: t.info.name, offset, bytes };
    });
    return { version, metadata, tensors, fileBytes: size, dataOffset, tensorDataBytes };
  } finally {
    await fh.close();
  }
}
