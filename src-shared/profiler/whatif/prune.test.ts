// Pruning what-if: layer-wise and global magnitude pruning, 2:4 structured sparsity, remaining
// parameters and FLOPs, and the cubic schedule of Zhu & Gupta 2017, against hand-computed values.
import { describe, expect, it } from 'vitest';
import { absBits, countKept, cubicSchedule, cubicSparsity, layerwiseCounts, MagnitudeHistogram, prune24, prunedCost, pruneLayerwise } from './prune.js';
import { fakeProfile } from './test-profile.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('magnitude pruning', () => {
  it('layer-wise zeroes exactly ⌊s·n⌋ weights of smallest |w|', () => {
    const r = pruneLayerwise([0.1, -0.5, 0.3, 0.05], 0.5);
    expect(Array.from(r.values)).toEqual([0, -0.5, Math.fround(0.3), 0]);
    expect(r).toMatchObject({ pruned: 2, kept: 2 });
    expect(r.threshold).toBeCloseTo(0.1, 6);
    expect(layerwiseCounts(10, 0.35)).toEqual({ pruned: 3, kept: 7 });
  });

  it('|w| bit patterns are monotonic in |w|', () => {
    const xs = [0, 1e-30, 1e-8, 0.001, 0.5, 1, 3, 1e20];
    for (let i = 1; i < xs.length; i++) expect(absBits(xs[i]!)).toBeGreaterThan(absBits(xs[i - 1]!));
    expect(absBits(-2)).toBe(absBits(2));
  });

  it('global threshold across tensors: prunes the target count of smallest |w|', () => {
    const a = Float32Array.from({ length: 500 }, (_, i) => (i + 1) / 1000); // 0.001 … 0.5
    const b = Float32Array.from({ length: 500 }, (_, i) => -(i + 501) / 1000); // −0.501 … −1.0
    const h = new MagnitudeHistogram();
    h.add(a);
    h.add(b);
    const { threshold, pruned } = h.threshold(0.3);
    expect(pruned).toBe(300);
    expect(countKept(a, threshold) + countKept(b, threshold)).toBe(700);
    expect(countKept(a, threshold)).toBe(200); // the 300 smallest are all in tensor a
    expect(countKept(b, threshold)).toBe(500);
    expect(h.threshold(0)).toEqual({ threshold: 0, pruned: 0 });
    expect(h.threshold(1)).toEqual({ threshold: Infinity, pruned: 1000 });
  });

  it('global threshold on Gaussian-like weights lands within 0.1 % of the target', () => {
    const r = lcg(5);
    const w = Float32Array.from({ length: 200_000 }, () => (r() + r() + r() - 1.5) * 0.05);
    const h = new MagnitudeHistogram();
    h.add(w);
    const { threshold } = h.threshold(0.5);
    expect(Math.abs(1 - countKept(w, threshold) / w.length - 0.5)).toBeLessThan(0.001);
  });
});

describe('2:4 structured sparsity', () => {
  it('keeps the 2 largest |w| of every 4 along the input axis', () => {
    const r = prune24([1, -4, 3, 2, 0.5, 0.25, -0.75, 0.1], [2, 4], 1);
    expect(Array.from(r.values)).toEqual([0, -4, 3, 0, 0.5, 0, -0.75, 0]);
    expect(r).toMatchObject({ eligible: true, kept: 4, pruned: 4 });
  });

  it('groups run along axis 0 for a [K, N] MatMul weight', () => {
    // Column j holds the group (k = 0..3) for output j.
    const r = prune24([1, 8, 2, 7, 3, 6, 4, 5], [4, 2], 0);
    expect(Array.from(r.values)).toEqual([0, 8, 0, 7, 3, 0, 4, 0]);
  });

  it('keeps exactly 50 % with exactly 2 non-zeros per group, on random weights', () => {
    const rand = lcg(9);
    const dims = [16, 32, 3, 3]; // Conv [Cout, Cin, kh, kw]: groups along Cin
    const w = Float32Array.from({ length: 16 * 32 * 9 }, () => rand() * 2 - 1);
    const r = prune24(w, dims, 1);
    expect(r.kept).toBe(w.length / 2);
    expect(Array.from(r.values).filter((x) => x !== 0).length).toBe(w.length / 2);
    for (let o = 0; o < 16; o++) for (let g = 0; g < 32; g += 4) for (let s = 0; s < 9; s++) {
      const idx = [0, 1, 2, 3].map((j) => (o * 32 + g + j) * 9 + s);
      const kept = idx.filter((i) => r.values[i] !== 0);
      expect(kept.length).toBe(2);
      const minKept = Math.min(...kept.map((i) => Math.abs(w[i]!)));
      const maxPruned = Math.max(...idx.filter((i) => r.values[i] === 0).map((i) => Math.abs(w[i]!)));
      expect(minKept).toBeGreaterThanOrEqual(maxPruned);
    }
  });

  it('leaves a tensor dense when the input dimension is not a multiple of 4', () => {
    const r = prune24(new Float32Array(12), [2, 6], 1);
    expect(r).toMatchObject({ eligible: false, kept: 12, pruned: 0 });
  });
});

describe('remaining parameters and FLOPs', () => {
  it('product FLOPs scale with the weight density; other ops and params of other tensors are unchanged', () => {
    const p = fakeProfile([
      { name: 'fc1', opType: 'Gemm', params: 110, macs: 100, flops: 200 },
      { name: 'relu', opType: 'Relu', otherOps: 10 },
      { name: 'fc2', opType: 'Gemm', params: 55, macs: 50, flops: 100 },
    ]);
    const c = prunedCost(p, [
      { tensor: 'fc1.w', nodes: ['fc1'], elements: 100, kept: 25 },
      { tensor: 'fc2.w', nodes: ['fc2'], elements: 50, kept: 50 },
    ]);
    expect(c.params).toEqual({ before: 165, after: 90, prunable: 150, prunableKept: 75 });
    expect(c.flops).toEqual({ before: 300, after: 50 + 100 });
    expect(c.nodes).toEqual([
      { name: 'fc1', density: 0.25, flopsBefore: 200, flopsAfter: 50 },
      { name: 'fc2', density: 1, flopsBefore: 100, flopsAfter: 100 },
    ]);
  });
});

describe('cubic schedule (Zhu & Gupta 2017, eq. 1)', () => {
  const o = { initialSparsity: 0, finalSparsity: 0.8, startStep: 1000, frequency: 100, pruningSteps: 50 };
  it('starts at s_i, ends at s_f, and is s_f + (s_i − s_f)/8 halfway', () => {
    expect(cubicSparsity(1000, o)).toBe(0);
    expect(cubicSparsity(6000, o)).toBe(0.8);
    expect(cubicSparsity(3500, o)).toBeCloseTo(0.8 - 0.8 / 8, 12);
    expect(cubicSparsity(0, o)).toBe(0);
    expect(cubicSparsity(1e9, o)).toBe(0.8);
  });
  it('gives n + 1 non-decreasing points, pruning fastest early', () => {
    const pts = cubicSchedule(o);
    expect(pts.length).toBe(51);
    expect(pts[0]).toEqual({ step: 1000, sparsity: 0 });
    expect(pts[50]).toEqual({ step: 6000, sparsity: 0.8 });
    for (let i = 1; i < pts.length; i++) expect(pts[i]!.sparsity).toBeGreaterThanOrEqual(pts[i - 1]!.sparsity);
    expect(pts[1]!.sparsity - pts[0]!.sparsity).toBeGreaterThan(pts[50]!.sparsity - pts[49]!.sparsity);
  });
});
