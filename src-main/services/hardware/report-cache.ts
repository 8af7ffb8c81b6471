/**
 * This machine's hardware report, kept between processes for as long as the machine stays as it
 * was booted (Node side). Probing takes ~0.3–0.5 s (systeminformation, nvidia-smi, getconf and the
 * measured all-core clock, clock.ts), which a one-shot CLI command such as `flopscope profile`
 * would otherwise pay on every start only to label its stored run with the machine it ran on.
 *
 * The cached report is used only while everything it was probed under still holds: the same boot
 * (Linux's boot_id; elsewhere the boot time from os.uptime(), to the minute), host name, platform,
 * architecture, CPU model and count, total memory and FLOPscope version. A CPU, memory or GPU
 * cannot change without a reboot here, except on hosts that hot-plug them, and a VM resized live
 * changes the CPU count or memory, which the key sees. `flopscope detect`, the Hardware page's
 * Refresh and every benchmark probe afresh and rewrite it.
 *
 * A cache that is missing, unreadable, of another shape or another key is ignored (the machine is
 * probed); writing it never fails the caller. It lives beside the database
 * (`hardware-cache.json`), written atomically.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { HardwareReport } from '../../../src-shared/api/types.js';
import { writeFileAtomic } from '../../infra/write-atomic.js';

export interface CacheKey {
  boot: string;
  hostname: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  totalmem: number;
  appVersion: string;
}

/** What the cache is valid for on this machine now. */
export async function currentCacheKey(appVersion: string): Promise<CacheKey> {
  const cpus = os.cpus();
  return {
    boot: await bootId(),
    hostname: os.hostname(),
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? '',
    cpus: cpus.length,
    totalmem: os.totalmem(),
    appVersion,
  };
}

async function bootId(): Promise<string> {
  if (process.platform === 'linux') {
    try {
      return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    } catch {
      /* fall through to the boot time */
    }
  }
  return `boot@${Math.round((Date.now() - os.uptime() * 1000) / 60_000)}`;
}

function sameKey(a: unknown, b: CacheKey): boolean {
  if (typeof a !== 'object' || a === null) return false;
  const rec = a as Record<string, unknown>;
  return (Object.keys(b) as Array<keyof CacheKey>).every((k) => rec[k] === b[k]) && Object.keys(rec).length === Object.keys(b).length;
}

/** The cached report when it was made under `key` and still has a hardware report's shape; otherwise null. */
export async function readCachedReport(file: string, key: CacheKey): Promise<HardwareReport | null> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || !sameKey((data as { key?: unknown }).key, key)) return null;
  const { hardwareReportSchema } = await import('../../../src-shared/runs/schemas.js');
  const parsed = hardwareReportSchema.safeParse((data as { report?: unknown }).report);
  return parsed.success ? parsed.data : null;
}

/** Stores the report for `key`; a failure (read-only folder, full disk) leaves no cache and is not an error. */
export async function writeCachedReport(file: string, key: CacheKey, report: HardwareReport): Promise<void> {
  try {
    await writeFileAtomic(file, JSON.stringify({ key, report }), 'the hardware cache');
  } catch {
    /* a cache */
  }
}
