/**
 * The CPU power estimate used when no sensor can be read (pure): catalog TDP shared out per core,
 * times this machine's cores, times the measured busy fraction of its logical CPUs:
 *
 *   W ≈ (TDP ÷ cores of the catalog part) × physical cores visible here × utilisation
 *
 * Sharing per core keeps a VM that sees 2 vCPUs of a 96-core EPYC from being charged the whole
 * socket. TDP is the vendor's thermal design power, not a measurement: sustained AVX load can
 * draw more (turbo power limits) and idle draws something at 0 % utilisation, which this ignores —
 * so every figure built on it is labelled "estimated", with this basis, wherever it is shown.
 *
 * The table is small on purpose: common desktop and server parts. Entries are recalled from the
 * vendors' product pages (ark.intel.com, amd.com/en/products) and marked unverified; a part not in
 * it gets the median per-core TDP of its class (server: EPYC / Xeon; else desktop).
 */
import { median } from '../bench/accounting.js';

export interface CpuPowerEntry {
  /** Matched against the CPU model string, case-insensitively. */
  pattern: RegExp;
  name: string;
  tdpW: number;
  cores: number;
  cls: 'server' | 'desktop';
  source: string;
  verification: string;
}

const AMD = 'amd.com product page';
const INTEL = 'ark.intel.com product page';
const UNVERIFIED = 'recalled, unverified';

export const CPU_POWER_TABLE: readonly CpuPowerEntry[] = [
  { pattern: /EPYC\s+9965\b/i, name: 'AMD EPYC 9965 (Zen 5c)', tdpW: 500, cores: 192, cls: 'server', source: AMD, verification: UNVERIFIED },
  { pattern: /EPYC\s+9655\b/i, name: 'AMD EPYC 9655 (Zen 5)', tdpW: 400, cores: 96, cls: 'server', source: AMD, verification: UNVERIFIED },
  { pattern: /EPYC\s+9754\b/i, name: 'AMD EPYC 9754 (Zen 4c)', tdpW: 360, cores: 128, cls: 'server', source: AMD, verification: UNVERIFIED },
  { pattern: /EPYC\s+9654\b/i, name: 'AMD EPYC 9654 (Zen 4)', tdpW: 360, cores: 96, cls: 'server', source: AMD, verification: UNVERIFIED },
  { pattern: /EPYC\s+7763\b/i, name: 'AMD EPYC 7763 (Zen 3)', tdpW: 280, cores: 64, cls: 'server', source: AMD, verification: UNVERIFIED },
  { pattern: /Xeon.*8480\+?/i, name: 'Intel Xeon Platinum 8480+', tdpW: 350, cores: 56, cls: 'server', source: INTEL, verification: UNVERIFIED },
  { pattern: /Xeon.*8380\b/i, name: 'Intel Xeon Platinum 8380', tdpW: 270, cores: 40, cls: 'server', source: INTEL, verification: UNVERIFIED },
  { pattern: /Ryzen 9 9950X\b/i, name: 'AMD Ryzen 9 9950X', tdpW: 170, cores: 16, cls: 'desktop', source: AMD, verification: UNVERIFIED },
  { pattern: /Ryzen 9 7950X\b/i, name: 'AMD Ryzen 9 7950X', tdpW: 170, cores: 16, cls: 'desktop', source: AMD, verification: UNVERIFIED },
  { pattern: /i9-1[34]900K\b/i, name: 'Intel Core i9-13900K / 14900K', tdpW: 125, cores: 24, cls: 'desktop', source: `${INTEL} (processor base power; max turbo power 253 W)`, verification: UNVERIFIED },
  { pattern: /i7-1[34]700K\b/i, name: 'Intel Core i7-13700K / 14700K', tdpW: 125, cores: 16, cls: 'desktop', source: `${INTEL} (processor base power)`, verification: UNVERIFIED },
];

export function serverClass(model: string): 'server' | 'desktop' {
  return /EPYC|Xeon|Threadripper PRO|Ampere|Graviton|Neoverse/i.test(model) ? 'server' : 'desktop';
}

export interface CpuPowerBasis {
  /** Watts per physical core at TDP. */
  wattsPerCore: number;
  /** Physical cores the estimate charges for (this machine's). */
  cores: number;
  /** Watts at 100 % utilisation of those cores. */
  fullWatts: number;
  /** One sentence: which part or class, its TDP and cores, and the formula. */
  basis: string;
}

/**
 * The per-core TDP share for this CPU: its catalog entry, else the median of its class. `cores`
 * is the number of physical cores this machine sees (a VM's vCPU count ÷ threads per core).
 */
export function cpuPowerBasis(model: string, cores: number): CpuPowerBasis {
  const n = Math.max(1, Math.round(cores));
  const entry = CPU_POWER_TABLE.find((e) => e.pattern.test(model));
  if (entry) {
    const wattsPerCore = entry.tdpW / entry.cores;
    return {
      wattsPerCore,
      cores: n,
      fullWatts: wattsPerCore * n,
      basis: `estimated: ${entry.name} TDP ${entry.tdpW} W ÷ ${entry.cores} cores = ${wattsPerCore.toFixed(2)} W/core × ${n} core(s) here × measured CPU utilisation (${entry.source}, ${entry.verification}; idle power not counted)`,
    };
  }
  const cls = serverClass(model);
  const peers = CPU_POWER_TABLE.filter((e) => e.cls === cls);
  const wattsPerCore = median(peers.map((e) => e.tdpW / e.cores));
  return {
    wattsPerCore,
    cores: n,
    fullWatts: wattsPerCore * n,
    basis: `estimated: "${model || 'unknown CPU'}" is not in the CPU power table; median ${cls} TDP per core ${wattsPerCore.toFixed(2)} W (of ${peers.length} catalog parts) × ${n} core(s) here × measured CPU utilisation (idle power not counted)`,
  };
}

/** Busy fraction of all logical CPUs between two snapshots of per-CPU times (os.cpus().times). */
export function utilisation(
  before: ReadonlyArray<{ user: number; nice: number; sys: number; idle: number; irq: number }>,
  after: ReadonlyArray<{ user: number; nice: number; sys: number; idle: number; irq: number }>,
): number | null {
  let busy = 0;
  let total = 0;
  for (let i = 0; i < Math.min(before.length, after.length); i++) {
    const a = before[i]!;
    const b = after[i]!;
    const db = b.user - a.user + (b.nice - a.nice) + (b.sys - a.sys) + (b.irq - a.irq);
    const di = b.idle - a.idle;
    if (db < 0 || di < 0) continue; // a CPU went offline and back: skip it
    busy += db;
    total += db + di;
  }
  return total > 0 ? Math.min(1, Math.max(0, busy / total)) : null;
}
