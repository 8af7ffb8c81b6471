import { describe, expect, it } from 'vitest';
import { GPU_CATALOG, findGpu, gpuPeaks } from './gpu-catalog.js';

const name = (s: string): string | null => findGpu(s)?.name ?? null;

describe('findGpu', () => {
  it.each([
    ['NVIDIA H100 80GB HBM3', 'NVIDIA H100 SXM5 80GB'],
    ['NVIDIA H100 PCIe', 'NVIDIA H100 PCIe 80GB'],
    ['GH100 [H100 SXM5 80GB]', 'NVIDIA H100 SXM5 80GB'],
    ['NVIDIA H200', 'NVIDIA H200 SXM 141GB'],
    ['NVIDIA A100-SXM4-80GB', 'NVIDIA A100 80GB SXM4'],
    ['NVIDIA A100-SXM4-40GB', 'NVIDIA A100 40GB SXM4'],
    ['NVIDIA A100-PCIE-40GB', 'NVIDIA A100 40GB PCIe'],
    ['NVIDIA A100 80GB PCIe', 'NVIDIA A100 80GB PCIe'],
    ['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 4090'],
    ['AD102 [GeForce RTX 4090]', 'NVIDIA GeForce RTX 4090'],
    ['NVIDIA GeForce RTX 3080', 'NVIDIA GeForce RTX 3080 (10GB)'],
    ['Tesla T4', 'NVIDIA T4 16GB'],
    ['NVIDIA A10', 'NVIDIA A10 24GB'],
    ['NVIDIA L4', 'NVIDIA L4 24GB'],
    ['NVIDIA L40S', 'NVIDIA L40S 48GB'],
    ['Tesla V100-SXM2-32GB', 'NVIDIA Tesla V100 SXM2 (16/32GB)'],
    ['AMD Instinct MI300X', 'AMD Instinct MI300X'],
    ['AMD Radeon RX 7900 XTX', 'AMD Radeon RX 7900 XTX'],
    ['Intel(R) Arc(TM) A770 Graphics', 'Intel Arc A770 16GB'],
    ['Apple M1 Pro (16-core GPU)', 'Apple M1 Pro (16-core GPU)'],
    ['Apple M1 (8-core GPU)', 'Apple M1 (8-core GPU)'],
  ])('matches %s', (detected, expected) => {
    expect(name(detected)).toBe(expected);
  });

  it.each([
    'NVIDIA GeForce RTX 4090 D',
    'NVIDIA GeForce RTX 4090 Laptop GPU',
    'NVIDIA GeForce RTX 4080 SUPER',
    'NVIDIA GeForce RTX 3080 Ti',
    'NVIDIA GeForce RTX 3080 12GB',
    'NVIDIA H100', // PCIe or SXM? refuse to guess
    'NVIDIA H100 NVL',
    'NVIDIA H200 NVL',
    'NVIDIA A10G',
    'NVIDIA A100', // 40 or 80 GB, PCIe or SXM
    'NVIDIA L40',
    'Tesla V100-PCIE-16GB',
    'AMD Radeon RX 7900 XT',
    'Navi 31 [Radeon RX 7900 XT/7900 XTX]',
    'AMD Instinct MI250',
    'Apple M1 Pro', // 14- or 16-core GPU
    'Apple M1 (7-core GPU)',
    'Cirrus Logic GD 5446',
    '',
  ])('returns null for %j', (detected) => {
    expect(findGpu(detected)).toBeNull();
  });
});

describe('GPU_CATALOG', () => {
  it('every entry has a source, a verification note and positive numbers', () => {
    const names = new Set<string>();
    for (const e of GPU_CATALOG) {
      expect(names.has(e.name), e.name).toBe(false);
      names.add(e.name);
      expect(e.source.length, e.name).toBeGreaterThan(20);
      expect(e.verification.length, e.name).toBeGreaterThan(0);
      for (const k of ['fp64Vector', 'fp64Matrix', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'memGB', 'memBandwidthGBs', 'tdpW'] as const) {
        const v = e[k];
        if (v !== null) expect(v, `${e.name} ${k}`).toBeGreaterThan(0);
      }
      expect(e.match.all.length, e.name).toBeGreaterThan(0);
    }
  });

  it('holds dense figures: with-sparsity numbers are twice the dense ones', () => {
    for (const e of GPU_CATALOG) {
      for (const [k, sparse] of Object.entries(e.sparse2to4 ?? {})) {
        const dense = e[k as 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8'];
        expect(dense, `${e.name} ${k}`).not.toBeNull();
        // 2% slack: datasheets round each column separately (L40S: 362.05 dense vs 733 sparse).
        expect(Math.abs(sparse / (2 * dense!) - 1), `${e.name} ${k}`).toBeLessThan(0.02);
      }
    }
  });

  it('uses the entry names that findGpu resolves to themselves where the name is specific', () => {
    for (const e of GPU_CATALOG) {
      const hit = findGpu(e.name);
      if (hit) expect(hit.name).toBe(e.name);
    }
  });
});

describe('gpuPeaks', () => {
  it('gives H100 SXM dense bf16 = 989.4 TFLOP/s, not the sparse 1979', () => {
    const peaks = gpuPeaks(0, findGpu('NVIDIA H100 80GB HBM3')!);
    const bf16 = peaks.find((p) => p.dtype === 'bf16')!;
    expect(bf16.device).toBe('gpu:0');
    expect(bf16.gflops).toBeCloseTo(989_400, 6);
    expect(bf16.basis).toContain('dense, from catalog entry NVIDIA H100 SXM5 80GB');
    expect(bf16.basis).toContain('NVIDIA H100 datasheet');
    expect(peaks.find((p) => p.dtype === 'fp64')!.gflops).toBeCloseTo(66_900, 6);
    expect(peaks.map((p) => p.dtype)).toEqual(['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8']);
  });

  it('omits unsupported dtypes and splits multi-die boards per device', () => {
    expect(gpuPeaks(1, findGpu('Tesla T4')!).map((p) => p.dtype)).toEqual(['fp32', 'fp16', 'int8']);
    const mi = gpuPeaks(1, findGpu('AMD Instinct MI250X')!);
    expect(mi.find((p) => p.dtype === 'fp16')!.gflops).toBeCloseTo(383_000 / 2, 6);
    expect(mi[0]!.device).toBe('gpu:1');
    expect(gpuPeaks(0, findGpu('Apple M4 (10-core GPU)')!)).toEqual([]);
  });
});
