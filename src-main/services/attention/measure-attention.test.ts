// Integration tests for the attention measurement on real ONNX Runtime: verified small runs, the sampled verification at larger N, memory and time refusals (SkipError), cancellation, sweeps and the log-log slope fit.
import { describe, expect, it } from 'vitest';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import { loadModelFromBytes } from '../onnx/load-model.js';
import { buildAttentionGraph, graphAttentionFlops } from './attention-graphs.js';
import {
  attentionSessionOptions,
  estimateAttentionMemory,
  fitLogSlope,
  measureAttention,
  measureSweep,
  plannedRepeats,
  SkipError,
  variantLabel,
  verifyRows,
} from './measure-attention.js';

const quick = { minRepeats: 2, minSeconds: 0, threads: 1 };

describe('measureAttention', () => {
  it('verifies and times full attention at a small size', async () => {
    const m = await measureAttention({ kind: 'full', batch: 1, heads: 2, seq: 64, headDim: 16, ...quick });
    expect(m.verified.ok).toBe(true);
    expect(m.verified.maxAbsError).toBeLessThan(1e-5);
    expect(m.verified.rows).toBe(2 * 64); // every row of every head
    expect([m.kind, m.batch, m.heads, m.kvHeads, m.seq, m.headDim, m.threads]).toEqual(['full', 1, 2, 2, 64, 16, 1]);
    expect(m.window).toBeUndefined();
    expect(m.repeats).toBe(2);
    expect(m.bestSeconds).toBeLessThanOrEqual(m.seconds);
    expect(m.flops).toBe(4 * 64 * 64 * 16 * 2);
    expect(m.gflops).toBeCloseTo(m.flops / m.seconds / 1e9, 9);
    expect(m.peakBytes).toBe(m.memory.peakBytes);
    expect(m.rssDeltaBytes).toBeGreaterThanOrEqual(0);
  });

  it('verifies causal GQA and sliding-window runs', async () => {
    const c = await measureAttention({ kind: 'causal', batch: 2, heads: 4, kvHeads: 2, seq: 32, headDim: 8, ...quick });
    expect(c.verified.ok).toBe(true);
    expect(c.kvHeads).toBe(2);
    const s = await measureAttention({ kind: 'sliding', window: 16, batch: 1, heads: 2, seq: 128, headDim: 8, ...quick });
    expect(s.verified.ok).toBe(true);
    expect(s.window).toBe(16);
    expect(s.flops).toBe(graphAttentionFlops({ kind: 'sliding', window: 16, batch: 1, heads: 2, seq: 128, headDim: 8 }));
  });

  it('checks sampled rows of a few heads when N is large', async () => {
    const m = await measureAttention({ kind: 'sliding', window: 64, batch: 2, heads: 4, kvHeads: 2, seq: 1024, headDim: 16, ...quick });
    expect(m.verified.ok).toBe(true);
    // 16 rows of (0, 0), (1, 3) and (0, 2): B·H·N² = 8M > 2^20.
    expect(m.verified.rows).toBe(16 * 3);
  });

  it('stops between runs when asked, with an AbortError', async () => {
    let calls = 0;
    const opts = { kind: 'full' as const, batch: 1, heads: 1, seq: 16, headDim: 4, ...quick };
    await expect(measureAttention({ ...opts, shouldCancel: () => ++calls > 3 })).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(4);
    await expect(measureAttention({ ...opts, shouldCancel: () => true })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses, with a SkipError and a reason, what would not fit in memory', async () => {
    const err = await measureAttention({ kind: 'full', batch: 1, heads: 12, seq: 4096, headDim: 64, memoryLimitBytes: 1e9, ...quick }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkipError);
    expect((err as SkipError).reason).toMatch(/needs about 1\.\d GiB \(estimated\), over the 953\.7 MiB memory limit/);
  });

  it('refuses what the prediction says would exceed the time limit', async () => {
    const opts = { kind: 'full' as const, batch: 1, heads: 1, seq: 16, headDim: 4, minRepeats: 5, minSeconds: 0, timeLimitSeconds: 10 };
    const err = await measureAttention({ ...opts, predictedSeconds: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkipError);
    expect((err as SkipError).reason).toBe('predicted 2.00 s per run × 7 runs = 14.0 s, over the 10 s time limit');
    await expect(measureAttention({ ...opts, predictedSeconds: 1 })).resolves.toMatchObject({ repeats: 5 });
  });

  it('rejects bad options with a RangeError naming the field', async () => {
    const base = { batch: 1, heads: 2, seq: 16, headDim: 4 };
    await expect(measureAttention({ ...base, kind: 'sliding', window: 6 })).rejects.toThrow(/multiple of the chunk/);
    await expect(measureAttention({ ...base, kind: 'sliding' })).rejects.toThrow(/window is required/);
    await expect(measureAttention({ ...base, kind: 'linear' as 'full' })).rejects.toThrow(/^kind must/);
    await expect(measureAttention({ ...base, kind: 'full', threads: 0 })).rejects.toThrow(/^threads must/);
    await expect(measureAttention({ ...base, kind: 'full', memoryLimitBytes: -1 })).rejects.toThrow(/^memoryLimitBytes must/);
  });
});

describe('estimateAttentionMemory', () => {
  it('full attention: two B·H·N² score tensors, the inputs, the output and its JS copy', async () => {
    const spec = { kind: 'full' as const, batch: 1, heads: 12, seq: 1024, headDim: 64 };
    const m = await estimateAttentionMemory(spec);
    const scores = 12 * 1024 * 1024 * 4;
    const io = 12 * 1024 * 64 * 4;
    expect(m.maskBytes).toBe(0);
    expect(m.outputCopyBytes).toBe(io);
    // Liveness peak: two score-sized tensors (scores and the scaled scores) plus V.
    expect(m.activationBytes).toBe(2 * scores + io);
    expect(m.peakBytes).toBe(m.activationBytes + m.outputCopyBytes);
    const p = profileModel(await loadModelFromBytes(buildAttentionGraph(spec), 'x'), {});
    expect(m.activationBytes).toBe(p.totals.activationBytes);
    const causal = await estimateAttentionMemory({ ...spec, kind: 'causal' });
    expect(causal.maskBytes).toBe(1024 * 1024 * 4);
  });

  it('sliding attention grows linearly with seq', async () => {
    const at = (seq: number) => estimateAttentionMemory({ kind: 'sliding', window: 256, batch: 1, heads: 12, seq, headDim: 64 });
    const [a, b] = await Promise.all([at(2048), at(4096)]);
    expect(b.peakBytes / a.peakBytes).toBeCloseTo(2, 6);
    expect(b.maskBytes).toBe(3 * 4096 * 128 * 4);
    const full = await estimateAttentionMemory({ kind: 'full', batch: 1, heads: 12, seq: 4096, headDim: 64 });
    expect(full.peakBytes / b.peakBytes).toBeGreaterThan(7);
  });
});

describe('helpers', () => {
  it('session options: the benchmark options with the memory pattern off', () => {
    expect(attentionSessionOptions(3)).toMatchObject({ intraOpNumThreads: 3, graphOptimizationLevel: 'all', enableMemPattern: false });
  });

  it('plannedRepeats: minimum count, minimum time, maximum count', () => {
    expect(plannedRepeats(0.01, 5, 0.3, 200)).toBe(30);
    expect(plannedRepeats(1, 5, 0.3, 200)).toBe(5);
    expect(plannedRepeats(1e-6, 5, 0.3, 200)).toBe(200);
    expect(plannedRepeats(0, 5, 0.3, 200)).toBe(200);
  });

  it('verifyRows: ends, chunk edges, middle, up to 16 distinct rows in range', () => {
    const r = verifyRows(4096, 128);
    expect(r).toHaveLength(16);
    expect(r).toEqual(expect.arrayContaining([0, 1, 127, 128, 2048, 3967, 3968, 4094, 4095]));
    expect(new Set(r).size).toBe(16);
    expect(verifyRows(3, null)).toEqual([0, 1, 2]);
  });

  it('variant labels follow the lab: full, causal, sliding:W', () => {
    expect([variantLabel({ kind: 'full' }), variantLabel({ kind: 'causal' }), variantLabel({ kind: 'sliding', window: 256 })]).toEqual(['full', 'causal', 'sliding:256']);
  });

  it('fitLogSlope recovers exponents and skips missing points', () => {
    const quad = [64, 128, 256, 512].map((seq) => ({ seq, seconds: 3e-9 * seq * seq }));
    const f = fitLogSlope(quad);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(Math.log(3e-9), 9);
    expect(f.r2).toBeCloseTo(1, 12);
    const lin = [...[64, 128, 256].map((seq) => ({ seq, seconds: 1e-6 * seq })), { seq: 512 }, { seq: 1024, seconds: 0 }];
    expect(fitLogSlope(lin)).toMatchObject({ n: 3 });
    expect(fitLogSlope(lin).slope).toBeCloseTo(1, 12);
    expect(fitLogSlope([{ seq: 64, seconds: 1 }]).slope).toBeNaN();
  });
});

describe('measureSweep', () => {
  it('runs every (variant, seq), reports progress and collects skips with reasons', async () => {
    const progress: string[] = [];
    const points = await measureSweep({
      variants: [{ kind: 'full' }, { kind: 'sliding', window: 16 }],
      seqs: [64, 32, 36],
      batch: 1,
      heads: 2,
      headDim: 8,
      ...quick,
      onProgress: (done, total, label) => progress.push(`${done}/${total} ${label}`),
    });
    expect(progress).toEqual(['0/6 full @ 32', '1/6 full @ 36', '2/6 full @ 64', '3/6 sliding:16 @ 32', '4/6 sliding:16 @ 36', '5/6 sliding:16 @ 64', '6/6 done']);
    expect(points.map((p) => `${p.variant}@${p.seq}`)).toEqual(['full@32', 'full@36', 'full@64', 'sliding:16@32', 'sliding:16@36', 'sliding:16@64']);
    for (const p of points.filter((q) => q.variant === 'full' || q.seq !== 36)) {
      expect(p.seconds).toBeGreaterThan(0);
      expect(p.peakBytes).toBeGreaterThan(0);
      expect(p.verified).toBe(true);
      expect(p.skipped).toBeUndefined();
    }
    expect(points[4]!.skipped).toMatch(/multiple of the chunk window\/2 = 8/);
    expect(points[4]!.seconds).toBeUndefined();
    // Without `predict`, later points are extrapolated from the variant's previous one.
    expect(points[0]!.predictedSeconds).toBeUndefined();
    expect(points[1]!.predictedSeconds).toBeCloseTo(points[0]!.seconds! * (36 / 32) ** 2, 12);
    expect(points[5]!.predictedSeconds).toBeCloseTo(points[3]!.seconds! * 2, 12);
  });

  it('skips by memory and by predicted time, and stops on cancel', async () => {
    const base = { batch: 1, heads: 2, headDim: 8, ...quick };
    const points = await measureSweep({
      ...base,
      variants: [{ kind: 'full' }, { kind: 'sliding', window: 8 }],
      seqs: [16, 2048],
      memoryLimitBytes: 16 * 1024 * 1024, // full at 2048 needs ~64 MiB of scores
      predict: (kind, _w, seq) => (kind === 'sliding' && seq > 1000 ? 1e3 : 1e-4),
      timeLimitSeconds: 60,
    });
    expect(points.map((p) => [p.variant, p.seq, p.skipped?.replace(/ \d.*$/, '') ?? 'ran'])).toEqual([
      ['full', 16, 'ran'],
      ['full', 2048, 'needs about'],
      ['sliding:8', 16, 'ran'],
      ['sliding:8', 2048, 'predicted'],
    ]);
    expect(points[3]!.predictedSeconds).toBe(1e3);
    let n = 0;
    await expect(measureSweep({ ...base, variants: [{ kind: 'full' }], seqs: [8, 16], shouldCancel: () => ++n > 1 })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
