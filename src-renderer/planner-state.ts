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
