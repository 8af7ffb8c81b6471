import { describe, expect, it } from 'vitest';
import { hardwareReducer as reduce, initialHardwareState as s0, type HardwareResult } from './hardware-state.js';

const report = { runId: 12 } as HardwareResult;
const error = { code: 'INTERNAL', message: 'x' } as const;

describe('hardware page state', () => {
  it('starts detecting; a detection shows the report without a saved run', () => {
    expect(s0).toEqual({ report: null, error: null, busy: 'detect', savedRunId: null });
    expect(reduce(s0, { type: 'detected', report, save: false })).toEqual({ report, error: null, busy: null, savedRunId: null });
  });

  it('a save keeps its run id until a detection that does not save', () => {
    let s = reduce(reduce(s0, { type: 'start', save: true }), { type: 'detected', report, save: true });
    expect(s).toMatchObject({ busy: null, savedRunId: 12 });
    expect(reduce(s, { type: 'start', save: true })).toMatchObject({ busy: 'save', savedRunId: 12 });
    s = reduce(s, { type: 'start', save: false });
    expect(s).toMatchObject({ busy: 'detect', savedRunId: null });
  });

  it('a failure keeps the report shown before it; the next start clears the failure', () => {
    const s = reduce(reduce(s0, { type: 'detected', report, save: false }), { type: 'failed', error });
    expect(s).toMatchObject({ report, error, busy: null });
    expect(reduce(s, { type: 'start', save: false }).error).toBeNull();
  });
});
