/**
 * The API contract: every method's request schema (zod) and result type, in one map, combined from
 * the capabilities' own files (src-shared/api/<capability>.ts: app, hardware, energy, runs,
 * reports, bench, profile, zoo, planner, lesson, attention, llm, jobs); this file only combines them.
 * All three doors (Electron IPC, loopback HTTP, CLI in-process) validate against these schemas
 * in `dispatch()`, so a request is judged the same way whichever door it came through.
 */
import type { z } from 'zod';
import type { JobEvent } from './types.js';
import { appMethods, type AppResults } from './app.js';
import { hardwareMethods, type HardwareResults } from './hardware.js';
import { energyMethods, type EnergyResults } from './energy.js';
import { runsMethods, type RunsResults } from './runs.js';
import { reportsMethods, type ReportsResults } from './reports.js';
import { benchMethods, type BenchResults } from './bench.js';
import { profileMethods, type ProfileResults } from './profile.js';
import { zooMethods, type ZooResults } from './zoo.js';
import { plannerMethods, type PlannerResults } from './planner.js';
import { lessonMethods, type LessonResults } from './lesson.js';
import { attentionMethods, type AttentionResults } from './attention.js';
import { llmMethods, type LlmResults } from './llm.js';
import { jobsMethods, type JobsResults } from './jobs.js';

/** Every method's request schema, one capability after another (src-shared/api/<capability>.ts). */
export const requestSchemas = {
  ...appMethods,
  ...hardwareMethods,
  ...energyMethods,
  ...runsMethods,
  ...reportsMethods,
  ...benchMethods,
  ...profileMethods,
  ...zooMethods,
  ...plannerMethods,
  ...lessonMethods,
  ...attentionMethods,
  ...llmMethods,
  ...jobsMethods,
} as const;

/** Every method's result type, combined from the capabilities' result maps. */
export interface ResultTypes
  extends AppResults,
    HardwareResults,
    EnergyResults,
    RunsResults,
    ReportsResults,
    BenchResults,
    ProfileResults,
    ZooResults,
    PlannerResults,
    LessonResults,
    AttentionResults,
    LlmResults,
    JobsResults {}

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
