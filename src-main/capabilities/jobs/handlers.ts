/** The jobs capability (Node side): list, follow and cancel background jobs. */
import type { jobsMethods } from '../../../src-shared/api/jobs.js';
import type { CapabilityHandlers } from '../context.js';

export const jobsHandlers: CapabilityHandlers<keyof typeof jobsMethods> = {
  'jobs.list': (_req, ctx) => ctx.jobs.list(),
  'jobs.events': (req, ctx) => ({ job: ctx.jobs.get(req.id), events: ctx.jobs.events(req.id, req.afterSeq ?? 0) }),
  'jobs.cancel': (req, ctx) => ctx.jobs.cancel(req.id),
};
