/**
 * Screenshots of the pages for before/after comparisons of layout work (not a test):
 *
 *   npm run build:renderer && npx tsx e2e/screenshots.ts --out /work/screens/before [--pages planner,models]
 *
 * For each page and viewport (1024×700, 1440×900): `<page>-<w>x<h>-empty.png` (a fresh app, empty
 * store) and `<page>-<w>x<h>-results.png` (a store with a few runs of every kind, after the page's
 * main job is done through the UI: e2e/pages.ts). Full-page shots, light scheme.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness, type Harness } from './harness.js';
import { doMainJob, openPage, PAGES, seedRuns, VIEWPORTS } from './pages.js';
import type { SectionId } from '../src-renderer/routing.js';

const DEFAULT_PAGES: SectionId[] = ['planner', 'transformers', 'models', 'history'];

async function shoot(h: Harness, out: string, ids: SectionId[], state: 'empty' | 'results'): Promise<void> {
  for (const viewport of VIEWPORTS) {
    for (const id of ids) {
      // A fresh context per shot: pages keep their state across navigation within one app load.
      const context = await h.browser.newContext({ viewport, colorScheme: 'light' });
      try {
        const page = await context.newPage();
        await openPage(page, h, id);
        if (state === 'results') await doMainJob(page, id);
        const file = path.join(out, `${id}-${viewport.width}x${viewport.height}-${state}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
      } catch (e) {
        console.error(`${id} ${viewport.width}x${viewport.height} ${state}: ${(e as Error).message}`);
        process.exitCode = 1;
      } finally {
        await context.close();
      }
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, pages: { type: 'string' } } });
  if (!values.out) throw new Error('usage: npx tsx e2e/screenshots.ts --out <dir> [--pages planner,transformers,models,history]');
  const ids = values.pages ? (values.pages.split(',') as SectionId[]) : DEFAULT_PAGES;
  const unknown = ids.filter((id) => !PAGES.some((p) => p.id === id));
  if (unknown.length) throw new Error(`unknown page(s): ${unknown.join(', ')}`);
  const out = path.resolve(values.out);
  fs.mkdirSync(out, { recursive: true });
  const h = await startHarness();
  try {
    await shoot(h, out, ids, 'empty');
    await seedRuns(h);
    await shoot(h, out, ids, 'results');
  } finally {
    await h.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
