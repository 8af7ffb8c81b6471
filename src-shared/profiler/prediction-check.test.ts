import { describe, expect, it } from 'vitest';
import { checkPrediction, driftWarning } from './prediction-check.js';
import type { MeasuredProfile } from './types.js';

describe('checkPrediction', () => {
  const predicted = {
    latencyMs: 10,
    nodes: [
      { name: 'conv', opType: 'Conv', predictedMs: 6 },
      { name: 'relu', opType: 'Relu', predictedMs: 0 },
      { name: 'fc', opType: 'MatMul', predictedMs: 3 },
      { name: 'softmax', opType: 'Softmax', predictedMs: 1 },
    ],
  };
  const measured: MeasuredProfile = {
    latencyMs: { median: 12, p90: 13, runs: 5 },
    threads: 2,
    nodes: [
      { name: 'conv', ms: 5.5, achievedGflops: null },
      { name: 'relu', ms: 0.5, achievedGflops: null },
      { name: 'fc', ms: 5, achievedGflops: null },
      { name: 'softmax', ms: 0.9, achievedGflops: null },
    ],
    groups: [
      { kernel: 'conv_nchwc', opType: 'Conv', how: 'fused', members: ['conv', 'relu'], ms: 5.8, split: true },
      { kernel: 'ReorderOutput', opType: 'ReorderOutput', how: 'helper', helperOf: 'conv_nchwc', members: ['conv', 'relu'], ms: 0.2, split: true },
    ],
    unmapped: [{ name: 'MemcpyToHost', ms: 0.1 }],
  };
  const c = checkPrediction(predicted, measured);

  it('compares whole kernels: a fused group is one unit with summed times', () => {
    expect(c.units.map((u) => [u.nodes.sort().join('+'), u.opType, u.predictedMs, u.measuredMs])).toEqual([
      ['conv+relu', 'Conv', 6, 6],
      ['fc', 'MatMul', 3, 5],
      ['softmax', 'Softmax', 1, 0.9],
    ]);
    expect(c.latencyRatio).toBeCloseTo(1.2, 12);
  });

  it('counts the units within 1.5× and their share of the time, per op class, and the unattributed time', () => {
    expect(c.closeUnitShare).toBeCloseTo(2 / 3, 12);
    expect(c.closeTimeShare).toBeCloseTo(6.9 / 11.9, 12);
    expect(c.byOpType.find((t) => t.opType === 'MatMul')).toMatchObject({ measuredMs: 5, predictedMs: 3, units: 1 });
    expect(c.unattributedMs).toBeCloseTo(0.1, 12);
    expect(c.unattributedShare).toBeCloseTo(0.1 / 12, 12);
  });
});

describe('driftWarning', () => {
  const speed = (ratio: number) => ({ shape: '512×512×512 fp32 MatMul', nowGflops: 400 * ratio, benchmarkGflops: 400, ratio });
  it('warns when the machine ran more than 1.2× faster or slower than at its benchmark, naming both speeds', () => {
    expect(driftWarning(speed(1.82))).toMatch(/ran 1\.82× faster \(512×512×512 fp32 MatMul: 728 vs 400 GFLOP\/s\) during the run/);
    // A small kernel split in even halves can drift alone (one slow vCPU): that is named too.
    const small = { shape: 'depthwise 3×3 Conv on 144×56²', nowGflops: 70, benchmarkGflops: 100, ratio: 0.7 };
    expect(driftWarning({ ...speed(1.02), small })).toMatch(/ran 1\.43× slower \(depthwise 3×3 Conv on 144×56²: 70 vs 100 GFLOP\/s\)/);
    expect(driftWarning({ ...speed(1.02), small: { ...small, ratio: 0.9 } })).toBeNull();
    expect(driftWarning(speed(0.5))).toMatch(/ran 2\.00× slower/);
    expect(driftWarning(speed(0.5))).toContain('flopscope bench all --quick');
  });
  it('says nothing within 1.2× either way', () => {
    expect(driftWarning(speed(1.15))).toBeNull();
    expect(driftWarning(speed(1 / 1.15))).toBeNull();
  });
});
