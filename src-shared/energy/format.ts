/**
 * Display text of energy figures (runs anywhere): joules, watts, GFLOP/J, GB/J, and the
 * "estimated" wording every estimate carries. Shared by the renderer (Benchmarks, Models, History)
 * and the reports, so a figure reads the same on screen and on paper. Three significant digits:
 * a power reading (a RAPL counter, an nvidia-smi sample, a TDP estimate) is not better than that.
 */
import type { EnergyReport } from './types.js';

/** Three significant digits without exponent or trailing zeros: 1234 → "1234", 12.345 → "12.3", 0.01234 → "0.0123". */
function sig3(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  const digits = Math.max(0, 2 - Math.floor(Math.log10(a)));
  return String(Number(v.toFixed(Math.min(digits, 12))));
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Energy with the unit that suits its size: "0.52 mJ", "41.3 J", "12.4 kJ", "3.1 MJ"; from 3.6 MJ
 * (1 kWh) up as kWh, the unit an electricity bill uses. Null or non-finite: "—".
 */
export function formatJoules(joules: number | null | undefined): string {
  if (!finite(joules)) return '—';
  const a = Math.abs(joules);
  if (a === 0) return '0 J';
  if (a >= 3.6e6) return `${sig3(joules / 3.6e6)} kWh`;
  if (a >= 1e6) return `${sig3(joules / 1e6)} MJ`;
  if (a >= 1e3) return `${sig3(joules / 1e3)} kJ`;
  if (a >= 1) return `${sig3(joules)} J`;
  if (a >= 1e-3) return `${sig3(joules * 1e3)} mJ`;
  return `${sig3(joules * 1e6)} µJ`;
}

/** Power: "0.85 W", "41.3 W", "1.21 kW". Null or non-finite: "—". */
export function formatWatts(watts: number | null | undefined): string {
  if (!finite(watts)) return '—';
  if (Math.abs(watts) >= 1000) return `${sig3(watts / 1000)} kW`;
  return `${sig3(watts)} W`;
}

/** Compute per energy: "12.4 GFLOP/J", "1.52 TFLOP/J"; int8 counts operations ("OP/J"). */
export function formatGflopsPerJoule(gflopsPerJoule: number | null | undefined, dtype?: string): string {
  if (!finite(gflopsPerJoule)) return '—';
  const op = dtype === 'int8' ? 'OP/J' : 'FLOP/J';
  if (Math.abs(gflopsPerJoule) >= 1000) return `${sig3(gflopsPerJoule / 1000)} T${op}`;
  return `${sig3(gflopsPerJoule)} G${op}`;
}

/** Bytes moved per energy: "0.412 GB/J". */
export function formatGBPerJoule(gbPerJoule: number | null | undefined): string {
  if (!finite(gbPerJoule)) return '—';
  return `${sig3(gbPerJoule)} GB/J`;
}

/** Word appended to every estimated figure, and the short form used in narrow table cells. */
export const ESTIMATED = 'estimated';
export const ESTIMATED_SHORT = 'est.';

/** "41.3 J" or "41.3 J (est.)": a figure with its estimate label, for table cells. */
export function withEstimate(text: string, estimated: boolean, short = true): string {
  if (!estimated || text === '—') return text;
  return `${text} (${short ? ESTIMATED_SHORT : ESTIMATED})`;
}

/**
 * The source line of a report as the user reads it: the measurement's source, or for an estimate
 * "estimated — <source>" so the word leads. E.g. "powercap (RAPL)", "estimated — catalog TDP × …".
 */
export function energySourceText(report: Pick<EnergyReport, 'estimated' | 'source'>): string {
  if (!report.estimated) return report.source;
  return /^estimat/i.test(report.source) ? report.source : `${ESTIMATED} — ${report.source}`;
}

/**
 * The energy warnings not already among the result's own warnings: the suites copy each into the
 * result's `warnings` as "Energy: …", which the page and the report show first; listing them twice
 * would read as two problems.
 */
export function separateEnergyWarnings(energy: Pick<EnergyReport, 'warnings'>, resultWarnings: readonly unknown[] | undefined): string[] {
  const shown = new Set((resultWarnings ?? []).filter((w): w is string => typeof w === 'string'));
  return energy.warnings.filter((w) => !shown.has(w) && !shown.has(`Energy: ${w}`));
}

/** An estimate's basis for a sentence that already says "estimated": without a leading "estimated:". */
export function basisText(basis: string | undefined): string {
  return (basis ?? '').replace(/^\s*estimated\s*[:—-]\s*/i, '').trim() || 'no basis was recorded';
}

/** What is shown where a run has no energy: stored before energy was measured, or not measured. */
export const ENERGY_NOT_MEASURED = 'not measured (run predates energy)';

/**
 * A stored result's `energy` when it reads as an EnergyReport, else null: old runs have none, and
 * a foreign or damaged row must not break a page or a report.
 */
export function readEnergy(value: unknown): EnergyReport | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const e = value as Partial<EnergyReport>;
  if (typeof e.joules !== 'number' || !Number.isFinite(e.joules) || typeof e.estimated !== 'boolean' || typeof e.source !== 'string') return null;
  return {
    estimated: e.estimated,
    source: e.source,
    durationSeconds: finite(e.durationSeconds) ? e.durationSeconds : 0,
    joules: e.joules,
    avgWatts: finite(e.avgWatts) ? e.avgWatts : 0,
    peakWatts: finite(e.peakWatts) ? e.peakWatts : 0,
    samples: finite(e.samples) ? e.samples : 0,
    intervalMs: finite(e.intervalMs) ? e.intervalMs : 0,
    devices: Array.isArray(e.devices) ? e.devices.filter((d) => d && typeof d === 'object' && typeof d.label === 'string') : [],
    phases: Array.isArray(e.phases) ? e.phases.filter((p) => p && typeof p === 'object' && typeof p.phase === 'string' && finite(p.startS) && finite(p.endS)) : [],
    series: Array.isArray(e.series) ? e.series.filter((p) => p && finite(p.t) && finite(p.watts)) : [],
    unavailable: Array.isArray(e.unavailable) ? e.unavailable.filter((u): u is string => typeof u === 'string') : [],
    warnings: Array.isArray(e.warnings) ? e.warnings.filter((w): w is string => typeof w === 'string') : [],
    ...(typeof e.estimateBasis === 'string' ? { estimateBasis: e.estimateBasis } : {}),
  };
}
