#!/usr/bin/env node
// `npm run build:cli` (also run by `prepare`, so `npm install` / `npm ci` leave a built CLI):
// compiles the CLI ahead of time with esbuild into out/cli/, so `flopscope` starts without a
// TypeScript transpiler. esbuild is the one tsx (a dependency) already installs.
// - Entries: the CLI (main.js) and every worker thread, flat in one folder with the shared chunks:
//   the code finds a worker as `new URL('./x.worker.ts', import.meta.url)` and, the .ts being
//   absent, starts the sibling x.worker.js (src-main/infra/worker-host.ts); the Electron bundle
//   (electron.vite.config.ts) does the same.
// - Code splitting keeps what an action imports with `await import()` out of the start-up chunk.
// - Packages stay external (resolved from node_modules at run time, as under tsx), except the few
//   in BUNDLED below: native modules (better-sqlite3, onnxruntime-node, webgpu) must, and an
//   external package's upgrade needs no rebuild (a bundled package's files are listed as inputs).
// - out/cli/inputs.json lists the source files the build read; bin/flopscope.js runs the build
//   only while none of them is newer than it (see there).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'out', 'cli');

/**
 * The CLI and every worker thread (each `*.worker.ts` under src-main, found rather than listed so
 * a worker that moves or is added cannot be missed), named by file name: the code looks for a
 * worker beside the module that starts it.
 */
export function cliEntries() {
  const entries = { main: path.join(root, 'src-main/cli/main.ts') };
  for (const entry of fs.readdirSync(path.join(root, 'src-main'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.worker.ts')) continue;
    const name = entry.name.slice(0, -'.ts'.length);
    if (entries[name]) throw new Error(`two workers named ${entry.name}: the compiled CLI keeps every worker in one folder`);
    entries[name] = path.join(entry.parentPath ?? entry.path, entry.name);
  }
  return entries;
}

/**
 * Packages bundled into the CLI rather than resolved from node_modules at run time: pure ESM
 * whose entry module re-exports far more than the CLI uses, so esbuild's tree-shaking keeps only
 * what is imported. `d3`'s entry loads all ~30 d3 modules (geo, zoom, selection, …) where the
 * charts use scales, formats and shapes, and `zod`'s loads its JSON-schema converters: together
 * ~40 ms of module compilation on every `flopscope profile` (bench/cli-startup.ts).
 */
const BUNDLED = [/^d3(-|$)/, /^zod$/, /^internmap$/, /^delaunator$/, /^robust-predicates$/];

/** Every other package (native modules must stay external) is imported from node_modules at run time. */
function externalPackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies });
  return names.filter((n) => !BUNDLED.some((re) => re.test(n))).flatMap((n) => [n, `${n}/*`]);
}

export async function buildCli({ quiet = false } = {}) {
  const started = performance.now();
  // Whole seconds, rounded down: file systems store mtimes at different precisions.
  const startedAt = Math.floor(Date.now() / 1000) * 1000;
  const tmp = `${outdir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: cliEntries(),
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: externalPackages(),
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  // Bundled packages' files are inputs too: upgrading one makes the build stale.
  const inputs = Object.keys(result.metafile.inputs).sort();
  // Dated to when the build started: a source edited while it ran is newer, so the build is stale.
  const stamp = path.join(tmp, 'inputs.json');
  fs.writeFileSync(stamp, JSON.stringify({ builtAt: new Date(startedAt).toISOString(), inputs }, null, 1) + '\n');
  fs.utimesSync(stamp, startedAt / 1000, startedAt / 1000);
  // Swap the finished build in whole, so a running `flopscope` never sees half of one.
  const old = `${outdir}.old-${process.pid}`;
  if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
  fs.renameSync(tmp, outdir);
  fs.rmSync(old, { recursive: true, force: true });
  if (!quiet) process.stderr.write(`Built the CLI into ${path.relative(root, outdir)}/ (${inputs.length} source files) in ${Math.round(performance.now() - started)} ms.\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli({ quiet: process.argv.includes('--quiet') });
}
