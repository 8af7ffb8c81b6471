/**
 * The History page's state in one place (renderer, pure): the listed runs, the filters, the
 * machines for the machine filter, the ticked runs, the open run, the comparison, the notice with
 * its Undo and the last error, changed only by the actions below (`historyReducer`). Kept apart
 * from the component so it can be tested in plain Node.
 */
import type { ApiError, Machine, Run, RunSummary } from '../../src-shared/api/types.js';
import type { ReportModel } from '../../src-shared/reports/report.js';

export type Detail = { id: number; state: 'loading' } | { id: number; state: 'ok'; run: Run } | { id: number; state: 'error'; error: ApiError };
export type CompareState = { state: 'loading' } | { state: 'ok'; model: ReportModel; ids: number[] } | { state: 'error'; error: ApiError };
export interface HistoryFilters {
  kind: string;
  machineId: string;
  since: string;
  until: string;
  search: string;
  tag: string;
}

export interface HistoryState {
  runs: RunSummary[] | null;
  error: ApiError | null;
  /** What failed, for the error's title: listing, importing a bundle or restoring a run. */
  errorTitle: string;
  detail: Detail | null;
  notice: string | null;
  /** The run the Undo button restores. */
  undoId: number | null;
  filters: HistoryFilters;
  machines: Machine[];
  /** Ticked for a comparison, in ticking order. */
  picked: number[];
  compare: CompareState | null;
}

export const initialHistoryState: HistoryState = {
  runs: null,
  error: null,
  errorTitle: 'Could not list runs',
  detail: null,
  notice: null,
  undoId: null,
  filters: { kind: '', machineId: '', since: '', until: '', search: '', tag: '' },
  machines: [],
  picked: [],
  compare: null,
};

export type HistoryAction =
  | { type: 'list-start' }
  | { type: 'listed'; runs: RunSummary[] }
  | { type: 'failed'; title: string; error: ApiError }
  | { type: 'machines'; machines: Machine[] }
  | { type: 'filter'; key: keyof HistoryFilters; value: string }
  | { type: 'pick'; id: number; picked: boolean }
  | { type: 'compare'; compare: CompareState | null }
  | { type: 'imported'; notice: string }
  | { type: 'restored'; id: number }
  | { type: 'select'; id: number }
  | { type: 'detail-loaded'; id: number; run: Run }
  | { type: 'detail-failed'; id: number; error: ApiError }
  | { type: 'delete-failed'; id: number; error: ApiError }
  | { type: 'detail-close' }
  | { type: 'updated'; run: Run }
  | { type: 'deleted'; id: number };

export function historyReducer(state: HistoryState, action: HistoryAction): HistoryState {
  switch (action.type) {
    case 'list-start':
      return { ...state, error: null };
    case 'listed':
      return { ...state, runs: action.runs };
    case 'failed':
      return { ...state, errorTitle: action.title, error: action.error };
    case 'machines':
      return { ...state, machines: action.machines };
    case 'filter':
      return { ...state, filters: { ...state.filters, [action.key]: action.value } };
    case 'pick':
      return { ...state, picked: action.picked ? [...state.picked, action.id] : state.picked.filter((x) => x !== action.id) };
    case 'compare':
      return { ...state, compare: action.compare };
    case 'imported':
      return { ...state, notice: action.notice, undoId: null };
    case 'restored':
      return { ...state, notice: `Restored run #${action.id}`, undoId: null };
    case 'select':
      return { ...state, notice: null, detail: { id: action.id, state: 'loading' } };
    // A run that arrives after another row was selected is dropped.
    case 'detail-loaded':
      return state.detail?.id === action.id ? { ...state, detail: { id: action.id, state: 'ok', run: action.run } } : state;
    case 'detail-failed':
      return state.detail?.id === action.id ? { ...state, detail: { id: action.id, state: 'error', error: action.error } } : state;
    case 'delete-failed':
      return { ...state, detail: { id: action.id, state: 'error', error: action.error } };
    case 'detail-close':
      return { ...state, detail: null };
    case 'updated':
      return { ...state, detail: { id: action.run.id, state: 'ok', run: action.run } };
    case 'deleted':
      return { ...state, detail: null, notice: `Deleted run #${action.id}`, undoId: action.id, picked: state.picked.filter((x) => x !== action.id) };
  }
}

/** The open run's panel: the Delete confirmation, the tags and note being edited, and a failed save. */
export interface RunDetailState {
  confirming: boolean;
  tags: string;
  note: string;
  saveError: ApiError | null;
}

export const initialRunDetailState: RunDetailState = { confirming: false, tags: '', note: '', saveError: null };

export type RunDetailAction =
  | { type: 'confirming'; confirming: boolean }
  /** A run arrived (loaded or saved): its tags and note fill the fields. */
  | { type: 'run'; run: Run }
  | { type: 'edit'; key: 'tags' | 'note'; value: string }
  | { type: 'save-start' }
  | { type: 'save-failed'; error: ApiError };

export function runDetailReducer(state: RunDetailState, action: RunDetailAction): RunDetailState {
  switch (action.type) {
    case 'confirming':
      return state.confirming === action.confirming ? state : { ...state, confirming: action.confirming };
    case 'run':
      return { ...state, tags: (action.run.tags ?? []).join(', '), note: action.run.note ?? '' };
    case 'edit':
      return { ...state, [action.key]: action.value };
    case 'save-start':
      return { ...state, saveError: null };
    case 'save-failed':
      return { ...state, saveError: action.error };
  }
}

/** Report and bundle downloads: the report being rendered (one at a time) and the last failure. */
export interface ExportState {
  busy: string | null;
  error: ApiError | null;
}

export const initialExportState: ExportState = { busy: null, error: null };

export type ExportAction = { type: 'report-start'; format: string } | { type: 'report-done' } | { type: 'bundle-start' } | { type: 'failed'; error: ApiError };

export function exportReducer(state: ExportState, action: ExportAction): ExportState {
  switch (action.type) {
    case 'report-start':
      return { busy: action.format, error: null };
    case 'report-done':
      return { ...state, busy: null };
    case 'bundle-start':
      return { ...state, error: null };
    case 'failed':
      return { ...state, error: action.error };
  }
}
