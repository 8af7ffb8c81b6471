/**
 * The Models page's own state in one reducer (renderer, pure): the zoo list, the source settings,
 * the upload, the roofline and hardware that decorate a result, the title of what is profiled and
 * the what-if reports. The profile job itself is model-run.ts's profileReducer.
 */
import type { HardwareReport } from '../src-shared/api/types.js';
import type { ApiError } from '../src-shared/api/types.js';
import type { ZooEntry } from '../src-shared/api/zoo.js';
import type { Roofline } from '../src-shared/bench/roofline.js';
import type { WhatifReports } from './components/model-whatif-section.js';
import { defaultOptions, type SourceSettings, type UploadState } from './components/model-source.js';

/** The zoo model picked first when the list arrives. */
export const PREFERRED_ZOO = 'resnet18';

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
}

export const initialModelsPageState: ModelsPageState = {
  zoo: { state: 'loading' },
  settings: { kind: 'zoo', zoo: '', options: {}, dims: '' },
  upload: { state: 'none' },
  roofline: 'loading',
  sourceLabel: '',
  whatifs: {},
  hardware: null,
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
  | { type: 'whatifs'; reports: WhatifReports; add: boolean };

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
  }
}
