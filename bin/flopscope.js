#!/usr/bin/env node
// The `flopscope` command. Runs the CLI compiled ahead of time (out/cli/main.cjs, built by
// `npm run build:cli`, which `npm install` / `npm ci` run through `prepare`) when that build is
// current; otherwise the TypeScript sources through tsx's loader, so a fresh clone or a developer
// editing sources is never stuck on stale output.
//
// "Current" is decided from out/cli/inputs.json: the build writes there the source files it read
// and dates the file to the moment the build started; the build is current while every one of
// those files exists and none was modified after that moment (one stat per source file, and one
// package.json per bundled package: ~250 stats, ~1–2 ms). An edit to a file not yet imported is an edit to a file that imports it, so it is
// seen too. Where the sources are not shipped at all (an installed or packaged copy), the build is
// all there is and runs as is. FLOPSCOPE_DEV=1 always runs the sources.
//
// The compiled CLI is one CommonJS file, compiled here through `vm.Script` with V8's code cache:
// the first run of each command saves the bytecode V8 compiled for it (one cache per command)
// beside the build, or in the OS temp folder where the build is read-only, and later starts
// deserialise it instead of parsing and compiling ~1.6 MB of JavaScript. V8 refuses a cache made
// by another Node/V8 build or for other source text (`cachedDataRejected`); the cache is named
// after the build's size and time, so a rebuild never meets an old cache. Measured in
// bench/cli-startup.ts. The logic is in bin/compiled-cli.js.
//
// CommonJS (bin/package.json), not an ES module: see bin/compiled-cli.js.
'use strict';
const module_ = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { compiledIsCurrent, loadCompiled } = require('./compiled-cli.js');

// Node ≥ 22.1 can keep V8's compiled code of ES modules between runs; this covers the tsx path.
module_.enableCompileCache?.();

/**
 * `flopscope --version` (or `-V`) and nothing else: answered here, from the package.json the CLI's
 * own APP_VERSION reads (src-main/core/app-version.ts), without loading the CLI. Loading it means
 * reading and compiling (or restoring from the code cache) ~1.6 MB of JavaScript: ~50 ms above
 * Node's own start on the 2-vCPU development VM, for a command that needs one field of one file.
 * Anything else on the command line (`--db x --version`, `profile --version`) goes to commander.
 */
function versionOnly(argv) {
  if (argv.length !== 1 || (argv[0] !== '--version' && argv[0] !== '-V')) return null;
  try {
    const pkg = require('../package.json');
    return pkg.name === 'flopscope' && typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

async function main() {
  const version = versionOnly(process.argv.slice(2));
  if (version !== null) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const root = pathToFileURL(path.join(__dirname, '..') + path.sep);
  let runCli;
  let saveCache = () => {};
  if (compiledIsCurrent(root)) {
    ({ runCli, save: saveCache } = loadCompiled(root, process.argv.slice(2)));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ runCli } = await import('../src-main/cli/main.ts'));
  }
  const code = await runCli(process.argv.slice(2));
  saveCache();
  return code;
}

/**
 * Exits as soon as the output is out, rather than when the event loop drains: V8 schedules GC work
 * (a full mark-compact, ~5–15 ms) for the idle loop that a finished command has no use for.
 * `flopscope serve` never gets here while it serves (runCli resolves when the server closes).
 */
function exitWhenWritten(code) {
  let open = 0;
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableNeedDrain) {
      open++;
      stream.once('drain', () => --open === 0 && process.exit(code));
    }
  }
  if (open === 0) process.exit(code);
}

main().then(exitWhenWritten, (err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
