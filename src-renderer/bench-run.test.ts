// Unit tests for the Benchmarks page's run state: phases in order, the page's GPU phase, logs,
// outcomes (result, error, cancel), and events of other jobs ignored.
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../src-shared/api/bench.js';
import type { JobEvent } from '../src-shared/api/types.js';
import {
  addPowerTick,
  asBenchResult,
  etaFromPace,
  GPU_PAGE_PHASE,
  initialRunState,
  isActive,
  MAX_POWER_TICKS,
  runReducer,
  type RunAction,
  type RunState,
} from './bench-run.js';

const JOB = 'job-1';
let seq = 0;
function ev(body: Record<string, unknown>, jobId = JOB): RunAction {
  return { type: 'event', machineId: 'm1', event: { seq: ++seq, jobId, at: 1_700_000_000_000, ...body } as JobEvent };
}
const progress = (phase: string, done: number, total: number, etaMs: number | null = 1000) => ev({ type: 'progress', phase, done, total, etaMs });

const result: BenchResult = { suite: 'latency', quick: true, threads: 2, warnings: [], elapsedSeconds: 1, latency: { points: [], levels: [] } };

function play(...actions: RunAction[]): RunState {
  return actions.reduce(runReducer, initialRunState);
}

describe('runReducer', () => {
  it('lists phases in arrival order and finishes the earlier ones', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, ev({ type: 'queued' }), progress('gemm', 0, 6), progress('gemm', 3, 6), progress('memory: STREAM', 1, 10));
    expect(s.status).toBe('running');
    expect(s.phases.map((p) => p.name)).toEqual(['gemm', 'memory: STREAM']);
    expect(s.phases[0]).toMatchObject({ done: 6, total: 6, finished: true, etaMs: null });
    expect(s.phases[1]).toMatchObject({ done: 1, total: 10, finished: false, etaMs: 1000 });
    expect(isActive(s.status)).toBe(true);
  });

  it('shows the page GPU run as the first phase, its kernel as the detail', () => {
    let s = play({ type: 'start' }, { type: 'gpu-progress', step: 'gemm fp32 tiled 256', done: 1, total: 3, etaMs: 2000 });
    expect(s.status).toBe('gpu');
    expect(s.phases).toEqual([{ name: GPU_PAGE_PHASE, detail: 'gemm fp32 tiled 256', done: 1, total: 3, etaMs: 2000, finished: false }]);
    s = [{ type: 'gpu-progress', step: 'done', done: 3, total: 3, etaMs: null } as RunAction, { type: 'gpu-finished', log: { level: 'info', message: 'adapter X' } } as RunAction].reduce(runReducer, s);
    expect(s.phases[0]).toMatchObject({ finished: true, detail: null, done: 3 });
    expect(s.logs.map((l) => l.message)).toEqual(['adapter X']);
    s = [{ type: 'job', jobId: JOB } as RunAction, progress('gemm', 0, 4)].reduce(runReducer, s);
    expect(s.phases.map((p) => p.name)).toEqual([GPU_PAGE_PHASE, 'gemm']);
  });

  it('keeps log events', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, ev({ type: 'log', level: 'warn', message: 'careful' }));
    expect(s.logs).toEqual([{ key: expect.stringContaining(JOB), level: 'warn', message: 'careful' }]);
  });

  it('shows and records a stored result', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, progress('latency', 2, 4), ev({ type: 'result', result, runId: 7 }));
    expect(s.status).toBe('done');
    expect(s.storedRunId).toBe(7);
    expect(s.shown).toMatchObject({ runId: 7, machineId: 'm1', result });
    expect(s.phases.every((p) => p.finished)).toBe(true);
    expect(isActive(s.status)).toBe(false);
  });

  it('ends in cancelled, from the event or from a CANCELLED error, and keeps the shown run', () => {
    const shown = { runId: 3, createdAt: null, machineId: null, result };
    const base: RunAction[] = [{ type: 'show', shown }, { type: 'start' }, { type: 'job', jobId: JOB }, progress('gemm', 1, 6), { type: 'cancel-requested' }];
    expect(play(...base).status).toBe('cancelling');
    const cancelled = play(...base, ev({ type: 'cancelled' }));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.shown).toBe(shown);
    expect(cancelled.storedRunId).toBeNull();
    expect(cancelled.phases[0]!.etaMs).toBeNull();
    expect(play(...base, ev({ type: 'error', error: { code: 'CANCELLED', message: 'x' } })).status).toBe('cancelled');
  });

  it('stays cancelling when progress arrives after the cancel was asked', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, { type: 'cancel-requested' }, progress('gemm', 2, 6));
    expect(s.status).toBe('cancelling');
  });

  it('reports a failure with its error', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, ev({ type: 'error', error: { code: 'INTERNAL', message: 'boom' } }));
    expect(s.status).toBe('failed');
    expect(s.error).toEqual({ code: 'INTERNAL', message: 'boom' });
  });

  it('ignores events of another job', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, progress('gemm', 1, 2), ev({ type: 'cancelled' }, 'other-job'));
    expect(s.status).toBe('running');
  });

  it('keeps live power ticks in order, through the result, and clears them on the next start', () => {
    const power = (t: number, watts: number, estimated = true) => ev({ type: 'power', t, watts, estimated });
    let s = play({ type: 'start' }, { type: 'job', jobId: JOB }, progress('gemm', 0, 6), power(0.5, 40), power(1, 55.5, false));
    expect(s.power).toEqual([
      { t: 0.5, watts: 40, estimated: true },
      { t: 1, watts: 55.5, estimated: false },
    ]);
    // A power tick neither changes the status nor the phases.
    expect(s.status).toBe('running');
    expect(s.phases).toHaveLength(1);
    s = runReducer(s, ev({ type: 'result', result, runId: 2 }));
    expect(s.power).toHaveLength(2);
    s = runReducer(s, { type: 'start' });
    expect(s.power).toEqual([]);
  });

  it('ignores power ticks of another job and caps the kept ticks', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, ev({ type: 'power', t: 1, watts: 10, estimated: true }, 'other-job'));
    expect(s.power).toEqual([]);
    let ticks = initialRunState.power;
    for (let i = 0; i < MAX_POWER_TICKS + 25; i++) ticks = addPowerTick(ticks, { t: i / 2, watts: i, estimated: true });
    expect(ticks).toHaveLength(MAX_POWER_TICKS);
    expect(ticks[0]!.watts).toBe(25);
    expect(ticks.at(-1)!.watts).toBe(MAX_POWER_TICKS + 24);
    // Non-finite readings are dropped rather than breaking the chart's scales.
    expect(addPowerTick([], { t: 1, watts: Number.NaN, estimated: true })).toEqual([]);
  });

  it('flags a result that is not a benchmark result', () => {
    const s = play({ type: 'start' }, { type: 'job', jobId: JOB }, ev({ type: 'result', result: { nope: true }, runId: 1 }));
    expect(s.status).toBe('failed');
    expect(asBenchResult(null)).toBeNull();
    expect(asBenchResult(result)).toBe(result);
  });
});

describe('etaFromPace', () => {
  it('extrapolates from the steps done', () => {
    expect(etaFromPace(3000, 1, 4)).toBe(9000);
    expect(etaFromPace(3000, 0, 4)).toBeNull();
  });
});
