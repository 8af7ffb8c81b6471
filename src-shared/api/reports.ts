/** The reports capability's part of the API contract (runs anywhere): a report of stored runs rendered for download. */
import { z } from 'zod';
import { runId } from './common.js';

export const reportsMethods = {
  /** A report of one run, or a comparison of several, rendered for download (PDF as base64). */
  'reports.render': z
    .object({
      ids: z.array(runId).min(1, { error: 'give at least one run id' }).max(20, { error: 'at most 20 runs in one report' }),
      format: z.enum(['html', 'md', 'csv', 'json', 'pdf']),
    })
    .strict(),
} as const;

export interface ReportsResults {
  'reports.render': { fileName: string; mimeType: string; encoding: 'utf8' | 'base64'; content: string };
}
