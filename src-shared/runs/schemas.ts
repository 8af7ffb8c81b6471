/**
 * What a stored run of each kind looks like (runs anywhere): one zod schema per run kind for its
 * `result` (and for `params` where something reads them), plus the HardwareReport a machine
 * record carries. Imports check every run against these before anything is written (see
 * src-main/services/history/bundles.ts), the way the API checks requests against the contract, so
 * a correctly signed but hostile bundle cannot store a result the pages, the reports or
 * `fits.list` would then trip over.
 *
 * Each schema now lives in its kind's registry entry (./kinds/<kind>.ts), built from the pieces in
 * ./schema-parts.ts; this file re-exports them for the code that imports them by name.
 *
 * The schemas follow the TypeScript types of what the app stores (HardwareReport, BenchResult,
 * ProfileResult, PlanResult, FittedLaw, LinregMeasurement, AttentionSweepResult) in every field
 * something reads. Objects are loose (unknown extra members pass: a newer FLOPscope may add
 * some), numbers are finite (JSON has no others) and `null` where the app itself can store one (a
 * ratio that was not finite, a figure that was not measured). Fields added after a kind first
 * shipped are optional. Plausible ranges are not enforced here: a number out of range is stored
 * and shown with a warning (./plausibility.ts).
 */
import type { z } from 'zod';
import type { RunKind } from '../api/types.js';
import { RUN_KIND_REGISTRY } from './kinds/index.js';

export { energyReportSchema, issuesOf, machineIdSchema, storedText } from './schema-parts.js';
export { hardwareReportSchema, peakSchema } from './kinds/hardware.js';
export { benchResultSchema, calibrationSchema, rooflineSchema } from './kinds/bench.js';
export { profileResultSchema } from './kinds/profile.js';
export { planResultSchema } from './kinds/plan.js';
export { fitParamsSchema, fitResultSchema } from './kinds/fit.js';
export { lessonResultSchema } from './kinds/lesson.js';
export { attentionResultSchema } from './kinds/attention.js';
export { checkRunPayload } from './kinds/index.js';

export interface RunKindSchemas {
  params: z.ZodType;
  result: z.ZodType;
}

/** Each kind's schemas, from the run-kind registry. */
export const RUN_KIND_SCHEMAS: Record<RunKind, RunKindSchemas> = Object.fromEntries(Object.values(RUN_KIND_REGISTRY).map((e) => [e.name, e.schemas])) as Record<RunKind, RunKindSchemas>;
