/** llama.cpp's attention rate from stored measured runs: the arithmetic, and held out (the model predicted is never used). */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../core/backend.js';
import type { LlmMeasuredPoint } from '../../../src-shared/api/llm.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { attentionRate, rateOfRun } from './llm-attention.js';

let backend: Backend | null = null;
afterEach(async () => {
  await backend?.close();
  backend = null;
});

const point = (depth: number, pp: number, tg: number, prefillFlops: number, decodeFlops: number): LlmMeasuredPoint => ({
  depth, prefillTokensPerSecond: pp, decodeTokensPerSecond: tg, ttftMs: 1, predictedPrefillTokensPerSecond: 1, predictedDecodeTokensPerSecond: 1, prefillAttentionFlops: prefillFlops, decodeAttentionFlops: decodeFlops,
});

describe('llama.cpp attention rate', () => {
  it('is the attention FLOPs a run gains with depth over the time it gains', () => {
    // Decode: 100 → 50 tokens/s adds 10 ms per token for 40 MFLOP more: 4 GFLOP/s. Prefill of 512 tokens: 1000 → 100 tokens/s adds 4.608 s for 9.216 GFLOP: 2 GFLOP/s.
    const r = rateOfRun([point(0, 1000, 100, 1e9, 1e6), point(4096, 100, 50, 1e9 + 9.216e9, 41e6)], 512);
    expect(r.decode).toBeCloseTo(4, 9);
    expect(r.prefill).toBeCloseTo(2, 9);
    expect(rateOfRun([point(0, 1000, 100, 1, 1)], 512)).toEqual({ decode: null, prefill: null });
  });

  it('is the median of the stored runs of other models, per thread, never of the model predicted', () => {
    backend = createBackend({ dbPath: path.join(tempDir(), 'att.db'), host: 'cli', detect: async () => sampleReport() });
    const runs = backend.runs();
    const store = (name: string, threads: number, tgDeep: number) =>
      runs.insert({ kind: 'llm', machine: sampleReport(), appVersion: 't', params: {}, result: { model: { name }, settings: { prompt: 512 }, measured: { threads, points: [point(0, 1000, 100, 1e9, 1e6), point(4096, 100, tgDeep, 1e9 + 9.216e9, 41e6)] } } });
    store('A', 1, 50); // 4 GFLOP/s on 1 thread
    store('B', 2, 50); // 4 GFLOP/s on 2 threads: 2 per thread
    store('C', 1, 100 / 3); // 40 MFLOP in 20 ms: 2 GFLOP/s
    expect(attentionRate(runs, sampleReport().machine.id, 'nobody')!.decodeGflopsPerThread).toBeCloseTo(2, 9);
    // Predicting C: only A and B count (4 and 2 per thread: median 3).
    expect(attentionRate(runs, sampleReport().machine.id, 'C')!.decodeGflopsPerThread).toBeCloseTo(3, 9);
    expect(attentionRate(runs, sampleReport().machine.id, 'C')!.basis).toMatch(/2 stored runs of 2 other models/);
    expect(attentionRate(runs, 'another-machine', 'C')).toBeNull();
  });
});
