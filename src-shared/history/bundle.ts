/**
 * The FLOPscope bundle (pure; runs anywhere): a portable JSON file of runs plus the machine
 * reports they refer to, for moving history between machines or sharing it. `canonicalJson` gives
 * the byte-exact text the checksum covers (everything but `checksum`, keys sorted); the SHA-256
 * itself is computed by the Node side (src-main/services/history/bundles.ts) and handed to
 * `parseBundle` as `hash`, since this module cannot import node:crypto. `parseBundle` checks JSON,
 * format, schema version, shape, run kinds and checksum, in that order, and throws
 * ApiFailure('INVALID_REQUEST') with a message a person can act on.
 */
import { z } from 'zod';
import { ApiFailure } from '../api/errors.js';
import { RUN_KINDS, type HardwareReport, type RunKind } from '../api/types.js';

export const BUNDLE_FORMAT = 'flopscope-bundle';
/** The newest bundle schema this build writes and reads. */
export const BUNDLE_SCHEMA_VERSION = 1;

export interface BundleRun {
  uid: string;
  kind: RunKind;
  machineId: string;
  appVersion: string;
  createdAt: string;
  params: unknown;
  result: unknown;
  tags: string[];
  note: string;
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  schemaVersion: typeof BUNDLE_SCHEMA_VERSION;
  createdAt: string;
  /** The FLOPscope that wrote the bundle. */
  appVersion: string;
  /** One report per machine the runs refer to. */
  machines: HardwareReport[];
  runs: BundleRun[];
  /** SHA-256 (lowercase hex) of canonicalJson(the bundle without `checksum`). */
  checksum: string;
}

export type UnsignedBundle = Omit<Bundle, 'checksum'>;

/** What `runs.import` answers: new run ids in bundle order; runs whose uid was already stored are skipped. */
export interface BundleImportResult {
  imported: number;
  skipped: number;
  ids: number[];
}

/**
 * JSON with object keys sorted (recursively), no whitespace. Values JSON cannot hold are treated as
 * JSON.stringify treats them (undefined members dropped, undefined in arrays → null, toJSON honoured).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return sortKeys((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined || typeof v === 'function' ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function') continue;
      out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The text the checksum covers. */
export function checksumInput(bundle: UnsignedBundle | Bundle): string {
  const { checksum: _c, ...rest } = bundle as Bundle;
  return canonicalJson(rest);
}

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected an ISO date-time' });

const machineSchema = z.looseObject({
  machine: z.looseObject({ id: z.string().min(1).max(200), hostname: z.string().max(1000) }),
});

const runSchema = z.object({
  uid: z.string().min(1).max(100),
  kind: z.enum(RUN_KINDS as unknown as [RunKind, ...RunKind[]]),
  machineId: z.string().min(1).max(200),
  appVersion: z.string().max(100),
  createdAt: isoDate,
  params: z.unknown(),
  result: z.unknown(),
  tags: z.array(z.string().min(1).max(40)).max(20),
  note: z.string().max(4000),
});

const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
  createdAt: isoDate,
  appVersion: z.string().max(100),
  machines: z.array(machineSchema),
  runs: z.array(runSchema),
  checksum: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex digits (SHA-256)' }),
});

export interface ParseBundleOptions {
  /** SHA-256 hex of a string; when given, the checksum is verified. */
  hash?: (text: string) => string;
}

function refuse(message: string, issues?: string[]): never {
  throw new ApiFailure('INVALID_REQUEST', message, issues ?? [`bundle: ${message}`]);
}

/** Parses and validates a bundle given as its file text or as an already-parsed object. */
export function parseBundle(input: unknown, options: ParseBundleOptions = {}): Bundle {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (e) {
      const msg = (e as Error).message;
      const at = /position (\d+)/.exec(msg)?.[1];
      if (/end of JSON input|Unterminated/i.test(msg) || (at !== undefined && Number(at) >= input.trimEnd().length)) {
        refuse(`the bundle is not valid JSON (truncated at character ${input.length}?)`);
      }
      refuse(`the bundle is not valid JSON (${at !== undefined ? `error at character ${at}: ` : ''}${msg})`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    refuse(`this is not a FLOPscope bundle (expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`);
  }
  const obj = value as Record<string, unknown>;
  if (obj.format !== BUNDLE_FORMAT) {
    refuse(`this is not a FLOPscope bundle (format ${obj.format === undefined ? 'missing' : JSON.stringify(obj.format)})`);
  }
  const version = obj.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    refuse(`the bundle's schemaVersion must be a positive integer, got ${JSON.stringify(version) ?? 'nothing'}`);
  }
  if (version > BUNDLE_SCHEMA_VERSION) {
    refuse(`the bundle is schema version ${version}; this FLOPscope reads up to ${BUNDLE_SCHEMA_VERSION} — update FLOPscope`);
  }
  if (Array.isArray(obj.runs)) {
    obj.runs.forEach((run: unknown, i) => {
      const kind = (run as { kind?: unknown } | null)?.kind;
      if (run && typeof run === 'object' && !(RUN_KINDS as readonly unknown[]).includes(kind)) {
        refuse(`the bundle's run ${i + 1} has an unknown kind ${JSON.stringify(kind) ?? '(missing)'}; this FLOPscope knows ${RUN_KINDS.join(', ')}`, [`runs.${i}.kind: unknown kind`]);
      }
    });
  }
  const parsed = bundleSchema.safeParse(obj);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(bundle)'}: ${i.message}`);
    refuse(`the bundle is malformed: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`, issues);
  }
  const bundle = parsed.data as unknown as Bundle;
  const machineIds = new Set(bundle.machines.map((m) => m.machine.id));
  bundle.runs.forEach((run, i) => {
    if (!machineIds.has(run.machineId)) refuse(`the bundle's run ${i + 1} refers to machine "${run.machineId}", which the bundle does not include`, [`runs.${i}.machineId: not among machines`]);
  });
  // The checksum covers what was given (unknown extra members included), not the parsed copy.
  if (options.hash && options.hash(checksumInput(obj as unknown as Bundle)) !== bundle.checksum) {
    refuse("the bundle's checksum does not match its contents: it was changed or damaged");
  }
  return bundle;
}
