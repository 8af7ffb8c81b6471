/**
 * Shared types of the CPU measurement kernels (GEMM, memory bandwidth, latency ladder): the
 * reporter every benchmark talks to, the cache sizes callers pass in, and the public JSON result
 * shapes. Node main process / CLI; no runtime code except the abort helpers.
 */

/** What a benchmark reports to its caller (the job runner maps this onto job events). */
export interface BenchReporter {
  signal: AbortSignal;
  progress(phase: string, done: number, total: number): void;
  log(message: string, level?: 'info' | 'warn'): void;
}

/** Cache sizes as detected (HardwareReport.cpu.caches); null where unknown. L1d and L2 per core, L3 as reported. */
export interface CacheSizes {
  l1dBytes: number | null;
  l2Bytes: number | null;
  l3Bytes: number | null;
}

// ---- GEMM ----------------------------------------------------------------------------------

export type GemmDtype = 'fp32' | 'fp16' | 'int8';

export interface GemmPoint {
  dtype: GemmDtype;
  m: number;
  n: number;
  k: number;
  threads: number;
  /** From the median time per product; int8 counts 2 ops per multiply-accumulate, like FLOPs. */
  gflops: number;
  /** Seconds per single m×n×k product (the graph runs several and the time is divided). */
  medianSeconds: number;
  bestSeconds: number;
  /** Timed graph runs. */
  repeats: number;
}

export interface GemmResult {
  results: GemmPoint[];
  /** Highest `gflops` per dtype over all sizes and thread counts. */
  best: Partial<Record<GemmDtype, number>>;
  unsupported: { dtype: GemmDtype; reason: string }[];
}

// ---- memory bandwidth ------------------------------------------------------------------------

export interface BandwidthLevel {
  name: 'L1' | 'L2' | 'L3' | 'DRAM';
  /** Capacity the level was bounded by, in the sweep's units (total bytes across threads). */
  bytes: number;
  GBs: number;
}

export interface MemoryResult {
  threads: number;
  /** Bytes per STREAM array (three arrays are allocated). */
  arrayBytes: number;
  copyGBs: number;
  scaleGBs: number;
  addGBs: number;
  triadGBs: number;
  levels: BandwidthLevel[];
  /** Read bandwidth against total working-set size (all threads together). */
  sweep: { bytes: number; GBs: number }[];
}

// ---- latency ---------------------------------------------------------------------------------

export interface LatencyResult {
  points: { bytes: number; ns: number }[];
  levels: { name: 'L1' | 'L2' | 'L3' | 'DRAM'; bytes: number; ns: number }[];
}

// ---- cancellation ----------------------------------------------------------------------------

/** An Error named 'AbortError', what every benchmark rejects with when its signal fires. */
export function abortError(): Error {
  const err = new Error('benchmark cancelled');
  err.name = 'AbortError';
  return err;
}

/** Call between measurements: throws an AbortError once the signal has fired. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/** Yields to the event loop (so an abort or an IPC message can land) and then checks the signal. */
export async function checkpoint(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfAborted(signal);
}

/** A reporter that ignores everything (for scripts and tests that do not care). */
export function silentReporter(signal: AbortSignal = new AbortController().signal): BenchReporter {
  return { signal, progress: () => {}, log: () => {} };
}
