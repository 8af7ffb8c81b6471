#!/usr/bin/env node
// The `flopscope` command. Runs the CLI compiled ahead of time (out/cli/main.cjs, built by
// `npm run build:cli`, which `npm install` / `npm ci` run through `prepare`) when that build is
// current; otherwise the TypeScript sources through tsx's loader, so a fresh clone or a developer
// editing sources is never stuck on stale output.
//
// "Current" is decided from out/cli/inputs.json: the build writes there the source files it read
// and dates the file to the moment the build started; the build is current while every one of
// those files exists and none was modified after that moment (one stat per file, ~200 files,
// ~1–2 ms). An edit to a file not yet imported is an edit to a file that imports it, so it is
// seen too. Where the sources are not shipped at all (an installed or packaged copy), the build is
// all there is and runs as is. FLOPSCOPE_DEV=1 always runs the sources.
//
// The compiled CLI is one CommonJS file, compiled here through `vm.Script` with V8's code cache:
// the first run of each command saves the bytecode V8 compiled for it (with what earlier runs
// saved) beside the build, or in the OS temp folder where the build is read-only, and later starts
// deserialise it instead of parsing and compiling ~2.5 MB of JavaScript. V8 refuses a cache made
// by another Node/V8 build or for other source text (`cachedDataRejected`); the cache is named
// after the build's size and time, so a rebuild never meets an old cache. Measured in
// bench/cli-startup.ts.
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

// Node ≥ 22.1 can keep V8's compiled code of ES modules between runs; this covers the tsx path.
module.enableCompileCache?.();

const root = new URL('..', import.meta.url);

function compiledIsCurrent() {
  if (process.env.FLOPSCOPE_DEV && process.env.FLOPSCOPE_DEV !== '0') return false;
  const stampUrl = new URL('out/cli/inputs.json', root);
  let stamp;
  try {
    stamp = { builtMs: fs.statSync(stampUrl).mtimeMs, ...JSON.parse(fs.readFileSync(stampUrl, 'utf8')) };
  } catch {
    return false;
  }
  if (!fs.existsSync(new URL('src-main', root))) return true;
  // A bundled package's files change only through npm, which rewrites node_modules/.package-lock.json
  // on every install: one stat stands for the ~200 files of bundled packages.
  const files = stamp.inputs.filter((f) => !f.startsWith('node_modules/'));
  if (files.length < stamp.inputs.length) files.push('node_modules/.package-lock.json');
  for (const file of files) {
    const st = fs.statSync(new URL(file, root), { throwIfNoEntry: false });
    if (!st || st.mtimeMs > stamp.builtMs) return false;
  }
  return true;
}

/** Where the code cache of `file` lives: beside it when that folder is writable, else in the OS temp folder. */
function cachePaths(file, st) {
  const name = `main.cjs.${st.size}-${Math.round(st.mtimeMs)}.v8cache`;
  let dir = path.dirname(file);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    dir = path.join(os.tmpdir(), 'flopscope-code-cache');
  }
  return { data: path.join(dir, name), commands: path.join(dir, `${name}.json`) };
}

/** The first bare word (not an option, a path or a number): the command whose code a run compiles. */
function commandOf(argv) {
  return argv.find((a) => /^[a-z][a-z-]*$/.test(a)) ?? argv[0] ?? '';
}

/** Loads out/cli/main.cjs with its code cache; `save()` writes the cache when this run compiled a command it lacked. */
function loadCompiled(argv) {
  const file = fileURLToPath(new URL('out/cli/main.cjs', root));
  const st = fs.statSync(file);
  const paths = cachePaths(file, st);
  let cachedData;
  let commands = [];
  try {
    cachedData = fs.readFileSync(paths.data);
    commands = JSON.parse(fs.readFileSync(paths.commands, 'utf8'));
  } catch {
    cachedData = undefined;
  }
  const source = fs.readFileSync(file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  // The bundle's import() of external packages (see scripts/build-cli.js, IMPORT_HELPER).
  globalThis.__flopscopeImport = (specifier) => import(specifier);
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, module.createRequire(file), mod, file, path.dirname(file));
  const command = commandOf(argv);
  const save = () => {
    if (cachedData && !script.cachedDataRejected && commands.includes(command)) return;
    try {
      fs.mkdirSync(path.dirname(paths.data), { recursive: true });
      const known = script.cachedDataRejected ? [command] : [...new Set([...commands, command])];
      for (const [target, bytes] of [[paths.data, script.createCachedData()], [paths.commands, JSON.stringify(known)]]) {
        const tmp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, bytes);
        fs.renameSync(tmp, target);
      }
    } catch {
      // A cache that cannot be written only costs the next start its compile time.
    }
  };
  return { runCli: mod.exports.runCli, save };
}

let runCli;
let saveCache = () => {};
if (compiledIsCurrent()) {
  ({ runCli, save: saveCache } = loadCompiled(process.argv.slice(2)));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));
saveCache();
