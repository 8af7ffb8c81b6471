import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../api/types.js';
import { CPU_FLOPS_TABLE, cpuPeaks, selectCpuEntry } from './cpu-flops.js';

type Cpu = HardwareReport['cpu'];
const caches = { l1dBytes: null, l2Bytes: null, l3Bytes: null };
const cpu = (over: Partial<Cpu>): Cpu => ({
  vendor: 'AMD', model: 'AMD EPYC', physicalCores: 2, logicalCores: 2, baseGHz: 2.096, maxGHz: null, isa: [], caches, ...over,
});
const ZEN5_ISA = ['fma', 'avx', 'avx2', 'avx512f', 'avx512bw', 'avx512vl', 'avx_vnni', 'avx512_bf16', 'avx512_vnni'];
const byDtype = (peaks: { dtype: string; gflops: number; basis: string }[], d: string) => peaks.find((p) => p.dtype === d);

describe('cpuPeaks', () => {
  it('picks Zen 5 for AMD family 26 with avx512f: 2 cores × 2.096 GHz × 64 fp32', () => {
    const r = cpuPeaks(cpu({ isa: ZEN5_ISA }), { vendor: 'AMD', family: 26, model: 2, clockSource: "'cpu MHz' from /proc/cpuinfo" });
    const fp32 = byDtype(r.peaks, 'fp32')!;
    expect(fp32.gflops).toBeCloseTo(2 * 2.096 * 64, 6);
    expect(fp32.basis).toContain('2 cores × 2.096 GHz');
    expect(fp32.basis).toContain('base clock');
    expect(fp32.basis).toContain('/proc/cpuinfo');
    expect(fp32.basis).toContain('64 FLOP/cycle');
    expect(fp32.basis).toContain('Zen 5');
    expect(byDtype(r.peaks, 'fp64')!.gflops).toBeCloseTo(2 * 2.096 * 32, 6);
    // Derived dot-product rates, labelled as derived.
    expect(byDtype(r.peaks, 'bf16')!.gflops).toBeCloseTo(2 * 2.096 * 128, 6);
    expect(byDtype(r.peaks, 'bf16')!.basis).toMatch(/derived/);
    expect(byDtype(r.peaks, 'int8')!.gflops).toBeCloseTo(2 * 2.096 * 256, 6);
    expect(byDtype(r.peaks, 'fp16')).toBeUndefined(); // no avx512_fp16
    expect(r.warnings).toEqual([]);
  });

  it('uses Zen 4 (double-pumped, 32 fp32/cycle) for family 25 with avx512f', () => {
    expect(selectCpuEntry(cpu({ isa: ZEN5_ISA }), { vendor: 'AMD', family: 25, model: 17 }).entry?.id).toBe('zen4-avx512');
  });

  it('emits no peak and a warning when the clock is unknown', () => {
    const r = cpuPeaks(cpu({ isa: ZEN5_ISA, baseGHz: null, maxGHz: null }), { vendor: 'AMD', family: 26, model: 2 });
    expect(r.peaks).toEqual([]);
    expect(r.warnings.join(' ')).toMatch(/clock unknown/i);
  });

  it('prefers the max clock and says so', () => {
    const r = cpuPeaks(cpu({ isa: ZEN5_ISA, baseGHz: 3, maxGHz: 5 }), { vendor: 'AMD', family: 26, model: 0x44 });
    expect(byDtype(r.peaks, 'fp32')!.gflops).toBeCloseTo(2 * 5 * 64, 6);
    expect(byDtype(r.peaks, 'fp32')!.basis).toContain('max clock');
  });

  it('handles an AVX2-only Intel part with AVX-VNNI (256-bit int8, no bf16)', () => {
    const c = cpu({ vendor: 'Intel', model: 'Intel(R) Core(TM) i5-12400', physicalCores: 6, baseGHz: 2.5, isa: ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx_vnni'] });
    const r = cpuPeaks(c, { vendor: 'Intel', family: 6, model: 151 });
    expect(byDtype(r.peaks, 'fp32')!.gflops).toBeCloseTo(6 * 2.5 * 32, 6);
    expect(byDtype(r.peaks, 'fp64')!.gflops).toBeCloseTo(6 * 2.5 * 16, 6);
    expect(byDtype(r.peaks, 'int8')!.gflops).toBeCloseTo(6 * 2.5 * 128, 6);
    expect(byDtype(r.peaks, 'bf16')).toBeUndefined();
  });

  it('states the FMA-unit assumption for an unidentified Intel Xeon with AVX-512', () => {
    const c = cpu({ vendor: 'Intel', model: 'Intel(R) Xeon(R) Processor @ 2.60GHz', physicalCores: 4, baseGHz: 2.6, isa: ['avx2', 'fma', 'avx512f'] });
    const r = cpuPeaks(c, { vendor: 'Intel', family: 6, model: 143 });
    expect(byDtype(r.peaks, 'fp32')!.gflops).toBeCloseTo(4 * 2.6 * 64, 6);
    expect(byDtype(r.peaks, 'fp32')!.basis).toMatch(/assumes .*FMA units/);
    expect(r.warnings.join(' ')).toMatch(/FMA units/);
    const silver = cpuPeaks({ ...c, model: 'Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz' }, { vendor: 'Intel', family: 6, model: 106 });
    expect(byDtype(silver.peaks, 'fp32')!.gflops).toBeCloseTo(4 * 2.6 * 32, 6);
  });

  it('uses AMX rates for bf16/int8 on Sapphire Rapids', () => {
    const c = cpu({ vendor: 'Intel', model: 'Intel(R) Xeon(R) Platinum 8480+', physicalCores: 1, baseGHz: 2, isa: ['avx512f', 'avx512_fp16', 'avx512_bf16', 'amx_bf16', 'amx_int8', 'amx_tile'] });
    const r = cpuPeaks(c, { vendor: 'Intel', family: 6, model: 143 });
    expect(byDtype(r.peaks, 'bf16')!.gflops).toBe(2048);
    expect(byDtype(r.peaks, 'int8')!.gflops).toBe(4096);
    expect(byDtype(r.peaks, 'fp16')!.gflops).toBe(2 * 2 * 64);
  });

  it('handles Apple arm64: P-cores only, NEON 32 fp32/cycle', () => {
    const c = cpu({ vendor: 'Apple', model: 'Apple M1', physicalCores: 8, logicalCores: 8, baseGHz: null, maxGHz: 3.2, isa: ['asimd', 'asimdhp', 'asimddp'] });
    const r = cpuPeaks(c, { vendor: 'Apple', family: null, model: null, performanceCores: 4 });
    expect(byDtype(r.peaks, 'fp32')!.gflops).toBeCloseTo(409.6, 6); // reference JSON example
    expect(byDtype(r.peaks, 'fp64')!.gflops).toBeCloseTo(204.8, 6);
    expect(r.peaks.map((p) => p.dtype)).toEqual(['fp64', 'fp32']);
    expect(r.warnings.join(' ')).toMatch(/4 efficiency cores are not counted/);
  });

  it('refuses non-Apple Arm and pre-AVX CPUs rather than guessing', () => {
    expect(cpuPeaks(cpu({ vendor: 'ARM', model: 'Neoverse-V2', isa: ['asimd', 'sve', 'sve2'] })).peaks).toEqual([]);
    const old = cpuPeaks(cpu({ vendor: 'Intel', model: 'Intel Core 2', isa: ['sse4_2'] }));
    expect(old.peaks).toEqual([]);
    expect(old.warnings[0]).toMatch(/peak unknown/);
  });

  it('gives Zen 1 half the Zen 2 rate', () => {
    expect(selectCpuEntry(cpu({ isa: ['avx2', 'fma'] }), { vendor: 'AMD', family: 23, model: 1 }).entry?.id).toBe('zen1-avx2-2x128');
    expect(selectCpuEntry(cpu({ isa: ['avx2', 'fma'] }), { vendor: 'AMD', family: 23, model: 0x31 }).entry?.id).toBe('avx2-fma-2x256');
  });

  it('every table entry is consistent with FLOPs/cycle = pipes × lanes × 2 (fp64 = fp32 / 2) and cites a source', () => {
    for (const e of Object.values(CPU_FLOPS_TABLE)) {
      expect(e.fp64 * 2).toBe(e.fp32);
      expect(e.source.length).toBeGreaterThan(10);
      expect(e.verification.length).toBeGreaterThan(0);
    }
  });
});
