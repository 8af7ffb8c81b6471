import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { HardwareProbes } from './detect.js';
import { detectHardware, formatHardwareReport, parseKeyValues, parseProcCpuinfo } from './detect.js';

const PROC_CPUINFO = `processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
cpu MHz\t\t: 2096.012
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse sse2 fma sse4_2 avx f16c hypervisor avx2 avx512f avx512bw avx512vl avx_vnni avx512_bf16 avx512_vnni

processor\t: 1
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC
cpu MHz\t\t: 2096.012
physical id\t: 0
core id\t\t: 1
flags\t\t: fpu sse sse2 fma sse4_2 avx f16c hypervisor avx2 avx512f avx512bw avx512vl avx_vnni avx512_bf16 avx512_vnni
`;

const fail = (msg: string) => async (): Promise<never> => {
  throw new Error(msg);
};

/** A fully faked Linux VM like the dev machine: systeminformation knows little, /proc and getconf fill in. */
const vmProbes: HardwareProbes = {
  cpu: async () => ({ manufacturer: 'AMD', brand: 'EPYC', vendor: 'AMD', family: '26', model: '2', speed: 0, speedMax: 0, cores: 2, physicalCores: 2, performanceCores: 2, efficiencyCores: 0 }),
  cpuFlags: async () => 'fpu sse fma avx2 avx512f',
  cpuCache: async () => ({ l1d: null, l2: null, l3: null }),
  mem: async () => ({ total: 32 * 2 ** 30 }),
  osInfo: async () => ({ platform: 'linux', distro: 'Debian GNU/Linux', release: '12', arch: 'x64', hostname: 'vm' }),
  graphics: async () => ({ controllers: [] }),
  uuid: async () => ({ os: '3d1219c7c4c5404aaa1f6d2a48adfda4' }),
  nvidiaSmi: async () => null,
  procCpuinfo: async () => PROC_CPUINFO,
  getconf: async () => 'LEVEL1_DCACHE_SIZE                 49152\nLEVEL1_DCACHE_ASSOC                12\nLEVEL2_CACHE_SIZE                  1048576\nLEVEL3_CACHE_SIZE                  33554432\nLEVEL4_CACHE_SIZE                  \n',
  sysctl: async () => null,
  nodeOs: async () => ({ hostname: 'vm', platform: 'linux', release: '6.1.0', arch: 'x64', totalmem: 16 * 2 ** 30, cpuCount: 2 }),
};

describe('parsers', () => {
  it('reads the first processor block and counts cores from /proc/cpuinfo', () => {
    const p = parseProcCpuinfo(PROC_CPUINFO);
    expect(p).toMatchObject({ vendorId: 'AuthenticAMD', modelName: 'AMD EPYC', family: 26, model: 2, mhz: 2096.012, logical: 2, physical: 2 });
    expect(p.flags).toContain('avx512f');
  });
  it('reads getconf and sysctl key/value lines, skipping empty values', () => {
    const g = parseKeyValues('LEVEL2_CACHE_SIZE                  1048576\nLEVEL4_CACHE_SIZE                  \nPATH  /bin:/usr/bin');
    expect([...g]).toEqual([['LEVEL2_CACHE_SIZE', 1048576]]);
    expect(parseKeyValues('hw.perflevel0.l2cachesize: 12582912\nhw.optional.arm.FEAT_BF16: 1').get('hw.optional.arm.FEAT_BF16')).toBe(1);
  });
});

describe('detectHardware with injected probes', () => {
  it('fills a VM report from /proc/cpuinfo and getconf when systeminformation knows little', async () => {
    const r = await detectHardware(vmProbes);
    expect(r.cpu).toMatchObject({ vendor: 'AMD', model: 'AMD EPYC', physicalCores: 2, logicalCores: 2, baseGHz: 2.096, maxGHz: null });
    expect(r.cpu.caches).toEqual({ l1dBytes: 49152, l2Bytes: 1048576, l3Bytes: 33554432 });
    expect(r.cpu.isa).toEqual(['fma', 'sse4_2', 'avx', 'f16c', 'avx2', 'avx512f', 'avx512bw', 'avx512vl', 'avx_vnni', 'avx512_bf16', 'avx512_vnni']);
    expect(r.memory.totalBytes).toBe(32 * 2 ** 30);
    expect(r.machine).toMatchObject({ hostname: 'vm', os: { platform: 'linux', release: 'Debian GNU/Linux 12', arch: 'x64' } });
    expect(r.machine.id).toMatch(/^[0-9a-f]{16}$/);
    const fp32 = r.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32')!;
    expect(fp32.gflops).toBeCloseTo(2 * 2.096 * 64, 6);
    expect(fp32.basis).toMatch(/cpu MHz' from \/proc\/cpuinfo; under a hypervisor/);
    expect(r.warnings.some((w) => /\/proc\/cpuinfo.*hypervisor/.test(w))).toBe(true);
    // nvidia-smi absent is normal: no warning about it.
    expect(r.warnings.some((w) => /nvidia-smi/.test(w))).toBe(false);
  });

  it('gives a stable machine id that follows the OS machine id, not the hostname', async () => {
    const a = await detectHardware(vmProbes);
    const b = await detectHardware({ ...vmProbes, osInfo: async () => ({ platform: 'linux', distro: 'Debian GNU/Linux', release: '12', arch: 'x64', hostname: 'renamed' }) });
    const c = await detectHardware({ ...vmProbes, uuid: async () => ({ os: 'another-machine' }) });
    expect(b.machine.id).toBe(a.machine.id);
    expect(c.machine.id).not.toBe(a.machine.id);
  });

  it('survives every probe failing: report returned, fields null/empty, one warning per probe', async () => {
    const probes = Object.fromEntries(Object.keys(vmProbes).map((k) => [k, fail(`boom ${k}`)])) as unknown as HardwareProbes;
    const r = await detectHardware(probes);
    expect(r.cpu.baseGHz).toBeNull();
    expect(r.cpu.caches).toEqual({ l1dBytes: null, l2Bytes: null, l3Bytes: null });
    expect(r.cpu.isa).toEqual([]);
    expect(r.gpus).toEqual([]);
    expect(r.peaks).toEqual([]);
    for (const probe of ['systeminformation.cpu', 'systeminformation.graphics', 'nvidia-smi', '/proc/cpuinfo', 'getconf -a', 'sysctl hw']) {
      expect(r.warnings.some((w) => w.startsWith(`probe ${probe} failed:`) && w.includes('boom')), probe).toBe(true);
    }
    expect(r.machine.id).toMatch(/^[0-9a-f]{16}$/);
    expect(() => formatHardwareReport(r)).not.toThrow();
  });

  it('leaves the clock null and emits no CPU peak when no source knows it', async () => {
    const r = await detectHardware({ ...vmProbes, procCpuinfo: fail('EACCES') });
    expect(r.cpu.baseGHz).toBeNull();
    expect(r.peaks.filter((p) => p.device === 'cpu')).toEqual([]);
    expect(r.warnings.join('\n')).toMatch(/probe \/proc\/cpuinfo failed: EACCES/);
    expect(r.warnings.join('\n')).toMatch(/clock unknown/i);
    // ISA still comes from systeminformation's flag list.
    expect(r.cpu.isa).toContain('avx512f');
  });

  it('takes NVIDIA GPUs from nvidia-smi (VRAM MiB → bytes) and warns about uncatalogued ones', async () => {
    const r = await detectHardware({
      ...vmProbes,
      nvidiaSmi: async () => 'NVIDIA H100 80GB HBM3, 81559, 550.54.15\nNVIDIA GeForce RTX 4090 D, 24564, 550.54.15\n',
      graphics: async () => ({
        controllers: [
          { vendor: 'NVIDIA Corporation', model: 'GH100 [H100 SXM5 80GB]', vram: 81559 },
          { vendor: 'Matrox Electronics Systems Ltd.', model: 'Integrated Matrox G200eW3 Graphics Controller', vram: 16 },
        ],
      }),
    });
    expect(r.gpus.map((g) => g.model)).toEqual(['NVIDIA H100 80GB HBM3', 'NVIDIA GeForce RTX 4090 D', 'Integrated Matrox G200eW3 Graphics Controller']);
    expect(r.gpus[0]).toEqual({ vendor: 'NVIDIA', model: 'NVIDIA H100 80GB HBM3', vramBytes: 81559 * 1024 * 1024, driver: '550.54.15' });
    expect(r.gpus[2]!.vramBytes).toBe(16 * 1024 * 1024);
    expect(r.peaks.find((p) => p.device === 'gpu:0' && p.dtype === 'bf16')!.gflops).toBeCloseTo(989_400, 6);
    expect(r.peaks.some((p) => p.device === 'gpu:1')).toBe(false);
    expect(r.warnings).toContain('no catalog entry for NVIDIA GeForce RTX 4090 D; peaks unknown');
  });

  it('reads macOS sysctl: P-core caches, Arm features, P-cores only for peaks, GPU core count', async () => {
    const r = await detectHardware({
      ...vmProbes,
      cpu: async () => ({ manufacturer: 'Apple', brand: 'M1 Pro', vendor: 'Apple', family: '', model: '', speed: 0, speedMax: 3.2, cores: 10, physicalCores: 10, performanceCores: 8, efficiencyCores: 2 }),
      cpuFlags: async () => '',
      procCpuinfo: async () => null,
      getconf: async () => null,
      sysctl: async () =>
        'hw.physicalcpu: 10\nhw.perflevel0.physicalcpu: 8\nhw.perflevel1.physicalcpu: 2\nhw.perflevel0.l1dcachesize: 131072\nhw.perflevel0.l2cachesize: 12582912\nhw.l2cachesize: 4194304\nhw.optional.AdvSIMD: 1\nhw.optional.arm.FEAT_BF16: 0\nhw.optional.arm.FEAT_DotProd: 1\n',
      graphics: async () => ({ controllers: [{ vendor: 'Apple', model: 'Apple M1 Pro', vram: null, vramDynamic: true, cores: 16 }] }),
      nodeOs: async () => ({ hostname: 'mac', platform: 'darwin', release: '23.4.0', arch: 'arm64', totalmem: 32 * 2 ** 30, cpuCount: 10 }),
    });
    expect(r.cpu.model).toBe('Apple M1 Pro');
    expect(r.cpu.isa).toEqual(['asimd', 'asimddp']);
    expect(r.cpu.caches).toEqual({ l1dBytes: 131072, l2Bytes: 12582912, l3Bytes: null });
    expect(r.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32')!.gflops).toBeCloseTo(8 * 3.2 * 32, 6);
    expect(r.gpus[0]).toMatchObject({ model: 'Apple M1 Pro (16-core GPU)', vramBytes: null });
    expect(r.peaks.find((p) => p.device === 'gpu:0' && p.dtype === 'fp32')!.gflops).toBeCloseTo(5200, 6);
  });
});

// The dev VM this was written on (AMD EPYC Zen 5, 2 vCPUs, empty /sys cache info). Recognised
// independently of detectHardware so that a detection bug cannot silently skip the strict checks.
const procText = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
const onDevVm = /model name\s*:\s*AMD EPYC/.test(procText) && os.cpus().length === 2;

describe('detectHardware on this machine (real probes)', () => {
  it.runIf(onDevVm)('detects the dev VM: EPYC, 2 cores, AVX-512, getconf caches, > 16 GiB, a CPU fp32 peak', async () => {
    const r = await detectHardware();
    expect(r.cpu.model).toContain('EPYC');
    expect(r.cpu.physicalCores).toBe(2);
    expect(r.cpu.isa).toContain('avx512f');
    expect(r.cpu.caches.l2Bytes).toBe(1048576);
    expect(r.cpu.caches.l3Bytes).toBeGreaterThan(0);
    expect(r.memory.totalBytes).toBeGreaterThan(16 * 2 ** 30);
    const fp32 = r.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32')!;
    expect(fp32.basis).toMatch(/\d GHz \(.*clock/);
    expect(fp32.basis).toContain('64 FLOP/cycle');
    expect(r.machine.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('returns a well-formed report on any machine', async () => {
    const r = await detectHardware();
    expect(r.cpu.logicalCores).toBeGreaterThan(0);
    expect(r.memory.totalBytes).toBeGreaterThan(0);
    expect(r.machine.id).toMatch(/^[0-9a-f]{16}$/);
    for (const p of r.peaks) expect(p.gflops).toBeGreaterThan(0);
  });
});
