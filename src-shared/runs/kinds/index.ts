/**
 * The run-kind registry (runs anywhere): every run kind's entry (./<kind>.ts) in one table, typed
 * so that each RunKind has exactly one entry under its own name, with typed lookups. The store
 * (which kinds are measured, what runs.list reads), the reports (blocks, comparers), the importer
 * (schemas), the plausibility checks and the renderer (History's figures and columns) read it; a
 * new kind is one new file here, its line in the table below and its name in RunKind
 * (src-shared/api/types.ts); its result type comes from its entry.
 */
import type { Run, RunKind } from '../../api/types.js';
import { anyJson, issuesOf } from '../schema-parts.js';
import { subjectValues } from '../subject.js';
import { attentionKind } from './attention.js';
import { benchKind } from './bench.js';
import type { HistoryColumn, RunKindEntry, TypedRun } from './entry.js';
import { fitKind } from './fit.js';
import { hardwareKind } from './hardware.js';
import { lessonKind } from './lesson.js';
import { llmKind } from './llm.js';
import { planKind } from './plan.js';
import { profileKind } from './profile.js';

export type { HistoryColumn, KindFigures, ReportKindContext, RunKindEntry, SummaryPaths, TypedRun } from './entry.js';

const ENTRIES = {
  hardware: hardwareKind,
  bench: benchKind,
  profile: profileKind,
  plan: planKind,
  fit: fitKind,
  lesson: lessonKind,
  attention: attentionKind,
  llm: llmKind,
};

/** The type of a kind's stored result, as its entry declares it. */
export type ResultOf<K extends RunKind> = (typeof ENTRIES)[K] extends RunKindEntry<K, infer R> ? R : never;

/** One entry per RunKind, under its own name (a missing, extra or misnamed entry does not compile). */
export type RunKindRegistry = { readonly [K in RunKind]: RunKindEntry<K, ResultOf<K>> };

/** Kinds in the table that are not RunKinds (must be none). */
type Extra = Exclude<keyof typeof ENTRIES, RunKind>;
const noExtraKinds: [Extra] extends [never] ? true : { extra: Extra } = true;
void noExtraKinds;

export const RUN_KIND_REGISTRY: RunKindRegistry = ENTRIES;

/** Every entry, in RunKind order (src-shared/api/types.ts RUN_KINDS). */
export const RUN_KIND_ENTRIES: ReadonlyArray<RunKindEntry<RunKind, ResultOf<RunKind>>> = Object.values(RUN_KIND_REGISTRY);

/**
 * What a kind this FLOPscope does not know reads as (a row written by a newer version into a
 * shared database): nothing measured, no blocks of its own, listed as stored.
 */
function unknownKind(kind: string): RunKindEntry<RunKind, never> {
  return { name: kind as RunKind, label: kind, measured: false, schemas: { params: anyJson, result: anyJson }, plausible: [], history: { columns: [], energyDetail: false } };
}

/** The entry of a kind (an unknown one reads as a kind with nothing of its own). */
export function runKind<K extends RunKind>(kind: K): RunKindEntry<K, ResultOf<K>> {
  return (Object.hasOwn(RUN_KIND_REGISTRY, kind) ? RUN_KIND_REGISTRY[kind] : unknownKind(kind)) as RunKindEntry<K, ResultOf<K>>;
}

/** A run's kind entry and its result typed as that kind's. */
export interface KindView<K extends RunKind> extends TypedRun<ResultOf<K>> {
  entry: RunKindEntry<K, ResultOf<K>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The entry of a run's kind with the run's result typed as that kind's: the result when it is an
 * object, else undefined. The result is not validated here (runs stored before a field existed
 * still read): readers stay defensive, as the report's blocks are. The one cast of a stored
 * result to its kind's type is this one.
 */
export function kindOf<K extends RunKind>(run: Run & { kind: K }): KindView<K> {
  return { entry: runKind(run.kind), run, result: isObject(run.result) ? (run.result as ResultOf<K>) : undefined };
}

/** The kinds whose runs measure their machine (and so carry time and energy). */
export const MEASURED_KINDS: readonly RunKind[] = RUN_KIND_ENTRIES.filter((e) => e.measured).map((e) => e.name);

/** The History table's figure columns: every column some kind fills, in table order. */
export const HISTORY_COLUMNS: readonly HistoryColumn[] = (['time', 'energy'] as const).filter((c) => RUN_KIND_ENTRIES.some((e) => e.history.columns.includes(c)));

/** Field-named issues of a run's params and result against its kind's schemas ([] when both pass). */
export function checkRunPayload(kind: RunKind, params: unknown, result: unknown, prefix: string): string[] {
  const { schemas } = runKind(kind);
  const issues: string[] = [];
  const p = schemas.params.safeParse(params);
  if (!p.success) issues.push(...issuesOf(p.error, `${prefix}params`));
  const r = schemas.result.safeParse(result);
  if (!r.success) issues.push(...issuesOf(r.error, `${prefix}result`));
  return issues;
}

/** What a stored run is about, in a few words (its kind's subject), or null. */
export function subjectOf(run: Pick<Run, 'kind' | 'params' | 'result'>): string | null {
  const spec = runKind(run.kind).subject;
  if (!spec) return null;
  try {
    return spec.text(subjectValues(spec, run));
  } catch {
    return null;
  }
}
