/**
 * Helpers shared by the peer scripts in bench/ (run with tsx on the machine being measured): the
 * detected caches, a console reporter, and formatting. Not part of the app.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchReporter, CacheSizes } from '../src-main/services/bench/types.js';
import { detectHardware, parseProcCpuinfo } from '../src-main/services/hardware/detect.js';
import type { HardwareReport } from '../src-shared/api/types.js';
import { formatBytes } from '../src-shared/hardware/format.js';

/**
 * One line naming the host a ratio was measured on, printed beside every ratio (the VM's host
 * changes between sessions, and a ratio means little without it): CPU model, vendor family/model
 * (from /proc/cpuinfo where it exists), the widest SIMD, logical cores and the per-core caches.
 */
export function hostLine(hw: HardwareReport): string {
  let fm = '';
  try {
    const p = parseProcCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
    if (p.family !== null) fm = `, family ${p.family} model ${p.model ?? '?'}`;
  } catch {
    // not Linux
  }
  const isa = hw.cpu.isa;
  const simd = isa.includes('avx512f') ? `AVX-512${isa.some((f) => f.startsWith('amx')) ? '+AMX' : ''}`
    : isa.includes('avx2') ? 'AVX2 (no AVX-512)'
      : isa.some((f) => f.startsWith('sve')) ? 'SVE' : isa.some((f) => f === 'asimd' || f === 'neon') ? 'NEON' : 'no AVX2/NEON';
  const c = hw.cpu.caches;
  const size = (b: number | null) => (b === null ? '?' : formatBytes(b));
  return `host: ${hw.cpu.model}${fm}, ${simd}, ${hw.cpu.logicalCores} logical cores, L1d ${size(c.l1dBytes)} / L2 ${size(c.l2Bytes)} per core, L3 ${size(c.l3Bytes)}`;
}

export async function detectedMachine(): Promise<{ caches: CacheSizes; totalMemoryBytes: number; cpu: string; cores: number; host: string }> {
  const hw = await detectHardware();
  return {
    caches: hw.cpu.caches,
    totalMemoryBytes: hw.memory.totalBytes,
    cpu: `${hw.cpu.model}, ${hw.cpu.logicalCores} logical cores`,
    cores: hw.cpu.logicalCores,
    host: hostLine(hw),
  };
}

/** Logs to stderr (stdout keeps the table); Ctrl-C aborts the benchmark cleanly. */
export function consoleReporter(verbose = true): BenchReporter {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  return {
    signal: ac.signal,
    progress: () => {},
    log: (message, level) => {
      if (verbose || level === 'warn') process.stderr.write(`  ${level === 'warn' ? 'warn' : 'info'}: ${message}\n`);
    },
  };
}

/**
 * Peer ratios only mean something on an otherwise idle machine (both sides suffer contention,
 * but not equally: multi-threaded runs suffer most), so the scripts print the load with them.
 */
export function loadAverage(): string {
  const speeds = cpuSpeeds();
  return `load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores${speeds ? `; speed of each logical CPU against the fastest: ${speeds}` : ''} (${HOST})`;
}

/** A fixed loop, timed inside the child so its start-up does not count; prints milliseconds. */
const SPIN = 'let s=0;const t=process.hrtime.bigint();for(let i=0;i<3e7;i++)s+=i*0.5;process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6+(s<0?1:0)))';

/**
 * Each logical CPU's speed against the fastest ("cpu0 1.00, cpu1 0.51"), from the same short loop
 * pinned to each with `taskset` (Linux; null where it cannot run, and for more than 16 CPUs). Some
 * VMs run one vCPU at half speed, and which one changes within minutes (bench/hosts.md, Zen 5
 * 19:40 row): a two-thread kernel then waits for its slower half, and a whole-run ratio moves by
 * up to 2× for no reason in the code. Printed beside the load so a reader can tell.
 */
export function cpuSpeeds(): string | null {
  const cpus = os.availableParallelism();
  if (process.platform !== 'linux' || cpus > 16) return null;
  const ms: number[] = [];
  for (let c = 0; c < cpus; c++) {
    const r = spawnSync('taskset', ['-c', String(c), process.execPath, '-e', SPIN], { encoding: 'utf8', timeout: 10_000 });
    const v = Number(r.stdout);
    if (r.status !== 0 || !(v > 0)) return null;
    ms.push(v);
  }
  const fastest = Math.min(...ms);
  return ms.map((v, c) => `cpu${c} ${(fastest / v).toFixed(2)}`).join(', ');
}

/** Detected once when a script loads, so every line that prints the load names the host too. */
const HOST = hostLine(await detectHardware());

export const f1 = (v: number): string => v.toFixed(1);
export const ratio = (ours: number, peer: number): string => (ours / peer).toFixed(2);

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function cpuTimes(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0); // idle + iowait
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null; // not Linux
  }
}

/**
 * Waits (up to `maxWaitS`) until the machine is nearly idle — under `threshold` of all CPU time
 * busy over one second — so a peer comparison is not decided by someone else's job. Returns the
 * busy fraction last seen (null where /proc/stat does not exist).
 */
export async function waitForQuiet(maxWaitS = 120, threshold = 0.1): Promise<number | null> {
  const deadline = Date.now() + maxWaitS * 1000;
  for (;;) {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, 1000));
    const b = cpuTimes();
    if (!a || !b) return null;
    const busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    if (busy < threshold || Date.now() > deadline) return busy;
  }
}
