/**
 * The LLMs page's state in one reducer (renderer, pure): the source (a well-known model, an
 * uploaded GGUF / config.json / safetensors, or a zoo GGUF to measure), the settings form, the
 * devices to fit against, the live estimate, the measure job and its result, and the stored run.
 */
import type { LlmEstimateResult, LlmSource } from '../src-shared/api/llm.js';
import type { ApiError } from '../src-shared/api/types.js';
import { measureJobStep, type MeasureJob, type MeasureJobAction } from './measure-job.js';

export type LlmSourceChoice =
  | { kind: 'known'; id: string }
  | { kind: 'upload'; state: 'none' }
  | { kind: 'upload'; state: 'uploading'; name: string }
  | { kind: 'upload'; state: 'ready'; name: string; uploadId: string; bytes: number }
  | { kind: 'upload'; state: 'error'; name: string; message: string }
  | { kind: 'zoo'; size: 'tiny' | 'small' | 'medium' | 'large'; quant: 'F16' | 'Q8_0' | 'Q4_0' };

export interface LlmForm {
  quant: string;
  context: string;
  batch: string;
  prompt: string;
  gen: string;
  kvDtype: 'f32' | 'f16' | 'bf16' | 'q8_0' | 'q4_0';
  depth: string;
  depths: string;
  /** Catalog GPUs (names) and "apple:<GB>" entries to fit against. */
  devices: string[];
}

export const DEFAULT_LLM_FORM: LlmForm = { quant: 'Q4_K_M', context: '4096', batch: '1', prompt: '512', gen: '128', kvDtype: 'f16', depth: '', depths: '0,256', devices: [] };

export type LlmMeasure = MeasureJob;

export interface LlmsState {
  source: LlmSourceChoice;
  form: LlmForm;
  estimate: { ok: LlmEstimateResult } | { error: ApiError } | null;
  measured: LlmEstimateResult | null;
  measure: LlmMeasure;
  saved: number | null;
}

export const initialLlmsState: LlmsState = {
  source: { kind: 'known', id: 'meta-llama-3-8b' },
  form: DEFAULT_LLM_FORM,
  estimate: null,
  measured: null,
  measure: { state: 'idle' },
  saved: null,
};

export type LlmsAction =
  | { type: 'source'; source: LlmSourceChoice }
  | { type: 'edit'; key: Exclude<keyof LlmForm, 'devices' | 'kvDtype'>; value: string }
  | { type: 'kv-dtype'; value: LlmForm['kvDtype'] }
  | { type: 'toggle-device'; device: string }
  | { type: 'estimate'; estimate: { ok: LlmEstimateResult } | { error: ApiError } }
  | { type: 'measure-requested' }
  | MeasureJobAction
  | { type: 'saved'; runId: number | null };

export function llmsReducer(s: LlmsState, a: LlmsAction): LlmsState {
  switch (a.type) {
    case 'source':
      return { ...s, source: a.source, measured: null, saved: null };
    case 'edit':
      return { ...s, form: { ...s.form, [a.key]: a.value }, saved: null };
    case 'kv-dtype':
      return { ...s, form: { ...s.form, kvDtype: a.value }, saved: null };
    case 'toggle-device': {
      const has = s.form.devices.includes(a.device);
      return { ...s, form: { ...s.form, devices: has ? s.form.devices.filter((d) => d !== a.device) : [...s.form.devices, a.device] } };
    }
    case 'estimate':
      return { ...s, estimate: a.estimate };
    case 'measure-requested':
      return { ...s, measured: null };
    case 'measure-started':
    case 'measure-event':
    case 'measure-failed':
    case 'measure-cancelling': {
      const step = measureJobStep(s.measure, a);
      return step.result ? { ...s, measure: step.measure, measured: { ...(step.result.value as LlmEstimateResult), runId: step.result.runId } } : { ...s, measure: step.measure };
    }
    case 'saved':
      return { ...s, saved: a.runId };
  }
}

/** The source as the API takes it; null while an upload is not ready. */
export function apiSource(source: LlmSourceChoice): LlmSource | null {
  if (source.kind === 'known') return { known: source.id };
  if (source.kind === 'zoo') return { zoo: source.size, quant: source.quant };
  return source.state === 'ready' ? { upload: source.uploadId } : null;
}

/** Whether the source is a GGUF llama.cpp can run (a zoo model, or an uploaded .gguf). */
export function measurable(source: LlmSourceChoice): boolean {
  return source.kind === 'zoo' || (source.kind === 'upload' && source.state === 'ready' && /\.gguf$/i.test(source.name));
}

/** The form as API settings, or a message naming the field that is wrong. */
export function settingsOf(form: LlmForm): { settings: Record<string, string | number> } | { error: string } {
  const settings: Record<string, string | number> = { quant: form.quant.trim() || 'Q4_K_M', kvDtype: form.kvDtype };
  for (const key of ['context', 'batch', 'prompt', 'gen', 'depth'] as const) {
    const text = form[key].trim();
    if (!text && (key === 'context' || key === 'depth')) continue;
    const m = /^(\d+)\s*([kK]?)$/.exec(text);
    const value = m ? Number(m[1]) * (m[2] ? 1024 : 1) : NaN;
    if (!(value >= (key === 'depth' ? 0 : 1))) return { error: `${key}: "${text || '(empty)'}" is not a positive whole number` };
    settings[key] = value;
  }
  return { settings };
}

/** "0,4K,16K" → [0, 4096, 16384], or null when the text is not that. */
export function depthsOf(text: string): number[] | null {
  const parts = text.split(',').map((t) => /^\s*(\d+)\s*([kK]?)\s*$/.exec(t));
  if (!parts.length || parts.some((m) => !m)) return null;
  return parts.map((m) => Number(m![1]) * (m![2] ? 1024 : 1));
}
