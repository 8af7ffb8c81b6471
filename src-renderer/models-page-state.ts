/**
 * The Models page's own state in one reducer (renderer, pure): the zoo list, the source settings,
 * the upload, the roofline and hardware that decorate a result, the title of what is profiled and
 * the what-if reports. The profile job itself is model-run.ts's profileReducer.
 *
 * The measured result (the last fresh profile: its result, stored run and what it was of) is kept
 * here apart from the job: a what-if re-runs the profile as a job of its own, and its report goes
 * beside the measured result (`whatifs`, `whatifRuns`), never in its place — the latency, the
 * layer roofline and "Export trace" stay on the page.
 */
import type { HardwareReport } from '../src-shared/api/types.js';
import type { ApiError } from '../src-shared/api/types.js';
import type { ZooEntry } from '../src-shared/api/zoo.js';
import type { Roofline } from '../src-shared/bench/roofline.js';
import type { ProfileResult } from '../src-shared/profiler/types.js';
import type { WhatifReports, WhatifRun } from './components/model-whatif-section.js';
import { defaultOptions, type SourceSettings, type UploadState } from './components/model-source.js';

/** The zoo model picked first when the list arrives. */
export const PREFERRED_ZOO = 'resnet18';

export type { WhatifRun };

export type ProfileSource = { zoo: string; options: Record<string, number | string> } | { upload: string };

/** What a profile was of: enough to run a what-if on the same model. */
export interface ProfiledModel {
  source: ProfileSource;
  dims: Record<string, number>;
  label: string;
}

/** The last fresh profile, shown whatever what-ifs run after it. */
export interface MeasuredProfile {
  result: ProfileResult;
  storedRunId: number | null;
  profiled: ProfiledModel;
}

export type ZooState = { state: 'loading' } | { state: 'ok'; entries: ZooEntry[] } | { state: 'error'; error: ApiError };

export interface ModelsPageState {
  zoo: ZooState;
  settings: SourceSettings;
  upload: UploadState;
  roofline: Roofline | null | 'loading';
  /** What the running (or last) profile was of, for titles: "zoo squeezenet1.1", "model.onnx". */
  sourceLabel: string;
  whatifs: WhatifReports;
  hardware: HardwareReport | null;
  measured: MeasuredProfile | null;
  /** The model of the profile job now running or last run (fresh profiles only). */
  profiling: ProfiledModel | null;
  /** The what-if now running, if the job is one. */
  pendingWhatif: string | null;
  /** What-if runs done since the measured profile, oldest first. */
  whatifRuns: WhatifRun[];
  /** The last job whose end this state has taken in (so a page that mounts again takes none twice). */
  settledJobId: string | null;
}

export const initialModelsPageState: ModelsPageState = {
  zoo: { state: 'loading' },
  settings: { kind: 'zoo', zoo: '', options: {}, dims: '' },
  upload: { state: 'none' },
  roofline: 'loading',
  sourceLabel: '',
  whatifs: {},
  hardware: null,
  measured: null,
  profiling: null,
  pendingWhatif: null,
  whatifRuns: [],
  settledJobId: null,
};

export type ModelsPageAction =
  | { type: 'zoo-loading' }
  | { type: 'zoo-loaded'; entries: ZooEntry[] }
  | { type: 'zoo-failed'; error: ApiError }
  | { type: 'settings'; settings: SourceSettings }
  | { type: 'ask-dim'; name: string }
  | { type: 'upload'; upload: UploadState }
  | { type: 'roofline'; roofline: Roofline | null }
  | { type: 'hardware'; hardware: HardwareReport }
  | { type: 'source-label'; label: string }
  | { type: 'whatifs'; reports: WhatifReports; add: boolean }
  /** A job starts: a fresh profile of `profiled`, or the what-if `whatif` on the measured one. */
  | { type: 'job-started'; profiled: ProfiledModel; whatif: string | null }
  /** A job finished with a result (jobId: the job; runId: its stored run). */
  | { type: 'job-done'; jobId: string; result: ProfileResult; runId: number | null }
  /** A job ended without a result (failed or cancelled). */
  | { type: 'job-ended'; jobId: string | null };

export function modelsPageReducer(s: ModelsPageState, a: ModelsPageAction): ModelsPageState {
  switch (a.type) {
    case 'zoo-loading':
      return { ...s, zoo: { state: 'loading' } };
    case 'zoo-loaded': {
      // The first list picks a model (the preferred one, else the first); a reload keeps the choice.
      const first = a.entries.find((e) => e.name === PREFERRED_ZOO) ?? a.entries[0];
      const settings = s.settings.zoo ? s.settings : { ...s.settings, zoo: first?.name ?? '', options: defaultOptions(first) };
      return { ...s, zoo: { state: 'ok', entries: a.entries }, settings };
    }
    case 'zoo-failed':
      return { ...s, zoo: { state: 'error', error: a.error } };
    case 'settings':
      return { ...s, settings: a.settings };
    case 'ask-dim': {
      // A failure named an unbound dimension: offer the Dimensions field with that name.
      const d = s.settings.dims;
      return d.includes(`${a.name}=`) ? s : { ...s, settings: { ...s.settings, dims: d.trim() ? `${d.trim()}, ${a.name}=` : `${a.name}=` } };
    }
    case 'upload':
      return { ...s, upload: a.upload };
    case 'roofline':
      return { ...s, roofline: a.roofline };
    case 'hardware':
      return { ...s, hardware: a.hardware };
    case 'source-label':
      return { ...s, sourceLabel: a.label };
    case 'whatifs':
      // A fresh profile replaces the what-if reports, a what-if run adds its report.
      return { ...s, whatifs: a.add ? { ...s.whatifs, ...a.reports } : { ...a.reports } };
    case 'job-started':
      return a.whatif === null ? { ...s, profiling: a.profiled, pendingWhatif: null } : { ...s, pendingWhatif: a.whatif };
    case 'job-done': {
      if (s.settledJobId === a.jobId) return s;
      const reports = (a.result.whatifs ?? {}) as WhatifReports;
      if (s.pendingWhatif !== null && s.measured) {
        // A what-if: its report joins the others beside the measured result, which stays.
        const run: WhatifRun = { what: s.pendingWhatif, runId: a.runId, parentRunId: s.measured.storedRunId };
        return { ...s, settledJobId: a.jobId, pendingWhatif: null, whatifs: { ...s.whatifs, ...reports }, whatifRuns: [...s.whatifRuns, run] };
      }
      const profiled = s.profiling ?? s.measured?.profiled ?? null;
      if (!profiled) return { ...s, settledJobId: a.jobId };
      return { ...s, settledJobId: a.jobId, pendingWhatif: null, measured: { result: a.result, storedRunId: a.runId, profiled }, whatifs: { ...reports }, whatifRuns: [] };
    }
    case 'job-ended':
      return a.jobId !== null && s.settledJobId === a.jobId ? s : { ...s, settledJobId: a.jobId, pendingWhatif: null };
  }
}
