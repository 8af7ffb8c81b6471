/**
 * llama.cpp's calibration: the rates from the worker's timings, where they are stored and found
 * again, how the device uses them, and (real llama.cpp through node-llama-cpp) a measured run on
 * the calibration GGUFs.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LlamaCalibration } from '../../../src-shared/api/llm.js';
import { implausibleValues } from '../../../src-shared/runs/plausibility.js';
import { openDatabase } from '../../store/database.js';
import { RunsRepo } from '../../store/repos/runs-repo.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { calibrationFrom, calibrationModels, llamaProductFlops, storedLlamaCalibration } from './llama-calibration.js';
import { measureLlama, type LlamaCalibrationTiming } from './llama-measure.js';
import { thisMachineLlmDevice } from './llm-devices.js';
import type { JobContext } from '../../core/jobs.js';

const timing = (role: 'step' | 'dot', quant: string, flopsPerToken: number, decodeMsPerToken: number, prefillMsPerToken?: number): LlamaCalibrationTiming => ({
  path: `${role}-${quant}.gguf`,
  role,
  quant,
  flopsPerToken,
  decodeMsPerToken,
  ...(prefillMsPerToken ? { prefillMsPerToken } : {}),
});

describe('llama.cpp calibration', () => {
  it('counts a Llama shape\'s product FLOPs per token: Q, K, V, O, the gated FFN and the head, 2 per weight', () => {
    // 1 layer, width 8, 2 heads of 4, 1 K/V head: Q 64, K 32, V 32, O 64, FFN 3·8·16 = 384; head 8·10.
    expect(llamaProductFlops({ layers: 1, hidden: 8, heads: 2, kvHeads: 1, ffn: 16, vocab: 10, context: 64 })).toBe(2 * (64 + 32 + 32 + 64 + 384 + 80));
  });

  it('takes the step GGUF\'s decode step as the fixed cost and the rest of a dot GGUF\'s step as its products', () => {
    const c = calibrationFrom([timing('dot', 'Q8_0', 90e6, 3.2, 0.75), timing('dot', 'Q4_0', 90e6, 2.0), timing('step', 'Q8_0', 1e5, 0.2)], 'cpu', 1)!;
    expect(c).toMatchObject({ backend: 'cpu', threads: 1, stepMs: 0.2 });
    expect(c.quants.map((q) => q.quant)).toEqual(['Q8_0', 'Q4_0']);
    expect(c.quants[0]!.decodeGflops).toBeCloseTo(90e6 / 3.0e-3 / 1e9, 9);
    expect(c.quants[1]!.decodeGflops).toBeCloseTo(90e6 / 1.8e-3 / 1e9, 9);
    // Prefilling: its FLOPs per token over its time per prompt token, where the prompt was timed.
    expect(c.quants[0]!.prefillGflops).toBeCloseTo(90e6 / 0.75e-3 / 1e9, 9);
    expect(c.quants[1]!.prefillGflops).toBeUndefined();
    // A step slower than half a dot step (noise) cannot make the products arbitrarily fast.
    expect(calibrationFrom([timing('dot', 'Q8_0', 90e6, 1.0), timing('step', 'Q8_0', 1e5, 0.9)], 'cpu', 1)!.quants[0]!.decodeGflops).toBeCloseTo(90e6 / 0.5e-3 / 1e9, 9);
    expect(calibrationFrom([timing('dot', 'Q8_0', 90e6, 3.2)], 'cpu', 1)).toBeNull();
  });

  it('is found again on this machine at its thread count and CPU backend only, the newest first', () => {
    const runs = new RunsRepo(openDatabase(path.join(tempDir(), 'cal.db')));
    const m = sampleReport();
    const store = (calibration: LlamaCalibration, at: string) => runs.insert({ kind: 'llm', machine: m, appVersion: '1', params: {}, result: { measured: { calibration } }, createdAt: at });
    const c1: LlamaCalibration = { backend: 'cpu', threads: 1, stepMs: 0.3, quants: [{ quant: 'Q8_0', decodeGflops: 30 }] };
    store(c1, '2026-01-01T00:00:00.000Z');
    store({ ...c1, stepMs: 0.25 }, '2026-01-02T00:00:00.000Z');
    store({ ...c1, threads: 2 }, '2026-01-03T00:00:00.000Z');
    store({ ...c1, backend: 'cuda' }, '2026-01-04T00:00:00.000Z');
    runs.insert({ kind: 'llm', machine: m, appVersion: '1', params: {}, result: { measured: { points: [] } }, createdAt: '2026-01-05T00:00:00.000Z' });
    // A newer one whose rate no machine has (damaged, hand-edited) is passed over.
    store({ ...c1, quants: [{ quant: 'Q8_0', decodeGflops: -5 }] }, '2026-01-06T00:00:00.000Z');
    expect(storedLlamaCalibration(runs, m.machine.id, 1)?.stepMs).toBe(0.25);
    expect(storedLlamaCalibration(runs, m.machine.id, 2)?.threads).toBe(2);
    expect(storedLlamaCalibration(runs, m.machine.id, 4)).toBeNull();
    expect(storedLlamaCalibration(runs, 'another machine', 1)).toBeNull();
  });

  it('flags a stored calibration whose rates no machine has (a damaged or hand-edited run)', () => {
    const ok: LlamaCalibration = { backend: 'cpu', threads: 1, stepMs: 0.3, quants: [{ quant: 'Q8_0', decodeGflops: 30, prefillGflops: 120 }] };
    expect(implausibleValues('llm', { measured: { calibration: ok } })).toEqual([]);
    const bad = { ...ok, stepMs: -1, quants: [{ quant: 'Q8_0', decodeGflops: 0, prefillGflops: 1e12 }] };
    expect(implausibleValues('llm', { measured: { calibration: bad } }).map((v) => v.path)).toEqual([
      'measured.calibration.stepMs',
      'measured.calibration.quants.0.decodeGflops',
      'measured.calibration.quants.0.prefillGflops',
    ]);
  });

  it('decodes at the calibrated rate of the model\'s weight type plus the fixed cost per step, and says so', () => {
    const report = sampleReport();
    const llama: LlamaCalibration = { backend: 'cpu', threads: 1, stepMs: 0.25, quants: [{ quant: 'Q8_0', decodeGflops: 30, prefillGflops: 120 }] };
    const { device } = thisMachineLlmDevice(null, report, { threads: 1, modelBytes: 1e6, llama, quant: 'q8_0' });
    // 512 prompt tokens through the same matrix: at the prefill rate.
    expect(device.productSeconds(512, 1024, 1024, 1024)).toBeCloseTo((2 * 512 * 1024 * 1024) / 120e9, 9);
    // A 1024 × 1024 matrix–vector product: 2.1 MFLOP at 30 GFLOP/s (weights given as 1 KiB, so no bandwidth bound).
    expect(device.productSeconds(1, 1024, 1024, 1024)).toBeCloseTo((2 * 1024 * 1024) / 30e9, 9);
    expect(device.stepSeconds).toBe(0.25e-3);
    expect(device.basis).toContain('Q8_0 weight products at 30.0 GFLOP/s decoding and 120.0 prefilling');
    // Another weight type, or another thread count, has no rate: the benchmark's products as before.
    const other = thisMachineLlmDevice(null, report, { threads: 1, modelBytes: 1e6, llama, quant: 'Q4_0' }).device;
    expect(other.productSeconds(1, 1024, 1024, 1024)).not.toBeCloseTo((2 * 1024 * 1024) / 30e9, 9);
    expect(thisMachineLlmDevice(null, report, { threads: 2, modelBytes: 1e6, llama, quant: 'Q8_0' }).device.stepSeconds).toBeUndefined();
  });

  it('times llama.cpp on the calibration GGUFs in the measured run\'s worker (real node-llama-cpp)', async () => {
    const ac = new AbortController();
    const ctx: JobContext = { signal: ac.signal, jobId: 'calibration-test', progress: () => {}, log: () => {}, power: () => {}, throwIfCancelled: () => {} };
    const models = await calibrationModels();
    expect(models.map((m) => `${m.role}:${m.quant}`)).toEqual(['dot:Q8_0', 'dot:Q4_0', 'step:Q8_0']);
    const step = models.find((m) => m.role === 'step')!;
    const r = await measureLlama({ modelPath: step.path, depths: [0], prompt: 8, gen: 4, threads: 1, gpu: false, repetitions: 1, calibrate: models }, ctx);
    expect(r.calibration?.map((t) => t.path)).toEqual(models.map((m) => m.path));
    for (const t of r.calibration!) expect(t.decodeMsPerToken).toBeGreaterThan(0);
    const c = calibrationFrom(r.calibration!, r.backend, r.threads)!;
    expect(c.threads).toBe(1);
    // The dot GGUF's decode step carries its ~92 MFLOP of products on top of the step's fixed cost.
    const dot = r.calibration!.find((t) => t.role === 'dot' && t.quant === 'Q8_0')!;
    expect(dot.decodeMsPerToken).toBeGreaterThan(r.calibration!.find((t) => t.role === 'step')!.decodeMsPerToken);
    for (const q of c.quants) {
      expect(Number.isFinite(q.decodeGflops) && q.decodeGflops > 0).toBe(true);
      expect(Number.isFinite(q.prefillGflops) && q.prefillGflops! > 0).toBe(true);
    }
  }, 120_000);
});
