import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, planFromForm, requestFromForm, devicePeak, switchBudget } from './planner-form.js';

const none = { device: null, note: 'none' };

describe('planner form', () => {
  it('turns the default form into a plan', () => {
    const out = planFromForm(DEFAULT_FORM, [], none);
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.request).toEqual({ fit: 'chinchilla-3', vocab: 32000, context: 2048, pue: 1.56, gridGPerKwh: 481, budget: { kind: 'flops', flops: 1e22 } });
  });

  it('a device budget has energy at the form’s PUE and grid; empty fields take the defaults', () => {
    const form = { ...DEFAULT_FORM, budgetKind: 'device-hours' as const, hours: '720', count: '64' };
    const out = planFromForm(form, [], none);
    expect(out.ok && out.plan.energy?.pue).toBe(1.56);
    const itKwh = out.ok ? out.plan.energy!.itKwh : NaN;
    expect(itKwh).toBeCloseTo(32_256, 3);
    const mine = planFromForm({ ...form, pue: '1.1', gridGPerKwh: '30' }, [], none);
    expect(mine.ok && mine.plan.energy?.kwh).toBeCloseTo(itKwh * 1.1, 3);
    expect(mine.ok && mine.plan.energy?.co2Kg).toBeCloseTo(itKwh * 1.1 * 0.03, 3);
    const empty = requestFromForm({ ...form, pue: '', gridGPerKwh: ' ' });
    expect('request' in empty && empty.request.pue).toBeUndefined();
    expect('request' in empty && empty.request.gridGPerKwh).toBeUndefined();
    const flops = planFromForm(DEFAULT_FORM, [], none);
    expect(flops.ok && flops.plan.energyUnavailable).toBe('choose a device to estimate energy');
  });

  it('"this machine" uses the power the backend found, or says how to measure it', () => {
    const device = { name: 'this machine (cpu)', peakFlops: 1e11, dtype: 'fp32', memGB: 16, source: 't' };
    const form = { ...DEFAULT_FORM, budgetKind: 'device-hours' as const, device: 'this', hours: '10', count: '1' };
    const measured = planFromForm(form, [], { device: { ...device, power: { watts: 50, source: 'measured', basis: 'run #3', runId: 3 } }, note: 'measured' });
    // 10 h × 50 W = 0.5 kWh of IT energy.
    expect(measured.ok && measured.plan.energy?.itKwh).toBeCloseTo(0.5, 9);
    expect(measured.ok && measured.plan.energy?.wattsRunId).toBe(3);
    const unknown = planFromForm(form, [], { device: { ...device, power: { watts: null, reason: 'run a benchmark (flopscope bench gemm) to measure this machine’s power' } }, note: 'theoretical' });
    expect(unknown.ok && unknown.plan.energy).toBeNull();
    expect(unknown.ok && unknown.plan.energyUnavailable).toMatch(/run a benchmark/);
  });

  it('reads suffixes and leaves optional fields out when empty', () => {
    const r = requestFromForm({ ...DEFAULT_FORM, params: '7B', flops: '', uniqueTokens: '1.5T' });
    expect('request' in r && r.request).toMatchObject({ params: 7e9, uniqueTokens: 1.5e12 });
    expect('request' in r && r.request.budget).toBeUndefined();
  });

  it.each([
    [{ flops: 'lots' }, 'flops', /"lots" is not a number/],
    [{ flops: '0' }, 'flops', /compute: must be greater than 0/],
    [{ flops: '' }, 'flops', /not a number/],
    [{ budgetKind: 'device-hours' as const, hours: '-3' }, 'hours', /hours: must be greater than 0/],
    [{ budgetKind: 'device-hours' as const, device: 'Nope 9000' }, 'device', /unknown device/],
    [{ budgetKind: 'device-hours' as const, device: 'this' }, 'device', /no peak is known for this machine: none/],
    [{ budgetKind: 'money' as const, usdPerHour: '0' }, 'usdPerHour', /usd-per-hour/],
    [{ inferenceTokens: '-1' }, 'inferenceTokens', /inference-tokens/],
    [{ fit: 'custom:99' }, 'fit', /unknown fit/],
    [{ pue: '0.8' }, 'pue', /pue: must be at least 1/],
    [{ pue: 'cold' }, 'pue', /PUE: "cold" is not a number/],
    [{ gridGPerKwh: '-3' }, 'gridGPerKwh', /grid-g-per-kwh: cannot be negative/],
    [{ gridGPerKwh: '5000' }, 'gridGPerKwh', /grid-g-per-kwh: must be at most 2000/],
  ])('%j → an error on %s, never NaN', (patch, field, message) => {
    const out = planFromForm({ ...DEFAULT_FORM, ...patch }, [], none);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.field).toBe(field);
      expect(out.error.message).toMatch(message);
      expect(out.error.message).not.toMatch(/NaN/);
    }
  });
});

describe('switching the budget kind', () => {
  const thisMachine = { device: null, note: 'none' };
  it('keeps the compute: FLOPs become device-hours of the chosen device and their price, and back', () => {
    const form = { ...DEFAULT_FORM, flops: '1e23' };
    const before = planFromForm(form, [], thisMachine);
    if (!before.ok) throw new Error(before.error.message);
    const peak = devicePeak(form.device, thisMachine)!;
    expect(peak).toBeGreaterThan(1e14);
    const hoursForm = switchBudget(form, 'device-hours', before.plan.computeFlops, peak);
    expect(hoursForm.budgetKind).toBe('device-hours');
    expect(Number(hoursForm.hours)).toBeCloseTo(1e23 / (Number(form.count) * peak * Number(form.mfu) * 3600), -1);
    const asHours = planFromForm(hoursForm, [], thisMachine);
    if (!asHours.ok) throw new Error(asHours.error.message);
    // 3 significant digits in the field: the same budget within 0.5%.
    expect(asHours.plan.computeFlops / 1e23).toBeGreaterThan(0.995);
    expect(asHours.plan.computeFlops / 1e23).toBeLessThan(1.005);
    const moneyForm = switchBudget(hoursForm, 'money', asHours.plan.computeFlops, peak);
    const asMoney = planFromForm(moneyForm, [], thisMachine);
    if (!asMoney.ok) throw new Error(asMoney.error.message);
    expect(Math.abs(asMoney.plan.computeFlops / 1e23 - 1)).toBeLessThan(0.01);
    expect(Math.abs(Number(switchBudget(moneyForm, 'flops', asMoney.plan.computeFlops, peak).flops) / 1e23 - 1)).toBeLessThan(0.01);
  });

  it('only changes the kind without a plan or a device peak', () => {
    expect(switchBudget(DEFAULT_FORM, 'device-hours', null, 1e15)).toEqual({ ...DEFAULT_FORM, budgetKind: 'device-hours' });
    expect(switchBudget(DEFAULT_FORM, 'money', 1e22, null)).toEqual({ ...DEFAULT_FORM, budgetKind: 'money' });
    expect(devicePeak('Quantum Potato', thisMachine)).toBeNull();
  });
});
