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
  | 'intel-ecore-2x128'
  | 'avx2-fma-2x256'
  | 'intel-ecore-4x128'
  | 'intel-avx512-1fma'
  | 'intel-avx512-2fma'
  | 'zen4-avx512'
  | 'zen5-mobile-avx512'
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
  // Intel E-cores before Skymont (Gracemont in Alder Lake-N and hybrid parts, Crestmont in Sierra
  // Forest): two 128-bit FMA-capable pipes, 256-bit AVX2 ops split in halves. Source: Intel 64 and
  // IA-32 Architectures Optimization Reference Manual (248966), Gracemont chapter (two FP/vector
  // pipes with FMA); Chips and Cheese "Gracemont: Revenge of the Atom Cores" (2021). Recalled.
  'intel-ecore-2x128': {
    id: 'intel-ecore-2x128', isa: 'AVX2 + FMA3 on 2×128-bit FMA pipes (Intel Gracemont/Crestmont E-core)', examples: 'Intel N100/N200, Xeon 6 E-core (Sierra Forest)',
    fp64: 8, fp32: 16, vectorBits: 128,
    verification: 'derived (2 pipes × 4 fp32 lanes × 2); pipe count recalled, not re-read in this repo',
    source: 'Intel Optimization Reference Manual 248966 (Gracemont E-core: 2 FMA-capable 128-bit vector pipes); Chips and Cheese "Gracemont: Revenge of the Atom Cores"',
  },
  'avx2-fma-2x256': {
    id: 'avx2-fma-2x256', isa: 'AVX2 + FMA3, 2×256-bit FMA', examples: 'Intel Haswell..Alder Lake P-cores, AMD Zen 2/3',
    fp64: 16, fp32: 32, vectorBits: 256,
    verification: 'derived (2 pipes × 8 fp32 lanes × 2)',
    source: `${REF} "AVX2 + FMA3, 2 x 256-bit FMA pipes" (Zen 3 layout per wlog.flatlib.jp vfpbench)`,
  },
  // Skymont / Darkmont E-cores (Lunar/Arrow Lake E-cores, Xeon 6+ Clearwater Forest): four 128-bit
  // FP pipes, all FMA-capable, twice Crestmont. Source: Intel Lunar Lake architecture briefing
  // (Computex 2024, "4×128-bit FP/SIMD, 2× FLOPS"); Chips and Cheese "Skymont: Intel's E-Cores
  // Reach for the Sky" (2024). Recalled.
  'intel-ecore-4x128': {
    id: 'intel-ecore-4x128', isa: 'AVX2 + FMA3 on 4×128-bit FMA pipes (Intel Skymont/Darkmont E-core)', examples: 'Xeon 6+ E-core (Clearwater Forest)',
    fp64: 16, fp32: 32, vectorBits: 128,
    verification: 'derived (4 pipes × 4 fp32 lanes × 2); pipe count recalled, not re-read in this repo',
    source: 'Intel Lunar Lake architecture briefing 2024 (Skymont: 4×128-bit FMA pipes); Chips and Cheese "Skymont: Intel\'s E-Cores Reach for the Sky"',
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
  // Mobile Zen 5 (Strix Point, Krackan Point; sold as "Ryzen AI 300") keeps 256-bit FP datapaths
  // and double-pumps 512-bit ops, like Zen 4. Source: AMD Tech Day 2024 Zen 5 briefing (mobile
  // parts: 256-bit datapath); Chips and Cheese "AMD's Strix Point: Zen 5 Hits Mobile" (2024);
  // reference JSON note. Recalled.
  'zen5-mobile-avx512': {
    id: 'zen5-mobile-avx512', isa: 'AVX-512 double-pumped on 256-bit datapaths (mobile Zen 5)', examples: 'Ryzen AI 300 (Strix Point, Krackan Point)',
    fp64: 16, fp32: 32, vectorBits: 512,
    verification: 'recalled-secondary (reference JSON: "reportedly keeps double-pumped 256-bit AVX-512")',
    source: `${REF} Zen 5 note; AMD Tech Day 2024 (mobile Zen 5 keeps the 256-bit FP datapath); Chips and Cheese on Strix Point`,
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
  /** The core, when the family/model tables know it (e.g. "Emerald Rapids (Raptor Cove)"). */
  core?: string;
  /** Where the tables' mapping of that core to the entry comes from. */
  coreSource?: string;
}

/** What the tables know about one CPUID family/model: the core and the entry for each ISA level the OS shows. */
export interface CoreInfo {
  core: string;
  /** With `avx512f`; 'by-sku' = 1 or 2 FMA units depending on the SKU, decided from the model name. */
  avx512?: CpuUarchId | 'by-sku';
  /** With `avx2` + `fma` but no AVX-512 (none, or masked by a hypervisor). */
  avx2?: CpuUarchId;
  /** With `avx` only. */
  avx?: CpuUarchId;
  source: string;
}

const INTEL_OPT = 'Intel 64 and IA-32 Architectures Optimization Reference Manual (248966)';
const sandy = (core: string): CoreInfo => ({ core, avx: 'avx-no-fma', source: `${INTEL_OPT}, Sandy Bridge chapter: 256-bit FMUL on port 0 and FADD on port 1, no FMA` });
const fma256 = (core: string): CoreInfo => ({
  core, avx2: 'avx2-fma-2x256', avx512: 'intel-avx512-1fma',
  source: `${INTEL_OPT}, Haswell and later: two 256-bit FMA units (ports 0 and 1); Agner Fog, "The microarchitecture of Intel, AMD and VIA CPUs"`,
});
const hybrid = (core: string): CoreInfo => ({
  ...fma256(core),
  source: `${INTEL_OPT}: P-cores (Golden Cove and later) have two 256-bit FMA units; E-cores are narrower and are not counted when the P-core count is known`,
});
const client512 = (core: string): CoreInfo => ({
  core, avx512: 'intel-avx512-1fma', avx2: 'avx2-fma-2x256',
  source: `${INTEL_OPT}, Ice Lake client chapter: 512-bit FMAs on fused ports 0+1 only (one 512-bit FMA per cycle); Intel ARK '# of AVX-512 FMA Units: 1' on client parts`,
});
const server2 = (core: string, source: string): CoreInfo => ({ core, avx512: 'intel-avx512-2fma', avx2: 'avx2-fma-2x256', source });
const ARK2 = "Intel ARK '# of AVX-512 FMA Units: 2' across the family (recalled, per-SKU not re-checked); port 5 512-bit FMA per the Optimization Reference Manual";
const gracemont = (core: string): CoreInfo => ({ core, avx2: 'intel-ecore-2x128', source: CPU_FLOPS_TABLE['intel-ecore-2x128'].source });

/**
 * Intel family 6 models (decimal; hex and names as in Linux arch/x86/include/asm/intel-family.h).
 * Models not listed fall back to the flag- and name-based rules in `selectCpuEntry`.
 */
export const INTEL_FAMILY6: Readonly<Record<number, CoreInfo>> = {
  42: sandy('Sandy Bridge'), 45: sandy('Sandy Bridge-E/EP'), 58: sandy('Ivy Bridge'), 62: sandy('Ivy Bridge-E/EP'), // 0x2A 0x2D 0x3A 0x3E
  60: fma256('Haswell'), 63: fma256('Haswell-E/EP'), 69: fma256('Haswell-ULT'), 70: fma256('Haswell GT3e'), // 0x3C 0x3F 0x45 0x46
  61: fma256('Broadwell'), 71: fma256('Broadwell GT3e'), 79: fma256('Broadwell-E/EP'), 86: fma256('Broadwell-DE'), // 0x3D 0x47 0x4F 0x56
  78: fma256('Skylake (mobile)'), 94: fma256('Skylake'), 142: fma256('Kaby/Amber/Whiskey/Comet Lake (mobile)'), 158: fma256('Kaby/Coffee Lake'), // 0x4E 0x5E 0x8E 0x9E
  165: fma256('Comet Lake'), 166: fma256('Comet Lake (mobile)'), // 0xA5 0xA6
  // 0x55: one die for Skylake-SP, Cascade Lake and Cooper Lake; Bronze/Silver/most Gold 5xxx have one 512-bit FMA unit.
  85: { core: 'Skylake-SP/Cascade Lake/Cooper Lake', avx512: 'by-sku', avx2: 'avx2-fma-2x256', source: `${INTEL_OPT}, Skylake Server chapter (second 512-bit FMA on port 5 on some SKUs); Intel ARK '# of AVX-512 FMA Units' per SKU` },
  87: server2('Knights Landing', 'Sodani et al., "Knights Landing: Second-Generation Intel Xeon Phi Product", IEEE Micro 2016: two 512-bit VPUs per core'), // 0x57
  133: server2('Knights Mill', 'Knights Landing core (two 512-bit VPUs per core; Sodani et al., IEEE Micro 2016)'), // 0x85
  102: client512('Cannon Lake'), 125: client512('Ice Lake (client)'), 126: client512('Ice Lake (client)'), // 0x66 0x7D 0x7E
  140: client512('Tiger Lake'), 141: client512('Tiger Lake-H'), 167: client512('Rocket Lake'), // 0x8C 0x8D 0xA7
  106: server2('Ice Lake-SP (Sunny Cove)', 'ServeTheHome, "Intel Xeon Ice Lake Edition" (2021): "2 FMA AVX-512 ... throughout the family"'), // 0x6A
  108: { core: 'Ice Lake-D', avx512: 'by-sku', avx2: 'avx2-fma-2x256', source: "Intel ARK '# of AVX-512 FMA Units' per SKU" }, // 0x6C
  143: server2('Sapphire Rapids (Golden Cove)', ARK2), // 0x8F
  207: server2('Emerald Rapids (Raptor Cove)', ARK2), // 0xCF
  173: server2('Granite Rapids (Redwood Cove)', ARK2), 174: server2('Granite Rapids-D (Redwood Cove)', ARK2), // 0xAD 0xAE
  151: hybrid('Alder Lake'), 154: hybrid('Alder Lake (mobile)'), 183: hybrid('Raptor Lake'), 186: hybrid('Raptor Lake (mobile)'), 191: hybrid('Raptor Lake-S'), // 0x97 0x9A 0xB7 0xBA 0xBF
  170: hybrid('Meteor Lake'), 172: hybrid('Meteor Lake'), 181: hybrid('Arrow Lake-U'), 197: hybrid('Arrow Lake-H'), 198: hybrid('Arrow Lake'), // 0xAA 0xAC 0xB5 0xC5 0xC6
  189: hybrid('Lunar Lake (Lion Cove P-cores)'), 204: hybrid('Panther Lake (Cougar Cove P-cores)'), // 0xBD 0xCC
  190: gracemont('Alder Lake-N (Gracemont)'), 175: gracemont('Sierra Forest (Crestmont)'), 182: gracemont('Grand Ridge (Crestmont)'), // 0xBE 0xAF 0xB6
  221: { core: 'Clearwater Forest (Darkmont)', avx2: 'intel-ecore-4x128', source: CPU_FLOPS_TABLE['intel-ecore-4x128'].source }, // 0xDD
};

/** AMD (and Hygon) families 17h–1Ah by model range; null for families outside the tables. */
export function amdCore(family: number, model: number): CoreInfo | null {
  const inRange = (...ranges: [number, number][]): boolean => ranges.some(([lo, hi]) => model >= lo && model <= hi);
  if (family === 23 || family === 24) {
    // Family 18h is Hygon Dhyana, a Zen 1 licence.
    if (family === 24 || model < 0x30) {
      return { core: family === 24 ? 'Hygon Dhyana (Zen)' : 'Zen / Zen+', avx2: 'zen1-avx2-2x128', source: 'AMD Software Optimization Guide for Family 17h Processors (pub. 55723): four 128-bit FP pipes, two of them FMA' };
    }
    return { core: 'Zen 2', avx2: 'avx2-fma-2x256', source: 'AMD Software Optimization Guide for Family 17h Models 30h and Greater (pub. 56305): 256-bit FP datapaths, two FMA pipes' };
  }
  if (family === 25) {
    if (inRange([0x10, 0x1f], [0x60, 0x7f], [0xa0, 0xaf])) {
      return { core: 'Zen 4', avx512: 'zen4-avx512', avx2: 'avx2-fma-2x256', source: 'AMD Software Optimization Guide for Family 19h Models 10h and Greater (pub. 57647): 512-bit ops execute as two 256-bit halves' };
    }
    return { core: 'Zen 3', avx2: 'avx2-fma-2x256', source: 'AMD Software Optimization Guide for Family 19h Models 00h–0Fh (pub. 56665): two 256-bit FMA pipes (FP0, FP1); Chips and Cheese Zen 3 FPU measurements' };
  }
  if (family === 26) {
    if (inRange([0x20, 0x2f], [0x60, 0x6f])) return { core: 'Zen 5 (mobile: Strix/Krackan Point)', avx512: 'zen5-mobile-avx512', avx2: 'avx2-fma-2x256', source: CPU_FLOPS_TABLE['zen5-mobile-avx512'].source };
    return { core: 'Zen 5', avx512: 'zen5-avx512', avx2: 'avx2-fma-2x256', source: 'AMD Software Optimization Guide for Family 1Ah (pub. 58455): four 512-bit FP pipes, two FMA; numberworld.org Zen 5 AVX-512 teardown' };
  }
  return null;
}

type Vendor = 'amd' | 'intel' | 'apple' | 'other';

function vendorOf(name: string): Vendor {
  const s = name.toLowerCase();
  if (/\bamd\b|authenticamd|hygon/.test(s)) return 'amd';
  if (/intel|genuineintel/.test(s)) return 'intel';
  if (/apple/.test(s)) return 'apple';
  return 'other';
}

/** Intel AVX-512 parts whose FMA-unit count depends on the SKU (Skylake-SP..Cooper Lake, unknown models): decided from the name. */
function intelAvx512BySku(name: string): CpuSelection {
  const T = CPU_FLOPS_TABLE;
  if (/platinum|gold\s*6\d/i.test(name)) return { entry: T['intel-avx512-2fma'], assumptions: [] };
  if (/bronze|silver|gold\s*5\d/i.test(name)) {
    return { entry: T['intel-avx512-1fma'], assumptions: ['Bronze/Silver/Gold 5xxx assumed to have one AVX-512 FMA unit (a few Gold 5xxx have two; check Intel ARK)'] };
  }
  if (/xeon/i.test(name)) {
    return { entry: T['intel-avx512-2fma'], assumptions: ["Xeon model not identified; assumed 2 AVX-512 FMA units (check Intel ARK '# of AVX-512 FMA Units'; with 1 unit the peak halves)"] };
  }
  return { entry: T['intel-avx512-1fma'], assumptions: ['client Intel AVX-512 part assumed to have one 512-bit FMA unit'] };
}

/**
 * Picks the FLOPs/cycle entry for a CPU. The ISA level comes from the flags the OS shows (a
 * hypervisor may mask AVX-512, and code cannot use what is masked); the entry for that level from
 * the CPUID family/model tables (INTEL_FAMILY6, amdCore) where they know the core, else from the
 * vendor and model name.
 */
export function selectCpuEntry(cpu: HardwareReport['cpu'], ctx?: CpuContext): CpuSelection {
  const has = (flag: string): boolean => cpu.isa.includes(flag);
  // The first source that names a vendor wins (CPUID vendor, then the report's vendor, then the name).
  const vendor = [ctx?.vendor ?? '', cpu.vendor, cpu.model].map((v) => vendorOf(v)).find((v) => v !== 'other') ?? 'other';
  const family = ctx?.family ?? null;
  const model = ctx?.model ?? null;
  const T = CPU_FLOPS_TABLE;

  if (has('asimd') || has('neon')) {
    if (vendor === 'apple') return { entry: T['apple-neon'], assumptions: /\bM1\b/.test(cpu.model) ? [] : ['M2-M4 P-cores assumed as wide as M1 (unverified)'] };
    return { entry: null, assumptions: [], reason: 'no FLOPs/cycle table entry for non-Apple Arm cores' };
  }
  const level = has('avx512f') ? 'avx512' : has('avx2') && has('fma') ? 'avx2' : has('avx') ? 'avx' : null;
  if (level === null) return { entry: null, assumptions: [], reason: 'no vector ISA with a FLOPs/cycle table entry (needs AVX, AVX2+FMA, AVX-512 or Apple NEON)' };
  if (vendor === 'amd' && family !== null && family < 23) {
    return { entry: null, assumptions: [], reason: `pre-Zen AMD family ${family} shares FPUs between cores; no table entry` };
  }

  const info = family === null || model === null ? null
    : vendor === 'intel' && family === 6 ? INTEL_FAMILY6[model] ?? null
      : vendor === 'amd' ? amdCore(family, model) : null;
  if (info) {
    const choice = level === 'avx512' ? info.avx512 ?? info.avx2 : level === 'avx2' ? info.avx2 : info.avx;
    const known = { core: info.core, coreSource: info.source };
    if (choice === 'by-sku') return { ...intelAvx512BySku(cpu.model), ...known };
    if (choice) return { entry: T[choice], assumptions: [], ...known };
  }

  // Family/model not in the tables: flags, vendor and name decide.
  if (level === 'avx512') {
    if (vendor === 'amd') {
      if (family !== null && family > 26) {
        return { entry: T['zen5-avx512'], assumptions: [`AMD family ${family} is newer than the tables; assumed Zen 5's two 512-bit FMA pipes`] };
      }
      if (family === 26) {
        const mobile = /ryzen ai/i.test(cpu.model);
        return mobile ? { entry: T['zen5-mobile-avx512'], assumptions: ['"Ryzen AI" name taken as mobile Zen 5 (256-bit datapath)'] } : { entry: T['zen5-avx512'], assumptions: [] };
      }
      return {
        entry: T['zen4-avx512'],
        assumptions: [`AMD family ${family ?? 'unknown'} with AVX-512 not identified; assumed one 512-bit FMA per cycle (Zen 4 rate), which is conservative`],
      };
    }
    if (vendor === 'intel') return intelAvx512BySku(cpu.model);
    return { entry: T['intel-avx512-1fma'], assumptions: ['unknown vendor with AVX-512; assumed one 512-bit FMA unit (conservative)'] };
  }
  if (level === 'avx2') {
    // Zen 1/Zen+ are family 0x17 models below 0x30; Zen 2 starts at model 0x30 (amdCore covers both when the model is known).
    if (vendor === 'amd' && family === 23 && model !== null && model < 0x30) return { entry: T['zen1-avx2-2x128'], assumptions: [] };
    return { entry: T['avx2-fma-2x256'], assumptions: [] };
  }
  return { entry: T['avx-no-fma'], assumptions: [] };
}

function fmtGHz(ghz: number): string {
  return `${Number(ghz.toFixed(3))} GHz`;
}

/** A measured clock must beat the OS's by this factor to replace it (timing noise is about 1 %). */
const MEASURED_MARGIN = 1.02;

/**
 * The clock a CPU peak uses: the OS's `maxGHz`, else its `baseGHz`, unless the measured all-core
 * clock (`cpu.measuredClock`, a dependent-add chain on every logical CPU) is higher: a core that
 * demonstrably ticks faster than the OS says would otherwise get a peak below what it does. A
 * measured clock below the OS's does not lower the peak (a busy machine measures low). Null when
 * neither is known.
 */
export function peakClock(cpu: HardwareReport['cpu'], ctx?: CpuContext): { ghz: number; label: string; source: 'os' | 'measured' } | null {
  const os = cpu.maxGHz ?? cpu.baseGHz;
  const osKind = cpu.maxGHz !== null ? 'max clock; all-core vector clocks are usually lower' : 'base clock';
  const osLabel = ctx?.clockSource ? `${osKind}, ${ctx.clockSource}` : osKind;
  const m = cpu.measuredClock;
  const measured = m && m.ghz > 0 ? m.ghz : null;
  const osValid = os !== null && os > 0 ? os : null;
  if (measured !== null && (osValid === null || measured > osValid * MEASURED_MARGIN)) {
    const why = osValid === null ? 'the OS reports no clock' : `above the OS's ${fmtGHz(osValid)} (${osLabel})`;
    return { ghz: measured, label: `measured all-core clock: ${m!.method} on ${m!.threads} threads; ${why}`, source: 'measured' };
  }
  return osValid === null ? null : { ghz: osValid, label: osLabel, source: 'os' };
}

/**
 * Theoretical CPU peaks. Clock: see `peakClock` (the OS's max, else base clock, or the measured
 * all-core clock where that is higher or the only one); with no clock there is no peak at all (a
 * clock is never invented). bf16/int8/fp16 appear only where the ISA has a dedicated instruction,
 * and their basis says they are derived.
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

  const chosen = peakClock(cpu, family);
  if (chosen === null) {
    warnings.push(`CPU clock unknown: no CPU peak computed (would be cores × clock × ${entry.fp32} fp32 FLOP/cycle for ${entry.isa}).`);
    return { peaks: [], warnings };
  }
  const { ghz: clock, label: clockLabel } = chosen;

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
  const base = `${sel.core ? `${sel.core}: ` : ''}${entry.isa}; source: ${entry.source}${sel.coreSource && sel.coreSource !== entry.source ? `; core mapping: ${sel.coreSource}` : ''}`;
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
