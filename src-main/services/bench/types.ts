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

// ---- results: the public JSON shapes live in src-shared/api/bench.ts ------------------------

export type { BandwidthLevel, GemmDtype, GemmPoint, GemmResult, LatencyResult, MemoryResult } from '../../../src-shared/api/bench.js';

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
