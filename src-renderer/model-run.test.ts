// Unit tests for the Models page's pure state: job reducer, dims parser, sorting, roofline prediction.
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../src-shared/api/types.js';
import type { ProfileNode, ProfileResult } from '../src-shared/profiler/types.js';
import {
  formatCompact,
  formatCount,
  initialProfileState,
  layerRows,
  measuredPoints,
  parseDims,
  predictLayers,
  profileReducer,
  rooflineBasis,
  sortLayers,
  unboundDimension,
} from './model-run.js';

const node = (name: string, opType: string, flops: number, bytes: number, extra: Partial<ProfileNode> = {}): ProfileNode => ({
  name,
  opType,
  outputShape: [1, 4],
  params: 0,
  macs: flops / 2,
  flops,
  otherOps: 0,
  bytesRead: bytes / 2,
  bytesWritten: bytes / 2,
  intensity: bytes > 0 ? flops / bytes : 0,
  block: null,
  counted: true,
  ...extra,
});

const result: ProfileResult = {
  model: { name: 'm', opset: 17, producer: 'p', fileBytes: 1, inputs: [], dims: {} },
  totals: { params: 10, macs: 500, flops: 1000, otherOps: 0, weightBytes: 40, activationBytes: 16 },
  nodes: [node('a', 'MatMul', 800, 100), node('b', 'Relu', 0, 200, { outputShape: null }), node('c', 'Gemm', 200, 10)],
  uncounted: [],
  warnings: [],
  measured: {
    latencyMs: { median: 1, p90: 2, runs: 10 },
    threads: 1,
    nodes: [
      { name: 'a', ms: 0.5, achievedGflops: 1.6 },
      { name: 'b', ms: 0.2, achievedGflops: null },
      { name: 'c', ms: 0, achievedGflops: null },
    ],
    unmapped: [],
  },
};

const ev = (e: Record<string, unknown>) => ({ seq: 1, jobId: 'j', at: 0, ...e }) as JobEvent;

describe('profileReducer', () => {
  it('follows phases and ends with the result and run id', () => {
    let s = profileReducer(initialProfileState, { type: 'start', measure: true });
    s = profileReducer(s, { type: 'job', jobId: 'j' });
    s = profileReducer(s, { type: 'event', event: ev({ type: 'progress', phase: 'load', done: 0, total: 1, etaMs: null }) });
    s = profileReducer(s, { type: 'event', event: ev({ type: 'progress', phase: 'count', done: 0, total: 1, etaMs: null }) });
    expect(s.phases.map((p) => [p.name, p.finished])).toEqual([
      ['load', true],
      ['count', false],
    ]);
    expect(s.status).toBe('running');
    s = profileReducer(s, { type: 'event', event: ev({ type: 'result', result, runId: 7 }) });
    expect(s.status).toBe('done');
    expect(s.storedRunId).toBe(7);
    expect(s.phases.every((p) => p.finished)).toBe(true);
  });

  it('ignores other jobs and turns CANCELLED errors into cancelled', () => {
    let s = profileReducer(profileReducer(initialProfileState, { type: 'start', measure: false }), { type: 'job', jobId: 'j' });
    expect(profileReducer(s, { type: 'event', event: { ...ev({ type: 'cancelled' }), jobId: 'other' } as JobEvent })).toBe(s);
    s = profileReducer(s, { type: 'event', event: ev({ type: 'error', error: { code: 'CANCELLED', message: 'x' } }) });
    expect(s.status).toBe('cancelled');
  });

  it('keeps live power ticks of a measured run and resets them on start', () => {
    let s = profileReducer(profileReducer(initialProfileState, { type: 'start', measure: true }), { type: 'job', jobId: 'j' });
    s = profileReducer(s, { type: 'event', event: ev({ type: 'progress', phase: 'run', done: 1, total: 10, etaMs: null }) });
    s = profileReducer(s, { type: 'event', event: ev({ type: 'power', t: 0.5, watts: 31.25, estimated: true }) });
    s = profileReducer(s, { type: 'event', event: ev({ type: 'power', t: 1, watts: 33, estimated: true }) });
    s = profileReducer(s, { type: 'event', event: { ...ev({ type: 'power', t: 2, watts: 99, estimated: false }), jobId: 'other' } as JobEvent });
    expect(s.power).toEqual([
      { t: 0.5, watts: 31.25, estimated: true },
      { t: 1, watts: 33, estimated: true },
    ]);
    expect(s.status).toBe('running');
    s = profileReducer(s, { type: 'event', event: ev({ type: 'result', result, runId: 3 }) });
    expect(s.power).toHaveLength(2);
    s = profileReducer(s, { type: 'start', measure: false });
    expect(s.power).toEqual([]);
  });

  it('rejects a result that is not a profile', () => {
    const s = profileReducer({ ...initialProfileState, status: 'running', jobId: 'j' }, { type: 'event', event: ev({ type: 'result', result: { nope: 1 }, runId: 1 }) });
    expect(s.status).toBe('failed');
  });
});

describe('parseDims', () => {
  it('parses name=value lists', () => {
    expect(parseDims('batch=1, sequence=128')).toEqual({ ok: true, dims: { batch: 1, sequence: 128 } });
    expect(parseDims('  ')).toEqual({ ok: true, dims: {} });
  });
  it('explains what is wrong', () => {
    expect(parseDims('batch')).toMatchObject({ ok: false, message: expect.stringContaining('name=value') });
    expect(parseDims('batch=0')).toMatchObject({ ok: false, message: expect.stringContaining('whole number') });
    expect(parseDims('batch=1.5')).toMatchObject({ ok: false });
    expect(parseDims('a=1, a=2')).toMatchObject({ ok: false, message: 'a is given twice' });
  });
  it('finds the dimension an error asks for', () => {
    expect(unboundDimension('input "ids" has an unbound dimension; bind it with --dim sequence=<n>')).toBe('sequence');
    expect(unboundDimension('something else')).toBeNull();
  });
});

describe('layer table', () => {
  it('sorts in both directions with missing values last', () => {
    const rows = layerRows(result);
    expect(rows[0]!.share).toBeCloseTo(0.8);
    expect(sortLayers(rows, 'flops', true).map((r) => r.node.name)).toEqual(['a', 'c', 'b']);
    expect(sortLayers(rows, 'name', false).map((r) => r.node.name)).toEqual(['a', 'b', 'c']);
    expect(sortLayers(rows, 'outputShape', true).at(-1)!.node.name).toBe('b');
    expect(sortLayers(rows, 'outputShape', false).at(-1)!.node.name).toBe('b');
    expect(sortLayers(rows, 'ms', true).map((r) => r.node.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('roofline prediction', () => {
  const roofline = {
    ceilings: [
      { kind: 'compute' as const, name: 'fp32', value: 100, source: 'measured' as const, how: '' },
      { kind: 'compute' as const, name: 'fp32', value: 200, source: 'theoretical' as const, how: '' },
      { kind: 'bandwidth' as const, name: 'DRAM', value: 10, source: 'measured' as const, how: '' },
    ],
    ridge: null,
  };
  it('uses the measured fp32 and DRAM ceilings', () => {
    expect(rooflineBasis(roofline)).toMatchObject({ computeGflops: 100, bandwidthGBs: 10 });
    expect(rooflineBasis({ ceilings: [], ridge: null })).toBeNull();
  });
  it('predicts time as work / attainable(intensity)', () => {
    const [a, b] = predictLayers(result, rooflineBasis(roofline)!);
    // a: 800 FLOP at intensity 8 → min(100, 80) GFLOP/s → 1e-8 s = 1e-5 ms.
    expect(a!.predictedMs).toBeCloseTo(1e-5);
    expect(a!.ratio).toBeCloseTo(0.5 / 1e-5);
    expect(b!.predictedMs).toBeNull();
    expect(predictLayers(result, rooflineBasis(roofline)!)).toHaveLength(2);
  });
  it('places only measured layers with time and throughput', () => {
    expect(measuredPoints(result)).toEqual([{ label: 'a (MatMul)', intensity: 8, gflops: 1.6 }]);
  });
});

describe('number formatting', () => {
  it('groups and compacts', () => {
    expect(formatCount(1235496)).toBe('1,235,496');
    expect(formatCount(12)).toBe('12');
    expect(formatCompact(1235496)).toBe('1.24 M');
    expect(formatCompact(110953856)).toBe('111.0 M');
    expect(formatCompact(512)).toBe('512');
  });
});
