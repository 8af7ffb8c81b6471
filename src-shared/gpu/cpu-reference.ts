/**
 * CPU reference for the GPU benchmark (pure; runs anywhere): seeded test data, a float64 matmul to
 * check GPU GEMM results against (every entry for small sizes, a seeded sample for big ones), the
 * error tolerance, and float16 conversion for the fp16 kernel's inputs and outputs.
 */
import type { GemmDtype } from './kernels.js';

/** mulberry32: a tiny seeded PRNG, so every run (and both hosts) multiply the same matrices. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` values uniform in [-1, 1) from `seed`. Values of one sign would let a kernel that drops
 * terms still look plausible; symmetric values make the sums cancel, so a dropped term shows. */
export function randomMatrix(length: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rnd() * 2 - 1;
  return out;
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE binary16 bits of a number, rounded to nearest even (overflow → ±Inf, tiny → subnormal/0). */
export function f32ToF16Bits(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflows to ±0
    mant |= 0x800000; // implicit leading 1
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let h = mant >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // Round to nearest even; a carry out of the mantissa correctly bumps the exponent (even to Inf).
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/** The number a binary16 bit pattern stands for. */
export function f16BitsToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Float32 values → binary16 bit patterns (what the fp16 kernel's storage buffers hold). */
export function toF16Array(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f32ToF16Bits(values[i]!);
  return out;
}

/** Binary16 bit patterns → float32 values. */
export function fromF16Array(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = f16BitsToF32(bits[i]!);
  return out;
}

/** Plain float64 C = A·B (row-major, A m×k, B k×n): the truth small GEMMs are checked against. */
export function matmulReference(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  // i-k-j order streams rows of B and C, so even the JS reference stays cache-friendly.
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j]! += aip * b[bRow + j]!;
    }
  }
  return c;
}

/** Unit roundoff of the accumulation (always f32 in our kernels) and of the output type. */
const U_F32 = 2 ** -24;
const U_F16 = 2 ** -11;

/**
 * Error allowed for one C entry: the classic dot-product bound γ_K·Σ|a_p·b_p| (Higham, "Accuracy
 * and Stability of Numerical Algorithms", §3.1; γ_K ≈ K·u for f32 accumulation in any order, FMA
 * or not) plus one rounding of the result to the output type, times 2 for GPUs that flush
 * denormals or use slightly sloppier FMA. It grows with K, as the brief asks, yet a kernel that
 * drops or repeats even one product of a K-slab misses it by orders of magnitude.
 */
export function entryTolerance(dtype: GemmDtype, k: number, absSum: number, absValue: number): number {
  const gammaK = (k * U_F32) / (1 - k * U_F32);
  const out = dtype === 'fp16' ? U_F16 : U_F32;
  return 2 * (gammaK * absSum + out * absValue);
}

export interface GemmCheck {
  /** Largest |GPU − reference| over the checked entries. */
  maxAbsError: number;
  /** Largest per-entry tolerance among the checked entries (for reporting). */
  tolerance: number;
  /** How many C entries were compared (all of them, or a sample for big sizes). */
  checkedEntries: number;
  /** Every checked entry within its tolerance (and finite). */
  verified: boolean;
}

/** Above this many multiply-adds the check samples entries instead of recomputing all of C. */
export const FULL_CHECK_MAX_MACS = 2 ** 27;
/** Entries sampled for big sizes (each costs K multiply-adds on the CPU). */
export const SAMPLED_ENTRIES = 2048;

/**
 * Compares a GPU result `c` (already decoded to float32) with the float64 reference of `a`·`b`.
 * `a` and `b` must be the values the GPU actually multiplied (for fp16, the f16-rounded inputs),
 * so that only the kernel's arithmetic is judged, not the input quantisation.
 * Small problems are checked in full; big ones on the four corners plus a seeded random sample,
 * which still catches a wrong tile, a wrong stride or a dropped K-slab.
 */
export function checkGemm(
  dtype: GemmDtype,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  seed = 1234,
): GemmCheck {
  let maxAbsError = 0;
  let tolerance = 0;
  let verified = true;
  const judge = (got: number, want: number, absSum: number): void => {
    const err = Math.abs(got - want);
    const tol = entryTolerance(dtype, k, absSum, Math.abs(want));
    if (!(err <= tol)) verified = false; // also catches NaN
    if (Number.isNaN(err)) maxAbsError = Infinity;
    else if (err > maxAbsError) maxAbsError = err;
    if (tol > tolerance) tolerance = tol;
  };
  if (m * n * k <= FULL_CHECK_MAX_MACS) {
    // Σ|a·b| per entry is just |A|·|B|: two cache-friendly matmuls instead of a strided dot per entry.
    const want = matmulReference(a, b, m, n, k);
    const absSums = matmulReference(a.map(Math.abs), b.map(Math.abs), m, n, k);
    for (let e = 0; e < m * n; e++) judge(c[e]!, want[e]!, absSums[e]!);
    return { maxAbsError, tolerance, checkedEntries: m * n, verified };
  }
  const rnd = mulberry32(seed);
  const cells: Array<[number, number]> = [[0, 0], [0, n - 1], [m - 1, 0], [m - 1, n - 1]];
  while (cells.length < SAMPLED_ENTRIES) cells.push([Math.floor(rnd() * m), Math.floor(rnd() * n)]);
  for (const [i, j] of cells) {
    let sum = 0;
    let absSum = 0;
    for (let p = 0; p < k; p++) {
      const prod = a[i * k + p]! * b[p * n + j]!;
      sum += prod;
      absSum += Math.abs(prod);
    }
    judge(c[i * n + j]!, sum, absSum);
  }
  return { maxAbsError, tolerance, checkedEntries: cells.length, verified };
}
