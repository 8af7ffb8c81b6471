/**
 * Renders resources/icon.svg to resources/icon.png (1024×1024, transparent corners) in headless
 * Chromium — the same browser the tests use (CHROMIUM_PATH, a system Chromium, or the npm one).
 * electron-builder derives the macOS .icns, the Windows .ico and the Linux icon set from that PNG
 * (it needs at least 512×512), so the SVG is the only icon source kept by hand.
 *
 *   npx tsx scripts/make-icon.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../src-main/services/browser/chromium.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources');
const svg = fs.readFileSync(path.join(dir, 'icon.svg'), 'utf8');
const { browser } = await launchChromium(['--headless', '--no-sandbox', '--disable-gpu']);
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  fs.writeFileSync(path.join(dir, 'icon.png'), png);
  console.log(`resources/icon.png: ${png.length} bytes`);
} finally {
  await browser.close();
}
