/**
 * Public JSON shapes of the Benchmarks capability (runs anywhere). The CPU kernels live in
 * src-main/services/bench, the WebGPU kernels in src-shared/gpu, the roofline maths in
 * src-shared/bench; this module is what the API, the CLI's --json and the renderer agree on.
 */
import { z } from 'zod';
import type { GpuBenchResult } from '../gpu/run-gpu-bench.js';
import type { JobInfo } from './types.js';
import type { Roofline } from '../bench/roofline.js';
import type { Calibration } from '../bench/calibration.js';
import type { BenchEnergyEfficiency, EnergyReport } from '../energy/types.js';
import { lazyMethods, lazySchema } from './lazy-schema.js';

export type { GpuBenchResult } from '../gpu/run-gpu-bench.js';
export type { Roofline, Ceiling, Ridge } from '../bench/roofline.js';
export type { Calibration, ConvShapePoint, GemmShapePoint } from '../bench/calibration.js';

export type GemmDtype = 'fp32' | 'fp16' | 'int8';

export interface GemmPoint {
  dtype: GemmDtype;
  m: number;
  n: number;
  k: number;
  threads: number;
  /** From the median time per product; int8 counts 2 ops per multiply-accumulate, like FLOPs. */
  gflops: number;
  /** Seconds per single m×n×k product (the graph runs several and the time is divided). */
  medianSeconds: number;
  bestSeconds: number;
  /** Timed graph runs. */
  repeats: number;
}

export interface GemmResult {
  results: GemmPoint[];
  /** Highest `gflops` per dtype over all sizes and thread counts. */
  best: Partial<Record<GemmDtype, number>>;
  unsupported: { dtype: GemmDtype; reason: string }[];
}

export type MemoryLevelName = 'L1' | 'L2' | 'L3' | 'DRAM';

export interface BandwidthLevel {
  name: MemoryLevelName;
  /** Capacity the level was bounded by (total bytes across threads). */
  bytes: number;
  GBs: number;
}

export interface MemoryResult {
  threads: number;
  /** Bytes per STREAM array (three arrays are allocated). */
  arrayBytes: number;
  copyGBs: number;
  scaleGBs: number;
  addGBs: number;
  triadGBs: number;
  levels: BandwidthLevel[];
  /** Read bandwidth against total working-set size (all threads together). */
  sweep: { bytes: number; GBs: number }[];
  /** The same sweep with one thread reading (runs with more than one thread; absent in older runs). */
  singleThreadSweep?: { bytes: number; GBs: number }[];
}

export interface LatencyResult {
  points: { bytes: number; ns: number }[];
  levels: { name: MemoryLevelName; bytes: number; ns: number }[];
}

export const BENCH_SUITES = ['gemm', 'memory', 'latency', 'gpu', 'all'] as const;
export type BenchSuite = (typeof BENCH_SUITES)[number];

/** What `bench.start` stores and returns; `all` fills every part, a single suite only its own. */
export interface BenchResult {
  suite: BenchSuite;
  quick: boolean;
  threads: number;
  gemm?: GemmResult;
  memory?: MemoryResult;
  latency?: LatencyResult;
  gpu?: GpuBenchResult;
  /** The cost model's calibration (fp32 MatMul / Conv per shape, per-kernel overhead): the `gemm` and `all` suites. */
  calibration?: Calibration;
  roofline?: Roofline;
  /** Sanity checks: figures above the theoretical peak, or implausibly low, and other caveats. */
  warnings: string[];
  elapsedSeconds: number;
  /** Power sampled while the suite ran (measured where the platform exposes it, else a labelled estimate). */
  energy?: EnergyReport;
  /** GFLOP/J and GB/J from `energy`'s phases and the measured rates. */
  energyEfficiency?: BenchEnergyEfficiency;
}

const finite = lazySchema(() => z.number().finite());
const gpuResultSchema = lazySchema(() => z.discriminatedUnion('available', [
  z.object({ available: z.literal(false), reason: z.string().max(2000), backend: z.literal('webgpu-browser') }).strict(),
  z
    .object({
      available: z.literal(true),
      backend: z.literal('webgpu-browser'),
      adapter: z.object({ vendor: z.string(), architecture: z.string(), device: z.string(), description: z.string(), software: z.boolean() }).strict(),
      gemm: z
        .array(
          z
            .object({
              dtype: z.enum(['fp32', 'fp16', 'int8']),
              kernel: z.enum(['tiled', 'naive']),
              m: z.number().int().positive(),
              n: z.number().int().positive(),
              k: z.number().int().positive(),
              gflops: finite.nonnegative(),
              medianSeconds: finite.positive(),
              maxAbsError: finite.nonnegative(),
              tolerance: finite.nonnegative(),
              checkedEntries: z.number().int().nonnegative(),
              verified: z.boolean(),
            })
            .strict(),
        )
        .max(64),
      bandwidth: z.object({ copyGBs: finite.nonnegative(), readGBs: finite.nonnegative().optional(), bytes: z.number().int().positive(), verified: z.boolean() }).strict(),
      warnings: z.array(z.string().max(2000)).max(64),
    })
    .strict(),
]));

export const benchMethods = lazyMethods({
  'bench.start': () => z
    .object({
      suite: z.enum(BENCH_SUITES),
      quick: z.boolean().optional(),
      /** Thread count for the CPU kernels; default all physical cores. */
      threads: z.number().int().min(1).max(1024).optional(),
      /**
       * A GPU result measured by the page itself (the renderer runs the WGSL kernels through its
       * own navigator.gpu); stored with the run instead of running Dawn in the backend.
       */
      gpuFromPage: gpuResultSchema.optional(),
    })
    .strict(),
});

export type BenchStartRequest = z.output<(typeof benchMethods)['bench.start']>;

export interface BenchResults {
  'bench.start': JobInfo;
}
