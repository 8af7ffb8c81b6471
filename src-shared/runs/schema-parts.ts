/**
 * The pieces every run kind's schemas are built from (runs anywhere): field-named messages, loose
 * objects, finite numbers, bounded text, stored text and the energy report measured runs carry.
 * Each kind's schemas are in its registry entry (./kinds/<kind>.ts); ./schemas.ts re-exports them.
 */
import { z } from 'zod';
import { textProblem } from './text.js';
import { lazySchema } from '../api/lazy-schema.js';

/** "missing (expected a number)" or "expected a number, got a string": what a person fixing the file needs. */
export function expected(what: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined ? `missing (expected ${what})` : `expected ${what}, got ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'a list' : typeof issue.input === 'object' ? 'an object' : typeof issue.input}`,
  };
}

export const lo = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape, expected('an object'));
export const num = z.number(expected('a number'));
/** A figure the app stores as null when it was not finite (a ratio over zero, an interval without samples). */
export const numOrNull = num.nullable();
export const count = num.int({ error: 'expected a whole number' }).nonnegative({ error: 'expected a whole number ≥ 0' });
export const bool = z.boolean(expected('true or false'));
/** Free text shown on a page: any string up to 10,000 characters. */
export const text = z.string(expected('a string')).max(10_000, { error: 'at most 10,000 characters' });
export const name = z.string(expected('a string')).max(1_000, { error: 'at most 1,000 characters' });
export const arr = <T extends z.ZodType>(item: T) => z.array(item, expected('a list'));
export const warnings = arr(text).max(10_000, { error: 'at most 10,000 entries' });

/** Text kept in a column of its own (ids, host names): valid Unicode, no control characters. */
export const storedText = (max: number, what = 'text') =>
  z
    .string(expected(what))
    .max(max, { error: `at most ${max} characters` })
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A machine's id: what runs refer to (1–200 characters of stored text). */
export const machineIdSchema = lazySchema(() => storedText(200, 'a machine id').min(1, { error: 'a machine id cannot be empty' }));

// ---- energy (bench, profile, lesson, attention) ---------------------------------------------

export const powerSource = z.enum(['powercap', 'hwmon', 'nvidia-smi', 'powermetrics', 'windows-energy-meter', 'estimate']);

export const energyReportSchema = lazySchema(() => lo({
  estimated: bool,
  source: text,
  durationSeconds: num,
  joules: num,
  avgWatts: num,
  peakWatts: num,
  samples: num,
  intervalMs: num,
  devices: arr(
    lo({
      channel: name,
      label: name,
      kind: z.enum(['cpu', 'dram', 'gpu', 'soc', 'system']),
      source: powerSource,
      detail: text,
      estimated: bool,
      inTotal: bool,
      joules: num,
      avgWatts: num,
      peakWatts: num,
      samples: num,
    }),
  ),
  phases: arr(lo({ phase: name, startS: num, endS: num, joules: num, avgWatts: num })),
  series: arr(lo({ t: num, watts: num })),
  unavailable: warnings,
  warnings,
  estimateBasis: text.optional(),
}));

/** Any JSON (params nothing reads field by field; depth and size are bounded by the bundle limits). */
export const anyJson = z.unknown();

/** "path.to.field: message" for each issue, paths under `prefix` (e.g. "runs.3.result"). */
export function issuesOf(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`);
}
