/**
 * Plausible ranges of the numbers a stored run carries (runs anywhere). A run that passed its
 * schema (./schemas.ts) can still hold a number no machine produced: a negative time, a training
 * run's energy of 1e301 kWh. Such a run is kept as it is (it may be a genuine oddity, and the
 * bundle's checksum covers it), but wherever one of these numbers is shown the pages and reports
 * say it is outside the range it can take, instead of printing "-1.0 s" as if it were a measurement.
 *
 * The ranges are deliberately wide: they catch values that are impossible or hand-edited, not
 * unusual machines. docs/security.md ("Database and imports") lists them.
 */
import type { RunKind } from '../api/types.js';

export interface PlausibleRange {
  /** Dotted path into the result; `[]` is every element of an array, `*` every value of an object. */
  path: string;
  min: number;
  max: number;
  /** The minimum itself is out of range (a time of 0 s is not a measurement). */
  minExclusive?: boolean;
  unit: string;
  /** What the number is, for the message: "a benchmark's duration". */
  what: string;
}

export interface ImplausibleValue {
  path: string;
  value: number;
  range: PlausibleRange;
}

const DAY = 86_400;
const energy = (what: string): PlausibleRange[] => [
  { path: 'energy.joules', min: 0, max: 3.6e9, unit: 'J', what: `the energy of ${what}` },
  { path: 'energy.avgWatts', min: 0, max: 1e5, unit: 'W', what: `the average power of ${what}` },
  { path: 'energy.peakWatts', min: 0, max: 1e5, unit: 'W', what: `the peak power of ${what}` },
  { path: 'energy.durationSeconds', min: 0, max: 7 * DAY, unit: 's', what: `the sampled time of ${what}` },
];
const GFLOPS_MAX = 1e7; // 10 PFLOP/s: beyond any single machine
const GBS_MAX = 1e5; // 100 TB/s

export const PLAUSIBLE_RANGES: Record<RunKind, PlausibleRange[]> = {
  hardware: [
    { path: 'cpu.logicalCores', min: 1, max: 100_000, unit: '', what: 'a logical core count' },
    { path: 'cpu.physicalCores', min: 1, max: 100_000, unit: '', what: 'a physical core count' },
    { path: 'cpu.baseGHz', min: 0.01, max: 20, unit: 'GHz', what: 'a base clock' },
    { path: 'cpu.maxGHz', min: 0.01, max: 20, unit: 'GHz', what: 'a maximum clock' },
    { path: 'memory.totalBytes', min: 2 ** 20, max: 2 ** 60, unit: 'B', what: "a machine's memory" },
    { path: 'peaks[].gflops', min: 0, max: GFLOPS_MAX, minExclusive: true, unit: 'GFLOP/s', what: 'a theoretical peak' },
  ],
  bench: [
    { path: 'elapsedSeconds', min: 0, max: 7 * DAY, minExclusive: true, unit: 's', what: "a benchmark's duration" },
    { path: 'threads', min: 1, max: 100_000, unit: '', what: 'a thread count' },
    { path: 'gemm.best.*', min: 0, max: GFLOPS_MAX, unit: 'GFLOP/s', what: 'a GEMM throughput' },
    { path: 'gemm.results[].gflops', min: 0, max: GFLOPS_MAX, unit: 'GFLOP/s', what: 'a GEMM throughput' },
    { path: 'gemm.results[].medianSeconds', min: 0, max: DAY, minExclusive: true, unit: 's', what: 'the time of one matrix product' },
    { path: 'memory.copyGBs', min: 0, max: GBS_MAX, unit: 'GB/s', what: 'a memory bandwidth' },
    { path: 'memory.triadGBs', min: 0, max: GBS_MAX, unit: 'GB/s', what: 'a memory bandwidth' },
    { path: 'memory.levels[].GBs', min: 0, max: GBS_MAX, unit: 'GB/s', what: 'a memory bandwidth' },
    { path: 'latency.levels[].ns', min: 0, max: 1e7, minExclusive: true, unit: 'ns', what: 'a memory latency' },
    { path: 'roofline.ceilings[].value', min: 0, max: GFLOPS_MAX, unit: '', what: 'a roofline ceiling' },
    ...energy('a benchmark'),
  ],
  profile: [
    { path: 'measured.latencyMs.median', min: 0, max: DAY * 1000, minExclusive: true, unit: 'ms', what: "a model's latency" },
    { path: 'measured.latencyMs.p90', min: 0, max: DAY * 1000, minExclusive: true, unit: 'ms', what: "a model's latency" },
    { path: 'energyEfficiency.joulesPerInference', min: 0, max: 3.6e9, unit: 'J', what: 'the energy of one inference' },
    { path: 'totals.params', min: 0, max: 1e15, unit: '', what: "a model's parameter count" },
    { path: 'totals.flops', min: 0, max: 1e21, unit: 'FLOP', what: "a model's FLOPs per inference" },
    ...energy('a model run'),
  ],
  plan: [
    { path: 'computeFlops', min: 0, max: 1e35, minExclusive: true, unit: 'FLOP', what: "a training run's compute" },
    { path: 'params', min: 1e5, max: 1e15, unit: '', what: "a model's parameter count" },
    { path: 'loss', min: 0, max: 100, minExclusive: true, unit: 'nats', what: 'a loss' },
    { path: 'time.seconds', min: 0, max: 100 * 365 * DAY, minExclusive: true, unit: 's', what: "a training run's time" },
    { path: 'costUsd', min: 0, max: 1e13, unit: 'USD', what: "a training run's cost" },
    { path: 'energy.kwh', min: 0, max: 1e10, unit: 'kWh', what: "a training run's energy" },
    { path: 'energy.co2Kg', min: 0, max: 1e10, unit: 'kg', what: "a training run's CO₂" },
    { path: 'energy.pue', min: 1, max: 3, unit: '', what: 'a PUE' },
  ],
  fit: [
    { path: 'law.E', min: 0, max: 100, unit: 'nats', what: 'an irreducible loss' },
    { path: 'law.alpha', min: 0, max: 5, minExclusive: true, unit: '', what: 'a scaling exponent' },
    { path: 'law.beta', min: 0, max: 5, minExclusive: true, unit: '', what: 'a scaling exponent' },
    { path: 'nRuns', min: 1, max: 1e6, unit: '', what: 'a number of fitted runs' },
  ],
  lesson: [
    { path: 'seconds.*', min: 0, max: DAY, minExclusive: true, unit: 's', what: 'the time of one kernel' },
    { path: 'gflops.*', min: 0, max: GFLOPS_MAX, unit: 'GFLOP/s', what: 'a kernel throughput' },
    ...energy('a lesson run'),
  ],
  attention: [
    { path: 'points[].predictedSeconds', min: 0, max: 365 * DAY, unit: 's', what: 'a predicted time' },
    { path: 'measured.points[].seconds', min: 0, max: DAY, minExclusive: true, unit: 's', what: 'a measured attention time' },
    ...energy('a measured sweep'),
  ],
};

/** The numbers at `path` in `value` (with `[]` and `*` expanded), with their concrete paths. */
function numbersAt(value: unknown, path: string): Array<[string, number]> {
  let here: Array<[string, unknown]> = [['', value]];
  for (const raw of path.split('.')) {
    const next: Array<[string, unknown]> = [];
    const key = raw.endsWith('[]') ? raw.slice(0, -2) : raw;
    for (const [p, v] of here) {
      if (v === null || typeof v !== 'object') continue;
      const join = (k: string) => (p ? `${p}.${k}` : k);
      if (key === '*') {
        for (const [k, x] of Object.entries(v)) next.push([join(k), x]);
        continue;
      }
      const x = Array.isArray(v) ? undefined : (v as Record<string, unknown>)[key];
      if (raw.endsWith('[]')) {
        if (Array.isArray(x)) x.forEach((e, i) => next.push([join(`${key}.${i}`), e]));
      } else if (x !== undefined) {
        next.push([join(key), x]);
      }
    }
    here = next;
  }
  return here.filter((e): e is [string, number] => typeof e[1] === 'number');
}

/** The numbers of a run's result outside their plausible range (none for a result that is not an object). */
export function implausibleValues(kind: RunKind, result: unknown, limit = 20): ImplausibleValue[] {
  const out: ImplausibleValue[] = [];
  for (const range of PLAUSIBLE_RANGES[kind] ?? []) {
    for (const [path, value] of numbersAt(result, range.path)) {
      const low = range.minExclusive ? value <= range.min : value < range.min;
      if (low || value > range.max) out.push({ path, value, range });
      if (out.length >= limit) return out;
    }
  }
  return out;
}

const show = (n: number) => (Math.abs(n) >= 1e6 || (n !== 0 && Math.abs(n) < 1e-3) ? n.toExponential(2) : String(Math.round(n * 1000) / 1000));

/** "elapsedSeconds is -1 s: outside the range of a benchmark's duration (more than 0 s, at most 604800 s)". */
export function describeImplausible(v: ImplausibleValue): string {
  const r = v.range;
  const unit = r.unit ? ` ${r.unit}` : '';
  return `${v.path} is ${show(v.value)}${unit}: outside the range of ${r.what} (${r.minExclusive ? 'more than' : 'at least'} ${show(r.min)}${unit}, at most ${show(r.max)}${unit}); it was probably changed by hand or damaged`;
}

/** One line per implausible number of a run, for a warning list. */
export function implausibleNotes(kind: RunKind, result: unknown): string[] {
  return implausibleValues(kind, result).map(describeImplausible);
}
