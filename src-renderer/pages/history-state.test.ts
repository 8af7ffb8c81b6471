/** The History page's reducer: the transitions the page relies on. */
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src-shared/api/types.js';
import { exportReducer, historyReducer, initialExportState, initialHistoryState, initialRunDetailState, runDetailReducer, type HistoryState } from './history-state.js';

const run = { id: 7, kind: 'bench' } as Run;
const error = { code: 'INTERNAL', message: 'boom' } as const;

describe('historyReducer', () => {
  it('drops a run that arrives after another row was selected', () => {
    let s: HistoryState = historyReducer({ ...initialHistoryState, notice: 'x' }, { type: 'select', id: 7 });
    expect(s.notice).toBeNull();
    s = historyReducer(s, { type: 'select', id: 8 });
    expect(historyReducer(s, { type: 'detail-loaded', id: 7, run })).toBe(s);
    expect(historyReducer(s, { type: 'detail-failed', id: 7, error })).toBe(s);
    expect(historyReducer(s, { type: 'delete-failed', id: 7, error }).detail).toEqual({ id: 7, state: 'error', error });
  });

  it('deleting unticks the run and offers Undo; restoring or importing withdraws it', () => {
    let s = historyReducer(initialHistoryState, { type: 'pick', id: 7, picked: true });
    s = historyReducer(s, { type: 'pick', id: 9, picked: true });
    s = historyReducer(s, { type: 'deleted', id: 7 });
    expect(s).toMatchObject({ picked: [9], undoId: 7, notice: 'Deleted run #7', detail: null });
    expect(historyReducer(s, { type: 'restored', id: 7 })).toMatchObject({ undoId: null, notice: 'Restored run #7' });
    expect(historyReducer(s, { type: 'imported', notice: 'Imported 1 run' })).toMatchObject({ undoId: null, notice: 'Imported 1 run' });
  });

  it('keeps the error title with the error and clears the error when listing again', () => {
    let s = historyReducer(initialHistoryState, { type: 'failed', title: 'Could not import a.json', error });
    expect(s).toMatchObject({ errorTitle: 'Could not import a.json', error });
    s = historyReducer(s, { type: 'list-start' });
    expect(s.error).toBeNull();
    expect(historyReducer(s, { type: 'filter', key: 'tag', value: 'x' }).filters).toEqual({ ...initialHistoryState.filters, tag: 'x' });
  });
});

describe('runDetailReducer', () => {
  it('fills tags and note from a run, edits them, and keeps a failed save until the next one', () => {
    let s = runDetailReducer(initialRunDetailState, { type: 'run', run: { ...run, tags: ['a', 'b'], note: 'n' } });
    expect(s).toMatchObject({ tags: 'a, b', note: 'n' });
    expect(runDetailReducer(s, { type: 'run', run }).tags).toBe('');
    s = runDetailReducer(s, { type: 'edit', key: 'note', value: 'm' });
    s = runDetailReducer(s, { type: 'save-failed', error });
    expect(s).toMatchObject({ note: 'm', tags: 'a, b', saveError: error });
    expect(runDetailReducer(s, { type: 'save-start' }).saveError).toBeNull();
  });

  it('a confirmation that does not change leaves the state as it is', () => {
    expect(runDetailReducer(initialRunDetailState, { type: 'confirming', confirming: false })).toBe(initialRunDetailState);
    expect(runDetailReducer(initialRunDetailState, { type: 'confirming', confirming: true }).confirming).toBe(true);
  });
});

describe('exportReducer', () => {
  it('a report is busy until done and clears the last error; a bundle clears it without busying', () => {
    let s = exportReducer(initialExportState, { type: 'failed', error });
    expect(exportReducer(s, { type: 'bundle-start' })).toEqual({ busy: null, error: null });
    s = exportReducer(s, { type: 'report-start', format: 'pdf' });
    expect(s).toEqual({ busy: 'pdf', error: null });
    s = exportReducer(exportReducer(s, { type: 'failed', error }), { type: 'report-done' });
    expect(s).toEqual({ busy: null, error });
  });
});
