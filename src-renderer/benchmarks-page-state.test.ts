import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../src-shared/api/types.js';
import { benchmarksPageReducer as reduce, fp16BeatsFp32, gemmSpread, hasNativeFp16, initialBenchmarksPageState as s0, measuredLlcBytes } from './benchmarks-page-state.js';

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

describe('gemmSpread', () => {
  it('is median/best, with the best-time throughput, and large past 1.5', () => {
    const s = gemmSpread({ medianSeconds: 2, bestSeconds: 1, gflops: 100, repeats: 5 })!;
    expect(s.ratio).toBe(2);
    expect(s.bestGflops).toBe(200);
    expect(s.large).toBe(true);
    expect(gemmSpread({ medianSeconds: 1.1, bestSeconds: 1, gflops: 100, repeats: 5 })!.large).toBe(false);
  });
  it('is null without repeats or times', () => {
    expect(gemmSpread({ medianSeconds: 1, bestSeconds: 1, gflops: 1, repeats: 1 })).toBeNull();
    expect(gemmSpread({ medianSeconds: 1, bestSeconds: 0, gflops: 1, repeats: 3 })).toBeNull();
  });
});

describe('fp16BeatsFp32', () => {
  const pt = (dtype: 'fp16' | 'fp32', gflops: number, m = 512) => ({ dtype, m, n: m, k: m, threads: 2, gflops, medianSeconds: 1, bestSeconds: 1, repeats: 3 });
  it('explains fp16 winning without native fp16 math, with the sizes it won at', () => {
    const t = fp16BeatsFp32([pt('fp32', 100), pt('fp16', 150), pt('fp32', 120, 1024), pt('fp16', 110, 1024)], false)!;
    expect(t).toContain('1.25× fp32');
    expect(t).toContain('faster at 512×512×512');
    expect(t).not.toContain('1024×1024');
    expect(t).toContain('no native fp16 arithmetic');
    expect(t).toContain('different kernel');
  });
  it('says nothing when fp32 wins or a dtype is missing, and hedges when the flags are unknown', () => {
    expect(fp16BeatsFp32([pt('fp32', 100), pt('fp16', 90)], false)).toBeNull();
    expect(fp16BeatsFp32([pt('fp16', 90)], false)).toBeNull();
    expect(fp16BeatsFp32([pt('fp32', 100), pt('fp16', 190)], undefined)).toContain('If this CPU has no native fp16');
    expect(fp16BeatsFp32([pt('fp32', 100), pt('fp16', 190)], true)).toContain('reports native fp16');
  });
  it('reads native fp16 from the flags', () => {
    expect(hasNativeFp16(['avx2', 'avx512_fp16'])).toBe(true);
    expect(hasNativeFp16(['asimd', 'asimdhp', 'fphp'])).toBe(true);
    expect(hasNativeFp16(['avx2', 'f16c', 'avx512_bf16'])).toBe(false);
  });
});

describe('measuredLlcBytes', () => {
  it('is the knee with the largest bandwidth fall', () => {
    const MiB = 1 << 20;
    const sweep = [];
    for (let b = 16 * 1024; b <= 1024 * MiB; b *= 2) sweep.push({ bytes: b, GBs: b <= 256 * 1024 ? 400 : b <= 32 * MiB ? 200 : 25 });
    const llc = measuredLlcBytes(sweep)!;
    expect(llc).toBeGreaterThanOrEqual(16 * MiB);
    expect(llc).toBeLessThanOrEqual(64 * MiB);
    expect(measuredLlcBytes(sweep.map((p) => ({ ...p, GBs: 100 })))).toBeNull();
  });
});
