/**
 * Schema pieces several capabilities' requests share (runs anywhere): the empty request, a run id,
 * a job id and an ISO date. Each capability's own file (src-shared/api/<capability>.ts) holds its
 * methods; contract.ts only combines them.
 */
import { z } from 'zod';

export const empty = z.object({}).strict();
export const runId = z.number({ error: 'expected a run id (a positive integer)' }).int().positive();
export const jobId = z.string().min(1).max(64);
export const isoDate = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z' });
