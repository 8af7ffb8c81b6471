/**
 * The efficient-transformer lab through the API (in-process door, real SQLite file, real ONNX
 * Runtime): sweeps predicted on this machine's stored roofline or a catalog GPU, stored as runs;
 * a measured sweep that runs, stores, skips what would not fit with the reason, and cancels; bad
 * input rejected with INVALID_REQUEST naming the field.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, createInProcessClient, type Backend } from '../../core/backend.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { AttentionSweepResult } from '../../../src-shared/api/attention.js';
import type { JobEvent } from '../../../src-shared/api/types.js';
import { buildRoofline } from '../../../src-shared/bench/roofline.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';

let backend: Backend | null = null;
afterEach(async () => {
  await backend?.close();
  backend = null;
});

function open(withBench = true) {
  backend = createBackend({ dbPath: path.join(tempDir(), 'attention.db'), host: 'cli', detect: async () => sampleReport() });
  if (withBench) {
    const roofline = buildRoofline({ measuredCompute: { fp32: 200 }, measuredBandwidth: { DRAM: 25 } });
    backend.runs().insert({ kind: 'bench', machine: sampleReport(), appVersion: 't', params: {}, result: { suite: 'gemm', quick: true, threads: 2, elapsedSeconds: 1, warnings: [], roofline } });
  }
  return { b: backend, client: createInProcessClient(backend) };
}

async function failure(p: Promise<unknown>): Promise<ApiFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiFailure) return e;
    throw e;
  }
  throw new Error('expected an ApiFailure');
}

function finish(client: ReturnType<typeof createInProcessClient>, jobId: string): Promise<Extract<JobEvent, { type: 'result' | 'error' | 'cancelled' }>> {
  return new Promise((resolve) => {
    client.subscribe(jobId, (e) => {
      if (e.type === 'result' || e.type === 'error' || e.type === 'cancelled') resolve(e);
    });
  });
}

const SHAPE = { dModel: 128, heads: 2, layers: 1, batch: 1 };

describe('attention API', () => {
  it('predicts on this machine’s stored roofline and on a catalog GPU; stores when asked', async () => {
    const { b, client } = open();
    const here = await client.call('attention.sweep', { shape: SHAPE, variants: 'full,sliding:256', seqs: [256, 1024, 4096] });
    expect(here.device.peakGflops).toBe(200);
    expect(here.device.bandwidthGBs).toBe(25);
    expect(here.points).toHaveLength(6);
    expect(here.shape.dtype).toBe('fp32');
    expect(here.runId).toBeNull();
    const gpu = await client.call('attention.sweep', { shape: SHAPE, variants: 'full', seqs: [1024], device: 'NVIDIA H100 SXM5 80GB', store: true });
    expect(gpu.shape.dtype).toBe('bf16');
    expect(gpu.device.peakGflops).toBeCloseTo(989_400, 0);
    expect(b.runs().get(gpu.runId!)?.kind).toBe('attention');
  });

  it('times this machine with the calibrated cost model when its benchmark has GEMM and memory parts, and stores no model', async () => {
    const { b, client } = open();
    const roofline = buildRoofline({ measuredCompute: { fp32: 200 }, measuredBandwidth: { DRAM: 25 } });
    const calibration = (skinnyGflops: number) => ({
      threads: 2, overheadUs: 4, method: 'test',
      // Skinny products (one row: a decode step) and square ones.
      gemm: [{ batch: 1, m: 1, n: 128, k: 128, gflops: skinnyGflops, medianSeconds: 1 }, { batch: 1, m: 1024, n: 1024, k: 1024, gflops: 200, medianSeconds: 1 }],
      conv: [],
    });
    const rooflineOnly = await client.call('attention.sweep', { shape: SHAPE, variants: 'full', seqs: [1, 4096] });
    const sweepOn = async (skinnyGflops: number) => {
      b.runs().insert({
        kind: 'bench', machine: sampleReport(), appVersion: 't', params: {},
        result: { suite: 'all', quick: true, threads: 2, elapsedSeconds: 1, warnings: [], roofline, gemm: { best: { fp32: 200 } }, memory: { sweep: [{ bytes: 1 << 20, GBs: 60 }, { bytes: 64 << 20, GBs: 25 }], levels: [{ name: 'DRAM', GBs: 25 }], triadGBs: 25 }, calibration: calibration(skinnyGflops) },
      });
      return client.call('attention.sweep', { shape: SHAPE, variants: 'full', seqs: [1, 4096], store: true });
    };
    const slow = await sweepOn(2);
    const fast = await sweepOn(50);
    for (const r of [slow, fast]) {
      expect(r.device.source).toMatch(/kernel times from the calibrated cost model \(benchmark run \d+ of this machine/);
      expect(r.device).not.toHaveProperty('costModel');
      expect(JSON.stringify(b.runs().get(r.runId!)?.result)).not.toContain('calibration');
    }
    // One token is skinny products: the calibration's skinny throughput sets its time.
    const at = (r: AttentionSweepResult, seq: number) => r.points.find((p) => p.seq === seq)!.predictedSeconds!;
    expect(at(slow, 1)).toBeGreaterThan(2 * at(fast, 1));
    expect(at(slow, 1)).not.toBeCloseTo(at(rooflineOnly, 1), 6);
    expect(at(fast, 4096)).not.toBeCloseTo(at(rooflineOnly, 4096), 6);
  });

  it.each([
    [{ variants: 'full,sliding:9000', seqs: [1024, 4096] }, /"sliding:9000": the window is at least every sequence length/],
    [{ variants: 'full', seqs: [1024], shape: { ...SHAPE, heads: 3 } }, /heads: 3 does not divide d_model 128/],
    [{ variants: 'full', seqs: [1024], shape: { ...SHAPE, heads: 4, kvHeads: 3 } }, /kvHeads: 3 does not divide heads 4/],
    [{ variants: 'sliding:abc', seqs: [1024] }, /"sliding:abc": the window must be a positive whole number/],
    [{ variants: 'full', seqs: [1024], device: 'Quantum Potato' }, /device: unknown device "Quantum Potato"/],
  ])('rejects %j naming the problem', async (patch, message) => {
    const { client } = open();
    const e = await failure(client.call('attention.sweep', { shape: SHAPE, ...patch } as never));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(message);
  });

  it('takes seqs as the CLI writes them, parsed at the door: a list or a range as text, or a field-named error', async () => {
    const { client } = open();
    const ranged = await client.call('attention.sweep', { shape: SHAPE, variants: 'full', seqs: '256..1K' });
    expect(ranged.seqs).toEqual([256, 512, 1024]);
    expect((await client.call('attention.sweep', { shape: SHAPE, variants: 'full', seqs: '256, 4096' })).seqs).toEqual([256, 4096]);
    for (const [seqs, issue] of [
      ['lots', /^seqs: takes whole numbers separated by commas \(1024,4096\) or a range such as 128\.\.1M, got "lots"$/],
      ['1..2M', /^seqs: hi: 2097152 is longer than the lab models/],
      [7, /^seqs: expected a list of sequence lengths/],
    ] as const) {
      const e = await failure(client.call('attention.sweep', { shape: SHAPE, variants: 'full', seqs } as never));
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.issues).toHaveLength(1);
      expect(e.issues![0]).toMatch(issue);
    }
  });

  it('asks for a benchmark before predicting on this machine', async () => {
    const { client } = open(false);
    const e = await failure(client.call('attention.sweep', { shape: SHAPE, variants: 'full', seqs: [1024] }));
    expect(e.message).toMatch(/device: this machine has no measured roofline yet/);
  });

  it('measures full and sliding-window attention through ONNX Runtime, skips what would not fit, and stores the run', { timeout: 120_000 }, async () => {
    const { b, client } = open();
    const job = await client.call('attention.measure', { shape: SHAPE, variants: 'full,sliding:128,linear', seqs: [256, 512, 2 ** 17] });
    const end = await finish(client, job.id);
    expect(end.type, JSON.stringify(end)).toBe('result');
    if (end.type !== 'result') return;
    const r = end.result as AttentionSweepResult;
    const m = r.measured!;
    expect(m.points.map((p) => p.variant)).toEqual(['full', 'full', 'full', 'sliding:128', 'sliding:128', 'sliding:128']);
    const ran = m.points.filter((p) => p.seconds !== undefined);
    expect(ran.length).toBe(5);
    for (const p of ran) {
      expect(p.verified).toBe(true);
      expect(p.ratio).toBeGreaterThan(0);
      // Each point has its own energy phase: joules of one call = that phase's watts × seconds.
      const phase = r.energy!.phases.find((q) => q.phase === `measure ${p.variant} @ ${p.seq}`)!;
      expect(p.joulesPerCall).toBeCloseTo(phase.avgWatts * p.seconds!, 9);
    }
    // Full attention at 128K tokens needs 2 heads × (128K)² × 4 bytes of scores (137 GB): refused with the reason.
    const huge = m.points.find((p) => p.variant === 'full' && p.seq === 2 ** 17)!;
    expect(huge.skipped).toMatch(/memory|GB|GiB/i);
    expect(r.points.find((p) => p.variant === 'full' && p.seq === 256)?.measuredSeconds).toBeGreaterThan(0);
    expect(b.runs().get(end.runId!)?.kind).toBe('attention');
    // Power was sampled over the sweep and stored with it (a labelled estimate where no sensor is readable).
    expect(r.energy!.joules).toBeGreaterThan(0);
    expect(r.energy!.estimated ? r.energy!.source : 'measured').toMatch(/^(estimated|measured)/);
    expect((b.runs().get(end.runId!)?.result as AttentionSweepResult).energy?.joules).toBeCloseTo(r.energy!.joules, 9);
  });

  it('refuses a measured sweep on another device or with nothing measurable, and cancels cleanly', async () => {
    const { b, client } = open();
    expect((await failure(client.call('attention.measure', { shape: SHAPE, variants: 'full', seqs: [256], device: 'NVIDIA H100 SXM5 80GB' }))).message).toMatch(/runs on this machine/);
    expect((await failure(client.call('attention.measure', { shape: SHAPE, variants: 'linear,flash', seqs: [256] }))).message).toMatch(/variants: none of linear, flash can be measured/);
    const job = await client.call('attention.measure', { shape: { ...SHAPE, heads: 4, dModel: 256 }, variants: 'full', seqs: [1024, 2048, 4096] });
    await client.call('jobs.cancel', { id: job.id });
    const end = await finish(client, job.id);
    expect(end.type).toBe('cancelled');
    expect(b.runs().list({ kind: 'attention' })).toHaveLength(0);
  });
});
