/**
 * The real `flopscope` command, spawned as a user would run it (bin/flopscope.js through tsx),
 * against real SQLite files: exit codes, --json purity, and clear errors for bad input.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FLOPSCOPE_DB: path.join(tempDir(), 'cli.db'), ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flopscope CLI', () => {
  it('detect --json prints exactly one JSON document describing this machine', () => {
    const r = cli(['detect', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.cpu.logicalCores).toBe(os.cpus().length);
    expect(report.memory.totalBytes).toBe(os.totalmem());
    expect(report.machine.hostname).toBe(os.hostname());
    expect(report.machine.id).toMatch(/^[0-9a-f]{16}$/);
    expect(Array.isArray(report.peaks) && Array.isArray(report.warnings)).toBe(true);
    expect(report).not.toHaveProperty('runId');
  });

  it('stores, lists, shows and deletes runs in the file given by --db', () => {
    const db = path.join(tempDir(), 'history.db');
    const saved = cli(['--db', db, 'detect', '--save', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const runId = JSON.parse(saved.stdout).runId as number;
    expect(runId).toBeGreaterThan(0);
    const list = JSON.parse(cli(['--db', db, 'runs', 'list', '--json']).stdout) as { id: number; kind: string }[];
    expect(list).toEqual([expect.objectContaining({ id: runId, kind: 'hardware' })]);
    const text = cli(['--db', db, 'runs', 'list']);
    expect(text.stdout).toMatch(/^ID\s+KIND/);
    expect(JSON.parse(cli(['--db', db, 'runs', 'show', String(runId), '--json']).stdout).result.cpu).toBeDefined();
    expect(cli(['--db', db, 'runs', 'delete', String(runId)]).code).toBe(0);
    const gone = cli(['--db', db, 'runs', 'show', String(runId), '--json']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout).error.code).toBe('NOT_FOUND');
    expect(gone.stderr).toContain(`No run with id ${runId}`);
  });

  it('exits 2 with a clear message on an unknown command, flag or bad argument', () => {
    const unknown = cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const flag = cli(['detect', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--bogus'/);
    const id = cli(['runs', 'show', 'abc']);
    expect(id.code).toBe(2);
    expect(id.stderr).toMatch(/run id must be a positive integer, got "abc"/);
    const kind = cli(['runs', 'list', '--kind', 'sandwich']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/sandwich/);
  });

  it('has --help on every command', () => {
    for (const args of [['--help'], ['detect', '--help'], ['serve', '--help'], ['runs', '--help'], ['runs', 'list', '--help'], ['runs', 'show', '--help'], ['runs', 'delete', '--help']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: flopscope/);
    }
  });

  it('reports a corrupt database clearly, exits 1 and leaves the file as it was', () => {
    const file = path.join(tempDir(), 'corrupt.db');
    const garbage = Buffer.from('definitely not a database\n'.repeat(300));
    fs.writeFileSync(file, garbage);
    const r = cli(['--db', file, 'runs', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The file ${file} is not a readable FLOPscope database`);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports an unwritable database path clearly and exits 1', () => {
    const blocker = path.join(tempDir(), 'plain-file');
    fs.writeFileSync(blocker, 'x');
    const r = cli(['--db', path.join(blocker, 'f.db'), 'runs', 'list', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('DB_UNWRITABLE');
    expect(r.stderr).toContain('plain-file');
  });

  it('serve prints a tokened URL on 127.0.0.1, answers with the token, and stops on Ctrl-C', async () => {
    const ui = tempDir();
    fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>ui</title>');
    const child = spawn(process.execPath, [BIN, 'serve', '--json'], {
      env: { ...process.env, FLOPSCOPE_DB: path.join(tempDir(), 'serve.db'), FLOPSCOPE_UI_DIR: ui },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const info = await new Promise<{ url: string; token: string; port: number }>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        try {
          resolve(JSON.parse(out));
        } catch {
          // not the whole document yet
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    expect(info.url).toBe(`http://127.0.0.1:${info.port}/#token=${info.token}`);
    const api = `http://127.0.0.1:${info.port}/api/app.info`;
    expect((await fetch(api, { method: 'POST', body: '{}' })).status).toBe(401);
    const ok = await fetch(api, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${info.token}` } });
    expect(await ok.json()).toMatchObject({ ok: true, value: { host: 'serve' } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
