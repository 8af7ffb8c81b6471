import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../api/types.js';
import { describeCaches, describeMeasuredClock, describeOsClock, describePeakClock, formatBytes, formatFlops, formatHardwareReport } from './format.js';

describe('units', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(49152)).toBe('48 KiB');
    expect(formatBytes(1048576)).toBe('1 MiB');
    expect(formatBytes(25276026880)).toBe('23.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(null)).toBe('unknown');
  });
  it('scales FLOP/s to TFLOP/s from 1000 GFLOP/s and uses OP/s for int8', () => {
    expect(formatFlops(268.288)).toBe('268.3 GFLOP/s');
    expect(formatFlops(989_400)).toBe('989.4 TFLOP/s');
    expect(formatFlops(1073.152, 'int8')).toBe('1.1 TOP/s');
  });
});

describe('formatHardwareReport', () => {
  it('prints the CPU, caches, GPUs, a peaks table and warnings', () => {
    const report: HardwareReport = {
      machine: { id: 'abcdef0123456789', hostname: 'box', os: { platform: 'linux', release: 'Debian GNU/Linux 12', arch: 'x64' } },
      cpu: {
        vendor: 'AMD', model: 'AMD EPYC', physicalCores: 2, logicalCores: 2, baseGHz: 2.096, maxGHz: null,
        isa: ['avx2', 'avx512f'], caches: { l1dBytes: 49152, l2Bytes: 1048576, l3Bytes: null },
      },
      memory: { totalBytes: 32 * 2 ** 30 },
      gpus: [{ vendor: 'NVIDIA', model: 'NVIDIA H100 80GB HBM3', vramBytes: 81559 * 2 ** 20, driver: '550.54.15' }],
      peaks: [
        { device: 'cpu', dtype: 'fp32', gflops: 268.288, basis: '2 cores × 2.096 GHz × 64 FLOP/cycle' },
        { device: 'gpu:0', dtype: 'bf16', gflops: 989_400, basis: 'dense, from catalog entry NVIDIA H100 SXM5 80GB' },
      ],
      warnings: ['something odd'],
    };
    const text = formatHardwareReport(report);
    expect(text).toContain('AMD EPYC');
    expect(text).toContain('2 physical, 2 logical');
    expect(text).toContain('base 2.096 GHz, max unknown');
    expect(text).toContain('L1d 48 KiB, L2 1 MiB per core, L3 unknown');
    expect(text).toContain('32 GiB');
    expect(text).toContain('gpu:0 NVIDIA H100 80GB HBM3 (79.6 GiB VRAM, driver 550.54.15)');
    expect(text).toMatch(/cpu\s+fp32\s+268\.3 GFLOP\/s\s+2 cores/);
    expect(text).toMatch(/gpu:0\s+bf16\s+989\.4 TFLOP\/s\s+dense/);
    expect(text).toContain('- something odd');
  });

  it('prints the measured clock, the L3 sharing groups and the cache source', () => {
    const report: HardwareReport = {
      machine: { id: 'abcdef0123456789', hostname: 'box', os: { platform: 'linux', release: '12', arch: 'x64' } },
      cpu: {
        vendor: 'AMD', model: 'AMD EPYC 7B13', physicalCores: 16, logicalCores: 16, baseGHz: 2.445, maxGHz: null, isa: ['avx2'],
        caches: { l1dBytes: 32768, l2Bytes: 524288, l3Bytes: 33554432 },
        cacheSource: 'sysfs',
        l3Groups: [{ bytes: 33554432, sharedBy: 8, instances: 2 }],
        measuredClock: { ghz: 3.05, minGHz: 2.981, maxGHz: 3.1, threads: 16, method: 'add chain' },
      },
      memory: { totalBytes: 2 ** 30 },
      gpus: [],
      peaks: [],
      warnings: [],
    };
    const text = formatHardwareReport(report);
    expect(text).toContain('Clock     base 2.445 GHz, max unknown, measured all-core 3.05 GHz (16 threads, 2.98–3.1 GHz)');
    expect(text).toContain('Caches    L1d 32 KiB, L2 512 KiB per core, L3 2 × 32 MiB, each shared by 8 CPUs (from sysfs)');
  });
});

describe('cache and clock helpers (CLI and Hardware page)', () => {
  const cpu = (over: Partial<HardwareReport['cpu']> = {}): HardwareReport['cpu'] => ({
    vendor: 'AMD', model: 'AMD EPYC 7B13', physicalCores: 2, logicalCores: 2, baseGHz: 2.445, maxGHz: null, isa: ['avx2', 'fma'],
    caches: { l1dBytes: 32768, l2Bytes: 524288, l3Bytes: 33554432 },
    ...over,
  });
  const cpuPeak = [{ device: 'cpu' }];

  it('describes caches with the L3 sharing groups, or the plain L3 size in old reports', () => {
    expect(describeCaches(cpu({ l3Groups: [{ bytes: 33554432, sharedBy: 2, instances: 1 }] }))).toBe('L1d 32 KiB, L2 512 KiB per core, L3 32 MiB shared by 2 CPUs');
    expect(describeCaches(cpu({ l3Groups: [{ bytes: 33554432, sharedBy: 8, instances: 2 }, { bytes: 16777216, sharedBy: 4, instances: 1 }] }))).toBe(
      'L1d 32 KiB, L2 512 KiB per core, L3 2 × 32 MiB, each shared by 8 CPUs; 16 MiB shared by 4 CPUs',
    );
    // Reports from before l3Groups, and sources without sharing (getconf, sysctl): the single size.
    expect(describeCaches(cpu())).toBe('L1d 32 KiB, L2 512 KiB per core, L3 32 MiB');
    expect(describeCaches(cpu({ l3Groups: [], caches: { l1dBytes: null, l2Bytes: null, l3Bytes: null } }))).toBe('L1d unknown, L2 unknown per core, L3 unknown');
  });

  it("describes the OS's clocks and the measured one; no measured clock gives null", () => {
    expect(describeOsClock(cpu())).toBe('base 2.445 GHz, max unknown');
    expect(describeOsClock(cpu({ baseGHz: null, maxGHz: 3.5 }))).toBe('base unknown, max 3.5 GHz');
    expect(describeMeasuredClock({ ghz: 3.05, minGHz: 2.981, maxGHz: 3.1, threads: 16, method: 'm' })).toBe('measured all-core 3.05 GHz (16 threads, 2.98–3.1 GHz)');
    expect(describeMeasuredClock({ ghz: 3.05, minGHz: 3.05, maxGHz: 3.05, threads: 2, method: 'm' })).toBe('measured all-core 3.05 GHz (2 threads)');
    // A spread that rounds away at 2 decimals is not shown as "2.64–2.64 GHz".
    expect(describeMeasuredClock({ ghz: 2.639, minGHz: 2.637, maxGHz: 2.639, threads: 2, method: 'm' })).toBe('measured all-core 2.639 GHz (2 threads)');
    expect(describeMeasuredClock(null)).toBeNull();
    expect(describeMeasuredClock(undefined)).toBeNull();
  });

  it('says which clock the CPU peaks used, by the rule cpuPeaks applies', () => {
    const measured = { ghz: 3.05, minGHz: 3, maxGHz: 3.1, threads: 2, method: 'm' };
    // Measured above the OS's clock: the peaks use it.
    expect(describePeakClock({ cpu: cpu({ measuredClock: measured }), peaks: cpuPeak })).toBe("measured all-core clock, 3.05 GHz (above the OS's 2.445 GHz)");
    // No OS clock at all: the measured one.
    expect(describePeakClock({ cpu: cpu({ baseGHz: null, measuredClock: measured }), peaks: cpuPeak })).toBe('measured all-core clock, 3.05 GHz (the OS reports no clock)');
    // Measured below (a busy machine) or within 2 % of the OS's: the OS's, max before base.
    expect(describePeakClock({ cpu: cpu({ maxGHz: 3.5, measuredClock: measured }), peaks: cpuPeak })).toBe('OS max clock, 3.5 GHz');
    expect(describePeakClock({ cpu: cpu({ measuredClock: { ...measured, ghz: 2.46 } }), peaks: cpuPeak })).toBe('OS base clock, 2.445 GHz');
    // Old reports (no measuredClock) use the OS's clock, as they did.
    expect(describePeakClock({ cpu: cpu(), peaks: cpuPeak })).toBe('OS base clock, 2.445 GHz');
    // No CPU peak (no table entry, no clock): no clock was used.
    expect(describePeakClock({ cpu: cpu({ measuredClock: measured }), peaks: [{ device: 'gpu:0' }] })).toBeNull();
    expect(describePeakClock({ cpu: cpu({ baseGHz: null }), peaks: cpuPeak })).toBeNull();
  });
});
