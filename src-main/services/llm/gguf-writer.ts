/**
 * GGUF writer for offline tests (Node): a random-weight Llama-architecture decoder (optionally a
 * Mixtral-style mixture of experts) that llama.cpp loads and generates with, so the GGUF reader and
 * the LLM service can be tested without downloading a model.
 *
 * Format: GGUF v3 (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic 'GGUF',
 * u32 version, u64 tensor_count, u64 kv_count, the KV pairs (string key, u32 value type, value),
 * the tensor infos (name, u32 n_dims, u64 dims innermost-first, u32 ggml type, u64 offset into the
 * data section), padding to `general.alignment` (32), then the tensor data, each tensor aligned.
 * Block formats after ggml-quants.c (quantize_row_q8_0_ref, quantize_row_q4_0_ref): Q8_0 is
 * 32 weights as an f16 scale d = max|x|/127 and 32 int8; Q4_0 is an f16 d = max/-8 (max: the value
 * of largest magnitude, signed) and 16 bytes of nibbles q = min(15, trunc(x/d + 8.5)), the first 16
 * weights in the low nibbles, the last 16 in the high ones. 1-D tensors (norms, router) are F32.
 *
 * The tokenizer is GPT-2 style byte-level BPE ('gpt2'): the 256 byte tokens in GPT-2's
 * byte → unicode mapping, '<|endoftext|>' (bos = eos), two-character merges of common letters to
 * fill the vocab, then unreachable filler tokens.
 *
 * Weights are written streaming, one tensor row block at a time, so the file size is not bounded
 * by memory. `writeLlamaGgufHeader` writes the header only and extends the file sparsely to its
 * full size (for reader tests on multi-GB files without writing the data).
 */
import fs from 'node:fs/promises';
import { floatToHalf } from '../onnx/read-tensor.js';

export type GgufWriterQuant = 'F16' | 'Q8_0' | 'Q4_0';

export interface LlamaGgufOptions {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  vocab: number;
  context: number;
  quant: GgufWriterQuant;
  seed?: number;
  name?: string;
  /** Routed experts per layer (Mixtral-style MoE); unset or 0 for a dense FFN. */
  experts?: number;
  expertsPerToken?: number;
  /** Written as llama.attention.sliding_window (metadata only; llama.cpp's llama ignores it). */
  slidingWindow?: number;
}

/** ggml type ids (ggml.h enum ggml_type). */
const GGML_F32 = 0;
const GGML_F16 = 1;
const GGML_Q4_0 = 2;
const GGML_Q8_0 = 8;
const QUANT_TYPE: Record<GgufWriterQuant, number> = { F16: GGML_F16, Q8_0: GGML_Q8_0, Q4_0: GGML_Q4_0 };
/** llama_ftype (general.file_type): MOSTLY_F16 = 1, MOSTLY_Q4_0 = 2, MOSTLY_Q8_0 = 7. */
const FILE_TYPE: Record<GgufWriterQuant, number> = { F16: 1, Q8_0: 7, Q4_0: 2 };

/** GGUF metadata value types (gguf.md gguf_metadata_value_type). */
const VT = { U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;

const ALIGNMENT = 32;

/** Bytes one row of `n` weights takes in a ggml type. */
export function ggmlRowBytes(type: number, n: number): number {
  if (type === GGML_F32) return 4 * n;
  if (type === GGML_F16) return 2 * n;
  if (n % 32 !== 0) throw new Error(`a ${type === GGML_Q8_0 ? 'Q8_0' : 'Q4_0'} row needs a multiple of 32 weights, got ${n}`);
  return (n / 32) * (type === GGML_Q8_0 ? 34 : 18);
}

// ---------------------------------------------------------------------------------------------
// Header serialisation

type KvValue =
  | { t: 4 | 5 | 6; v: number }
  | { t: 7; v: boolean }
  | { t: 8; v: string }
  | { t: 9; of: 8; v: string[] }
  | { t: 9; of: 5 | 6; v: number[] };

class ByteWriter {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): void { this.ensure(1); this.buf.writeUInt8(v, this.length); this.length += 1; }
  u32(v: number): void { this.ensure(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  i32(v: number): void { this.ensure(4); this.buf.writeInt32LE(v, this.length); this.length += 4; }
  f32(v: number): void { this.ensure(4); this.buf.writeFloatLE(v, this.length); this.length += 4; }
  u64(v: number): void { this.ensure(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.ensure(b.length);
    b.copy(this.buf, this.length);
    this.length += b.length;
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Buffer { return this.buf.subarray(0, this.length); }
}

function writeValue(w: ByteWriter, kv: KvValue): void {
  w.u32(kv.t);
  switch (kv.t) {
    case VT.U32: w.u32(kv.v); break;
    case VT.I32: w.i32(kv.v); break;
    case VT.F32: w.f32(kv.v); break;
    case VT.BOOL: w.u8(kv.v ? 1 : 0); break;
    case VT.STRING: w.str(kv.v); break;
    case VT.ARRAY:
      w.u32(kv.of);
      w.u64(kv.v.length);
      if (kv.of === VT.STRING) for (const s of kv.v) w.str(s);
      else if (kv.of === VT.I32) for (const n of kv.v) w.i32(n);
      else for (const n of kv.v) w.f32(n);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer: GPT-2 byte-level BPE

/** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards. */
function byteToUnicode(): string[] {
  const out: string[] = new Array<string>(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    out[b] = String.fromCodePoint(printable ? b : 256 + n++);
  }
  return out;
}

/** llama_token_type: 1 normal, 3 control, 5 unused. */
function gpt2Vocab(vocab: number): { tokens: string[]; types: number[]; merges: string[]; eos: number } {
  if (vocab < 257) throw new Error(`vocab must be at least 257 (256 bytes and <|endoftext|>), got ${vocab}`);
  const bytes = byteToUnicode();
  const tokens = [...bytes, '<|endoftext|>'];
  const types = [...bytes.map(() => 1), 3];
  const merges: string[] = [];
  const space = bytes[0x20] ?? 'Ġ';
  const letters = 'etaoinshrdlcumwfgypbvkjxqz'.split('');
  const pairs: Array<[string, string]> = letters.map((c) => [space, c]);
  for (const a of letters) for (const b of letters) pairs.push([a, b]);
  for (const [a, b] of pairs) {
    if (tokens.length >= vocab) break;
    tokens.push(a + b);
    types.push(1);
    merges.push(`${a} ${b}`);
  }
  while (tokens.length < vocab) {
    tokens.push(`<|unused_${tokens.length}|>`);
    types.push(5);
  }
  return { tokens, types, merges, eos: 256 };
}

// ---------------------------------------------------------------------------------------------
// Layout

interface TensorPlan {
  name: string;
  /** Dims innermost-first (ggml order): [row length, rows, (experts)]. */
  dims: number[];
  type: number;
  offset: number;
  bytes: number;
  /** 'norm': ~1, 'weight': N(0, 0.02). */
  init: 'norm' | 'weight';
}

export interface LlamaGgufLayout {
  header: Buffer;
  tensors: TensorPlan[];
  /** Offset of the data section in the file (header length, aligned). */
  dataOffset: number;
  /** Whole file size. */
  fileBytes: number;
}

function tensorPlans(o: LlamaGgufOptions): TensorPlan[] {
  const q = QUANT_TYPE[o.quant];
  const headDim = o.hidden / o.heads;
  const kvDim = headDim * o.kvHeads;
  const out: TensorPlan[] = [];
  const add = (name: string, dims: number[], type: number, init: 'norm' | 'weight' = 'weight'): void => {
    out.push({ name, dims, type, offset: 0, bytes: 0, init });
  };
  add('token_embd.weight', [o.hidden, o.vocab], q);
  const experts = o.experts ?? 0;
  for (let l = 0; l < o.layers; l++) {
    const p = `blk.${l}.`;
    add(`${p}attn_norm.weight`, [o.hidden], GGML_F32, 'norm');
    add(`${p}attn_q.weight`, [o.hidden, o.hidden], q);
    add(`${p}attn_k.weight`, [o.hidden, kvDim], q);
    add(`${p}attn_v.weight`, [o.hidden, kvDim], q);
    add(`${p}attn_output.weight`, [o.hidden, o.hidden], q);
    add(`${p}ffn_norm.weight`, [o.hidden], GGML_F32, 'norm');
    if (experts > 0) {
      add(`${p}ffn_gate_inp.weight`, [o.hidden, experts], GGML_F32);
      add(`${p}ffn_gate_exps.weight`, [o.hidden, o.ffn, experts], q);
      add(`${p}ffn_down_exps.weight`, [o.ffn, o.hidden, experts], q);
      add(`${p}ffn_up_exps.weight`, [o.hidden, o.ffn, experts], q);
    } else {
      add(`${p}ffn_gate.weight`, [o.hidden, o.ffn], q);
      add(`${p}ffn_down.weight`, [o.ffn, o.hidden], q);
      add(`${p}ffn_up.weight`, [o.hidden, o.ffn], q);
    }
  }
  add('output_norm.weight', [o.hidden], GGML_F32, 'norm');
  add('output.weight', [o.hidden, o.vocab], q);
  let offset = 0;
  for (const t of out) {
    const rows = t.dims.slice(1).reduce((a, b) => a * b, 1);
    t.offset = offset;
    t.bytes = ggmlRowBytes(t.type, t.dims[0] ?? 0) * rows;
    offset += Math.ceil(t.bytes / ALIGNMENT) * ALIGNMENT;
  }
  return out;
}

function metadata(o: LlamaGgufOptions): Array<[string, KvValue]> {
  const headDim = o.hidden / o.heads;
  const tok = gpt2Vocab(o.vocab);
  const u32 = (v: number): KvValue => ({ t: VT.U32, v });
  const kv: Array<[string, KvValue]> = [
    ['general.architecture', { t: VT.STRING, v: 'llama' }],
    ['general.name', { t: VT.STRING, v: o.name ?? 'flopscope-test-llama' }],
    ['general.alignment', u32(ALIGNMENT)],
    ['general.file_type', u32(FILE_TYPE[o.quant])],
    ['llama.block_count', u32(o.layers)],
    ['llama.context_length', u32(o.context)],
    ['llama.embedding_length', u32(o.hidden)],
    ['llama.feed_forward_length', u32(o.ffn)],
    ['llama.attention.head_count', u32(o.heads)],
    ['llama.attention.head_count_kv', u32(o.kvHeads)],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', { t: VT.F32, v: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { t: VT.F32, v: 1e-5 }],
    ['llama.vocab_size', u32(o.vocab)],
  ];
  if ((o.experts ?? 0) > 0) {
    kv.push(['llama.expert_count', u32(o.experts ?? 0)], ['llama.expert_used_count', u32(o.expertsPerToken ?? 2)]);
  }
  if (o.slidingWindow !== undefined) kv.push(['llama.attention.sliding_window', u32(o.slidingWindow)]);
  kv.push(
    ['tokenizer.ggml.model', { t: VT.STRING, v: 'gpt2' }],
    ['tokenizer.ggml.pre', { t: VT.STRING, v: 'default' }],
    ['tokenizer.ggml.tokens', { t: VT.ARRAY, of: VT.STRING, v: tok.tokens }],
    ['tokenizer.ggml.token_type', { t: VT.ARRAY, of: VT.I32, v: tok.types }],
    ['tokenizer.ggml.merges', { t: VT.ARRAY, of: VT.STRING, v: tok.merges }],
    ['tokenizer.ggml.bos_token_id', u32(tok.eos)],
    ['tokenizer.ggml.eos_token_id', u32(tok.eos)],
    ['tokenizer.ggml.add_bos_token', { t: VT.BOOL, v: false }],
  );
  return kv;
}

function validate(o: LlamaGgufOptions): void {
  const ints: Array<[string, number]> = [['layers', o.layers], ['hidden', o.hidden], ['heads', o.heads], ['kvHeads', o.kvHeads], ['ffn', o.ffn], ['vocab', o.vocab], ['context', o.context]];
  for (const [k, v] of ints) if (!Number.isInteger(v) || v <= 0) throw new Error(`${k} must be a positive integer, got ${v}`);
  if (o.hidden % o.heads !== 0) throw new Error(`hidden (${o.hidden}) must be a multiple of heads (${o.heads})`);
  if (o.heads % o.kvHeads !== 0) throw new Error(`heads (${o.heads}) must be a multiple of kvHeads (${o.kvHeads})`);
  if (o.quant !== 'F16' && (o.hidden % 32 !== 0 || o.ffn % 32 !== 0)) throw new Error(`${o.quant} needs hidden and ffn to be multiples of 32`);
}

/** The header bytes and where each tensor's data goes, without writing anything. */
export function llamaGgufLayout(o: LlamaGgufOptions): LlamaGgufLayout {
  validate(o);
  const tensors = tensorPlans(o);
  const kv = metadata(o);
  const w = new ByteWriter();
  w.u32(0x46554747); // 'GGUF' little-endian
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, value] of kv) {
    w.str(key);
    writeValue(w, value);
  }
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(t.offset);
  }
  w.pad(ALIGNMENT);
  const last = tensors[tensors.length - 1];
  const dataBytes = last ? last.offset + last.bytes : 0;
  return { header: w.bytes(), tensors, dataOffset: w.length, fileBytes: w.length + dataBytes };
}

// ---------------------------------------------------------------------------------------------
// Weights

/** mulberry32 with Box–Muller normals. */
function normalRng(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}


/** Encodes `x` (a whole number of rows) in a ggml type into `out` at `pos`; returns the new position. */
function encode(type: number, x: Float32Array, out: Buffer, pos: number): number {
  if (type === GGML_F32) {
    for (let i = 0; i < x.length; i++, pos += 4) out.writeFloatLE(x[i] ?? 0, pos);
    return pos;
  }
  if (type === GGML_F16) {
    for (let i = 0; i < x.length; i++, pos += 2) out.writeUInt16LE(floatToHalf(x[i] ?? 0), pos);
    return pos;
  }
  for (let b = 0; b < x.length; b += 32) {
    let amax = 0;
    let max = 0;
    for (let j = 0; j < 32; j++) {
      const v = x[b + j] ?? 0;
      if (Math.abs(v) > amax) { amax = Math.abs(v); max = v; }
    }
    if (type === GGML_Q8_0) {
      const d = amax / 127;
      const id = d ? 1 / d : 0;
      out.writeUInt16LE(floatToHalf(d), pos);
      for (let j = 0; j < 32; j++) out.writeInt8(Math.max(-128, Math.min(127, roundAway((x[b + j] ?? 0) * id))), pos + 2 + j);
      pos += 34;
    } else {
      const d = max / -8;
      const id = d ? 1 / d : 0;
      out.writeUInt16LE(floatToHalf(d), pos);
      for (let j = 0; j < 16; j++) {
        const lo = Math.min(15, Math.trunc((x[b + j] ?? 0) * id + 8.5));
        const hi = Math.min(15, Math.trunc((x[b + 16 + j] ?? 0) * id + 8.5));
        out[pos + 2 + j] = (lo & 0x0f) | ((hi & 0x0f) << 4);
      }
      pos += 18;
    }
  }
  return pos;
}

/** `x` (a whole number of 32-weight blocks for the quantized types) encoded as the ggml type stores it. */
export function encodeWeights(type: 'F32' | GgufWriterQuant, x: Float32Array): Buffer {
  const id = type === 'F32' ? GGML_F32 : QUANT_TYPE[type];
  const out = Buffer.alloc(ggmlRowBytes(id, x.length));
  encode(id, x, out, 0);
  return out;
}

/** C's roundf: halves away from zero. */
function roundAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** Rows per write: about 1 MB of float input. */
function rowsPerChunk(rowLength: number): number {
  return Math.max(1, Math.floor((1 << 18) / rowLength));
}

async function writeTensor(fh: fs.FileHandle, base: number, t: TensorPlan, rand: () => number): Promise<void> {
  const rowLength = t.dims[0] ?? 0;
  const rows = t.dims.slice(1).reduce((a, b) => a * b, 1);
  const rowBytes = ggmlRowBytes(t.type, rowLength);
  const chunkRows = rowsPerChunk(rowLength);
  const x = new Float32Array(chunkRows * rowLength);
  const out = Buffer.alloc(chunkRows * rowBytes);
  for (let r = 0; r < rows; r += chunkRows) {
    const n = Math.min(chunkRows, rows - r);
    const view = x.subarray(0, n * rowLength);
    for (let i = 0; i < view.length; i++) view[i] = t.init === 'norm' ? 1 + 0.01 * rand() : 0.02 * rand();
    const end = encode(t.type, view, out, 0);
    await fh.write(out, 0, end, base + t.offset + r * rowBytes);
  }
}

/** Writes a random-weight Llama GGUF (see the file header). Returns the file size and tensor count. */
export async function writeLlamaGguf(file: string, opts: LlamaGgufOptions): Promise<{ bytes: number; tensors: number }> {
  const layout = llamaGgufLayout(opts);
  const rand = normalRng(opts.seed ?? 1);
  const fh = await fs.open(file, 'w');
  try {
    await fh.write(layout.header, 0, layout.header.length, 0);
    for (const t of layout.tensors) await writeTensor(fh, layout.dataOffset, t, rand);
    await fh.truncate(layout.fileBytes); // padding after the last tensor's data, if any
  } finally {
    await fh.close();
  }
  return { bytes: layout.fileBytes, tensors: layout.tensors.length };
}

/**
 * Writes only the header of the model `opts` describes and extends the file (sparsely, on
 * filesystems that support it) to its full size, so tensor offsets are valid without writing data.
 */
export async function writeLlamaGgufHeader(file: string, opts: LlamaGgufOptions): Promise<{ bytes: number; tensors: number; headerBytes: number }> {
  const layout = llamaGgufLayout(opts);
  const fh = await fs.open(file, 'w');
  try {
    await fh.write(layout.header, 0, layout.header.length, 0);
    await fh.truncate(layout.fileBytes);
  } finally {
    await fh.close();
  }
  return { bytes: layout.fileBytes, tensors: layout.tensors.length, headerBytes: layout.header.length };
}
