import { describe, expect, it } from 'vitest';
import { attainable, buildRoofline, ridgeIntensity, ridgeOf, sanity } from './roofline.js';

describe('roofline', () => {
  it('attainable is the bandwidth slope below the ridge and the roof above it', () => {
    // 400 GFLOP/s, 50 GB/s → ridge at 8 FLOP/byte.
    expect(ridgeIntensity(400, 50)).toBe(8);
    expect(attainable(1, 400, 50)).toBe(50);
    expect(attainable(8, 400, 50)).toBe(400);
    expect(attainable(100, 400, 50)).toBe(400);
    expect(attainable(0, 400, 50)).toBe(0);
    expect(() => attainable(-1, 400, 50)).toThrow();
    expect(() => ridgeIntensity(400, 0)).toThrow();
  });

  it('builds ceilings and puts the ridge at fp32 peak / DRAM bandwidth', () => {
    const r = buildRoofline({
      measuredCompute: { fp32: 300, int8: 900, fp16: Number.NaN },
      measuredBandwidth: { L1: 500, L2: 200, DRAM: 60 },
      theoreticalCompute: { fp32: 400 },
    });
    expect(r.ridge).toEqual({ intensity: 5, gflops: 300, dtype: 'fp32', level: 'DRAM' });
    expect(r.ceilings.filter((c) => c.kind === 'compute').map((c) => `${c.name}:${c.source}`)).toEqual(['fp32:measured', 'int8:measured', 'fp32:theoretical']);
    expect(r.ceilings.find((c) => c.name === 'L2')).toMatchObject({ kind: 'bandwidth', value: 200, source: 'measured' });
    expect(r.ceilings.every((c) => c.how.length > 0)).toBe(true);
  });

  it('honours an explicit dtype and level, and falls back sensibly', () => {
    const r = buildRoofline({ measuredCompute: { fp32: 300, int8: 900 }, measuredBandwidth: { L2: 200, L3: 100 } });
    expect(ridgeOf(r.ceilings, { dtype: 'int8', level: 'L2' })).toEqual({ intensity: 4.5, gflops: 900, dtype: 'int8', level: 'L2' });
    // No DRAM ceiling: the slowest level present is used.
    expect(r.ridge).toMatchObject({ level: 'L3', dtype: 'fp32', intensity: 3 });
    // No measured fp32: the theoretical one is preferred over another dtype.
    const t = buildRoofline({ measuredCompute: { int8: 900 }, theoreticalCompute: { fp32: 500 }, measuredBandwidth: { DRAM: 50 } });
    expect(t.ridge).toMatchObject({ dtype: 'fp32', gflops: 500, intensity: 10 });
    expect(buildRoofline({ measuredCompute: { fp32: 1 } }).ridge).toBeNull();
  });

  it('sanity flags above-peak and implausibly low measurements only', () => {
    expect(sanity(380, 400)).toBeNull();
    expect(sanity(419, 400)).toBeNull(); // within the 5 % turbo allowance
    expect(sanity(430, 400, 'fp32 GEMM')).toMatch(/fp32 GEMM 430 exceeds the theoretical peak 400/);
    expect(sanity(3, 400)).toMatch(/implausibly low/);
    expect(sanity(5, 400)).toBeNull();
    expect(sanity(100, 0)).toBeNull();
    expect(sanity(100, Number.NaN)).toBeNull();
  });
});
