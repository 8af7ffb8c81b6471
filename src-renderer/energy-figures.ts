/**
 * Energy figures of the renderer's views (pure, no DOM): the power strip's input from the live
 * 'power' ticks of a running job, and the time and energy cells of a stored run in the History
 * table (a benchmark's elapsed seconds and joules; a measured model run's latency and joules per
 * inference), each estimate labelled "(est.)" with the basis in its hover text. Kept apart from the
 * components so it can be tested in plain Node.
 */
import type { RunKind, RunSummary } from '../src-shared/api/types.js';
import type { PowerStripInput } from '../src-shared/charts/power-strip.js';
import { ENERGY_NOT_MEASURED, energySourceText, formatJoules, readEnergy, withEstimate } from '../src-shared/energy/format.js';
import type { PowerTick } from '../src-shared/energy/types.js';
import { implausibleNotes } from '../src-shared/runs/plausibility.js';

/** The strip of a running job: its ticks so far; estimated when any reading is. */
export function liveStripInput(ticks: readonly PowerTick[], live: boolean): PowerStripInput {
  return { series: ticks.map((p) => ({ t: p.t, watts: p.watts })), estimated: ticks.some((p) => p.estimated), live };
}

export interface RunFigures {
  /** "12.5 s", "0.85 ms/inference"; null where the run has no time to show. */
  time: string | null;
  /** "845 J", "2.54 kJ (est.)", "6 mJ/inference (est.)"; null where the run has no energy. */
  energy: string | null;
  estimated: boolean;
  /** Hover text of the energy cell: its source and, for an estimate, the basis; or why it is empty. */
  title: string;
  /** The shown numbers that are outside their plausible range (src-shared/runs/plausibility.ts), one line each; [] when none. */
  implausible: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The History row's time and energy of a stored run; null for kinds that have neither (hardware, plan…). */
export function runFigures(kind: RunKind, result: unknown): RunFigures | null {
  if (kind !== 'bench' && kind !== 'profile' && kind !== 'attention' && kind !== 'lesson') return null;
  if (!isObject(result)) return { time: null, energy: null, estimated: false, title: '', implausible: [] };
  const figures = figuresOf(kind, result);
  return { ...figures, implausible: implausibleNotes(kind, result) };
}

function figuresOf(kind: 'bench' | 'profile' | 'attention' | 'lesson', result: Record<string, unknown>): Omit<RunFigures, 'implausible'> {
  const energy = readEnergy(result.energy);
  const source = energy ? [energySourceText(energy), energy.estimated && energy.estimateBasis ? `basis: ${energy.estimateBasis}` : null].filter(Boolean).join(' — ') : '';
  if (kind === 'attention' || kind === 'lesson') {
    // A measured attention sweep or lesson: its energy; a predicted-only sweep has none to show.
    return {
      time: null,
      energy: energy ? withEstimate(formatJoules(energy.joules), energy.estimated) : null,
      estimated: energy?.estimated ?? false,
      title: energy ? `${formatJoules(energy.joules)} over the measurement; ${source}` : '',
    };
  }
  if (kind === 'bench') {
    const elapsed = num(result.elapsedSeconds);
    return {
      time: elapsed !== null ? `${elapsed.toFixed(1)} s` : null,
      energy: energy ? withEstimate(formatJoules(energy.joules), energy.estimated) : null,
      estimated: energy?.estimated ?? false,
      title: energy ? `${formatJoules(energy.joules)} over the run; ${source}` : ENERGY_NOT_MEASURED,
    };
  }
  // A model run: energy exists only when it was measured (run with ONNX Runtime).
  const measured = isObject(result.measured) && isObject(result.measured.latencyMs) ? result.measured : null;
  if (!measured) return { time: null, energy: null, estimated: false, title: 'counted only, not run: no time or energy' };
  const median = num((measured.latencyMs as Record<string, unknown>).median);
  const perInference = isObject(result.energyEfficiency) ? num(result.energyEfficiency.joulesPerInference) : null;
  return {
    time: median !== null ? `${median >= 100 ? median.toFixed(0) : median >= 1 ? median.toFixed(2) : median.toFixed(3)} ms/inference` : null,
    energy: energy ? withEstimate(perInference !== null ? `${formatJoules(perInference)}/inference` : formatJoules(energy.joules), energy.estimated) : null,
    estimated: energy?.estimated ?? false,
    title: energy ? `${perInference !== null ? `${formatJoules(perInference)} per inference, ` : ''}${formatJoules(energy.joules)} over the measured run; ${source}` : ENERGY_NOT_MEASURED,
  };
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
