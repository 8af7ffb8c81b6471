import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { canonicalJson, type Bundle } from '../../../src-shared/history/bundle.js';
import { BUILTIN_FITS } from '../../../src-shared/planner/fits.js';
import { makePlan } from '../../../src-shared/planner/plan.js';
import { benchResult } from '../../../src-shared/reports/test-runs.js';
import { createBackend, createInProcessClient } from '../../core/backend.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { openDatabase, type Db } from '../../store/database.js';
import { RunsRepo } from '../../store/repos/runs-repo.js';
import { exportBundle, importBundle, readBundle, sha256Hex, signBundle, writeBundleFile } from './bundles.js';

function seeded(): { db: Db; runs: RunsRepo; ids: number[] } {
  const db = openDatabase(path.join(tempDir(), 'source.db'));
  const runs = new RunsRepo(db);
  const ids = [
    runs.insert({ kind: 'hardware', machine: sampleReport('m-a', 'alpha'), appVersion: '0.0.9', params: {}, result: sampleReport('m-a', 'alpha'), createdAt: '2026-01-01T00:00:00.000Z' }),
    runs.insert({ kind: 'bench', machine: sampleReport('m-b', 'beta'), appVersion: '0.1.0', params: { suite: 'all', quick: true }, result: { ...benchResult(1), elapsedSeconds: 2250.125, extra: { z: 1, a: null } }, createdAt: '2026-02-01T00:00:00.000Z', tags: ['baseline'], note: 'ünïcode note' }),
    runs.insert({ kind: 'plan', machine: sampleReport('m-a', 'alpha'), appVersion: '0.1.0', params: { fit: 'chinchilla-3', params: 7e9 }, result: makePlan({ fit: BUILTIN_FITS['chinchilla-3'], params: 7e9 }), createdAt: '2026-03-01T00:00:00.000Z' }),
  ];
  return { db, runs, ids };
}

const comparable = (runs: RunsRepo) =>
  runs
    .list()
    .map((s) => runs.get(s.id)!)
    .map(({ id: _id, ...rest }) => rest)
    .sort((a, b) => a.uid.localeCompare(b.uid));

const count = (db: Db) => (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;

function failure(f: () => unknown): ApiFailure {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    return e as ApiFailure;
  }
  throw new Error('expected a failure');
}

describe('bundles', () => {
  it('export → file → import on a fresh database gives identical runs; importing twice adds nothing', async () => {
    const src = seeded();
    const bundle = exportBundle(src.db, undefined, { appVersion: '9.9.9' });
    expect(bundle).toMatchObject({ format: 'flopscope-bundle', schemaVersion: 1, appVersion: '9.9.9' });
    expect(bundle.runs.map((r) => r.kind)).toEqual(['hardware', 'bench', 'plan']);
    expect(bundle.machines.map((m) => m.machine.id).sort()).toEqual(['m-a', 'm-b']);
    expect(bundle.checksum).toBe(sha256Hex(canonicalJson({ ...bundle, checksum: undefined })));
    const file = path.join(tempDir(), 'history.json');
    expect(await writeBundleFile(file, bundle)).toBe(path.resolve(file));

    const dst = openDatabase(path.join(tempDir(), 'dest.db'));
    const first = importBundle(dst, fs.readFileSync(file, 'utf8'));
    expect(first).toMatchObject({ imported: 3, skipped: 0 });
    const dstRuns = new RunsRepo(dst);
    expect(comparable(dstRuns)).toEqual(comparable(src.runs));
    expect(dstRuns.get(first.ids[1]!)).toMatchObject({ tags: ['baseline'], note: 'ünïcode note', createdAt: '2026-02-01T00:00:00.000Z', appVersion: '0.1.0' });
    expect(importBundle(dst, JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual({ imported: 0, skipped: 3, ids: [] });
    expect(count(dst)).toBe(3);
    // Importing back into the source adds nothing either.
    expect(importBundle(src.db, bundle)).toMatchObject({ imported: 0, skipped: 3 });
    src.db.close();
    dst.close();
  });

  it('exports selected ids with only their machines, and names ids that do not exist', () => {
    const src = seeded();
    const b = exportBundle(src.db, [src.ids[1]!]);
    expect(b.runs).toHaveLength(1);
    expect(b.machines.map((m) => m.machine.id)).toEqual(['m-b']);
    src.runs.softDelete(src.ids[0]!);
    const f = failure(() => exportBundle(src.db, [src.ids[0]!, 999]));
    expect(f.code).toBe('NOT_FOUND');
    expect(f.message).toContain(`no run with id ${src.ids[0]}, 999`);
    expect(exportBundle(src.db).runs).toHaveLength(2);
    src.db.close();
  });

  it('refuses truncated, tampered, newer, foreign and unknown-kind bundles and writes nothing', () => {
    const src = seeded();
    const text = JSON.stringify(exportBundle(src.db), null, 2);
    src.db.close();
    const dst = openDatabase(path.join(tempDir(), 'dest.db'));
    const tampered = text.replace('2250.125', '2251.125');
    expect(tampered).not.toBe(text);
    const parsed = JSON.parse(text) as Bundle;
    const newer = signBundle({ ...parsed, schemaVersion: 7 as 1 });
    const foreign = { ...parsed, format: 'other-app' };
    const badKind = JSON.parse(text) as { runs: { kind: string }[] };
    badKind.runs[1]!.kind = 'quantum';
    const cases: Array<[unknown, RegExp | string]> = [
      [text.slice(0, Math.floor(text.length / 2)), `the bundle is not valid JSON (truncated at character ${Math.floor(text.length / 2)}?)`],
      [tampered, "the bundle's checksum does not match its contents: it was changed or damaged"],
      [newer, 'the bundle is schema version 7; this FLOPscope reads up to 1 — update FLOPscope'],
      [foreign, 'this is not a FLOPscope bundle (format "other-app")'],
      [badKind, /run 2 has an unknown kind "quantum"/],
      ['', /give the bundle to import/],
    ];
    for (const [input, message] of cases) {
      const f = failure(() => importBundle(dst, input));
      expect(f.code).toBe('INVALID_REQUEST');
      if (typeof message === 'string') expect(f.message).toBe(message);
      else expect(f.message).toMatch(message);
    }
    expect(count(dst)).toBe(0);
    expect((dst.prepare('SELECT count(*) AS n FROM machines').get() as { n: number }).n).toBe(0);
    expect(readBundle(text).runs).toHaveLength(3);
    dst.close();
  });

  it('rolls the whole import back when one run cannot be stored', () => {
    const src = seeded();
    const bundle = exportBundle(src.db);
    src.db.close();
    const dst = openDatabase(path.join(tempDir(), 'dest.db'));
    // Make the last insert fail inside the transaction: a trigger refuses the plan run.
    dst.exec("CREATE TRIGGER no_plans BEFORE INSERT ON runs WHEN NEW.kind = 'plan' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
    expect(() => importBundle(dst, bundle)).toThrow(/refused/);
    expect(count(dst)).toBe(0);
    expect((dst.prepare('SELECT count(*) AS n FROM machines').get() as { n: number }).n).toBe(0);
    dst.close();
  });

  it('fails to write to an unwritable path with a message naming it, leaving no file', async () => {
    const src = seeded();
    const bundle = exportBundle(src.db);
    src.db.close();
    const dir = tempDir();
    const missing = path.join(dir, 'no-such-folder', 'out.json');
    await expect(writeBundleFile(missing, bundle)).rejects.toThrow(`cannot write the bundle to "${missing}": its folder does not exist`);
    await expect(writeBundleFile(dir, bundle)).rejects.toThrow(/cannot write the bundle to ".*": /);
    if (process.getuid?.() !== 0) {
      const ro = path.join(dir, 'ro');
      fs.mkdirSync(ro, { mode: 0o555 });
      await expect(writeBundleFile(path.join(ro, 'out.json'), bundle)).rejects.toThrow(/permission denied/);
      expect(fs.readdirSync(ro)).toEqual([]);
    }
    expect(fs.readdirSync(dir).filter((f) => f !== 'ro')).toEqual([]);
  });
});

describe('history API (in-process door)', () => {
  it('soft delete + restore, update tags/notes, list filters, export/import', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'api.db'), host: 'cli', detect: async () => sampleReport('m-api', 'apihost') });
    const c = createInProcessClient(backend);
    const { runId } = await c.call('hardware.detect', { save: true });
    const id = runId!;
    const updated = await c.call('runs.update', { id, tags: ['gpu', ' nightly '], note: 'kept for the talk' });
    expect(updated).toMatchObject({ id, tags: ['gpu', 'nightly'], note: 'kept for the talk' });
    expect((await c.call('runs.update', { id, note: '' })).tags).toEqual(['gpu', 'nightly']);
    expect((await c.call('runs.list', { tag: 'GPU' })).map((r) => r.id)).toEqual([id]);
    expect(await c.call('runs.list', { search: 'apihost', since: '2000-01-01', until: '2999-01-01' })).toHaveLength(1);
    expect(await c.call('runs.list', { since: '2999-01-01' })).toEqual([]);

    const bad = async (method: 'runs.update' | 'runs.list' | 'runs.export', req: unknown) => {
      const env = await backend.dispatch(method, req);
      expect(env.ok).toBe(false);
      return !env.ok ? env.error : null!;
    };
    expect((await bad('runs.update', { id, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).issues).toEqual(['tags: at most 20 tags']);
    expect((await bad('runs.update', { id, tags: ['x'.repeat(41)] })).issues).toEqual(['tags.0: a tag is at most 40 characters']);
    expect((await bad('runs.update', { id, tags: ['  '] })).issues).toEqual(['tags.0: a tag cannot be empty']);
    expect((await bad('runs.update', { id, note: 'n'.repeat(4001) })).issues).toEqual(['note: a note is at most 4000 characters']);
    expect((await bad('runs.update', { id })).issues).toEqual(['tags: give tags or note to change']);
    expect((await bad('runs.list', { since: 'yesterday' })).issues?.[0]).toMatch(/^since: expected an ISO date/);
    expect((await bad('runs.export', { ids: [] })).code).toBe('INVALID_REQUEST');

    const bundle = await c.call('runs.export', {});
    expect(bundle.runs).toHaveLength(1);
    expect(await c.call('runs.delete', { id })).toEqual({ deleted: true, id, undoable: true });
    expect(await c.call('runs.list', {})).toEqual([]);
    await expect(c.call('runs.get', { id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(c.call('runs.update', { id, note: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A deleted run's uid is still known, so importing its bundle does not duplicate it.
    expect(await c.call('runs.import', { bundle })).toEqual({ imported: 0, skipped: 1, ids: [] });
    expect(await c.call('runs.restore', { id })).toEqual({ restored: true, id });
    await expect(c.call('runs.restore', { id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await c.call('runs.get', { id })).note).toBe('');
    await expect(c.call('runs.import', { bundle: '{"format":"flopscope-bundle","schemaVersion":7}' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: 'the bundle is schema version 7; this FLOPscope reads up to 1 — update FLOPscope' });
    await backend.close();
  });

  it('purges soft-deleted runs older than the undo window on the next delete', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'purge.db'), host: 'cli', detect: async () => sampleReport() });
    const c = createInProcessClient(backend);
    const a = (await c.call('hardware.detect', { save: true })).runId!;
    const b = (await c.call('hardware.detect', { save: true })).runId!;
    backend.runs().softDelete(a, new Date(Date.now() - 11 * 60_000));
    await c.call('runs.delete', { id: b });
    expect((backend.db().prepare('SELECT id FROM runs').all() as { id: number }[]).map((r) => r.id)).toEqual([b]);
    await expect(c.call('runs.restore', { id: a })).rejects.toThrow(/no deleted run with id/);
    await backend.close();
  });
});
