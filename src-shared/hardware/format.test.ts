import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../api/types.js';
import { formatBytes, formatFlops, formatHardwareReport } from './format.js';

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
