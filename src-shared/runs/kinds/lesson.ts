/**
 * The 'lesson' run kind: the linear-regression lesson's measured gradient-descent kernels (recompute
 * against precompute), their predicted times on the roofline and the energy of the measurement.
 * Reports list it as stored (no blocks of its own).
 */
import type { z } from 'zod';
import { formatJoules, withEstimate } from '../../energy/format.js';
import { DAY, energyRanges, GFLOPS_MAX } from '../ranges.js';
import { anyJson, bool, energyReportSchema, lo, num as number, numOrNull } from '../schema-parts.js';
import { defineKind } from './entry.js';
import { energyOf } from './figures.js';
import { join, part } from '../subject.js';
import { lazySchema } from '../../api/lazy-schema.js';

const gdSeconds = lazySchema(() => lo({ recomputeStep: numOrNull, precompute: numOrNull, precomputeStep: numOrNull }));

/** LinregMeasurement (src-main/services/planner/linreg-measure.ts) with its energy. */
export const lessonResultSchema = lazySchema(() => lo({
  n: number,
  d: number,
  threads: number,
  seconds: gdSeconds,
  bestSeconds: gdSeconds,
  repeats: gdSeconds,
  flops: gdSeconds,
  gflops: gdSeconds,
  // Infinity (stored as null) when a precompute step is not faster.
  measuredBreakEvenSteps: numOrNull,
  predicted: lo({ roofline: lo({ peakGflops: number, bandwidthGBs: number }), seconds: gdSeconds, gflops: gdSeconds, breakEvenSteps: lo({ flops: numOrNull, seconds: numOrNull.optional() }) }).optional(),
  verified: lo({ maxAbsError: numOrNull, maxRelError: numOrNull, ok: bool, checked: number }),
  energy: energyReportSchema.optional(),
}));

export type LessonResult = z.infer<typeof lessonResultSchema>;

export const lessonKind = defineKind<'lesson', LessonResult>({
  name: 'lesson',
  subject: { paths: ['$.n', '$.d', '$.threads'], text: (v) => join([part(v[0]) && part(v[1]) ? `least squares ${part(v[0])}×${part(v[1])}` : null, part(v[2]) ? `${part(v[2])} thread${v[2] === 1 ? '' : 's'}` : null]) },
  label: 'lesson measurement',
  measured: true,
  schemas: { params: anyJson, result: lessonResultSchema },
  plausible: [
    { path: 'seconds.*', min: 0, max: DAY, minExclusive: true, unit: 's', what: 'the time of one kernel' },
    { path: 'gflops.*', min: 0, max: GFLOPS_MAX, unit: 'GFLOP/s', what: 'a kernel throughput' },
    ...energyRanges('a lesson run'),
  ],
  summary: { energy: true },
  // A measured lesson: its energy (no time column).
  keyFigures(result) {
    const { energy, source } = energyOf(result);
    return {
      time: null,
      energy: energy ? withEstimate(formatJoules(energy.joules), energy.estimated) : null,
      estimated: energy?.estimated ?? false,
      title: energy ? `${formatJoules(energy.joules)} over the measurement; ${source}` : '',
    };
  },
  history: { columns: ['time', 'energy'], energyDetail: false },
});
