import { describe, expect, it } from 'vitest';
import { gbPerSecond, gemmFlops, gflopsPerSecond, median, nsPerStep, streamBytes } from './accounting.js';

describe('accounting', () => {
  it('counts a GEMM as 2·m·n·k FLOPs', () => {
    expect(gemmFlops(2048, 2048, 2048)).toBe(2 * 2048 ** 3);
    expect(gemmFlops(1, 11008, 4096)).toBe(2 * 11008 * 4096);
  });

  it('counts STREAM bytes without write-allocate: 2 arrays for copy/scale, 3 for add/triad', () => {
    const n = 10_000_000;
    expect(streamBytes('copy', n)).toBe(16 * n);
    expect(streamBytes('scale', n)).toBe(16 * n);
    expect(streamBytes('add', n)).toBe(24 * n);
    expect(streamBytes('triad', n)).toBe(24 * n);
    expect(streamBytes('triad', n, 4)).toBe(12 * n);
  });

  it('converts with decimal giga', () => {
    expect(gflopsPerSecond(2e9, 0.5)).toBe(4);
    expect(gbPerSecond(24e9, 0.25)).toBe(96);
    expect(nsPerStep(0.001, 1_000_000)).toBeCloseTo(1);
  });

  it('takes medians of odd and even lists without mutating them', () => {
    const v = [5, 1, 3];
    expect(median(v)).toBe(3);
    expect(v).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});
