/**
 * The Benchmarks page's own state in one reducer (renderer, pure), beside the run's (bench-run.ts):
 * loading the latest stored run, this machine's hardware report, the cache sizes of another
 * machine whose run is shown, and the controls' settings. The thread count, left empty, is filled
 * once from the hardware report (physical cores), or with 1 when detection fails.
 */
import type { ApiError, HardwareReport } from '../src-shared/api/types.js';
import type { CacheSizes } from '../src-shared/bench/knees.js';
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
