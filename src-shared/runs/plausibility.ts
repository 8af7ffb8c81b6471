/**
 * Plausible ranges of the numbers a stored run carries (runs anywhere). A run that passed its
 * schema (./schemas.ts) can still hold a number no machine produced: a negative time, a training
 * run's energy of 1e301 kWh. Such a run is kept as it is (it may be a genuine oddity, and the
 * bundle's checksum covers it), but wherever one of these numbers is shown the pages and reports
 * say it is outside the range it can take, instead of printing "-1.0 s" as if it were a measurement.
 *
 * The ranges are deliberately wide: they catch values that are impossible or hand-edited, not
 * unusual machines. Each kind's ranges are in its registry entry (./kinds/<kind>.ts);
 * docs/security.md ("Database and imports") lists them.
 */
import type { RunKind } from '../api/types.js';
import { RUN_KIND_REGISTRY } from './kinds/index.js';
import type { PlausibleRange } from './ranges.js';

export type { PlausibleRange } from './ranges.js';

export interface ImplausibleValue {
  path: string;
  value: number;
  range: PlausibleRange;
}

/** Each kind's ranges, from its registry entry (src-shared/runs/kinds/<kind>.ts). */
export const PLAUSIBLE_RANGES: Record<RunKind, readonly PlausibleRange[]> = Object.fromEntries(Object.values(RUN_KIND_REGISTRY).map((e) => [e.name, e.plausible])) as Record<RunKind, readonly PlausibleRange[]>;

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
