import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../api/types.js';
import { amdCore, CPU_FLOPS_TABLE, cpuPeaks, INTEL_FAMILY6, peakClock, selectCpuEntry } from './cpu-flops.js';

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

  it('states the FMA-unit assumption for an unidentified Skylake-SP-era Xeon with AVX-512 (FMA units vary by SKU)', () => {
    const c = cpu({ vendor: 'Intel', model: 'Intel(R) Xeon(R) Processor @ 2.60GHz', physicalCores: 4, baseGHz: 2.6, isa: ['avx2', 'fma', 'avx512f'] });
    const r = cpuPeaks(c, { vendor: 'Intel', family: 6, model: 85 });
    expect(byDtype(r.peaks, 'fp32')!.gflops).toBeCloseTo(4 * 2.6 * 64, 6);
    expect(byDtype(r.peaks, 'fp32')!.basis).toMatch(/assumes .*FMA units/);
    expect(byDtype(r.peaks, 'fp32')!.basis).toContain('Skylake-SP/Cascade Lake/Cooper Lake');
    expect(r.warnings.join(' ')).toMatch(/FMA units/);
    const silver = cpuPeaks({ ...c, model: 'Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz' }, { vendor: 'Intel', family: 6, model: 85 });
    expect(byDtype(silver.peaks, 'fp32')!.gflops).toBeCloseTo(4 * 2.6 * 32, 6);
    // Unknown model number: the name decides, as before.
    expect(selectCpuEntry(c, { vendor: 'Intel', family: 6, model: 999 }).entry?.id).toBe('intel-avx512-2fma');
  });

  it('knows Intel server cores by family/model, whatever the name says: Ice Lake-SP..Granite Rapids have 2 FMA units', () => {
    const c = cpu({ vendor: 'Intel', model: 'Intel(R) Xeon(R) Processor', physicalCores: 2, baseGHz: 2.1, isa: ['avx2', 'fma', 'avx512f', 'amx_bf16', 'amx_int8'] });
    for (const [model, core] of [[106, 'Ice Lake-SP'], [143, 'Sapphire Rapids'], [207, 'Emerald Rapids'], [173, 'Granite Rapids']] as const) {
      const sel = selectCpuEntry(c, { vendor: 'Intel', family: 6, model });
      expect(sel.entry?.id, core).toBe('intel-avx512-2fma');
      expect(sel.assumptions, core).toEqual([]);
      expect(sel.core, core).toContain(core);
    }
    // Emerald Rapids (family 6 model 207): 64 fp32 FLOP/cycle per core.
    const r = cpuPeaks(c, { vendor: 'Intel', family: 6, model: 207 });
    expect(byDtype(r.peaks, 'fp32')!.gflops).toBeCloseTo(2 * 2.1 * 64, 6);
    expect(byDtype(r.peaks, 'fp32')!.basis).toContain('Emerald Rapids (Raptor Cove)');
    expect(r.warnings).toEqual([]);
    // A hypervisor that masks AVX-512 leaves the AVX2 rate: code cannot use what it cannot see.
    expect(selectCpuEntry({ ...c, isa: ['avx2', 'fma'] }, { vendor: 'Intel', family: 6, model: 207 }).entry?.id).toBe('avx2-fma-2x256');
  });

  it('knows Intel client and E-core parts: 1 AVX-512 FMA on Ice/Tiger/Rocket Lake, 2×128-bit FMA on Gracemont/Crestmont, 4×128 on Skymont-class', () => {
    const avx512 = cpu({ vendor: 'Intel', isa: ['avx2', 'fma', 'avx512f'] });
    for (const model of [126, 140, 167]) expect(selectCpuEntry(avx512, { vendor: 'Intel', family: 6, model }).entry?.id).toBe('intel-avx512-1fma');
    const avx2 = cpu({ vendor: 'Intel', isa: ['avx2', 'fma'] });
    expect(selectCpuEntry(avx2, { vendor: 'Intel', family: 6, model: 190 }).entry?.fp32).toBe(16); // Alder Lake-N
    expect(selectCpuEntry(avx2, { vendor: 'Intel', family: 6, model: 175 }).entry?.fp32).toBe(16); // Sierra Forest
    expect(selectCpuEntry(avx2, { vendor: 'Intel', family: 6, model: 221 }).entry?.fp32).toBe(32); // Clearwater Forest
    for (const model of [151, 183, 197, 189]) expect(selectCpuEntry(avx2, { vendor: 'Intel', family: 6, model }).entry?.id).toBe('avx2-fma-2x256');
    expect(selectCpuEntry(cpu({ vendor: 'Intel', isa: ['avx'] }), { vendor: 'Intel', family: 6, model: 42 }).entry?.id).toBe('avx-no-fma');
  });

  it('maps AMD Zen 1–5 by family and model', () => {
    const avx2 = cpu({ isa: ['avx2', 'fma'] });
    const avx512 = cpu({ isa: ZEN5_ISA });
    const id = (c: Cpu, family: number, model: number) => selectCpuEntry(c, { vendor: 'AMD', family, model });
    expect(id(avx2, 23, 0x01).core).toBe('Zen / Zen+');
    expect(id(avx2, 24, 0x00).entry?.id).toBe('zen1-avx2-2x128'); // Hygon Dhyana
    expect(id(avx2, 23, 0x31).core).toBe('Zen 2');
    expect(id(avx2, 25, 0x01)).toMatchObject({ core: 'Zen 3', entry: { fp32: 32 } }); // EPYC Milan
    expect(id(avx512, 25, 0x11)).toMatchObject({ core: 'Zen 4', entry: { id: 'zen4-avx512', fp32: 32 } }); // Genoa
    expect(id(avx512, 25, 0x61).entry?.id).toBe('zen4-avx512'); // Raphael
    expect(id(avx512, 26, 0x02)).toMatchObject({ core: 'Zen 5', entry: { id: 'zen5-avx512', fp32: 64 } }); // Turin
    expect(id(avx512, 26, 0x44).entry?.fp32).toBe(64); // Granite Ridge
    expect(id(avx512, 26, 0x24).entry?.id).toBe('zen5-mobile-avx512'); // Strix Point
    expect(id(avx512, 26, 0x70).entry?.fp32).toBe(64); // Strix Halo
    const newer = id(avx512, 27, 0x00);
    expect(newer.entry?.id).toBe('zen5-avx512');
    expect(newer.assumptions.join(' ')).toMatch(/newer than the tables/);
  });

  it('every family/model mapping cites a source', () => {
    for (const [model, info] of Object.entries(INTEL_FAMILY6)) expect(info.source.length, `Intel model ${model}`).toBeGreaterThan(20);
    for (const [f, m] of [[23, 1], [23, 0x31], [24, 0], [25, 1], [25, 0x11], [26, 2], [26, 0x24]]) expect(amdCore(f!, m!)!.source.length).toBeGreaterThan(20);
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

  it('peakClock: the OS max/base clock, unless the measured all-core clock is higher (then basis says so)', () => {
    const m = (ghz: number) => ({ ghz, minGHz: ghz, maxGHz: ghz, threads: 2, method: 'add chain' });
    expect(peakClock(cpu({ measuredClock: m(2.0) }))).toMatchObject({ ghz: 2.096, source: 'os' });
    expect(peakClock(cpu({ measuredClock: m(2.12) }))).toMatchObject({ ghz: 2.096, source: 'os' }); // within 2 %
    expect(peakClock(cpu({ measuredClock: m(2.9) }))).toMatchObject({ ghz: 2.9, source: 'measured' });
    expect(peakClock(cpu({ baseGHz: null, measuredClock: m(2.9) }))!.label).toContain('the OS reports no clock');
    expect(peakClock(cpu({ baseGHz: null }))).toBeNull();
    const r = cpuPeaks(cpu({ isa: ZEN5_ISA, measuredClock: m(2.9) }), { vendor: 'AMD', family: 26, model: 2, clockSource: "'cpu MHz' from /proc/cpuinfo" });
    expect(byDtype(r.peaks, 'fp32')!.gflops).toBeCloseTo(2 * 2.9 * 64, 6);
    expect(byDtype(r.peaks, 'fp32')!.basis).toMatch(/2 cores × 2\.9 GHz \(measured all-core clock: add chain on 2 threads; above the OS's 2\.096 GHz \(base clock, 'cpu MHz' from \/proc\/cpuinfo\)\)/);
  });

  it('every table entry is consistent with FLOPs/cycle = pipes × lanes × 2 (fp64 = fp32 / 2) and cites a source', () => {
    for (const e of Object.values(CPU_FLOPS_TABLE)) {
      expect(e.fp64 * 2).toBe(e.fp32);
      expect(e.source.length).toBeGreaterThan(10);
      expect(e.verification.length).toBeGreaterThan(0);
    }
  });
});
