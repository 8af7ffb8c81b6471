/**
 * The Hardware page's state in one reducer (renderer, pure): the last report, the last failure,
 * what is running (a detection or a save) and the run a save stored. A detection that does not
 * save withdraws the "Saved as run #" note; a failure keeps the report shown before it.
 */
import type { ResultOf } from '../src-shared/api/contract.js';
import type { ApiError } from '../src-shared/api/types.js';

export type HardwareResult = ResultOf<'hardware.detect'>;

export interface HardwareState {
  report: HardwareResult | null;
  error: ApiError | null;
  /** What is running; the page starts by detecting. */
  busy: null | 'detect' | 'save';
  savedRunId: number | null;
}

export const initialHardwareState: HardwareState = { report: null, error: null, busy: 'detect', savedRunId: null };

export type HardwareAction = { type: 'start'; save: boolean } | { type: 'detected'; report: HardwareResult; save: boolean } | { type: 'failed'; error: ApiError };

export function hardwareReducer(s: HardwareState, a: HardwareAction): HardwareState {
  switch (a.type) {
    case 'start':
      return { ...s, busy: a.save ? 'save' : 'detect', error: null, savedRunId: a.save ? s.savedRunId : null };
    case 'detected':
      return { ...s, busy: null, report: a.report, savedRunId: a.save ? a.report.runId : s.savedRunId };
    case 'failed':
      return { ...s, busy: null, error: a.error };
  }
}
