import { describe, expect, it } from 'vitest';
import { fitRefinement } from './refine.js';
import type { PredictionCheck } from './types.js';

const check = (units: Array<[string, number, number]>): PredictionCheck => ({
  latencyRatio: 1, predictedMs: 0, measuredMs: 0, closeUnitShare: 0, closeTimeShare: 0, byOpType: [], unattributedMs: 0, unattributedShare: 0,
  units: units.map(([opType, predictedMs, measuredMs]) => ({ nodes: [opType], opType, predictedMs, measuredMs })),
});

describe('fitRefinement', () => {
  const stored = [
    { model: 'a', check: check([['Transpose', 1, 2], ['Transpose', 1, 2], ['Transpose', 1, 2], ['MatMul', 10, 30]]) },
    { model: 'b', check: check([['Transpose', 1, 2], ['Transpose', 1, 2], ['Transpose', 1, 2]]), applied: { Transpose: 2 } },
    { model: 'target', check: check([['Softmax', 1, 4]]) },
  ];

  it('never fits on the model being predicted, nor refines products', () => {
    const r = fitRefinement(stored, 'target')!;
    expect(r.fittedOn).toEqual(['a', 'b']);
    expect(r.factors.map((f) => f.opType)).toEqual(['Transpose']);
  });

  it('undoes factors applied before, and shrinks toward 1 with few units', () => {
    const r = fitRefinement(stored, 'target')!;
    // a: log 2 on 3 units; b: predicted 1 was refined ×2, raw 0.5, measured 2 → log 4 on 3 units. Weighted mean = (6 log2 + 6 log4)/12 = 1.5 log 2.
    const raw = Math.exp(1.5 * Math.log(2));
    expect(r.factors[0]!.factor).toBeCloseTo(Math.exp((6 / 9) * Math.log(raw)), 12);
    expect(r.factors[0]).toMatchObject({ units: 6, models: 2 });
    expect(fitRefinement([stored[2]!], 'target')).toBeNull();
  });
});
