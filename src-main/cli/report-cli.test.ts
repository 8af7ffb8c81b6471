/**
 * `flopscope report`, spawned as a user runs it, against a real SQLite file: a Markdown report of
 * a stored run, a CSV comparison of two, the format taken from the extension, and bad input — a
 * run that does not exist (exit 1) and an unwritable path or an unknown extension (exit 2), with
 * no file left behind; a comparison of more than 20 runs (the API's old limit) still works.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { createBackend, createInProcessClient } from '../core/backend.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(db: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flopscope report', () => {
  it('writes reports of stored runs and refuses what it cannot do', () => {
    const dir = tempDir();
    const db = path.join(dir, 'r.db');
    const plan = (compute: string) => JSON.parse(cli(db, ['plan', '--compute', compute, '--json']).stdout).runId as number;
    const a = plan('1e21');
    const b = plan('1e23');
    const md = path.join(dir, 'plan.md');
    const one = cli(db, ['report', String(a), '--out', md]);
    expect(one.code, one.stderr).toBe(0);
    expect(fs.readFileSync(md, 'utf8')).toMatch(/\|.*\|/);
    const csv = path.join(dir, 'both.csv');
    expect(cli(db, ['report', String(a), String(b), '--out', csv]).code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/^run_id,kind,section,key,value,unit/);

    const missing = cli(db, ['report', '9999', '--out', path.join(dir, 'x.md')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No run with id 9999/);
    const unwritable = path.join(dir, 'no-such-folder', 'x.html');
    const bad = cli(db, ['report', String(a), '--out', unwritable]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/its folder does not exist/);
    expect(fs.existsSync(unwritable)).toBe(false);
    const ext = cli(db, ['report', String(a), '--out', path.join(dir, 'x.docx')]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toMatch(/--format is needed/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('x.'))).toEqual([]);
  });

  it('compares more than 20 runs in one report (reports.render takes up to MAX_REPORT_RUNS)', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'many.db');
    const backend = createBackend({ dbPath: db, host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) ids.push((await client.call('plan.save', { fit: 'chinchilla-3', budget: { kind: 'flops', flops: 1e20 * (i + 1) } })).runId);
    await backend.close();
    const csv = path.join(dir, 'many.csv');
    const r = cli(db, ['report', ...ids.map(String), '--out', csv, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { runs: number[] }).runs).toHaveLength(25);
    // Every run has rows of its own (rows without a run id are the comparison's).
    const runIds = fs.readFileSync(csv, 'utf8').split('\n').slice(1).map((row) => row.split(',')[0]).filter(Boolean);
    expect(new Set(runIds)).toEqual(new Set(ids.map(String)));
  }, 120_000);
});
