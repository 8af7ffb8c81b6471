/**
 * Efficiency from a run's energy (pure):
 * - GEMM GFLOP/J = best GFLOP/s of a dtype ÷ average watts during the 'gemm' phase
 *   (GFLOP/s ÷ J/s = GFLOP/J). The phase also runs the smaller sizes, but the draw of a saturated
 *   core barely depends on the size, and the best rate is what the roofline shows.
 * - STREAM GB/J = triad GB/s ÷ average watts during the 'memory: STREAM' phase.
 * - A model run: J per inference = average watts during the timed 'run' phase × median latency;
 *   J per token = that ÷ the tokens one inference processes (the element count of the first
 *   integer input, i.e. batch × sequence of input_ids), when the model takes token ids.
 */
import type { BenchResult } from '../api/bench.js';
import type { ProfileResult } from '../profiler/types.js';
import { phaseWatts } from './integrate.js';
import type { BenchEnergyEfficiency, EnergyReport, EnergySummaryJson, ProfileEnergyEfficiency } from './types.js';

export const GEMM_PHASE = 'gemm';
export const STREAM_PHASE = 'memory: STREAM';
export const RUN_PHASE = 'run';

export function benchEnergyEfficiency(result: Pick<BenchResult, 'gemm' | 'memory'>, energy: EnergyReport): BenchEnergyEfficiency | null {
  const out: BenchEnergyEfficiency = { gemmGflopsPerJoule: {}, streamGBPerJoule: null };
  const gemmW = phaseWatts(energy, GEMM_PHASE);
  if (result.gemm && gemmW) {
    for (const [dtype, gflops] of Object.entries(result.gemm.best) as [keyof BenchEnergyEfficiency['gemmGflopsPerJoule'], number][]) {
      if (gflops > 0) out.gemmGflopsPerJoule[dtype] = gflops / gemmW;
    }
  }
  const streamW = phaseWatts(energy, STREAM_PHASE);
  if (result.memory && streamW && result.memory.triadGBs > 0) out.streamGBPerJoule = result.memory.triadGBs / streamW;
  return Object.keys(out.gemmGflopsPerJoule).length || out.streamGBPerJoule !== null ? out : null;
}

const INTEGER_TYPES = new Set(['int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64']);

/** Tokens one inference processes: the element count of the first integer-typed input, else null. */
export function tokensPerInference(model: ProfileResult['model']): number | null {
  const ids = model.inputs.find((i) => INTEGER_TYPES.has(String(i.dtype)));
  if (!ids || !ids.shape.length) return null;
  const n = ids.shape.reduce((a, b) => a * b, 1);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export function profileEnergyEfficiency(result: Pick<ProfileResult, 'model' | 'measured'>, energy: EnergyReport): ProfileEnergyEfficiency | null {
  const median = result.measured?.latencyMs.median;
  const watts = phaseWatts(energy, RUN_PHASE);
  if (!median || !watts) return null;
  const joulesPerInference = (watts * median) / 1000;
  const tokens = tokensPerInference(result.model);
  return { joulesPerInference, joulesPerToken: tokens ? joulesPerInference / tokens : null, tokensPerInference: tokens };
}

/** The `energy` object of `--energy` JSON: the five fields, nothing else. */
export function energySummaryJson(report: EnergyReport): EnergySummaryJson {
  return {
    source: report.source,
    joules: report.joules,
    avgWatts: report.avgWatts,
    peakWatts: report.peakWatts,
    samples: report.samples,
  };
}
