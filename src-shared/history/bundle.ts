/**
 * The FLOPscope bundle (pure; runs anywhere): a portable JSON file of runs plus the machine
 * reports they refer to, for moving history between machines or sharing it. `canonicalJson` gives
 * the byte-exact text the checksum covers (everything but `checksum`, keys sorted); the SHA-256
 * itself is computed by the Node side (src-main/services/history/bundles.ts), since this module
 * cannot import node:crypto.
 *
 * Reading a bundle is validating it the way the API validates a request, before anything is
 * written: BundleReader takes the bundle's top-level members and the elements of its `machines`
 * and `runs` one at a time (from BundleScanner, ./bundle-scan.ts, over text of any size, or from
 * an object already in memory after an iterative depth check), checks the format and schema
 * version, every machine record against the HardwareReport schema and every run against its
 * kind's schemas (its entry in the run-kind registry, src-shared/runs/kinds/), turns dates into ISO-8601 UTC, refuses text the
 * store could not keep unchanged (src-shared/runs/text.ts), and enforces BUNDLE_LIMITS. Every
 * refusal is ApiFailure('INVALID_REQUEST') with a message a person can act on and one issue per
 * offending field ("runs.3.result.law: missing (expected an object)"). docs/security.md
 * ("Database and imports") lists the rules.
 */
import { z } from 'zod';
import { ApiFailure } from '../api/errors.js';
import { RUN_KINDS, type HardwareReport, type RunKind } from '../api/types.js';
import { checkRunPayload } from '../runs/kinds/index.js';
import { hardwareReportSchema } from '../runs/kinds/hardware.js';
import { issuesOf, machineIdSchema, storedText } from '../runs/schema-parts.js';
import { textProblem } from '../runs/text.js';
import { BundleScanner, formatChars, ScanError, type ScanLimits } from './bundle-scan.js';
import { lazySchema } from '../api/lazy-schema.js';

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

/** What one bundle may hold. A bundle over any of them is refused, naming the field. */
export const BUNDLE_LIMITS: ScanLimits & { maxBundleBytes: number; maxIssues: number } = {
  /** A bundle file (or upload) of at most 1 GiB. */
  maxBundleBytes: 2 ** 30,
  /** Objects and arrays nested at most 64 deep, the bundle itself the first (a run's result starts at the fourth). */
  maxDepth: 64,
  /** One run (its params, result, tags, note…) at most 32 MiB of JSON text. */
  maxRunChars: 32 * 2 ** 20,
  /** One machine record at most 1 MiB of JSON text. */
  maxMachineChars: 2 ** 20,
  /** Each other top-level member (format, createdAt, …) at most 64 KiB. */
  maxMemberChars: 64 * 2 ** 10,
  maxRuns: 100_000,
  maxMachines: 1_000,
  /** Reading stops after this many problems: the first ones are what a person fixes first. */
  maxIssues: 20,
};

/** The earliest createdAt a run may carry; the latest is now plus FUTURE_SLACK_MS (clocks differ between machines). */
export const EARLIEST_RUN_DATE = '2000-01-01T00:00:00.000Z';
export const FUTURE_SLACK_MS = 24 * 3600_000;

function refuse(message: string, issues?: string[]): never {
  throw new ApiFailure('INVALID_REQUEST', message, issues ?? [`bundle: ${message}`]);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO-8601 date-time with a time zone (Z or ±hh:mm) as ISO UTC ("2026-01-31T12:00:00.000Z"),
 * or why it is not one. Other spellings Date.parse would take ("Tue, 01 Jan 1970 00:00:00 GMT",
 * "2026-01-31", "1") are refused: a date that sorts wrongly makes a wrong "latest" run.
 */
export function toIsoUtc(value: unknown, bounds: { now?: number; earliest?: string } = {}): { iso: string } | { problem: string } {
  const example = 'such as 2026-01-31T12:00:00Z';
  if (typeof value !== 'string') return { problem: `expected an ISO-8601 date-time ${example}, got ${value === null ? 'null' : typeof value}` };
  const m = value.length <= 64 ? ISO.exec(value) : null;
  if (!m) return { problem: `expected an ISO-8601 date-time with a time zone, ${example}; got ${JSON.stringify(value.slice(0, 64))}` };
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, sec, ms));
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) {
    return { problem: `${JSON.stringify(value)} is not a date that exists` };
  }
  let offsetMin = 0;
  const zone = m[8]!;
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return { problem: `${JSON.stringify(value)} has an impossible time-zone offset` };
    offsetMin = (digits[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const t = local.getTime() - offsetMin * 60_000;
  const earliest = Date.parse(bounds.earliest ?? EARLIEST_RUN_DATE);
  const latest = (bounds.now ?? Date.now()) + FUTURE_SLACK_MS;
  const iso = new Date(t).toISOString();
  if (t < earliest) return { problem: `${iso} is before ${new Date(earliest).toISOString().slice(0, 10)}: no FLOPscope run is that old` };
  if (t > latest) return { problem: `${iso} is in the future (this machine's clock says ${new Date(latest - FUTURE_SLACK_MS).toISOString()})` };
  return { iso };
}

const tag = lazySchema(() => z
  .string({ error: 'expected a tag (a string)' })
  .trim()
  .min(1, { error: 'a tag cannot be empty' })
  .max(40, { error: 'a tag is at most 40 characters' })
  .superRefine((s, ctx) => {
    const problem = textProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }));
const note = lazySchema(() => z
  .string({ error: 'expected a note (a string)' })
  .max(4000, { error: 'a note is at most 4000 characters' })
  .superRefine((s, ctx) => {
    const problem = textProblem(s, { multiline: true });
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }));

/** Tags and notes as the store keeps them: shared with runs.update in the API contract. */
export const tagSchema = tag;
export const noteSchema = note;

const runEnvelopeSchema = lazySchema(() => z.looseObject({
  uid: storedText(100, 'a uid (a string)').min(1, { error: 'a uid cannot be empty' }),
  kind: z.enum(RUN_KINDS as readonly [RunKind, ...RunKind[]]),
  machineId: machineIdSchema,
  appVersion: storedText(100, 'a version (a string)'),
  createdAt: z.unknown(),
  params: z.unknown(),
  result: z.unknown(),
  tags: z.array(tag, { error: 'expected a list of tags' }).max(20, { error: 'at most 20 tags' }),
  note,
}));

const headerSchema = lazySchema(() => z.object({
  createdAt: z.string({ error: 'missing (expected an ISO-8601 date-time)' }),
  appVersion: storedText(100, 'a version (a string)'),
  checksum: z.string({ error: 'missing (expected 64 lowercase hex digits, SHA-256)' }).regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex digits (SHA-256)' }),
}));

/** Where BundleReader puts what passed: the Node side spools it to disk, parseBundle keeps it in memory. */
export interface BundleSink {
  /** A machine record that passed, with its canonical JSON (what the checksum covers). */
  machine(index: number, report: HardwareReport, canonical: string): void;
  /** A run that passed, as it will be stored (createdAt in UTC, tags trimmed), with its canonical JSON as given. */
  run(index: number, run: BundleRun, canonical: string): void;
}

/** The checksummed text of a bundle is `before` + machines joined by "," + `between` + runs joined by "," + `after`. */
export interface CanonicalFrame {
  before: string;
  between: string;
  after: string;
}

export interface BundleHeader {
  createdAt: string;
  appVersion: string;
  checksum: string;
  machineCount: number;
  runCount: number;
  frame: CanonicalFrame;
}

export interface ReaderOptions {
  /** "Now" for the future-date check (tests fix it). */
  now?: number;
}

/** Validates a bundle handed over piece by piece; see the module comment. */
export class BundleReader {
  private readonly members = new Map<string, unknown>();
  private readonly arrays = new Set<'machines' | 'runs'>();
  private readonly issues: string[] = [];
  private readonly machineIds = new Set<string>();
  /** machineId → first run index that refers to it. */
  private readonly refs = new Map<string, number>();
  private machineCount = 0;
  private runCount = 0;

  constructor(
    private readonly sink: BundleSink,
    private readonly options: ReaderOptions = {},
  ) {}

  /** A top-level member other than the machines and runs arrays. */
  member(key: string, value: unknown): void {
    if (key === 'machines' || key === 'runs' || this.members.has(key)) {
      if (key === 'machines' || key === 'runs') this.problem(`${key}: expected a list`);
      else this.problem(`${key}: given twice`);
      return;
    }
    this.members.set(key, value);
    // A file that is not a bundle, or one from a newer FLOPscope, is refused before the rest is read.
    if (key === 'format') checkFormat(value);
    if (key === 'schemaVersion') checkVersion(value);
  }

  /** The top-level machines or runs array began. */
  array(which: 'machines' | 'runs'): void {
    if (this.arrays.has(which) || this.members.has(which)) this.problem(`${which}: given twice`);
    this.arrays.add(which);
  }

  machine(index: number, value: unknown, canonical = canonicalJson(value)): void {
    this.machineCount++;
    const parsed = hardwareReportSchema.safeParse(value);
    if (!parsed.success) return this.problems(issuesOf(parsed.error, `machines.${index}`));
    const report = value as HardwareReport;
    this.machineIds.add(report.machine.id);
    this.sink.machine(index, report, canonical);
  }

  run(index: number, value: unknown, canonical = canonicalJson(value)): void {
    this.runCount++;
    const at = `runs.${index}`;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return this.problem(`${at}: expected an object (a run)`);
    const kind = (value as { kind?: unknown }).kind;
    if (!(RUN_KINDS as readonly unknown[]).includes(kind)) {
      refuse(`the bundle's run ${index + 1} has an unknown kind ${JSON.stringify(kind) ?? '(missing)'}; this FLOPscope knows ${RUN_KINDS.join(', ')}`, [`${at}.kind: unknown kind`]);
    }
    const envelope = runEnvelopeSchema.safeParse(value);
    const issues = envelope.success ? [] : issuesOf(envelope.error, at);
    const date = toIsoUtc((value as { createdAt?: unknown }).createdAt, this.options.now !== undefined ? { now: this.options.now } : {});
    if ('problem' in date) issues.push(`${at}.createdAt: ${date.problem}`);
    const raw = value as BundleRun;
    issues.push(...checkRunPayload(kind as RunKind, raw.params, raw.result, `${at}.`));
    if (issues.length || !envelope.success || 'problem' in date) return this.problems(issues);
    const e = envelope.data;
    if (!this.refs.has(e.machineId)) this.refs.set(e.machineId, index);
    this.sink.run(index, { uid: e.uid, kind: e.kind, machineId: e.machineId, appVersion: e.appVersion, createdAt: date.iso, params: raw.params, result: raw.result, tags: e.tags, note: e.note }, canonical);
  }

  /** Everything was read: the remaining checks, and the frame of the checksummed text. */
  finish(): BundleHeader {
    if (!this.members.has('format')) refuse('this is not a FLOPscope bundle (format missing)');
    if (!this.members.has('schemaVersion')) checkVersion(undefined);
    for (const which of ['machines', 'runs'] as const) if (!this.arrays.has(which) && !this.members.has(which)) this.issues.push(`${which}: missing (expected a list)`);
    const header = headerSchema.safeParse(Object.fromEntries(this.members));
    if (!header.success) this.issues.push(...issuesOf(header.error, ''));
    let createdAt = '';
    if (header.success) {
      const date = toIsoUtc(header.data.createdAt, this.options.now !== undefined ? { now: this.options.now } : {});
      if ('problem' in date) this.issues.push(`createdAt: ${date.problem}`);
      else createdAt = date.iso;
    }
    if (this.issues.length) this.fail();
    for (const [machineId, index] of this.refs) {
      if (!this.machineIds.has(machineId)) refuse(`the bundle's run ${index + 1} refers to machine "${machineId}", which the bundle does not include`, [`runs.${index}.machineId: not among machines`]);
    }
    return { createdAt, appVersion: header.data!.appVersion, checksum: header.data!.checksum, machineCount: this.machineCount, runCount: this.runCount, frame: this.frame() };
  }

  /** The canonical text around the two arrays, built the way canonicalJson builds it (so the same members, in the same order). */
  private frame(): CanonicalFrame {
    const marker = { machines: '\u0000machines\u0000', runs: '\u0000runs\u0000' };
    const top: Record<string, unknown> = {};
    for (const [k, v] of this.members) if (k !== 'checksum') Object.defineProperty(top, k, { value: v, enumerable: true, writable: true, configurable: true });
    top.machines = marker.machines;
    top.runs = marker.runs;
    const text = canonicalJson(top);
    const [before, rest] = text.split(JSON.stringify(marker.machines)) as [string, string];
    const [between, after] = rest.split(JSON.stringify(marker.runs)) as [string, string];
    return { before: `${before}[`, between: `]${between}[`, after: `]${after}` };
  }

  private problem(issue: string): void {
    this.problems([issue]);
  }

  private problems(issues: string[]): void {
    this.issues.push(...issues);
    if (this.issues.length >= BUNDLE_LIMITS.maxIssues) this.fail();
  }

  private fail(): never {
    const issues = this.issues;
    refuse(`the bundle is malformed: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`, issues);
  }
}

function checkFormat(value: unknown): void {
  if (value !== BUNDLE_FORMAT) refuse(`this is not a FLOPscope bundle (format ${value === undefined ? 'missing' : JSON.stringify(value).slice(0, 200)})`);
}

function checkVersion(version: unknown): void {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    refuse(`the bundle's schemaVersion must be a positive integer, got ${JSON.stringify(version)?.slice(0, 100) ?? 'nothing'}`);
  }
  if (version > BUNDLE_SCHEMA_VERSION) refuse(`the bundle is schema version ${version}; this FLOPscope reads up to ${BUNDLE_SCHEMA_VERSION} — update FLOPscope`);
}

/** A ScanError (text that is not JSON, or over a limit) as the API's refusal. */
export function scanFailure(e: ScanError): ApiFailure {
  const where = e.path || 'bundle';
  switch (e.kind) {
    case 'not-object':
      return new ApiFailure('INVALID_REQUEST', `this is not a FLOPscope bundle (${e.message})`, [`bundle: ${e.message}`]);
    case 'truncated':
      return new ApiFailure('INVALID_REQUEST', `the bundle is not valid JSON (truncated at character ${e.at}?)`, [`${where}: the text ends before the bundle does`]);
    case 'limit':
      return new ApiFailure('INVALID_REQUEST', `the bundle is over a limit: ${where}: ${e.message}`, [`${where}: ${e.message}`]);
    default:
      return new ApiFailure('INVALID_REQUEST', `the bundle is not valid JSON (${e.message})`, [`${where}: not valid JSON: ${e.message}`]);
  }
}

/** Feeds bundle text to a reader through the scanner, in pieces of at most `piece` characters. */
export class BundleTextReader {
  private readonly scanner: BundleScanner;
  constructor(private readonly reader: BundleReader) {
    this.scanner = new BundleScanner(BUNDLE_LIMITS, (event) => {
      if (event.type === 'array') return reader.array(event.array);
      let value: unknown;
      try {
        value = JSON.parse(event.text);
      } catch (e) {
        const path = event.type === 'member' ? event.key : `${event.array}.${event.index}`;
        throw new ScanError('syntax', path, `${(e as Error).message} (in ${path}, which starts at character ${event.at})`, event.at);
      }
      if (event.type === 'member') reader.member(event.key, value);
      else if (event.array === 'machines') reader.machine(event.index, value);
      else reader.run(event.index, value);
    });
  }

  write(text: string): void {
    try {
      for (let i = 0; i < text.length; i += 65536) this.scanner.write(text.slice(i, i + 65536));
    } catch (e) {
      throw e instanceof ScanError ? scanFailure(e) : e;
    }
  }

  end(): BundleHeader {
    try {
      this.scanner.end();
    } catch (e) {
      throw e instanceof ScanError ? scanFailure(e) : e;
    }
    return this.reader.finish();
  }
}

/**
 * Feeds a bundle that is already an object (an inline API request) to a reader. Its nesting is
 * measured first without recursion, so a value nested 100,000 deep is refused before anything
 * recursive (the schemas, canonicalJson) touches it.
 */
export function readBundleObject(value: unknown, reader: BundleReader): BundleHeader {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    refuse(`this is not a FLOPscope bundle (expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`);
  }
  const obj = value as Record<string, unknown>;
  const L = BUNDLE_LIMITS;
  // Format and version first, whatever the key order, like the text reader sees them in a real file.
  for (const key of ['format', 'schemaVersion']) if (Object.prototype.hasOwnProperty.call(obj, key)) reader.member(key, obj[key]);
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'format' || key === 'schemaVersion') continue;
    if ((key === 'machines' || key === 'runs') && Array.isArray(v)) {
      const max = key === 'runs' ? L.maxRuns : L.maxMachines;
      if (v.length > max) refuse(`the bundle is over a limit: ${key}: more than ${max.toLocaleString('en-US')} ${key} in one bundle`, [`${key}: more than ${max.toLocaleString('en-US')} ${key} in one bundle`]);
      reader.array(key);
      v.forEach((element: unknown, i) => {
        const path = `${key}.${i}`;
        checkDepth(element, 3, path);
        const canonical = canonicalJson(element);
        const limit = key === 'runs' ? L.maxRunChars : L.maxMachineChars;
        if (canonical.length > limit) {
          const noun = key === 'runs' ? 'one run' : 'one machine record';
          const why = `larger than ${formatChars(limit)} of JSON text, the most ${noun} may take`;
          refuse(`the bundle is over a limit: ${path}: ${why}`, [`${path}: ${why}`]);
        }
        if (key === 'runs') reader.run(i, element, canonical);
        else reader.machine(i, element, canonical);
      });
    } else {
      checkDepth(v, 2, key);
      if (canonicalJson(v).length > L.maxMemberChars) {
        const why = `larger than ${formatChars(L.maxMemberChars)} of JSON text, the most this member may take`;
        refuse(`the bundle is over a limit: ${key}: ${why}`, [`${key}: ${why}`]);
      }
      reader.member(key, v);
    }
  }
  return reader.finish();
}

/** Refuses a value nested deeper than the limit (counting from the bundle), without recursion. */
function checkDepth(value: unknown, depth: number, path: string): void {
  const stack: Array<[unknown, number, string]> = [[value, depth, path]];
  while (stack.length) {
    const [v, d, p] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > BUNDLE_LIMITS.maxDepth) {
      const shown = p.length > 200 ? `${p.slice(0, 200)}…` : p;
      refuse(`the bundle is over a limit: ${shown}: nested deeper than ${BUNDLE_LIMITS.maxDepth} levels`, [`${shown}: nested deeper than ${BUNDLE_LIMITS.maxDepth} levels`]);
    }
    // Only containers can be too deep, so only they are stacked (with their path).
    const push = (x: unknown, k: string | number) => {
      if (x !== null && typeof x === 'object') stack.push([x, d + 1, p.length < 400 ? `${p}.${k}` : p]);
    };
    if (Array.isArray(v)) v.forEach((x, i) => push(x, i));
    else for (const [k, x] of Object.entries(v)) push(x, k);
  }
}

export interface ParseBundleOptions {
  /** SHA-256 hex of a string; when given, the checksum is verified. */
  hash?: (text: string) => string;
  now?: number;
}

/**
 * Parses and validates a whole bundle in memory (its file text, or an already-parsed object):
 * the same checks as a streamed import. Runs come back as they would be stored.
 */
export function parseBundle(input: unknown, options: ParseBundleOptions = {}): Bundle {
  const machines: HardwareReport[] = [];
  const machineTexts: string[] = [];
  const runs: BundleRun[] = [];
  const runTexts: string[] = [];
  const reader = new BundleReader(
    {
      machine: (_i, report, canonical) => {
        machines.push(report);
        machineTexts.push(canonical);
      },
      run: (_i, run, canonical) => {
        runs.push(run);
        runTexts.push(canonical);
      },
    },
    options.now !== undefined ? { now: options.now } : {},
  );
  let header: BundleHeader;
  if (typeof input === 'string') {
    const text = new BundleTextReader(reader);
    text.write(input);
    header = text.end();
  } else {
    header = readBundleObject(input, reader);
  }
  if (options.hash) {
    const f = header.frame;
    if (options.hash(f.before + machineTexts.join(',') + f.between + runTexts.join(',') + f.after) !== header.checksum) {
      refuse("the bundle's checksum does not match its contents: it was changed or damaged");
    }
  }
  return { format: BUNDLE_FORMAT, schemaVersion: BUNDLE_SCHEMA_VERSION, createdAt: header.createdAt, appVersion: header.appVersion, machines, runs, checksum: header.checksum };
}
