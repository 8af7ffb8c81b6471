/**
 * The Planner's "cost of the learning algorithm" card in one reducer (renderer, pure): n, d and
 * the chart's step count as typed (checked by the card), what the chart shows (FLOPs or time)
 * and the measurement job. A measured result switches the chart to time.
 */
import type { ApiError } from '../src-shared/api/types.js';
import type { GdCostMetric } from '../src-shared/charts/gd-cost-chart.js';

/** The result of `lesson.linreg.start`. */
export interface Measured {
  seconds: { recomputeStep: number; precompute: number; precomputeStep: number };
  gflops: { recomputeStep: number; precompute: number; precomputeStep: number };
  measuredBreakEvenSteps: number | null;
  threads: number;
  n: number;
  d: number;
  verified: { ok: boolean; maxRelError: number };
  /** Power sampled while the three graphs ran. */
  energy?: unknown;
}

export type GdLessonJob = { state: 'idle' } | { state: 'running' } | { state: 'done'; m: Measured; runId: number | null } | { state: 'error'; error: ApiError };

export interface GdLessonState {
  nText: string;
  dText: string;
  kText: string;
  metric: GdCostMetric;
  job: GdLessonJob;
}

export const initialGdLessonState: GdLessonState = {
  nText: '100000',
  dText: '256',
  kText: '10000',
  metric: 'flops',
  job: { state: 'idle' },
};

type Editable = 'nText' | 'dText' | 'kText' | 'metric';

export type GdLessonAction =
  | { [K in Editable]: { type: 'edit'; key: K; value: GdLessonState[K] } }[Editable]
  | { type: 'measure' }
  | { type: 'result'; m: Measured; runId: number | null }
  | { type: 'error'; error: ApiError }
  | { type: 'cancelled' };

export function gdLessonReducer(s: GdLessonState, a: GdLessonAction): GdLessonState {
  switch (a.type) {
    case 'edit':
      return s[a.key] === a.value ? s : { ...s, [a.key]: a.value };
    case 'measure':
      return { ...s, job: { state: 'running' } };
    case 'result':
      return { ...s, job: { state: 'done', m: a.m, runId: a.runId }, metric: 'seconds' };
    case 'error':
      return { ...s, job: { state: 'error', error: a.error } };
    case 'cancelled':
      return { ...s, job: { state: 'idle' } };
  }
}
