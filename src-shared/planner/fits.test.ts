import { describe, expect, it } from 'vitest';
import {
  BUILTIN_FITS,
  EPOCH_LAW,
  HOFFMANN_LAW,
  HOFFMANN_LAW_PRINTED,
  TABLE_3_APPROACH_1,
  TABLE_A3_APPROACH_2,
  TABLE_A3_APPROACH_3,
  TABLE_A3_APPROACH_3_FRONTIER,
  customFit,
  type ProjectionRow,
} from './fits.js';
import { computeForParams, frontierAt, lossAt, parametricFrontierConstants } from './laws.js';
import type { Fit } from './types.js';

const rel = (got: number, want: number) => Math.abs(got / want - 1);

/** FLOPs and tokens a fit assigns to a row's parameter count, against the published row. */
function errors(fit: Fit, row: ProjectionRow) {
  const flops = computeForParams(fit, row.params);
  return { flops: rel(flops, row.flops), tokens: rel(flops / (6 * row.params), row.tokens) };
}

const asPowerLaw = (G: number, a: number): Fit => ({ ...BUILTIN_FITS['chinchilla-1'], frontier: { kind: 'power-law', G, a, note: '' } });

describe('Chinchilla projections (Hoffmann et al. 2022)', () => {
  it('Approach 1 reproduces Table 3 within 3% except the 67B row, with the exponent Table 2 prints', () => {
    const fit = BUILTIN_FITS['chinchilla-1'];
    expect(fit.frontier.kind === 'power-law' && Math.round(fit.frontier.a * 100) / 100).toBe(0.5);
    for (const row of TABLE_3_APPROACH_1) {
      const e = errors(fit, row);
      if (row.params === 67e9) {
        // Gopher's budget (5.76e23) with "1.5 Trillion" tokens: not C/6N (=1.43T) of its own row.
        expect(e.flops).toBeLessThan(0.03);
        expect(e.tokens).toBeLessThan(0.07);
        continue;
      }
      expect(e.flops, `${row.params}`).toBeLessThan(0.03);
      expect(e.tokens, `${row.params}`).toBeLessThan(0.03);
    }
  });

  it('Approach 2 reproduces Table A3 within 3% except the 67B row, with the exponent Table 2 prints', () => {
    const fit = BUILTIN_FITS['chinchilla-2'];
    expect(fit.frontier.kind === 'power-law' && Math.round(fit.frontier.a * 100) / 100).toBe(0.49);
    for (const row of TABLE_A3_APPROACH_2) {
      const e = errors(fit, row);
      const limit = row.params === 67e9 ? 0.07 : 0.03;
      expect(e.flops, `${row.params}`).toBeLessThan(limit);
      expect(e.tokens, `${row.params}`).toBeLessThan(limit);
    }
  });

  it("Table A3's Approach 3 column is a power law with Table 2's a = 0.46 (rows within 3% except 67B and 280B tokens)", () => {
    const { G, a } = TABLE_A3_APPROACH_3_FRONTIER;
    expect(Math.round(a * 100) / 100).toBe(0.46);
    const fit = asPowerLaw(G, a);
    for (const row of TABLE_A3_APPROACH_3) {
      const e = errors(fit, row);
      if (row.params === 67e9) {
        expect(Math.max(e.flops, e.tokens)).toBeLessThan(0.085);
      } else if (row.params === 280e9) {
        // The row is not self-consistent: 6 × 280e9 × 20.1e12 = 3.38e25, not the printed 3.52e25.
        expect(e.flops).toBeLessThan(0.03);
        expect(e.tokens).toBeLessThan(0.06);
      } else {
        expect(e.flops, `${row.params}`).toBeLessThan(0.03);
        expect(e.tokens, `${row.params}`).toBeLessThan(0.03);
      }
    }
  });

  it("Approach 3's parametric law gives 40B parameters at Gopher's budget (§3.3) but more tokens than Table A3", () => {
    const fit = BUILTIN_FITS['chinchilla-3'];
    expect(rel(frontierAt(fit, 5.76e23).N, 40e9)).toBeLessThan(0.03);
    // Documented discrepancy: the published constants put 6–19% more tokens on each Table A3 row…
    for (const row of TABLE_A3_APPROACH_3) {
      const tokens = computeForParams(fit, row.params) / (6 * row.params);
      expect(tokens / row.tokens).toBeGreaterThan(1.05);
      expect(tokens / row.tokens).toBeLessThan(1.2);
    }
    // …and the two-decimal constants printed in §3.3 are far further off (+57% to +122%).
    const printed = { ...fit, law: HOFFMANN_LAW_PRINTED };
    for (const row of TABLE_A3_APPROACH_3) {
      expect(computeForParams(printed, row.params) / (6 * row.params) / row.tokens).toBeGreaterThan(1.5);
    }
  });

  it('App. D.4: at 1e21 FLOPs Approach 1 picks 2.86B parameters and Kaplan et al. 4.68B', () => {
    expect(rel(frontierAt(BUILTIN_FITS['chinchilla-1'], 1e21).N, 2.86e9)).toBeLessThan(0.01);
    expect(rel(frontierAt(BUILTIN_FITS.kaplan, 1e21).N, 4.68e9)).toBeLessThan(0.01);
  });

  it("Epoch AI's refit implies a = 0.5126 (Besiroglu et al. 2024) and Chinchilla's own a = 0.4565", () => {
    expect(parametricFrontierConstants(EPOCH_LAW).a).toBeCloseTo(0.5126, 4);
    expect(parametricFrontierConstants(HOFFMANN_LAW).a).toBeCloseTo(0.4565, 4);
  });
});

describe('every fit (properties)', () => {
  const fits: Fit[] = [...Object.values(BUILTIN_FITS), customFit('custom:1', 'mine', { kind: 'parametric', E: 2, A: 300, B: 900, alpha: 0.3, beta: 0.32 }, 'test')];
  const budgets = [1e17, 1e19, 1e21, 1e23, 1e25, 1e27];

  it("the optimum's FLOPs equal the budget, and more compute never lowers N* or D*", () => {
    for (const fit of fits) {
      let prev = { N: 0, D: 0 };
      for (const C of budgets) {
        const { N, D } = frontierAt(fit, C);
        expect(rel(6 * N * D, C), fit.id).toBeLessThan(1e-9);
        expect(N, fit.id).toBeGreaterThan(prev.N);
        expect(D, fit.id).toBeGreaterThan(prev.D);
        prev = { N, D };
      }
    }
  });

  it("a law fit's optimum is the lowest loss on its IsoFLOP curve", () => {
    for (const fit of fits.filter((f) => f.frontier.kind === 'law')) {
      for (const C of budgets) {
        const { N } = frontierAt(fit, C);
        const at = (n: number) => lossAt(fit.law, n, C / (6 * n));
        expect(at(N * 1.1), fit.id).toBeGreaterThan(at(N));
        expect(at(N / 1.1), fit.id).toBeGreaterThan(at(N));
      }
    }
  });

  it('computeForParams inverts the frontier', () => {
    for (const fit of fits) {
      for (const C of budgets) expect(rel(computeForParams(fit, frontierAt(fit, C).N), C), fit.id).toBeLessThan(1e-6);
    }
  });

  it('every fit names its source and shows its constants', () => {
    for (const fit of fits) {
      expect(fit.source.length).toBeGreaterThan(3);
      expect(fit.constants.length).toBeGreaterThan(0);
      for (const c of fit.constants) expect(Number.isFinite(c.value)).toBe(true);
    }
  });
});
