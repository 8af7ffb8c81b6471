/** The reports capability's part of the API contract (runs anywhere): a report of stored runs rendered for download. */
import { z } from 'zod';
import { runId } from './common.js';
import { lazyMethods } from './lazy-schema.js';

/**
 * The most runs one report compares. `flopscope report` took any number before it went through the
 * API; 1000 keeps a comparison of a whole sweep possible while bounding one request's work.
 */
export const MAX_REPORT_RUNS = 1000;

export const reportsMethods = lazyMethods({
  /** A report of one run, or a comparison of several (up to MAX_REPORT_RUNS), rendered for download (PDF as base64). */
  'reports.render': () => z
    .object({
      ids: z
        .array(runId)
        .min(1, { error: 'give at least one run id' })
        .max(MAX_REPORT_RUNS, { error: `at most ${MAX_REPORT_RUNS} runs in one report` }),
      format: z.enum(['html', 'md', 'csv', 'json', 'pdf']),
    })
    .strict(),
});

export interface ReportsResults {
  'reports.render': { fileName: string; mimeType: string; encoding: 'utf8' | 'base64'; content: string };
}
