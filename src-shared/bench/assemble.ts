/**
 * Assembles a benchmark run's result (pure; runs anywhere): the measured parts, the roofline
 * (measured ceilings beside the detected theoretical peaks, which the chart draws dashed) and the
 * sanity warnings, so that a figure above the theoretical peak or implausibly low is flagged
 * rather than shown as truth.
 */
import type { BenchResult, BenchSuite, GemmResult, GpuBenchResult, LatencyResult, MemoryResult } from '../api/bench.js';
import type { HardwareReport } from '../api/types.js';
import type { Calibration } from './calibration.js';
import { buildRoofline, sanity } from './roofline.js';

export interface AssembleInput {
  suite: BenchSuite;
  quick: boolean;
  threads: number;
  hardware: HardwareReport;
  gemm?: GemmResult;
  memory?: MemoryResult;
  latency?: LatencyResult;
  gpu?: GpuBenchResult;
  calibration?: Calibration;
  elapsedSeconds: number;
}

/** The CPU's theoretical peaks by dtype (GFLOP/s), scaled to the thread count actually used. */
export function cpuPeaksFor(hardware: HardwareReport, threads: number): Record<string, number> {
  const cores = Math.max(1, hardware.cpu.physicalCores);
  // A peak is cores × clock × FLOPs/cycle; with fewer threads than cores only that many cores work.
  const share = Math.min(threads, cores) / cores;
  const peaks: Record<string, number> = {};
  for (const p of hardware.peaks) if (p.device === 'cpu') peaks[p.dtype] = p.gflops * share;
  return peaks;
}

export function assembleBench(input: AssembleInput): BenchResult {
  const warnings: string[] = [];
  const theoretical = cpuPeaksFor(input.hardware, input.threads);
  const result: BenchResult = {
    suite: input.suite,
    quick: input.quick,
    threads: input.threads,
    warnings,
    elapsedSeconds: input.elapsedSeconds,
  };

  if (input.gemm) {
    result.gemm = input.gemm;
    for (const [dtype, gflops] of Object.entries(input.gemm.best)) {
      const peak = theoretical[dtype];
      const warning = peak ? sanity(gflops, peak, `${dtype} GEMM`) : null;
      if (warning) warnings.push(warning);
    }
    for (const u of input.gemm.unsupported) warnings.push(`${u.dtype} GEMM not measured: ${u.reason}`);
  }
  if (input.calibration) result.calibration = input.calibration;
  if (input.memory) result.memory = input.memory;
  if (input.latency) result.latency = input.latency;
  if (input.gpu) {
    result.gpu = input.gpu;
    if (input.gpu.available) {
      const a = input.gpu.adapter;
      const name = a.description || a.device || [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unnamed';
      if (a.software) warnings.push(`The WebGPU adapter "${name}" is a software (CPU) implementation: its GPU numbers say nothing about a GPU.`);
      for (const g of input.gpu.gemm) if (!g.verified) warnings.push(`GPU ${g.kernel} ${g.dtype} GEMM ${g.m}×${g.n}×${g.k} failed verification against the CPU (max error ${g.maxAbsError.toExponential(2)}); its speed is not trustworthy.`);
      warnings.push(...input.gpu.warnings);
    }
  }

  if (input.gemm || input.memory) {
    const measuredBandwidth: Record<string, number> = {};
    for (const level of input.memory?.levels ?? []) measuredBandwidth[level.name] = level.GBs;
    // DRAM is what STREAM's triad measures (arrays ≫ LLC), counted as STREAM counts bytes.
    if (input.memory && input.memory.triadGBs > 0) measuredBandwidth.DRAM = input.memory.triadGBs;
    result.roofline = buildRoofline(
      {
        measuredCompute: input.gemm ? { ...input.gemm.best } : {},
        measuredBandwidth,
        theoreticalCompute: theoretical,
        how: {
          measuredCompute: `ONNX Runtime MatMul (int8: MatMulInteger), best median over sizes at ${input.threads} thread(s)`,
          measuredBandwidth: 'L1–L3: read-bandwidth sweep plateau inside each cache size; DRAM: STREAM triad on arrays ≥ 4× LLC (capped)',
          theoreticalCompute: `cores × clock × FLOPs/cycle (see Hardware), scaled to ${input.threads} thread(s)`,
        },
      },
      { dtype: 'fp32', level: 'DRAM' },
    );
  }
  return result;
}
