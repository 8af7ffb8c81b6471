/**
 * safetensors header reader (Node): tensor names, dtypes, shapes and sizes of a .safetensors file,
 * or of every shard a model.safetensors.index.json names, reading only the headers.
 *
 * Format (https://huggingface.co/docs/safetensors/index, "Format"; the Rust crate's
 * `Metadata::validate`): an 8-byte little-endian u64 N, N bytes of UTF-8 JSON
 * { "__metadata__"?: { string: string }, "<tensor>": { "dtype", "shape", "data_offsets": [begin, end] } },
 * then the byte buffer; offsets are relative to the buffer, which the tensors must cover without
 * holes or overlaps. The sharded index (transformers' save_pretrained with max_shard_size) is
 * { "metadata": { "total_size" }, "weight_map": { "<tensor>": "<shard file>" } } with the shards in
 * the same folder.
 *
 * Every failure is ApiFailure('INVALID_REQUEST') naming the file and the tensor or field.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { openFile, parseJsonNamed } from './read-config.js';

/** Largest header read (the Rust crate's MAX_HEADER_SIZE is 100 000 000). */
export const MAX_HEADER_BYTES = 100_000_000;
/** Largest index file read. */
const MAX_INDEX_BYTES = 100_000_000;

/** Bits per element of each safetensors dtype (the Rust crate's Dtype::bitsize). */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, I64: 64, U64: 64, F64: 64,
};

export interface SafetensorsTensor {
  name: string;
  dtype: string;
  shape: number[];
  /** Elements (the product of the shape). */
  elements: number;
  bytes: number;
  /** Absolute offset of the tensor's data in its file. */
  offset: number;
  /** The file (shard) holding it, a base name. */
  file: string;
}

export interface SafetensorsShard {
  file: string;
  fileBytes: number;
  /** 8 + N: where the byte buffer starts. */
  headerBytes: number;
}

export interface SafetensorsModel {
  /** The file read: a .safetensors or an index. */
  file: string;
  kind: 'single' | 'index';
  /** __metadata__ of a single file; `metadata` of an index. */
  metadata: Record<string, unknown>;
  shards: SafetensorsShard[];
  tensors: SafetensorsTensor[];
  /** Total elements of all tensors. */
  parameters: number;
  /** Total bytes of all tensors. */
  bytes: number;
  /** Elements per dtype. */
  parametersByDtype: Record<string, number>;
}

function failFile(file: string, what: string): never {
  throw new ApiFailure('INVALID_REQUEST', `${path.basename(file)} is not a valid safetensors file: ${what}`);
}

function failIndex(file: string, what: string): never {
  throw new ApiFailure('INVALID_REQUEST', `${path.basename(file)} is not a valid safetensors index: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readExactly(fh: fs.FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

/** One tensor entry checked against the dtype table and the buffer. */
function checkTensor(file: string, name: string, entry: unknown, bufferBytes: number, headerBytes: number): SafetensorsTensor {
  if (!isRecord(entry)) failFile(file, `tensor ${name}: expected an object with dtype, shape and data_offsets, got ${JSON.stringify(entry)}`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') failFile(file, `tensor ${name}: dtype is ${JSON.stringify(dtype)}, not a string`);
  const bits = SAFETENSORS_DTYPE_BITS[dtype];
  if (bits === undefined) failFile(file, `tensor ${name}: unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(SAFETENSORS_DTYPE_BITS).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every((d): d is number => Number.isSafeInteger(d) && d >= 0)) {
    failFile(file, `tensor ${name}: shape ${JSON.stringify(shape)} is not a list of whole numbers ≥ 0`);
  }
  const elements = shape.reduce((a: number, b: number) => a * b, 1);
  if (!Number.isSafeInteger(elements) || (elements * bits) % 8 !== 0) failFile(file, `tensor ${name}: shape [${shape.join(', ')}] of ${dtype} is not a whole number of bytes`);
  const bytes = (elements * bits) / 8;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o): o is number => Number.isSafeInteger(o) && o >= 0)) {
    failFile(file, `tensor ${name}: data_offsets ${JSON.stringify(offsets)} is not a pair [begin, end] of whole numbers`);
  }
  const [begin = 0, end = 0] = offsets;
  if (end < begin || end - begin !== bytes) {
    failFile(file, `tensor ${name}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but shape [${shape.join(', ')}] of ${dtype} needs ${bytes}`);
  }
  if (end > bufferBytes) {
    failFile(file, `tensor ${name}: data_offsets [${begin}, ${end}] end past the data in the file (${bufferBytes} bytes after the header); the file is truncated`);
  }
  return { name, dtype, shape, elements, bytes, offset: headerBytes + begin, file: path.basename(file) };
}

/** The tensors must tile the buffer [0, end of the last) with no holes or overlaps, as the Rust crate requires. */
function checkTiling(file: string, tensors: SafetensorsTensor[], headerBytes: number, bufferBytes: number): void {
  const sorted = [...tensors].sort((a, b) => a.offset - b.offset || a.bytes - b.bytes);
  let expected = headerBytes;
  for (const t of sorted) {
    if (t.offset !== expected) {
      const what = t.offset < expected ? 'overlaps the tensor before it' : `leaves a hole of ${t.offset - expected} bytes before it`;
      failFile(file, `tensor ${t.name} at data_offsets [${t.offset - headerBytes}, ${t.offset - headerBytes + t.bytes}] ${what}`);
    }
    expected += t.bytes;
  }
  if (expected - headerBytes < bufferBytes) {
    failFile(file, `the tensors cover ${expected - headerBytes} bytes of data, but the file holds ${bufferBytes} after the header`);
  }
}

/** Reads one .safetensors header. */
async function readShard(file: string): Promise<{ shard: SafetensorsShard; metadata: Record<string, unknown>; tensors: SafetensorsTensor[] }> {
  const fh = await openFile(file);
  try {
    const fileBytes = (await fh.stat()).size;
    const head = await readExactly(fh, 8, 0);
    if (head.length < 8) failFile(file, `it is ${fileBytes} bytes, shorter than the 8-byte header length`);
    if (head.toString('latin1', 0, 4) === 'GGUF') failFile(file, 'it is a GGUF file (magic "GGUF"); open it as GGUF');
    const n = head.readBigUInt64LE(0);
    if (n > BigInt(MAX_HEADER_BYTES)) failFile(file, `the header length is ${n} bytes, more than the ${MAX_HEADER_BYTES} allowed`);
    if (8n + n > BigInt(fileBytes)) failFile(file, `the header length is ${n} bytes, past the end of the file (${fileBytes} bytes)`);
    const headerBytes = 8 + Number(n);
    const text = (await readExactly(fh, Number(n), 8)).toString('utf8');
    if (!text.trimStart().startsWith('{')) failFile(file, 'the header is not a JSON object');
    const json = parseJsonNamed(text, `${path.basename(file)}'s header`);
    if (!isRecord(json)) failFile(file, 'the header is not a JSON object');
    const bufferBytes = fileBytes - headerBytes;
    const tensors: SafetensorsTensor[] = [];
    let metadata: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(json)) {
      if (name === '__metadata__') {
        if (!isRecord(entry) || !Object.values(entry).every((v) => typeof v === 'string')) failFile(file, '__metadata__ must be an object of strings');
        metadata = entry;
      } else {
        tensors.push(checkTensor(file, name, entry, bufferBytes, headerBytes));
      }
    }
    checkTiling(file, tensors, headerBytes, bufferBytes);
    return { shard: { file: path.basename(file), fileBytes, headerBytes }, metadata, tensors };
  } finally {
    await fh.close();
  }
}

/** Reads and checks an index's JSON: metadata and weight_map. */
async function readIndexJson(file: string): Promise<{ metadata: Record<string, unknown>; weightMap: Map<string, string> }> {
  const fh = await openFile(file);
  let text: string;
  try {
    const size = (await fh.stat()).size;
    if (size > MAX_INDEX_BYTES) failIndex(file, `it is ${size} bytes, more than the ${MAX_INDEX_BYTES} allowed`);
    text = (await fh.readFile()).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await fh.close();
  }
  const json = parseJsonNamed(text, path.basename(file));
  if (!isRecord(json)) failIndex(file, 'not a JSON object');
  const meta = json.metadata ?? {};
  if (!isRecord(meta)) failIndex(file, `metadata is ${JSON.stringify(meta)}, not an object`);
  if (meta.total_size !== undefined && !(typeof meta.total_size === 'number' && Number.isSafeInteger(meta.total_size) && meta.total_size >= 0)) {
    failIndex(file, `metadata.total_size is ${JSON.stringify(meta.total_size)}, not a whole number of bytes`);
  }
  if (!isRecord(json.weight_map)) failIndex(file, 'weight_map is missing or not an object');
  const weightMap = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(json.weight_map)) {
    if (typeof shard !== 'string' || shard === '') failIndex(file, `weight_map.${tensor} is ${JSON.stringify(shard)}, not a file name`);
    if (path.isAbsolute(shard) || shard.split(/[\\/]/).includes('..')) failIndex(file, `weight_map.${tensor} names ${shard}, outside the index's folder`);
    weightMap.set(tensor, shard);
  }
  if (weightMap.size === 0) failIndex(file, 'weight_map is empty');
  return { metadata: meta, weightMap };
}

async function readIndex(file: string): Promise<Omit<SafetensorsModel, 'parameters' | 'bytes' | 'parametersByDtype'>> {
  const { metadata, weightMap } = await readIndexJson(file);
  const dir = path.dirname(file);
  const shardNames = [...new Set(weightMap.values())];
  const shards = await Promise.all(
    shardNames.map(async (name) => {
      const shardPath = path.join(dir, name);
      try {
        await fs.access(shardPath);
      } catch {
        failIndex(file, `shard ${name} (named by weight_map) is missing from ${dir}`);
      }
      return readShard(shardPath);
    }),
  );
  const byShard = new Map(shards.map((s, i) => [shardNames[i], new Map(s.tensors.map((t) => [t.name, t]))]));
  const tensors: SafetensorsTensor[] = [];
  for (const [tensor, shard] of weightMap) {
    const t = byShard.get(shard)?.get(tensor);
    if (!t) failIndex(file, `tensor ${tensor} is mapped to ${shard}, which does not hold it`);
    tensors.push(t);
  }
  return { file, kind: 'index', metadata, shards: shards.map((s) => s.shard), tensors };
}

/**
 * Reads a .safetensors file's header, or every shard header of a model.safetensors.index.json
 * (recognised by a .json name). Tensors of an index are those its weight_map lists.
 */
export async function readSafetensors(file: string): Promise<SafetensorsModel> {
  const base = file.toLowerCase().endsWith('.json')
    ? await readIndex(file)
    : await readShard(file).then((s): Omit<SafetensorsModel, 'parameters' | 'bytes' | 'parametersByDtype'> => ({
        file, kind: 'single', metadata: s.metadata, shards: [s.shard], tensors: s.tensors,
      }));
  let parameters = 0;
  let bytes = 0;
  const parametersByDtype: Record<string, number> = {};
  for (const t of base.tensors) {
    parameters += t.elements;
    bytes += t.bytes;
    parametersByDtype[t.dtype] = (parametersByDtype[t.dtype] ?? 0) + t.elements;
  }
  return { ...base, parameters, bytes, parametersByDtype };
}
