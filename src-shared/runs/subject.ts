/**
 * A run's subject (runs anywhere): what it is about in a few words, from the JSON paths its kind
 * names (src-shared/runs/kinds/<kind>.ts `subject`). runs.list reads the paths in SQL; a full run
 * (reports, comparisons) is read here with the same paths, so both give the same words.
 */
import type { Run } from '../api/types.js';
import type { SubjectSpec } from './kinds/entry.js';

/** The value at a JSON path such as '$.model.dims' or '$.seqs[0]' (only the forms the kinds use). */
export function atPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[m[1]!] : undefined;
    for (const idx of m[2]!.match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
  }
  return cur;
}

/** The values of a spec's paths in a full run ('params:' paths read its params). */
export function subjectValues(spec: SubjectSpec, run: Pick<Run, 'params' | 'result'>): unknown[] {
  return spec.paths.map((p) => (p.startsWith('params:') ? atPath(run.params, p.slice('params:'.length)) : atPath(run.result, p)));
}

/** json_extract returns objects and arrays as JSON text: parse those back, leave the rest. */
export function fromSql(value: unknown): unknown {
  if (typeof value !== 'string' || !/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Words of a subject part: strings as they are, finite numbers in plain digits, the rest left out. */
export const part = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/** Joins the parts that are present; null when none is. */
export function join(parts: ReadonlyArray<string | null>, sep = ', '): string | null {
  const present = parts.filter((p): p is string => Boolean(p));
  return present.length ? present.join(sep) : null;
}

/** { batch: 1, sequence: 128 } → "batch 1, sequence 128". */
export function dimsText(dims: unknown): string | null {
  if (!dims || typeof dims !== 'object') return null;
  return join(Object.entries(dims as Record<string, unknown>).map(([k, v]) => (part(v) ? `${k} ${part(v)}` : null)));
}
