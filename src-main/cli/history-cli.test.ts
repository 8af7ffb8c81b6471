/**
 * `flopscope runs export` / `runs import`, spawned as a user would run them, against real SQLite
 * files: a round trip between two databases, a second import adding nothing, and exit 2 with a
 * clear message for bad bundles and unwritable paths.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FLOPSCOPE_DB: path.join(tempDir(), 'unused.db') }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flopscope runs export / import', () => {
  it('round-trips runs between two databases; a second import adds nothing; bad input exits 2', () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    const saved = cli(['--db', a, 'detect', '--save', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const runId = JSON.parse(saved.stdout).runId as number;

    const out = path.join(dir, 'history.json');
    const exported = cli(['--db', a, 'runs', 'export', String(runId), '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file: out, runs: 1, machines: 1 });
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).format).toBe('flopscope-bundle');
    const all = cli(['--db', a, 'runs', 'export', '--out', path.join(dir, 'all.json')]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^Wrote 1 run \(1 machine\) to /);

    const imported = cli(['--db', b, 'runs', 'import', out, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const result = JSON.parse(imported.stdout) as { imported: number; skipped: number; ids: number[] };
    expect(result).toMatchObject({ imported: 1, skipped: 0 });
    const original = JSON.parse(cli(['--db', a, 'runs', 'show', String(runId), '--json']).stdout);
    const copy = JSON.parse(cli(['--db', b, 'runs', 'show', String(result.ids[0]), '--json']).stdout);
    expect({ ...copy, id: 0 }).toEqual({ ...original, id: 0 });
    const again = cli(['--db', b, 'runs', 'import', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('Imported 0 runs (1 already present, skipped).\n');

    const damaged = path.join(dir, 'damaged.json');
    const text = fs.readFileSync(out, 'utf8');
    fs.writeFileSync(damaged, text.slice(0, 100));
    const bad = cli(['--db', b, 'runs', 'import', damaged, '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('INVALID_REQUEST');
    expect(bad.stderr).toContain('the bundle is not valid JSON (truncated at character 100?)');
    fs.writeFileSync(damaged, text.replace(/"totalBytes": (\d)/, (_m, d: string) => `"totalBytes": ${(Number(d) + 1) % 10}`));
    const tampered = cli(['--db', b, 'runs', 'import', damaged]);
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain("the bundle's checksum does not match its contents");
    expect(cli(['--db', b, 'runs', 'import', path.join(dir, 'nope.json')]).code).toBe(2);

    const unwritable = path.join(dir, 'missing-folder', 'x.json');
    const failed = cli(['--db', a, 'runs', 'export', '--out', unwritable]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(`cannot write the bundle to "${unwritable}": its folder does not exist`);
    expect(fs.existsSync(path.dirname(unwritable))).toBe(false);
    expect(cli(['--db', a, 'runs', 'export', '999', '--out', path.join(dir, 'x.json')]).code).toBe(1);
    expect(cli(['--db', a, 'runs', 'export', 'abc', '--out', path.join(dir, 'x.json')]).code).toBe(2);
    expect(cli(['--db', a, 'runs', 'export']).code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'x.json'))).toBe(false);
  }, 180_000);
});
