// The GGUF writer: block encodings by hand, exact file sizes, and real llama.cpp (node-llama-cpp,
// CPU) loading and generating with the written F16, Q8_0, Q4_0 and MoE models.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/fixtures.js';
import { encodeWeights, llamaGgufLayout, writeLlamaGguf, writeLlamaGgufHeader, type LlamaGgufOptions } from './gguf-writer.js';
import { floatToHalf } from '../onnx/read-tensor.js';

const TINY: Omit<LlamaGgufOptions, 'quant'> = { layers: 2, hidden: 64, heads: 4, kvHeads: 2, ffn: 128, vocab: 512, context: 256 };

/** Bytes of n weights of a 2-D tensor stored as `quant` (F32 for the norms). */
function storage(quant: 'F32' | 'F16' | 'Q8_0' | 'Q4_0', n: number): number {
  const bytes = { F32: 4 * n, F16: 2 * n, Q8_0: (n / 32) * 34, Q4_0: (n / 32) * 18 }[quant];
  return Math.ceil(bytes / 32) * 32;
}

function expectedDataBytes(o: LlamaGgufOptions): number {
  const kvDim = (o.hidden / o.heads) * o.kvHeads;
  const q = o.quant;
  const e = o.experts ?? 0;
  const perLayer = 2 * storage('F32', o.hidden) + 2 * storage(q, o.hidden * o.hidden) + 2 * storage(q, o.hidden * kvDim)
    + (e > 0 ? storage('F32', o.hidden * e) + 3 * storage(q, o.hidden * o.ffn * e) : 3 * storage(q, o.hidden * o.ffn));
  return 2 * storage(q, o.hidden * o.vocab) + storage('F32', o.hidden) + o.layers * perLayer;
}

describe('block encodings', () => {
  it('converts floats to IEEE half', () => {
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(1e6)).toBe(0x7c00);
    expect(floatToHalf(0.1)).toBe(0x2e66);
    expect(floatToHalf(2 ** -24)).toBe(1); // smallest subnormal
    expect(floatToHalf(1e-9)).toBe(0);
  });

  // x_j = (j - 16) / 16: the value of largest magnitude is x_0 = -1.
  const x = Float32Array.from({ length: 32 }, (_, j) => (j - 16) / 16);

  it('Q8_0: f16 d = max|x|/127 then 32 int8', () => {
    const b = encodeWeights('Q8_0', x);
    expect(b.length).toBe(34);
    expect(b.readUInt16LE(0)).toBe(floatToHalf(1 / 127));
    expect(b.readInt8(2)).toBe(-127);
    expect(b.readInt8(2 + 16)).toBe(0);
    expect(b.readInt8(2 + 31)).toBe(Math.round((15 / 16) * 127));
  });

  it('Q4_0: f16 d = max/-8, first 16 weights in the low nibbles', () => {
    const b = encodeWeights('Q4_0', x);
    expect(b.length).toBe(18);
    expect(b.readUInt16LE(0)).toBe(0x3000); // d = -1 / -8 = 0.125
    expect(b[2]).toBe(0x80); // x0 = -1 → 0, x16 = 0 → 8
    expect(b[2 + 15]).toBe(0xf8); // x15 = -1/16 → 8, x31 = 15/16 → 15.5 clamped to 15
  });
});

describe('writeLlamaGguf', () => {
  let dir = '';
  beforeAll(() => { dir = tempDir('flopscope-gguf-writer-'); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it.each(['F16', 'Q8_0', 'Q4_0'] as const)('writes a %s file of exactly header + aligned tensor bytes', async (quant) => {
    const o = { ...TINY, quant };
    const file = path.join(dir, `size-${quant}.gguf`);
    const r = await writeLlamaGguf(file, o);
    const layout = llamaGgufLayout(o);
    expect(layout.dataOffset % 32).toBe(0);
    expect(r.tensors).toBe(3 + 9 * TINY.layers);
    expect(r.bytes).toBe(layout.dataOffset + expectedDataBytes(o));
    expect(fs.statSync(file).size).toBe(r.bytes);
    const head = Buffer.alloc(24);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, 24, 0);
    fs.closeSync(fd);
    expect(head.toString('latin1', 0, 4)).toBe('GGUF');
    expect(head.readUInt32LE(4)).toBe(3);
    expect(Number(head.readBigUInt64LE(8))).toBe(r.tensors);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = path.join(dir, 'a.gguf');
    const b = path.join(dir, 'b.gguf');
    const c = path.join(dir, 'c.gguf');
    await writeLlamaGguf(a, { ...TINY, quant: 'Q8_0', seed: 7 });
    await writeLlamaGguf(b, { ...TINY, quant: 'Q8_0', seed: 7 });
    await writeLlamaGguf(c, { ...TINY, quant: 'Q8_0', seed: 8 });
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    expect(fs.readFileSync(a).equals(fs.readFileSync(c))).toBe(false);
  });

  it('writes only the header of a large model, extended to its full size', async () => {
    const o: LlamaGgufOptions = { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32000, context: 8192, quant: 'Q4_0' };
    const file = path.join(dir, 'header-only.gguf');
    const r = await writeLlamaGgufHeader(file, o);
    expect(r.bytes).toBe(llamaGgufLayout(o).dataOffset + expectedDataBytes(o));
    expect(r.bytes).toBeGreaterThan(4e9);
    expect(fs.statSync(file).size).toBe(r.bytes);
  });

  it('rejects shapes the formats cannot hold', () => {
    expect(() => llamaGgufLayout({ ...TINY, hidden: 48, heads: 4, quant: 'Q4_0' })).toThrow(/multiples of 32/);
    expect(() => llamaGgufLayout({ ...TINY, heads: 5, quant: 'F16' })).toThrow(/multiple of heads/);
    expect(() => llamaGgufLayout({ ...TINY, vocab: 100, quant: 'F16' })).toThrow(/at least 257/);
  });
});

describe('llama.cpp loads and generates with the written files (CPU)', () => {
  let dir = '';
  beforeAll(() => { dir = tempDir('flopscope-gguf-llama-'); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const cases: Array<[string, Partial<LlamaGgufOptions> & { quant: LlamaGgufOptions['quant'] }]> = [
    ['F16', { quant: 'F16' }],
    ['Q8_0', { quant: 'Q8_0' }],
    ['Q4_0', { quant: 'Q4_0' }],
    ['Q4_0 MoE (4 experts, 2 per token)', { quant: 'Q4_0', experts: 4, expertsPerToken: 2 }],
  ];

  it.each(cases)('%s', async (_label, extra) => {
    const file = path.join(dir, `${extra.quant}-${extra.experts ?? 0}.gguf`);
    await writeLlamaGguf(file, { ...TINY, ...extra, seed: 3 });
    const { getLlama } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never' });
    try {
      const model = await llama.loadModel({ modelPath: file });
      expect(model.trainContextSize).toBe(TINY.context);
      expect(model.tokens.bos).toBe(256);
      const context = await model.createContext({ contextSize: 256 });
      const tokens = model.tokenize('hello world');
      expect(tokens.length).toBeGreaterThan(0);
      const generated: number[] = [];
      for await (const t of context.getSequence().evaluate(tokens)) {
        generated.push(t);
        if (generated.length >= 5) break;
      }
      expect(generated).toHaveLength(5);
      for (const t of generated) expect(t).toBeGreaterThanOrEqual(0);
      for (const t of generated) expect(t).toBeLessThan(TINY.vocab);
      await context.dispose();
      await model.dispose();
    } finally {
      await llama.dispose();
    }
  }, 120_000);
});
