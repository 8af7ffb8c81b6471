/**
 * CPU caches from Linux sysfs (Node only): /sys/devices/system/cpu/cpu<N>/cache/index<M>/{level,
 * type,size,shared_cpu_list}. The kernel fills these per logical CPU (from CPUID leaf 4 or
 * 0x8000001D on x86, from the device tree or ACPI PPTT on Arm), and unlike `getconf -a` they say
 * which CPUs share each cache: on an AMD EPYC VM glibc reported a 256 MiB L3 (the whole package)
 * while sysfs showed the 32 MiB slice the VM's 2 vCPUs actually share.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One cache as one logical CPU sees it. */
export interface SysfsCache {
  cpu: number;
  level: number;
  /** "Data", "Instruction" or "Unified". */
  type: string;
  bytes: number;
  /** e.g. "0-1" or "0,2,4-7". */
  sharedCpuList: string;
}

export const SYSFS_CPU_ROOT = '/sys/devices/system/cpu';

/** "48K" → 49152, "32M" → 33554432, "512" → 512; null when unreadable. */
export function parseCacheSize(text: string): number | null {
  const m = /^\s*(\d+)\s*([KMG]?)i?B?\s*$/i.exec(text);
  if (!m) return null;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  const n = Number(m[1]) * mult;
  return n > 0 ? n : null;
}

/** "0-3,8,10-11" → [0,1,2,3,8,10,11]; [] when unreadable. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let c = lo; c <= hi && out.length < 1 << 16; c++) out.push(c);
  }
  return out;
}

/**
 * Reads every cpu<N>/cache/index<M> under `root`. Null when the tree has no cache entries at all
 * (not Linux, or a kernel/VM that exposes none); entries with an unreadable file are skipped.
 */
export async function readSysfsCaches(root = SYSFS_CPU_ROOT): Promise<SysfsCache[] | null> {
  let cpus: string[];
  try {
    cpus = (await readdir(root)).filter((d) => /^cpu\d+$/.test(d));
  } catch {
    return null;
  }
  const read = (file: string): Promise<string | null> => readFile(file, 'utf8').then((t) => t.trim(), () => null);
  const perCpu = await Promise.all(
    cpus.map(async (dir) => {
      const cpu = Number(dir.slice(3));
      const cacheDir = path.join(root, dir, 'cache');
      const indexes = await readdir(cacheDir).then((xs) => xs.filter((x) => /^index\d+$/.test(x)), () => [] as string[]);
      const entries = await Promise.all(
        indexes.map(async (ix): Promise<SysfsCache | null> => {
          const d = path.join(cacheDir, ix);
          const [level, type, size, shared] = await Promise.all([read(path.join(d, 'level')), read(path.join(d, 'type')), read(path.join(d, 'size')), read(path.join(d, 'shared_cpu_list'))]);
          const bytes = size === null ? null : parseCacheSize(size);
          if (level === null || type === null || bytes === null || !Number.isFinite(Number(level))) return null;
          return { cpu, level: Number(level), type, bytes, sharedCpuList: shared ?? String(cpu) };
        }),
      );
      return entries.filter((e): e is SysfsCache => e !== null);
    }),
  );
  const all = perCpu.flat().sort((a, b) => a.cpu - b.cpu || a.level - b.level || a.type.localeCompare(b.type));
  return all.length ? all : null;
}

export interface SysfsCacheSummary {
  l1dBytes: number | null;
  l2Bytes: number | null;
  l3Bytes: number | null;
  /** Distinct L3 slices grouped by size and sharing, largest first. */
  l3Groups: Array<{ bytes: number; sharedBy: number; instances: number }>;
  /** Where logical CPUs disagree on a per-core cache (hybrid CPUs). */
  notes: string[];
}

const fmt = (b: number): string => (b % 1048576 === 0 ? `${b / 1048576} MiB` : b % 1024 === 0 ? `${b / 1024} KiB` : `${b} B`);

/**
 * Per-core L1d and L2 (the value most logical CPUs have; ties go to the larger), and L3 per
 * sharing group: each distinct shared_cpu_list is one physical slice.
 */
export function summarizeSysfsCaches(entries: readonly SysfsCache[]): SysfsCacheSummary {
  const notes: string[] = [];
  const perCore = (level: number, label: string): number | null => {
    const rows = entries.filter((e) => e.level === level && e.type !== 'Instruction');
    if (!rows.length) return null;
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.bytes, (counts.get(r.bytes) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    if (ranked.length > 1) notes.push(`${label} differs between logical CPUs (${ranked.map(([b, n]) => `${fmt(b)} on ${n}`).join(', ')}); reporting ${fmt(ranked[0]![0])}`);
    return ranked[0]![0];
  };
  const l1dBytes = perCore(1, 'L1d');
  const l2Bytes = perCore(2, 'L2');
  const slices = new Map<string, { bytes: number; sharedBy: number }>();
  for (const e of entries) {
    if (e.level !== 3 || e.type === 'Instruction') continue;
    const cpus = parseCpuList(e.sharedCpuList);
    const key = cpus.length ? cpus.join(',') : `cpu${e.cpu}`;
    if (!slices.has(key)) slices.set(key, { bytes: e.bytes, sharedBy: Math.max(1, cpus.length) });
  }
  const groups = new Map<string, { bytes: number; sharedBy: number; instances: number }>();
  for (const s of slices.values()) {
    const key = `${s.bytes}/${s.sharedBy}`;
    const g = groups.get(key);
    if (g) g.instances++;
    else groups.set(key, { ...s, instances: 1 });
  }
  const l3Groups = [...groups.values()].sort((a, b) => b.bytes - a.bytes || b.sharedBy - a.sharedBy);
  return { l1dBytes, l2Bytes, l3Bytes: l3Groups[0]?.bytes ?? null, l3Groups, notes };
}
