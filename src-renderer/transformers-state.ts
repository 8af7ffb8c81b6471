/**
 * The Transformers page's state in one reducer (renderer, pure): the form, the chosen metric, the
 * live prediction, the measure job and its result, the stored run, and whether this machine has
 * a roofline. Every change the page makes is one action here.
 */
import type { AttentionSweepResult } from '../src-shared/api/attention.js';
import type { AttentionMetric } from '../src-shared/charts/attention-sweep-chart.js';
import type { ApiError, JobEvent } from '../src-shared/api/types.js';

export interface TransformersForm {
  preset: string;
  dModel: string;
  heads: string;
  kvHeads: string;
  ffn: string;
  layers: string;
  batch: string;
  variants: string;
  seqFrom: string;
  seqTo: string;
  device: string;
}

export const DEFAULT_FORM: TransformersForm = {
  preset: 'gpt2',
  dModel: '768',
  heads: '12',
  kvHeads: '',
  ffn: '',
  layers: '12',
  batch: '1',
  variants: 'full,causal,sliding:512,dilated:512:2,global:512:16,bigbird:64:3:2,linear,gqa:4,flash,tome:16',
  seqFrom: '256',
  seqTo: '65536',
  device: 'this',
};

/** The device the form starts on when this machine has no measured roofline. */
export const FALLBACK_GPU = 'NVIDIA H100 SXM5 80GB';

export type Measure = { state: 'idle' } | { state: 'running'; jobId: string; done: number; total: number; label: string } | { state: 'cancelling'; jobId: string } | { state: 'cancelled' } | { state: 'failed'; error: ApiError };

export interface TransformersState {
  form: TransformersForm;
  metric: AttentionMetric;
  result: { ok: AttentionSweepResult } | { error: ApiError } | null;
  measured: AttentionSweepResult | null;
  measure: Measure;
  saved: number | null;
  /** Whether this machine has a measured roofline to predict on; null while asking. */
  hasRoofline: boolean | null;
}

export const initialTransformersState: TransformersState = {
  form: DEFAULT_FORM,
  metric: 'predictedSeconds',
  result: null,
  measured: null,
  measure: { state: 'idle' },
  saved: null,
  hasRoofline: null,
};

export interface Preset {
  name: string;
  dModel: number;
  heads: number;
  layers: number;
  ffn?: number;
}

export type TransformersAction =
  | { type: 'roofline'; has: boolean }
  | { type: 'roofline-unknown' }
  | { type: 'edit'; key: keyof TransformersForm; value: string }
  | { type: 'preset'; name: string; preset: Preset | undefined }
  | { type: 'metric'; metric: AttentionMetric }
  | { type: 'result'; result: { ok: AttentionSweepResult } | { error: ApiError } }
  | { type: 'measure-requested' }
  | { type: 'measure-started'; jobId: string }
  | { type: 'measure-event'; event: JobEvent }
  | { type: 'measure-failed'; error: ApiError }
  | { type: 'measure-cancelling' }
  | { type: 'saved'; runId: number | null };

export function transformersReducer(s: TransformersState, a: TransformersAction): TransformersState {
  switch (a.type) {
    case 'roofline':
      // Without a stored benchmark "this machine" has no roofline: start on a catalog GPU instead.
      return { ...s, hasRoofline: a.has, form: !a.has && s.form.device === 'this' ? { ...s.form, device: FALLBACK_GPU } : s.form };
    case 'roofline-unknown':
      return { ...s, hasRoofline: false };
    case 'edit':
      return { ...s, saved: null, form: { ...s.form, [a.key]: a.value } };
    case 'preset': {
      const p = a.preset;
      return { ...s, form: { ...s.form, preset: a.name, ...(p ? { dModel: String(p.dModel), heads: String(p.heads), layers: String(p.layers), ffn: p.ffn ? String(p.ffn) : '' } : {}) } };
    }
    case 'metric':
      return { ...s, metric: a.metric };
    case 'result':
      return { ...s, result: a.result };
    case 'measure-requested':
      return { ...s, measured: null };
    case 'measure-started':
      return { ...s, measure: { state: 'running', jobId: a.jobId, done: 0, total: 1, label: 'starting' } };
    case 'measure-event': {
      const e = a.event;
      const m = s.measure;
      if (e.type === 'progress') return m.state === 'running' ? { ...s, measure: { ...m, done: e.done, total: e.total } } : s;
      if (e.type === 'log') return m.state === 'running' ? { ...s, measure: { ...m, label: e.message } } : s;
      if (e.type === 'result') return { ...s, measured: { ...(e.result as AttentionSweepResult), runId: e.runId }, measure: { state: 'idle' } };
      if (e.type === 'error') return { ...s, measure: { state: 'failed', error: e.error } };
      if (e.type === 'cancelled') return { ...s, measure: { state: 'cancelled' } };
      return s;
    }
    case 'measure-failed':
      return { ...s, measure: { state: 'failed', error: a.error } };
    case 'measure-cancelling':
      return s.measure.state === 'running' ? { ...s, measure: { state: 'cancelling', jobId: s.measure.jobId } } : s;
    case 'saved':
      return { ...s, saved: a.runId };
  }
}
