/**
 * Validation of zoo options (Node main process / CLI; no I/O). Every failure is an
 * ApiFailure('INVALID_REQUEST') naming the model, the option and what is allowed, so the CLI and
 * the UI can show it as is.
 */
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { ResolvedOptions, ZooDefinition, ZooOption, ZooOptionValues } from './types.js';

/** The option every entry has: the PRNG seed of its weights. */
export const SEED_OPTION: ZooOption = {
  name: 'seed', default: 0, min: 0, max: 4294967295, integer: true,
  help: 'Seed of the random weights; the same options and seed give byte-identical files.',
};

export function allowedRange(o: ZooOption): string {
  if (o.choices) return `one of ${o.choices.map((c) => `"${c}"`).join(', ')}`;
  const kind = o.integer ? 'an integer' : 'a number';
  if (o.min !== undefined && o.max !== undefined) return `${kind} from ${o.min} to ${o.max}`;
  if (o.min !== undefined) return `${kind} ≥ ${o.min}`;
  if (o.max !== undefined) return `${kind} ≤ ${o.max}`;
  return kind;
}

/** An INVALID_REQUEST failure about one option. */
export function invalidOption(model: string, option: string, message: string): ApiFailure {
  const text = `${model}: option "${option}" ${message}`;
  return new ApiFailure('INVALID_REQUEST', text, [`${option}: ${message}`]);
}

function resolveOne(model: string, o: ZooOption, given: number | string | undefined): number | string {
  const raw = given ?? o.default;
  const bad = () => invalidOption(model, o.name, `must be ${allowedRange(o)} (got ${JSON.stringify(raw)})`);
  if (o.choices) {
    const s = typeof raw === 'number' ? String(raw) : raw;
    if (!o.choices.includes(s)) throw bad();
    return s;
  }
  // Numbers may arrive as strings from the CLI ("--option resolution=160").
  const n = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw bad();
  if (o.integer && !Number.isInteger(n)) throw bad();
  if (o.min !== undefined && n < o.min) throw bad();
  if (o.max !== undefined && n > o.max) throw bad();
  return n;
}

/** Fills defaults, coerces numeric strings and checks every option against its declared range. */
export function resolveOptions(def: ZooDefinition, given: ZooOptionValues = {}): ResolvedOptions {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new ApiFailure('INVALID_REQUEST', `${def.name}: options must be an object of name → value`);
  }
  const known = new Set(def.options.map((o) => o.name));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new ApiFailure('INVALID_REQUEST', `${def.name} has no option "${key}"; its options are ${[...known].join(', ')}`, [`${key}: unknown option`]);
    }
  }
  const out: ResolvedOptions = {};
  for (const o of def.options) out[o.name] = resolveOne(def.name, o, given[o.name]);
  return out;
}

/** Typed accessors for resolved options (validated already, so a wrong type is a zoo bug). */
export function num(o: ResolvedOptions, name: string): number {
  const v = o[name];
  if (typeof v !== 'number') throw new Error(`zoo: option ${name} is not numeric`);
  return v;
}

export function str(o: ResolvedOptions, name: string): string {
  const v = o[name];
  if (typeof v !== 'string') throw new Error(`zoo: option ${name} is not a string`);
  return v;
}
