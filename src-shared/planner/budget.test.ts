import { describe, expect, it } from 'vitest';
import { DEFAULT_MFU, PlanInputError, resolveBudget, resolveCatalogDevice, type PlanDevice } from './budget.js';

const dev: PlanDevice = { name: 'test', peakFlops: 1e15, dtype: 'bf16', memGB: 80, source: 'test' };

function errorOf(fn: () => unknown): PlanInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlanInputError) return e;
    throw e;
  }
  throw new Error('expected a PlanInputError');
}

describe('budgets', () => {
  it('device-hours: devices × hours × 3600 × peak × MFU, with the stated default MFU', () => {
    const r = resolveBudget({ kind: 'device-hours', device: dev, hours: 10, count: 4 });
    expect(r.computeFlops).toBeCloseTo(4 * 10 * 3600 * 1e15 * DEFAULT_MFU, -10);
    expect(r.time).toEqual({ seconds: 10 * 3600, devices: 4 });
    expect(r.mfu).toBe(0.4);
  });

  it('money: dollars ÷ price per device-hour', () => {
    const r = resolveBudget({ kind: 'money', device: dev, usd: 1000, usdPerHour: 2, count: 5, mfu: 0.5 });
    expect(r.deviceHours).toBe(500);
    expect(r.computeFlops).toBeCloseTo(500 * 3600 * 1e15 * 0.5, -10);
    expect(r.time!.seconds).toBeCloseTo((500 / 5) * 3600, 6);
    expect(r.costUsd).toBe(1000);
  });

  it.each([
    [{ kind: 'flops', flops: 0 }, 'compute', /greater than 0/],
    [{ kind: 'flops', flops: -5 }, 'compute', /greater than 0/],
    [{ kind: 'flops', flops: Number.NaN }, 'compute', /got NaN/],
    [{ kind: 'flops', flops: Infinity }, 'compute', /finite/],
    [{ kind: 'flops', flops: 1e40 }, 'compute', /beyond any plausible/],
    [{ kind: 'flops', flops: 100 }, 'compute', /too small/],
    [{ kind: 'device-hours', device: dev, hours: 0 }, 'hours', /greater than 0/],
    [{ kind: 'device-hours', device: dev, hours: 5, count: 2.5 }, 'count', /whole number/],
    [{ kind: 'device-hours', device: dev, hours: 5, mfu: 40 }, 'mfu', /cannot exceed 1.*0\.4/],
    [{ kind: 'money', device: dev, usd: -1, usdPerHour: 2 }, 'budget-usd', /greater than 0/],
    [{ kind: 'money', device: dev, usd: 10, usdPerHour: 0 }, 'usd-per-hour', /greater than 0/],
  ] as const)('rejects %j naming the field', (budget, field, message) => {
    const e = errorOf(() => resolveBudget(budget as never));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`${field}:`)).toBe(true);
  });

  it('finds catalog devices by exact or fuzzy name and names unknown or ambiguous ones', () => {
    expect(resolveCatalogDevice('NVIDIA H100 SXM5 80GB').peakFlops).toBeCloseTo(989.4e12, -9);
    expect(resolveCatalogDevice('nvidia a100 80gb sxm4').dtype).toBe('bf16');
    expect(resolveCatalogDevice('Tesla V100 SXM2').dtype).toBe('fp16');
    const unknown = errorOf(() => resolveCatalogDevice('Quantum Potato 9000'));
    expect(unknown.field).toBe('device');
    expect(unknown.message).toMatch(/unknown device "Quantum Potato 9000"/);
    const ambiguous = errorOf(() => resolveCatalogDevice('A100'));
    expect(ambiguous.message).toMatch(/several catalog devices/);
  });
});
