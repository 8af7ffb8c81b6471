// Integration tests for the least-squares GD kernels on real ONNX Runtime: each graph against a hand-computed or float64 reference, the timed result's shape, prediction, cancellation and validation.
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { gdKernels } from '../../../src-shared/planner/gd-cost.js';
import { sessionOptions } from '../bench/gemm.js';
import {
  buildPrecomputeGraph,
  buildPrecomputeStepGraph,
  buildRecomputeStepGraph,
  gramSample,
  linregFlops,
  measureLinreg,
  referenceGramEntries,
  referenceMoment,
  referencePrecomputeStep,
  referenceRecomputeStep,
  seededUniform,
} from './linreg-measure.js';

async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const s = await ort.InferenceSession.create(model, sessionOptions(1));
  try {
    const out = await s.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await s.release();
  }
}

const t = (data: number[], dims: number[]) => new ort.Tensor('float32', Float32Array.from(data), dims);

describe('linreg graphs', () => {
  // X = [[1, 2], [3, 4], [5, 6]], y = [1, 0, 1], w = [1, -1].
  const X = [1, 2, 3, 4, 5, 6];
  const y = [1, 0, 1];
  const w = [1, -1];

  it('recompute step: 2Xᵀ(Xw − y) by hand', async () => {
    // Xw = [-1, -1, -1]; r = [-2, -1, -2]; Xᵀr = [-2 - 3 - 10, -4 - 4 - 12] = [-15, -20]; ×2.
    const out = await run(buildRecomputeStepGraph(3, 2), { X: t(X, [3, 2]), y: t(y, [3, 1]), w: t(w, [2, 1]) });
    expect(Array.from(out.g!)).toEqual([-30, -40]);
  });

  it('precompute: XᵀX and Xᵀy by hand', async () => {
    const out = await run(buildPrecomputeGraph(3, 2), { X: t(X, [3, 2]), y: t(y, [3, 1]) });
    expect(Array.from(out.G!)).toEqual([35, 44, 44, 56]);
    expect(Array.from(out.h!)).toEqual([6, 8]);
  });

  it('precompute step: 2(Gw − h) equals the recompute step', async () => {
    const out = await run(buildPrecomputeStepGraph(2), { G: t([35, 44, 44, 56], [2, 2]), h: t([6, 8], [2, 1]), w: t(w, [2, 1]) });
    // Gw = [-9, -12]; − h = [-15, -20]; ×2.
    expect(Array.from(out.g!)).toEqual([-30, -40]);
  });

  it('matches the float64 references on seeded random data', async () => {
    const [n, d] = [300, 17];
    const Xr = seededUniform(n * d, 11);
    const yr = seededUniform(n, 12);
    const wr = seededUniform(d, 13);
    const rec = await run(buildRecomputeStepGraph(n, d), { X: new ort.Tensor('float32', Xr, [n, d]), y: new ort.Tensor('float32', yr, [n, 1]), w: new ort.Tensor('float32', wr, [d, 1]) });
    const refG = referenceRecomputeStep(Xr, yr, wr, n, d);
    rec.g!.forEach((v, i) => expect(Math.abs(v - refG[i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(refG[i]!))));
    const pre = await run(buildPrecomputeGraph(n, d), { X: new ort.Tensor('float32', Xr, [n, d]), y: new ort.Tensor('float32', yr, [n, 1]) });
    const pairs = gramSample(d);
    expect(pairs).toHaveLength(d * d); // small d: every entry
    const gram = referenceGramEntries(Xr, n, d, pairs);
    pairs.forEach(([a, b], i) => expect(pre.G![a * d + b]).toBeCloseTo(gram[i]!, 3));
    const h = referenceMoment(Xr, yr, n, d);
    pre.h!.forEach((v, i) => expect(v).toBeCloseTo(h[i]!, 3));
    // The precompute step on ORT's G, h gives the same gradient as the recompute step.
    const step = await run(buildPrecomputeStepGraph(d), { G: new ort.Tensor('float32', pre.G!, [d, d]), h: new ort.Tensor('float32', pre.h!, [d, 1]), w: new ort.Tensor('float32', wr, [d, 1]) });
    const refStep = referencePrecomputeStep(pre.G!, pre.h!, wr, d);
    step.g!.forEach((v, i) => {
      expect(v).toBeCloseTo(refStep[i]!, 2);
      expect(Math.abs(v - refG[i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(refG[i]!)));
    });
  });

  it('samples the diagonal and 512 entries of a large Gram matrix', () => {
    const pairs = gramSample(256);
    expect(pairs).toHaveLength(256 + 512);
    expect(pairs.slice(0, 256).every(([a, b]) => a === b)).toBe(true);
    expect(pairs.every(([a, b]) => a >= 0 && a < 256 && b >= 0 && b < 256)).toBe(true);
  });
});

describe('measureLinreg', () => {
  const quick = { minRepeats: 3, minSeconds: 0, threads: 1 };

  it('verifies, times and predicts the three kernels at a small size', async () => {
    const roofline = { peakGflops: 100, bandwidthGBs: 20 };
    const r = await measureLinreg({ n: 2000, d: 96, ...quick, roofline });
    expect(r.verified.ok).toBe(true);
    expect(r.verified.maxRelError).toBeLessThan(1e-4);
    expect(r.verified.checked).toBe(96 + 96 + 96 + 512 + 96); // g, G diagonal + sample, h, step
    expect([r.n, r.d, r.threads]).toEqual([2000, 96, 1]);
    for (const k of ['recomputeStep', 'precompute', 'precomputeStep'] as const) {
      expect(r.seconds[k]).toBeGreaterThan(0);
      expect(r.bestSeconds[k]).toBeLessThanOrEqual(r.seconds[k]);
      expect(r.repeats[k]).toBeGreaterThanOrEqual(3);
      expect(r.gflops[k]).toBeCloseTo(r.flops[k] / r.seconds[k] / 1e9, 9);
    }
    const k = gdKernels(2000, 96);
    expect(r.flops).toEqual(linregFlops(2000, 96));
    expect(r.flops.precompute).toBe(k.gram.flops + k.moment.flops);
    const s = r.seconds;
    expect(r.measuredBreakEvenSteps).toBeCloseTo(s.precompute / (s.recomputeStep - s.precomputeStep), 9);
    expect(r.predicted).toBeDefined();
    const p = r.predicted!;
    expect(p.seconds.recomputeStep).toBeCloseTo((k.residual.bytes + k.gradient.bytes) / 20e9, 15); // memory bound
    expect(p.breakEvenSteps.seconds).toBeDefined();
    expect(p.breakEvenSteps.flops).toBeCloseTo((2 * 2000 * 96 * 96 + 2 * 2000 * 96) / (4 * 2000 * 96 + 2000 - 2 * 96 * 96 - 96), 9);
  });

  it('leaves out the prediction without a roofline', async () => {
    const r = await measureLinreg({ n: 64, d: 4, ...quick });
    expect(r.predicted).toBeUndefined();
    expect(r.verified.ok).toBe(true);
  });

  it('stops between timings when asked, with an AbortError', async () => {
    let calls = 0;
    await expect(measureLinreg({ n: 64, d: 4, ...quick, shouldCancel: () => ++calls > 3 })).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(4);
    await expect(measureLinreg({ n: 64, d: 4, shouldCancel: () => true })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects bad sizes with a RangeError naming the field', async () => {
    await expect(measureLinreg({ n: 0, d: 4 })).rejects.toThrow(/^n must/);
    await expect(measureLinreg({ n: 10, d: 2.5 })).rejects.toThrow(/^d must/);
    await expect(measureLinreg({ n: 2 ** 20, d: 1024 })).rejects.toThrow(/^n × d/);
    await expect(measureLinreg({ n: 10, d: 4, threads: 0 })).rejects.toThrow(/^threads must/);
    await expect(measureLinreg({ n: 10, d: 4, minSeconds: -1 })).rejects.toThrow(/^minSeconds/);
  });
});
