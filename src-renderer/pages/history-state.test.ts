/** The History page's reducer: the transitions the page relies on. */
import { describe, expect, it } from 'vitest';
import type { Run } from '../../src-shared/api/types.js';
import { historyReducer, initialHistoryState, type HistoryState } from './history-state.js';

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
