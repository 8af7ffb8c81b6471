// Unit tests for the Models page's prediction helpers (model-run.ts): per-layer predicted ms and
// measured ÷ predicted, fused layers (no ratio of their own, the others named), sorting by the new
// columns, ratio classes and formatting, and profiles from before predictions.
import { describe, expect, it } from 'vitest';
import type { ProfileNode, ProfileResult } from '../src-shared/profiler/types.js';
import { formatMsValue, formatRatio, fusedMembers, hasLayerPredictions, layerRows, ratioClass, sortLayers, timeRatio } from './model-run.js';

const node = (name: string, opType: string, predictedMs?: number | null): ProfileNode => ({
  name,
  opType,
  outputShape: [1, 4],
  params: 0,
  macs: 1,
  flops: 2,
  otherOps: 0,
  bytesRead: 1,
  bytesWritten: 1,
  intensity: 1,
  block: null,
  counted: true,
  ...(predictedMs !== undefined ? { predictedMs } : {}),
});

const base: ProfileResult = {
  model: { name: 'm', opset: 17, producer: 'p', fileBytes: 1, inputs: [], dims: {} },
  totals: { params: 0, macs: 4, flops: 8, otherOps: 0, weightBytes: 0, activationBytes: 0 },
  nodes: [node('conv', 'Conv', 1), node('relu', 'Relu', 0.1), node('fc', 'Gemm', 0.5), node('shape', 'Shape', null)],
  uncounted: [],
  warnings: [],
  predicted: { latencyMs: 1.6, basis: 'test', measured: true },
};

const measured: ProfileResult = {
  ...base,
  measured: {
    latencyMs: { median: 2, p90: 2.2, runs: 10 },
    threads: 1,
    nodes: [
      { name: 'conv', ms: 1.1, achievedGflops: null },
      { name: 'relu', ms: 0.11, achievedGflops: null },
      { name: 'fc', ms: 1.5, achievedGflops: null },
    ],
    unmapped: [],
    groups: [{ kernel: 'conv_nchwc', opType: 'Conv', how: 'fused', members: ['conv', 'relu'], ms: 1.21, split: true }],
  },
  check: {
    latencyRatio: 1.25,
    predictedMs: 1.6,
    measuredMs: 2,
    units: [
      { nodes: ['fc'], opType: 'Gemm', predictedMs: 0.5, measuredMs: 1.5 },
      { nodes: ['conv', 'relu'], opType: 'Conv', predictedMs: 1.1, measuredMs: 1.21 },
    ],
    closeUnitShare: 0.5,
    closeTimeShare: 1.21 / 2.71,
    byOpType: [],
    unattributedMs: 0,
    unattributedShare: 0,
  },
};

describe('layer predictions', () => {
  it('has a predicted ms per layer before any run, and no ratio', () => {
    expect(hasLayerPredictions(base)).toBe(true);
    const rows = layerRows(base);
    expect(rows.map((r) => r.predictedMs)).toEqual([1, 0.1, 0.5, null]);
    expect(rows.every((r) => r.ratio === null && r.fusedWith === null)).toBe(true);
  });

  it('gives a layer run on its own its ratio, and a fused layer none, naming the others', () => {
    const rows = layerRows(measured);
    const by = new Map(rows.map((r) => [r.node.name, r]));
    expect(by.get('fc')!.ratio).toBeCloseTo(3);
    expect(by.get('conv')!.ratio).toBeNull();
    expect(by.get('conv')!.fusedWith).toEqual(['relu']);
    expect(by.get('relu')!.fusedWith).toEqual(['conv']);
    expect(by.get('shape')!.ms).toBeNull();
    // Without a check, the measured groups say which layers share a kernel.
    expect(fusedMembers({ ...measured, check: undefined }).get('relu')).toEqual(['conv', 'relu']);
  });

  it('sorts by predicted ms and by ratio, missing values last', () => {
    const rows = layerRows(measured);
    expect(sortLayers(rows, 'predicted', true).map((r) => r.node.name)).toEqual(['conv', 'fc', 'relu', 'shape']);
    expect(sortLayers(rows, 'ratio', true)[0]!.node.name).toBe('fc');
  });

  it('renders profiles from before predictions without the fields', () => {
    const old: ProfileResult = { ...measured, nodes: [node('conv', 'Conv'), node('fc', 'Gemm')], predicted: undefined, check: undefined, measured: { ...measured.measured!, groups: undefined } };
    expect(hasLayerPredictions(old)).toBe(false);
    const rows = layerRows(old);
    expect(rows.map((r) => [r.predictedMs, r.ratio, r.fusedWith])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
  });

  it('classes and formats ratios and times', () => {
    expect(ratioClass(1.4, 1.5)).toBe('close');
    expect(ratioClass(1 / 1.4, 1.5)).toBe('close');
    expect(ratioClass(1.6, 1.5)).toBe('slower');
    expect(ratioClass(0.5, 1.5)).toBe('faster');
    expect(ratioClass(null, 1.5)).toBeNull();
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatRatio(0.0456)).toBe('0.046×');
    expect(formatRatio(Number.NaN)).toBe('—');
    expect(formatMsValue(0.0012345)).toBe('0.00123');
    expect(formatMsValue(123.45)).toBe('123.5');
    expect(formatMsValue(null)).toBe('—');
    // Never e-notation: toPrecision would write 8.36e-7.
    expect(formatMsValue(8.36e-7)).toBe('0.000000836');
    expect(formatMsValue(3e-9)).toBe('< 0.0000001');
    expect(formatRatio(2e-7)).toBe('< 0.001×');
    expect(timeRatio(1, 0)).toBeNull();
    expect(timeRatio(2, 1)).toBe(2);
  });
});
