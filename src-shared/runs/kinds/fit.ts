/**
 * The 'fit' run kind: a scaling law fitted to (N, D, loss) runs (fits.create); its params carry
 * the fit's name and the runs it was fitted to. Reports list it as stored (no blocks of its own).
 */
import { z } from 'zod';
import { arr as list, count, expected, lo, num as number, numOrNull, warnings } from '../schema-parts.js';
import { defineKind } from './entry.js';
import { join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';

const interval = lazySchema(() => z.tuple([numOrNull, numOrNull], expected('an interval [lo, hi]')));

/** FittedLaw (src-shared/planner/fit-law.ts): what fits.create stores and fits.list turns into a fit. */
export const fitResultSchema = lazySchema(() => lo({
  law: lo({ kind: z.literal('parametric'), E: number, A: number, B: number, alpha: number, beta: number }),
  objective: number,
  nRuns: count,
  huberDelta: number,
  starts: number,
  topK: number,
  bootstrap: lo({ samples: number, ci: lo({ E: interval, A: interval, B: interval, alpha: interval, beta: interval }) }),
  residuals: list(lo({ N: number, D: number, loss: number, predicted: number, logResidual: number })),
  rmseLog: number,
  frontierExponents: lo({ a: number, b: number, ci: lo({ a: interval, b: interval }) }),
  warnings,
}));

/** StoredFitParams (src-main/services/planner/planner-service.ts): the fit's name is shown in the fit picker. */
export const fitParamsSchema = lazySchema(() => lo({
  name: z.string(expected("the fit's name")).min(1, { error: 'a fit needs a name' }).max(100, { error: 'at most 100 characters' }),
  runs: list(lo({ N: number, D: number, loss: number, flops: number.optional() })),
  csvWarnings: warnings.optional(),
}));

export type FitResult = z.infer<typeof fitResultSchema>;

export const fitKind = defineKind<'fit', FitResult>({
  name: 'fit',
  subject: { paths: ['params:$.name', '$.nRuns'], text: (v) => join([part(v[0]), part(v[1]) ? `${part(v[1])} runs` : null]) },
  label: 'scaling-law fit',
  measured: false,
  schemas: { params: fitParamsSchema, result: fitResultSchema },
  plausible: [
    { path: 'law.E', min: 0, max: 100, unit: 'nats', what: 'an irreducible loss' },
    { path: 'law.alpha', min: 0, max: 5, minExclusive: true, unit: '', what: 'a scaling exponent' },
    { path: 'law.beta', min: 0, max: 5, minExclusive: true, unit: '', what: 'a scaling exponent' },
    { path: 'nRuns', min: 1, max: 1e6, unit: '', what: 'a number of fitted runs' },
  ],
  history: { columns: [], energyDetail: false },
});
