/**
 * The Transformers page's state in one reducer (renderer, pure): the form, the chosen metric, the
 * live prediction, the measure job and its result, the stored run, and whether this machine has
 * a roofline. Every change the page makes is one action here.
 */
import type { AttentionSweepResult } from '../src-shared/api/attention.js';
import type { AttentionMetric } from '../src-shared/charts/attention-sweep-chart.js';
import type { ApiError } from '../src-shared/api/types.js';
import { measureJobStep, type MeasureJob, type MeasureJobAction } from './measure-job.js';

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

export type Measure = MeasureJob;

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
  | MeasureJobAction
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
    case 'measure-event':
    case 'measure-failed':
    case 'measure-cancelling': {
      const step = measureJobStep(s.measure, a);
      return step.result ? { ...s, measure: step.measure, measured: { ...(step.result.value as AttentionSweepResult), runId: step.result.runId } } : { ...s, measure: step.measure };
    }
    case 'saved':
      return { ...s, saved: a.runId };
  }
}
