/**
 * The compiled CLI as an installed copy runs it: bin/flopscope.js + out/cli/ (built by `prepare`)
 * in a folder without the sources, so the build is used as is. The first run of a command writes
 * V8's code cache beside the build; later runs load through it, and a command that imports an
 * external package at run time (ONNX Runtime, for `profile --run`) still works from the cache.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, runCli, type CliIo } from './main.js';
import { tempDir } from '../testing/fixtures.js';

// bin/ is plain CommonJS (bin/package.json), without type declarations: loaded the way the bin loads it.
const { compiledIsCurrent, filesToCheck } = createRequire(import.meta.url)('../../bin/compiled-cli.js') as {
  compiledIsCurrent: (root: URL, env?: Record<string, string | undefined>) => boolean;
  filesToCheck: (inputs: string[]) => string[];
};

function installedCopy(): string {
  const out = path.join(PACKAGE_ROOT, 'out', 'cli', 'main.cjs');
  expect(fs.existsSync(out), 'out/cli/main.cjs is missing: `npm install` builds it (prepare), or run `npm run build:cli`').toBe(true);
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'bin'));
  for (const f of ['flopscope.js', 'compiled-cli.js', 'package.json']) fs.copyFileSync(path.join(PACKAGE_ROOT, 'bin', f), path.join(root, 'bin', f));
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
    expect(caches()).toEqual([expect.stringMatching(/\.zoo\.v8cache$/)]);

    const first = JSON.parse(run('profile', model, '--dim', 'batch=1', '--run', '--json'));
    // One cache per command: profile's start restores only what profile compiled.
    const profileCache = caches().find((f) => f.endsWith('.profile.v8cache'));
    expect(caches()).toHaveLength(2);
    const written = fs.statSync(path.join(root, 'out', 'cli', profileCache!)).mtimeMs;
    const second = JSON.parse(run('profile', model, '--dim', 'batch=1', '--run', '--json'));
    expect(second.totals).toEqual(first.totals);
    expect(second.measured.latencyMs.median).toBeGreaterThan(0);
    expect(second.nodes.map((n: { name: string }) => n.name)).toEqual(first.nodes.map((n: { name: string }) => n.name));
    // The second run loaded profile's cache (V8 accepted it), so it did not write it again.
    expect(fs.statSync(path.join(root, 'out', 'cli', profileCache!)).mtimeMs).toBe(written);
  });
});

describe('flopscope --version', () => {
  it('prints the version the CLI itself prints, without loading the compiled CLI', async () => {
    const root = installedCopy();
    const caches = () => fs.readdirSync(path.join(root, 'out', 'cli')).filter((f) => f.endsWith('.v8cache'));
    const bin = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'flopscope.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
    // What commander prints for --version, from the CLI in-process (APP_VERSION).
    let fromCli = '';
    const io: CliIo = { stdout: (s) => void (fromCli += s), stderr: () => {} };
    const code = await runCli(['--version'], io);
    expect(code).toBe(0);
    expect(fromCli).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    for (const flag of ['--version', '-V']) {
      const r = bin(flag);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(fromCli);
      expect(r.stderr).toBe('');
    }
    // The bin answered alone: loading out/cli/main.cjs would have written the code cache of its command.
    expect(caches()).toEqual([]);
    // With anything else on the line, commander answers (and the compiled CLI loads).
    const withDb = bin('--db', path.join(root, 'runs.db'), '--version');
    expect(withDb.status, withDb.stderr).toBe(0);
    expect(withDb.stdout).toBe(fromCli);
    expect(caches()).toHaveLength(1);
  });
});

describe('whether the build is current (bin/compiled-cli.js)', () => {
  /** A checkout in miniature: one source file and one bundled package, built at `builtAt`. */
  function checkout(): { root: string; url: URL; touch: (file: string, at: number) => void; builtAt: number } {
    const root = tempDir();
    const builtAt = Math.floor(Date.now() / 1000) - 100;
    const touch = (file: string, at: number) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      if (!fs.existsSync(path.join(root, file))) fs.writeFileSync(path.join(root, file), '{}');
      fs.utimesSync(path.join(root, file), at, at);
    };
    touch('src-main/cli/main.ts', builtAt - 50);
    touch('node_modules/commander/package.json', builtAt - 60);
    touch('node_modules/commander/lib/command.js', builtAt - 60);
    touch('node_modules/@protobufjs/utf8/index.js', builtAt - 60);
    touch('node_modules/@protobufjs/utf8/package.json', builtAt - 60);
    fs.mkdirSync(path.join(root, 'out', 'cli'), { recursive: true });
    const inputs = ['node_modules/@protobufjs/utf8/index.js', 'node_modules/commander/lib/command.js', 'src-main/cli/main.ts'];
    fs.writeFileSync(path.join(root, 'out', 'cli', 'inputs.json'), JSON.stringify({ inputs }));
    fs.utimesSync(path.join(root, 'out', 'cli', 'inputs.json'), builtAt, builtAt);
    return { root, url: pathToFileURL(root + path.sep), touch, builtAt };
  }

  it('stays current when npm rewrites node_modules/.package-lock.json after `prepare` built it (a fresh `npm ci`)', () => {
    const c = checkout();
    expect(compiledIsCurrent(c.url, {})).toBe(true);
    c.touch('node_modules/.package-lock.json', c.builtAt + 1);
    expect(compiledIsCurrent(c.url, {})).toBe(true);
    expect(compiledIsCurrent(c.url, { FLOPSCOPE_DEV: '1' })).toBe(false);
  });

  it('is stale once a source file or a bundled package (scoped or not) changes after the build', () => {
    for (const file of ['src-main/cli/main.ts', 'node_modules/commander/package.json', 'node_modules/@protobufjs/utf8/package.json']) {
      const c = checkout();
      c.touch(file, c.builtAt + 5);
      expect(compiledIsCurrent(c.url, {}), file).toBe(false);
    }
    const gone = checkout();
    fs.rmSync(path.join(gone.root, 'src-main', 'cli', 'main.ts'));
    expect(compiledIsCurrent(gone.url, {})).toBe(false);
  });

  it('checks one package.json per bundled package, not each of its files', () => {
    expect(filesToCheck(['node_modules/a/x.js', 'node_modules/a/y/z.js', 'node_modules/@s/b/i.js', 'node_modules/a/node_modules/c/m.js', 'src-shared/q.ts'])).toEqual([
      'node_modules/a/package.json',
      'node_modules/@s/b/package.json',
      'node_modules/a/node_modules/c/package.json',
      'src-shared/q.ts',
    ]);
  });
});
