import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { openDatabase } from '../database.js';
import { MachinesRepo } from './machines-repo.js';
import { RunsRepo } from './runs-repo.js';
import { testRuns } from '../../../src-shared/reports/test-runs.js';
import { subjectOf } from '../../../src-shared/runs/kinds/index.js';

describe('RunsRepo', () => {
  it('lists each run\'s subject, read in SQL from the paths its kind names, as a report reads it from the full run', () => {
    const db = openDatabase(path.join(tempDir(), 'subject.db'));
    const runs = new RunsRepo(db);
    const stored = Object.values(testRuns()).map((r) => runs.insert({ kind: r.kind, machine: sampleReport(), appVersion: '1', params: r.params, result: r.result }));
    stored.push(runs.insert({ kind: 'llm', machine: sampleReport(), appVersion: '1', params: {}, result: { model: { name: 'Qwen2.5 7B', quant: 'Q8_0' }, settings: { context: 8192 } } }));
    const listed = new Map(runs.list().map((r) => [r.id, r.subject]));
    for (const id of stored) {
      const run = runs.get(id)!;
      expect(listed.get(id), run.kind).toBe(subjectOf(run));
    }
    expect(listed.get(stored.at(-1)!)).toBe('Qwen2.5 7B, Q8_0, 8192 tokens');
    expect([...listed.values()].filter((s) => s).length).toBeGreaterThanOrEqual(stored.length - 1);
    db.close();
  });

  it('stores runs with their machine, lists newest first, filters and deletes', () => {
    const db = openDatabase(path.join(tempDir(), 'runs.db'));
    const runs = new RunsRepo(db);
    const a = runs.insert({ kind: 'hardware', machine: sampleReport('m-a', 'alpha'), appVersion: '1.0.0', params: { x: 1 }, result: { y: 2 }, createdAt: '2026-01-01T00:00:00.000Z' });
    const b = runs.insert({ kind: 'bench', machine: sampleReport('m-b', 'beta'), appVersion: '1.0.1', params: {}, result: [1, 2, 3], createdAt: '2026-02-01T00:00:00.000Z' });
    expect(runs.list().map((r) => r.id)).toEqual([b, a]);
    expect(runs.list({ kind: 'hardware' }).map((r) => r.id)).toEqual([a]);
    expect(runs.list({ machineId: 'm-b' })[0]).toMatchObject({ id: b, hostname: 'beta', appVersion: '1.0.1' });
    expect(runs.get(a)).toMatchObject({ kind: 'hardware', machineId: 'm-a', params: { x: 1 }, result: { y: 2 } });
    expect(new MachinesRepo(db).list().map((m) => m.id).sort()).toEqual(['m-a', 'm-b']);
    expect(runs.delete(a)).toBe(true);
    expect(runs.delete(a)).toBe(false);
    expect(runs.get(a)).toBeNull();
    db.close();
  });

  it('lists the time and energy of bench and profile runs, read from the stored result', () => {
    const db = openDatabase(path.join(tempDir(), 'fig.db'));
    const runs = new RunsRepo(db);
    const m = sampleReport();
    const energy = { joules: 812.5, estimated: true, source: 'estimated: catalog TDP × measured CPU utilisation', estimateBasis: 'estimated: basis', avgWatts: 8, series: [] };
    const bench = runs.insert({ kind: 'bench', machine: m, appVersion: '1', params: {}, result: { suite: 'gemm', elapsedSeconds: 12.5, warnings: [], energy } });
    const old = runs.insert({ kind: 'bench', machine: m, appVersion: '1', params: {}, result: { suite: 'gemm', elapsedSeconds: 3, warnings: [] } });
    const measured = { ...energy, estimated: false, source: 'powercap (RAPL)', estimateBasis: undefined };
    const profile = runs.insert({ kind: 'profile', machine: m, appVersion: '1', params: {}, result: { measured: { latencyMs: { median: 4.25 } }, energy: measured, energyEfficiency: { joulesPerInference: 0.034 } } });
    const hw = runs.insert({ kind: 'hardware', machine: m, appVersion: '1', params: {}, result: { elapsedSeconds: 1 } });
    const byId = new Map(runs.list().map((r) => [r.id, r]));
    expect(byId.get(bench)!.figures).toEqual({ elapsedSeconds: 12.5, latencyMedianMs: null, energy: { joules: 812.5, estimated: true, source: energy.source, estimateBasis: 'estimated: basis' }, joulesPerInference: null });
    expect(byId.get(old)!.figures).toEqual({ elapsedSeconds: 3, latencyMedianMs: null, energy: null, joulesPerInference: null });
    expect(byId.get(profile)!.figures).toEqual({ elapsedSeconds: null, latencyMedianMs: 4.25, energy: { joules: 812.5, estimated: false, source: 'powercap (RAPL)', estimateBasis: null }, joulesPerInference: 0.034 });
    expect(byId.get(hw)!).not.toHaveProperty('figures');
    db.close();
  });

  it('gives each run a uid (kept when given), tags and a note', () => {
    const db = openDatabase(path.join(tempDir(), 'uids.db'));
    const runs = new RunsRepo(db);
    const a = runs.insert({ kind: 'bench', machine: sampleReport(), appVersion: '1', params: {}, result: {} });
    const b = runs.insert({ kind: 'bench', machine: sampleReport(), appVersion: '1', params: {}, result: {}, uid: 'fixed-uid', tags: [' x ', 'X', 'y'], note: 'hello' });
    expect(runs.get(a)).toMatchObject({ tags: [], note: '' });
    expect(runs.get(a)!.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(runs.get(b)).toMatchObject({ uid: 'fixed-uid', tags: ['x', 'y'], note: 'hello' });
    expect(() => runs.insert({ kind: 'bench', machine: sampleReport(), appVersion: '1', params: {}, result: {}, uid: 'fixed-uid' })).toThrow(/UNIQUE/);
    expect(runs.setTags(a, ['baseline', 'h100'])).toBe(true);
    expect(runs.setNote(a, 'first try')).toBe(true);
    expect(runs.list().find((r) => r.id === a)).toMatchObject({ tags: ['baseline', 'h100'], note: 'first try', uid: runs.get(a)!.uid });
    expect(runs.setTags(999, ['x'])).toBe(false);
    expect(runs.setNote(999, 'x')).toBe(false);
    db.close();
  });

  it('soft-deletes, restores and purges after the undo window', () => {
    const file = path.join(tempDir(), 'soft.db');
    const db = openDatabase(file);
    const runs = new RunsRepo(db);
    const a = runs.insert({ kind: 'bench', machine: sampleReport(), appVersion: '1', params: {}, result: {} });
    const b = runs.insert({ kind: 'bench', machine: sampleReport(), appVersion: '1', params: {}, result: {} });
    expect(runs.restore(a)).toBe(false);
    expect(runs.softDelete(a)).toBe(true);
    expect(runs.softDelete(a)).toBe(false);
    expect(runs.get(a)).toBeNull();
    expect(runs.list().map((r) => r.id)).toEqual([b]);
    expect(runs.ids()).toEqual([b]);
    expect(runs.setNote(a, 'x')).toBe(false);
    expect(runs.restore(a)).toBe(true);
    expect(runs.get(a)).not.toBeNull();
    const t0 = Date.parse('2026-03-01T00:00:00.000Z');
    expect(runs.softDelete(a, new Date(t0))).toBe(true);
    expect(runs.purgeDeleted(10 * 60_000, t0 + 9 * 60_000)).toBe(0);
    expect(runs.restore(a)).toBe(true);
    expect(runs.softDelete(a, new Date(t0))).toBe(true);
    expect(runs.purgeDeleted(10 * 60_000, t0 + 11 * 60_000)).toBe(1);
    expect(runs.restore(a)).toBe(false);
    expect(runs.hasUid(runs.get(b)!.uid)).toBe(true);
    db.close();
    // A second connection (another process) sees the same state.
    const again = openDatabase(file);
    expect(new RunsRepo(again).list().map((r) => r.id)).toEqual([b]);
    again.close();
  });

  it('filters by date range, search text and tag', () => {
    const db = openDatabase(path.join(tempDir(), 'filters.db'));
    const runs = new RunsRepo(db);
    const jan = runs.insert({ kind: 'bench', machine: sampleReport('m-a', 'alpha'), appVersion: '1', params: { suite: 'gemm' }, result: {}, createdAt: '2026-01-15T10:00:00.000Z', tags: ['Baseline'] });
    const feb = runs.insert({ kind: 'profile', machine: sampleReport('m-b', 'BetaBox'), appVersion: '1', params: { file: '/models/ResNet50.onnx' }, result: {}, createdAt: '2026-02-01T23:30:00.000Z', note: 'after the driver update' });
    const mar = runs.insert({ kind: 'plan', machine: sampleReport('m-a', 'alpha'), appVersion: '1', params: {}, result: {}, createdAt: '2026-03-10T00:00:00.000Z', tags: ['chinchilla', 'baseline-2'] });
    const ids = (f: Parameters<RunsRepo['list']>[0]) => runs.list(f).map((r) => r.id);
    expect(ids({ since: '2026-02-01' })).toEqual([mar, feb]);
    expect(ids({ until: '2026-02-01' })).toEqual([feb, jan]);
    expect(ids({ until: '2026-02-01T12:00:00Z' })).toEqual([jan]);
    expect(ids({ since: '2026-01-16', until: '2026-03-01' })).toEqual([feb]);
    expect(ids({ search: 'resnet' })).toEqual([feb]);
    expect(ids({ search: 'BETABOX' })).toEqual([feb]);
    expect(ids({ search: 'DRIVER' })).toEqual([feb]);
    expect(ids({ search: 'chinch' })).toEqual([mar]);
    expect(ids({ search: 'bench' })).toEqual([jan]);
    expect(ids({ search: 'nothing-like-this' })).toEqual([]);
    expect(ids({ tag: 'baseline' })).toEqual([jan]);
    expect(ids({ tag: 'baseline', kind: 'plan' })).toEqual([]);
    expect(ids({ search: 'baseline' })).toEqual([mar, jan]);
    expect(ids({ search: "it's 50% _done_" })).toEqual([]);
    db.close();
  });
});
