/**
 * Bundles on the Node side: export runs (with their machines' reports) as a checksummed bundle,
 * import one in a single transaction (machines first, then runs keeping their uid, createdAt,
 * appVersion, tags and note; a run whose uid is already stored is skipped, so importing twice adds
 * nothing), and write a bundle file atomically (temp file + rename: no partial file on failure).
 * The checksum is SHA-256 (hex) of canonicalJson(bundle without `checksum`), see src-shared/history/bundle.ts.
 */
import { createHash } from 'node:crypto';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, checksumInput, parseBundle, type Bundle, type BundleImportResult, type BundleRun, type UnsignedBundle } from '../../../src-shared/history/bundle.js';
import { APP_VERSION } from '../../core/app-version.js';
import type { Db } from '../../store/database.js';
import { MachinesRepo } from '../../store/repos/machines-repo.js';
import { RunsRepo } from '../../store/repos/runs-repo.js';
import { writeFileAtomic } from '../profiler/write-atomic.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Adds the checksum to an unsigned bundle. */
export function signBundle(unsigned: UnsignedBundle): Bundle {
  return { ...unsigned, checksum: sha256Hex(checksumInput(unsigned)) };
}

/** Parses a bundle (file text or object) and verifies its checksum; ApiFailure('INVALID_REQUEST') otherwise. */
export function readBundle(input: unknown): Bundle {
  if (input === undefined || input === null || input === '') throw new ApiFailure('INVALID_REQUEST', 'bundle: give the bundle to import (the contents of a .json bundle file)', ['bundle: missing']);
  return parseBundle(input, { hash: sha256Hex });
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
 * Imports a bundle (text or object) in one transaction. Validation (JSON, format, version, shape,
 * kinds, checksum) happens before anything is written. A machine already stored keeps its own
 * report; a new one is stored with the bundle's report.
 */
export function importBundle(db: Db, input: unknown): BundleImportResult {
  const bundle = readBundle(input);
  const runs = new RunsRepo(db);
  const machines = new MachinesRepo(db);
  const apply = db.transaction((): BundleImportResult => {
    for (const report of bundle.machines) {
      if (machines.get(report.machine.id)) continue;
      const seen = bundle.runs.filter((r) => r.machineId === report.machine.id).map((r) => r.createdAt).sort();
      machines.upsert(report, seen[seen.length - 1] ?? bundle.createdAt);
    }
    const ids: number[] = [];
    let skipped = 0;
    for (const run of bundle.runs) {
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
