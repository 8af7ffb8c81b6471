/**
 * Bundles on the Node side: export runs (with their machines' reports) as a checksummed bundle,
 * import one, and write a bundle file atomically (temp file + rename: no partial file on failure).
 * The checksum is SHA-256 (hex) of canonicalJson(bundle without `checksum`), see src-shared/history/bundle.ts.
 *
 * Import, in three steps, so a refused bundle writes nothing and a large one needs little memory:
 *  1. read: the text streams through BundleScanner/BundleReader (src-shared/history) one element
 *     at a time (a file or an upload is never read whole); every machine and run is checked
 *     against the schemas and limits, and what passes is spooled, each as its canonical JSON (and
 *     the fields as they will be stored), to a private temp folder (in memory for inline bundles,
 *     which are in memory anyway);
 *  2. checksum: SHA-256 over the canonical text, streamed from the spool;
 *  3. write: one IMMEDIATE transaction, machines first (a machine already stored keeps its own
 *     report), then runs keeping their uid, createdAt (as ISO UTC), appVersion, tags and note; a
 *     run whose uid is already stored is skipped, so importing twice adds nothing.
 * Peak memory is about one run's worth (BUNDLE_LIMITS.maxRunChars of text at most), whatever
 * the bundle's size; bench/import-memory.ts measures it on a 300 MB bundle.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import type { HardwareReport } from '../../../src-shared/api/types.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_LIMITS,
  BUNDLE_SCHEMA_VERSION,
  BundleReader,
  BundleTextReader,
  checksumInput,
  parseBundle,
  readBundleObject,
  type Bundle,
  type BundleHeader,
  type BundleImportResult,
  type BundleRun,
  type BundleSink,
  type ReaderOptions,
  type UnsignedBundle,
} from '../../../src-shared/history/bundle.js';
import { APP_VERSION } from '../../core/app-version.js';
import type { Db } from '../../store/database.js';
import { MachinesRepo } from '../../store/repos/machines-repo.js';
import { RunsRepo } from '../../store/repos/runs-repo.js';
import { writeFileAtomic } from '../../infra/write-atomic.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Adds the checksum to an unsigned bundle. */
export function signBundle(unsigned: UnsignedBundle): Bundle {
  return { ...unsigned, checksum: sha256Hex(checksumInput(unsigned)) };
}

/** Parses a whole bundle in memory (file text or object) and verifies its checksum; ApiFailure('INVALID_REQUEST') otherwise. */
export function readBundle(input: unknown, options: ReaderOptions = {}): Bundle {
  refuseMissing(input);
  return parseBundle(input, { hash: sha256Hex, ...options });
}

function refuseMissing(input: unknown): void {
  if (input === undefined || input === null || input === '') throw new ApiFailure('INVALID_REQUEST', 'bundle: give the bundle to import (the contents of a .json bundle file)', ['bundle: missing']);
}

/** A bundle of the given live runs (all live runs when `ids` is absent), oldest first. */
export function exportBundle(db: Db, ids?: readonly number[], options: { appVersion?: string; now?: Date } = {}): Bundle {
  const runs = new RunsRepo(db);
  const machinesRepo = new MachinesRepo(db);
  const read = db.transaction(() => {
    const wanted = ids ? [...new Set(ids)] : runs.ids();
    const found = wanted.map((id) => ({ id, run: runs.get(id) }));
    const missing = found.filter((f) => !f.run).map((f) => f.id);
    if (missing.length) {
      throw new ApiFailure('NOT_FOUND', `ids: no run with id ${missing.join(', ')}; nothing was exported. List runs with \`flopscope runs list\`.`, [`ids: no run with id ${missing.join(', ')}`]);
    }
    const list = found.map((f) => f.run!).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
    const machineIds = [...new Set(list.map((r) => r.machineId))];
    const machines = machineIds.map((id) => {
      const m = machinesRepo.get(id);
      if (!m) throw new ApiFailure('INTERNAL', `run history refers to machine ${id}, which is not stored`);
      return m.report;
    });
    const bundleRuns: BundleRun[] = list.map((r) => ({
      uid: r.uid,
      kind: r.kind,
      machineId: r.machineId,
      appVersion: r.appVersion,
      createdAt: r.createdAt,
      params: r.params,
      result: r.result,
      tags: r.tags,
      note: r.note,
    }));
    return { machines, runs: bundleRuns };
  });
  const { machines, runs: bundleRuns } = read();
  return signBundle({
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    createdAt: (options.now ?? new Date()).toISOString(),
    appVersion: options.appVersion ?? APP_VERSION,
    machines,
    runs: bundleRuns,
  });
}

/**
 * Imports a bundle given as text or as an object (an inline API request): read and checked in
 * memory, then written in one transaction. Nothing is written unless all of it passes.
 */
export function importBundle(db: Db, input: unknown, options: ReaderOptions = {}): BundleImportResult {
  refuseMissing(input);
  const spool = new MemorySpool();
  const reader = new BundleReader(spool, options);
  let header: BundleHeader;
  if (typeof input === 'string') {
    if (input.length > BUNDLE_LIMITS.maxBundleBytes) tooLarge(input.length);
    const text = new BundleTextReader(reader);
    text.write(input);
    header = text.end();
  } else {
    header = readBundleObject(input, reader);
  }
  verifyChecksum(header, spool);
  return writeImport(db, header, spool);
}

/**
 * Imports a bundle file (a path the CLI was given, or an upload), streaming it: the file is read
 * in pieces and checked element by element, and what passes is spooled to a private temp folder
 * before the one transaction that writes it.
 */
export async function importBundleFile(db: Db, file: string, options: ReaderOptions = {}): Promise<BundleImportResult> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch (e) {
    throw new ApiFailure('INVALID_REQUEST', `cannot read the bundle file "${file}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, ['file: cannot be read']);
  }
  if (size > BUNDLE_LIMITS.maxBundleBytes) tooLarge(size);
  const spool = FileSpool.create();
  try {
    const reader = new BundleReader(spool, options);
    const text = new BundleTextReader(reader);
    const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 18 });
    try {
      for await (const chunk of stream) text.write(chunk as string);
    } catch (e) {
      if (e instanceof ApiFailure) throw e;
      throw new ApiFailure('INVALID_REQUEST', `cannot read the bundle file "${file}": ${(e as Error).message}`, ['file: cannot be read']);
    } finally {
      stream.destroy();
    }
    const header = text.end();
    verifyChecksum(header, spool);
    return writeImport(db, header, spool);
  } finally {
    spool.dispose();
  }
}

function tooLarge(bytes: number): never {
  const max = `${BUNDLE_LIMITS.maxBundleBytes / 2 ** 30} GiB`;
  throw new ApiFailure('INVALID_REQUEST', `the bundle is over a limit: it is ${(bytes / 2 ** 20).toFixed(0)} MiB, and a bundle may be at most ${max}`, [`bundle: larger than ${max}`]);
}

/** What passed the reader, kept until the checksum is verified and the transaction writes it. */
interface Spool extends BundleSink {
  /** The canonical JSON of each machine and run, in bundle order (what the checksum covers). */
  canonicalMachines(): Iterable<Buffer | string>;
  canonicalRuns(): Iterable<Buffer | string>;
  storedMachines(): Iterable<HardwareReport>;
  storedRuns(): Iterable<BundleRun>;
  /** The newest createdAt of a machine's runs (a new machine's first/last seen). */
  readonly lastSeen: Map<string, string>;
}

abstract class SpoolBase {
  readonly lastSeen = new Map<string, string>();
  protected seen(run: BundleRun): void {
    const prev = this.lastSeen.get(run.machineId);
    if (!prev || run.createdAt > prev) this.lastSeen.set(run.machineId, run.createdAt);
  }
}

/** In memory: for bundles that were in memory to begin with. */
class MemorySpool extends SpoolBase implements Spool {
  private readonly machines: Array<{ report: HardwareReport; canonical: string }> = [];
  private readonly runs: Array<{ run: BundleRun; canonical: string }> = [];
  machine(_i: number, report: HardwareReport, canonical: string): void {
    this.machines.push({ report, canonical });
  }
  run(_i: number, run: BundleRun, canonical: string): void {
    this.seen(run);
    this.runs.push({ run, canonical });
  }
  canonicalMachines = () => this.machines.map((m) => m.canonical);
  canonicalRuns = () => this.runs.map((r) => r.canonical);
  storedMachines = () => this.machines.map((m) => m.report);
  storedRuns = () => this.runs.map((r) => r.run);
}

/**
 * On disk, in a private temp folder (0700), one line per element: a machine's canonical JSON; a
 * run's canonical JSON, a tab, and its stored fields other than params and result (those are read
 * back from the canonical JSON). JSON text has no raw tab or newline, so both split cleanly.
 */
class FileSpool extends SpoolBase implements Spool {
  private constructor(
    private readonly dir: string,
    private readonly machinesFile: string,
    private readonly runsFile: string,
    private machinesFd: number | null,
    private runsFd: number | null,
  ) {
    super();
  }

  static create(): FileSpool {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-import-'));
    const m = path.join(dir, 'machines.jsonl');
    const r = path.join(dir, 'runs.jsonl');
    return new FileSpool(dir, m, r, fs.openSync(m, 'w', 0o600), fs.openSync(r, 'w', 0o600));
  }

  machine(_i: number, report: HardwareReport, canonical: string): void {
    fs.writeSync(this.machinesFd!, canonical + '\n');
    void report;
  }

  run(_i: number, run: BundleRun, canonical: string): void {
    this.seen(run);
    const { params: _p, result: _r, ...meta } = run;
    fs.writeSync(this.runsFd!, `${canonical}\t${JSON.stringify(meta)}\n`);
  }

  private close(): void {
    if (this.machinesFd !== null) fs.closeSync(this.machinesFd);
    if (this.runsFd !== null) fs.closeSync(this.runsFd);
    this.machinesFd = this.runsFd = null;
  }

  *canonicalMachines(): Iterable<Buffer> {
    this.close();
    yield* readLines(this.machinesFile);
  }

  *canonicalRuns(): Iterable<Buffer> {
    this.close();
    for (const line of readLines(this.runsFile)) yield line.subarray(0, line.indexOf(9));
  }

  *storedMachines(): Iterable<HardwareReport> {
    this.close();
    for (const line of readLines(this.machinesFile)) yield JSON.parse(line.toString('utf8')) as HardwareReport;
  }

  *storedRuns(): Iterable<BundleRun> {
    this.close();
    for (const line of readLines(this.runsFile)) {
      const tab = line.indexOf(9);
      const value = JSON.parse(line.subarray(0, tab).toString('utf8')) as { params: unknown; result: unknown };
      const meta = JSON.parse(line.subarray(tab + 1).toString('utf8')) as Omit<BundleRun, 'params' | 'result'>;
      yield { ...meta, params: value.params, result: value.result };
    }
  }

  dispose(): void {
    this.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The lines of a file (without the newline), read synchronously in 1 MiB pieces: usable inside a transaction. */
function* readLines(file: string): Iterable<Buffer> {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let pending: Buffer[] = [];
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= n) break;
        const piece = buf.subarray(start, nl);
        yield pending.length ? Buffer.concat([...pending, piece]) : Buffer.from(piece);
        pending = [];
        start = nl + 1;
      }
      if (start < n) pending.push(Buffer.from(buf.subarray(start, n)));
    }
    if (pending.length) yield Buffer.concat(pending);
  } finally {
    fs.closeSync(fd);
  }
}

/** SHA-256 of the canonical text, streamed from the spool; refuses a bundle whose checksum differs. */
function verifyChecksum(header: BundleHeader, spool: Spool): void {
  const hash = createHash('sha256');
  const join = (parts: Iterable<Buffer | string>) => {
    let first = true;
    for (const part of parts) {
      if (!first) hash.update(',');
      hash.update(part);
      first = false;
    }
  };
  hash.update(header.frame.before);
  join(spool.canonicalMachines());
  hash.update(header.frame.between);
  join(spool.canonicalRuns());
  hash.update(header.frame.after);
  if (hash.digest('hex') !== header.checksum) {
    throw new ApiFailure('INVALID_REQUEST', "the bundle's checksum does not match its contents: it was changed or damaged", ["checksum: does not match the bundle's contents"]);
  }
}

/** The one transaction: machines first, then runs; a run whose uid is stored already is skipped. */
function writeImport(db: Db, header: BundleHeader, spool: Spool): BundleImportResult {
  const runs = new RunsRepo(db);
  const machines = new MachinesRepo(db);
  const apply = db.transaction((): BundleImportResult => {
    for (const report of spool.storedMachines()) {
      if (machines.get(report.machine.id)) continue;
      machines.upsert(report, spool.lastSeen.get(report.machine.id) ?? header.createdAt);
    }
    const ids: number[] = [];
    let skipped = 0;
    for (const run of spool.storedRuns()) {
      if (runs.hasUid(run.uid)) {
        skipped++;
        continue;
      }
      ids.push(runs.insertStored({ ...run }));
    }
    return { imported: ids.length, skipped, ids };
  });
  return apply.immediate();
}

/** Writes the bundle as pretty JSON, atomically; ApiFailure('INVALID_REQUEST') naming the path otherwise. */
export async function writeBundleFile(file: string, bundle: Bundle): Promise<string> {
  return writeFileAtomic(file, JSON.stringify(bundle, null, 2) + '\n', 'the bundle');
}
