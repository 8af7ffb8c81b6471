/**
 * The roofline this machine measured, read back from the store: the newest benchmark run's fp32
 * (and int8/fp16/bf16) compute ceilings and DRAM bandwidth. Used by the profiler's quantization
 * estimate, the planner, the attention lab and the linear-regression suite.
 */
import type { BenchResult } from '../../../src-shared/api/bench.js';
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
