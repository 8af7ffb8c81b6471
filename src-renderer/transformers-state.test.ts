import { describe, expect, it } from 'vitest';
import { FALLBACK_GPU, initialTransformersState as s0, transformersReducer as reduce } from './transformers-state.js';

describe('transformers page state', () => {
  it('falls back to a catalog GPU only when the backend says this machine has no roofline', () => {
    expect(reduce(s0, { type: 'roofline', has: false })).toMatchObject({ hasRoofline: false, form: { device: FALLBACK_GPU } });
    expect(reduce(s0, { type: 'roofline', has: true })).toMatchObject({ hasRoofline: true, form: { device: 'this' } });
    expect(reduce(s0, { type: 'roofline-unknown' })).toMatchObject({ hasRoofline: false, form: { device: 'this' } });
  });

  it('an edit clears the stored-run note; a preset fills the shape', () => {
    const saved = reduce(s0, { type: 'saved', runId: 7 });
    expect(reduce(saved, { type: 'edit', key: 'batch', value: '4' })).toMatchObject({ saved: null, form: { batch: '4' } });
    expect(reduce(s0, { type: 'preset', name: 'bert', preset: { name: 'bert', dModel: 1024, heads: 16, layers: 24 } }).form).toMatchObject({ preset: 'bert', dModel: '1024', heads: '16', layers: '24', ffn: '' });
  });

  it('follows a measure job to its result, and a cancel only while running', () => {
    let s = reduce(s0, { type: 'measure-cancelling' });
    expect(s.measure).toEqual({ state: 'idle' });
    s = reduce(s, { type: 'measure-started', jobId: 'j1' });
    s = reduce(s, { type: 'measure-event', event: { type: 'progress', done: 2, total: 5 } as never });
    expect(s.measure).toMatchObject({ state: 'running', done: 2, total: 5 });
    expect(reduce(s, { type: 'measure-cancelling' }).measure).toEqual({ state: 'cancelling', jobId: 'j1' });
    s = reduce(s, { type: 'measure-event', event: { type: 'result', result: { seqs: [] }, runId: 3 } as never });
    expect(s.measure).toEqual({ state: 'idle' });
    expect(s.measured).toMatchObject({ runId: 3 });
  });
});
