/**
 * Hardware detection (main process / CLI, Node only): CPU, caches, memory, GPUs and theoretical
 * peaks, gathered from systeminformation plus OS sources (/proc/cpuinfo, sysfs cache entries and
 * `getconf -a` on Linux, `sysctl hw` on macOS, `nvidia-smi` where installed) and a measured
 * all-core clock (clock.ts). Every source is an injectable probe; a failing probe leaves its
 * fields null/empty and adds a warning naming it. Never throws.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import si from 'systeminformation';
import type { HardwareReport, Peak } from '../../../src-shared/api/types.js';
import { cpuPeaks, peakClock } from '../../../src-shared/hardware/cpu-flops.js';
import { describeL3Groups, formatBytes } from '../../../src-shared/hardware/format.js';
import { findGpu, gpuPeaks } from '../../../src-shared/hardware/gpu-catalog.js';
import { CHAIN_UNROLL, measuredClock, type ClockMeasurement } from './clock.js';
import { readSysfsCaches, summarizeSysfsCaches, type SysfsCache } from './sysfs-caches.js';

export { formatHardwareReport } from '../../../src-shared/hardware/format.js';

/** The fields of systeminformation's results that detection reads (its real types satisfy these). */
export interface SiCpu {
  manufacturer: string; brand: string; vendor: string; family: string; model: string;
  speed: number; speedMax: number; cores: number; physicalCores: number;
  performanceCores?: number; efficiencyCores?: number;
}
export interface SiCpuCache { l1d: number | null; l2: number | null; l3: number | null }
export interface SiOsInfo { platform: string; distro: string; release: string; arch: string; hostname: string }
export interface SiGraphicsController { vendor: string; model: string; vram: number | null; vramDynamic?: boolean; driverVersion?: string; cores?: number }
export interface NodeOsInfo { hostname: string; platform: string; release: string; arch: string; totalmem: number; cpuCount: number }

/** One async function per source; tests replace any of them. Text probes return null when the source does not exist here. */
export interface HardwareProbes {
  cpu(): Promise<SiCpu>;
  cpuFlags(): Promise<string>;
  cpuCache(): Promise<SiCpuCache>;
  mem(): Promise<{ total: number }>;
  osInfo(): Promise<SiOsInfo>;
  graphics(): Promise<{ controllers: SiGraphicsController[] }>;
  uuid(): Promise<{ os: string }>;
  /** `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits` stdout. */
  nvidiaSmi(): Promise<string | null>;
  procCpuinfo(): Promise<string | null>;
  /** Linux /sys/devices/system/cpu/cpu<N>/cache/index<M> entries (null elsewhere or when there are none). The first cache source. */
  sysfsCaches(): Promise<SysfsCache[] | null>;
  /** `getconf -a` stdout (glibc reads cache sizes via CPUID, so it works where /sys has none; a fallback). */
  getconf(): Promise<string | null>;
  /** `sysctl hw` stdout on macOS. */
  sysctl(): Promise<string | null>;
  nodeOs(): Promise<NodeOsInfo>;
  /** The all-core clock from a dependent-add chain on every logical CPU (clock.ts); runs after the other probes. */
  clock(): Promise<ClockMeasurement | null>;
}

const PROBE_TIMEOUT_MS = 15_000;

/** Runs a command; resolves null when the program is not installed (absence is normal). */
function run(cmd: string, args: string[], timeout = 5_000): Promise<string | null> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout, maxBuffer: 8 << 20, windowsHide: true }, (err, stdout) => {
      if (!err) return resolve(stdout);
      if ((err as { code?: unknown }).code === 'ENOENT') return resolve(null);
      // macOS sysctl exits non-zero for one unknown key but still prints the rest.
      if (stdout && cmd === 'sysctl') return resolve(stdout);
      reject(err);
    });
  });
}

export const defaultProbes: HardwareProbes = {
  cpu: () => si.cpu(),
  cpuFlags: () => si.cpuFlags(),
  cpuCache: () => si.cpuCache(),
  mem: () => si.mem(),
  osInfo: () => si.osInfo(),
  graphics: () => si.graphics(),
  uuid: () => si.uuid(),
  nvidiaSmi: () => run('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits']),
  procCpuinfo: async () => (process.platform === 'linux' ? readFile('/proc/cpuinfo', 'utf8') : null),
  sysfsCaches: async () => (process.platform === 'linux' ? readSysfsCaches() : null),
  getconf: async () => (process.platform === 'linux' ? run('getconf', ['-a']) : null),
  sysctl: async () => (process.platform === 'darwin' ? run('sysctl', ['hw']) : null),
  nodeOs: async () => ({ hostname: os.hostname(), platform: os.platform(), release: os.release(), arch: os.arch(), totalmem: os.totalmem(), cpuCount: os.cpus().length }),
  clock: () => measuredClock(),
};

/** How the clock is measured, quoted in the peak's basis. */
export const CLOCK_METHOD = `dependent 32-bit integer-add chain (1 add per cycle; WebAssembly, ${CHAIN_UNROLL} adds per loop iteration), best of many short runs`;

// SIMD / matrix extensions that matter for peaks, in /proc/cpuinfo spelling (x86 "flags", Arm "Features").
// (`smep`, an x86 security flag, is not Arm SME.)
const RELEVANT_ISA = /^(sse4_2|avx|avx2|fma|f16c|avx512\w*|avx_vnni\w*|avx_ne_convert|avx10\w*|amx_\w+|neon|asimd\w*|fphp|bf16|i8mm|sve\w*|sme(?!p$)\w*)$/;

// macOS reports Arm features as hw.optional.* = 1; map them to the Linux /proc/cpuinfo names.
const SYSCTL_FLAGS: Record<string, string> = {
  'hw.optional.AdvSIMD': 'asimd', 'hw.optional.neon': 'asimd', 'hw.optional.arm.FEAT_FP16': 'asimdhp',
  'hw.optional.arm.FEAT_DotProd': 'asimddp', 'hw.optional.arm.FEAT_BF16': 'bf16', 'hw.optional.arm.FEAT_I8MM': 'i8mm',
  'hw.optional.arm.FEAT_SME': 'sme', 'hw.optional.arm.FEAT_SME2': 'sme2',
};

interface ProcCpu {
  vendorId: string | null; modelName: string | null; family: number | null; model: number | null;
  mhz: number | null; flags: string[]; logical: number; physical: number | null;
}

export function parseProcCpuinfo(text: string): ProcCpu {
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim());
  const kv = (block: string): Map<string, string> => {
    const m = new Map<string, string>();
    for (const line of block.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) m.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    return m;
  };
  const parsed = blocks.map(kv);
  const first = parsed.find((m) => m.has('processor')) ?? parsed[0] ?? new Map<string, string>();
  const num = (v: string | undefined): number | null => (v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
  const cores = new Set(parsed.filter((m) => m.has('core id')).map((m) => `${m.get('physical id') ?? 0}/${m.get('core id')}`));
  return {
    vendorId: first.get('vendor_id') ?? null,
    modelName: first.get('model name') ?? null,
    family: num(first.get('cpu family')),
    model: num(first.get('model')),
    mhz: num(first.get('cpu mhz')),
    flags: (first.get('flags') ?? first.get('features') ?? '').split(/\s+/).filter(Boolean),
    logical: parsed.filter((m) => m.has('processor')).length,
    physical: cores.size > 0 ? cores.size : null,
  };
}

/** `getconf -a` or `sysctl hw` output → map of key → numeric value (non-numeric lines skipped). */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\s*([\w.]+)(?:\s*[:=]\s*|\s+)(-?\d+)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out.set(m[1], Number(m[2]));
  }
  return out;
}

const positive = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
const mhzToGHz = (mhz: number): number => Math.round(mhz) / 1000;

type CpuProbe = Awaited<ReturnType<HardwareProbes['cpu']>>;
type GraphicsProbe = Awaited<ReturnType<HardwareProbes['graphics']>>;

/** Base and max clock, each with where it came from; never invented. */
function detectClocks(cpu: CpuProbe | null, proc: ReturnType<typeof parseProcCpuinfo> | null, model: string, sysctl: Map<string, number>) {
  const siSpeed = positive(cpu?.speed);
  const siSpeedMax = positive(cpu?.speedMax);
  const nominal = /@\s*([\d.]+)\s*GHz/i.exec(model);
  const nominalGHz = positive(Number(nominal?.[1]));
  const procMHz = positive(proc?.mhz);
  const sysHz = positive(sysctl.get('hw.cpufrequency'));
  const sysMaxHz = positive(sysctl.get('hw.cpufrequency_max'));
  const hypervisor = proc?.flags.includes('hypervisor') ?? false;
  let procClockWarning: string | null = null;
  let baseGHz: number | null = null;
  let baseSource = '';
  if (siSpeed !== null) {
    baseGHz = siSpeed;
    baseSource = 'reported by systeminformation';
  } else if (nominalGHz !== null) {
    baseGHz = nominalGHz;
    baseSource = 'nominal clock in the CPU model name';
  } else if (procMHz !== null) {
    baseGHz = mhzToGHz(procMHz);
    baseSource = `'cpu MHz' from /proc/cpuinfo${hypervisor ? '; under a hypervisor this may not be the sustained clock' : ''}`;
    procClockWarning =
      `CPU clock ${baseGHz} GHz is the 'cpu MHz' value from /proc/cpuinfo (systeminformation reported none)` +
      (hypervisor ? '; this machine runs under a hypervisor, where that value may not be the sustained clock.' : '; it is the current, not necessarily the sustained, clock.');
  } else if (sysHz !== null) {
    baseGHz = mhzToGHz(sysHz / 1e6);
    baseSource = 'sysctl hw.cpufrequency';
  }
  let maxGHz: number | null = null;
  let maxSource = '';
  if (siSpeedMax !== null && (baseGHz === null || siSpeedMax >= baseGHz)) {
    maxGHz = siSpeedMax;
    maxSource = 'reported by systeminformation';
  } else if (sysMaxHz !== null) {
    maxGHz = mhzToGHz(sysMaxHz / 1e6);
    maxSource = 'sysctl hw.cpufrequency_max';
  }
  return { baseGHz, baseSource, maxGHz, maxSource, procClockWarning };
}

/** GPUs: nvidia-smi is authoritative for NVIDIA; systeminformation for the rest. */
function gpuList(smi: string | null, graphics: GraphicsProbe | null): HardwareReport['gpus'] {
  const gpus: HardwareReport['gpus'] = [];
  for (const line of (smi ?? '').split('\n')) {
    const [name, memMiB, driver] = line.split(',').map((s) => s.trim());
    if (!name) continue;
    const mib = Number(memMiB);
    gpus.push({ vendor: 'NVIDIA', model: name, vramBytes: Number.isFinite(mib) && mib > 0 ? mib * 1024 * 1024 : null, driver: driver && !driver.startsWith('[') ? driver : null });
  }
  for (const c of graphics?.controllers ?? []) {
    if (!c.model || (gpus.length > 0 && /nvidia/i.test(`${c.vendor} ${c.model}`))) continue;
    // Apple GPUs come in several core counts per chip; the catalog needs the count to match.
    const model = /apple/i.test(c.vendor) && c.cores && !/core/i.test(c.model) ? `${c.model} (${c.cores}-core GPU)` : c.model;
    const vramMiB = c.vramDynamic ? null : positive(c.vram); // systeminformation reports MiB
    const vram = vramMiB === null ? null : vramMiB * 1024 * 1024;
    gpus.push({ vendor: c.vendor, model, vramBytes: vram, driver: c.driverVersion || null });
  }
  return gpus;
}

/** Cache sizes per instance and where each came from (sysfs, getconf, sysctl, systeminformation); disagreements and implausible sizes go to `warnings`. */
function detectCaches(
  sysfs: Awaited<ReturnType<HardwareProbes['sysfsCaches']>> | null,
  getconf: Map<string, number>,
  sysctl: Map<string, number>,
  cache: Awaited<ReturnType<HardwareProbes['cpuCache']>> | null,
  vendor: string,
  warnings: string[],
) {
  // sysfs first: the kernel's per-CPU view, which also says which CPUs share each cache. Then
  // getconf (glibc's CPUID reading; under a hypervisor it has reported a whole package's L3 for a
  // VM that shares one slice), sysctl (P-cluster perflevel0 values first), and systeminformation
  // (lscpu; newer versions print totals over all instances, and it is empty where /sys has none).
  const sys = sysfs ? summarizeSysfsCaches(sysfs) : null;
  for (const note of sys?.notes ?? []) warnings.push(`Cache: ${note}.`);
  const perfL = (k: string): number | null => positive(sysctl.get(`hw.perflevel0.${k}`)) ?? positive(sysctl.get(`hw.${k}`));
  type Level = 'L1d' | 'L2' | 'L3';
  const candidates: Record<Level, Array<[string, number | null]>> = {
    L1d: [['sysfs', sys?.l1dBytes ?? null], ['getconf -a', positive(getconf.get('LEVEL1_DCACHE_SIZE'))], ['sysctl hw', perfL('l1dcachesize')], ['systeminformation', positive(cache?.l1d)]],
    L2: [['sysfs', sys?.l2Bytes ?? null], ['getconf -a', positive(getconf.get('LEVEL2_CACHE_SIZE'))], ['sysctl hw', perfL('l2cachesize')], ['systeminformation', positive(cache?.l2)]],
    L3: [['sysfs', sys?.l3Bytes ?? null], ['getconf -a', positive(getconf.get('LEVEL3_CACHE_SIZE'))], ['sysctl hw', perfL('l3cachesize')], ['systeminformation', positive(cache?.l3)]],
  };
  const cacheSources: Partial<Record<Level, string>> = {};
  const pickCache = (level: Level): number | null => {
    const found = candidates[level].find(([, v]) => v !== null);
    if (!found) return null;
    cacheSources[level] = found[0];
    const sysValue = candidates[level][0]![1];
    const gc = candidates[level][1]![1];
    // Where getconf disagrees with sysfs, keep sysfs and say so (a slice size getconf names for another L3 group is no disagreement).
    const sizes = level === 'L3' ? (sys?.l3Groups ?? []).map((g) => g.bytes) : [sysValue];
    if (sysValue !== null && gc !== null && !sizes.includes(gc)) {
      const sharing = level === 'L3' && sys?.l3Groups.length ? ` (${describeL3Groups(sys.l3Groups)})` : ' per core';
      warnings.push(`${level} cache: sysfs says ${formatBytes(sysValue)}${sharing}, getconf -a (glibc, from CPUID, which a hypervisor may fake) says ${formatBytes(gc)}; using sysfs.`);
    }
    return found[1];
  };
  const l1dBytes = pickCache('L1d');
  const l2Bytes = pickCache('L2');
  const l3Bytes = pickCache('L3');
  const bySource = new Map<string, Level[]>();
  for (const level of ['L1d', 'L2', 'L3'] as const) {
    const src = cacheSources[level];
    if (src) bySource.set(src, [...(bySource.get(src) ?? []), level]);
  }
  const cacheSource = bySource.size === 0 ? null : bySource.size === 1 ? [...bySource.keys()][0]! : [...bySource].map(([src, levels]) => `${src} (${levels.join(', ')})`).join(', ');
  const caches: HardwareReport['cpu']['caches'] = { l1dBytes, l2Bytes, l3Bytes };
  const l3Groups = cacheSources.L3 === 'sysfs' && sys?.l3Groups.length ? sys.l3Groups : [];

  // The largest single L3 slices shipping: AMD 96 MiB per CCD (3D V-Cache); Intel's mesh L3 is one
  // slice per socket (or sub-NUMA cluster), up to 504 MB on Xeon 6980P (Granite Rapids) and 576 MB
  // announced for Clearwater Forest. Bigger values come from a hypervisor's synthetic cache data.
  const l3Limit = /amd|hygon/i.test(vendor) ? 128 * 1048576 : 640 * 1048576;
  if (caches.l3Bytes !== null && caches.l3Bytes > l3Limit) {
    warnings.push(`L3 cache size ${formatBytes(caches.l3Bytes)} (from ${cacheSources.L3}) looks implausible for one ${vendor || 'CPU'} cache slice (at most ${formatBytes(l3Limit)} ships); a hypervisor may be reporting synthetic cache data.`);
  }
  return { caches, cacheSource, l3Groups };
}

export async function detectHardware(probes?: Partial<HardwareProbes>): Promise<HardwareReport> {
  const p: HardwareProbes = { ...defaultProbes, ...probes };
  const warnings: string[] = [];

  // Wrap every probe: a failure (or a hang) costs only that probe's fields.
  async function attempt<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        timer.unref?.();
      });
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      warnings.push(`probe ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  const [cpu, flagStr, cache, mem, osInfo, graphics, uuid, smi, procText, sysfs, getconfText, sysctlText, nodeOs] = await Promise.all([
    attempt('systeminformation.cpu', p.cpu),
    attempt('systeminformation.cpuFlags', p.cpuFlags),
    attempt('systeminformation.cpuCache', p.cpuCache),
    attempt('systeminformation.mem', p.mem),
    attempt('systeminformation.osInfo', p.osInfo),
    attempt('systeminformation.graphics', p.graphics),
    attempt('systeminformation.uuid', p.uuid),
    attempt('nvidia-smi', p.nvidiaSmi),
    attempt('/proc/cpuinfo', p.procCpuinfo),
    attempt('sysfs caches', p.sysfsCaches),
    attempt('getconf -a', p.getconf),
    attempt('sysctl hw', p.sysctl),
    attempt('node:os', p.nodeOs),
  ]);
  // Alone, after the rest: the other probes' processes would steal cycles from the chain.
  const clock = await attempt('clock measurement', p.clock);
  const proc = procText ? parseProcCpuinfo(procText) : null;
  const getconf = getconfText ? parseKeyValues(getconfText) : new Map<string, number>();
  const sysctl = sysctlText ? parseKeyValues(sysctlText) : new Map<string, number>();

  // ---- CPU identity -----------------------------------------------------------------------------
  const vendorFromId: Record<string, string> = { GenuineIntel: 'Intel', AuthenticAMD: 'AMD', HygonGenuine: 'Hygon' };
  const vendor = cpu?.manufacturer || (proc?.vendorId ? vendorFromId[proc.vendorId] ?? proc.vendorId : '') || '';
  // systeminformation splits "AMD" + "EPYC" and strips clock suffixes; /proc's model name is often
  // more complete. Take whichever says more.
  const siModel = cpu ? [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ').trim() : '';
  const procModel = proc?.modelName?.trim() ?? '';
  const model = procModel.length > siModel.length ? procModel : siModel || procModel || 'unknown CPU';
  const family = proc?.family ?? (cpu && cpu.family !== '' && Number.isFinite(Number(cpu.family)) ? Number(cpu.family) : null);
  const cpuModelNo = proc?.model ?? (cpu && cpu.model !== '' && Number.isFinite(Number(cpu.model)) ? Number(cpu.model) : null);

  const logicalCores = positive(cpu?.cores) ?? positive(proc?.logical) ?? positive(nodeOs?.cpuCount) ?? 0;
  let physicalCores = positive(cpu?.physicalCores) ?? positive(proc?.physical) ?? positive(sysctl.get('hw.physicalcpu'));
  if (physicalCores === null) {
    warnings.push('physical core count unknown; assumed equal to the logical count');
    physicalCores = logicalCores;
  }

  // ---- clocks: never invented; each value remembers where it came from ----------------------------
  const { baseGHz, baseSource, maxGHz, maxSource, procClockWarning } = detectClocks(cpu, proc, model, sysctl);

  // ---- ISA -----------------------------------------------------------------------------------
  const sysctlFlags = Object.entries(SYSCTL_FLAGS).filter(([k]) => sysctl.get(k) === 1).map(([, f]) => f);
  const allFlags = [...(proc?.flags ?? []), ...(flagStr ?? '').split(/[\s,]+/), ...sysctlFlags].map((f) => f.toLowerCase());
  const isa = [...new Set(allFlags.filter((f) => RELEVANT_ISA.test(f)))];

  // ---- caches: per instance (L1d/L2 per core, L3 per shared slice) ----------------------------------
  const { caches, cacheSource, l3Groups } = detectCaches(sysfs, getconf, sysctl, cache, vendor, warnings);

  // Hybrid CPUs: count performance cores only (see cpuPeaks).
  const eCores = positive(cpu?.efficiencyCores) ?? positive(sysctl.get('hw.perflevel1.physicalcpu'));
  const pCores = eCores ? positive(sysctl.get('hw.perflevel0.physicalcpu')) ?? positive(cpu?.performanceCores) : null;

  // ---- measured clock: used for the peaks where the OS has none or a lower one ---------------------
  let measuredClock: HardwareReport['cpu']['measuredClock'] = null;
  if (clock) {
    // A dependent add cannot retire faster than one per cycle, so more than ~8 GHz means the chain was folded.
    if (clock.ghz > 0.2 && clock.ghz < 8) {
      const r3 = (v: number): number => Math.round(v * 1000) / 1000;
      measuredClock = { ghz: r3(clock.ghz), minGHz: r3(clock.minGHz), maxGHz: r3(clock.maxGHz), threads: clock.threads, method: CLOCK_METHOD };
    } else {
      warnings.push(`clock measurement gave an implausible ${clock.ghz.toFixed(2)} GHz; ignored.`);
    }
  }

  const cpuReport: HardwareReport['cpu'] = { vendor, model, physicalCores, logicalCores, baseGHz, maxGHz, isa, caches, cacheSource, l3Groups, measuredClock };
  const ctx = {
    vendor, family, model: cpuModelNo, performanceCores: pCores,
    clockSource: maxGHz !== null ? maxSource : baseSource || null,
  };
  const cpuResult = cpuPeaks(cpuReport, ctx);
  const osGHz = maxGHz ?? baseGHz;
  if (peakClock(cpuReport, ctx)?.source === 'measured') {
    if (osGHz !== null) {
      warnings.push(`CPU clock: the OS says ${osGHz} GHz (${ctx.clockSource}), but all ${measuredClock!.threads} threads ran a dependent-add chain at ${measuredClock!.ghz} GHz; peaks use the measured clock.`);
    }
  } else {
    if (procClockWarning && baseGHz === osGHz) warnings.push(procClockWarning);
    if (measuredClock && osGHz !== null && measuredClock.ghz < 0.75 * osGHz) {
      warnings.push(
        `Measured all-core clock ${measuredClock.ghz} GHz is well below the OS's ${osGHz} GHz: the machine was busy during the measurement, ` +
          "or the cores run slower than stated (power or thermal limits, a hypervisor's CPU cap); peaks use the OS clock.",
      );
    }
  }
  warnings.push(...cpuResult.warnings);
  const peaks: Peak[] = [...cpuResult.peaks];

  // ---- GPUs: nvidia-smi is authoritative for NVIDIA; systeminformation for the rest -------------
  const gpus = gpuList(smi, graphics);
  gpus.forEach((g, i) => {
    const entry = findGpu(g.model);
    if (entry) peaks.push(...gpuPeaks(i, entry));
    else warnings.push(`no catalog entry for ${g.model}; peaks unknown`);
  });

  // ---- machine ---------------------------------------------------------------------------------
  const hostname = osInfo?.hostname || nodeOs?.hostname || 'unknown';
  const platform = nodeOs?.platform ?? osInfo?.platform ?? 'unknown';
  const arch = nodeOs?.arch ?? osInfo?.arch ?? 'unknown';
  const release = [osInfo?.distro, osInfo?.release].filter(Boolean).join(' ') || nodeOs?.release || 'unknown';
  // Stable fingerprint: the OS machine id when known (survives hostname changes), else hostname.
  const id = createHash('sha256')
    .update(JSON.stringify([uuid?.os || hostname, model, physicalCores, platform, arch]))
    .digest('hex')
    .slice(0, 16);

  const totalBytes = positive(mem?.total) ?? positive(nodeOs?.totalmem) ?? 0;
  if (totalBytes === 0) warnings.push('total memory unknown (reported as 0)');

  return {
    machine: { id, hostname, os: { platform, release, arch } },
    cpu: cpuReport,
    memory: { totalBytes },
    gpus,
    peaks,
    warnings,
  };
}
