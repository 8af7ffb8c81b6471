import { describe, expect, it } from 'vitest';
import { effectiveTokens, R_D_STAR } from './beyond.js';
import { PlanInputError, resolveCatalogDevice } from './budget.js';
import { BUILTIN_FITS } from './fits.js';
import { frontierAt, lossAt } from './laws.js';
import { makePlan } from './plan.js';

const c3 = BUILTIN_FITS['chinchilla-3'];

describe('makePlan', () => {
  it('answers a FLOPs budget with N*, D*, loss and a shape whose FLOPs sit beside 6ND', () => {
    const p = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e22 } });
    expect(p.computeFlops).toBe(1e22);
    expect(Math.abs((6 * p.params * p.tokens) / 1e22 - 1)).toBeLessThan(1e-9);
    expect(p.tokensPerParam).toBeCloseTo(p.tokens / p.params, 9);
    expect(p.loss).toBeCloseTo(lossAt(c3.law, p.params, p.tokens), 12);
    expect(Math.abs(p.shape.exactParams / p.params - 1)).toBeLessThan(0.02);
    // Exact FLOPs per token within 25% of 6N at this size (attention and logits included).
    expect(p.shape.flopsPerToken / (6 * p.params)).toBeGreaterThan(0.95);
    expect(p.shape.flopsPerToken / (6 * p.params)).toBeLessThan(1.25);
    expect(p.time).toBeUndefined();
  });

  it('device-hours on a catalog GPU give time and devices; money gives cost', () => {
    const h100 = resolveCatalogDevice('NVIDIA H100 SXM5 80GB');
    const p = makePlan({ fit: c3, budget: { kind: 'device-hours', device: h100, hours: 24 * 7, count: 64 } });
    expect(p.time).toEqual({ seconds: 24 * 7 * 3600, devices: 64 });
    expect(p.computeFlops).toBeCloseTo(64 * 24 * 7 * 3600 * 989.4e12 * 0.4, -12);
    const m = makePlan({ fit: c3, budget: { kind: 'money', device: h100, usd: 1e5, usdPerHour: 2.5 } });
    expect(m.costUsd).toBe(1e5);
    expect(m.details.deviceHours).toBe(40_000);
  });

  it('--params alone gives the compute-optimal tokens and FLOPs for that size', () => {
    for (const fit of Object.values(BUILTIN_FITS)) {
      const p = makePlan({ fit, params: 7e9 });
      expect(p.params).toBe(7e9);
      const back = frontierAt(fit, p.computeFlops);
      expect(Math.abs(back.N / 7e9 - 1), fit.id).toBeLessThan(1e-6);
      expect(p.details.mode).toBe('params');
    }
  });

  it('params with a budget trains that size on C/6N tokens and says what the fit would prefer', () => {
    const p = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e22 }, params: 1e11 });
    expect(p.tokens).toBeCloseTo(1e22 / 6e11, -3);
    expect(p.loss).toBeGreaterThan(p.details.optimal.loss);
    expect(p.details.warnings.join(' ')).toMatch(/prefers/);
  });

  it('inference-aware sizing (Sardana et al. 2023) shrinks N, grows D, keeps the loss and saves total FLOPs', () => {
    const p = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e23 }, inferenceTokens: 2e13 });
    const inf = p.details.inference!;
    expect(inf.paramsRatio).toBeLessThan(1);
    expect(inf.tokensRatio).toBeGreaterThan(1);
    expect(lossAt(c3.law, inf.params, inf.tokens)).toBeCloseTo(p.loss, 9);
    expect(inf.totalFlops).toBeLessThan(inf.computeOptimalTotalFlops);
    // More inference demand moves the optimum further.
    const more = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e23 }, inferenceTokens: 2e14 }).details.inference!;
    expect(more.paramsRatio).toBeLessThan(inf.paramsRatio);
    // Negligible inference leaves the compute-optimal plan in place.
    const none = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e23 }, inferenceTokens: 1 }).details.inference!;
    expect(Math.abs(none.paramsRatio - 1)).toBeLessThan(0.01);
  });

  it('data-constrained sizing (Muennighoff et al. 2023) repeats data, discounts it, and loses to unlimited data', () => {
    expect(effectiveTokens(1e9, 1e9)).toBe(1e9);
    // 4 epochs are worth almost 4× (the paper: "negligible changes"), a huge number saturates at (1 + R_D*)·U.
    expect(effectiveTokens(4e9, 1e9) / 4e9).toBeGreaterThan(0.9);
    expect(effectiveTokens(1e15, 1e9)).toBeLessThan((1 + R_D_STAR) * 1e9 + 1);
    const p = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e23 }, uniqueTokens: 1e10 });
    const dc = p.details.dataConstrained!;
    expect(dc.binding).toBe(true);
    expect(dc.epochs).toBeGreaterThan(1);
    expect(dc.loss).toBeGreaterThan(dc.unconstrainedLoss);
    expect(dc.loss).toBeLessThanOrEqual(dc.naiveLoss + 1e-12);
    const loose = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e23 }, uniqueTokens: 1e16 }).details.dataConstrained!;
    expect(loose.binding).toBe(false);
  });

  it.each([
    [{}, 'budget'],
    [{ params: 0 }, 'params'],
    [{ params: -3 }, 'params'],
    [{ params: Number.NaN }, 'params'],
    [{ params: 1e20 }, 'params'],
    [{ budget: { kind: 'flops', flops: 1e22 }, inferenceTokens: -1 }, 'inference-tokens'],
    [{ budget: { kind: 'flops', flops: 1e22 }, uniqueTokens: 10 }, 'unique-tokens'],
    [{ budget: { kind: 'flops', flops: 1e22 }, vocab: 1.5 }, 'vocab'],
  ])('bad input %j names the field %s', (input, field) => {
    let err: unknown;
    try {
      makePlan({ fit: c3, ...(input as object) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanInputError);
    expect((err as PlanInputError).field).toBe(field);
  });

  it('never returns NaN anywhere for any fit across budgets from 1e12 to 1e30', () => {
    for (const fit of Object.values(BUILTIN_FITS)) {
      for (let e = 12; e <= 30; e += 3) {
        // Timed on a device, so the energy block is there too (without one it is null on purpose).
        const p = makePlan({ fit, budget: { kind: 'flops', flops: 10 ** e }, inferenceTokens: 1e12, uniqueTokens: 1e9, device: resolveCatalogDevice('NVIDIA H100 SXM5 80GB') });
        expect(JSON.stringify(p), `${fit.id} 1e${e}`).not.toMatch(/NaN|null/);
      }
    }
  });
});
