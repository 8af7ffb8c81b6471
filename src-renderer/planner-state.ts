/**
 * The Planner page's state in one reducer (renderer, pure): the form, the fits, a failure to
 * list them, this machine's device, and the save outcome. Any change to the form clears the
 * save outcome (it described the plan before the change).
 */
import type { FitInfo, ThisMachineDevice } from '../src-shared/api/planner.js';
import type { ApiError } from '../src-shared/api/types.js';
import { DEFAULT_FORM, type PlannerForm } from './planner-form.js';

export interface PlannerState {
  form: PlannerForm;
  fits: FitInfo[] | null;
  loadError: ApiError | null;
  thisMachine: ThisMachineDevice;
  saved: { runId: number } | { error: ApiError } | null;
}

export const initialPlannerState: PlannerState = {
  form: DEFAULT_FORM,
  fits: null,
  loadError: null,
  thisMachine: { device: null, note: 'asking the backend…' },
  saved: null,
};

export type PlannerAction =
  | { type: 'fits'; fits: FitInfo[] }
  | { type: 'load-error'; error: ApiError }
  | { type: 'this-machine'; thisMachine: ThisMachineDevice }
  | { [K in keyof PlannerForm]: { type: 'edit'; key: K; value: PlannerForm[K] } }[keyof PlannerForm]
  | { type: 'form'; form: PlannerForm }
  | { type: 'saved'; saved: { runId: number } | { error: ApiError } };

export function plannerReducer(s: PlannerState, a: PlannerAction): PlannerState {
  switch (a.type) {
    case 'fits':
      return { ...s, fits: a.fits };
    case 'load-error':
      return { ...s, loadError: a.error };
    case 'this-machine':
      return { ...s, thisMachine: a.thisMachine };
    case 'edit':
      return { ...s, saved: null, form: { ...s.form, [a.key]: a.value } };
    case 'form':
      return { ...s, saved: null, form: a.form };
    case 'saved':
      return { ...s, saved: a.saved };
  }
}

/** Chinchilla's compute-optimal ratio, ≈20 training tokens per parameter (Hoffmann et al. 2022, Table 3). */
export const CHINCHILLA_TOKENS_PER_PARAM = 20;

/**
 * A warning when a fixed model size trains on far fewer or far more tokens per parameter than
 * the fit's compute-optimal ratio at the same budget (more than `factor` times off), else null.
 */
export function farFromOptimal(tokensPerParam: number, optimalTokensPerParam: number, factor = 3): string | null {
  if (!(tokensPerParam > 0) || !(optimalTokensPerParam > 0)) return null;
  const off = tokensPerParam / optimalTokensPerParam;
  if (off >= 1 / factor && off <= factor) return null;
  const ref = `the fit’s compute-optimal ≈${optimalTokensPerParam.toFixed(0)} at this budget (Chinchilla: ≈${CHINCHILLA_TOKENS_PER_PARAM}, Hoffmann et al. 2022)`;
  return off < 1
    ? `${tokensPerParam.toFixed(1)} tokens per parameter is ${(1 / off).toFixed(0)}× below ${ref}: the model is too large for this budget; a smaller model on more tokens reaches a lower loss for the same compute.`
    : `${tokensPerParam.toFixed(0)} tokens per parameter is ${off.toFixed(0)}× above ${ref}: training is compute-inefficient (it can still pay off for a model served at scale).`;
}

/** "8 GPUs", "1 GPU", or for this machine "1 × this machine". */
export function devicesLabel(count: number, thisMachine: boolean): string {
  if (thisMachine) return `${count} × this machine`;
  return `${count} GPU${count === 1 ? '' : 's'}`;
}
