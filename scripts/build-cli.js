#!/usr/bin/env node
// `npm run build:cli` (also run by `prepare`, so `npm install` / `npm ci` leave a built CLI):
// compiles the CLI ahead of time with esbuild into out/cli/, so `flopscope` starts without a
// TypeScript transpiler. esbuild is the one tsx (a dependency) already installs.
// - The CLI is one CommonJS file, out/cli/main.cjs. Node 20 keeps no compiled code between runs
//   for ES modules, but a CommonJS script can be compiled through `vm.Script` with V8's code
//   cache (bin/flopscope.js does): a start then deserialises machine-ready bytecode instead of
//   parsing and compiling ~2 MB of JavaScript and resolving ~200 module files. `import.meta.url`
//   becomes the file's own URL, so paths resolved from it mean the same as in the sources.
// - Every worker thread is an ES module entry beside it, flat in one folder with the shared
//   chunks: the code finds a worker as `new URL('./x.worker.ts', import.meta.url)` and, the .ts
//   being absent, starts the sibling x.worker.js (src-main/infra/worker-host.ts); the Electron
//   bundle (electron.vite.config.ts) does the same.
// - Packages stay external (resolved from node_modules at run time, as under tsx), except the few
//   in BUNDLED below: native modules (better-sqlite3, onnxruntime-node, webgpu) must, and an
//   external package's upgrade needs no rebuild (a bundled package's files are listed as inputs).
// - out/cli/inputs.json lists the source files the build read; bin/flopscope.js runs the build
//   only while none of them is newer than it (see there).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { workerEntries } from './worker-entries.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'out', 'cli');

/**
 * Packages bundled into the CLI rather than resolved from node_modules at run time: pure
 * JavaScript, so their code joins the CLI's code cache and costs no module resolution. `d3`'s and
 * `zod`'s entries re-export far more than the CLI uses, and esbuild's tree-shaking keeps only
 * what is imported; commander and protobufjs are on every command's path. Native modules
 * (better-sqlite3, onnxruntime-node, webgpu) and packages that find files beside themselves at run
 * time (@sparticuz/chromium, systeminformation's platform scripts, tsx, playwright) stay external.
 */
const BUNDLED = [/^d3(-|$)/, /^zod$/, /^internmap$/, /^delaunator$/, /^robust-predicates$/, /^commander$/, /^protobufjs(\/|$)/, /^@protobufjs\//, /^papaparse$/, /^eventsource-parser$/, /^cli-progress$/];

/** Every other package (native modules must stay external) is imported from node_modules at run time. */
function externalPackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies });
  return names.filter((n) => !BUNDLED.some((re) => re.test(n))).flatMap((n) => [n, `${n}/*`]);
}

/**
 * zod's `z` object re-exports every one of its ~50 error-message locales (`z.locales`, ~330 KB of
 * the ~1.9 MB bundle, every start reading and caching them). The CLI speaks English, zod's default,
 * and nothing in the sources reads `z.locales` (an import of a locale by path still works): the
 * bundle's locale index offers English only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir) ? { path: 'zod-locales-en', namespace: 'zod-english-only' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(root, 'node_modules/zod/v4/locales/en.js'))};`,
      resolveDir: root,
    }));
  },
};

/**
 * Node's heavier built-in modules, loaded on first use rather than when the bundle's module that
 * imports them initialises. `child_process` (commander imports it for external subcommands, which
 * the CLI has none of) brings `net`, `dgram` and the streams with it; `crypto` 15 modules of its
 * own: ~10 ms of a start that never calls them (measured: `node -e "require('child_process');
 * require('crypto'); …"` against `node -e 0`). Each is replaced by an object with the module's own
 * export names as getters that require the module at the first read. esbuild reads a named import
 * as a property at the point of use, and its interop copies properties as getters, so nothing is
 * read early; a module whose exports are read at initialisation (`class X extends Transform` at
 * top level) simply loads it then.
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'stream', 'stream/promises', 'http', 'zlib', 'readline'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|').replace('/', '\\/')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const names = Object.keys(await import(`node:${args.path}`)).filter((k) => k !== 'default');
      const getters = names.map((k) => `${JSON.stringify(k)}: { enumerable: true, get: () => load()[${JSON.stringify(k)}] }`);
      return {
        contents: `let real; const load = () => (real ??= require(${JSON.stringify(`node:${args.path}`)}));\nmodule.exports = Object.defineProperties({}, { ${getters.join(', ')} });`,
        loader: 'js',
      };
    });
  },
};

/**
 * The name under which bin/flopscope.js lends the bundle its own `import()`. On Node 20 a function
 * that V8 restores from a code cache loses the script's dynamic-import callback, and its
 * `import()` fails with "A dynamic import callback was not specified"; so the bundle's `import()`s
 * of external packages (onnxruntime-node, playwright-core, vite: the bundled ones become plain
 * calls) go through a function of the ES-module bin, which resolves packages the same way (from
 * node_modules above it). Loaded by a plain `require`, the bundle falls back to its own `import()`.
 */
const IMPORT_HELPER = '__flopscopeImport';

/** The start of out/cli/main.cjs: Node's CommonJS module wrapper (bin/compiled-cli.js checks for the same text and calls the function). */
const CJS_WRAPPER_OPEN = '(function (exports, require, module, __filename, __dirname) {';

function routeDynamicImports(file) {
  const code = fs.readFileSync(file, 'utf8');
  let count = 0;
  const routed = code.replace(/\bimport\((["'])([^"'`$]+)\1\)/g, (_, q, spec) => {
    count++;
    return `${IMPORT_HELPER}(${q}${spec}${q})`;
  });
  if (count === 0) throw new Error(`found no import() of an external package in ${file}: has esbuild's output changed?`);
  // esbuild escapes non-ASCII in strings but leaves it in regular expression literals; a \uXXXX
  // escape means the same character there (and in strings, templates and names), so the file is
  // ASCII and bin/compiled-cli.js reads it as latin1.
  const ascii = routed.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  fs.writeFileSync(file, ascii, 'latin1');
}

export async function buildCli({ quiet = false } = {}) {
  const started = performance.now();
  // Whole seconds, rounded down: file systems store mtimes at different precisions.
  const startedAt = Math.floor(Date.now() / 1000) * 1000;
  const tmp = `${outdir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    outdir: tmp,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: externalPackages(),
    entryNames: '[name]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  };
  const [cli, workers] = await Promise.all([
    build({
      ...common,
      entryPoints: { main: path.join(root, 'src-main/cli/main.ts') },
      plugins: [zodEnglishOnly, lazyBuiltins],
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      define: { 'import.meta.url': '__flopscopeModuleUrl' },
      // Whitespace and comments out, names kept (stack traces name functions; the source map has
      // the rest): ~40 % less text for every start to read. Non-ASCII is escaped (esbuild's
      // default charset, and routeDynamicImports below), so bin/compiled-cli.js reads the file as
      // latin1, 3× faster than UTF-8.
      minifyWhitespace: true,
      minifySyntax: true,
      charset: 'ascii',
      // The file is one function expression, the CommonJS wrapper written out: bin/compiled-cli.js
      // compiles it as is, where wrapping it at run time made a 1.8 MB concatenated string that V8
      // copies again to compile (~460 fresh memory pages, each a page fault).
      banner: { js: `${CJS_WRAPPER_OPEN}\nvar __flopscopeModuleUrl = require("node:url").pathToFileURL(__filename).href;\nvar ${IMPORT_HELPER} = globalThis.${IMPORT_HELPER} ?? ((s) => import(s));` },
      footer: { js: '})' },
    }),
    build({ ...common, entryPoints: workerEntries(), format: 'esm', splitting: true, chunkNames: 'chunk-[hash]' }),
  ]);
  routeDynamicImports(path.join(tmp, 'main.cjs'));
  // Bundled packages' files are inputs too: upgrading one makes the build stale.
  // (A plugin's virtual module, named `namespace:path`, is no file.)
  const inputs = [...new Set([...Object.keys(cli.metafile.inputs), ...Object.keys(workers.metafile.inputs)])].filter((f) => !/^(zod-english-only|lazy-builtin):/.test(f)).sort();
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
