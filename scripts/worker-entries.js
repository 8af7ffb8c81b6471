// Every worker thread under src-main (`*.worker.ts`), found rather than listed so a worker that
// moves or is added cannot be missed: the entries of the compiled CLI (scripts/build-cli.js) and of
// the Electron main build (electron.vite.config.ts), and what the packaging check expects to ship.
// Plain JavaScript without a shebang: electron-vite bundles its config together with it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every worker thread's entry, `<name>.worker` → its source (also the Electron build's, electron.vite.config.ts). */
export function workerEntries() {
  const entries = {};
  for (const entry of fs.readdirSync(path.join(root, 'src-main'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.worker.ts')) continue;
    const name = entry.name.slice(0, -'.ts'.length);
    if (entries[name]) throw new Error(`two workers named ${entry.name}: the compiled CLI keeps every worker in one folder`);
    entries[name] = path.join(entry.parentPath ?? entry.path, entry.name);
  }
  return entries;
}

