// The ONNX Runtime K/V-cache decode loop on tiny zoo decoders (both forms): positive, finite
// figures at two cache depths, and the option / model checks.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentReporter } from '../bench/types.js';
import { buildZooModel } from '../zoo/zoo.js';
import { measureOnnxDecoder } from './onnx-decode.js';

const TINY = { width: 64, depth: 2, heads: 4, kv_heads: 2, ffn: 96, vocab: 256, sequence: 1, past: 1, context: 256 };

describe('measureOnnxDecoder', () => {
  it.each(['llama', 'llama-int4'])('%s: prefill and decode at depths 0 and 64 give positive finite figures', async (name) => {
    const model = buildZooModel(name, TINY).bytes;
    const logs: string[] = [];
    const r = await measureOnnxDecoder(model, { prompt: 16, gen: 8, depths: [0, 64], threads: 2 }, { ...silentReporter(), log: (m) => logs.push(m) });
    expect(r.model).toEqual({ layers: 2, kvHeads: 2, headDim: 16, vocab: 256 });
    expect(r.points.map((p) => p.depth)).toEqual([0, 64]);
    for (const p of r.points) {
      for (const v of [p.prefillTokensPerSecond, p.decodeTokensPerSecond, p.ttftMs]) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
    }
    expect(logs).toHaveLength(2);
  });

  it('reads a model file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'flopscope-onnx-decode-'));
    try {
      const file = path.join(dir, 'llama.onnx');
      await writeFile(file, buildZooModel('llama', TINY).bytes);
      const r = await measureOnnxDecoder(file, { prompt: 4, gen: 2, depths: [0], threads: 1 });
      expect(r.points[0]!.decodeTokensPerSecond).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a model without a K/V cache and bad options', async () => {
    const prefillOnly = buildZooModel('llama', { ...TINY, past: 0 }).bytes;
    await expect(measureOnnxDecoder(prefillOnly, { prompt: 4, gen: 2, depths: [0] })).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('past ≥ 1') });
    const model = buildZooModel('llama', TINY).bytes;
    await expect(measureOnnxDecoder(model, { prompt: 0, gen: 2, depths: [0] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(measureOnnxDecoder(model, { prompt: 4, gen: 2, depths: [] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('stops between depths when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(measureOnnxDecoder(buildZooModel('llama', TINY).bytes, { prompt: 4, gen: 2, depths: [0] }, silentReporter(ac.signal))).rejects.toMatchObject({ name: 'AbortError' });
  });
});
