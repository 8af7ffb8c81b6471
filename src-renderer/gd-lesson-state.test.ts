import { describe, expect, it } from 'vitest';
import { gdLessonReducer as reduce, initialGdLessonState as s0, type Measured } from './gd-lesson-state.js';

const m = { n: 100000, d: 256, threads: 4 } as Measured;

describe('gradient-descent lesson state', () => {
  it('starts at n 100000, d 256, 10000 steps, showing FLOPs, with nothing measured', () => {
    expect(s0).toEqual({ nText: '100000', dText: '256', kText: '10000', metric: 'flops', job: { state: 'idle' } });
  });

  it('an edit changes one field; the same value leaves the state as it is', () => {
    const s = reduce(s0, { type: 'edit', key: 'nText', value: '5000' });
    expect(s).toEqual({ ...s0, nText: '5000' });
    expect(reduce(s, { type: 'edit', key: 'metric', value: 'seconds' }).metric).toBe('seconds');
    expect(reduce(s0, { type: 'edit', key: 'dText', value: '256' })).toBe(s0);
  });

  it('a measurement runs, then its result shows time; an error or a cancel ends it', () => {
    const running = reduce(s0, { type: 'measure' });
    expect(running.job).toEqual({ state: 'running' });
    expect(reduce(running, { type: 'result', m, runId: 7 })).toEqual({ ...s0, metric: 'seconds', job: { state: 'done', m, runId: 7 } });
    const error = { code: 'internal', message: 'boom' } as never;
    expect(reduce(running, { type: 'error', error }).job).toEqual({ state: 'error', error });
    expect(reduce(running, { type: 'cancelled' })).toEqual(s0);
    // Measuring again keeps the inputs and what the chart shows.
    const again = reduce({ ...s0, metric: 'seconds', job: { state: 'done', m, runId: null } }, { type: 'measure' });
    expect(again).toEqual({ ...s0, metric: 'seconds', job: { state: 'running' } });
  });
});
