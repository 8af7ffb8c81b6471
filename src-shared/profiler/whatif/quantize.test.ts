// Quantization what-if: storage sizes, affine quantization by hand, SQNR against the textbook
// 6.02·b (+1.76 for a sine) dB, per-channel vs per-tensor, and the roofline speed-up rules.
import { describe, expect, it } from 'vitest';
import {
  affineParams, fakeQuantize, layerSpeedup, modelSizes, modelSpeedup, quantizationError, roundHalfEven, sqnrDb, tensorSizeBytes,
} from './quantize.js';
import { node } from './test-profile.js';

/** Seeded uniform [0, 1) (LCG, Numerical Recipes constants). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('sizes', () => {
  it('fp32 / fp16 / bf16 are 4 / 2 / 2 bytes per element', () => {
    const t = { name: 'w', dims: [10, 20] };
    expect(tensorSizeBytes(t, 'fp32')).toBe(800);
    expect(tensorSizeBytes(t, 'fp16')).toBe(400);
    expect(tensorSizeBytes(t, 'bf16')).toBe(400);
    expect(tensorSizeBytes(t, 'fp8')).toBe(200 + 4);
  });
  it('int4 packs two per byte plus one fp32 scale per output channel', () => {
    expect(tensorSizeBytes({ name: 'w', dims: [64, 33] }, 'int4')).toBe(1056 + 64 * 4);
    expect(tensorSizeBytes({ name: 'w', dims: [3, 3] }, 'int4')).toBe(5 + 12); // 9 nibbles → 5 bytes
    expect(tensorSizeBytes({ name: 'w', dims: [3, 3] }, 'int4', { symmetric: false })).toBe(5 + 12 + 2); // + 3 packed zero points
    expect(tensorSizeBytes({ name: 'w', dims: [8, 4], channelAxis: 1 }, 'int8')).toBe(32 + 16);
  });
  it('biases (rank 1) stay fp32 in the integer formats; fp16 converts them', () => {
    const sizes = modelSizes([{ name: 'w', dims: [4, 4] }, { name: 'b', dims: [4] }]);
    expect(sizes.int8).toBe(16 + 16 + 16);
    expect(sizes.fp16).toBe(40);
    expect(sizes.fp32).toBe(80);
  });
});

describe('linear quantization', () => {
  it('rounds half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });
  it('symmetric 8-bit: s = max|x| / 127', () => {
    const xhat = fakeQuantize([-1, 0.5, 1], [3], { bits: 8, symmetric: true, granularity: 'per-tensor' });
    expect(xhat[0]).toBeCloseTo(-1, 12);
    expect(xhat[1]).toBeCloseTo(64 / 127, 12); // 63.5 → 64 (ties to even)
    expect(xhat[2]).toBeCloseTo(1, 12);
  });
  it('asymmetric: range stretched to hold 0, zero point rounded, values clamped', () => {
    expect(affineParams(-1, 3, 2, false)).toEqual({ scale: 4 / 3, zeroPoint: 1 });
    const xhat = fakeQuantize([-1, 3], [2], { bits: 2, symmetric: false, granularity: 'per-tensor' });
    expect(xhat[0]).toBeCloseTo(-4 / 3, 12); // round(−0.75) + 1 = 0 → s·(0 − 1)
    expect(xhat[1]).toBeCloseTo(8 / 3, 12); // round(2.25) + 1 = 3 = qmax → s·2
    expect(affineParams(2, 5, 8, false).zeroPoint).toBe(0); // min stretched to 0
    expect(affineParams(0, 0, 8, true)).toEqual({ scale: 1, zeroPoint: 0 });
  });
  it('an exactly representable tensor is lossless (SQNR null)', () => {
    const e = quantizationError([0, 1, 2, 3], [4], { bits: 2, symmetric: false, granularity: 'per-tensor' });
    expect(e.noise).toBe(0);
    expect(e.sqnrDb).toBeNull();
  });
});

describe('SQNR', () => {
  it('full-scale sine: ≈ 6.02·b + 1.76 dB', () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(2 * Math.PI * 0.0123456789 * Math.SQRT2 * i));
    for (const bits of [6, 8, 10]) {
      const e = quantizationError(x, [n], { bits, symmetric: true, granularity: 'per-tensor' });
      // The symmetric grid ±(2^(b−1) − 1) has 2^b − 2 steps over [−A, A] (−0.02 dB at 8 bits), and
      // the Δ²/12 noise model is approximate for a periodic signal at few bits: 0.3 dB tolerance.
      expect(Math.abs(e.sqnrDb! - (6.02 * bits + 1.76))).toBeLessThan(0.3);
    }
  });
  it('full-scale uniform signal: ≈ 6.02·b dB', () => {
    const r = lcg(7);
    const n = 200_000;
    const x = Float64Array.from({ length: n }, () => 2 * r() - 1);
    for (const bits of [4, 8]) {
      const e = quantizationError(x, [n], { bits, symmetric: false, granularity: 'per-tensor' });
      // Exactly: Δ = 2A / (2^b − 1) (2^b levels span 2^b − 1 steps), so SQNR = 20·log10(2^b − 1),
      // which → 6.02·b as b grows (23.52 vs 24.08 dB at 4 bits, 48.13 vs 48.16 at 8).
      expect(Math.abs(e.sqnrDb! - 20 * Math.log10(2 ** bits - 1))).toBeLessThan(0.1);
    }
    const e8 = quantizationError(x, [n], { bits: 8, symmetric: false, granularity: 'per-tensor' });
    expect(Math.abs(e8.sqnrDb! - 6.02 * 8)).toBeLessThan(0.2);
  });
  it('sqnrDb on explicit x̂ matches the streamed error', () => {
    const r = lcg(3);
    const x = Float64Array.from({ length: 1000 }, () => r() - 0.3);
    const scheme = { bits: 4, symmetric: true, granularity: 'per-tensor' as const };
    expect(sqnrDb(x, fakeQuantize(x, [1000], scheme))).toBeCloseTo(quantizationError(x, [1000], scheme).sqnrDb!, 10);
  });
  it('per-channel beats per-tensor when channel ranges differ (axis 0 = output channels)', () => {
    const r = lcg(11);
    const dims = [3, 500];
    const x = Float64Array.from({ length: 1500 }, (_, i) => (2 * r() - 1) * [1, 10, 100][Math.floor(i / 500)]!);
    const pt = quantizationError(x, dims, { bits: 8, symmetric: true, granularity: 'per-tensor' });
    const pc = quantizationError(x, dims, { bits: 8, symmetric: true, granularity: 'per-channel', axis: 0 });
    expect(pc.channels).toBe(3);
    expect(pc.sqnrDb!).toBeGreaterThan(pt.sqnrDb!);
    // Along axis 1 there are 500 channels, each spanning all three scales.
    expect(quantizationError(x, dims, { bits: 8, symmetric: true, granularity: 'per-channel', axis: 1 }).channels).toBe(500);
  });
});

describe('roofline speed-up', () => {
  const device = { peakGflops: { fp32: 1000 }, bandwidthGBs: 100 }; // ridge = 10 FLOP/byte

  it('memory-bound layer: speeds up by the byte ratio (weights 4 → 1 byte)', () => {
    const n = node({ name: 'fc', opType: 'Gemm', params: 225_000, macs: 500_000, flops: 1_000_000, bytesRead: 950_000, bytesWritten: 50_000 });
    const s = layerSpeedup(n, 'int8', device);
    expect(s.bound).toBe('memory');
    expect(s.basis).toBe('bytes');
    // before 1e6 bytes; after 100,000 activation bytes + 225,000 int8 weight bytes.
    expect(s.speedup).toBeCloseTo(1_000_000 / 325_000, 9);
    const w8a8 = layerSpeedup(n, 'int8', device, { weightOnly: false });
    expect(w8a8.speedup).toBeCloseTo(4, 9);
  });
  it('compute-bound layer: 1× without an int8 peak, peak ratio with one', () => {
    const n = node({ name: 'conv', opType: 'Conv', params: 1000, macs: 5e8, flops: 1e9, bytesRead: 500_000, bytesWritten: 500_000 });
    const none = layerSpeedup(n, 'int8', device);
    expect(none.bound).toBe('compute');
    expect(none.speedup).toBe(1);
    expect(none.basis).toMatch(/no peak/);
    const known = layerSpeedup(n, 'int8', { ...device, peakGflops: { fp32: 1000, int8: 4000 } });
    expect(known.speedup).toBeCloseTo(4, 9);
    expect(known.basis).toBe('compute-peak');
  });
  it('a memory-bound layer that crosses the ridge is capped by the roof', () => {
    // I = 8 before (memory-bound), 32 after weights shrink 4× → compute-bound at 1000 GFLOP/s.
    const n = node({ name: 'fc', opType: 'MatMul', params: 250_000, macs: 4e6, flops: 8e6, bytesRead: 1e6, bytesWritten: 0 });
    const s = layerSpeedup(n, 'int8', device);
    expect(s.speedup).toBeCloseTo(1.25, 9); // t: 8e6/800e9 → 8e6/1000e9
  });
  it('element-wise nodes keep their bytes under weight-only quantization; the model total is Σ before / Σ after', () => {
    const relu = node({ name: 'relu', opType: 'Relu', otherOps: 1000, bytesRead: 4000, bytesWritten: 4000 });
    const fc = node({ name: 'fc', opType: 'Gemm', params: 1000, macs: 1000, flops: 2000, bytesRead: 4000 + 40, bytesWritten: 40 });
    expect(layerSpeedup(relu, 'int8', device).speedup).toBe(1);
    const m = modelSpeedup([relu, fc], 'int8', device);
    const before = 8000 / 100e9 + 4080 / 100e9;
    const after = 8000 / 100e9 + (80 + 1000) / 100e9;
    expect(m.speedup).toBeCloseTo(before / after, 9);
  });
});
