/**
 * Starts the measured attention sweep in its worker (Node side). The worker entry is this module's
 * sibling, so the bundled app (flat out/main) finds it the same way the sources do.
 */
import type { JobContext } from '../../core/jobs.js';
import { runInWorker } from '../../core/worker-job.js';
import type { SweepOptions, SweepPoint } from './measure-attention.js';
import type { CorePrediction } from './predict-core.js';

/** The sweep's progress phase; each point's is `measure <variant> @ <seq>` (see pointPhase). */
export const MEASURE_PHASE = 'measure';

/** The progress phase of one measured point, as the worker names it (its label is "<variant> @ <seq>"). */
export function pointPhase(variant: string, seq: number): string {
  return `${MEASURE_PHASE} ${variant} @ ${seq}`;
}

export interface AttentionMeasureInput {
  sweep: Omit<SweepOptions, 'shouldCancel' | 'onProgress' | 'predict'>;
  /** The shape and device behind each point's prediction (for the time limit). */
  predict: CorePrediction;
}

export function runAttentionMeasure(input: AttentionMeasureInput, ctx: JobContext): Promise<SweepPoint[]> {
  return runInWorker<SweepPoint[]>(new URL('./attention-measure.worker.ts', import.meta.url), input, ctx);
}
