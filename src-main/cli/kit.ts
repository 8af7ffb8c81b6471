/**
 * What every CLI command shares (Node side): the context a capability's `register(program, cli)`
 * receives, the two failure kinds (usage error: exit 2; failed work: exit 1), argument parsers and
 * small file checks. Kept light on purpose: `flopscope --version` and `--help` load this module and
 * every capability's cli.ts, so nothing here (or there, at the top level) may pull in the backend,
 * the store, ONNX Runtime or the services; actions import those with `await import(...)`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import { ApiFailure } from '../../src-shared/api/errors.js';
import type { CliIo } from './io.js';

export interface CliContext {
  io: CliIo;
  /** The API, in-process; the backend behind it is created on the first call (not at start-up). */
  client: FlopscopeClient;
  /** Whether the running command was given --json. */
  json(): boolean;
  /** Prints the result: one JSON document with --json, else the text. */
  emit(value: unknown, text: () => string): void;
}

export class UsageError extends Error {}

/** The work itself failed (a job's error event, a bad model file): exit 1, whatever the code. */
export class WorkFailed extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
  }
}

/** Runs `work`; an ApiFailure it throws becomes WorkFailed (exit 1). */
export async function asWork<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw e instanceof ApiFailure ? new WorkFailed(e) : e;
  }
}

export function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(value)}.`);
    }
    return Number(value);
  };
}

/**
 * A flag's text parsed by an API schema (the one the door parses the same field with): its value,
 * or a UsageError (exit 2) from the schema's first issue, led by the flag. A message that reads on
 * from the flag ("takes …", "must …") follows it after a space, any other after a colon.
 */
export function parseFlag<T>(schema: z.ZodType<T, string>, flag: string, text: string): T {
  const parsed = schema.safeParse(text);
  if (parsed.success) return parsed.data;
  throw new UsageError(flagMessage(flag, parsed.error));
}

function flagMessage(flag: string, error: z.ZodError): string {
  const message = error.issues[0]?.message ?? 'is not valid';
  return `${flag}${/^(takes|must) /.test(message) ? ' ' : ': '}${message}.`;
}

let quantitySchema: z.ZodType<number, string> | null = null;

/**
 * Loads the API schemas that flags are parsed with (zod and the planner's contract). The CLI
 * awaits it before a command parses its options (main.ts, preSubcommand), so `--version` and
 * `--help` never load zod (bench/cli-startup.ts).
 *
 * It also sets zod `jitless` for the process: a CLI process parses each schema a few times at most,
 * and zod's JIT, which compiles every object schema with `new Function` on its first parse, costs
 * more than it saves there; no code cache can keep its output (~10 ms of `flopscope profile`).
 * Results are the same. Every command comes through here before its first parse.
 */
export async function loadFlagSchemas(): Promise<void> {
  if (quantitySchema) return;
  const [{ z: zod }, planner] = await Promise.all([import('zod'), import('../../src-shared/api/planner.js')]);
  zod.config({ jitless: true });
  quantitySchema = planner.quantityTextSchema;
}

/** A quantity such as 5.76e23, 7e9 or 7B, parsed by the planner API's quantity schema; sign and zero are judged by the planner, which names the field. */
export function quantity(name: string) {
  return (value: string): number => {
    if (!quantitySchema) throw new Error('the flag schemas are not loaded (loadFlagSchemas)');
    const parsed = quantitySchema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(flagMessage(name, parsed.error));
    return parsed.data;
  };
}

/** An output's folder must exist before a long run starts (the write itself is checked again, atomically). */
export function checkFolder(file: string, flag: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${flag}: the folder ${JSON.stringify(dir)} does not exist.`);
}

/** After a run is stored: export it (with its machine) and write the bundle; failure here is exit 1. */
export async function writeRunBundle(cli: CliContext, runId: number | null, file: string): Promise<void> {
  await asWork(async () => {
    if (runId === null) throw new ApiFailure('INVALID_REQUEST', '--bundle: the run was not stored, so there is no bundle to write.');
    const { writeBundleFile } = await import('../services/history/bundles.js');
    const written = await writeBundleFile(file, await cli.client.call('runs.export', { ids: [runId] }));
    cli.io.stderr(`Bundle of run ${runId} written to ${written}.\n`);
  });
}

export function checkBundleTarget(file: string): void {
  checkFolder(file, '--bundle');
}

/** A file argument the command will stream: it must be a readable file (usage error, exit 2, otherwise). */
export function checkReadable(file: string, what: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    if (!fs.statSync(file).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
}

export function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
}

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
