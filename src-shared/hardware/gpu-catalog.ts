/**
 * GPU catalog: DENSE theoretical peaks, memory, bandwidth and power of common GPUs, each with its
 * source and how well it was verified; `findGpu` maps a detected model string to an entry (or null
 * when unsure) and `gpuPeaks` turns an entry into `Peak`s. Pure (no Node imports): runs anywhere.
 *
 * Rules: dense numbers only. NVIDIA datasheets quote tensor rates "with sparsity" (2:4), which are
 * twice the dense rate; those are kept apart in `sparse2to4` for reference and never used as peaks.
 * GeForce tensor rates are the FP32-accumulate ones (what bf16/fp16 training uses), which are half
 * the FP16-accumulate headline. The first 14 entries copy /work/shared/reference/hardware-specs.json
 * faithfully; later entries come from the named datasheet and are not cross-checked in this repo.
 */
import type { Dtype, Peak } from '../api/types.js';

export interface GpuCatalogEntry {
  name: string;
  vendor: 'NVIDIA' | 'AMD' | 'Apple' | 'Intel';
  kind: string;
  /** TFLOP/s (int8: TOP/s), dense; null = not supported or no trustworthy figure. */
  fp64Vector: number | null;
  /** FP64 on tensor/matrix cores where it exists (A100/H100 DGEMM uses these). */
  fp64Matrix: number | null;
  fp32: number | null;
  tf32: number | null;
  fp16: number | null;
  bf16: number | null;
  fp8: number | null;
  int8: number | null;
  memGB: number | null;
  memBandwidthGBs: number | null;
  tdpW: number | null;
  /** With-sparsity figures for reference only (never reported as peaks). */
  sparse2to4?: Partial<Record<'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8', number>>;
  source: string;
  verification: string;
  notes?: string;
  /** How `findGpu` recognises the entry in a detected name (tokens, lowercase). */
  match: { all: string[]; any?: string[]; none?: string[] };
  /** Apple GPUs come in several core counts under one chip name; the name must state this count. */
  gpuCores?: number;
  /** Boards that show up as several devices (MI250X: 2 GCDs); peaks are split evenly between them. */
  logicalDevices?: number;
}

const NOT_CROSS_CHECKED = 'from datasheet, not cross-checked in this repo';
// Tokens that mark a different product sharing a desktop card's number.
const NOT_DESKTOP = ['laptop', 'mobile', 'max', 'q', 'ti', 'super', 'd'];

type Spec = Omit<GpuCatalogEntry, 'fp64Vector' | 'fp64Matrix' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8' | 'sparse2to4'> &
  Partial<Pick<GpuCatalogEntry, 'fp64Vector' | 'fp64Matrix' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8' | 'sparse2to4'>>;

function gpu(s: Spec): GpuCatalogEntry {
  return { fp64Vector: null, fp64Matrix: null, tf32: null, fp16: null, bf16: null, fp8: null, int8: null, ...s };
}

export const GPU_CATALOG: readonly GpuCatalogEntry[] = [
  // ---- from hardware-specs.json (numbers, sources and verification copied) ----------------------
  gpu({
    name: 'NVIDIA H100 SXM5 80GB', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 33.5, fp64Matrix: 66.9, fp32: 66.9, tf32: 494.7, bf16: 989.4, fp16: 989.4, fp8: 1978.9, int8: 1978.9,
    memGB: 80, memBandwidthGBs: 3350, tdpW: 700,
    sparse2to4: { tf32: 989.4, bf16: 1978.9, fp16: 1978.9, fp8: 3957.8, int8: 3957.8 },
    source: 'NVIDIA H100 datasheet (TF32 989 / BF16,FP16 1,979 / FP8,INT8 3,958 are with sparsity); dense/sparse split from glennklockwood.com/garden/processors/h100 table (FP64 33.5/66.9 matrix, FP32 66.9, TF32 494.7, FP16/BF16 989.4, FP8 1978.9, INT8 1978.9; sparse 2x); 3.35 TB/s, 700 W',
    verification: 'verified-secondary',
    notes: "glennklockwood's column headers are shifted; dense tensor TF32 = 494.7, sparse = 989.4.",
    // nvidia-smi calls the SXM5 part "NVIDIA H100 80GB HBM3"; the PCIe card says "PCIe".
    match: { all: ['h100'], any: ['sxm', 'sxm5', 'hbm3'], none: ['pcie', 'nvl'] },
  }),
  gpu({
    name: 'NVIDIA H100 PCIe 80GB', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 25.6, fp64Matrix: 51.2, fp32: 51.2, tf32: 378, bf16: 756, fp16: 756, fp8: 1513, int8: 1513,
    memGB: 80, memBandwidthGBs: 2000, tdpW: 350,
    sparse2to4: { tf32: 756, bf16: 1513, fp16: 1513, fp8: 3026, int8: 3026 },
    source: 'NVIDIA H100 PCIe product brief PB-11133-001 (350 W TDP, >2,000 GB/s; copy on manuals.plus); hmc-tech (FP32 51.22 TFLOPS, INT8 sparse 3.03 POPS); tensor values = NVIDIA datasheet (TF32 756*, BF16/FP16 1,513*, FP8/INT8 3,026* with sparsity) halved',
    verification: 'partially verified: TDP/bandwidth/FP32/INT8-sparse secondary; TF32/BF16/FP8 values recalled (unverified)',
    notes: 'Datasheet rounds FP32 to 51 and FP64 to 26; TDP range 300-350 W configurable; HBM2e.',
    match: { all: ['h100', 'pcie'], none: ['nvl'] },
  }),
  gpu({
    name: 'NVIDIA H200 SXM 141GB', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 33.5, fp64Matrix: 66.9, fp32: 66.9, tf32: 494.7, bf16: 989.4, fp16: 989.4, fp8: 1978.9, int8: 1978.9,
    memGB: 141, memBandwidthGBs: 4800, tdpW: 700,
    sparse2to4: { tf32: 989.4, bf16: 1978.9, fp16: 1978.9, fp8: 3957.8, int8: 3957.8 },
    source: 'NVIDIA H200 datasheet values via secondary copies (lzwjava.github.io, aiwiki.ai/wiki/nvidia_h200, ai-hpc.github.io): same GH100 compute as H100 SXM (FP8 3,958* / BF16 1,979* with sparsity), 141 GB HBM3e, 4.8 TB/s, 700 W',
    verification: 'verified-secondary',
    notes: 'H200 NVL (PCIe, <=600 W) has lower clocks/peaks - not in the catalog.',
    match: { all: ['h200'], none: ['nvl', 'pcie'] },
  }),
  gpu({
    name: 'NVIDIA A100 80GB SXM4', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 9.7, fp64Matrix: 19.5, fp32: 19.5, tf32: 156, bf16: 312, fp16: 312, int8: 624,
    memGB: 80, memBandwidthGBs: 2039, tdpW: 400,
    sparse2to4: { tf32: 312, bf16: 624, fp16: 624, int8: 1248 },
    source: "NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf) as tabulated by glennklockwood.com/garden/processors/A100 and upb-pc2 wiki ('156 / 312*' etc., *with sparsity); 2,039 GB/s SXM 80GB, 400 W (thundercompute spec table)",
    verification: 'verified-secondary',
    notes: 'No FP8 support.',
    match: { all: ['a100', '80gb'], any: ['sxm4', 'sxm'], none: ['pcie'] },
  }),
  gpu({
    name: 'NVIDIA L4 24GB', vendor: 'NVIDIA', kind: 'datacenter GPU (inference)',
    fp32: 30.3, tf32: 60, bf16: 121, fp16: 121, fp8: 242.5, int8: 242.5,
    memGB: 24, memBandwidthGBs: 300, tdpW: 72,
    sparse2to4: { tf32: 120, bf16: 242, fp16: 242, fp8: 485, int8: 485 },
    source: "NVIDIA L4 datasheet (TF32 120*, FP16/BF16 242*, FP8/INT8 485* with sparsity); grokipedia 'NVIDIA L4 vs L40S' confirms 72 W, 24 GB GDDR6, 300 GB/s, FP16 242 sparse, FP8/INT8 485 sparse",
    verification: 'partially verified: FP32 30.3 and TF32 120* recalled (unverified); rest verified-secondary',
    match: { all: ['l4'] },
  }),
  gpu({
    name: 'NVIDIA L40S 48GB', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp32: 91.6, tf32: 183, bf16: 362.05, fp16: 362.05, fp8: 733, int8: 733,
    memGB: 48, memBandwidthGBs: 864, tdpW: 350,
    sparse2to4: { tf32: 366, bf16: 733, fp16: 733, fp8: 1466, int8: 1466 },
    source: 'NVIDIA L40/L40S datasheet table as reproduced by mullet.se (FP32 91.6; TF32 183|366*; BF16/FP16 362.05|733*; FP8 733|1,466*; 864 GB/s; 350 W)',
    verification: 'verified-secondary (INT8 733|1,466* for L40S recalled - the copy left the L40S INT8 cell blank; unverified)',
    match: { all: ['l40s'] },
  }),
  gpu({
    name: 'NVIDIA GeForce RTX 4090', vendor: 'NVIDIA', kind: 'consumer GPU',
    fp32: 82.6, tf32: 82.6, bf16: 165.2, fp16: 165.2, fp8: 330.3, int8: 660.6,
    memGB: 24, memBandwidthGBs: 1008, tdpW: 450,
    sparse2to4: { tf32: 165.2, bf16: 330.4, fp16: 330.4, fp8: 660.6, int8: 1321.2 },
    source: 'waredb.com RTX 4090 (FP32 82.58; tensor FP16 165.15|330.30, BF16 165.15|330.30, TF32 82.58|165.15, FP8 330.30|660.60, INT8 660.60|1321.21 TOPS; 1008 GB/s); NVIDIA launch specs (82.6 TFLOPS, 450 W, 24 GB GDDR6X) via incpak/techgoing',
    verification: 'verified-secondary',
    notes: 'Tensor values use FP32 accumulate; FP16 with FP16 accumulate = 330.3 dense.',
    match: { all: ['rtx', '4090'], none: NOT_DESKTOP },
  }),
  gpu({
    name: 'NVIDIA GeForce RTX 3090', vendor: 'NVIDIA', kind: 'consumer GPU',
    fp32: 35.6, tf32: 35.6, bf16: 71, fp16: 71, int8: 284,
    memGB: 24, memBandwidthGBs: 936, tdpW: 350,
    sparse2to4: { tf32: 71, bf16: 142, fp16: 142, int8: 568 },
    source: 'Spec table (holynerdvana, Tom\'s Hardware-style): FP32 35.6, FP16 tensor 142 (285 sparse), 936 GB/s, 350 W, 24 GB GDDR6X; FP32-accumulate/TF32/INT8 rates from NVIDIA GA102 (Ampere GeForce) whitepaper (recalled)',
    verification: 'partially verified: FP32/bandwidth/TDP/FP16-acc tensor verified-secondary; TF32 35.6, BF16/FP16 (FP32 acc) 71, INT8 284 recalled (unverified)',
    notes: 'FP16 tensor with FP16 accumulate = 142 dense / 284 sparse. No FP8.',
    match: { all: ['rtx', '3090'], none: NOT_DESKTOP },
  }),
  gpu({
    name: 'NVIDIA Tesla V100 SXM2 (16/32GB)', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 7.8, fp32: 15.7, fp16: 125,
    memGB: 32, memBandwidthGBs: 900, tdpW: 300,
    source: 'NVIDIA V100 datasheet: FP64 7.8, FP32 15.7, Tensor 125 TFLOPS (SXM2), 900 GB/s, 300 W (FP64/FP32/125 confirmed by grokipedia mirror; launch table in techrival/xenon gives pre-launch 15/7.5/120)',
    verification: 'partially verified: 7.8/15.7/125 verified-secondary; 900 GB/s, 300 W recalled (unverified)',
    notes: 'Tensor cores: FP16 multiply only; no TF32/BF16/FP8/INT8 tensor. mem_gb = 32 GB SKU (16 GB also exists).',
    match: { all: ['v100'], any: ['sxm2', 'sxm'], none: ['pcie', 'v100s'] },
  }),
  gpu({
    name: 'AMD Instinct MI300X', vendor: 'AMD', kind: 'datacenter GPU',
    fp64Vector: 81.7, fp64Matrix: 163.4, fp32: 163.4, tf32: 653.7, bf16: 1307.4, fp16: 1307.4, fp8: 2614.9, int8: 2614.9,
    memGB: 192, memBandwidthGBs: 5300, tdpW: 750,
    sparse2to4: { tf32: 1307.4, bf16: 2614.9, fp16: 2614.9, fp8: 5229.8, int8: 5229.8 },
    source: 'AMD MI300X datasheet values (FP32 vector/matrix 163.4; TF32 653.7; FP16/BF16 1,307.4; FP8 2,614.9; INT8 2,614.9 TOPS; sparsity doubles); secondary confirmation of 192 GB HBM3, 5.3 TB/s, 750 W, ~1.3 PF FP16 and ~2.6 PF FP8 dense (jaredwatkins.com, aiwiki.ai)',
    verification: 'partially verified: memory/bandwidth/TDP and ~1.3/~2.6 PF dense verified-secondary; exact decimals recalled (unverified)',
    notes: "Some sites label 2,615 as 'FP16 dense' - that is the sparse figure.",
    match: { all: ['mi300x'] },
  }),
  gpu({
    name: 'Apple M1 (8-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 8,
    fp32: 2.6, memGB: 16, memBandwidthGBs: 68.25, tdpW: null,
    source: 'Apple M1 GPU 2.6 TFLOPS FP32 (Apple launch figure; macrumors spec thread: 1024 ALUs @ 1.278 GHz -> 2.6 TFLOPS); akunu chip table (68 GB/s); 68.25 GB/s = LPDDR4X-4266 x 128-bit (derived)',
    verification: 'verified-secondary (FP32, bandwidth); mem_gb = max config',
    notes: 'FP16 rate on M1/M2 unverified (no 2x FP16 ALU rate per metal-benchmarks), left null.',
    match: { all: ['apple', 'm1'], none: ['pro', 'max', 'ultra'] },
  }),
  gpu({
    name: 'Apple M2 (10-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 10,
    fp32: 3.6, memGB: 24, memBandwidthGBs: 100, tdpW: null,
    source: 'Apple M2 launch: 3.6 TFLOPS GPU, 100 GB/s (macrumors spec thread: 1280 ALUs @ ~1.40 GHz -> 3.55 TFLOPS; LPDDR5-6400 128-bit = 102.4 GB/s, Apple quotes 100 GB/s)',
    verification: 'verified-secondary',
    match: { all: ['apple', 'm2'], none: ['pro', 'max', 'ultra'] },
  }),
  gpu({
    name: 'Apple M3 (10-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 10,
    fp32: null, memGB: 24, memBandwidthGBs: 100, tdpW: null,
    source: 'Apple M3 tech specs: 100 GB/s memory bandwidth (recalled). Apple does not publish GPU TFLOPS for M3; third-party estimates ~3.5-4.1 TFLOPS FP32 (1280 ALUs x 2 x clock)',
    verification: 'unverified',
    notes: 'fp32 left null: no vendor figure.',
    match: { all: ['apple', 'm3'], none: ['pro', 'max', 'ultra'] },
  }),
  gpu({
    name: 'Apple M4 (10-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 10,
    fp32: null, memGB: 32, memBandwidthGBs: 120, tdpW: null,
    source: 'Apple M4 tech specs: 120 GB/s memory bandwidth (recalled). Apple does not publish GPU TFLOPS for M4; third-party estimates ~4.3 TFLOPS FP32',
    verification: 'unverified',
    notes: 'fp32 left null: no vendor figure.',
    match: { all: ['apple', 'm4'], none: ['pro', 'max', 'ultra'] },
  }),

  // ---- added here: named datasheet, not cross-checked in this repo -----------------------------
  gpu({
    name: 'NVIDIA A100 40GB SXM4', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 9.7, fp64Matrix: 19.5, fp32: 19.5, tf32: 156, bf16: 312, fp16: 312, int8: 624,
    memGB: 40, memBandwidthGBs: 1555, tdpW: 400,
    sparse2to4: { tf32: 312, bf16: 624, fp16: 624, int8: 1248 },
    source: 'NVIDIA A100 datasheet (same peaks as 80GB; 40 GB HBM2, 1,555 GB/s per hardware-specs.json A100 note; 400 W SXM)',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['a100', '40gb'], any: ['sxm4', 'sxm'], none: ['pcie'] },
  }),
  gpu({
    name: 'NVIDIA A100 40GB PCIe', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 9.7, fp64Matrix: 19.5, fp32: 19.5, tf32: 156, bf16: 312, fp16: 312, int8: 624,
    memGB: 40, memBandwidthGBs: 1555, tdpW: 250,
    sparse2to4: { tf32: 312, bf16: 624, fp16: 624, int8: 1248 },
    source: 'NVIDIA A100 datasheet (PCIe 40GB: same peaks, 1,555 GB/s, 250 W)',
    verification: NOT_CROSS_CHECKED,
    notes: 'Peaks are at boost clock; the 250 W PCIe card sustains less under long tensor loads.',
    match: { all: ['a100', '40gb', 'pcie'] },
  }),
  gpu({
    name: 'NVIDIA A100 80GB PCIe', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 9.7, fp64Matrix: 19.5, fp32: 19.5, tf32: 156, bf16: 312, fp16: 312, int8: 624,
    memGB: 80, memBandwidthGBs: 1935, tdpW: 300,
    sparse2to4: { tf32: 312, bf16: 624, fp16: 624, int8: 1248 },
    source: "NVIDIA A100 datasheet; 1,935 GB/s and 300 W per hardware-specs.json A100 note ('A100 80GB PCIe: 1,935 GB/s, 300 W, same peaks')",
    verification: NOT_CROSS_CHECKED,
    match: { all: ['a100', '80gb', 'pcie'] },
  }),
  gpu({
    name: 'NVIDIA A10 24GB', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp32: 31.2, tf32: 62.5, bf16: 125, fp16: 125, int8: 250,
    memGB: 24, memBandwidthGBs: 600, tdpW: 150,
    sparse2to4: { tf32: 125, bf16: 250, fp16: 250, int8: 500 },
    source: 'NVIDIA A10 Tensor Core GPU datasheet (FP32 31.2; TF32 62.5|125*; BF16/FP16 125|250*; INT8 250|500*; 24 GB GDDR6, 600 GB/s, 150 W; *with sparsity)',
    verification: NOT_CROSS_CHECKED,
    notes: 'AWS A10G is a different part (different clocks); it does not match this entry.',
    match: { all: ['a10'] },
  }),
  gpu({
    name: 'NVIDIA T4 16GB', vendor: 'NVIDIA', kind: 'datacenter GPU (inference)',
    fp32: 8.1, fp16: 65, int8: 130,
    memGB: 16, memBandwidthGBs: 320, tdpW: 70,
    source: 'NVIDIA T4 Tensor Core GPU datasheet (FP32 8.1; mixed-precision FP16/FP32 65; INT8 130 TOPS; 16 GB GDDR6, 320 GB/s, 70 W); Turing has no sparsity, so these are dense',
    verification: NOT_CROSS_CHECKED,
    notes: 'No TF32/BF16/FP8 tensor support on Turing.',
    match: { all: ['t4'] },
  }),
  gpu({
    name: 'NVIDIA B200 (HGX, 1000 W)', vendor: 'NVIDIA', kind: 'datacenter GPU',
    fp64Vector: 37, fp64Matrix: 37, fp32: 75, tf32: 1100, bf16: 2250, fp16: 2250, fp8: 4500, int8: 4500,
    memGB: 180, memBandwidthGBs: 7700, tdpW: 1000,
    sparse2to4: { tf32: 2200, bf16: 4500, fp16: 4500, fp8: 9000, int8: 9000 },
    source: 'NVIDIA HGX B200 datasheet, per-GPU column (FP8 9 PF*, FP16/BF16 4.5 PF*, TF32 2.2 PF*, INT8 9 POPS*, FP32 75 TF, FP64/FP64 tensor 37 TF, 180 GB HBM3E, 7.7 TB/s, 1,000 W; *with sparsity) halved; dense split matches glennklockwood.com/garden/processors/B200 HGX table',
    verification: NOT_CROSS_CHECKED,
    notes: 'GB200 (1,200 W) runs higher clocks: FP16/BF16 2.5 PF dense; not in the catalog.',
    match: { all: ['b200'] },
  }),
  gpu({
    name: 'NVIDIA GeForce RTX 5090', vendor: 'NVIDIA', kind: 'consumer GPU',
    fp32: 104.8, tf32: 104.8, bf16: 209.5, fp16: 209.5, fp8: 419, int8: 838,
    memGB: 32, memBandwidthGBs: 1792, tdpW: 575,
    sparse2to4: { tf32: 209.5, bf16: 419, fp16: 419, fp8: 838, int8: 1676 },
    source: 'NVIDIA RTX Blackwell GPU architecture whitepaper / RTX 5090 specs (FP32 104.8; FP16 tensor 838* with FP16 accumulate; 3,352 AI TOPS = FP4*; 32 GB GDDR7, 1,792 GB/s, 575 W; *with sparsity); dense = half, FP32-accumulate = half of FP16-accumulate as on Ada GeForce',
    verification: `${NOT_CROSS_CHECKED}; tensor FP32-accumulate rates derived (unverified)`,
    match: { all: ['rtx', '5090'], none: NOT_DESKTOP },
  }),
  gpu({
    name: 'NVIDIA GeForce RTX 4080', vendor: 'NVIDIA', kind: 'consumer GPU',
    fp32: 48.7, tf32: 48.7, bf16: 97.5, fp16: 97.5, fp8: 194.9, int8: 389.9,
    memGB: 16, memBandwidthGBs: 716.8, tdpW: 320,
    sparse2to4: { tf32: 97.5, bf16: 194.9, fp16: 194.9, fp8: 389.9, int8: 779.8 },
    source: 'NVIDIA Ada Lovelace GPU architecture whitepaper, RTX 4080 16GB column (FP32 48.7; FP16/BF16 tensor w/ FP32 acc 97.5|194.9*; TF32 48.7|97.5*; FP8 194.9|389.9*; INT8 389.9|779.8*; 716.8 GB/s, 320 W)',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['rtx', '4080'], none: NOT_DESKTOP },
  }),
  gpu({
    name: 'NVIDIA GeForce RTX 4070', vendor: 'NVIDIA', kind: 'consumer GPU',
    fp32: 29.1, tf32: 29.1, bf16: 58.3, fp16: 58.3, fp8: 116.6, int8: 233.2,
    memGB: 12, memBandwidthGBs: 504, tdpW: 200,
    source: 'NVIDIA RTX 4070 specs (5,888 CUDA cores, 2.475 GHz boost, 12 GB GDDR6X, 504 GB/s, 200 W); tensor rates derived as 46 SMs × 2.475 GHz × Ada per-SM rate from the Ada whitepaper (512 FP16 FLOP/clk w/ FP32 acc)',
    verification: `${NOT_CROSS_CHECKED}; tensor rates derived (unverified)`,
    match: { all: ['rtx', '4070'], none: NOT_DESKTOP },
  }),
  gpu({
    name: 'NVIDIA GeForce RTX 3080 (10GB)', vendor: 'NVIDIA', kind: 'consumer GPU',
    fp32: 29.8, tf32: 29.8, bf16: 59.5, fp16: 59.5, int8: 238,
    memGB: 10, memBandwidthGBs: 760, tdpW: 320,
    sparse2to4: { tf32: 59.5, bf16: 119, fp16: 119, int8: 476 },
    source: 'NVIDIA Ampere GA102 GPU architecture whitepaper, RTX 3080 column (FP32 29.8; FP16 tensor w/ FP32 acc 59.5|119*; TF32 29.8|59.5*; INT8 238|476*; 760 GB/s, 320 W)',
    verification: NOT_CROSS_CHECKED,
    notes: 'The 12 GB variant has more SMs and 912 GB/s; it does not match this entry.',
    match: { all: ['rtx', '3080'], none: [...NOT_DESKTOP, '12gb'] },
  }),
  gpu({
    name: 'NVIDIA GeForce RTX 3060 (12GB)', vendor: 'NVIDIA', kind: 'consumer GPU',
    fp32: 12.7, tf32: 12.7, bf16: 25.5, fp16: 25.5, int8: 101.9,
    memGB: 12, memBandwidthGBs: 360, tdpW: 170,
    source: 'NVIDIA RTX 3060 specs (3,584 CUDA cores, 1.777 GHz boost, 12 GB GDDR6, 360 GB/s, 170 W); tensor rates derived as 28 SMs × 1.777 GHz × GA10x per-SM rate from the GA102 whitepaper',
    verification: `${NOT_CROSS_CHECKED}; tensor rates derived (unverified)`,
    match: { all: ['rtx', '3060'], none: [...NOT_DESKTOP, '8gb'] },
  }),
  gpu({
    name: 'AMD Instinct MI250X', vendor: 'AMD', kind: 'datacenter GPU', logicalDevices: 2,
    fp64Vector: 47.9, fp64Matrix: 95.7, fp32: 95.7, bf16: 383, fp16: 383, int8: 383,
    memGB: 128, memBandwidthGBs: 3276.8, tdpW: 560,
    source: 'AMD Instinct MI250X datasheet (FP64/FP32 vector 47.9, FP64/FP32 matrix 95.7, packed FP32 95.7, FP16/BF16 383, INT8 383 TOPS; 128 GB HBM2e, 3.2 TB/s, 560 W); CDNA2 has no sparsity',
    verification: NOT_CROSS_CHECKED,
    notes: 'fp32 = matrix/packed rate (plain vector FP32 is 47.9). Each board is 2 GCDs seen as 2 devices; per-device peaks are half.',
    match: { all: ['mi250x'] },
  }),
  gpu({
    name: 'AMD Radeon RX 7900 XTX', vendor: 'AMD', kind: 'consumer GPU',
    fp32: 61.4, fp16: 122.8, bf16: 122.8,
    memGB: 24, memBandwidthGBs: 960, tdpW: 355,
    source: 'AMD Radeon RX 7900 XTX product specifications (peak single precision 61.4 TFLOPs, peak half precision 122.8 TFLOPs; 24 GB GDDR6, 960 GB/s, 355 W); bf16 via WMMA at the FP16 rate',
    verification: `${NOT_CROSS_CHECKED}; bf16 = FP16 rate assumed`,
    notes: 'FP32 61.4 needs RDNA3 dual-issue; single-issue FP32 is 30.7. INT8 WMMA rate not sourced, left null.',
    // lspci says "Radeon RX 7900 XT/7900 XTX" for both cards: the 'xt' token makes that ambiguous.
    match: { all: ['7900', 'xtx'], none: ['xt'] },
  }),
  gpu({
    name: 'Intel Arc A770 16GB', vendor: 'Intel', kind: 'consumer GPU',
    fp32: 17.2, fp16: 137.6, bf16: 137.6, int8: 275.2,
    memGB: 16, memBandwidthGBs: 560, tdpW: 225,
    source: 'Intel Arc A770 specifications (32 Xe-cores, 512 XMX engines, 2.1 GHz graphics clock, 16 GB GDDR6, 560 GB/s, 225 W TBP); FP32 = 4,096 ALUs × 2 × 2.1 GHz; XMX rates = 512 engines × 2.1 GHz × 128 FP16 / 256 INT8 ops per clock (recalled)',
    verification: `${NOT_CROSS_CHECKED}; XMX rates recalled (unverified)`,
    notes: 'The 8 GB card has the same peaks but 512 GB/s.',
    match: { all: ['arc', 'a770'] },
  }),
  gpu({
    name: 'Apple M1 Pro (16-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 16,
    fp32: 5.2, memGB: 32, memBandwidthGBs: 200, tdpW: null,
    source: 'Apple M1 Pro/M1 Max announcement (Oct 2021): 16-core GPU, 200 GB/s, up to 32 GB; 5.2 TFLOPS = 2 × the M1 Max 32-core 10.4 TFLOPS per core (recalled)',
    verification: `${NOT_CROSS_CHECKED}; fp32 recalled`,
    match: { all: ['apple', 'm1', 'pro'] },
  }),
  gpu({
    name: 'Apple M1 Max (32-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 32,
    fp32: 10.4, memGB: 64, memBandwidthGBs: 400, tdpW: null,
    source: 'Apple M1 Pro/M1 Max announcement (Oct 2021): 32-core GPU, 10.4 TFLOPS, 400 GB/s, up to 64 GB',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['apple', 'm1', 'max'] },
  }),
  gpu({
    name: 'Apple M2 Pro (19-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 19,
    fp32: null, memGB: 32, memBandwidthGBs: 200, tdpW: null,
    source: 'Apple M2 Pro tech specs (Jan 2023): 19-core GPU, 200 GB/s, up to 32 GB; Apple publishes no TFLOPS figure',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['apple', 'm2', 'pro'] },
  }),
  gpu({
    name: 'Apple M2 Max (38-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 38,
    fp32: null, memGB: 96, memBandwidthGBs: 400, tdpW: null,
    source: 'Apple M2 Max tech specs (Jan 2023): 38-core GPU, 400 GB/s, up to 96 GB; Apple publishes no TFLOPS figure',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['apple', 'm2', 'max'] },
  }),
  gpu({
    name: 'Apple M3 Pro (18-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 18,
    fp32: null, memGB: 36, memBandwidthGBs: 150, tdpW: null,
    source: 'Apple M3 Pro tech specs (Oct 2023): 18-core GPU, 150 GB/s, up to 36 GB; no TFLOPS figure',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['apple', 'm3', 'pro'] },
  }),
  gpu({
    name: 'Apple M3 Max (40-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 40,
    fp32: null, memGB: 128, memBandwidthGBs: 400, tdpW: null,
    source: 'Apple M3 Max tech specs (Oct 2023): 40-core GPU, 400 GB/s, up to 128 GB; no TFLOPS figure',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['apple', 'm3', 'max'] },
  }),
  gpu({
    name: 'Apple M4 Pro (20-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 20,
    fp32: null, memGB: 64, memBandwidthGBs: 273, tdpW: null,
    source: 'Apple M4 Pro tech specs (Oct 2024): 20-core GPU, 273 GB/s, up to 64 GB; no TFLOPS figure',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['apple', 'm4', 'pro'] },
  }),
  gpu({
    name: 'Apple M4 Max (40-core GPU)', vendor: 'Apple', kind: 'SoC GPU (unified memory)', gpuCores: 40,
    fp32: null, memGB: 128, memBandwidthGBs: 546, tdpW: null,
    source: 'Apple M4 Max tech specs (Oct 2024): 40-core GPU, 546 GB/s, up to 128 GB; no TFLOPS figure',
    verification: NOT_CROSS_CHECKED,
    match: { all: ['apple', 'm4', 'max'] },
  }),
];

/** Lowercase alphanumeric tokens: "NVIDIA A100-SXM4-80GB" → ["nvidia","a100","sxm4","80gb"]. */
function tokens(name: string): string[] {
  return name.toLowerCase().replace(/\(r\)|\(tm\)|®|™/g, ' ').split(/[^a-z0-9]+/).filter(Boolean);
}

/** A stated GPU core count such as "(16-core GPU)" or "16 core". */
function statedCores(name: string): number | null {
  const m = /(\d+)[\s-]*core/i.exec(name);
  return m?.[1] ? Number(m[1]) : null;
}

/**
 * Finds the catalog entry for a detected GPU name, or null when no entry matches or the match is
 * ambiguous: a wrong peak is worse than none. Apple entries also need the stated GPU core count.
 */
export function findGpu(name: string): GpuCatalogEntry | null {
  const t = new Set(tokens(name));
  const cores = statedCores(name);
  const hits = GPU_CATALOG.filter((e) => {
    const { all, any, none } = e.match;
    if (!all.every((x) => t.has(x))) return false;
    if (any && !any.some((x) => t.has(x))) return false;
    if (none?.some((x) => t.has(x))) return false;
    if (e.gpuCores !== undefined && cores !== e.gpuCores) return false;
    return true;
  });
  if (hits.length === 1) return hits[0] ?? null;
  // Prefer the single most specific match; otherwise refuse to guess.
  const spec = (e: GpuCatalogEntry): number => e.match.all.length + (e.match.any ? 1 : 0);
  const best = Math.max(...hits.map(spec));
  const top = hits.filter((e) => spec(e) === best);
  return top.length === 1 ? (top[0] ?? null) : null;
}

const GPU_DTYPES: ReadonlyArray<Exclude<Dtype, 'fp64'>> = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8'];

/** Dense theoretical peaks of one device from its catalog entry. */
export function gpuPeaks(deviceIndex: number, entry: GpuCatalogEntry): Peak[] {
  const device = `gpu:${deviceIndex}`;
  const split = entry.logicalDevices ?? 1;
  const splitNote = split > 1 ? `; board figure ÷ ${split} because each board appears as ${split} devices` : '';
  const cite = `dense, from catalog entry ${entry.name}${splitNote}; source: ${entry.source}; verification: ${entry.verification}`;
  const peaks: Peak[] = [];
  const push = (dtype: Dtype, tflops: number | null, what: string): void => {
    if (tflops === null || !(tflops > 0)) return;
    peaks.push({ device, dtype, gflops: Math.round((tflops * 1000) / split * 1000) / 1000, basis: `${tflops} ${dtype === 'int8' ? 'TOP/s' : 'TFLOP/s'}${what} (${cite})` });
  };
  if (entry.fp64Matrix !== null) push('fp64', entry.fp64Matrix, ' FP64 tensor/matrix');
  else push('fp64', entry.fp64Vector, ' FP64 vector');
  for (const d of GPU_DTYPES) push(d, entry[d], '');
  return peaks;
}
