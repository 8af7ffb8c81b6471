/**
 * The built renderer (out/renderer, which `npm test` builds before this suite) served over app://
 * (src-main/electron/app-protocol.ts): every asset index.html references resolves inside it.
 * Here rather than with the unit tests so that it always runs on a built tree, never skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveAppPath } from '../src-main/electron/app-protocol.js';

const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../out/renderer');
describe('the built renderer over app://', () => {
  it('resolves every asset index.html references', async () => {
    expect(fs.existsSync(path.join(built, 'index.html')), 'out/renderer is built (npm run build:renderer)').toBe(true);
    const html = fs.readFileSync(path.join(built, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => !/^[a-z]+:/i.test(r));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const url = new URL(ref, 'app://flopscope/index.html').href;
      expect((await resolveAppPath(url, built)).ok, `${ref} → ${url}`).toBe(true);
    }
  });
});
