/**
 * This machine's measured device, read back from the store. Two views of its newest benchmark run,
 * made of the same figures (the best GEMM per format and STREAM triad):
 * - latestDeviceModel: the cost model's device (src-shared/profiler/cost-model.ts), with the
 *   per-shape calibration and the bandwidth sweep, refined by this machine's measured profiles;
 *   every prediction of time on this machine uses it: the profiler and its quantization what-if,
 *   the attention lab's kernels (`kernelMs`) and the planner's "this machine" (training-size products).
 * - latestMeasuredDevice: the roofline (fp32/int8/fp16/bf16 compute ceilings and DRAM): the
 *   attention lab's bound and FlashAttention IO, the quantization what-if's precision ceilings and
 *   the gradient-descent lesson, whose subject is the roofline itself.
 */
import type { BenchResult } from '../../../src-shared/api/bench.js';
import type { HardwareReport } from '../../../src-shared/api/types.js';
import { deviceModelFromBench, deviceModelFromPeaks, type DeviceModel } from '../../../src-shared/profiler/cost-model.js';
import { fitRefinement } from '../../../src-shared/profiler/refine.js';
import type { PredictionCheck } from '../../../src-shared/profiler/types.js';
import type { QuantDevice } from '../../../src-shared/profiler/whatif/quantize.js';
import type { RunsRepo } from '../../store/repos/runs-repo.js';

/**
 * This machine's measured roofline from its newest benchmark run (fp32 and int8 compute ceilings,
 * DRAM bandwidth), for the quantization speed-up estimate; null when none was measured.
 */
export function latestMeasuredDevice(runs: RunsRepo, machineId: string): QuantDevice | null {
  for (const summary of runs.list({ kind: 'bench', machineId, limit: 20 })) {
    const result = runs.get(summary.id)?.result as BenchResult | undefined;
    const ceilings = result?.roofline?.ceilings.filter((c) => c.source === 'measured') ?? [];
    const fp32 = ceilings.find((c) => c.kind === 'compute' && c.name === 'fp32')?.value;
    const dram = ceilings.find((c) => c.kind === 'bandwidth' && c.name === 'DRAM')?.value;
    if (!fp32 || !dram) continue;
    const peakGflops: QuantDevice['peakGflops'] = { fp32 };
    for (const c of ceilings) if (c.kind === 'compute' && (c.name === 'int8' || c.name === 'fp16' || c.name === 'bf16')) peakGflops[c.name] = c.value;
    return { peakGflops, bandwidthGBs: dram };
  }
  return null;
}

/**
 * Sustained DRAM bandwidth assumed for predictions when the machine has no benchmark: 20 GB/s, about
 * what STREAM triad sustains on a dual-channel DDR4 desktop (McCalpin's STREAM results,
 * https://www.cs.virginia.edu/stream/). Labelled in the prediction's basis; a benchmark replaces it.
 */
export const ASSUMED_DRAM_GBS = 20;

/**
 * The cost model's device (src-shared/profiler/cost-model.ts) for this machine: its newest
 * benchmark with a GEMM and a memory part (with the per-shape calibration when that benchmark has
 * one), else its theoretical fp32 peak and an assumed bandwidth, labelled.
 */
export function latestDeviceModel(runs: RunsRepo | null, report: HardwareReport, modelName?: string): DeviceModel {
  const device = benchDeviceModel(runs, report);
  // MLAS's NCHWc convolution kernels (and so ORT's layout reorders) exist on x86-64 with AVX2 or AVX-512.
  device.nchwc = report.machine.os.arch === 'x64' && report.cpu.isa.some((f) => f === 'avx2' || f.startsWith('avx512'));
  if (runs && modelName !== undefined) device.refinement = fitRefinement(storedChecks(runs, report.machine.id), modelName);
  return device;
}

/**
 * The newest measured check of each model profiled on this machine (at most 30 models), read by
 * JSON path so no whole profile is parsed.
 */
function storedChecks(runs: RunsRepo, machineId: string): Array<{ model: string; check: PredictionCheck; applied?: Record<string, number> }> {
  const byModel = new Map<string, { model: string; check: PredictionCheck; applied?: Record<string, number> }>();
  for (const { parts } of runs.resultParts('profile', machineId, ['$.model.name', '$.check', '$.predicted.factors'], 200)) {
    const [model, check, applied] = parts as [unknown, PredictionCheck | null, Record<string, number> | null];
    if (typeof model !== 'string' || !check || !Array.isArray(check.units) || byModel.has(model)) continue;
    byModel.set(model, { model, check, ...(applied ? { applied } : {}) });
    if (byModel.size >= 30) break;
  }
  return [...byModel.values()];
}

function benchDeviceModel(runs: RunsRepo | null, report: HardwareReport): DeviceModel {
  const peak = report.peaks.find((p) => p.device === 'cpu' && p.dtype === 'fp32')?.gflops ?? report.peaks.find((p) => p.dtype === 'fp32')?.gflops ?? 100;
  for (const summary of runs?.list({ kind: 'bench', machineId: report.machine.id, limit: 20 }) ?? []) {
    const run = runs!.get(summary.id);
    const result = run?.result as BenchResult | undefined;
    if (!result?.gemm?.best.fp32 || !result.memory) continue;
    return deviceModelFromBench(result, `benchmark run ${summary.id} of this machine (${summary.createdAt.slice(0, 10)}, ${result.threads} threads)`, { computeGflops: peak, dramGBs: ASSUMED_DRAM_GBS });
  }
  return deviceModelFromPeaks(peak, ASSUMED_DRAM_GBS, `theoretical fp32 peak ${peak.toFixed(0)} GFLOP/s of this machine and an assumed ${ASSUMED_DRAM_GBS} GB/s memory bandwidth`);
}
