#!/usr/bin/env node
// The `flopscope` command. Runs the CLI compiled ahead of time (out/cli/main.js, built by
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
import fs from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 can keep V8's compiled code between runs (in the OS temp folder), which saves most of
// the module compilation a start pays; Node 20 has no such cache and this does nothing there.
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
  for (const file of stamp.inputs) {
    const st = fs.statSync(new URL(file, root), { throwIfNoEntry: false });
    if (!st || st.mtimeMs > stamp.builtMs) return false;
  }
  return true;
}

let runCli;
if (compiledIsCurrent()) {
  ({ runCli } = await import('../out/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));
