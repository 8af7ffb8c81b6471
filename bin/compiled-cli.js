// How bin/flopscope.js starts the compiled CLI (out/cli/main.cjs): whether that build is current,
// and loading it through V8's code cache. Apart from the bin so that tests can call it; see the
// bin's header for the why.
// CommonJS, like everything in bin/ (bin/package.json): an ES-module entry starts Node's ES
// module loader, which loads fs/promises and the streams with it (~7–11 ms of every start, measured
// with an empty .mjs against an empty .cjs importing the same built-ins).
'use strict';
const fs = require('node:fs');
const module_ = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const vm = require('node:vm');

/** Whether out/cli under `root` (a file: URL ending in /) is current for the sources beside it (see bin/flopscope.js). */
function compiledIsCurrent(root, env = process.env) {
  if (env.FLOPSCOPE_DEV && env.FLOPSCOPE_DEV !== '0') return false;
  const stampUrl = new URL('out/cli/inputs.json', root);
  let stamp;
  try {
    stamp = { builtMs: fs.statSync(stampUrl).mtimeMs, ...JSON.parse(fs.readFileSync(stampUrl, 'utf8')) };
  } catch {
    return false;
  }
  if (!fs.existsSync(new URL('src-main', root))) return true;
  for (const file of filesToCheck(stamp.inputs)) {
    const st = fs.statSync(new URL(file, root), { throwIfNoEntry: false });
    if (!st || st.mtimeMs > stamp.builtMs) return false;
  }
  return true;
}

/**
 * The files whose dates decide whether the build is current: each source file the build read,
 * and for a bundled package's files its package.json only (npm writes a package's files afresh,
 * dated to the install, whenever it installs or upgrades it; ~50 stats instead of ~300). Not
 * node_modules/.package-lock.json: npm rewrites it after `prepare` has built the CLI, so a fresh
 * `npm ci` would leave a build that looked stale and every start would run the sources.
 */
function filesToCheck(inputs) {
  const files = new Set();
  for (const file of inputs) {
    const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
    files.add(pkg ? `${pkg[1]}/package.json` : file);
  }
  return [...files];
}

/**
 * Where the code cache of `file` for one command lives: beside it when that folder is writable,
 * else in the OS temp folder. One cache per command: a start restores only the code its own
 * command compiled (`--version` ~0.1 MB, `profile` ~1.3 MB), not every command's.
 */
function cachePath(file, st, command) {
  const name = `main.cjs.${st.size}-${Math.round(st.mtimeMs)}.${command || 'none'}.v8cache`;
  let dir = path.dirname(file);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    dir = path.join(os.tmpdir(), 'flopscope-code-cache');
  }
  return path.join(dir, name);
}

/** The first bare word (not an option, a path or a number): the command whose code a run compiles. */
function commandOf(argv) {
  return argv.find((a) => /^[a-z][a-z-]*$/.test(a)) ?? argv[0] ?? '';
}

/** Loads out/cli/main.cjs with its command's code cache; `save()` writes that cache when there was none (or V8 rejected it). */
function loadCompiled(root, argv) {
  const file = fileURLToPath(new URL('out/cli/main.cjs', root));
  const st = fs.statSync(file);
  const cacheFile = cachePath(file, st, commandOf(argv));
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // ASCII only (scripts/build-cli.js checks): latin1 reads it as is, without UTF-8 decoding.
  const source = fs.readFileSync(file, 'latin1');
  // The file is the module's wrapper function written out (scripts/build-cli.js), compiled as read:
  // wrapping it here would make a concatenated string that V8 copies whole before compiling.
  if (!source.startsWith('(function (exports, require, module, __filename, __dirname) {')) throw new Error(`${file} is not a build of this version: run \`npm run build:cli\``);
  const script = new vm.Script(source, {
    filename: file,
    cachedData,
  });
  // The bundle's import() of external packages (see scripts/build-cli.js, IMPORT_HELPER).
  globalThis.__flopscopeImport = (specifier) => import(specifier);
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, module_.createRequire(file), mod, file, path.dirname(file));
  const save = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // A cache that cannot be written only costs the next start its compile time.
    }
  };
  return { runCli: mod.exports.runCli, save };
}

module.exports = { compiledIsCurrent, filesToCheck, cachePath, commandOf, loadCompiled };
