import { describe, expect, it } from 'vitest';
import {
  FULL_CHECK_MAX_MACS,
  SAMPLED_ENTRIES,
  checkGemm,
  entryTolerance,
  f16BitsToF32,
  f32ToF16Bits,
  fromF16Array,
  matmulReference,
  mulberry32,
  randomMatrix,
  toF16Array,
} from './cpu-reference.js';

describe('mulberry32 / randomMatrix', () => {
  it('is deterministic per seed and spans [-1, 1)', () => {
    expect(randomMatrix(64, 7)).toEqual(randomMatrix(64, 7));
    expect(randomMatrix(64, 7)).not.toEqual(randomMatrix(64, 8));
    const m = randomMatrix(10_000, 1);
    expect(Math.min(...m)).toBeLessThan(-0.99);
    expect(Math.max(...m)).toBeGreaterThan(0.99);
    expect(m.every((v) => v >= -1 && v < 1)).toBe(true);
    const r = mulberry32(0);
    expect(r()).not.toBe(r());
  });
});

describe('float16 conversion', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest finite half
    [65520, 0x7c00], // rounds up to +Inf
    [1e6, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -26, 0x0000], // underflow
    [1 / 3, 0x3555],
    [1 + 2 ** -11, 0x3c00], // tie → even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // tie → even (up)
  ])('%f → 0x%s', (value, bits) => {
    expect(f32ToF16Bits(value)).toBe(bits);
  });

  it('round-trips every finite half exactly', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const v = f16BitsToF32(bits);
      if (Number.isFinite(v) && f32ToF16Bits(v) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
    expect(Number.isNaN(f16BitsToF32(f32ToF16Bits(NaN)))).toBe(true);
  });

  it('rounds an array to within half an ulp', () => {
    const x = randomMatrix(1000, 3);
    const y = fromF16Array(toF16Array(x));
    for (let i = 0; i < x.length; i++) expect(Math.abs(y[i]! - x[i]!)).toBeLessThanOrEqual(2 ** -12);
  });
});

describe('matmulReference', () => {
  it('multiplies a 2×3 by a 3×2', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Float32Array([7, 8, 9, 10, 11, 12]);
    expect(Array.from(matmulReference(a, b, 2, 2, 3))).toEqual([58, 64, 139, 154]);
  });
});

describe('checkGemm', () => {
  const m = 48;
  const n = 40;
  const k = 33;
  const a = randomMatrix(m * k, 1);
  const b = randomMatrix(k * n, 2);
  const exact = Float32Array.from(matmulReference(a, b, m, n, k));

  it('accepts a correctly rounded result, checking every entry of a small product', () => {
    const r = checkGemm('fp32', a, b, exact, m, n, k);
    expect(r.verified).toBe(true);
    expect(r.checkedEntries).toBe(m * n);
    expect(r.maxAbsError).toBeLessThan(1e-5);
  });

  it('rejects a result missing one product term, and NaN', () => {
    const wrong = exact.slice();
    wrong[5 * n + 7] = wrong[5 * n + 7]! - a[5 * k + 3]! * b[3 * n + 7]!;
    const r = checkGemm('fp32', a, b, wrong, m, n, k);
    expect(r.verified).toBe(false);
    expect(r.maxAbsError).toBeGreaterThan(r.tolerance);
    const nan = exact.slice();
    nan[0] = NaN;
    expect(checkGemm('fp32', a, b, nan, m, n, k)).toMatchObject({ verified: false, maxAbsError: Infinity });
  });

  it('allows fp16 output rounding only for fp16', () => {
    const rounded = fromF16Array(toF16Array(exact));
    expect(checkGemm('fp16', a, b, rounded, m, n, k).verified).toBe(true);
    expect(checkGemm('fp32', a, b, rounded, m, n, k).verified).toBe(false);
  });

  it('samples big products, corners included', () => {
    const bm = 2048;
    const bn = 2048;
    const bk = 64;
    expect(bm * bn * bk).toBeGreaterThan(FULL_CHECK_MAX_MACS);
    const ones = (len: number) => new Float32Array(len).fill(1);
    const c = new Float32Array(bm * bn).fill(bk);
    const r = checkGemm('fp32', ones(bm * bk), ones(bk * bn), c, bm, bn, bk);
    expect(r).toMatchObject({ verified: true, checkedEntries: SAMPLED_ENTRIES, maxAbsError: 0 });
    c[bm * bn - 1] = bk + 1;
    expect(checkGemm('fp32', ones(bm * bk), ones(bk * bn), c, bm, bn, bk).verified).toBe(false);
  });

  it('tolerance grows with K', () => {
    expect(entryTolerance('fp32', 4096, 1024, 10)).toBeGreaterThan(entryTolerance('fp32', 256, 1024, 10));
    expect(entryTolerance('fp16', 256, 64, 10)).toBeGreaterThan(entryTolerance('fp32', 256, 64, 10));
  });
});
