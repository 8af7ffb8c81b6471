/**
 * The API contract: every method's request schema (zod) and result type, in one map.
 * All three doors (Electron IPC, loopback HTTP, CLI in-process) validate against these schemas
 * in `dispatch()`, so a request is judged the same way whichever door it came through.
 */
import { z } from 'zod';
import type { AppInfo, HardwareReport, JobEvent, JobInfo, Machine, Run, RunSummary } from './types.js';
import { RUN_KINDS } from './types.js';
import { BENCH_SUITES } from './bench.js';
import type { ZooEntry } from './zoo.js';
import { MAX_FIT_CSV_CHARS, planRequestSchema, type FitInfo, type SavedPlan, type ThisMachineDevice } from './planner.js';
import type { PlanResult } from '../planner/plan.js';
import { attentionRequestSchema, type AttentionSweepResult } from './attention.js';
import { noteSchema, tagSchema, type Bundle, type BundleImportResult } from '../history/bundle.js';
import type { PowerSourcesReport } from '../energy/types.js';

const empty = z.object({}).strict();
const runId = z.number({ error: 'expected a run id (a positive integer)' }).int().positive();
const jobId = z.string().min(1).max(64);
const isoDate = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z' });

const finite = z.number().finite();
const gpuResultSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(false), reason: z.string().max(2000), backend: z.literal('webgpu-browser') }).strict(),
  z
    .object({
      available: z.literal(true),
      backend: z.literal('webgpu-browser'),
      adapter: z.object({ vendor: z.string(), architecture: z.string(), device: z.string(), description: z.string(), software: z.boolean() }).strict(),
      gemm: z
        .array(
          z
            .object({
              dtype: z.enum(['fp32', 'fp16', 'int8']),
              kernel: z.enum(['tiled', 'naive']),
              m: z.number().int().positive(),
              n: z.number().int().positive(),
              k: z.number().int().positive(),
              gflops: finite.nonnegative(),
              medianSeconds: finite.positive(),
              maxAbsError: finite.nonnegative(),
              tolerance: finite.nonnegative(),
              checkedEntries: z.number().int().nonnegative(),
              verified: z.boolean(),
            })
            .strict(),
        )
        .max(64),
      bandwidth: z.object({ copyGBs: finite.nonnegative(), readGBs: finite.nonnegative().optional(), bytes: z.number().int().positive(), verified: z.boolean() }).strict(),
      warnings: z.array(z.string().max(2000)).max(64),
    })
    .strict(),
]);

export const requestSchemas = {
  'app.info': empty,
  'hardware.detect': z
    .object({
      /** Re-probe instead of returning the report cached for this process. */
      refresh: z.boolean().optional(),
      /** Store the report as a 'hardware' run. */
      save: z.boolean().optional(),
    })
    .strict(),
  'machines.list': empty,
  /** The power sensors a run would read on this machine, and why the others are not available. */
  'energy.sources': empty,
  'runs.list': z
    .object({
      kind: z.enum(RUN_KINDS as unknown as [string, ...string[]]).optional(),
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
  'runs.get': z.object({ id: runId }).strict(),
  /** Soft delete: hidden at once, restorable with runs.restore for 10 minutes, then purged. */
  'runs.delete': z.object({ id: runId }).strict(),
  /** Undo a runs.delete (within 10 minutes). */
  'runs.restore': z.object({ id: runId }).strict(),
  /** Replace a run's tags and/or note. */
  'runs.update': z
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
  'runs.export': z.object({ ids: z.array(runId).min(1, { error: 'give at least one run id, or leave ids out for all runs' }).max(100_000).optional() }).strict(),
  /**
   * Import a bundle: its file text or the parsed object, or `upload`, the id of a bundle file sent
   * through POST /api/upload (pages do this: a bundle can be far larger than a JSON request body).
   * Runs already present (same uid) are skipped.
   */
  'runs.import': z.union([z.object({ bundle: z.unknown() }).strict(), z.object({ upload: z.string().min(1).max(64) }).strict()]),
  /** A report of one run, or a comparison of several, rendered for download (PDF as base64). */
  'reports.render': z
    .object({
      ids: z.array(runId).min(1, { error: 'give at least one run id' }).max(20, { error: 'at most 20 runs in one report' }),
      format: z.enum(['html', 'md', 'csv', 'json', 'pdf']),
    })
    .strict(),
  'bench.start': z
    .object({
      suite: z.enum(BENCH_SUITES),
      quick: z.boolean().optional(),
      /** Thread count for the CPU kernels; default all physical cores. */
      threads: z.number().int().min(1).max(1024).optional(),
      /**
       * A GPU result measured by the page itself (the renderer runs the WGSL kernels through its
       * own navigator.gpu); stored with the run instead of running Dawn in the backend.
       */
      gpuFromPage: gpuResultSchema.optional(),
    })
    .strict(),
  'profile.start': z
    .object({
      source: z.union([
        /** A path on disk: accepted from the CLI door only; a page uploads the file and passes { upload }. */
        z.object({ file: z.string().min(1).max(4096) }).strict(),
        z.object({ upload: z.string().min(1).max(64) }).strict(),
        z.object({ zoo: z.string().min(1).max(64), options: z.record(z.string(), z.union([z.number().finite(), z.string().max(64)])).optional() }).strict(),
      ]),
      /** Bindings of symbolic dimensions, e.g. { batch: 1, sequence: 128 }. */
      dims: z.record(z.string().min(1), z.number().int().min(1).max(2 ** 31)).optional(),
      /**
       * Also run the model with ONNX Runtime and measure per-op time. The per-op timeline (a Chrome
       * trace) comes back in the job's result as `trace`; the API writes no files (the page
       * downloads it, the CLI writes it to the file its user named with --trace).
       */
      run: z.boolean().optional(),
      threads: z.number().int().min(1).max(1024).optional(),
      /** Quantize the actual weights (int8/int4, per-tensor/per-channel, sym/asym): SQNR and sizes. */
      quantize: z.boolean().optional(),
      /** Prune the actual weights by magnitude (global or layer-wise, at a sparsity) or 2:4. */
      prune: z
        .object({ method: z.enum(['global', 'layerwise', '2:4']), sparsity: z.number().min(0).max(1).optional() })
        .strict()
        .optional(),
      /** Measure the fraction of zeros after each ReLU-family op in a real run. */
      activationSparsity: z.boolean().optional(),
      /** Store the profile as a run (default true); false for scratch work such as matching FLOPs. */
      store: z.boolean().optional(),
    })
    .strict(),
  'zoo.list': empty,
  /** Compute a plan without storing it (the page computes locally; the CLI and scripts use this). */
  'plan.compute': planRequestSchema,
  /** Compute and store a plan as a 'plan' run. */
  'plan.save': planRequestSchema,
  'fits.list': empty,
  /** Fit L(N, D) = E + A/N^α + B/D^β to a CSV of the user's runs and store it as a 'fit' run. */
  'fits.create': z
    .object({
      name: z.string().trim().min(1, { error: 'give the fit a name' }).max(100),
      csv: z.string().max(MAX_FIT_CSV_CHARS, { error: `the CSV is too large (at most ${MAX_FIT_CSV_CHARS} characters)` }),
      bootstrap: z.number().int().min(0).max(2000).optional(),
    })
    .strict(),
  /** The device "this" stands for in plans: a detected catalog GPU, else this CPU's measured or theoretical peak. */
  'planner.thisMachine': empty,
  /** Time the gradient-descent lesson's kernels (X is n × d, fp32) through ONNX Runtime; stored as a 'lesson' run. */
  'lesson.linreg.start': z
    .object({
      n: z.number().int().min(2).max(10_000_000),
      d: z.number().int().min(1).max(8192),
      threads: z.number().int().min(1).max(1024).optional(),
    })
    .strict()
    .refine((r) => r.n * r.d <= 2 ** 28, { error: 'n × d must be at most 2^28 elements (1 GiB of fp32)', path: ['n'] }),
  /** Cost-model sweep of attention variants over sequence lengths, predicted on a device (stored with store: true). */
  'attention.sweep': attentionRequestSchema,
  /** The same sweep plus full and sliding-window attention measured through ONNX Runtime here; stored as an 'attention' run. */
  'attention.measure': attentionRequestSchema,
  'jobs.list': empty,
  'jobs.events': z.object({ id: jobId, afterSeq: z.number().int().min(0).optional() }).strict(),
  'jobs.cancel': z.object({ id: jobId }).strict(),
} as const;

export interface ResultTypes {
  'app.info': AppInfo;
  'hardware.detect': HardwareReport & { runId: number | null };
  'machines.list': Machine[];
  'energy.sources': PowerSourcesReport;
  'runs.list': RunSummary[];
  'runs.get': Run;
  'runs.delete': { deleted: true; id: number; undoable: true };
  'runs.restore': { restored: true; id: number };
  'runs.update': Run;
  'runs.export': Bundle;
  'runs.import': BundleImportResult;
  'reports.render': { fileName: string; mimeType: string; encoding: 'utf8' | 'base64'; content: string };
  'bench.start': JobInfo;
  'profile.start': JobInfo;
  'zoo.list': ZooEntry[];
  'plan.compute': PlanResult;
  'plan.save': SavedPlan;
  'fits.list': FitInfo[];
  'fits.create': FitInfo;
  'planner.thisMachine': ThisMachineDevice;
  'lesson.linreg.start': JobInfo;
  'attention.sweep': AttentionSweepResult;
  'attention.measure': JobInfo;
  'jobs.list': JobInfo[];
  'jobs.events': { job: JobInfo; events: JobEvent[] };
  'jobs.cancel': { cancelled: boolean; state: JobInfo['state'] };
}

export type Method = keyof typeof requestSchemas;
export type RequestOf<M extends Method> = z.input<(typeof requestSchemas)[M]>;
export type ParsedRequestOf<M extends Method> = z.output<(typeof requestSchemas)[M]>;
export type ResultOf<M extends Method> = ResultTypes[M];

export const METHODS = Object.keys(requestSchemas) as Method[];

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

/** What every door hands the renderer or the CLI: call a method, follow a job's events. */
export interface FlopscopeClient {
  call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResultOf<M>>;
  /** Replays the job's events from the start, then follows it live; returns an unsubscribe function. */
  subscribe(jobId: string, onEvent: (event: JobEvent) => void): () => void;
  /**
   * Sends a file to the backend: a model for `profile.start` ({ source: { upload: id } }) or a
   * bundle for `runs.import` ({ upload: id }). Present for pages (serve mode, the Electron window),
   * which may not name paths; the CLI passes paths instead.
   */
  upload?(file: Blob & { name?: string }): Promise<{ uploadId: string; name: string; bytes: number }>;
}
