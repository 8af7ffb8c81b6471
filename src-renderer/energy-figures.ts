/**
 * Energy figures of the renderer's views (pure, no DOM): the power strip's input from the live
 * 'power' ticks of a running job, and the time and energy cells of a stored run in the History
 * table (a benchmark's elapsed seconds and joules; a measured model run's latency and joules per
 * inference), each estimate labelled "(est.)" with the basis in its hover text. What each kind
 * shows is its `keyFigures` in the run-kind registry (src-shared/runs/kinds/<kind>.ts). Kept apart
 * from the components so it can be tested in plain Node.
 */
import type { RunKind, RunSummary } from '../src-shared/api/types.js';
import type { PowerStripInput } from '../src-shared/charts/power-strip.js';
import type { PowerTick } from '../src-shared/energy/types.js';
import { runKind, type KindFigures } from '../src-shared/runs/kinds/index.js';
import { implausibleNotes } from '../src-shared/runs/plausibility.js';

/** The strip of a running job: its ticks so far; estimated when any reading is. */
export function liveStripInput(ticks: readonly PowerTick[], live: boolean): PowerStripInput {
  return { series: ticks.map((p) => ({ t: p.t, watts: p.watts })), estimated: ticks.some((p) => p.estimated), live };
}

/** The History row's time and energy (the kind's `keyFigures`) and the shown numbers' plausibility. */
export interface RunFigures extends KindFigures {
  /** The shown numbers that are outside their plausible range (src-shared/runs/plausibility.ts), one line each; [] when none. */
  implausible: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The History row's time and energy of a stored run; null for kinds that have neither (hardware, plan…). */
export function runFigures(kind: RunKind, result: unknown): RunFigures | null {
  const entry = runKind(kind);
  if (!entry.keyFigures) return null;
  if (!isObject(result)) return { time: null, energy: null, estimated: false, title: '', implausible: [] };
  return { ...entry.keyFigures(result), implausible: implausibleNotes(kind, result) };
}

/** The History row's figures from the list's summary (runs.list reads them out of the stored result). */
export function summaryFigures(summary: Pick<RunSummary, 'kind' | 'figures'>): RunFigures | null {
  const f = summary.figures;
  if (!f) return runFigures(summary.kind, null);
  return runFigures(summary.kind, {
    elapsedSeconds: f.elapsedSeconds,
    ...(f.latencyMedianMs !== null ? { measured: { latencyMs: { median: f.latencyMedianMs } } } : {}),
    ...(f.energy ? { energy: { ...f.energy, ...(f.energy.estimateBasis === null ? { estimateBasis: undefined } : {}) } } : {}),
    ...(f.joulesPerInference !== null ? { energyEfficiency: { joulesPerInference: f.joulesPerInference } } : {}),
  });
}
