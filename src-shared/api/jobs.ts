/** The jobs capability's part of the API contract (runs anywhere): list, follow and cancel background jobs. */
import { z } from 'zod';
import type { JobEvent, JobInfo } from './types.js';
import { empty, jobId } from './common.js';
import { lazyMethods } from './lazy-schema.js';

export const jobsMethods = lazyMethods({
  'jobs.list': () => empty,
  'jobs.events': () => z.object({ id: jobId, afterSeq: z.number().int().min(0).optional() }).strict(),
  'jobs.cancel': () => z.object({ id: jobId }).strict(),
});

export interface JobsResults {
  'jobs.list': JobInfo[];
  'jobs.events': { job: JobInfo; events: JobEvent[] };
  'jobs.cancel': { cancelled: boolean; state: JobInfo['state'] };
}
