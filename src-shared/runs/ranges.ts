/**
 * The shape of a plausible range (runs anywhere) and the ranges several kinds share. Each run kind
 * lists its own ranges in its registry entry (src-shared/runs/kinds/<kind>.ts); ./plausibility.ts
 * checks a result against them. docs/security.md ("Database and imports") lists them.
 */

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

export const DAY = 86_400;
export const GFLOPS_MAX = 1e7; // 10 PFLOP/s: beyond any single machine
export const GBS_MAX = 1e5; // 100 TB/s

/** The ranges of a measured run's `energy` (bench, profile, lesson, attention). */
export const energyRanges = (what: string): PlausibleRange[] => [
  { path: 'energy.joules', min: 0, max: 3.6e9, unit: 'J', what: `the energy of ${what}` },
  { path: 'energy.avgWatts', min: 0, max: 1e5, unit: 'W', what: `the average power of ${what}` },
  { path: 'energy.peakWatts', min: 0, max: 1e5, unit: 'W', what: `the peak power of ${what}` },
  { path: 'energy.durationSeconds', min: 0, max: 7 * DAY, unit: 's', what: `the sampled time of ${what}` },
];
