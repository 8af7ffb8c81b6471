import { describe, expect, it } from 'vitest';
import { benchEnergyEfficiency, energySummaryJson, profileEnergyEfficiency, tokensPerInference } from './efficiency.js';
import type { EnergyReport } from './types.js';

function report(phases: Array<[string, number, number, number]>): EnergyReport {
  return {
    estimated: false, source: 'powercap (RAPL)', durationSeconds: 10, joules: 500, avgWatts: 50, peakWatts: 90, samples: 100, intervalMs: 100,
    devices: [], series: [], unavailable: [], warnings: [],
    phases: phases.map(([phase, startS, endS, joules]) => ({ phase, startS, endS, joules, avgWatts: joules / (endS - startS) })),
  };
}

describe('energy efficiency', () => {
  it('GFLOP/J = best GFLOP/s ÷ the GEMM phase watts; GB/J = triad ÷ the STREAM phase watts', () => {
    const e = report([['gemm', 0, 4, 400], ['memory: STREAM', 4, 6, 120], ['memory: bandwidth sweep', 6, 10, 100]]);
    const eff = benchEnergyEfficiency({ gemm: { results: [], best: { fp32: 300, int8: 900 }, unsupported: [] }, memory: { triadGBs: 30 } as never }, e)!;
    expect(eff.gemmGflopsPerJoule.fp32).toBeCloseTo(3, 9);
    expect(eff.gemmGflopsPerJoule.int8).toBeCloseTo(9, 9);
    expect(eff.streamGBPerJoule).toBeCloseTo(0.5, 9);
  });

  it('is null when the phases it needs never ran', () => {
    expect(benchEnergyEfficiency({}, report([['latency', 0, 10, 100]]))).toBeNull();
  });

  it('J per inference and per token from the run phase and the median latency', () => {
    const model = { name: 'm', opset: 17, producer: '', fileBytes: 0, dims: {}, inputs: [{ name: 'input_ids', shape: [2, 128], dtype: 'int64' as const }] };
    const eff = profileEnergyEfficiency({ model, measured: { latencyMs: { median: 20, p90: 25, runs: 10 }, threads: 1, nodes: [], unmapped: [] } }, report([['warmup', 0, 1, 10], ['run', 1, 3, 100]]))!;
    expect(eff.joulesPerInference).toBeCloseTo(50 * 0.02, 9);
    expect(eff.tokensPerInference).toBe(256);
    expect(eff.joulesPerToken).toBeCloseTo(1 / 256, 9);
    expect(tokensPerInference({ ...model, inputs: [{ name: 'x', shape: [1, 3, 224, 224], dtype: 'float32' }] })).toBeNull();
  });

  it('the --energy JSON has exactly the issue fields first', () => {
    expect(Object.keys(energySummaryJson(report([])))).toEqual(['source', 'joules', 'avgWatts', 'peakWatts', 'samples']);
  });
});
