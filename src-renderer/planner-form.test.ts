import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, planFromForm, requestFromForm } from './planner-form.js';

const none = { device: null, note: 'none' };

describe('planner form', () => {
  it('turns the default form into a plan', () => {
    const out = planFromForm(DEFAULT_FORM, [], none);
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.request).toEqual({ fit: 'chinchilla-3', vocab: 32000, context: 2048, budget: { kind: 'flops', flops: 1e22 } });
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
