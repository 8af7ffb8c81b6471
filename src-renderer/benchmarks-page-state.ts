/**
 * The Benchmarks page's own state in one reducer (renderer, pure), beside the run's (bench-run.ts):
 * loading the latest stored run, this machine's hardware report, the cache sizes of another
 * machine whose run is shown, and the controls' settings. The thread count, left empty, is filled
 * once from the hardware report (physical cores), or with 1 when detection fails.
 */
import type { ApiError, HardwareReport } from '../src-shared/api/types.js';
import type { GemmPoint } from '../src-shared/api/bench.js';
import { bandwidthLevels, type CacheSizes } from '../src-shared/bench/knees.js';
import type { BenchSettings } from './components/bench-controls.js';

export type Stored = { state: 'loading' } | { state: 'none' } | { state: 'ok' } | { state: 'error'; error: ApiError };

export interface BenchmarksPageState {
  stored: Stored;
  report: HardwareReport | null;
  otherCaches: { machineId: string; caches: CacheSizes } | null;
  settings: BenchSettings;
}

export const initialBenchmarksPageState: BenchmarksPageState = {
  stored: { state: 'loading' },
  report: null,
  otherCaches: null,
  settings: { suite: 'all', quick: true, threads: '' },
};

export type BenchmarksPageAction =
  | { type: 'stored'; stored: Stored }
  | { type: 'hardware'; report: HardwareReport }
  | { type: 'hardware-failed' }
  | { type: 'other-caches'; machineId: string; caches: CacheSizes }
  | { type: 'settings'; settings: BenchSettings };

/** The settings with an empty thread count filled in. */
function defaultThreads(settings: BenchSettings, threads: number): BenchSettings {
  return settings.threads === '' ? { ...settings, threads: String(threads) } : settings;
}

export function benchmarksPageReducer(s: BenchmarksPageState, a: BenchmarksPageAction): BenchmarksPageState {
  switch (a.type) {
    case 'stored':
      return { ...s, stored: a.stored };
    case 'hardware':
      return { ...s, report: a.report, settings: defaultThreads(s.settings, Math.max(1, a.report.cpu.physicalCores || a.report.cpu.logicalCores)) };
    case 'hardware-failed':
      return { ...s, settings: defaultThreads(s.settings, 1) };
    case 'other-caches':
      return { ...s, otherCaches: { machineId: a.machineId, caches: a.caches } };
    case 'settings':
      return { ...s, settings: a.settings };
  }
}

/** Run-to-run spread above which the page warns: max/min time (≥ median/best here) over 1.5. */
export const SPREAD_WARN = 1.5;

/**
 * Spread of one GEMM point's timed runs, from what the result keeps: the best (minimum) and the
 * median time. median/best is a lower bound on max/min; `large` when it exceeds SPREAD_WARN.
 * Throughput from the best time is the top of the range, from the median the reported figure.
 */
export function gemmSpread(p: Pick<GemmPoint, 'medianSeconds' | 'bestSeconds' | 'gflops' | 'repeats'>): { ratio: number; bestGflops: number; large: boolean } | null {
  if (!(p.bestSeconds > 0) || !(p.medianSeconds > 0) || p.repeats < 2) return null;
  const ratio = p.medianSeconds / p.bestSeconds;
  return { ratio, bestGflops: p.gflops * ratio, large: ratio > SPREAD_WARN };
}

/** True when the CPU flags include native half-precision arithmetic (x86 AVX512-FP16, Arm FP16). */
export function hasNativeFp16(isa: readonly string[]): boolean {
  return isa.some((f) => /^(avx512_?fp16|fphp|asimdhp|fp16)$/i.test(f));
}

/**
 * Why fp16 GEMM outran fp32 on this run, when it did: the best figures of each, their ratio and the
 * sizes fp16 won at; null when fp16 did not beat fp32 (or either is missing). `nativeFp16` is
 * undefined when the CPU's flags are not known.
 */
export function fp16BeatsFp32(results: readonly GemmPoint[], nativeFp16: boolean | undefined): string | null {
  const best = (d: string) => Math.max(0, ...results.filter((r) => r.dtype === d).map((r) => r.gflops));
  const f16 = best('fp16');
  const f32 = best('fp32');
  if (!(f16 > 0) || !(f32 > 0) || f16 <= f32) return null;
  const wins = results.filter((r) => r.dtype === 'fp16' && results.some((q) => q.dtype === 'fp32' && q.m === r.m && q.n === r.n && q.k === r.k && q.threads === r.threads && r.gflops > q.gflops));
  const sizes = [...new Set(wins.map((r) => `${r.m}×${r.n}×${r.k}`))].join(', ');
  const what = `fp16 reached ${(f16 / f32).toFixed(2)}× fp32's best throughput${sizes ? ` (faster at ${sizes})` : ''}.`;
  if (nativeFp16 === true) return `${what} This CPU reports native fp16 arithmetic, so half-precision math can genuinely run faster (twice the elements per vector).`;
  const cpu = nativeFp16 === false ? 'This CPU reports no native fp16 arithmetic (no AVX512-FP16 or Arm FP16 flag)' : 'If this CPU has no native fp16 arithmetic';
  return `${what} ${cpu}: ONNX Runtime's fp16 MatMul converts to fp32 and runs a different kernel from the fp32 path, and its operands take half the memory traffic. The gap measures those kernels and that traffic, not faster fp16 math.`;
}

/**
 * The last-level cache boundary the bandwidth sweep shows: the knee with the largest fall in
 * bandwidth (missing the LLC costs more than any other step), in the sweep's units (total working
 * set of all threads); null when the sweep shows no knee.
 */
export function measuredLlcBytes(sweep: ReadonlyArray<{ bytes: number; GBs: number }>): number | null {
  const { knees } = bandwidthLevels(sweep);
  if (!knees.length) return null;
  return knees.reduce((a, k) => (k.after / k.before > a.after / a.before ? k : a)).bytes;
}

/** Why the measured boundary and the OS-reported L3 size can differ. */
export const LLC_DIFFERENCE_NOTE =
  'They can differ: on chiplet CPUs (AMD CCDs) each die has its own L3 and the OS may report one die’s or the whole package’s; a virtual machine reports whatever the hypervisor tells it; and the usable capacity sits below the nominal size (code, other data, associativity, inclusive or victim policy).';
