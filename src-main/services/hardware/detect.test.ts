import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureClock, type ClockMeasurement } from './clock.js';
import type { HardwareProbes } from './detect.js';
import { detectHardware, formatHardwareReport, parseKeyValues, parseProcCpuinfo } from './detect.js';
import { readSysfsCaches, type SysfsCache } from './sysfs-caches.js';

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

/** A fully faked Linux VM like the dev machine: systeminformation knows little, /proc and getconf fill in (no sysfs caches, no clock measurement). */
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
  sysfsCaches: async () => null,
  getconf: async () => 'LEVEL1_DCACHE_SIZE                 49152\nLEVEL1_DCACHE_ASSOC                12\nLEVEL2_CACHE_SIZE                  1048576\nLEVEL3_CACHE_SIZE                  33554432\nLEVEL4_CACHE_SIZE                  \n',
  sysctl: async () => null,
  nodeOs: async () => ({ hostname: 'vm', platform: 'linux', release: '6.1.0', arch: 'x64', totalmem: 16 * 2 ** 30, cpuCount: 2 }),
  clock: async () => null,
};

const measured = (ghz: number, threads = 2): ClockMeasurement => ({ ghz, minGHz: ghz * 0.99, maxGHz: ghz * 1.01, threads, op: 'add', ops: 1e8, seconds: 1e8 / (ghz * 1e9), elapsedMs: 200 });

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
    // No sysfs cache entries: getconf is the fallback, and no sharing is known.
    expect(r.cpu.cacheSource).toBe('getconf -a');
    expect(r.cpu.l3Groups).toEqual([]);
    expect(r.cpu.measuredClock).toBeNull();
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
    expect(r.cpu.cacheSource).toBeNull();
    for (const probe of ['systeminformation.cpu', 'systeminformation.graphics', 'nvidia-smi', '/proc/cpuinfo', 'sysfs caches', 'getconf -a', 'sysctl hw', 'clock measurement']) {
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

// ---- caches from sysfs ------------------------------------------------------------------------------

const tmpRoots: string[] = [];
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

/** Writes a /sys/devices/system/cpu-like tree: per CPU, [level, type, size, shared_cpu_list] per index. */
function sysfsTree(cpus: Record<number, Array<[number, string, string, string]>>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'flopscope-sysfs-'));
  tmpRoots.push(root);
  for (const [cpu, indexes] of Object.entries(cpus)) {
    indexes.forEach(([level, type, size, shared], i) => {
      const d = path.join(root, `cpu${cpu}`, 'cache', `index${i}`);
      mkdirSync(d, { recursive: true });
      writeFileSync(path.join(d, 'level'), `${level}\n`);
      writeFileSync(path.join(d, 'type'), `${type}\n`);
      writeFileSync(path.join(d, 'size'), `${size}\n`);
      writeFileSync(path.join(d, 'shared_cpu_list'), `${shared}\n`);
    });
  }
  mkdirSync(path.join(root, 'cpufreq'), { recursive: true }); // non-cpu entries are ignored
  return root;
}

/** The Zen 3 EPYC VM seen in the field: 2 vCPUs sharing one 32 MiB L3 slice, while getconf said 256 MiB. */
const zen3Cpu = (cpu: number): Array<[number, string, string, string]> => [
  [1, 'Data', '32K', `${cpu}`], [1, 'Instruction', '32K', `${cpu}`], [2, 'Unified', '512K', `${cpu}`], [3, 'Unified', '32768K', '0-1'],
];
const ZEN3_PROC = PROC_CPUINFO.replace(/cpu family\t: 26/g, 'cpu family\t: 25').replace(/model\t\t: 2/g, 'model\t\t: 1').replace(/cpu MHz\t\t: 2096.012/g, 'cpu MHz\t\t: 2445.404')
  .replace(/ avx512f avx512bw avx512vl avx_vnni avx512_bf16 avx512_vnni/g, '');
const ZEN3_GETCONF = 'LEVEL1_DCACHE_SIZE                 32768\nLEVEL2_CACHE_SIZE                  524288\nLEVEL3_CACHE_SIZE                  268435456\n';

describe('caches from sysfs (fixture trees)', () => {
  it('reads a sysfs tree: one entry per CPU and index, sizes in bytes, non-cpu entries ignored', async () => {
    const entries = await readSysfsCaches(sysfsTree({ 0: zen3Cpu(0), 1: zen3Cpu(1) }));
    expect(entries).toHaveLength(8);
    expect(entries!.find((e) => e.cpu === 1 && e.level === 3)).toEqual({ cpu: 1, level: 3, type: 'Unified', bytes: 32 * 2 ** 20, sharedCpuList: '0-1' });
    expect(await readSysfsCaches(path.join(os.tmpdir(), 'flopscope-no-such-dir'))).toBeNull();
    expect(await readSysfsCaches(sysfsTree({}))).toBeNull();
  });

  it('Zen 3 VM: sysfs wins over getconf (32 MiB L3 shared by 2 CPUs, not 256 MiB) and the disagreement is a warning', async () => {
    const root = sysfsTree({ 0: zen3Cpu(0), 1: zen3Cpu(1) });
    const r = await detectHardware({ ...vmProbes, procCpuinfo: async () => ZEN3_PROC, cpuFlags: async () => 'fpu sse fma avx2', sysfsCaches: () => readSysfsCaches(root), getconf: async () => ZEN3_GETCONF });
    expect(r.cpu.caches).toEqual({ l1dBytes: 32 * 1024, l2Bytes: 512 * 1024, l3Bytes: 32 * 2 ** 20 });
    expect(r.cpu.cacheSource).toBe('sysfs');
    expect(r.cpu.l3Groups).toEqual([{ bytes: 32 * 2 ** 20, sharedBy: 2, instances: 1 }]);
    const cacheWarnings = r.warnings.filter((w) => /cache/i.test(w));
    expect(cacheWarnings).toEqual(['L3 cache: sysfs says 32 MiB (32 MiB shared by 2 CPUs), getconf -a (glibc, from CPUID, which a hypervisor may fake) says 256 MiB; using sysfs.']);
    expect(formatHardwareReport(r)).toContain('Caches    L1d 32 KiB, L2 512 KiB per core, L3 32 MiB shared by 2 CPUs (from sysfs)');
    // Zen 3 (family 25 model 1, AVX2 only): 2×256-bit FMA = 32 fp32 FLOP/cycle.
    const fp32 = r.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32')!;
    expect(fp32.gflops).toBeCloseTo(2 * 2.445 * 32, 6);
    expect(fp32.basis).toContain('Zen 3');
  });

  it('several L3 groups: distinct slices by size and sharing, the largest as l3Bytes, hybrid L2 noted', async () => {
    // Strix Point-like: CPUs 0-7 (4 cores × 2 threads) share 16 MiB, CPUs 8-23 share 8 MiB; L2 1 MiB vs 512 KiB… and a second 8 MiB slice.
    const entries: SysfsCache[] = [];
    for (let cpu = 0; cpu < 16; cpu++) {
      const big = cpu < 8;
      entries.push({ cpu, level: 1, type: 'Data', bytes: 48 * 1024, sharedCpuList: `${cpu}` });
      entries.push({ cpu, level: 2, type: 'Unified', bytes: big ? 2 ** 20 : 512 * 1024, sharedCpuList: `${cpu}` });
      entries.push({ cpu, level: 3, type: 'Unified', bytes: big ? 16 * 2 ** 20 : 8 * 2 ** 20, sharedCpuList: big ? '0-7' : cpu < 12 ? '8-11' : '12,13,14-15' });
    }
    const r = await detectHardware({ ...vmProbes, sysfsCaches: async () => entries, getconf: async () => 'LEVEL3_CACHE_SIZE 8388608\n' });
    expect(r.cpu.caches).toEqual({ l1dBytes: 48 * 1024, l2Bytes: 2 ** 20, l3Bytes: 16 * 2 ** 20 });
    expect(r.cpu.l3Groups).toEqual([{ bytes: 16 * 2 ** 20, sharedBy: 8, instances: 1 }, { bytes: 8 * 2 ** 20, sharedBy: 4, instances: 2 }]);
    // getconf naming the other group's size is no disagreement; the split L2 is.
    expect(r.warnings.some((w) => /getconf/.test(w))).toBe(false);
    expect(r.warnings).toContain('Cache: L2 differs between logical CPUs (1 MiB on 8, 512 KiB on 8); reporting 1 MiB.');
    expect(formatHardwareReport(r)).toContain('L3 16 MiB shared by 8 CPUs; 2 × 8 MiB, each shared by 4 CPUs (from sysfs)');
  });

  it('takes each level from the first source that has it and says which', async () => {
    const onlyL1L2 = [0, 1].flatMap((cpu) => zen3Cpu(cpu).slice(0, 3).map(([level, type, size]) => ({ cpu, level, type, bytes: Number.parseInt(size) * 1024, sharedCpuList: `${cpu}` })));
    const r = await detectHardware({ ...vmProbes, sysfsCaches: async () => onlyL1L2, getconf: async () => ZEN3_GETCONF });
    expect(r.cpu.caches).toEqual({ l1dBytes: 32 * 1024, l2Bytes: 512 * 1024, l3Bytes: 256 * 2 ** 20 });
    expect(r.cpu.cacheSource).toBe('sysfs (L1d, L2), getconf -a (L3)');
    expect(r.cpu.l3Groups).toEqual([]);
    // An AMD L3 slice above 128 MiB is implausible (largest: 96 MiB with 3D V-Cache).
    expect(r.warnings.some((w) => /L3 cache size 256 MiB \(from getconf -a\) looks implausible/.test(w))).toBe(true);
  });
});

describe('measured clock in the peaks (injected)', () => {
  it('uses the measured clock when the OS clock is below it, and says so in basis and warnings', async () => {
    const r = await detectHardware({ ...vmProbes, clock: async () => measured(2.9) });
    expect(r.cpu.baseGHz).toBe(2.096);
    expect(r.cpu.measuredClock).toMatchObject({ ghz: 2.9, threads: 2 });
    expect(r.cpu.measuredClock!.method).toMatch(/dependent 32-bit integer-add chain/);
    const fp32 = r.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32')!;
    expect(fp32.gflops).toBeCloseTo(2 * 2.9 * 64, 6);
    expect(fp32.basis).toMatch(/2 cores × 2\.9 GHz \(measured all-core clock: dependent 32-bit integer-add chain.* on 2 threads; above the OS's 2\.096 GHz \(base clock, 'cpu MHz' from \/proc\/cpuinfo/);
    expect(r.warnings.some((w) => /the OS says 2\.096 GHz .* at 2\.9 GHz; peaks use the measured clock/.test(w))).toBe(true);
    // The 'cpu MHz' caveat is moot once the measured clock replaced it.
    expect(r.warnings.some((w) => /is the 'cpu MHz' value/.test(w))).toBe(false);
    expect(formatHardwareReport(r)).toMatch(/Clock {5}base 2\.096 GHz, max unknown, measured all-core 2\.9 GHz \(2 threads/);
  });

  it('uses the measured clock when the OS reports none', async () => {
    const r = await detectHardware({ ...vmProbes, procCpuinfo: async () => PROC_CPUINFO.replace(/cpu MHz.*\n/g, ''), clock: async () => measured(3.1) });
    expect(r.cpu.baseGHz).toBeNull();
    const fp32 = r.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32')!;
    expect(fp32.gflops).toBeCloseTo(2 * 3.1 * 64, 6);
    expect(fp32.basis).toContain('the OS reports no clock');
  });

  it('keeps the OS clock when the measurement is not higher, and warns when it is far lower', async () => {
    const near = await detectHardware({ ...vmProbes, clock: async () => measured(2.1) });
    expect(near.peaks.find((p) => p.dtype === 'fp32')!.gflops).toBeCloseTo(2 * 2.096 * 64, 6);
    expect(near.warnings.some((w) => /Measured all-core clock/.test(w))).toBe(false);
    const busy = await detectHardware({ ...vmProbes, clock: async () => measured(1.2) });
    expect(busy.peaks.find((p) => p.dtype === 'fp32')!.gflops).toBeCloseTo(2 * 2.096 * 64, 6);
    expect(busy.warnings.some((w) => /Measured all-core clock 1\.2 GHz is well below the OS's 2\.096 GHz/.test(w))).toBe(true);
  });

  it('ignores an implausible measurement (a folded chain)', async () => {
    const r = await detectHardware({ ...vmProbes, clock: async () => measured(40) });
    expect(r.cpu.measuredClock).toBeNull();
    expect(r.warnings.some((w) => /implausible 40\.00 GHz; ignored/.test(w))).toBe(true);
    expect(r.peaks.find((p) => p.dtype === 'fp32')!.gflops).toBeCloseTo(2 * 2.096 * 64, 6);
  });
});

// ---- this machine, against the OS's own sources (never against a particular host) -------------------

const onLinux = process.platform === 'linux';
const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};
// SIMD/matrix flags the detector must report whenever /proc/cpuinfo lists them.
const KEY_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx512_fp16', 'avx_vnni', 'amx_tile', 'amx_bf16', 'amx_int8', 'asimd', 'asimddp', 'sve', 'sve2', 'sme', 'bf16', 'i8mm'];

/** Per level, the sizes sysfs gives over all logical CPUs (L1 data/unified only). */
function sysfsSizes(): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const root = '/sys/devices/system/cpu';
  for (const cpu of readdirSync(root).filter((d) => /^cpu\d+$/.test(d))) {
    let indexes: string[] = [];
    try {
      indexes = readdirSync(path.join(root, cpu, 'cache')).filter((d) => d.startsWith('index'));
    } catch {
      continue;
    }
    for (const ix of indexes) {
      const d = path.join(root, cpu, 'cache', ix);
      const level = Number(read(path.join(d, 'level')));
      const m = /^(\d+)K$/.exec(read(path.join(d, 'size')) ?? '');
      if (read(path.join(d, 'type')) === 'Instruction' || !m) continue;
      if (!out.has(level)) out.set(level, new Set());
      out.get(level)!.add(Number(m[1]) * 1024);
    }
  }
  return out;
}

describe('detectHardware on this machine (real probes)', () => {
  it.runIf(onLinux)('agrees with /proc/cpuinfo, sysfs and /proc/meminfo, and measures a plausible clock', async () => {
    const r = await detectHardware();
    const cpuinfo = read('/proc/cpuinfo') ?? '';
    const blocks = cpuinfo.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
    const flags = new Set((/^(?:flags|Features)\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '').trim().split(/\s+/));

    // ISA: only flags the OS lists, and every key flag it lists.
    for (const f of r.cpu.isa) expect(flags.has(f), `isa ${f} not in /proc/cpuinfo`).toBe(true);
    for (const f of KEY_FLAGS) if (flags.has(f)) expect(r.cpu.isa, f).toContain(f);

    // Logical CPUs: one /proc/cpuinfo block each.
    expect(r.cpu.logicalCores).toBe(blocks.length);

    // Memory: MemTotal (kB) within 1 MiB.
    const memKiB = Number(/^MemTotal:\s*(\d+)\s*kB/m.exec(read('/proc/meminfo') ?? '')?.[1]);
    expect(Math.abs(r.memory.totalBytes - memKiB * 1024)).toBeLessThanOrEqual(2 ** 20);

    // Caches: where sysfs has a level, the detector reports a size sysfs gives (the only one when all CPUs agree).
    const sizes = sysfsSizes();
    const detected: Record<number, number | null> = { 1: r.cpu.caches.l1dBytes, 2: r.cpu.caches.l2Bytes, 3: r.cpu.caches.l3Bytes };
    for (const level of [1, 2, 3]) {
      const s = sizes.get(level);
      if (!s) continue;
      expect(r.cpu.cacheSource, `L${level}`).toMatch(/^sysfs/);
      if (s.size === 1) expect(detected[level], `L${level}`).toBe([...s][0]);
      else expect(s.has(detected[level]!), `L${level}`).toBe(true);
    }
    // Each logical CPU is in at most one L3 slice.
    if (sizes.get(3)) expect(r.cpu.l3Groups!.reduce((n, g) => n + g.instances * g.sharedBy, 0)).toBeLessThanOrEqual(blocks.length);

    // Clock: the chain cannot run faster than the cores, and a busy machine only slows it. Upper
    // bound: cpufreq's max (turbo) where the kernel has it, else 2× 'cpu MHz' (a VM's nominal clock);
    // lower bound: half of 'cpu MHz' (a second measurement first, in case others were busy).
    const mhz = Math.max(...[...cpuinfo.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1])));
    const maxKHz = Number(read('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq'));
    expect(r.cpu.measuredClock, 'measured clock').toBeTruthy();
    let ghz = r.cpu.measuredClock!.ghz;
    if (Number.isFinite(mhz) && mhz > 0) {
      if (ghz < 0.5 * mhz / 1000) ghz = Math.max(ghz, (await measureClock()).ghz);
      expect(ghz).toBeGreaterThan(0.5 * mhz / 1000);
      if (!(maxKHz > 0)) expect(ghz).toBeLessThan(2 * mhz / 1000);
    }
    if (maxKHz > 0) expect(ghz).toBeLessThan(1.05 * maxKHz / 1e6);
    // The fp32 peak is never below what the measured clock implies.
    const fp32 = r.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32');
    if (fp32) {
      const cores = Number(/^(\d+) (?:performance )?cores ×/.exec(fp32.basis)![1]);
      const perCycle = Number(/× ([\d.]+) FLOP\/cycle/.exec(fp32.basis)![1]);
      expect(fp32.gflops).toBeGreaterThanOrEqual(cores * perCycle * r.cpu.measuredClock!.ghz * 0.98);
    }
  });

  it('returns a well-formed report on any machine', async () => {
    const r = await detectHardware();
    expect(r.cpu.logicalCores).toBeGreaterThan(0);
    expect(r.memory.totalBytes).toBeGreaterThan(0);
    expect(r.machine.id).toMatch(/^[0-9a-f]{16}$/);
    for (const p of r.peaks) expect(p.gflops).toBeGreaterThan(0);
  });
});
