import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../gpu/cpu-reference.js';
import { fitScalingLaw, HUBER_DELTA, INIT_GRID, MIN_RUNS, scalingLawObjective, type ObservedRun } from './fit-law.js';
import { parseRunsCsv } from './runs-csv.js';
import type { ParametricLaw } from './types.js';

/** Besiroglu et al. 2024 (Epoch AI), "Chinchilla Scaling: A replication attempt", their fit. */
const EPOCH: ParametricLaw = { kind: 'parametric', E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };

const lawLoss = (law: ParametricLaw, N: number, D: number): number => law.E + law.A / N ** law.alpha + law.B / D ** law.beta;

/**
 * `count` runs with N ∈ [1e7, 1e10] and D ∈ [1e8, 1e12] log-uniform, loss = law · exp(σ·z) with z
 * standard normal (Box–Muller), all from a seeded mulberry32 stream.
 */
function syntheticRuns(law: ParametricLaw, count: number, sigma: number, seed: number, nRange = [1e7, 1e10], dRange = [1e8, 1e12]): ObservedRun[] {
  const rnd = mulberry32(seed);
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + rnd() * (Math.log(hi) - Math.log(lo)));
  return Array.from({ length: count }, () => {
    const N = logUniform(nRange[0]!, nRange[1]!);
    const D = logUniform(dRange[0]!, dRange[1]!);
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return { N, D, loss: lawLoss(law, N, D) * Math.exp(sigma * z) };
  });
}

/** 30 runs, N from 1e8 to 1e10, loss = 2 + (1e9/N)^p + 100/D^0.3: a cliff in N. */
function stepRuns(p: number): ObservedRun[] {
  return Array.from({ length: 30 }, (_, i) => {
    const N = 1e8 * 100 ** (i / 29);
    const D = 1e9 * 10 ** ((i % 7) / 3);
    return { N, D, loss: 2 + (1e9 / N) ** p + 100 / D ** 0.3 };
  });
}

const relErr = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe('scalingLawObjective', () => {
  it('is Σ Huber(LSE − log L) and its analytic gradient matches finite differences', () => {
    const runs = syntheticRuns(EPOCH, 30, 0.01, 3);
    const lse = (p: number[], r: ObservedRun) =>
      Math.log(Math.exp(p[0]! - p[3]! * Math.log(r.N)) + Math.exp(p[1]! - p[4]! * Math.log(r.D)) + Math.exp(p[2]!));
    const huber = (x: number, d: number) => (Math.abs(x) <= d ? 0.5 * x * x : d * (Math.abs(x) - 0.5 * d));
    // Near the truth (mostly the quadratic Huber branch at δ = 0.05) and far from it (linear branch).
    const truth = [Math.log(EPOCH.A), Math.log(EPOCH.B), Math.log(EPOCH.E), EPOCH.alpha, EPOCH.beta];
    for (const [p, delta] of [[truth, 0.05], [[5, 10, 0.5, 0.5, 1], HUBER_DELTA], [truth, HUBER_DELTA]] as const) {
      const g = new Float64Array(5);
      const f = scalingLawObjective(p, runs, delta, g);
      const direct = runs.reduce((s, r) => s + huber(lse([...p], r) - Math.log(r.loss), delta), 0);
      expect(relErr(f, direct)).toBeLessThan(1e-12);
      for (let j = 0; j < 5; j++) {
        const h = 1e-6;
        const up = [...p];
        const down = [...p];
        up[j] = up[j]! + h;
        down[j] = down[j]! - h;
        const fd = (scalingLawObjective(up, runs, delta) - scalingLawObjective(down, runs, delta)) / (2 * h);
        expect(Math.abs(g[j]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe('fitScalingLaw', () => {
  // 200 noisy runs from a known law, fitted with the default 200-sample bootstrap: this is also
  // the "fit + bootstrap completes" check (timings live in bench/fit-speed.ts).
  const runs = syntheticRuns(EPOCH, 200, 0.01, 2024);
  const fit = fitScalingLaw(runs);

  it('reports the method it used: paper grid, δ, every run, every bootstrap sample', () => {
    const gridSize = Object.values(INIT_GRID).reduce((n, v) => n * v.length, 1);
    expect(fit.starts).toBe(gridSize);
    expect(gridSize).toBe(4500);
    expect(fit.topK).toBe(8);
    expect(fit.huberDelta).toBe(1e-3);
    expect(fit.nRuns).toBe(200);
    expect(fit.residuals).toHaveLength(200);
    expect(fit.bootstrap.samples).toBe(200);
    expect(fit.warnings).toEqual([]);
    for (const v of [fit.objective, fit.rmseLog, fit.law.E, fit.law.A, fit.law.B]) expect(Number.isFinite(v)).toBe(true);
  });

  it('recovers α and β within a few percent, inside their bootstrap 95% intervals', () => {
    for (const key of ['alpha', 'beta'] as const) {
      const [lo, hi] = fit.bootstrap.ci[key];
      expect(lo).toBeLessThan(hi);
      expect(EPOCH[key]).toBeGreaterThanOrEqual(lo);
      expect(EPOCH[key]).toBeLessThanOrEqual(hi);
      expect(fit.law[key]).toBeGreaterThanOrEqual(lo);
      expect(fit.law[key]).toBeLessThanOrEqual(hi);
      expect(relErr(fit.law[key], EPOCH[key])).toBeLessThan(0.05);
    }
    // E, A, B intervals bracket the estimate (A and B trade off with α and β, so they are wide).
    for (const key of ['E', 'A', 'B'] as const) {
      const [lo, hi] = fit.bootstrap.ci[key];
      expect(fit.law[key]).toBeGreaterThanOrEqual(lo);
      expect(fit.law[key]).toBeLessThanOrEqual(hi);
    }
    expect(relErr(fit.law.E, EPOCH.E)).toBeLessThan(0.05);
  });

  it('predicts held-out runs within 1% of the true law', () => {
    const heldOut = syntheticRuns(EPOCH, 100, 0, 99);
    for (const r of heldOut) expect(relErr(lawLoss(fit.law, r.N, r.D), r.loss)).toBeLessThan(0.01);
  });

  it('gives residuals as ln(loss / predicted) with an RMS near the noise level', () => {
    for (const r of fit.residuals) {
      expect(r.predicted).toBeCloseTo(lawLoss(fit.law, r.N, r.D), 12);
      expect(r.logResidual).toBeCloseTo(Math.log(r.loss / r.predicted), 12);
    }
    expect(fit.rmseLog).toBeGreaterThan(0.007);
    expect(fit.rmseLog).toBeLessThan(0.013);
  });

  it('derives the frontier exponents a = β/(α+β), b = α/(α+β) with intervals around them', () => {
    const { a, b, ci } = fit.frontierExponents;
    expect(a).toBeCloseTo(fit.law.beta / (fit.law.alpha + fit.law.beta), 12);
    expect(a + b).toBeCloseTo(1, 12);
    expect(a).toBeGreaterThanOrEqual(ci.a[0]);
    expect(a).toBeLessThanOrEqual(ci.a[1]);
    expect(b).toBeGreaterThanOrEqual(ci.b[0]);
    expect(b).toBeLessThanOrEqual(ci.b[1]);
    const trueA = EPOCH.beta / (EPOCH.alpha + EPOCH.beta);
    expect(trueA).toBeGreaterThanOrEqual(ci.a[0]);
    expect(trueA).toBeLessThanOrEqual(ci.a[1]);
  });

  it('recovers all five constants closely from noise-free runs', () => {
    const exact = fitScalingLaw(syntheticRuns(EPOCH, 200, 0, 5), { bootstrap: 0 });
    for (const key of ['E', 'A', 'B', 'alpha', 'beta'] as const) expect(relErr(exact.law[key], EPOCH[key])).toBeLessThan(1e-4);
    expect(exact.rmseLog).toBeLessThan(1e-8);
    // No bootstrap: the intervals collapse onto the estimate.
    expect(exact.bootstrap.samples).toBe(0);
    expect(exact.bootstrap.ci.alpha).toEqual([exact.law.alpha, exact.law.alpha]);
  });

  it('recovers a different law as well (Hoffmann et al. 2022 eq. 10: E 1.69, A 406.4, B 410.7, α 0.34, β 0.28)', () => {
    const chinchilla: ParametricLaw = { kind: 'parametric', E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
    const exact = fitScalingLaw(syntheticRuns(chinchilla, 100, 0, 8), { bootstrap: 0 });
    for (const key of ['E', 'A', 'B', 'alpha', 'beta'] as const) expect(relErr(exact.law[key], chinchilla[key])).toBeLessThan(1e-4);
  });

  it('finds the same optimum from the best 8 grid points as from the best 100', () => {
    const sample = syntheticRuns(EPOCH, 100, 0.01, 11);
    const k8 = fitScalingLaw(sample, { bootstrap: 0 });
    const k100 = fitScalingLaw(sample, { bootstrap: 0, topK: 100 });
    expect(k8.objective).toBeLessThanOrEqual(k100.objective * (1 + 1e-9));
    expect(relErr(k8.law.alpha, k100.law.alpha)).toBeLessThan(1e-6);
  });

  it('is deterministic for a seed, and the seed changes the bootstrap only', () => {
    const sample = syntheticRuns(EPOCH, 60, 0.01, 12);
    const a = fitScalingLaw(sample, { bootstrap: 30, seed: 7 });
    const b = fitScalingLaw(sample, { bootstrap: 30, seed: 7 });
    const c = fitScalingLaw(sample, { bootstrap: 30, seed: 8 });
    expect(b).toEqual(a);
    expect(c.law).toEqual(a.law);
    expect(c.bootstrap.ci.alpha).not.toEqual(a.bootstrap.ci.alpha);
  });

  it('warns when the runs span less than a decade in N', () => {
    const narrow = fitScalingLaw(syntheticRuns(EPOCH, 60, 0.01, 13, [1e8, 5e8]), { bootstrap: 20 });
    expect(narrow.warnings.some((w) => /less than one decade in N/.test(w))).toBe(true);
    expect(narrow.warnings.some((w) => /in D/.test(w))).toBe(false);
  });

  it('warns when an exponent lands at a bound-like value', () => {
    // Loss that rises slightly with N (α < 0) …
    const rising = syntheticRuns(EPOCH, 60, 0, 14).map((r) => ({ ...r, loss: r.loss - EPOCH.A / r.N ** EPOCH.alpha + 0.05 * (r.N / 1e7) ** 0.1 }));
    const low = fitScalingLaw(rising, { bootstrap: 0 });
    expect(low.law.alpha).toBeLessThanOrEqual(0.01);
    expect(low.warnings.some((w) => w.startsWith('α = ') && /bound-like value \(≤ 0\.01\)/.test(w))).toBe(true);
    // … and loss that falls as N^-20.
    const steep = stepRuns(20);
    const high = fitScalingLaw(steep, { bootstrap: 0 });
    expect(high.law.alpha).toBeGreaterThanOrEqual(2.5);
    expect(high.warnings.some((w) => w.startsWith('α = ') && /bound-like value \(≥ 2\.5/.test(w))).toBe(true);
  });

  it("warns when an exponent's bootstrap interval is wider than the exponent (loss that does not depend on N)", () => {
    const flatN: ParametricLaw = { kind: 'parametric', E: 1.8, A: 0, B: 2085.43, alpha: 0.35, beta: 0.3658 };
    const f = fitScalingLaw(syntheticRuns(flatN, 60, 0.01, 14), { bootstrap: 30 });
    const [lo, hi] = f.bootstrap.ci.alpha;
    expect(hi - lo).toBeGreaterThan(Math.abs(f.law.alpha));
    expect(f.warnings.some((w) => w.startsWith("α's 95% interval"))).toBe(true);
    expect(f.warnings.some((w) => w.startsWith("β's"))).toBe(false);
  });

  it('fits runs read from a CSV', () => {
    const sample = syntheticRuns(EPOCH, 40, 0, 15);
    const text = ['params,tokens,loss', ...sample.map((r) => `${r.N},${r.D},${r.loss}`)].join('\n');
    const f = fitScalingLaw(parseRunsCsv(text).runs, { bootstrap: 0 });
    expect(relErr(f.law.alpha, EPOCH.alpha)).toBeLessThan(1e-4);
  });

  it('refuses too few runs and non-positive or non-finite values', () => {
    const few = syntheticRuns(EPOCH, MIN_RUNS - 1, 0, 16);
    expect(() => fitScalingLaw(few)).toThrow(`need at least ${MIN_RUNS} runs to fit 5 constants (got ${MIN_RUNS - 1})`);
    const bad = syntheticRuns(EPOCH, 20, 0, 17);
    bad[4] = { ...bad[4]!, loss: 0 };
    expect(() => fitScalingLaw(bad)).toThrow('run 5: loss must be a finite number > 0 (got 0)');
    bad[4] = { ...bad[4]!, loss: 3, N: NaN };
    expect(() => fitScalingLaw(bad)).toThrow('run 5: N must be a finite number > 0 (got NaN)');
    expect(() => fitScalingLaw(syntheticRuns(EPOCH, 20, 0, 17), { delta: 0 })).toThrow(/Huber delta/);
  });

  it('throws a clear error when no start reaches finite constants', () => {
    // Loss falling as (1e9/N)^40 wants α ≈ 40 and A = e^(40·ln 1e9) ≈ 1e360, which overflows.
    expect(() => fitScalingLaw(stepRuns(40), { bootstrap: 0 })).toThrow(/did not converge to finite values/);
  });
});
