/**
 * The Planner page's form (renderer, pure): text fields → a plan request, and the plan computed
 * in the page with src-shared/planner (no round trip, so every slider move recomputes). Each
 * problem comes back as { field, message } for the matching input; nothing returns NaN.
 */
import type { PlanRequest, ThisMachineDevice } from '../src-shared/api/planner.js';
import { catalogDevice, PlanInputError } from '../src-shared/planner/budget.js';
import { findGpu, GPU_CATALOG } from '../src-shared/hardware/gpu-catalog.js';
import { DEFAULT_GRID_G_PER_KWH, DEFAULT_PUE } from '../src-shared/planner/energy.js';
import { parseQuantity } from '../src-shared/planner/format.js';
import { makePlan, type PlanResult } from '../src-shared/planner/plan.js';
import { planInputFromRequest } from '../src-shared/planner/request.js';
import type { Fit } from '../src-shared/planner/types.js';

export type BudgetKind = 'flops' | 'device-hours' | 'money';

export interface PlannerForm {
  budgetKind: BudgetKind;
  flops: string;
  device: string;
  hours: string;
  count: string;
  mfu: string;
  usd: string;
  usdPerHour: string;
  fit: string;
  params: string;
  inferenceTokens: string;
  uniqueTokens: string;
  vocab: string;
  context: string;
  /** Site PUE and grid intensity for the plan's energy and CO₂ (empty = the stated default). */
  pue: string;
  gridGPerKwh: string;
}

export const DEFAULT_FORM: PlannerForm = {
  budgetKind: 'flops',
  flops: '1e22',
  device: 'NVIDIA H100 SXM5 80GB',
  hours: '720',
  count: '8',
  mfu: '0.40',
  usd: '100000',
  usdPerHour: '2.50',
  fit: 'chinchilla-3',
  params: '',
  inferenceTokens: '',
  uniqueTokens: '',
  vocab: '32000',
  context: '2048',
  pue: String(DEFAULT_PUE),
  gridGPerKwh: String(DEFAULT_GRID_G_PER_KWH),
};

export interface FieldError {
  field: string;
  message: string;
}

/** Maps a planner field name (PlanInputError.field) to the form input that shows it. */
const FIELD_TO_INPUT: Record<string, keyof PlannerForm> = {
  compute: 'flops',
  hours: 'hours',
  count: 'count',
  mfu: 'mfu',
  'budget-usd': 'usd',
  'usd-per-hour': 'usdPerHour',
  device: 'device',
  'device peak': 'device',
  'device watts': 'device',
  params: 'params',
  'inference-tokens': 'inferenceTokens',
  'unique-tokens': 'uniqueTokens',
  vocab: 'vocab',
  context: 'context',
  fit: 'fit',
  budget: 'flops',
  pue: 'pue',
  'grid-g-per-kwh': 'gridGPerKwh',
};

export function inputForField(field: string): keyof PlannerForm {
  return FIELD_TO_INPUT[field] ?? 'flops';
}

const LABELS: Partial<Record<keyof PlannerForm, string>> = {
  flops: 'Compute',
  hours: 'Hours',
  count: 'Devices',
  mfu: 'MFU',
  usd: 'Budget (USD)',
  usdPerHour: 'Price per device-hour',
  params: 'Parameters',
  inferenceTokens: 'Inference tokens',
  uniqueTokens: 'Unique tokens',
  vocab: 'Vocabulary',
  context: 'Context',
  pue: 'PUE',
  gridGPerKwh: 'Grid intensity',
};

/** The form as a plan request, or the first field that is not a number. */
export function requestFromForm(form: PlannerForm): { request: PlanRequest } | { error: FieldError } {
  const num = (key: keyof PlannerForm, optional = false): number | undefined | FieldError => {
    const text = form[key].trim();
    if (!text && optional) return undefined;
    const q = parseQuantity(text);
    if (q === null) return { field: key, message: `${LABELS[key] ?? key}: "${text || '(empty)'}" is not a number (write e.g. 1e22, 7B or 2.5)` };
    return q;
  };
  const isErr = (v: unknown): v is FieldError => typeof v === 'object' && v !== null;
  const values: Partial<Record<keyof PlannerForm, number | undefined>> = {};
  const needed: Array<[keyof PlannerForm, boolean]> = [
    ['params', true],
    ['inferenceTokens', true],
    ['uniqueTokens', true],
    ['vocab', true],
    ['context', true],
    ['pue', true],
    ['gridGPerKwh', true],
  ];
  if (form.budgetKind === 'flops') needed.unshift(['flops', !!form.params.trim()]);
  if (form.budgetKind === 'device-hours') needed.unshift(['hours', false], ['count', true], ['mfu', true]);
  if (form.budgetKind === 'money') needed.unshift(['usd', false], ['usdPerHour', false], ['count', true], ['mfu', true]);
  for (const [key, optional] of needed) {
    const v = num(key, optional);
    if (isErr(v)) return { error: v };
    values[key] = v;
  }
  const opt = <K extends string>(name: K, v: number | undefined) => (v === undefined ? {} : ({ [name]: v } as Record<K, number>));
  const request: PlanRequest = {
    fit: form.fit,
    ...opt('params', values.params),
    ...opt('inferenceTokens', values.inferenceTokens),
    ...opt('uniqueTokens', values.uniqueTokens),
    ...opt('vocab', values.vocab),
    ...opt('context', values.context),
    ...opt('pue', values.pue),
    ...opt('gridGPerKwh', values.gridGPerKwh),
  };
  if (form.budgetKind === 'flops' && values.flops !== undefined) request.budget = { kind: 'flops', flops: values.flops };
  if (form.budgetKind === 'device-hours') request.budget = { kind: 'device-hours', device: form.device, hours: values.hours!, ...opt('count', values.count), ...opt('mfu', values.mfu) };
  if (form.budgetKind === 'money') request.budget = { kind: 'money', device: form.device, usd: values.usd!, usdPerHour: values.usdPerHour!, ...opt('count', values.count), ...opt('mfu', values.mfu) };
  return { request };
}

export type PlanOutcome = { ok: true; request: PlanRequest; plan: PlanResult } | { ok: false; error: FieldError };

/** The plan for the form under the given fits; field errors instead of exceptions. */
export function planFromForm(form: PlannerForm, customFits: readonly Fit[], thisMachine: ThisMachineDevice): PlanOutcome {
  const parsed = requestFromForm(form);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  try {
    const plan = makePlan(planInputFromRequest(parsed.request, { customFits, thisMachine }));
    return { ok: true, request: parsed.request, plan };
  } catch (e) {
    if (e instanceof PlanInputError) return { ok: false, error: { field: inputForField(e.field), message: e.message } };
    return { ok: false, error: { field: 'flops', message: e instanceof Error ? e.message : String(e) } };
  }
}

/** A number as a form field shows it: 3 significant digits, no "e+" ("1.41e3", "720"). */
function fieldNumber(v: number): string {
  return String(Number(v.toPrecision(3))).replace('e+', 'e');
}

/**
 * The form switched to another kind of budget with the same compute: the FLOPs of the current
 * plan become that many device-hours of the chosen device (count × peak × MFU per second) or
 * their price, so switching does not throw the budget away. Without a plan or a device peak only
 * the kind changes.
 */
export function switchBudget(form: PlannerForm, to: BudgetKind, computeFlops: number | null, peakFlops: number | null): PlannerForm {
  const next = { ...form, budgetKind: to };
  if (computeFlops === null || !(computeFlops > 0) || to === form.budgetKind) return next;
  if (to === 'flops') return { ...next, flops: fieldNumber(computeFlops) };
  const count = Number(form.count) > 0 ? Number(form.count) : 1;
  const mfu = Number(form.mfu) > 0 ? Number(form.mfu) : 0.4;
  if (!peakFlops || !(peakFlops > 0)) return next;
  const hours = computeFlops / (count * peakFlops * mfu * 3600);
  if (to === 'device-hours') return { ...next, hours: fieldNumber(hours) };
  const usdPerHour = Number(form.usdPerHour) > 0 ? Number(form.usdPerHour) : 2.5;
  return { ...next, usd: fieldNumber(hours * count * usdPerHour) };
}

/** The dense peak (FLOP/s) of the device the form names: this machine's, or a catalog GPU's; null when unknown. */
export function devicePeak(device: string, thisMachine: ThisMachineDevice): number | null {
  if (device === 'this') return thisMachine.device?.peakFlops ?? null;
  const entry = GPU_CATALOG.find((e) => e.name === device) ?? findGpu(device);
  if (!entry) return null;
  try {
    return catalogDevice(entry).peakFlops;
  } catch {
    return null;
  }
}
