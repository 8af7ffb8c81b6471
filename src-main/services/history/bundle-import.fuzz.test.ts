// Fuzz test for bundle imports: seeded random mutations of a real export (runs of every kind) —
// bit flips, truncations, stray punctuation, field deletions, type swaps, extreme numbers, deep
// nesting, huge strings, most of them re-signed so they get past the checksum — imported through
// the API as text, as an object and as an upload. Each must either import (a mutation can leave a
// valid bundle) or be refused with INVALID_REQUEST and issues naming a field, never INTERNAL or a
// crash, and a refused import must leave the database exactly as it was (same content hash).
// Reproduce a failure with FUZZ_SEED=<seed printed in the log> npx vitest run src-main/services/history/bundle-import.fuzz.test.ts
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, Envelope } from '../../../src-shared/api/types.js';
import { canonicalJson, type Bundle } from '../../../src-shared/history/bundle.js';
import { BUILTIN_FITS, EPOCH_LAW } from '../../../src-shared/planner/fits.js';
import { makePlan } from '../../../src-shared/planner/plan.js';
import { syntheticRunsCsv } from '../../../src-shared/planner/synthetic-runs.js';
import { benchResultWithEnergy, testRuns } from '../../../src-shared/reports/test-runs.js';
import { checkRunPayload } from '../../../src-shared/runs/schemas.js';
import { createBackend, type Backend } from '../../core/backend.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { linregFlops, predictLinreg } from '../planner/linreg-measure.js';
import { fitFromCsv } from '../planner/planner-service.js';
import { exportBundle, sha256Hex, signBundle } from './bundles.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 300);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A real export: runs of every kind as the app stores them, from its own producers. */
function realExport(): Bundle {
  const source = createBackend({ dbPath: path.join(tempDir(), 'source.db'), host: 'cli', detect: async () => sampleReport() });
  const runs = source.runs();
  const fixtures = testRuns();
  const machine = sampleReport('fuzz-machine-01', 'fuzzhost');
  const fit = fitFromCsv('fuzzed', syntheticRunsCsv(EPOCH_LAW, 12), 0);
  const roofline = { peakGflops: 200, bandwidthGBs: 25 };
  const predicted = predictLinreg(10_000, 16, roofline);
  const lesson = {
    n: 10_000,
    d: 16,
    threads: 2,
    seconds: predicted.seconds,
    bestSeconds: predicted.seconds,
    repeats: { recomputeStep: 5, precompute: 5, precomputeStep: 5 },
    flops: linregFlops(10_000, 16),
    gflops: predicted.gflops,
    measuredBreakEvenSteps: 3.5,
    predicted,
    verified: { maxAbsError: 1e-6, maxRelError: 1e-7, ok: true, checked: 400 },
  };
  const add = (kind: Parameters<typeof runs.insert>[0]['kind'], params: unknown, result: unknown, i: number) =>
    runs.insert({ kind, machine, appVersion: '0.1.0', params, result, createdAt: `2026-0${1 + (i % 9)}-0${1 + (i % 9)}T10:00:00.000Z`, tags: i === 1 ? ['fuzz', 'ünï'] : [], note: i === 2 ? 'a note\nwith two lines' : '' });
  add('hardware', {}, machine, 0);
  add('bench', { suite: 'all', quick: true }, benchResultWithEnergy(1, 'measured'), 1);
  add('profile', fixtures.profile.params, fixtures.profile.result, 2);
  add('plan', { fit: 'chinchilla-3', params: 7e9 }, makePlan({ fit: BUILTIN_FITS['chinchilla-3'], params: 7e9, inferenceTokens: 1e12 }), 3);
  add('fit', fit.params, fit.fitted, 4);
  add('lesson', { lesson: 'linreg', n: 10_000, d: 16 }, lesson, 5);
  add('attention', fixtures.attention.params, fixtures.attention.result, 6);
  const bundle = exportBundle(source.db(), undefined, { appVersion: '0.1.0', now: new Date('2026-10-01T00:00:00Z') });
  void source.close();
  return bundle;
}

type Json = unknown;

/** Every path to a value in `v` (objects and arrays), for picking one at random. */
function paths(v: Json, here: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(here);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...here, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...here, k], out);
  return out;
}

function setAt(root: Json, at: Array<string | number>, value: Json | typeof DELETE): void {
  let v = root as Record<string | number, Json>;
  for (const k of at.slice(0, -1)) v = v[k] as Record<string | number, Json>;
  const last = at[at.length - 1]!;
  if (value === DELETE) {
    if (Array.isArray(v)) v.splice(Number(last), 1);
    else delete v[last];
  } else {
    v[last] = value;
  }
}
const DELETE = Symbol('delete');

function deepValue(depth: number): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { d: v };
  return v;
}

/** One mutation: its name and the request(s) it makes (text, object, or both). */
function mutate(base: Bundle, baseText: string, r: () => number): { name: string; text?: string; object?: Json } {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const kind = Math.floor(r() * 10);
  const resign = r() < 0.8;
  const finish = (name: string, obj: Record<string, unknown>) => {
    const { checksum: _c, ...unsigned } = obj;
    const signed = resign ? signBundle(unsigned as never) : obj;
    return { name: `${name}${resign ? ' (re-signed)' : ''}`, text: JSON.stringify(signed), object: r() < 0.5 ? signed : undefined };
  };
  const clone = () => JSON.parse(baseText) as Record<string, unknown>;
  const somePath = (obj: Json) => pick(paths(obj).filter((p) => p.length > 0));
  switch (kind) {
    case 0: {
      const bytes = Buffer.from(baseText);
      const flips = 1 + Math.floor(r() * 4);
      for (let i = 0; i < flips; i++) bytes[Math.floor(r() * bytes.length)]! ^= 1 << Math.floor(r() * 8);
      return { name: `bit flips ×${flips}`, text: bytes.toString('utf8') };
    }
    case 1: {
      const at = Math.floor(r() * baseText.length);
      return { name: `truncated at ${at}`, text: baseText.slice(0, at) };
    }
    case 2: {
      const at = Math.floor(r() * baseText.length);
      return { name: `stray punctuation at ${at}`, text: baseText.slice(0, at) + pick(['{', '}', '[', ']', ',', ':', '"', '\\', 'nul', '-', '1e999']) + baseText.slice(at) };
    }
    case 3: {
      const obj = clone();
      const p = somePath(obj);
      setAt(obj, p, DELETE);
      return finish(`deleted ${p.join('.')}`, obj);
    }
    case 4: {
      const obj = clone();
      const p = somePath(obj);
      const swap = pick<Json>([null, true, 0, -1, '', 'text', [], {}, [1, 2], { x: 1 }, '2026-01-01', 'Tue, 01 Jan 1970 00:00:00 GMT']);
      setAt(obj, p, swap);
      return finish(`${p.join('.')} := ${JSON.stringify(swap)}`, obj);
    }
    case 5: {
      const obj = clone();
      const numbers = paths(obj).filter((p) => {
        let v: Json = obj;
        for (const k of p) v = (v as Record<string | number, Json>)[k];
        return typeof v === 'number';
      });
      const p = pick(numbers);
      const extreme = pick([1e308, -1e308, -1, 0, 5e-324, 2 ** 53 + 1, 1.5]);
      setAt(obj, p, extreme);
      return finish(`${p.join('.')} := ${extreme}`, obj);
    }
    case 6: {
      const obj = clone();
      const p = somePath(obj);
      const depth = pick([10, 60, 70, 1_000, 2_000]);
      setAt(obj, p, deepValue(depth));
      return finish(`${p.join('.')} nested ${depth} deep`, obj);
    }
    case 7: {
      const obj = clone();
      const p = somePath(obj);
      const size = pick([5_000, 70_000, 2 ** 20 + 1, 33 * 2 ** 20]);
      setAt(obj, p, 'x'.repeat(size));
      return finish(`${p.join('.')} := a string of ${size} characters`, obj);
    }
    case 8: {
      // Runs shuffled across machines, duplicated, or pointed at a machine the bundle lacks.
      const obj = clone() as unknown as Bundle;
      const choice = Math.floor(r() * 3);
      if (choice === 0) obj.runs = [...obj.runs, ...obj.runs];
      else if (choice === 1) obj.runs[Math.floor(r() * obj.runs.length)]!.machineId = 'nowhere';
      else obj.machines = [...obj.machines, ...obj.machines];
      return finish(['duplicated runs', 'a run on a missing machine', 'duplicated machines'][choice]!, obj as unknown as Record<string, unknown>);
    }
    default: {
      // A lone surrogate or a control character in a stored text field.
      const obj = clone() as unknown as Bundle;
      const run = obj.runs[Math.floor(r() * obj.runs.length)]!;
      const bad = pick(['\ud800', '\udfff', 'x\u0000y', 'a\u0007']);
      if (r() < 0.5) run.note = `note ${bad}`;
      else run.tags = [bad];
      return finish(`bad text ${JSON.stringify(bad)} in a run`, obj as unknown as Record<string, unknown>);
    }
  }
}

describe('bundle import fuzz', () => {
  let backend: Backend;
  let base: Bundle;
  let baseText: string;
  const hash = () => {
    const db = backend.db();
    const rows = [db.prepare('SELECT * FROM machines ORDER BY id').all(), db.prepare('SELECT * FROM runs ORDER BY id').all(), db.prepare('SELECT seq FROM sqlite_sequence').all()];
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  };

  beforeAll(() => {
    base = realExport();
    baseText = JSON.stringify(base, null, 2);
    backend = createBackend({ dbPath: path.join(tempDir(), 'target.db'), host: 'serve', detect: async () => sampleReport() });
    // Something already stored, so "unchanged" means something.
    backend.runs().insert({ kind: 'hardware', machine: sampleReport(), appVersion: '0.1.0', params: {}, result: sampleReport() });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('the real export itself imports, and its runs pass their schemas', async () => {
    for (const run of base.runs) expect(checkRunPayload(run.kind, run.params, run.result, ''), run.kind).toEqual([]);
    const before = hash();
    const env = (await backend.dispatch('runs.import', { bundle: baseText })) as Envelope<{ ids: number[] }>;
    expect(env.ok, JSON.stringify(env).slice(0, 400)).toBe(true);
    // Back to the starting point for the mutations.
    const db = backend.db();
    for (const id of env.ok ? env.value.ids : []) db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    db.prepare("DELETE FROM machines WHERE id = 'fuzz-machine-01'").run();
    expect(hash()).not.toBe(before); // sqlite_sequence moved on
  });

  it(`${ROUNDS} mutations end in an import or a field-named INVALID_REQUEST, and a refusal changes nothing (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const r = mulberry32(SEED);
    const started = Date.now();
    const tally: Record<string, number> = { imported: 0, refused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const m = mutate(base, baseText, r);
      const requests: Array<[string, () => Promise<Envelope<unknown>>]> = [];
      if (m.text !== undefined) requests.push(['text', () => backend.dispatch('runs.import', { bundle: m.text })]);
      if (m.object !== undefined) requests.push(['object', () => backend.dispatch('runs.import', { bundle: m.object })]);
      if (m.text !== undefined && r() < 0.25) {
        requests.push([
          'upload',
          async () => {
            const { uploadId } = await backend.uploads.receive('fuzz.json', Buffer.from(m.text!));
            return backend.dispatch('runs.import', { upload: uploadId });
          },
        ]);
      }
      for (const [door, call] of requests) {
        const label = `round ${round} (seed ${SEED}), ${door}: ${m.name}`;
        const before = hash();
        const env = await call();
        if (env.ok) {
          tally.imported!++;
          // It was a valid bundle after all: what it stored passes the schemas; then undo it.
          const { ids } = env.value as { ids: number[] };
          const db = backend.db();
          for (const id of ids) {
            const run = backend.runs().get(id)!;
            expect(checkRunPayload(run.kind, run.params, run.result, ''), label).toEqual([]);
            db.prepare('DELETE FROM runs WHERE id = ?').run(id);
          }
          db.prepare("DELETE FROM machines WHERE id NOT IN (SELECT machine_id FROM runs) AND id <> 'test-machine-0001'").run();
          db.prepare("UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM runs) WHERE name = 'runs'").run();
          continue;
        }
        tally.refused!++;
        const error: ApiError = env.error;
        expect(error.code, `${label}: ${error.message}`).toBe('INVALID_REQUEST');
        expect(error.issues?.length, label).toBeGreaterThan(0);
        for (const issue of error.issues!) expect(issue, label).toMatch(/^[^\s:]+: \S/);
        expect(hash(), `${label}: the database changed`).toBe(before);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`bundle fuzz, seed ${SEED}: ${ROUNDS} rounds in ${seconds.toFixed(1)} s, ${tally.imported} imports, ${tally.refused} refusals`);
    expect(tally.refused).toBeGreaterThan(ROUNDS / 2);
    expect(seconds).toBeLessThan(60);
  });

  it('refuses a signed bundle nested 100,000 deep (JSON.stringify cannot even write it) without INTERNAL', async () => {
    const marker = '"__DEEP__"';
    const deep = '{"d":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const obj = JSON.parse(baseText) as Bundle;
    (obj.runs[0] as { params: unknown }).params = '__DEEP__';
    const { checksum: _c, ...unsigned } = obj;
    const text = JSON.stringify({ ...unsigned, checksum: sha256Hex(canonicalJson(unsigned).replace(marker, deep)) }).replace(marker, deep);
    const before = hash();
    for (const bundle of [text, JSON.parse(text) as unknown]) {
      const env = (await backend.dispatch('runs.import', { bundle })) as Envelope<unknown>;
      expect(!env.ok && env.error).toMatchObject({ code: 'INVALID_REQUEST', issues: [expect.stringMatching(/^runs\.0\.params(\.d)+: nested deeper than 64 levels/)] });
    }
    expect(hash()).toBe(before);
  });
});
