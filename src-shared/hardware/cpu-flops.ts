/**
 * CPU theoretical peaks: a FLOPs/cycle/core table per vector ISA / microarchitecture, and
 * `cpuPeaks`, which picks the table entry from the CPU's flag list and family and multiplies out
 * peak GFLOP/s = cores × clock GHz × FLOPs/cycle/core. Pure (no Node imports): runs anywhere.
 *
 * Numbers come from /work/shared/reference/hardware-specs.json `cpu_flops_per_cycle` unless an
 * entry says otherwise. Formula (WikiChip "FLOPS"): FLOPs/cycle = FMA pipes × (vector bits /
 * element bits) × 2. Peaks assume only FMAs and the stated clock; AVX/AVX-512 all-core clocks are
 * usually lower than base/turbo, so treat every figure as an upper bound.
 */
import type { HardwareReport, Peak } from '../api/types.js';

export type CpuUarchId =
  | 'avx-no-fma'
  | 'zen1-avx2-2x128'
  | 'avx2-fma-2x256'
  | 'intel-avx512-1fma'
  | 'intel-avx512-2fma'
  | 'zen4-avx512'
  | 'zen5-avx512'
  | 'apple-neon';

export interface CpuFlopsEntry {
  id: CpuUarchId;
  /** Human description used in `basis`. */
  isa: string;
  examples: string;
  /** FLOPs per cycle per core (FMA counted as 2). */
  fp64: number;
  fp32: number;
  /** Width of one FMA instruction, which bounds the VNNI / BF16 dot-product instructions too. */
  vectorBits: number;
  verification: string;
  source: string;
}

const REF = 'hardware-specs.json cpu_flops_per_cycle';

export const CPU_FLOPS_TABLE: Readonly<Record<CpuUarchId, CpuFlopsEntry>> = {
  // Not in the reference JSON: Sandy/Ivy Bridge have one 256-bit FADD and one 256-bit FMUL port
  // and no FMA, so 8 fp32 lanes × (1 add + 1 mul) = 16. Recalled, kept so such CPUs are not
  // credited with FMA throughput they lack.
  'avx-no-fma': {
    id: 'avx-no-fma', isa: 'AVX without FMA, 1×256-bit add + 1×256-bit mul', examples: 'Intel Sandy Bridge / Ivy Bridge',
    fp64: 8, fp32: 16, vectorBits: 256,
    verification: 'derived, unverified (not in the reference JSON)',
    source: 'derived from port layout (one 256-bit FADD + one 256-bit FMUL per cycle); not in ' + REF,
  },
  // Not in the reference JSON: Zen 1/Zen+ split 256-bit ops into two 128-bit halves and have two
  // FMA-capable 128-bit pipes, i.e. half the Zen 2 rate. Recalled.
  'zen1-avx2-2x128': {
    id: 'zen1-avx2-2x128', isa: 'AVX2 + FMA3 on 2×128-bit FMA pipes (Zen 1/Zen+)', examples: 'AMD Ryzen 1000/2000, EPYC 7001',
    fp64: 8, fp32: 16, vectorBits: 128,
    verification: 'derived, unverified (not in the reference JSON)',
    source: 'derived: 2 pipes × 4 fp32 lanes × 2; not in ' + REF,
  },
  'avx2-fma-2x256': {
    id: 'avx2-fma-2x256', isa: 'AVX2 + FMA3, 2×256-bit FMA', examples: 'Intel Haswell..Alder Lake P-cores, AMD Zen 2/3',
    fp64: 16, fp32: 32, vectorBits: 256,
    verification: 'derived (2 pipes × 8 fp32 lanes × 2)',
    source: `${REF} "AVX2 + FMA3, 2 x 256-bit FMA pipes" (Zen 3 layout per wlog.flatlib.jp vfpbench)`,
  },
  'intel-avx512-1fma': {
    id: 'intel-avx512-1fma', isa: 'AVX-512, 1×512-bit FMA (Intel)', examples: 'Xeon Bronze/Silver, some Gold 5xxx, client AVX-512 parts',
    fp64: 16, fp32: 32, vectorBits: 512,
    verification: "verified-secondary; per-SKU FMA count must be checked (Intel ARK '# of AVX-512 FMA Units')",
    source: `${REF} (Hacker News item 43218367: cheap Intel CPUs had one 512-bit FMA unit)`,
  },
  'intel-avx512-2fma': {
    id: 'intel-avx512-2fma', isa: 'AVX-512, 2×512-bit FMA (Intel server)', examples: 'Xeon Gold 6xxx / Platinum, Skylake-SP..Emerald Rapids',
    fp64: 32, fp32: 64, vectorBits: 512,
    verification: 'verified-secondary',
    source: `${REF} (Hacker News item 43218367: most Gold and all Platinum had 2×512-bit FMA units)`,
  },
  'zen4-avx512': {
    id: 'zen4-avx512', isa: 'AVX-512 double-pumped on 256-bit datapaths (Zen 4)', examples: 'Ryzen 7000, EPYC 9004',
    fp64: 16, fp32: 32, vectorBits: 512,
    verification: 'verified-secondary',
    source: `${REF} (numberworld.org Zen 5 AVX-512 teardown: Zen 4 double-pumps 512-bit instructions)`,
  },
  'zen5-avx512': {
    id: 'zen5-avx512', isa: 'AVX-512, 2×512-bit FMA, full 512-bit datapath (Zen 5)', examples: 'Ryzen 9000 desktop, EPYC 9005',
    fp64: 32, fp32: 64, vectorBits: 512,
    verification: 'verified-secondary',
    source: `${REF} (numberworld.org Zen 5 AVX-512 teardown: native 512-bit datapath)`,
  },
  'apple-neon': {
    id: 'apple-neon', isa: 'NEON, 4×128-bit FMA (Apple M-series P-core)', examples: 'M1 Firestorm, M2, M3, M4 P-cores',
    fp64: 16, fp32: 32, vectorBits: 128,
    verification: 'verified-secondary for M1; M2-M4 assumed same width (unverified)',
    source: `${REF} (scalable.uni-jena.de/opt/sme/intro.html: Firestorm 102.4 fp32 GFLOP/s per core at 3.2 GHz)`,
  },
};

// AMX rates: Wikipedia "Advanced Matrix Extensions", citing Intel's "Accelerate AI Workloads with
// Intel AMX" brief: a 4th Gen Xeon core does 2048 INT8 or 1024 BF16 operations per cycle.
const AMX_BF16_PER_CYCLE = 1024;
const AMX_INT8_PER_CYCLE = 2048;
const AMX_SOURCE = "Wikipedia 'Advanced Matrix Extensions' citing Intel's AMX brief (4th Gen Xeon: 1024 BF16 / 2048 INT8 ops per cycle per core)";

/** What `cpuPeaks` needs beyond the report's `cpu` block; every field is optional evidence. */
export interface CpuContext {
  vendor: string;
  /** CPUID family in decimal (AMD Zen 4 = 25, Zen 5 = 26). */
  family: number | null;
  model: number | null;
  /** On hybrid CPUs (Apple P/E, Intel P/E) only these cores are counted; see `cpuPeaks`. */
  performanceCores?: number | null;
  /** Where the clock came from, quoted in `basis` (e.g. "'cpu MHz' in /proc/cpuinfo"). */
  clockSource?: string | null;
}

export interface CpuSelection {
  entry: CpuFlopsEntry | null;
  /** Assumptions made while picking the entry, quoted in basis and warnings. */
  assumptions: string[];
  /** Why no entry was found. */
  reason?: string;
}

type Vendor = 'amd' | 'intel' | 'apple' | 'other';

function vendorOf(...names: string[]): Vendor {
  const s = names.join(' ').toLowerCase();
  if (/\bamd\b|authenticamd|hygon/.test(s)) return 'amd';
  if (/intel|genuineintel/.test(s)) return 'intel';
  if (/apple/.test(s)) return 'apple';
  return 'other';
}

/** Picks the FLOPs/cycle entry for a CPU from its flags, vendor, family and model name. */
export function selectCpuEntry(cpu: HardwareReport['cpu'], ctx?: CpuContext): CpuSelection {
  const has = (flag: string): boolean => cpu.isa.includes(flag);
  const vendor = vendorOf(ctx?.vendor ?? '', cpu.vendor, cpu.model);
  const family = ctx?.family ?? null;
  const model = ctx?.model ?? null;
  const T = CPU_FLOPS_TABLE;

  if (has('asimd') || has('neon')) {
    if (vendor === 'apple') return { entry: T['apple-neon'], assumptions: /\bM1\b/.test(cpu.model) ? [] : ['M2-M4 P-cores assumed as wide as M1 (unverified)'] };
    return { entry: null, assumptions: [], reason: 'no FLOPs/cycle table entry for non-Apple Arm cores' };
  }

  if (has('avx512f')) {
    if (vendor === 'amd') {
      if (family === 25) return { entry: T['zen4-avx512'], assumptions: [] };
      if (family === 26) {
        // Mobile Zen 5 (Strix Point, sold as "Ryzen AI") reportedly keeps the double-pumped
        // 256-bit datapath (reference JSON note, recalled/unverified).
        const mobile = /ryzen ai/i.test(cpu.model);
        return {
          entry: T['zen5-avx512'],
          assumptions: mobile ? ['mobile Zen 5 ("Ryzen AI") may double-pump AVX-512 on 256-bit units, which would halve this (unverified)'] : [],
        };
      }
      return {
        entry: T['zen4-avx512'],
        assumptions: [`AMD family ${family ?? 'unknown'} with AVX-512 not identified; assumed one 512-bit FMA per cycle (Zen 4 rate), which is conservative`],
      };
    }
    if (vendor === 'intel') {
      const m = cpu.model;
      if (/platinum|gold\s*6\d/i.test(m)) return { entry: T['intel-avx512-2fma'], assumptions: [] };
      if (/bronze|silver|gold\s*5\d/i.test(m)) {
        return { entry: T['intel-avx512-1fma'], assumptions: ['Bronze/Silver/Gold 5xxx assumed to have one AVX-512 FMA unit (a few Gold 5xxx have two; check Intel ARK)'] };
      }
      if (/xeon/i.test(m)) {
        return { entry: T['intel-avx512-2fma'], assumptions: ["Xeon model not identified; assumed 2 AVX-512 FMA units (check Intel ARK '# of AVX-512 FMA Units'; with 1 unit the peak halves)"] };
      }
      return { entry: T['intel-avx512-1fma'], assumptions: ['client Intel AVX-512 part assumed to have one 512-bit FMA unit'] };
    }
    return { entry: T['intel-avx512-1fma'], assumptions: ['unknown vendor with AVX-512; assumed one 512-bit FMA unit (conservative)'] };
  }

  if (has('avx2') && has('fma')) {
    if (vendor === 'amd' && family !== null && family < 23) {
      return { entry: null, assumptions: [], reason: `pre-Zen AMD family ${family} shares FPUs between cores; no table entry` };
    }
    // Zen 1/Zen+ are family 0x17 models below 0x30; Zen 2 starts at model 0x30.
    if (vendor === 'amd' && family === 23 && model !== null && model < 0x30) return { entry: T['zen1-avx2-2x128'], assumptions: [] };
    return { entry: T['avx2-fma-2x256'], assumptions: [] };
  }
  if (has('avx')) return { entry: T['avx-no-fma'], assumptions: [] };
  return { entry: null, assumptions: [], reason: 'no vector ISA with a FLOPs/cycle table entry (needs AVX, AVX2+FMA, AVX-512 or Apple NEON)' };
}

function fmtGHz(ghz: number): string {
  return `${Number(ghz.toFixed(3))} GHz`;
}

/**
 * Theoretical CPU peaks. Clock: `maxGHz` if known, else `baseGHz`; if neither is known there is
 * no peak at all (a clock is never invented). bf16/int8/fp16 appear only where the ISA has a
 * dedicated instruction, and their basis says they are derived.
 */
export function cpuPeaks(cpu: HardwareReport['cpu'], family?: CpuContext): { peaks: Peak[]; warnings: string[] } {
  const warnings: string[] = [];
  const sel = selectCpuEntry(cpu, family);
  if (!sel.entry) {
    warnings.push(`CPU peak unknown: ${sel.reason ?? 'no table entry'} (model "${cpu.model}").`);
    return { peaks: [], warnings };
  }
  const entry = sel.entry;
  for (const a of sel.assumptions) warnings.push(`CPU peak assumption: ${a}.`);

  const clock = cpu.maxGHz ?? cpu.baseGHz;
  if (clock === null || !(clock > 0)) {
    warnings.push(`CPU clock unknown: no CPU peak computed (would be cores × clock × ${entry.fp32} fp32 FLOP/cycle for ${entry.isa}).`);
    return { peaks: [], warnings };
  }
  const clockKind = cpu.maxGHz !== null ? 'max clock; all-core vector clocks are usually lower' : 'base clock';
  const clockLabel = family?.clockSource ? `${clockKind}, ${family.clockSource}` : clockKind;

  let cores = cpu.physicalCores;
  let coreLabel = `${cores} cores`;
  const p = family?.performanceCores;
  if (p && p > 0 && p < cpu.physicalCores) {
    // Efficiency cores have narrower vector units (not in the table); count P-cores only, which
    // slightly understates the whole chip but never credits E-cores with P-core width.
    cores = p;
    coreLabel = `${p} performance cores`;
    warnings.push(`Hybrid CPU: peaks count the ${p} performance cores only; ${cpu.physicalCores - p} efficiency cores are not counted.`);
  }
  if (!(cores > 0)) {
    warnings.push('CPU physical core count unknown: no CPU peak computed.');
    return { peaks: [], warnings };
  }

  const assume = sel.assumptions.length ? `; assumes ${sel.assumptions.join('; ')}` : '';
  const peak = (dtype: Peak['dtype'], perCycle: number, what: string): Peak => ({
    device: 'cpu',
    dtype,
    gflops: Math.round(cores * clock * perCycle * 1000) / 1000,
    basis: `${coreLabel} × ${fmtGHz(clock)} (${clockLabel}) × ${perCycle} ${dtype === 'int8' ? 'OP' : 'FLOP'}/cycle (${what}${assume})`,
  });
  const base = `${entry.isa}; source: ${entry.source}`;
  const peaks: Peak[] = [peak('fp64', entry.fp64, base), peak('fp32', entry.fp32, base)];

  const has = (f: string): boolean => cpu.isa.includes(f);
  const avx512 = entry.vectorBits === 512;
  // fp16: AVX512-FP16 VFMADDPH packs 2× the fp32 lanes at the FMA rate (derived).
  if (has('amx_fp16')) {
    peaks.push(peak('fp16', AMX_BF16_PER_CYCLE, `AMX-FP16 tile multiply, assumed the same rate as AMX-BF16 (derived, unverified); source: ${AMX_SOURCE}`));
  } else if (has('avx512_fp16') && avx512) {
    peaks.push(peak('fp16', 2 * entry.fp32, `AVX512-FP16 VFMADDPH = 2 × the ${entry.fp32} fp32 FLOP/cycle FMA rate (derived: twice the lanes per FMA); fp32 rate from ${entry.source}`));
  }
  // bf16: VDPBF16PS does two bf16 products + accumulate per fp32 lane = 2× the fp32 FMA rate.
  if (has('amx_bf16')) {
    peaks.push(peak('bf16', AMX_BF16_PER_CYCLE, `AMX-BF16 tile multiply; source: ${AMX_SOURCE}`));
  } else if (has('avx512_bf16') && avx512) {
    peaks.push(peak('bf16', 2 * entry.fp32, `AVX512-BF16 VDPBF16PS dot products = 2 × the ${entry.fp32} fp32 FLOP/cycle FMA rate (derived, assumes FMA throughput); fp32 rate from ${entry.source}`));
  }
  // int8: VPDPBUSD does four u8×s8 products + accumulate per 32-bit lane = 4× the fp32 FMA rate.
  if (has('amx_int8')) {
    peaks.push(peak('int8', AMX_INT8_PER_CYCLE, `AMX-INT8 tile multiply; source: ${AMX_SOURCE}`));
  } else if (has('avx512_vnni') && avx512) {
    peaks.push(peak('int8', 4 * entry.fp32, `AVX512-VNNI VPDPBUSD = 4 × the ${entry.fp32} fp32 FLOP/cycle FMA rate in ops (derived, assumes FMA throughput); fp32 rate from ${entry.source}`));
  } else if (has('avx_vnni') && entry.vectorBits >= 256) {
    // AVX-VNNI is VEX-encoded: 256-bit at most, so 4× the 2×256-bit FMA rate (32 fp32/cycle).
    const fp32At256 = Math.min(entry.fp32, CPU_FLOPS_TABLE['avx2-fma-2x256'].fp32);
    peaks.push(peak('int8', 4 * fp32At256, `AVX-VNNI 256-bit VPDPBUSD = 4 × ${fp32At256} fp32 FLOP/cycle at 256 bits in ops (derived, assumes FMA throughput); fp32 rate from ${CPU_FLOPS_TABLE['avx2-fma-2x256'].source}`));
  }
  return { peaks, warnings };
}
