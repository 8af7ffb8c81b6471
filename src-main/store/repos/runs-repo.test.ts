import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { openDatabase } from '../database.js';
import { MachinesRepo } from './machines-repo.js';
import { RunsRepo } from './runs-repo.js';

describe('RunsRepo', () => {
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
});
