/**
 * The plan's energy and carbon: hand-computed cases (an H100 run at TDP), PUE 1 = IT energy,
 * linearity in FLOPs and in grid intensity, the defaults, validation messages naming the field,
 * devices without a power figure, and the whole thing through makePlan.
 */
import { describe, expect, it } from 'vitest';
import { PlanInputError, resolveCatalogDevice, type PlanDevice } from './budget.js';
import { checkGrid, checkPue, DEFAULT_GRID_G_PER_KWH, DEFAULT_PUE, energyForDevice, formatCo2Kg, formatKwh, planEnergy } from './energy.js';
import { BUILTIN_FITS } from './fits.js';
import { formatPlan } from './format.js';
import { makePlan } from './plan.js';

const H100_PEAK = 989.4e12;
// 64 H100s for 720 hours at MFU 0.4: the planner's FLOPs for that budget.
const DEVICE_SECONDS = 64 * 720 * 3600;
const C = DEVICE_SECONDS * H100_PEAK * 0.4;

function errorOf(f: () => unknown): PlanInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof PlanInputError) return e;
    throw e;
  }
  throw new Error('expected a PlanInputError');
}

describe('planEnergy', () => {
  it('64 H100s × 720 h at 700 W: 32 256 kWh of IT energy, × PUE 1.56, × 481 g/kWh (by hand)', () => {
    const e = planEnergy({ computeFlops: C, peakFlops: H100_PEAK, mfu: 0.4, watts: 700, wattsSource: 'catalog TDP' });
    // 165 888 000 device-seconds × 700 W = 1.161216e11 J = 32 256 kWh.
    expect(e.deviceSeconds).toBeCloseTo(165_888_000, 0);
    expect(e.itKwh).toBeCloseTo(32_256, 6);
    expect(e.pue).toBe(1.56);
    expect(e.kwh).toBeCloseTo(50_319.36, 6);
    expect(e.overheadKwh).toBeCloseTo(18_063.36, 6);
    expect(e.gridGPerKwh).toBe(481);
    expect(e.co2Kg).toBeCloseTo(24_203.612, 3);
    // (989.4e12 × 0.4) ÷ 700 W = 5.6537e11 FLOP/J.
    expect(e.flopsPerJoule).toBeCloseTo(5.653714e11, -5);
    expect(e.wattsSource).toBe('catalog TDP');
    expect(e.basis).toMatch(/upper bound/);
    expect(e.basis).toMatch(/PUE 1\.56/);
  });

  it('PUE 1 gives the IT energy alone; a zero-carbon grid gives no CO₂', () => {
    const e = planEnergy({ computeFlops: 3.6e15, peakFlops: 1e12, mfu: 1, watts: 1000, wattsSource: 'measured', pue: 1, gridGPerKwh: 0 });
    // 3.6e15 FLOPs at 1e12 FLOP/s = 3600 s × 1000 W = 3.6e6 J = 1 kWh.
    expect(e.itKwh).toBeCloseTo(1, 12);
    expect(e.kwh).toBeCloseTo(1, 12);
    expect(e.overheadKwh).toBeCloseTo(0, 12);
    expect(e.co2Kg).toBe(0);
  });

  it('is linear in FLOPs, in watts and in grid intensity, and inverse in MFU', () => {
    const base = { computeFlops: 1e21, peakFlops: 1e14, mfu: 0.4, watts: 300, wattsSource: 'measured' as const, pue: 1.2, gridGPerKwh: 100 };
    const e = planEnergy(base);
    expect(planEnergy({ ...base, computeFlops: 2e21 }).kwh).toBeCloseTo(2 * e.kwh, 6);
    expect(planEnergy({ ...base, watts: 600 }).kwh).toBeCloseTo(2 * e.kwh, 6);
    expect(planEnergy({ ...base, mfu: 0.8 }).kwh).toBeCloseTo(e.kwh / 2, 6);
    expect(planEnergy({ ...base, gridGPerKwh: 200 }).co2Kg).toBeCloseTo(2 * e.co2Kg, 6);
    expect(planEnergy({ ...base, gridGPerKwh: 200 }).kwh).toBe(e.kwh);
  });

  it('defaults are the stated ones', () => {
    expect(DEFAULT_PUE).toBe(1.56);
    expect(DEFAULT_GRID_G_PER_KWH).toBe(481);
    expect(checkPue(undefined)).toBe(1.56);
    expect(checkGrid(undefined)).toBe(481);
    expect(checkPue(1)).toBe(1);
    expect(checkPue(3)).toBe(3);
    expect(checkGrid(0)).toBe(0);
    expect(checkGrid(2000)).toBe(2000);
  });

  it.each([
    [() => checkPue(0.9), 'pue', /must be at least 1 \(got 0\.9\)/],
    [() => checkPue(3.5), 'pue', /must be at most 3 \(got 3\.5\)/],
    [() => checkPue(NaN), 'pue', /must be a power usage effectiveness from 1 to 3 \(got NaN\)/],
    [() => checkPue(Infinity), 'pue', /must be finite/],
    [() => checkPue('1.2'), 'pue', /must be a power usage effectiveness/],
    [() => checkGrid(-1), 'grid-g-per-kwh', /cannot be negative/],
    [() => checkGrid(2001), 'grid-g-per-kwh', /at most 2000/],
    [() => checkGrid(NaN), 'grid-g-per-kwh', /got NaN/],
    [() => checkGrid(-Infinity), 'grid-g-per-kwh', /must be finite/],
  ])('rejects bad input naming the field (%#)', (f, field, message) => {
    const e = errorOf(f);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(new RegExp(`^${field}: `));
    expect(e.message).toMatch(message);
  });
});

describe('energyForDevice and the catalog', () => {
  it('a catalog GPU carries its TDP; one without a TDP says so', () => {
    expect(resolveCatalogDevice('NVIDIA H100 SXM5 80GB').power).toMatchObject({ watts: 700, source: 'catalog TDP' });
    const m2 = resolveCatalogDevice('Apple M2 (10-core GPU)');
    expect(m2.power).toEqual({ watts: null, reason: 'no TDP in the catalog for Apple M2 (10-core GPU)' });
    expect(energyForDevice(1e21, m2, 0.4, {})).toEqual({ energy: null, reason: 'no TDP in the catalog for Apple M2 (10-core GPU)' });
  });

  it('no device, or a device without any power figure, gives null and why', () => {
    expect(energyForDevice(1e21, undefined, undefined, {})).toEqual({ energy: null, reason: 'choose a device to estimate energy' });
    const bare: PlanDevice = { name: 'bare', peakFlops: 1e12, dtype: 'fp32', memGB: null, source: 't' };
    expect(energyForDevice(1e21, bare, 0.4, {})).toEqual({ energy: null, reason: 'no power figure is known for bare' });
  });

  it('formats energy and CO₂ with units', () => {
    expect(formatKwh(1.23e6)).toBe('1.23 GWh');
    expect(formatKwh(50_319.36)).toBe('50.3 MWh');
    expect(formatKwh(0.5)).toBe('500 Wh');
    expect(formatCo2Kg(5.9e5)).toBe('590 t');
    expect(formatCo2Kg(24_203.6)).toBe('24.2 t');
    expect(formatCo2Kg(0)).toBe('0.00 g');
    expect(formatKwh(NaN)).toBe('—');
  });
});

describe('makePlan with energy', () => {
  const c3 = BUILTIN_FITS['chinchilla-3'];
  const h100 = resolveCatalogDevice('NVIDIA H100 SXM5 80GB');

  it('device budgets carry energy over the plan’s FLOPs; text output has the energy line', () => {
    const p = makePlan({ fit: c3, budget: { kind: 'device-hours', device: h100, hours: 720, count: 64 } });
    expect(p.energy?.itKwh).toBeCloseTo(32_256, 3);
    expect(p.energy?.kwh).toBeCloseTo(50_319.36, 3);
    expect(p.energyUnavailable).toBeUndefined();
    const text = formatPlan(p);
    expect(text).toMatch(/Energy: +50\.3 MWh \(IT 32\.3 MWh \+ 18\.1 MWh overhead at PUE 1\.56\) · CO₂ 24\.2 t at 481 g\/kWh \(Ember 2024 world average\)/);
    expect(text).toMatch(/700 W per device \(catalog TDP, an upper bound\)/);
    const mine = makePlan({ fit: c3, budget: { kind: 'device-hours', device: h100, hours: 720, count: 64 }, pue: 1.2, gridGPerKwh: 50 });
    expect(mine.energy?.kwh).toBeCloseTo(32_256 * 1.2, 3);
    expect(mine.energy?.co2Kg).toBeCloseTo(32_256 * 1.2 * 0.05, 3);
    expect(formatPlan(mine)).toMatch(/at 50 g\/kWh\n/);
  });

  it('a money budget, and a FLOPs budget timed on a device, also have energy', () => {
    const m = makePlan({ fit: c3, budget: { kind: 'money', device: h100, usd: 1e5, usdPerHour: 2.5 } });
    // 40 000 device-hours × 700 W = 28 000 kWh.
    expect(m.energy?.itKwh).toBeCloseTo(28_000, 3);
    const f = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e22 }, device: h100, mfu: 0.5 });
    expect(f.energy?.itKwh).toBeCloseTo((1e22 / (H100_PEAK * 0.5)) * 700 / 3.6e6, 6);
  });

  it('without a device energy is null and says why; bad PUE is rejected even then', () => {
    const p = makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e22 } });
    expect(p.energy).toBeNull();
    expect(p.energyUnavailable).toBe('choose a device to estimate energy');
    expect(formatPlan(p)).toMatch(/Energy: +unknown \(choose a device to estimate energy\)/);
    expect(errorOf(() => makePlan({ fit: c3, budget: { kind: 'flops', flops: 1e22 }, pue: 0.5 })).field).toBe('pue');
    expect(errorOf(() => makePlan({ fit: c3, params: 7e9, gridGPerKwh: -5 })).field).toBe('grid-g-per-kwh');
  });
});
