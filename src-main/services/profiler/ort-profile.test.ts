// Parsing ONNX Runtime's profile on a synthetic event list: warm-up windows dropped, kernel time
// per run per node, ORT-created kernels unmapped, the trace normalised and structurally valid.
import { describe, expect, it } from 'vitest';
import { parseOrtProfile, percentile, validateChromeTrace, type OrtEvent } from './ort-profile.js';

const run = (ts: number, dur: number): OrtEvent => ({ cat: 'Session', name: 'model_run', ph: 'X', ts, dur, pid: 9, tid: 77 });
const kernel = (name: string, op: string, ts: number, dur: number): OrtEvent => ({
  cat: 'Node', name: `${name}_kernel_time`, ph: 'X', ts, dur, pid: 9, tid: 77,
  args: { op_name: op, provider: 'CPUExecutionProvider', thread_scheduling_stats: { big: 'noise' }, output_type_shape: [{ float: [1, 4] }] },
});

const events: OrtEvent[] = [
  { cat: 'Session', name: 'model_loading_array', ph: 'X', ts: 0, dur: 50, pid: 9, tid: 77 },
  { cat: 'Session', name: 'session_initialization', ph: 'X', ts: 60, dur: 100, pid: 9, tid: 77 },
  // warm-up run: slow first kernels, must be dropped
  run(200, 1000), kernel('fc1', 'Gemm', 210, 900), kernel('relu', 'Relu', 1150, 10),
  // two timed runs
  run(2000, 100), kernel('fc1', 'Gemm', 2010, 40), kernel('relu', 'Relu', 2055, 10), kernel('fused fc2', 'FusedGemm', 2070, 20),
  { cat: 'Node', name: 'relu_fence_before', ph: 'X', ts: 2054, dur: 0, pid: 9, tid: 77 },
  run(3000, 100), kernel('fc1', 'Gemm', 3010, 60), kernel('relu', 'Relu', 3075, 10), kernel('fused fc2', 'FusedGemm', 3090, 5),
];
const graphNodes = new Map([['fc1', 'Gemm'], ['relu', 'Relu'], ['fc2', 'Gemm'], ['bn', 'BatchNormalization']]);

describe('parseOrtProfile', () => {
  const p = parseOrtProfile(events, { graphNodes, ops: new Map([['fc1', 2e6], ['relu', 0]]), runs: 2, label: 'toy', threads: 4 });

  it('averages kernel time over the timed runs only', () => {
    expect(p.timedRuns).toBe(2);
    expect(p.runMs).toEqual([0.1, 0.1]);
    const fc1 = p.nodes.find((n) => n.name === 'fc1')!;
    expect(fc1.ms).toBeCloseTo(0.05, 12); // (40 + 60) µs / 2 runs
    expect(fc1.achievedGflops).toBeCloseTo(2e6 / 50e-6 / 1e9, 9); // 40 GFLOP/s
    expect(fc1).toMatchObject({ opType: 'Gemm', provider: 'CPUExecutionProvider' });
    expect(p.nodes.find((n) => n.name === 'relu')).toMatchObject({ ms: 0.01, achievedGflops: null });
  });

  it('puts ORT-created kernels in unmapped and lists graph nodes that ran no kernel', () => {
    expect(p.unmapped).toEqual([{ name: 'fused fc2', ms: 0.0125, opType: 'FusedGemm', provider: 'CPUExecutionProvider' }]);
    expect(p.notExecuted.sort()).toEqual(['bn', 'fc2']);
  });

  it('normalises the trace: graph names, rebased timestamps, named tracks, lean args', () => {
    const t = p.trace;
    expect(t.displayTimeUnit).toBe('ms');
    expect(validateChromeTrace(t)).toEqual([]);
    const x = t.traceEvents.filter((e) => e.ph === 'X');
    expect(x.filter((e) => e.cat === 'Session').map((e) => [e.name, e.ts, e.dur])).toEqual([['run 1', 0, 100], ['run 2', 1000, 100]]);
    const k = x.filter((e) => e.cat !== 'Session');
    expect(k.map((e) => e.name)).toEqual(['fc1', 'relu', 'fused fc2', 'fc1', 'relu', 'fused fc2']);
    expect(k[0]).toMatchObject({ ts: 10, dur: 40, cat: 'Node', args: { op_type: 'Gemm', graph_node: true, output_type_shape: [{ float: [1, 4] }] } });
    expect(k[0]!.args).not.toHaveProperty('thread_scheduling_stats');
    expect(k[2]).toMatchObject({ cat: 'Node (ORT-created)', args: { graph_node: false, ort_name: 'fused fc2_kernel_time' } });
    const meta = t.traceEvents.filter((e) => e.ph === 'M');
    expect(meta.map((e) => [e.name, e.args!.name])).toEqual([
      ['process_name', 'ONNX Runtime — toy (4 intra-op threads)'], ['thread_name', 'session.run'], ['thread_name', 'kernels'],
    ]);
  });

  it("takes the profiler's own cost out of every kernel event, never below a tiny kernel's time; the trace keeps ORT's durations", () => {
    const q = parseOrtProfile(events, { graphNodes, runs: 2, label: 'toy', threads: 4, profilerCost: { profilerUs: 8, kernelUs: 3 } });
    expect(q.nodes.find((n) => n.name === 'fc1')!.ms).toBeCloseTo(0.042, 12); // (40 − 8 + 60 − 8) µs / 2
    expect(q.nodes.find((n) => n.name === 'relu')!.ms).toBeCloseTo(0.003, 12); // 10 − 8 = 2 < 3: a tiny kernel's 3 µs
    expect(q.unmapped[0]!.ms).toBeCloseTo(0.0075, 12); // (20 − 8 + min(5, 3)) µs / 2
    expect(q.trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'fc1').map((e) => e.dur)).toEqual([40, 60]);
  });

  it("takes each kernel's median run, so one stalled run does not land on the kernel it hit", () => {
    const stalled: OrtEvent[] = [];
    [30, 31, 900, 29, 30].forEach((d, i) => stalled.push(run(1000 * (i + 1), 990), kernel('fc1', 'Gemm', 1000 * (i + 1) + 10, d), kernel('relu', 'Relu', 1000 * (i + 1) + 950, 10)));
    const q = parseOrtProfile(stalled, { graphNodes, runs: 5, label: 'toy', threads: 1 });
    expect(q.nodes.find((n) => n.name === 'fc1')!.ms).toBeCloseTo(0.03, 12); // median of 29, 30, 30, 31, 900 µs (the mean would be 204)
    expect(q.nodes.find((n) => n.name === 'relu')!.ms).toBeCloseTo(0.01, 12);
  });

  it('rejects a profile with too few runs or not an array', () => {
    expect(() => parseOrtProfile(events, { graphNodes, runs: 4, label: 'toy', threads: 1 })).toThrow(/3 model_run events, expected at least 4/);
    expect(() => parseOrtProfile({}, { graphNodes, runs: 1, label: 'toy', threads: 1 })).toThrow(/not a JSON array/);
  });
});

describe('validateChromeTrace', () => {
  it('flags missing fields and partially overlapping slices on one track', () => {
    expect(validateChromeTrace({ traceEvents: [{ name: 'a', ph: 'X', ts: 0, pid: 1, tid: 1 }] })).toEqual(['event 0 (X) has no non-negative dur']);
    const overlap = { traceEvents: [{ name: 'a', ph: 'X', ts: 0, dur: 10, pid: 1, tid: 1 }, { name: 'b', ph: 'X', ts: 5, dur: 10, pid: 1, tid: 1 }] };
    expect(validateChromeTrace(overlap)).toEqual(["track 1/1: 'b' overlaps 'a' without nesting"]);
    const nested = { traceEvents: [{ name: 'a', ph: 'X', ts: 0, dur: 10, pid: 1, tid: 1 }, { name: 'b', ph: 'X', ts: 2, dur: 3, pid: 1, tid: 1 }] };
    expect(validateChromeTrace(nested)).toEqual([]);
  });
});

describe('percentile', () => {
  it('nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([3], 90)).toBe(3);
    expect(percentile([1, 2], 50)).toBe(1);
  });
});
