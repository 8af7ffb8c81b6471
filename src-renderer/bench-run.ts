/**
 * State of the Benchmarks page's run (renderer, pure): a reducer over the page's own steps (the
 * WebGPU phase it runs in this window, bench.start, cancel) and the job's events, so the progress
 * list, the log and the outcome can be tested without a DOM. Phases are kept in arrival order;
 * when a new phase starts, the ones before it are marked finished. Live power ticks ('power'
 * events) are kept, newest last, for the power strip under the progress list.
 */
import type { BenchResult, BenchSuite } from '../src-shared/api/bench.js';
import type { ApiError, JobEvent } from '../src-shared/api/types.js';
import type { PowerTick } from '../src-shared/energy/types.js';

/** The phase the page itself runs before the backend job: the WebGPU kernels in this window. */
export const GPU_PAGE_PHASE = 'gpu (WebGPU in this window)';

export const SUITE_CHOICES: ReadonlyArray<{ id: BenchSuite; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'gemm', label: 'GEMM' },
  { id: 'memory', label: 'Memory' },
  { id: 'latency', label: 'Latency' },
  { id: 'gpu', label: 'GPU' },
];

export function suiteIncludesGpu(suite: BenchSuite): boolean {
  return suite === 'all' || suite === 'gpu';
}

export interface PhaseView {
  name: string;
  /** The step inside the phase, where the source says (the GPU kernels name theirs). */
  detail: string | null;
  done: number;
  total: number;
  etaMs: number | null;
  finished: boolean;
}

export interface LogLine {
  key: string;
  level: 'info' | 'warn';
  message: string;
}

/** A benchmark result on screen: the latest stored one, or the one this page just ran. */
export interface ShownRun {
  runId: number | null;
  createdAt: string | null;
  machineId: string | null;
  result: BenchResult;
}

export type RunStatus = 'idle' | 'gpu' | 'starting' | 'queued' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface RunState {
  status: RunStatus;
  jobId: string | null;
  phases: PhaseView[];
  logs: LogLine[];
  /** Live total-power readings of this run (JobEvent 'power'), oldest first, at most MAX_POWER_TICKS. */
  power: PowerTick[];
  /** Run id of the result this page's run stored (null: not stored, or no run yet). */
  storedRunId: number | null;
  error: ApiError | null;
  shown: ShownRun | null;
}

export type RunAction =
  | { type: 'start' }
  | { type: 'gpu-progress'; step: string; done: number; total: number; etaMs: number | null }
  | { type: 'gpu-finished'; log: { level: 'info' | 'warn'; message: string } }
  | { type: 'job'; jobId: string }
  | { type: 'event'; event: JobEvent; machineId: string | null }
  | { type: 'cancel-requested' }
  | { type: 'cancelled' }
  | { type: 'failed'; error: ApiError }
  | { type: 'show'; shown: ShownRun };

export const initialRunState: RunState = { status: 'idle', jobId: null, phases: [], logs: [], power: [], storedRunId: null, error: null, shown: null };

/** Whether a run is in flight (controls locked, Cancel offered). */
export function isActive(status: RunStatus): boolean {
  return status === 'gpu' || status === 'starting' || status === 'queued' || status === 'running' || status === 'cancelling';
}

/** Logs kept on screen: the newest ones; a full run writes a few dozen. */
const MAX_LOGS = 500;

/**
 * Live power ticks kept: the job emits about two a second, so 600 is five minutes, longer than a
 * full suite on most machines; a longer run scrolls (the stored result carries the whole series).
 */
export const MAX_POWER_TICKS = 600;

/** Appends one tick, dropping the oldest past `MAX_POWER_TICKS` (shared with the Models page). */
export function addPowerTick(ticks: readonly PowerTick[], tick: PowerTick): PowerTick[] {
  if (!Number.isFinite(tick.t) || !Number.isFinite(tick.watts)) return ticks as PowerTick[];
  const next = [...ticks, tick];
  return next.length > MAX_POWER_TICKS ? next.slice(next.length - MAX_POWER_TICKS) : next;
}

function upsertPhase(phases: PhaseView[], name: string, patch: Omit<PhaseView, 'name' | 'finished'>): PhaseView[] {
  const last = phases[phases.length - 1];
  if (last && last.name === name) return [...phases.slice(0, -1), { ...last, ...patch, finished: last.finished }];
  // A new phase: every earlier one is over.
  return [...phases.map(finish), { name, ...patch, finished: false }];
}

function finish(p: PhaseView): PhaseView {
  return p.finished ? p : { ...p, done: Math.max(p.done, p.total), etaMs: null, finished: true };
}

function addLog(logs: LogLine[], line: LogLine): LogLine[] {
  const next = [...logs, line];
  return next.length > MAX_LOGS ? next.slice(next.length - MAX_LOGS) : next;
}

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'start':
      return { ...state, status: 'starting', jobId: null, phases: [], logs: [], power: [], storedRunId: null, error: null };
    case 'gpu-progress': {
      if (state.status !== 'starting' && state.status !== 'gpu') return state;
      const over = action.step === 'done' && action.done >= action.total;
      const phases = upsertPhase(state.phases, GPU_PAGE_PHASE, {
        detail: over ? null : action.step,
        done: action.done,
        total: action.total,
        etaMs: over ? null : action.etaMs,
      });
      return { ...state, status: 'gpu', phases };
    }
    case 'gpu-finished': {
      if (state.status === 'cancelling' || state.status === 'cancelled') return state;
      const phases = state.phases.map((p) => (p.name === GPU_PAGE_PHASE ? finish({ ...p, detail: null }) : p));
      return { ...state, status: 'starting', phases, logs: addLog(state.logs, { key: `page-gpu`, ...action.log }) };
    }
    case 'job':
      return { ...state, jobId: action.jobId, status: state.status === 'cancelling' ? 'cancelling' : 'queued' };
    case 'event':
      return applyEvent(state, action.event, action.machineId);
    case 'cancel-requested':
      return isActive(state.status) ? { ...state, status: 'cancelling' } : state;
    case 'cancelled':
      return { ...state, status: 'cancelled', phases: state.phases.map((p) => ({ ...p, etaMs: null })) };
    case 'failed':
      return { ...state, status: 'failed', error: action.error, phases: state.phases.map((p) => ({ ...p, etaMs: null })) };
    case 'show':
      return { ...state, shown: action.shown };
  }
}

function applyEvent(state: RunState, event: JobEvent, machineId: string | null): RunState {
  // Events of a job this page no longer follows (a late delivery after a new start) are dropped.
  if (state.jobId !== null && event.jobId !== state.jobId) return state;
  switch (event.type) {
    case 'queued':
      return state.status === 'cancelling' ? state : { ...state, status: 'queued' };
    case 'progress': {
      const phases = upsertPhase(state.phases, event.phase, { detail: null, done: event.done, total: event.total, etaMs: event.etaMs });
      return { ...state, status: state.status === 'cancelling' ? 'cancelling' : 'running', phases };
    }
    case 'power':
      return { ...state, power: addPowerTick(state.power, { t: event.t, watts: event.watts, estimated: event.estimated }) };
    case 'log':
      return { ...state, logs: addLog(state.logs, { key: `${event.jobId}:${event.seq}`, level: event.level, message: event.message }) };
    case 'result': {
      const result = asBenchResult(event.result);
      const phases = state.phases.map(finish);
      if (!result) {
        return { ...state, status: 'failed', phases, error: { code: 'INTERNAL', message: 'The benchmark finished but its result is not in the expected shape.' } };
      }
      return {
        ...state,
        status: 'done',
        phases,
        storedRunId: event.runId,
        shown: { runId: event.runId, createdAt: new Date(event.at).toISOString(), machineId, result },
      };
    }
    case 'error':
      // A cancel that reached the worker first can surface as a CANCELLED error: same outcome.
      if (event.error.code === 'CANCELLED') return { ...state, status: 'cancelled', phases: state.phases.map((p) => ({ ...p, etaMs: null })) };
      return { ...state, status: 'failed', error: event.error, phases: state.phases.map((p) => ({ ...p, etaMs: null })) };
    case 'cancelled':
      return { ...state, status: 'cancelled', phases: state.phases.map((p) => ({ ...p, etaMs: null })) };
  }
}

/** A stored run's `result` as a BenchResult, or null when it is not one (a damaged or foreign row). */
export function asBenchResult(value: unknown): BenchResult | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Partial<BenchResult>;
  if (typeof r.suite !== 'string' || !Array.isArray(r.warnings)) return null;
  return value as BenchResult;
}

/** ETA of a phase from its own pace: elapsed per step × steps left. */
export function etaFromPace(elapsedMs: number, done: number, total: number): number | null {
  if (!(done > 0) || !(total >= done) || !(elapsedMs >= 0)) return null;
  return Math.round((elapsedMs / done) * (total - done));
}
