/**
 * The runs capability's part of the API contract (runs anywhere): list, read, tag, delete and
 * restore stored runs, and move them between stores as bundles.
 */
import { z } from 'zod';
import type { Run, RunKind, RunSummary } from './types.js';
import { RUN_KINDS } from './types.js';
import { noteSchema, tagSchema, type Bundle, type BundleImportResult } from '../history/bundle.js';
import { empty, isoDate, runId } from './common.js';
import { lazyMethods } from './lazy-schema.js';

/** The run kinds as plain strings: the wire type of runs.list's `kind` stays string (pages pass a select's value), checked against the list. */
const RUN_KIND_NAMES: readonly string[] = RUN_KINDS;

export const runsMethods = lazyMethods({
  'runs.list': () => z
    .object({
      kind: z.enum(RUN_KIND_NAMES).optional(),
      machineId: z.string().min(1).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      /** ISO date or date-time: runs created at or after it. */
      since: isoDate.optional(),
      /** ISO date or date-time: runs created at or before it (a bare date includes that whole UTC day). */
      until: isoDate.optional(),
      /** Case-insensitive substring over kind, hostname, note, tags and params. */
      search: z.string().max(200).optional(),
      /** Only runs carrying this tag (case-insensitive). */
      tag: z.string().trim().min(1).max(40).optional(),
    })
    .strict(),
  'runs.get': () => z.object({ id: runId }).strict(),
  /** Soft delete: hidden at once, restorable with runs.restore for 10 minutes, then purged. */
  'runs.delete': () => z.object({ id: runId }).strict(),
  /** Undo a runs.delete (within 10 minutes). */
  'runs.restore': () => z.object({ id: runId }).strict(),
  /** Replace a run's tags and/or note. */
  'runs.update': () => z
    .object({
      id: runId,
      /** Each trimmed, 1–40 characters of valid Unicode without control characters (the rules of a bundle's tags). */
      tags: z.array(tagSchema, { error: 'expected a list of tags' }).max(20, { error: 'at most 20 tags' }).optional(),
      /** At most 4000 characters of valid Unicode (a lone surrogate is refused: SQLite would not keep it). */
      note: noteSchema.optional(),
    })
    .strict()
    .refine((r) => r.tags !== undefined || r.note !== undefined, { error: 'give tags or note to change', path: ['tags'] }),
  /** A checksummed bundle of these runs (all live runs when ids is absent) with their machines. */
  'runs.export': () => z.object({ ids: z.array(runId).min(1, { error: 'give at least one run id, or leave ids out for all runs' }).max(100_000).optional() }).strict(),
  /**
   * Import a bundle: its file text or the parsed object, or `upload`, the id of a bundle file sent
   * through POST /api/upload (pages do this: a bundle can be far larger than a JSON request body),
   * or `file`, a path on disk, accepted from the CLI door only (`flopscope runs import <file>`;
   * http and ipc get FORBIDDEN). A file or upload is streamed, never read whole.
   * Runs already present (same uid) are skipped.
   */
  'runs.import': () => z.union([
    z.object({ bundle: z.unknown() }).strict(),
    z.object({ upload: z.string().min(1).max(64) }).strict(),
    z.object({ file: z.string().min(1).max(4096) }).strict(),
  ]),
  /** The run kinds the store knows (the run-kind registry, src-shared/runs/kinds), in RunKind order. */
  'runs.kinds': () => empty,
});

/** One run kind as `runs.kinds` lists it. */
export interface RunKindInfo {
  kind: RunKind;
  /** What a person calls it ("benchmark"). */
  label: string;
  /** Its runs measure the machine they ran on (and so carry time and energy). */
  measured: boolean;
}

export interface RunsResults {
  'runs.list': RunSummary[];
  'runs.get': Run;
  'runs.delete': { deleted: true; id: number; undoable: true };
  'runs.restore': { restored: true; id: number };
  'runs.update': Run;
  'runs.export': Bundle;
  'runs.import': BundleImportResult;
  'runs.kinds': RunKindInfo[];
}
