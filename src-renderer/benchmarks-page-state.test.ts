import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../src-shared/api/types.js';
import { benchmarksPageReducer as reduce, initialBenchmarksPageState as s0 } from './benchmarks-page-state.js';

const report = (physicalCores: number, logicalCores: number) => ({ cpu: { physicalCores, logicalCores } }) as HardwareReport;

describe('benchmarks page state', () => {
  it('fills an empty thread count from the physical cores (logical ones when unknown), or 1 when detection fails', () => {
    expect(s0.settings).toEqual({ suite: 'all', quick: true, threads: '' });
    const r = report(6, 12);
    expect(reduce(s0, { type: 'hardware', report: r })).toMatchObject({ report: r, settings: { threads: '6' } });
    expect(reduce(s0, { type: 'hardware', report: report(0, 4) }).settings.threads).toBe('4');
    expect(reduce(s0, { type: 'hardware', report: report(0, 0) }).settings.threads).toBe('1');
    expect(reduce(s0, { type: 'hardware-failed' }).settings.threads).toBe('1');
  });

  it('keeps a thread count the user typed', () => {
    const typed = reduce(s0, { type: 'settings', settings: { suite: 'gemm', quick: false, threads: '3' } });
    expect(reduce(typed, { type: 'hardware', report: report(6, 12) }).settings).toEqual({ suite: 'gemm', quick: false, threads: '3' });
    expect(reduce(typed, { type: 'hardware-failed' }).settings).toBe(typed.settings);
  });

  it('holds the stored-run state and the other machine’s caches', () => {
    expect(s0.stored).toEqual({ state: 'loading' });
    expect(reduce(s0, { type: 'stored', stored: { state: 'none' } }).stored).toEqual({ state: 'none' });
    const caches = { l1dBytes: 1, l2Bytes: 2, l3Bytes: 3 } as never;
    expect(reduce(s0, { type: 'other-caches', machineId: 'm', caches }).otherCaches).toEqual({ machineId: 'm', caches });
  });
});
