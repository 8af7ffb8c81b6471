// safetensors headers: a single file, a sharded index (header-only, sparse shards), and a message
// naming the file and the field for each kind of bad input.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { tempDir } from '../../testing/fixtures.js';
import { readSafetensors } from './read-safetensors.js';

let dir = '';
beforeAll(() => { dir = tempDir('flopscope-read-safetensors-'); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, I8: 1, I64: 8 };

interface Spec { dtype: string; shape: number[]; offsets?: number[] }

/**
 * Writes a .safetensors as the Python library does (header padded with spaces to 8 bytes, tensors
 * contiguous in order), data left sparse; `extra` bytes are added to (or, negative, cut from) the end.
 */
function writeSt(file: string, tensors: Record<string, Spec>, o: { metadata?: Record<string, string>; extra?: number; rawHeader?: string } = {}): number {
  const header: Record<string, unknown> = o.metadata ? { __metadata__: o.metadata } : {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * (BYTES[t.dtype] ?? 1);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: t.offsets ?? [offset, offset + bytes] };
    offset += bytes;
  }
  let text = o.rawHeader ?? JSON.stringify(header);
  text += ' '.repeat((8 - (Buffer.byteLength(text) % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(text)));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([len, Buffer.from(text)]));
  const size = 8 + Buffer.byteLength(text) + offset + (o.extra ?? 0);
  fs.truncateSync(file, size);
  return size;
}

async function failure(file: string): Promise<string> {
  try {
    await readSafetensors(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    if (e instanceof ApiFailure) {
      expect(e.code).toBe('INVALID_REQUEST');
      return e.message;
    }
  }
  throw new Error(`${file} was read without an error`);
}

const p = (...parts: string[]): string => path.join(dir, ...parts);

describe('readSafetensors: one file', () => {
  it('lists tensors with dtype, shape, bytes and offsets, and totals them', async () => {
    const file = p('one', 'model.safetensors');
    const size = writeSt(file, {
      'model.embed_tokens.weight': { dtype: 'BF16', shape: [1000, 64] },
      'model.layers.0.mlp.up_proj.weight': { dtype: 'F8_E4M3', shape: [128, 64] },
      'model.norm.weight': { dtype: 'F32', shape: [64] },
      'lm_head.weight': { dtype: 'F16', shape: [1000, 64] },
      'model.layers.0.mlp.up_proj.weight_scale': { dtype: 'F32', shape: [] },
    }, { metadata: { format: 'pt' } });
    const m = await readSafetensors(file);
    expect(m.kind).toBe('single');
    expect(m.metadata).toEqual({ format: 'pt' });
    expect(m.shards).toEqual([{ file: 'model.safetensors', fileBytes: size, headerBytes: m.shards[0]?.headerBytes }]);
    expect(m.tensors).toHaveLength(5);
    const up = m.tensors.find((t) => t.name === 'model.layers.0.mlp.up_proj.weight');
    expect(up).toMatchObject({ dtype: 'F8_E4M3', shape: [128, 64], elements: 8192, bytes: 8192, offset: (m.shards[0]?.headerBytes ?? 0) + 128000 });
    expect(m.tensors.find((t) => t.name.endsWith('weight_scale'))).toMatchObject({ shape: [], elements: 1, bytes: 4 });
    expect(m.parameters).toBe(64000 + 8192 + 64 + 64000 + 1);
    expect(m.bytes).toBe(128000 + 8192 + 256 + 128000 + 4);
    expect(m.parametersByDtype).toEqual({ BF16: 64000, F8_E4M3: 8192, F32: 65, F16: 64000 });
    expect((m.shards[0]?.headerBytes ?? 0) + m.bytes).toBe(size);
  });
});

describe('readSafetensors: a sharded index', () => {
  function shardedModel(folder: string, mapOverride?: Record<string, string>): string {
    // An 8B-shaped model in two sparse shards: 32 layers' worth of tensors would be slow to list
    // by hand, so two layers at full Llama-3-8B width.
    const h = 4096;
    const ffn = 14336;
    const layer = (l: number): Record<string, Spec> => ({
      [`model.layers.${l}.self_attn.q_proj.weight`]: { dtype: 'BF16', shape: [h, h] },
      [`model.layers.${l}.mlp.down_proj.weight`]: { dtype: 'BF16', shape: [h, ffn] },
      [`model.layers.${l}.input_layernorm.weight`]: { dtype: 'BF16', shape: [h] },
    });
    const s1 = { 'model.embed_tokens.weight': { dtype: 'BF16', shape: [128256, h] }, ...layer(0) };
    const s2 = { ...layer(1), 'lm_head.weight': { dtype: 'BF16', shape: [128256, h] } };
    writeSt(p(folder, 'model-00001-of-00002.safetensors'), s1, { metadata: { format: 'pt' } });
    writeSt(p(folder, 'model-00002-of-00002.safetensors'), s2, { metadata: { format: 'pt' } });
    const weightMap: Record<string, string> = {};
    for (const k of Object.keys(s1)) weightMap[k] = 'model-00001-of-00002.safetensors';
    for (const k of Object.keys(s2)) weightMap[k] = 'model-00002-of-00002.safetensors';
    const index = p(folder, 'model.safetensors.index.json');
    fs.writeFileSync(index, JSON.stringify({ metadata: { total_size: 2 * (2 * 128256 * h + 2 * (h * h + h * ffn + h)) }, weight_map: { ...weightMap, ...mapOverride } }, null, 2));
    return index;
  }

  it('reads every shard header and totals the tensors the weight_map lists', async () => {
    const index = shardedModel('sharded');
    const t0 = performance.now();
    const m = await readSafetensors(index);
    console.log(`sharded index (2 sparse shards, ${(m.bytes / 1e9).toFixed(2)} GB): read in ${(performance.now() - t0).toFixed(1)} ms`);
    expect(m.kind).toBe('index');
    expect(m.shards.map((s) => s.file)).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(m.tensors).toHaveLength(8);
    const params = 2 * 128256 * 4096 + 2 * (4096 * 4096 + 4096 * 14336 + 4096);
    expect(m.parameters).toBe(params);
    expect(m.bytes).toBe(2 * params);
    expect(m.metadata.total_size).toBe(m.bytes);
    expect(m.tensors.find((t) => t.name === 'lm_head.weight')?.file).toBe('model-00002-of-00002.safetensors');
  });

  it('a missing shard, a tensor its shard lacks, a shard outside the folder', async () => {
    const index = shardedModel('missing');
    fs.rmSync(p('missing', 'model-00002-of-00002.safetensors'));
    expect(await failure(index)).toMatch(/^model\.safetensors\.index\.json is not a valid safetensors index: shard model-00002-of-00002\.safetensors \(named by weight_map\) is missing from /);
    const lacks = shardedModel('lacks', { 'lm_head.weight': 'model-00001-of-00002.safetensors' });
    expect(await failure(lacks)).toMatch(/tensor lm_head\.weight is mapped to model-00001-of-00002\.safetensors, which does not hold it/);
    const outside = shardedModel('outside', { 'lm_head.weight': '../other/model.safetensors' });
    expect(await failure(outside)).toMatch(/weight_map\.lm_head\.weight names \.\.\/other\/model\.safetensors, outside the index's folder/);
    fs.mkdirSync(p('noindex'));
    fs.mkdirSync(p('badindex'));
    fs.writeFileSync(p('noindex', 'model.safetensors.index.json'), '{"metadata": {}}');
    expect(await failure(p('noindex', 'model.safetensors.index.json'))).toMatch(/weight_map is missing or not an object/);
    fs.writeFileSync(p('badindex', 'model.safetensors.index.json'), '{"metadata": {},\n "weight_map": {"a": "b",}}');
    expect(await failure(p('badindex', 'model.safetensors.index.json'))).toMatch(/model\.safetensors\.index\.json is not valid JSON: line 2, column 26: expected a property name/);
  });
});

describe('readSafetensors: bad files', () => {
  const one = { w: { dtype: 'F16', shape: [4, 8] } };

  it('header length past the end of the file or over 100 MB, a GGUF, a tiny file', async () => {
    const len = (n: number, tail = 16): Buffer => { const b = Buffer.alloc(8 + tail); b.writeBigUInt64LE(BigInt(n)); return b; };
    fs.mkdirSync(p('bad'), { recursive: true });
    fs.writeFileSync(p('bad', 'long.safetensors'), len(1000));
    expect(await failure(p('bad', 'long.safetensors'))).toBe('long.safetensors is not a valid safetensors file: the header length is 1000 bytes, past the end of the file (24 bytes)');
    fs.writeFileSync(p('bad', 'huge.safetensors'), len(200_000_000));
    expect(await failure(p('bad', 'huge.safetensors'))).toMatch(/the header length is 200000000 bytes, more than the 100000000 allowed/);
    fs.writeFileSync(p('bad', 'model.gguf.safetensors'), Buffer.from('GGUF\x03\x00\x00\x00rest', 'latin1'));
    expect(await failure(p('bad', 'model.gguf.safetensors'))).toMatch(/it is a GGUF file/);
    fs.writeFileSync(p('bad', 'tiny.safetensors'), Buffer.from([1, 2, 3]));
    expect(await failure(p('bad', 'tiny.safetensors'))).toMatch(/it is 3 bytes, shorter than the 8-byte header length/);
  });

  it('invalid JSON, by line and column', async () => {
    const file = p('bad', 'json.safetensors');
    writeSt(file, {}, { rawHeader: '{"w": {"dtype": "F16", "shape": [4, 8] "data_offsets": [0, 64]}}' });
    expect(await failure(file)).toMatch(/^json\.safetensors's header is not valid JSON: line 1, column 40: expected ',' or '}', found "\\""/);
  });

  it('unknown dtype, bad shape, offsets that disagree with the shape', async () => {
    writeSt(p('bad', 'dtype.safetensors'), { w: { dtype: 'Q4', shape: [4, 8] } });
    expect(await failure(p('bad', 'dtype.safetensors'))).toMatch(/^dtype\.safetensors is not a valid safetensors file: tensor w: unknown dtype "Q4" \(known: BOOL, U8/);
    writeSt(p('bad', 'shape.safetensors'), { w: { dtype: 'F16', shape: [4, -8], offsets: [0, 64] } }, { extra: 128 });
    expect(await failure(p('bad', 'shape.safetensors'))).toMatch(/tensor w: shape \[4,-8\] is not a list of whole numbers ≥ 0/);
    writeSt(p('bad', 'offsets.safetensors'), { w: { dtype: 'F16', shape: [4, 8], offsets: [0, 32] } });
    expect(await failure(p('bad', 'offsets.safetensors'))).toMatch(/tensor w: data_offsets \[0, 32\] hold 32 bytes, but shape \[4, 8\] of F16 needs 64/);
    writeSt(p('bad', 'pair.safetensors'), { w: { dtype: 'F16', shape: [4, 8], offsets: [0, 64, 128] } });
    expect(await failure(p('bad', 'pair.safetensors'))).toMatch(/tensor w: data_offsets \[0,64,128\] is not a pair/);
  });

  it('data outside the file, holes and overlaps', async () => {
    writeSt(p('bad', 'cut.safetensors'), { ...one, v: { dtype: 'F32', shape: [100] } }, { extra: -10 });
    expect(await failure(p('bad', 'cut.safetensors'))).toMatch(/tensor v: data_offsets \[64, 464\] end past the data in the file \(454 bytes after the header\); the file is truncated/);
    writeSt(p('bad', 'hole.safetensors'), { w: { dtype: 'F16', shape: [4, 8] }, v: { dtype: 'F16', shape: [4, 8], offsets: [96, 160] } }, { extra: 32 });
    expect(await failure(p('bad', 'hole.safetensors'))).toMatch(/tensor v at data_offsets \[96, 160\] leaves a hole of 32 bytes before it/);
    writeSt(p('bad', 'overlap.safetensors'), { w: { dtype: 'F16', shape: [4, 8] }, v: { dtype: 'F16', shape: [4, 8], offsets: [32, 96] } }, { extra: -32 });
    expect(await failure(p('bad', 'overlap.safetensors'))).toMatch(/tensor v at data_offsets \[32, 96\] overlaps the tensor before it/);
    writeSt(p('bad', 'tail.safetensors'), one, { extra: 100 });
    expect(await failure(p('bad', 'tail.safetensors'))).toMatch(/the tensors cover 64 bytes of data, but the file holds 164 after the header/);
  });
});
