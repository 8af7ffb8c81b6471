// Unit tests for the gradient-descent cost model: hand-counted kernels, break-even consistency (the curves cross at k*), intensities, time vs FLOP break-even, validation.
import { describe, expect, it } from 'vitest';
import {
  crossingSteps,
  flopBreakEvenSteps,
  gdCost,
  gdCostSeries,
  gdKernels,
  kernelSeconds,
  logSpacedSteps,
  measuredBreakEvenSteps,
} from './gd-cost.js';

const roof = { peakGflops: 300, bandwidthGBs: 50 };

describe('gdKernels', () => {
  it('counts a 4×2 problem by hand (fp32)', () => {
    const k = gdKernels(4, 2);
    // r = Xw − y: 4 rows × 2 multiply-adds = 16, minus y 4 → 20; read X 8, w 2, y 4, write r 4 = 18 floats.
    expect([k.residual.flops, k.residual.bytes]).toEqual([20, 72]);
    // g = 2Xᵀr: 16 + 2 (the ×2); read X 8, r 4, write g 2 = 14 floats.
    expect([k.gradient.flops, k.gradient.bytes]).toEqual([18, 56]);
    expect([k.update.flops, k.update.bytes]).toEqual([4, 24]);
    // G = XᵀX: 2·4·2·2 = 32; read X 8, write G 4.
    expect([k.gram.flops, k.gram.bytes]).toEqual([32, 48]);
    expect([k.moment.flops, k.moment.bytes]).toEqual([16, 56]);
    // 2(Gw − h): Gw 8, −h 2, ×2 2; read G 4, w 2, h 2, write g 2.
    expect([k.gramGradient.flops, k.gramGradient.bytes]).toEqual([12, 40]);
    expect(k.cholesky.flops).toBeCloseTo(8 / 3, 12);
    expect(k.cholesky.bytes).toBe(24);
    expect([k.solve.flops, k.solve.bytes]).toEqual([8, 56]);
    expect(k.residual.intensity).toBeCloseTo(20 / 72, 12);
  });

  it('bytes scale with the element size', () => {
    const a = gdKernels(100, 10, 4);
    const b = gdKernels(100, 10, 2);
    expect(b.gram.bytes * 2).toBe(a.gram.bytes);
    expect(b.gram.flops).toBe(a.gram.flops);
  });

  it('puts the recompute step at ≈ 0.5 FLOP/byte and XᵀX at ≈ d/2 (fp32, n ≫ d)', () => {
    const n = 100_000;
    const d = 256;
    const c = gdCost(n, d, 1);
    expect(c.recompute.stepFlops / c.recompute.stepBytes).toBeCloseTo(0.5, 2);
    const k = gdKernels(n, d);
    expect(k.residual.intensity).toBeCloseTo(0.5, 2);
    expect(k.gradient.intensity).toBeCloseTo(0.5, 2);
    expect(k.gram.intensity).toBeCloseTo((d / 2) * (n / (n + d)), 6);
    expect(k.gram.intensity).toBeGreaterThan(127);
  });
});

describe('gdCost', () => {
  it('totals the strategies by hand (4×2, 3 steps)', () => {
    const c = gdCost(4, 2, 3);
    expect(c.recompute.stepFlops).toBe(4 * 8 + 4 + 3 * 2); // 4nd + n + 3d = 42
    expect(c.recompute.setupFlops).toBe(0);
    expect(c.recompute.flops).toBe(3 * 42);
    expect(c.recompute.bytes).toBe(3 * (72 + 56 + 24));
    expect(c.precompute.setupFlops).toBe(2 * 4 * 4 + 2 * 8); // 2nd² + 2nd = 48
    expect(c.precompute.stepFlops).toBe(2 * 4 + 4 * 2); // 2d² + 4d = 16
    expect(c.precompute.flops).toBe(48 + 3 * 16);
    expect(c.closedForm.flops).toBeCloseTo(48 + 8 / 3 + 2 * 4, 12); // + d³/3 + 2d²
    expect(c.closedForm.stepFlops).toBe(0);
    expect(c.recompute.seconds).toBeUndefined();
    expect(c.breakEven.precomputeVsRecompute).toEqual({ flops: 48 / 26 });
  });

  it('the FLOP break-even matches the closed formula and the curves cross there', () => {
    for (const [n, d] of [[100_000, 256], [1000, 100], [50, 7], [20_000, 1024]] as const) {
      const c = gdCost(n, d, 1);
      const k = c.breakEven.precomputeVsRecompute.flops;
      expect(k).toBeCloseTo(flopBreakEvenSteps(n, d), 9);
      const rec = k * c.recompute.stepFlops;
      const pre = c.precompute.setupFlops + k * c.precompute.stepFlops;
      expect(Math.abs(pre - rec) / rec).toBeLessThan(1e-12);
      // Whole steps either side: recompute is cheaper before, precompute after.
      const before = Math.floor(k);
      const after = Math.ceil(k) === k ? k + 1 : Math.ceil(k);
      if (before >= 1) {
        const b = gdCost(n, d, before);
        expect(b.recompute.flops).toBeLessThanOrEqual(b.precompute.flops);
      }
      const a = gdCost(n, d, after);
      expect(a.precompute.flops).toBeLessThan(a.recompute.flops);
    }
    expect(flopBreakEvenSteps(100_000, 256)).toBeGreaterThan(127);
    expect(flopBreakEvenSteps(100_000, 256)).toBeLessThan(129); // ≈ d/2
  });

  it('never breaks even when d ≳ 2n', () => {
    expect(flopBreakEvenSteps(100, 200)).toBe(Infinity);
    expect(flopBreakEvenSteps(100, 1000)).toBe(Infinity);
    expect(gdCost(100, 1000, 5).breakEven.precomputeVsRecompute.flops).toBe(Infinity);
    expect(Number.isFinite(flopBreakEvenSteps(100, 150))).toBe(true);
  });

  it('predicts kernel time as max(FLOPs/peak, bytes/bandwidth)', () => {
    const k = gdKernels(1000, 100);
    const r = { peakGflops: 1000, bandwidthGBs: 100 };
    // residual: 201000 FLOPs, 408400 bytes → memory bound, 408400 / 1e11 s.
    expect(kernelSeconds(k.residual, r)).toBeCloseTo(408_400 / 1e11, 18);
    // gram: 2e7 FLOPs over 440000 bytes (45 FLOP/B > ridge 10) → compute bound, 2e7 / 1e12 s.
    expect(kernelSeconds(k.gram, r)).toBeCloseTo(2e7 / 1e12, 18);
    const c = gdCost(1000, 100, 10, 4, r);
    const step = kernelSeconds(k.residual, r) + kernelSeconds(k.gradient, r) + kernelSeconds(k.update, r);
    expect(c.recompute.stepSeconds).toBeCloseTo(step, 18);
    expect(c.recompute.seconds).toBeCloseTo(10 * step, 15);
    expect(c.closedForm.seconds).toBeCloseTo(c.closedForm.setupSeconds!, 18);
  });

  it('breaks even far sooner in time than in FLOPs: memory-bound steps against a compute-bound GEMM', () => {
    const c = gdCost(100_000, 256, 1000, 4, roof);
    const be = c.breakEven.precomputeVsRecompute;
    expect(be.seconds).toBeDefined();
    // The predicted times cross at the time break-even.
    const rec = be.seconds! * c.recompute.stepSeconds!;
    const pre = c.precompute.setupSeconds! + be.seconds! * c.precompute.stepSeconds!;
    expect(Math.abs(pre - rec) / rec).toBeLessThan(1e-12);
    // Recompute step ≈ 205 MB at 50 GB/s ≈ 4.1 ms; XᵀX ≈ 13.1 GFLOP at 300 GFLOP/s ≈ 44 ms (+ Xᵀy ≈ 2 ms).
    expect(c.recompute.stepSeconds!).toBeCloseTo((2 * 100_000 * 256 * 4) / 50e9, 4);
    expect(be.seconds!).toBeGreaterThan(10);
    expect(be.seconds!).toBeLessThan(13);
    expect(be.flops / be.seconds!).toBeGreaterThan(10);
  });

  it('the closed form beats precompute after ≈ d/6 steps in FLOPs', () => {
    const c = gdCost(100_000, 256, 1);
    const k = c.breakEven.closedFormVsPrecompute.flops;
    const expected = (256 ** 3 / 3 + 2 * 256 ** 2) / (2 * 256 ** 2 + 4 * 256);
    expect(k).toBeCloseTo(expected, 9);
    expect(k).toBeGreaterThan(40);
    expect(k).toBeLessThan(45);
  });

  it('rejects bad input with a RangeError naming the field', () => {
    expect(() => gdCost(0, 10, 1)).toThrow(/^n must/);
    expect(() => gdCost(1.5, 10, 1)).toThrow(RangeError);
    expect(() => gdCost(10, -1, 1)).toThrow(/^d must/);
    expect(() => gdCost(10, 2e6, 1)).toThrow(/^d must/);
    expect(() => gdCost(10, 10, 0)).toThrow(/^steps must/);
    expect(() => gdCost(10, 10, Number.NaN)).toThrow(/^steps must/);
    expect(() => gdCost(10, 10, 1, 3.5)).toThrow(/^bytesPerElement must/);
    expect(() => gdCost(10, 10, 1, 4, { peakGflops: 0, bandwidthGBs: 10 })).toThrow(/^roofline\.peakGflops/);
    expect(() => gdCost(10, 10, 1, 4, { peakGflops: 10, bandwidthGBs: Infinity })).toThrow(/^roofline\.bandwidthGBs/);
    expect(() => gdCostSeries(10, 10, 0)).toThrow(/^kMax must/);
    expect(() => flopBreakEvenSteps(10, 0)).toThrow(/^d must/);
  });
});

describe('gdCostSeries', () => {
  it('gives log-spaced whole step counts from 1 to kMax', () => {
    const ks = logSpacedSteps(10_000, 40);
    expect(ks[0]).toBe(1);
    expect(ks[ks.length - 1]).toBe(10_000);
    for (let i = 1; i < ks.length; i++) expect(ks[i]!).toBeGreaterThan(ks[i - 1]!);
    expect(ks.every(Number.isInteger)).toBe(true);
    expect(ks.length).toBeGreaterThan(30);
    expect(logSpacedSteps(1)).toEqual([1]);
    expect(logSpacedSteps(3, 64)).toEqual([1, 2, 3]);
  });

  it('accumulates setup + k × step and crosses at the break-even', () => {
    const s = gdCostSeries(100_000, 256, 10_000, roof);
    expect(s.points.length).toBeGreaterThan(40);
    const k = s.breakEven.precomputeVsRecompute;
    for (const p of s.points) {
      expect(p.flops.recompute).toBeCloseTo(p.steps * s.cost.recompute.stepFlops, 0);
      expect(p.flops.closedForm).toBe(s.cost.closedForm.setupFlops);
      expect(p.seconds).toBeDefined();
      // Before k* recompute is cheaper, after it precompute is: in both units.
      expect(p.flops.precompute < p.flops.recompute).toBe(p.steps > k.flops);
      expect(p.seconds!.precompute < p.seconds!.recompute).toBe(p.steps > k.seconds!);
    }
    expect(s.cost.steps).toBe(10_000);
    expect(gdCostSeries(1000, 10, 100).points[0]!.seconds).toBeUndefined();
  });
});

describe('break-even helpers', () => {
  it('crossingSteps covers never, always and in between', () => {
    expect(crossingSteps(10, 1, 0, 3)).toBe(5);
    expect(crossingSteps(10, 3, 0, 3)).toBe(Infinity);
    expect(crossingSteps(0, 1, 5, 3)).toBe(0);
  });

  it('measuredBreakEvenSteps = precompute / (recomputeStep − precomputeStep)', () => {
    expect(measuredBreakEvenSteps({ recomputeStep: 0.004, precompute: 0.05, precomputeStep: 0.00001 })).toBeCloseTo(0.05 / 0.00399, 9);
    expect(measuredBreakEvenSteps({ recomputeStep: 0.001, precompute: 0.05, precomputeStep: 0.002 })).toBe(Infinity);
    expect(() => measuredBreakEvenSteps({ recomputeStep: 0, precompute: 1, precomputeStep: 1 })).toThrow(/^recomputeStep/);
  });
});
