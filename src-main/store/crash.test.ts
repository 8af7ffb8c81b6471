/** kill -9 in the middle of writes leaves the database readable, with every committed run whole. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { openDatabase } from './database.js';
import { RunsRepo } from './repos/runs-repo.js';

describe('crash safety', () => {
  it('survives SIGKILL of a writer', async () => {
    const file = path.join(tempDir(), 'crash.db');
    const before = new RunsRepo(openDatabase(file));
    const earlier = before.insert({ kind: 'hardware', machine: sampleReport(), appVersion: 'before', params: {}, result: { keep: true } });

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '..', 'testing', 'write-loop.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      child.on('exit', (code) => reject(new Error(`writer exited with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 150));
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const db = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const runs = new RunsRepo(db);
    expect(runs.get(earlier)?.result).toEqual({ keep: true });
    const written = runs.list({ kind: 'bench', limit: 10_000 });
    expect(written.length).toBeGreaterThan(20);
    for (const r of written.slice(0, 50)) expect((runs.get(r.id)?.result as { samples: number[] }).samples).toHaveLength(2000);
    db.close();
  });
});
