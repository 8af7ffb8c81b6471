import { describe, expect, it } from 'vitest';
import { formatSI, siParts } from './si.js';

describe('formatSI', () => {
  it('puts an SI prefix on the unit instead of e-notation', () => {
    expect(formatSI(5.76e23, 'FLOPs')).toBe('576 ZFLOPs');
    expect(formatSI(1e22, 'FLOPs')).toBe('10 ZFLOPs');
    expect(formatSI(1.979e15, 'FLOP/s')).toBe('1.98 PFLOP/s');
    expect(formatSI(3.2e-5, 's')).toBe('32 µs');
    expect(formatSI(4194304, 'tokens')).toBe('4.19 Mtokens');
    expect(formatSI(12, 'FLOPs')).toBe('12 FLOPs');
    expect(formatSI(0, 'FLOPs')).toBe('0 FLOPs');
    expect(formatSI(-2.5e9, 'B')).toBe('-2.5 GB');
  });

  it('rounds before it picks the prefix, so no mantissa reads 1000', () => {
    expect(formatSI(999.7e3, 'FLOPs')).toBe('1 MFLOPs');
    expect(formatSI(999.4e3, 'FLOPs')).toBe('999 kFLOPs');
    expect(formatSI(9.999e20, 'FLOPs', 2)).toBe('1 ZFLOPs');
  });

  it('grows the mantissa past the largest prefix and never prints e-notation', () => {
    expect(formatSI(2e33, 'FLOPs')).toBe('2000 QFLOPs');
    for (let e = -17; e <= 32; e++) expect(formatSI(1.234 * 10 ** e, 'x')).not.toMatch(/e[+-]?\d/);
  });

  it('answers a dash for what is not a number', () => {
    expect(formatSI(NaN, 'FLOPs')).toBe('—');
    expect(formatSI(Infinity)).toBe('—');
  });

  it('splits a value into mantissa and prefix from a chosen threshold', () => {
    expect(siParts(5.76e23)).toEqual([576, 'Z']);
    expect(siParts(5e5, 1e6)).toEqual([5e5, '']);
    const [m, prefix] = siParts(2.5e-5);
    expect(m).toBeCloseTo(25, 9);
    expect(prefix).toBe('µ');
  });
});
