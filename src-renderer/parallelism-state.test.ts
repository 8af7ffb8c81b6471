import { describe, expect, it } from 'vitest';
import { initialParallelismState as s0, parallelismReducer as reduce, TRAINING_GPUS } from './parallelism-state.js';

describe('parallelism card state', () => {
  it('starts on an H100 SXM with dp 8, ZeRO-1, selective recompute and the tensor degree left to the head count', () => {
    expect(s0.gpu).toContain('H100 SXM');
    expect(TRAINING_GPUS.some((g) => g.name === s0.gpu)).toBe(true);
    expect(s0).toMatchObject({ dp: '8', tpText: '', pp: '1', zero: 1, recompute: 'selective', micro: '1', batchTokens: '4194304', intra: 'nvlink-4', inter: 'ib-ndr-400' });
  });

  it('an edit changes one field; the same value leaves the state as it is', () => {
    const s = reduce(s0, { type: 'edit', key: 'tpText', value: '4' });
    expect(s).toEqual({ ...s0, tpText: '4' });
    expect(reduce(s, { type: 'edit', key: 'zero', value: 3 }).zero).toBe(3);
    expect(reduce(s0, { type: 'edit', key: 'dp', value: '8' })).toBe(s0);
  });
});
