/**
 * A page's measuring job in one reducer (renderer, pure), shared by the Transformers and LLMs
 * pages: started → progress and log lines → its result (with the stored run), an error, or a
 * cancel. The page's own reducer hands it the job actions and keeps the result it returns.
 */
import type { ApiError, JobEvent } from '../src-shared/api/types.js';

export type MeasureJob =
  | { state: 'idle' }
  | { state: 'running'; jobId: string; done: number; total: number; label: string }
  | { state: 'cancelling'; jobId: string }
  | { state: 'cancelled' }
  | { state: 'failed'; error: ApiError };

export type MeasureJobAction =
  | { type: 'measure-started'; jobId: string }
  | { type: 'measure-event'; event: JobEvent }
  | { type: 'measure-failed'; error: ApiError }
  | { type: 'measure-cancelling' };

/** The job's next state, and the job's result (with its stored run's id) when it just finished. */
export function measureJobStep(m: MeasureJob, a: MeasureJobAction): { measure: MeasureJob; result?: { value: unknown; runId: number | null } } {
  switch (a.type) {
    case 'measure-started':
      return { measure: { state: 'running', jobId: a.jobId, done: 0, total: 1, label: 'starting' } };
    case 'measure-failed':
      return { measure: { state: 'failed', error: a.error } };
    case 'measure-cancelling':
      return { measure: m.state === 'running' ? { state: 'cancelling', jobId: m.jobId } : m };
    case 'measure-event': {
      const e = a.event;
      if (e.type === 'progress') return { measure: m.state === 'running' ? { ...m, done: e.done, total: e.total } : m };
      if (e.type === 'log') return { measure: m.state === 'running' ? { ...m, label: e.message } : m };
      if (e.type === 'result') return { measure: { state: 'idle' }, result: { value: e.result, runId: e.runId } };
      if (e.type === 'error') return { measure: { state: 'failed', error: e.error } };
      if (e.type === 'cancelled') return { measure: { state: 'cancelled' } };
      return { measure: m };
    }
  }
}

/** A job left running when its page was left: no longer followed, so at rest (its run lands in History). */
export function settledJob(m: MeasureJob): MeasureJob {
  return m.state === 'running' || m.state === 'cancelling' ? { state: 'idle' } : m;
}
