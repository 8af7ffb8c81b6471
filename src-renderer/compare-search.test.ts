// Unit tests for the comparison's option search: bisection to a target, bounds, budget, option pick.
import { describe, expect, it } from 'vitest';
import { pickScalingOption, searchOption } from './compare-search.js';

const counted = (f: (v: number) => number) => {
  const calls: number[] = [];
  return { calls, evaluate: async (v: number) => (calls.push(v), f(v)) };
};

describe('searchOption', () => {
  it('finds the whole number whose cost is nearest the target (monotonic, quadratic like MACs vs resolution)', async () => {
    const f = (r: number) => 1000 * r * r;
    const { calls, evaluate } = counted(f);
    const target = f(57) + 10;
    const r = await searchOption({ evaluate, target, min: 32, max: 1024, integer: true, maxEvaluations: 12 });
    expect(r.value).toBe(57);
    expect(r.cost).toBe(f(57));
    expect(calls.length).toBeLessThanOrEqual(12);
    expect(calls.every(Number.isInteger)).toBe(true);
    expect(r.steps.map((s) => s.value)).toEqual(calls);
  });

  it('searches a non-integer range', async () => {
    const { calls, evaluate } = counted((w) => 3 * w + 1);
    const r = await searchOption({ evaluate, target: 3 * 1.37 + 1, min: 0.125, max: 4, integer: false, maxEvaluations: 12 });
    expect(r.value).toBeCloseTo(1.37, 2);
    expect(calls.length).toBeLessThanOrEqual(12);
    expect(calls.some((v) => !Number.isInteger(v))).toBe(true);
  });

  it('clamps an unreachable target to the nearer bound', async () => {
    const f = (r: number) => r * r;
    const low = await searchOption({ evaluate: async (v) => f(v), target: 1, min: 32, max: 1024, integer: true, maxEvaluations: 12 });
    expect(low.value).toBe(32);
    const high = await searchOption({ evaluate: async (v) => f(v), target: 1e12, min: 32, max: 1024, integer: true, maxEvaluations: 12 });
    expect(high.value).toBe(1024);
    const realLow = await searchOption({ evaluate: async (v) => v, target: -5, min: 0.125, max: 4, integer: false, maxEvaluations: 6 });
    expect(realLow.value).toBe(0.125);
    const realHigh = await searchOption({ evaluate: async (v) => v, target: 99, min: 0.125, max: 4, integer: false, maxEvaluations: 6 });
    expect(realHigh.value).toBe(4);
  });

  it('keeps to the evaluation budget and rounds an integer range inwards', async () => {
    const { calls, evaluate } = counted((v) => v);
    const r = await searchOption({ evaluate, target: 700, min: 0.5, max: 10_000.5, integer: true, maxEvaluations: 6 });
    expect(calls.length).toBeLessThanOrEqual(6);
    expect(calls.every((v) => Number.isInteger(v) && v >= 1 && v <= 10_000)).toBe(true);
    expect(r.steps.length).toBe(calls.length);
  });

  it('stops on an exact hit and passes evaluation errors on', async () => {
    const { calls, evaluate } = counted((v) => v);
    const r = await searchOption({ evaluate, target: 512, min: 0, max: 1024, integer: true, maxEvaluations: 12 });
    expect(r.value).toBe(512);
    expect(calls).toEqual([512]);
    await expect(searchOption({ evaluate: () => Promise.reject(new Error('boom')), target: 1, min: 0, max: 1, integer: false, maxEvaluations: 3 })).rejects.toThrow('boom');
  });
});

describe('pickScalingOption', () => {
  it('prefers resolution, then the first of the width/depth options the entry has', () => {
    const opt = (name: string, extra = {}) => ({ name, min: 1, max: 10, ...extra });
    expect(pickScalingOption([opt('alpha'), opt('resolution')])?.name).toBe('resolution');
    expect(pickScalingOption([opt('layers'), opt('d_model')])?.name).toBe('d_model');
    expect(pickScalingOption([opt('depth'), opt('classes')])?.name).toBe('depth');
    expect(pickScalingOption([opt('width', { choices: ['a'] }), opt('classes')])).toBeNull();
  });
});
