/**
 * Benchmark accounting (pure; runs anywhere): how many FLOPs a GEMM performs, how many bytes a
 * STREAM kernel moves, and the unit conversions every benchmark reports with. Keeping the
 * conventions in one place means the GEMM/STREAM modules, the peer scripts and the UI all count
 * the same way.
 */

/** Bytes in one GB / FLOPs in one GFLOP: decimal (1e9), as STREAM and vendors' peak sheets use. */
export const GIGA = 1e9;

/**
 * FLOPs of one C[m×n] = A[m×k] · B[k×n] product: m·n·k multiply-adds, each counted as 2 FLOPs
 * (the LAPACK / vendor peak convention; an FMA is 2 FLOPs). Integer GEMMs count the same way
 * ("ops" rather than FLOPs).
 */
export function gemmFlops(m: number, n: number, k: number): number {
  return 2 * m * n * k;
}

/** GFLOP/s from a FLOP count and seconds. */
export function gflopsPerSecond(flops: number, seconds: number): number {
  return flops / seconds / GIGA;
}

export type StreamKernel = 'copy' | 'scale' | 'add' | 'triad';
export const STREAM_KERNELS: readonly StreamKernel[] = ['copy', 'scale', 'add', 'triad'];

/**
 * Arrays each STREAM kernel touches, counted as STREAM counts them: every array read once and the
 * destination written once, with no write-allocate read of the destination (the hardware usually
 * does read it, so the DRAM traffic of copy/scale is really 3 arrays and of add/triad 4; STREAM
 * deliberately ignores that so results compare across machines).
 *   copy  c = a          2 arrays     scale b = s·c        2 arrays
 *   add   c = a + b      3 arrays     triad a = b + s·c    3 arrays
 */
export const STREAM_ARRAYS: Readonly<Record<StreamKernel, number>> = { copy: 2, scale: 2, add: 3, triad: 3 };

/** Bytes one pass of a STREAM kernel moves over `elements` elements of `elementBytes` (8 for float64). */
export function streamBytes(kernel: StreamKernel, elements: number, elementBytes = 8): number {
  return STREAM_ARRAYS[kernel] * elementBytes * elements;
}

/** GB/s (1e9 bytes per second) from bytes and seconds. */
export function gbPerSecond(bytes: number, seconds: number): number {
  return bytes / seconds / GIGA;
}

/** Nanoseconds per step of a dependent chain (latency benchmark). */
export function nsPerStep(seconds: number, steps: number): number {
  return (seconds * 1e9) / steps;
}

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
