/**
 * The issue's hostile-but-correctly-signed bundles, imported through the API (in-process door,
 * real SQLite file): each is refused with INVALID_REQUEST and issues that name the field, the
 * database is left as it was, and the methods that used to break on such data (fits.list,
 * reports.render) keep working. Dates are stored as ISO-8601 UTC; notes and tags that SQLite
 * could not keep unchanged (a lone surrogate) are refused, on import and on runs.update.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError, Envelope } from '../../../src-shared/api/types.js';
import { canonicalJson, type Bundle, type BundleRun } from '../../../src-shared/history/bundle.js';
import { fitFromCsv } from '../planner/planner-service.js';
import { EPOCH_LAW } from '../../../src-shared/planner/fits.js';
import { syntheticRunsCsv } from '../../../src-shared/planner/synthetic-runs.js';
import { createBackend, createInProcessClient, type Backend } from '../../core/backend.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { sha256Hex, signBundle } from './bundles.js';

let backend: Backend | null = null;
afterEach(async () => {
  await backend?.close();
  backend = null;
});

function open() {
  backend = createBackend({ dbPath: path.join(tempDir(), 'hostile.db'), host: 'serve', detect: async () => sampleReport() });
  return { b: backend, c: createInProcessClient(backend) };
}

const fitted = fitFromCsv('mine', syntheticRunsCsv(EPOCH_LAW, 20), 0);

function run(overrides: Partial<BundleRun> = {}): BundleRun {
  return {
    uid: '11111111-1111-4111-8111-111111111111',
    kind: 'fit',
    machineId: 'test-machine-0001',
    appVersion: '0.1.0',
    createdAt: '2026-05-01T10:00:00.000Z',
    params: fitted.params,
    result: fitted.fitted,
    tags: [],
    note: '',
    ...overrides,
  };
}

function bundle(runs: BundleRun[], machines: unknown[] = [sampleReport()]): Bundle {
  return signBundle({ format: 'flopscope-bundle', schemaVersion: 1, createdAt: '2026-05-02T00:00:00.000Z', appVersion: '0.1.0', machines: machines as Bundle['machines'], runs });
}

/** Imports through dispatch (as a page's request would arrive) and returns the refusal. */
async function refused(b: Backend, request: unknown): Promise<ApiError> {
  const env = (await b.dispatch('runs.import', request)) as Envelope<unknown>;
  expect(env.ok, JSON.stringify(env).slice(0, 500)).toBe(false);
  return (env as { ok: false; error: ApiError }).error;
}

const counts = (b: Backend) => b.db().prepare('SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM machines) AS machines').get();

/**
 * A correctly signed bundle whose run's params are {"a":{"a":…1}} nested `depth` deep, as text.
 * JSON.stringify and canonicalJson recurse, so the deep value is spliced into both texts.
 */
function signedDeep(depth: number): string {
  const marker = '__DEEP__';
  const deepText = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const shallow = { format: 'flopscope-bundle', schemaVersion: 1, createdAt: '2026-05-02T00:00:00.000Z', appVersion: '0.1.0', machines: [sampleReport()], runs: [run({ kind: 'hardware', params: marker, result: sampleReport() })] };
  const checksum = sha256Hex(canonicalJson(shallow).replace(JSON.stringify(marker), deepText));
  return JSON.stringify({ ...shallow, checksum }).replace(JSON.stringify(marker), deepText);
}

describe('hostile but correctly signed bundles', () => {
  it('refuses a fit whose result is {"name":"x"}, naming the fields, and fits.list keeps working', async () => {
    const { b, c } = open();
    const error = await refused(b, { bundle: bundle([run({ result: { name: 'x' } })]) });
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.issues).toEqual(expect.arrayContaining(['runs.0.result.law: missing (expected an object)', 'runs.0.result.nRuns: missing (expected a number)']));
    expect(counts(b)).toEqual({ runs: 0, machines: 0 });
    expect((await c.call('fits.list', {})).filter((f) => !f.builtin)).toEqual([]);
    // The real thing imports and lists.
    expect(await c.call('runs.import', { bundle: bundle([run()]) })).toMatchObject({ imported: 1 });
    expect((await c.call('fits.list', {})).filter((f) => !f.builtin).map((f) => f.label)).toEqual(['mine']);
    // One already in a database from before imports were checked is left out of the list, not a 500.
    b.runs().insert({ kind: 'fit', machine: sampleReport(), appVersion: '0.0.1', params: { name: 'x' }, result: { name: 'x' } });
    expect((await c.call('fits.list', {})).filter((f) => !f.builtin).map((f) => f.label)).toEqual(['mine']);
  });

  it('refuses a machine record with only {id, hostname}, and reports keep rendering', async () => {
    const { b, c } = open();
    const error = await refused(b, { bundle: bundle([run()], [{ machine: { id: 'test-machine-0001', hostname: 'h' } }]) });
    expect(error.issues).toEqual(expect.arrayContaining(['machines.0.machine.os: missing (expected an object)', 'machines.0.cpu: missing (expected an object)', 'machines.0.peaks: missing (expected a list)']));
    expect(counts(b)).toEqual({ runs: 0, machines: 0 });
    const { ids } = await c.call('runs.import', { bundle: bundle([run()]) });
    expect((await c.call('reports.render', { ids, format: 'md' })).content).toContain('mine');
  });

  it('stores dates as ISO-8601 UTC and refuses dates that are not (RFC 2822, 1970, the future)', async () => {
    const { b, c } = open();
    for (const [createdAt, issue] of [
      ['Tue, 01 Jan 1970 00:00:00 GMT', /^runs\.0\.createdAt: expected an ISO-8601 date-time with a time zone/],
      ['1970-01-01T00:00:00Z', /^runs\.0\.createdAt: 1970-01-01T00:00:00\.000Z is before 2000-01-01/],
      ['2999-01-01T00:00:00Z', /^runs\.0\.createdAt: 2999-01-01T00:00:00\.000Z is in the future/],
      ['2026-02-30T00:00:00Z', /is not a date that exists/],
      ['2026-01-31', /expected an ISO-8601 date-time with a time zone/],
    ] as const) {
      const error = await refused(b, { bundle: bundle([run({ createdAt })]) });
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.issues?.[0], createdAt).toMatch(issue);
    }
    expect(counts(b)).toEqual({ runs: 0, machines: 0 });
    const { ids } = await c.call('runs.import', { bundle: bundle([run({ createdAt: '2026-01-31T12:00:00+05:30' })]) });
    expect((await c.call('runs.get', { id: ids[0]! })).createdAt).toBe('2026-01-31T06:30:00.000Z');
  });

  it('refuses params nested 2,000 and 100,000 deep (as text and as an object) with a field-named limit error, not INTERNAL', async () => {
    const { b } = open();
    for (const depth of [2_000, 100_000]) {
      const text = signedDeep(depth);
      for (const request of [{ bundle: text }, { bundle: JSON.parse(text) as unknown }]) {
        const error = await refused(b, request);
        expect(error.code, String(depth)).toBe('INVALID_REQUEST');
        expect(error.issues?.[0]).toMatch(/^runs\.0\.params(\.a)+…?: nested deeper than 64 levels/);
      }
    }
    expect(counts(b)).toEqual({ runs: 0, machines: 0 });
  });

  it('refuses a run over the size limit, naming it', async () => {
    const { b } = open();
    const big = bundle([run({ kind: 'hardware', params: { blob: 'x'.repeat(33 * 2 ** 20) }, result: sampleReport() })]);
    const error = await refused(b, { bundle: JSON.stringify(big) });
    expect(error.issues).toEqual(["runs.0: larger than 32 MiB of JSON text, the most one run may take"]);
    expect(error.message).toMatch(/the most one run may take/);
    expect(counts(b)).toEqual({ runs: 0, machines: 0 });
  });

  it('refuses a lone surrogate in a note or a tag (import and runs.update) instead of storing U+FFFD', async () => {
    const { b, c } = open();
    const error = await refused(b, { bundle: bundle([run({ note: 'before \ud800 after' })]) });
    expect(error.issues).toEqual(['runs.0.note: contains a lone UTF-16 surrogate (U+D800) at character 7: not valid Unicode text']);
    const tagError = await refused(b, { bundle: bundle([run({ tags: ['ok', 'x\udfff'] })]) });
    expect(tagError.issues).toEqual(['runs.0.tags.1: contains a lone UTF-16 surrogate (U+DFFF) at character 1: not valid Unicode text']);
    const { ids } = await c.call('runs.import', { bundle: bundle([run({ note: 'emoji 🙂 and ünïcode', tags: ['🙂'] })]) });
    const id = ids[0]!;
    expect(await c.call('runs.get', { id })).toMatchObject({ note: 'emoji 🙂 and ünïcode', tags: ['🙂'] });
    const update = (await b.dispatch('runs.update', { id, note: 'x\ud800' })) as Envelope<unknown>;
    expect(update.ok).toBe(false);
    expect(!update.ok && update.error).toMatchObject({ code: 'INVALID_REQUEST', issues: ['note: contains a lone UTF-16 surrogate (U+D800) at character 1: not valid Unicode text'] });
    expect((await c.call('runs.get', { id })).note).toBe('emoji 🙂 and ünïcode');
  });

  it('imports an uploaded bundle file (runs.import { upload }) by streaming it', async () => {
    const { b, c } = open();
    const file = path.join(tempDir(), 'b.json');
    fs.writeFileSync(file, JSON.stringify(bundle([run()]), null, 2));
    const { uploadId } = await b.uploads.receive('b.json', fs.readFileSync(file));
    expect(await c.call('runs.import', { upload: uploadId })).toMatchObject({ imported: 1, skipped: 0 });
    const bad = (await b.dispatch('runs.import', { upload: 'no-such-upload' })) as Envelope<unknown>;
    expect(!bad.ok && bad.error.code).toBe('NOT_FOUND');
  });
});
