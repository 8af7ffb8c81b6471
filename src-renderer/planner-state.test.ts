import { describe, expect, it } from 'vitest';
import { initialPlannerState as s0, plannerReducer as reduce } from './planner-state.js';

describe('planner page state', () => {
  it('an edit changes the form and clears the save outcome', () => {
    const saved = reduce(s0, { type: 'saved', saved: { runId: 4 } });
    expect(saved.saved).toEqual({ runId: 4 });
    const edited = reduce(saved, { type: 'edit', key: 'flops', value: '1e21' });
    expect(edited.saved).toBeNull();
    expect(edited.form.flops).toBe('1e21');
    expect(reduce(edited, { type: 'edit', key: 'fit', value: 'mine' }).form.fit).toBe('mine');
  });

  it('holds the fits, a failure to list them and this machine', () => {
    expect(s0.thisMachine).toEqual({ device: null, note: 'asking the backend…' });
    expect(reduce(s0, { type: 'fits', fits: [] }).fits).toEqual([]);
    expect(reduce(s0, { type: 'load-error', error: { code: 'INTERNAL', message: 'x' } }).loadError).toEqual({ code: 'INTERNAL', message: 'x' });
    expect(reduce(s0, { type: 'this-machine', thisMachine: { device: null, note: 'n' } }).thisMachine.note).toBe('n');
  });
});
