#!/usr/bin/env node
// `npm start`: opens the desktop app from a source checkout.
// 1. Electron's binary downloads on first use; where that cannot happen (offline, blocked), say so
//    plainly and point to the headless mode instead of printing a stack trace.
// 2. better-sqlite3 in node_modules is built for Node (the CLI and tests use it); Electron needs a
//    build for its own ABI. Fetch or compile one into .native/electron-<version>/ once and hand its
//    path to the app (FLOPSCOPE_SQLITE_BINDING → better-sqlite3's nativeBinding option), leaving the
//    Node build untouched, so `npm start` and `npm test` both work from one checkout.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  process.stderr.write(`\nflopscope: ${message}\n\n`);
  process.exit(1);
}

const headlessHint =
  'The same app runs headless without Electron:\n' +
  '    npx flopscope serve      # then open the printed URL in a browser\n' +
  '    npx flopscope detect     # or use the CLI';

// Electron downloads its binary on first use; run that download ourselves with its output captured,
// so an offline machine gets one clear paragraph instead of a stack trace.
const electronDir = path.dirname(require.resolve('electron/package.json'));
if (!fs.existsSync(path.join(electronDir, 'path.txt'))) {
  process.stderr.write('Downloading the Electron binary (first start)…\n');
  const download = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8' });
  if (download.status !== 0) {
    const reason = `${download.stderr}\n${download.stdout}`.split('\n').map((l) => l.trim()).find((l) => /error|fail/i.test(l)) ?? 'unknown error';
    fail(
      `the Electron binary is not installed and could not be downloaded (${reason}).\n` +
        'With network access, retry `npm start`.\n' +
        headlessHint,
    );
  }
}
const electronBinary = require('electron');
if (typeof electronBinary !== 'string' || !fs.existsSync(electronBinary)) {
  fail(`the Electron binary is missing (${electronBinary}).\n${headlessHint}`);
}

const electronVersion = require('electron/package.json').version;
const bindingDir = path.join(root, '.native', `electron-${electronVersion}`);
const binding = path.join(bindingDir, 'better_sqlite3.node');

if (!fs.existsSync(binding)) {
  process.stderr.write(`Preparing better-sqlite3 for Electron ${electronVersion} (once)…\n`);
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-sqlite-'));
  fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
  const prebuild = require.resolve('prebuild-install/bin.js', { paths: [source] });
  // npm runs scripts with npm_config_node_gyp pointing at its bundled node-gyp.
  const nodeGyp = process.env.npm_config_node_gyp;
  const attempts = [
    [process.execPath, [prebuild, '--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`]],
    ...(nodeGyp ? [[process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']]] : []),
  ];
  let built = false;
  for (const [cmd, args] of attempts) {
    try {
      execFileSync(cmd, args, { cwd: work, stdio: 'inherit' });
      built = fs.existsSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'));
      if (built) break;
    } catch {
      // try the next way
    }
  }
  if (!built) fail(`could not fetch or build better-sqlite3 for Electron ${electronVersion}.\n${headlessHint}`);
  fs.mkdirSync(bindingDir, { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
  fs.rmSync(work, { recursive: true, force: true });
}

const child = spawn(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'dev', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FLOPSCOPE_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
