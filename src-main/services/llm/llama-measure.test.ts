/**
 * The measured llama.cpp run (llama-bench's pp / tg at -d, through node-llama-cpp's prebuilt CPU
 * binary) on a tiny random-weight Llama GGUF written by the GGUF writer: real llama.cpp, no mocks.
 * Timings are only checked for being positive and finite, and depth for not speeding decode up
 * beyond noise (the host may be shared); cancel rejects with CANCELLED and leaves no worker.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobContext } from '../../core/jobs.js';
import { liveWorkerCount } from '../../infra/worker-host.js';
import { tempDir } from '../../testing/fixtures.js';
import { writeLlamaGguf } from './gguf-writer.js';
import { llamaPhase, measureLlama, resolveLlamaInput } from './llama-measure.js';
import fs from 'node:fs';

interface Recorded {
  ctx: JobContext;
  phases: string[];
  logs: string[];
  abort: () => void;
}

function jobContext(onProgress?: (phase: string, done: number) => void): Recorded {
  const ac = new AbortController();
  const phases: string[] = [];
  const logs: string[] = [];
  const ctx: JobContext = {
    signal: ac.signal,
    jobId: 'llama-measure-test',
    progress: (phase, done) => {
      phases.push(phase);
      onProgress?.(phase, done);
    },
    log: (message) => logs.push(message),
    power: () => {},
    throwIfCancelled: () => {
      if (ac.signal.aborted) throw new Error('cancelled');
    },
  };
  return { ctx, phases, logs, abort: () => ac.abort() };
}

const finitePositive = (x: number) => Number.isFinite(x) && x > 0;

describe('measureLlama (llama.cpp through node-llama-cpp)', () => {
  let dir = '';
  let modelPath = '';

  beforeAll(async () => {
    dir = tempDir('flopscope-llama-measure-');
    modelPath = path.join(dir, 'tiny-q8.gguf');
    await writeLlamaGguf(modelPath, { layers: 2, hidden: 64, heads: 4, kvHeads: 2, ffn: 128, vocab: 512, context: 1024, quant: 'Q8_0', seed: 7 });
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('measures prefill, decode and TTFT at each depth, skipping one past the trained context', async () => {
    const rec = jobContext();
    // One thread: the test host may be shared, and llama.cpp's spinning threads collapse when oversubscribed.
    const r = await measureLlama({ modelPath, depths: [256, 0, 4096], prompt: 64, gen: 16, threads: 1, gpu: false }, rec.ctx);
    expect(r.backend).toBe('cpu');
    expect(r.threads).toBe(1);
    expect(r.points.map((p) => p.depth)).toEqual([0, 256]);
    for (const p of r.points) {
      expect(finitePositive(p.prefillTokensPerSecond), `prefill @ ${p.depth}`).toBe(true);
      expect(finitePositive(p.decodeTokensPerSecond), `decode @ ${p.depth}`).toBe(true);
      expect(finitePositive(p.ttftMs), `ttft @ ${p.depth}`).toBe(true);
      // TTFT is the prefill's time (prompt / prefill rate).
      expect(p.ttftMs).toBeCloseTo((64 * 1000) / p.prefillTokensPerSecond, 6);
    }
    const [d0, d256] = r.points;
    // Attending over 256 more cached tokens costs something; allow generous noise.
    expect(d256!.decodeTokensPerSecond).toBeLessThan(d0!.decodeTokensPerSecond * 2);
    expect(finitePositive(r.loadMs)).toBe(true);
    expect(r.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(r.warnings.some((w) => w.includes('Depth 4096 skipped'))).toBe(true);
    expect(rec.phases).toEqual(
      expect.arrayContaining([llamaPhase('load'), llamaPhase('fill', 0), llamaPhase('pp', 0, 64), llamaPhase('tg', 256, 16), 'done']),
    );
    await vi.waitFor(() => expect(liveWorkerCount()).toBe(0), { timeout: 10_000 });
  }, 30_000);

  it('stops at the next checkpoint when cancelled and leaves no worker', async () => {
    let rec: Recorded | null = null;
    rec = jobContext(() => rec?.abort());
    const run = measureLlama({ modelPath, depths: [0, 256], prompt: 64, gen: 16, threads: 1, gpu: false }, rec.ctx);
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    // Stopped after the first progress event: it never got past the first depth's fill.
    expect(rec.phases).not.toContain(llamaPhase('tg', 0, 16));
    await vi.waitFor(() => expect(liveWorkerCount()).toBe(0), { timeout: 10_000 });
  }, 30_000);

  it('rejects malformed input before starting a worker', () => {
    expect(() => resolveLlamaInput({ modelPath, depths: [], gpu: false })).toThrow(/depths/);
    expect(() => resolveLlamaInput({ modelPath, depths: [-1], gpu: false })).toThrow(/depths/);
    expect(() => resolveLlamaInput({ modelPath, depths: [0], prompt: 0, gpu: false })).toThrow(/prompt/);
    expect(resolveLlamaInput({ modelPath, depths: [512, 0, 512], gpu: false })).toMatchObject({ depths: [0, 512], prompt: 512, gen: 128, batch: 512, repetitions: 2 });
  });
});
