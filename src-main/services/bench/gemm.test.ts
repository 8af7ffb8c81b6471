import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../onnx/onnx-schema.js';
import { buildGemmGraph, chainLength, defaultThreadCounts, gemmPlan, runGemm, sessionOptions, toHalf } from './gemm.js';
import type { BenchReporter } from './types.js';

function reporter(signal = new AbortController().signal): BenchReporter & { phases: string[] } {
  const phases: string[] = [];
  return { signal, phases, progress: (p) => phases.push(p), log: () => {} };
}

describe('gemm helpers', () => {
  it('encodes IEEE binary16', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.1)).toBe(0x2e66);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e5)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(2 ** -14)).toBe(0x0400);
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalf(0)).toBe(0);
    expect(toHalf(-0)).toBe(0x8000);
    expect(toHalf(Number.NaN) & 0x7e00).toBe(0x7e00);
  });

  it('sizes chains by FLOPs and by pre-packed weight bytes', () => {
    expect(chainLength({ m: 512, n: 512, k: 512 })).toBe(7);
    expect(chainLength({ m: 4096, n: 4096, k: 4096 })).toBe(1);
    expect(chainLength({ m: 1, n: 4096, k: 4096 })).toBe(4);
    expect(chainLength({ m: 1, n: 4096, k: 4096 }, 1)).toBe(16);
    expect(chainLength({ m: 1, n: 11008, k: 4096 })).toBe(2); // W and V alternate: always even
  });

  it('plans thread counts and shapes', () => {
    expect(defaultThreadCounts(2)).toEqual([1, 2]);
    expect(defaultThreadCounts(12)).toEqual([1, 2, 4, 8, 12]);
    const quick = gemmPlan(true, [1, 2], ['fp32', 'int8', 'fp16']);
    expect(quick.map((c) => `${c.dtype}:${c.shape.m}:${c.threads}`)).toEqual(['fp32:1024:2', 'fp32:2048:2', 'fp32:2048:1', 'fp32:1:2', 'int8:2048:2', 'fp16:1024:2']);
    const full = gemmPlan(false, [1, 2], ['fp32']);
    expect(full.some((c) => c.shape.n === 11008)).toBe(true);
    expect(full.filter((c) => c.shape.m === 4096).map((c) => c.threads)).toEqual([2]);
  });

  it('builds a chain whose output equals X·W·V computed in JS', async () => {
    const shape = { m: 2, n: 3, k: 4 };
    const built = buildGemmGraph(ort, 'fp32', shape, 2, true);
    const init = decodeModel(built.model).graph!.initializer;
    const mat = (name: string) => new Float32Array(Uint8Array.from(init.find((t) => t.name === name)!.rawData!).buffer);
    const [w, v, x] = [mat('W'), mat('V'), built.input.data as Float32Array];
    const mul = (a: Float32Array, b: Float32Array, m: number, k: number, n: number) => {
      const c = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) c[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
      return Float32Array.from(c);
    };
    const ref = mul(mul(x, w, 2, 4, 3), v, 2, 3, 4);
    const session = await ort.InferenceSession.create(built.model, sessionOptions(1));
    try {
      const y = (await session.run({ X: built.input })).Y!;
      expect(y.dims).toEqual([2, 4]);
      Array.from(y.data as Float32Array).forEach((val, i) => expect(val).toBeCloseTo(ref[i]!, 4));
    } finally {
      await session.release();
    }
    // The benchmark's variant returns only the corner of the same product.
    const corner = buildGemmGraph(ort, 'fp32', shape, 2);
    const s2 = await ort.InferenceSession.create(corner.model, sessionOptions(1));
    try {
      const y = (await s2.run({ X: corner.input })).Y!;
      expect(y.dims).toEqual([1, 1]);
      expect((y.data as Float32Array)[0]).toBeCloseTo(ref[0]!, 4);
    } finally {
      await s2.release();
    }
  });
});

describe('runGemm', () => {
  it('measures every dtype at a tiny size (or reports it unsupported)', async () => {
    const r = reporter();
    const res = await runGemm({ quick: true, shapes: [{ m: 32, n: 48, k: 64 }], threadCounts: [1], minRepeats: 2, minSeconds: 0 }, r);
    expect(res.results.length + res.unsupported.length).toBe(3);
    for (const p of res.results) {
      expect(p).toMatchObject({ m: 32, n: 48, k: 64, threads: 1 });
      for (const v of [p.gflops, p.medianSeconds, p.bestSeconds]) expect(Number.isFinite(v) && v > 0).toBe(true);
      expect(p.bestSeconds).toBeLessThanOrEqual(p.medianSeconds);
      expect(p.repeats).toBeGreaterThanOrEqual(2);
      expect(res.best[p.dtype]).toBeGreaterThanOrEqual(p.gflops);
    }
    expect(res.results.some((p) => p.dtype === 'fp32')).toBe(true);
    expect(r.phases).toContain('gemm');
  });

  it('rejects promptly with AbortError when cancelled mid-run', async () => {
    const ac = new AbortController();
    const r = reporter(ac.signal);
    let abortedAt = 0;
    // Abort while the timing loop of the first configuration is running (it would run ~forever).
    setTimeout(() => {
      abortedAt = performance.now();
      ac.abort();
    }, 300);
    const run = runGemm({ quick: true, dtypes: ['fp32'], shapes: [{ m: 64, n: 64, k: 64 }], threadCounts: [1], minRepeats: 1e9, minSeconds: 0 }, r);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
  });
});
