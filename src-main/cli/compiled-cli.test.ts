/**
 * The compiled CLI as an installed copy runs it: bin/flopscope.js + out/cli/ (built by `prepare`)
 * in a folder without the sources, so the build is used as is. The first run of a command writes
 * V8's code cache beside the build; later runs load through it, and a command that imports an
 * external package at run time (ONNX Runtime, for `profile --run`) still works from the cache.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from './main.js';
import { tempDir } from '../testing/fixtures.js';

function installedCopy(): string {
  const out = path.join(PACKAGE_ROOT, 'out', 'cli', 'main.cjs');
  expect(fs.existsSync(out), 'out/cli/main.cjs is missing: `npm install` builds it (prepare), or run `npm run build:cli`').toBe(true);
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(PACKAGE_ROOT, 'bin', 'flopscope.js'), path.join(root, 'bin', 'flopscope.js'));
  fs.copyFileSync(path.join(PACKAGE_ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.cpSync(path.join(PACKAGE_ROOT, 'out', 'cli'), path.join(root, 'out', 'cli'), { recursive: true, filter: (f) => !f.includes('.v8cache') });
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

describe('compiled CLI with its code cache', () => {
  it('writes the cache on a command’s first run and gives the same results from it, dynamic imports included', () => {
    const root = installedCopy();
    const db = path.join(root, 'runs.db');
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'flopscope.js'), '--db', db, ...args], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const caches = () => fs.readdirSync(path.join(root, 'out', 'cli')).filter((f) => f.endsWith('.v8cache'));
    expect(caches()).toEqual([]);
    const model = path.join(root, 'mlp.onnx');
    run('zoo', 'export', 'mlp', '--out', model);
    expect(caches()).toHaveLength(1);
    const [cache] = caches();
    const commandsFile = path.join(root, 'out', 'cli', `${cache}.json`);
    expect(JSON.parse(fs.readFileSync(commandsFile, 'utf8'))).toEqual(['zoo']);

    const first = JSON.parse(run('profile', model, '--dim', 'batch=1', '--run', '--json'));
    expect(JSON.parse(fs.readFileSync(commandsFile, 'utf8'))).toEqual(['zoo', 'profile']);
    const second = JSON.parse(run('profile', model, '--dim', 'batch=1', '--run', '--json'));
    expect(second.totals).toEqual(first.totals);
    expect(second.measured.latencyMs.median).toBeGreaterThan(0);
    expect(second.nodes.map((n: { name: string }) => n.name)).toEqual(first.nodes.map((n: { name: string }) => n.name));
  });
});
