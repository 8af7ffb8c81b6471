import { describe, expect, it } from 'vitest';
import { devicesLabel, farFromOptimal, initialPlannerState as s0, plannerReducer as reduce } from './planner-state.js';

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

describe('farFromOptimal', () => {
  it('warns for a 70B model at 1.9 tokens per parameter', () => {
    const w = farFromOptimal(1.9, 20);
    expect(w).toContain('1.9 tokens per parameter');
    expect(w).toContain('11× below');
    expect(w).toContain('Hoffmann et al. 2022');
  });
  it('warns when far above and stays quiet near the optimum', () => {
    expect(farFromOptimal(200, 20)).toContain('10× above');
    expect(farFromOptimal(20, 20)).toBeNull();
    expect(farFromOptimal(8, 20)).toBeNull();
    expect(farFromOptimal(55, 20)).toBeNull();
    expect(farFromOptimal(Number.NaN, 20)).toBeNull();
  });
});

describe('devicesLabel', () => {
  it('names the unit', () => {
    expect(devicesLabel(8, false)).toBe('8 GPUs');
    expect(devicesLabel(1, false)).toBe('1 GPU');
    expect(devicesLabel(2, true)).toBe('2 × this machine');
  });
});
