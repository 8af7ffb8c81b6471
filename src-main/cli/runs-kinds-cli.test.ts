/**
 * `flopscope runs kinds`, spawned as a user would run it: the run kinds the store knows, as a
 * table and as one JSON document (the same list as the API's runs.kinds).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_KINDS } from '../../src-shared/api/types.js';
import { PACKAGE_ROOT } from './package-root.js';
import { tempDir } from '../testing/fixtures.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, FLOPSCOPE_DB: path.join(tempDir(), 'unused.db') }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('flopscope runs kinds', () => {
  it('lists every run kind, as a table and with --json', () => {
    const db = path.join(tempDir(), 'k.db');
    const json = cli(['--db', db, 'runs', 'kinds', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const kinds = JSON.parse(json.stdout) as { kind: string; label: string; measured: boolean }[];
    expect(kinds.map((k) => k.kind)).toEqual([...RUN_KINDS]);
    expect(kinds).toContainEqual({ kind: 'profile', label: 'model run', measured: true });

    const text = cli(['--db', db, 'runs', 'kinds']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KIND\s+LABEL\s+MEASURED$/);
    expect(lines).toHaveLength(RUN_KINDS.length + 1);
    expect(lines).toContainEqual(expect.stringMatching(/^bench\s+benchmark\s+yes$/));
    expect(lines).toContainEqual(expect.stringMatching(/^plan\s+training plan\s+no$/));
  });
});
