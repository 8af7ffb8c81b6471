// The GGUF header reader: files from the writer (cross-checked with @huggingface/gguf), a sparse
// 40 GB file read in milliseconds, and a clear message for each kind of bad input.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gguf } from '@huggingface/gguf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { tempDir } from '../../testing/fixtures.js';
import { llamaGgufLayout, writeLlamaGguf, writeLlamaGgufHeader, type LlamaGgufOptions } from './gguf-writer.js';
import { ggufArrayLength, readGgufHeader } from './read-gguf.js';

const TINY: LlamaGgufOptions = { layers: 2, hidden: 64, heads: 4, kvHeads: 2, ffn: 128, vocab: 512, context: 256, quant: 'Q4_0' };

let dir = '';
beforeAll(() => { dir = tempDir('flopscope-read-gguf-'); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** A hand-built GGUF header: KV values are u32 unless given as [type, bytes]. */
function craft(o: {
  magic?: string; version?: number; tensorCount?: bigint; kvCount?: bigint;
  kvs?: Array<[string, number, Buffer]>;
  tensors?: Array<{ name: string; dims: number[]; type: number; offset: number }>;
  dataBytes?: number;
}): Buffer {
  const parts: Buffer[] = [];
  const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const u64 = (v: bigint | number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
  const str = (s: string): Buffer => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  const kvs = o.kvs ?? [['general.architecture', 8, str('llama')]];
  const tensors = o.tensors ?? [];
  parts.push(Buffer.from(o.magic ?? 'GGUF', 'latin1'), u32(o.version ?? 3), u64(o.tensorCount ?? BigInt(tensors.length)), u64(o.kvCount ?? BigInt(kvs.length)));
  for (const [k, t, v] of kvs) parts.push(str(k), u32(t), v);
  for (const t of tensors) parts.push(str(t.name), u32(t.dims.length), ...t.dims.map((d) => u64(d)), u32(t.type), u64(t.offset));
  let header = Buffer.concat(parts);
  header = Buffer.concat([header, Buffer.alloc((32 - (header.length % 32)) % 32)]);
  return Buffer.concat([header, Buffer.alloc(o.dataBytes ?? 0)]);
}

async function failure(file: string): Promise<string> {
  try {
    await readGgufHeader(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    if (e instanceof ApiFailure) {
      expect(e.code).toBe('INVALID_REQUEST');
      return e.message;
    }
  }
  throw new Error(`${file} was read without an error`);
}

function put(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('readGgufHeader on written files', () => {
  it.each(['F16', 'Q8_0', 'Q4_0'] as const)('%s: metadata, tensor types, sizes and offsets', async (quant) => {
    const file = path.join(dir, `m-${quant}.gguf`);
    const written = await writeLlamaGguf(file, { ...TINY, quant });
    const h = await readGgufHeader(file);
    expect(h.version).toBe(3);
    expect(h.fileBytes).toBe(written.bytes);
    expect(h.dataOffset).toBe(llamaGgufLayout({ ...TINY, quant }).dataOffset);
    expect(h.metadata['general.architecture']).toBe('llama');
    expect(h.metadata['llama.block_count']).toBe(2);
    expect(h.metadata['llama.attention.head_count_kv']).toBe(2);
    expect(h.metadata['llama.rope.freq_base']).toBe(10000);
    expect(h.metadata['tokenizer.ggml.add_bos_token']).toBe(false);
    expect(ggufArrayLength(h.metadata['tokenizer.ggml.tokens'])).toBe(512);
    expect(h.tensors).toHaveLength(written.tensors);
    const embd = h.tensors.find((t) => t.name === 'token_embd.weight');
    expect(embd).toMatchObject({ shape: [64, 512], type: quant, bytes: { F16: 2, Q8_0: 34 / 32, Q4_0: 18 / 32 }[quant] * 64 * 512 });
    expect(h.tensors.find((t) => t.name === 'blk.1.ffn_norm.weight')).toMatchObject({ shape: [64], type: 'F32', bytes: 256 });
    for (const t of h.tensors) expect(t.offset % 32).toBe(0);
    // The writer's tensors are contiguous, each a multiple of 32 bytes: data fills the file exactly.
    expect(h.dataOffset + h.tensorDataBytes).toBe(h.fileBytes);
  });

  it('agrees with @huggingface/gguf on tensor names, shapes, types and metadata', async () => {
    const file = path.join(dir, 'cross.gguf');
    await writeLlamaGguf(file, { ...TINY, quant: 'Q8_0', experts: 4, expertsPerToken: 2 });
    const mine = await readGgufHeader(file);
    const theirs = await gguf(file, { allowLocalFile: true });
    expect(mine.tensors.map((t) => [t.name, t.shape])).toEqual(theirs.tensorInfos.map((t) => [t.name, t.shape.map(Number)]));
    expect(mine.tensors.map((t) => t.offset)).toEqual(theirs.tensorInfos.map((t) => Number(theirs.tensorDataOffset + t.offset)));
    expect(mine.tensors.find((t) => t.name === 'blk.0.ffn_up_exps.weight')?.shape).toEqual([64, 128, 4]);
    const meta = new Map<string, unknown>(Object.entries(theirs.metadata));
    for (const key of ['llama.expert_count', 'llama.context_length', 'general.name', 'tokenizer.ggml.model']) expect(mine.metadata[key]).toEqual(meta.get(key));
  });
});

describe('readGgufHeader on a sparse 40 GB file', () => {
  it('reads the header in milliseconds without holding the vocabulary', async () => {
    // Llama-3-70B's shape at Q4_0: 80 layers, a 128256-token vocabulary.
    const o: LlamaGgufOptions = { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256, context: 8192, quant: 'Q4_0' };
    const file = path.join(dir, 'big.gguf');
    const w = await writeLlamaGgufHeader(file, o);
    expect(w.bytes).toBeGreaterThan(38e9);
    await readGgufHeader(file); // warm the page cache and the JIT
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const h = await readGgufHeader(file);
    const ms = performance.now() - t0;
    const allocated = process.memoryUsage().heapUsed - heapBefore; // an upper bound unless a GC ran
    gc();
    const retained = process.memoryUsage().heapUsed - heapBefore;
    console.log(`sparse ${(w.bytes / 1e9).toFixed(1)} GB GGUF (header ${(w.headerBytes / 1e6).toFixed(2)} MB, ${h.tensors.length} tensors): header read in ${ms.toFixed(1)} ms, heap +${(allocated / 1e6).toFixed(1)} MB during, ${(retained / 1e6).toFixed(1)} MB retained`);
    expect(ms).toBeLessThan(1000);
    expect(allocated).toBeLessThan(50e6);
    expect(retained).toBeLessThan(5e6);
    expect(h.fileBytes).toBe(w.bytes);
    expect(h.tensors).toHaveLength(w.tensors);
    expect(h.metadata['tokenizer.ggml.tokens']).toEqual({ kind: 'array', itemType: 'string', length: 128256 });
    expect(h.metadata['tokenizer.ggml.token_type']).toEqual({ kind: 'array', itemType: 'i32', length: 128256 });
    expect(h.tensors.find((t) => t.name === 'blk.79.ffn_down.weight')).toMatchObject({ shape: [28672, 8192], type: 'Q4_0', bytes: (28672 * 8192 * 18) / 32 });
  });
});

describe('readGgufHeader errors', () => {
  it('bad magic, saying what the file looks like', async () => {
    const st = Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{}'), Buffer.alloc(16)]);
    expect(await failure(put('model.safetensors', st))).toMatch(/model\.safetensors is not a valid GGUF file: bad magic: .*safetensors/);
    expect(await failure(put('model.onnx', Buffer.from([0x08, 0x07, 0x12, 0x07, 0x70, 0x79, 0x74, 0x6f, 0x72, 0x63, 0x68])))).toMatch(/ONNX/);
    expect(await failure(put('empty.gguf', Buffer.alloc(0)))).toMatch(/empty/);
    expect(await failure(put('model.bin', Buffer.from('PK\x03\x04rest of zip', 'latin1')))).toMatch(/ZIP/);
    expect(await failure(put('old.bin', Buffer.from('tjggxxxxxxxx', 'latin1')))).toMatch(/legacy GGML/);
    expect(await failure(put('junk.gguf', Buffer.from('hello there, world')))).toMatch(/bad magic.*68 65 6c 6c/);
  });

  it('unsupported versions', async () => {
    expect(await failure(put('v1.gguf', craft({ version: 1 })))).toMatch(/unsupported GGUF version 1 .*v1/);
    expect(await failure(put('v9.gguf', craft({ version: 9 })))).toMatch(/unsupported GGUF version 9/);
  });

  it('absurd tensor and KV counts', async () => {
    expect(await failure(put('kv.gguf', craft({ kvCount: 1n << 40n })))).toMatch(/kv_count is 1099511627776, more KV pairs than the file/);
    expect(await failure(put('tc.gguf', craft({ tensorCount: 1000000n })))).toMatch(/tensor_count is 1000000, more tensor infos than the file/);
    expect(await failure(put('tc64.gguf', craft({ tensorCount: 1n << 62n })))).toMatch(/tensor_count is \d+, beyond any real file/);
  });

  it('a header cut off inside a KV pair or a tensor info', async () => {
    const full = await writeLlamaGguf(path.join(dir, 'cut-src.gguf'), TINY);
    const bytes = fs.readFileSync(path.join(dir, 'cut-src.gguf'));
    expect(full.bytes).toBe(bytes.length);
    const tokens = bytes.indexOf(Buffer.from('tokenizer.ggml.tokens'));
    const cutKv = await failure(put('cut-kv.gguf', bytes.subarray(0, tokens + 4200)));
    expect(cutKv).toMatch(/^cut-kv\.gguf is not a valid GGUF file: tokenizer\.ggml\.tokens\[\d+\] \(\d+ bytes at byte \d+\) runs past the end of the file|^cut-kv\.gguf is not a valid GGUF file: the value of tokenizer\.ggml\.tokens runs past the end of the file/);
    const infoStart = bytes.indexOf(Buffer.from('blk.1.attn_q.weight'));
    const cutInfo = await failure(put('cut-info.gguf', bytes.subarray(0, infoStart + 25)));
    expect(cutInfo).toMatch(/^cut-info\.gguf is not a valid GGUF file: .*tensor blk\.1\.attn_q\.weight.* past the end of the file/);
  });

  it('unknown value types and ggml type ids', async () => {
    const vt = craft({ kvs: [['general.weird', 42, Buffer.alloc(4)]] });
    expect(await failure(put('vt.gguf', vt))).toMatch(/general\.weird has unknown value type 42/);
    const tt = craft({ tensors: [{ name: 'w', dims: [32, 2], type: 99, offset: 0 }], dataBytes: 256 });
    expect(await failure(put('tt.gguf', tt))).toMatch(/tensor w has unknown ggml type id 99 \(known: 0 F32, 1 F16, 2 Q4_0/);
    const rows = craft({ tensors: [{ name: 'w', dims: [48, 2], type: 12, offset: 0 }], dataBytes: 1024 });
    expect(await failure(put('rows.gguf', rows))).toMatch(/tensor w \(Q4_K\) has rows of 48 elements, not a multiple of the Q4_K block size 256/);
    const dims = craft({ tensors: [{ name: 'w', dims: [1, 1, 1, 1, 1], type: 0, offset: 0 }], dataBytes: 64 });
    expect(await failure(put('dims.gguf', dims))).toMatch(/tensor w has 5 dimensions/);
  });

  it('tensor data past the end of the file', async () => {
    await writeLlamaGguf(path.join(dir, 'short-src.gguf'), TINY);
    const bytes = fs.readFileSync(path.join(dir, 'short-src.gguf'));
    const msg = await failure(put('short.gguf', bytes.subarray(0, bytes.length - 100)));
    expect(msg).toMatch(/short\.gguf is not a valid GGUF file: the data of tensor output\.weight \(\d+ bytes at byte \d+\) ends at byte \d+, past the end of the file \(\d+ bytes\); the file is truncated/);
    const crafted = craft({ tensors: [{ name: 'w', dims: [32, 4], type: 0, offset: 0 }], dataBytes: 100 });
    expect(await failure(put('short2.gguf', crafted))).toMatch(/tensor w \(512 bytes at byte \d+\)/);
  });

  it('an array claiming more items than the file holds, a misaligned offset, a missing file', async () => {
    const arr = Buffer.concat([Buffer.from([8, 0, 0, 0]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]);
    expect(await failure(put('arr.gguf', craft({ kvs: [['tokenizer.ggml.tokens', 9, arr]] })))).toMatch(/tokenizer\.ggml\.tokens claims 4294967295 items/);
    const mis = craft({ tensors: [{ name: 'w', dims: [32], type: 0, offset: 8 }], dataBytes: 256 });
    expect(await failure(put('mis.gguf', mis))).toMatch(/tensor w has data offset 8, not a multiple of general\.alignment \(32\)/);
    await expect(readGgufHeader(path.join(dir, 'nope.gguf'))).rejects.toThrow(/cannot open .*nope\.gguf/);
  });
});

describe('readGgufHeader on corrupted headers', () => {
  it('gives a result or an ApiFailure, never another error, for random byte changes', async () => {
    const src = path.join(dir, 'fuzz-src.gguf');
    await writeLlamaGguf(src, { ...TINY, vocab: 300 });
    const bytes = fs.readFileSync(src);
    const headerEnd = llamaGgufLayout({ ...TINY, vocab: 300 }).dataOffset;
    let seed = 99;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const file = path.join(dir, 'fuzz.gguf');
    let failures = 0;
    for (let k = 0; k < 300; k++) {
      const b = Buffer.from(bytes);
      for (let m = 0; m < 1 + rand(4); m++) b[rand(headerEnd)] = rand(256);
      fs.writeFileSync(file, rand(4) === 0 ? b.subarray(0, rand(b.length)) : b);
      try {
        await readGgufHeader(file);
      } catch (e) {
        if (!(e instanceof ApiFailure)) throw e;
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});
