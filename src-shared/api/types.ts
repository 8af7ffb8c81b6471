/**
 * Shared data types of the FLOPscope API (runs anywhere: no Node, DOM or Electron imports).
 * The JSON shapes here are public: the CLI's `--json` output and later tools rely on these names.
 */

export type Dtype = 'fp64' | 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8';
export const DTYPES: readonly Dtype[] = ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8'];

/** One theoretical peak: `device` is "cpu" or "gpu:<index>". `basis` says how it was computed. */
export interface Peak {
  device: string;
  dtype: Dtype;
  gflops: number;
  basis: string;
}

export interface HardwareReport {
  machine: {
    id: string;
    hostname: string;
    os: { platform: string; release: string; arch: string };
  };
  cpu: {
    vendor: string;
    model: string;
    physicalCores: number;
    logicalCores: number;
    baseGHz: number | null;
    maxGHz: number | null;
    isa: string[];
    /** Per instance: L1d and L2 per core, L3 per slice (with several slice sizes, the largest; see l3Groups). */
    caches: { l1dBytes: number | null; l2Bytes: number | null; l3Bytes: number | null };
    /** Where the cache sizes came from ("sysfs", "getconf -a", …); absent in reports from before it was recorded. */
    cacheSource?: string | null;
    /** L3 slices by size and by how many logical CPUs share one (Linux sysfs only), e.g. one 32 MiB slice shared by 2 CPUs. */
    l3Groups?: Array<{ bytes: number; sharedBy: number; instances: number }>;
    /** All-core clock measured by FLOPscope (a dependent integer-add chain on every logical CPU); absent or null when not measured. */
    measuredClock?: { ghz: number; minGHz: number; maxGHz: number; threads: number; method: string } | null;
  };
  memory: { totalBytes: number };
  gpus: Array<{ vendor: string; model: string; vramBytes: number | null; driver: string | null }>;
  peaks: Peak[];
  warnings: string[];
}

export type RunKind = 'hardware' | 'bench' | 'profile' | 'plan' | 'fit' | 'lesson' | 'attention' | 'llm';
export const RUN_KINDS: readonly RunKind[] = ['hardware', 'bench', 'profile', 'plan', 'fit', 'lesson', 'attention', 'llm'];

/** A stored result. `params` are the exact settings; `result` the JSON the run produced. */
export interface Run {
  id: number;
  kind: RunKind;
  machineId: string;
  appVersion: string;
  createdAt: string; // ISO 8601, UTC
  params: unknown;
  result: unknown;
  /** Stable random id (UUID) that survives export/import; a bundle imported twice is recognised by it. */
  uid: string;
  /** User labels (each 1–40 characters, at most 20). */
  tags: string[];
  /** Free-text user note ('' when none). */
  note: string;
}

/**
 * Time and energy of a benchmark or model run, read from its stored result by the list query so a
 * history table can show them without fetching every result. Absent for other kinds; each field
 * null when the result does not have it (a run from before energy, a profile that was not run).
 */
export interface RunSummaryFigures {
  elapsedSeconds: number | null;
  latencyMedianMs: number | null;
  energy: { joules: number; estimated: boolean; source: string; estimateBasis: string | null } | null;
  joulesPerInference: number | null;
}

/** A run in a list: without its params and result, with its machine's name, its subject (what it is about, from its kind: src-shared/runs/kinds) and, for measuring kinds, its figures. */
export type RunSummary = Omit<Run, 'params' | 'result'> & { hostname: string; subject?: string | null; figures?: RunSummaryFigures };

export interface Machine {
  id: string;
  hostname: string;
  report: HardwareReport;
  firstSeen: string;
  lastSeen: string;
}

export interface AppInfo {
  name: 'FLOPscope';
  version: string;
  host: 'electron' | 'serve' | 'cli';
  dbPath: string;
  versions: { node: string; electron: string | null; sqlite: string };
}

// ---- jobs ---------------------------------------------------------------------------------

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Numbered job events; a late subscriber replays them by `seq`. Exactly one terminal event ends a job. */
export type JobEvent =
  | { seq: number; jobId: string; type: 'queued'; at: number }
  | { seq: number; jobId: string; type: 'progress'; at: number; phase: string; done: number; total: number; etaMs: number | null }
  | { seq: number; jobId: string; type: 'log'; at: number; level: 'info' | 'warn'; message: string }
  /** Total power while the job runs (benchmarks and measured model runs), about twice a second; `t` in seconds since sampling started. */
  | { seq: number; jobId: string; type: 'power'; at: number; t: number; watts: number; estimated: boolean }
  | { seq: number; jobId: string; type: 'result'; at: number; result: unknown; runId: number | null }
  | { seq: number; jobId: string; type: 'error'; at: number; error: ApiError }
  | { seq: number; jobId: string; type: 'cancelled'; at: number };

export type TerminalJobEvent = Extract<JobEvent, { type: 'result' | 'error' | 'cancelled' }>;

export interface JobInfo {
  id: string;
  kind: string;
  queue: string;
  state: JobState;
  createdAt: number;
  lastSeq: number;
}

// ---- envelope -----------------------------------------------------------------------------

export type ErrorCode =
  | 'UNKNOWN_METHOD'
  | 'INVALID_REQUEST'
  | 'NOT_FOUND'
  | 'DB_CORRUPT'
  | 'DB_UNWRITABLE'
  | 'DB_TOO_NEW'
  /** The database file belongs to another program (no FLOPscope application_id, not a FLOPscope schema); it is left untouched. */
  | 'DB_FOREIGN'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CANCELLED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** For INVALID_REQUEST: one entry per offending field, e.g. "id: expected a positive integer". */
  issues?: string[];
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };
