/**
 * The Models page's "Compare architectures" card in one reducer (renderer, pure): the 2–4 slots
 * (an architecture and its options as typed), whether to run each model for latency, the rows of
 * the last comparison or match, what is running (the status line while busy) and the last error.
 * A match writes the values it chose back into the slots, so a later Compare profiles what is on
 * screen.
 */
import type { ApiError } from '../src-shared/api/types.js';
import type { ZooEntry } from '../src-shared/api/zoo.js';
import type { ProfileResult } from '../src-shared/profiler/types.js';
import { defaultOptions } from './components/model-source.js';

export const MAX_SLOTS = 4;
/** The architectures the card starts with (the first zoo entry for any that is missing). */
export const PREFERRED = ['mobilenet-v2', 'resnet18'];

export type Metric = 'macs' | 'latency';

export interface Slot {
  zoo: string;
  options: Record<string, string>;
}

export interface Row {
  zoo: string;
  options: Record<string, number | string>;
  result: ProfileResult;
  /** Set by a match: the option scaled and the value chosen. */
  matched: { option: string; value: number; metric: Metric } | null;
}

export interface ModelCompareState {
  slots: Slot[];
  withLatency: boolean;
  rows: Row[] | null;
  /** The status line while work runs; null when idle. */
  busy: string | null;
  error: ApiError | null;
}

/** The starting state for a zoo list: the preferred architectures with their default options. */
export function initialModelCompareState(zoo: readonly ZooEntry[]): ModelCompareState {
  return {
    slots: PREFERRED.map((name) => zoo.find((z) => z.name === name) ?? zoo[0])
      .filter((e): e is ZooEntry => Boolean(e))
      .map((e) => ({ zoo: e.name, options: defaultOptions(e) })),
    withLatency: false,
    rows: null,
    busy: null,
    error: null,
  };
}

export type ModelCompareAction =
  | { type: 'set-slot'; index: number; slot: Slot }
  /** Another slot, a copy of the last one's architecture with its default options. */
  | { type: 'add-slot'; zoo: readonly ZooEntry[] }
  | { type: 'remove-slot'; index: number }
  | { type: 'with-latency'; value: boolean }
  /** Work starts: the status line shows `busy`, the last error is cleared. */
  | { type: 'start'; busy: string }
  | { type: 'progress'; busy: string }
  | { type: 'rows'; rows: Row[] }
  /** A match's rows; the slots take the values it chose. */
  | { type: 'matched'; rows: Row[] }
  /** Work ends, with the error it failed with if it did. */
  | { type: 'finish'; error?: ApiError };

export function modelCompareReducer(s: ModelCompareState, a: ModelCompareAction): ModelCompareState {
  switch (a.type) {
    case 'set-slot':
      return { ...s, slots: s.slots.map((slot, j) => (j === a.index ? a.slot : slot)) };
    case 'add-slot': {
      if (s.slots.length >= MAX_SLOTS) return s;
      const name = s.slots[s.slots.length - 1]?.zoo ?? a.zoo[0]!.name;
      return { ...s, slots: [...s.slots, { zoo: name, options: defaultOptions(a.zoo.find((z) => z.name === name)) }] };
    }
    case 'remove-slot':
      return { ...s, slots: s.slots.filter((_, j) => j !== a.index) };
    case 'with-latency':
      return s.withLatency === a.value ? s : { ...s, withLatency: a.value };
    case 'start':
      return { ...s, busy: a.busy, error: null };
    case 'progress':
      return s.busy === a.busy ? s : { ...s, busy: a.busy };
    case 'rows':
      return { ...s, rows: a.rows };
    case 'matched':
      return {
        ...s,
        rows: a.rows,
        slots: s.slots.map((slot, i) => {
          const m = a.rows[i]?.matched;
          return m ? { ...slot, options: { ...slot.options, [m.option]: String(m.value) } } : slot;
        }),
      };
    case 'finish':
      return { ...s, busy: null, ...(a.error ? { error: a.error } : {}) };
  }
}
