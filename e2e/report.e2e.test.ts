/**
 * Exported reports in a real browser: the HTML report opened from disk in headless Chromium (the
 * one services/browser/chromium.ts finds) with the network off (offline context, every request
 * routed to abort and counted: the page must make none), its SVG charts laid out with non-zero size
 * and no CSP violation, the energy sections there (power strips styled, the estimate labelled, the
 * old run "not measured"); then the PDF export read back with pdf.js (e2e/pdf-check.ts: at least one
 * A4 page, and the first page rasterises with ink on it), and that check shown to fail on a corrupted
 * PDF, a blank page and a Letter page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext, testRuns } from '../src-shared/reports/test-runs.js';
import { launchChromium } from '../src-main/services/browser/chromium.js';
import { CHROMIUM_ARGS, writeReport } from '../src-main/services/reports/write-report.js';
import { checkPdf, isA4 } from './pdf-check.js';

let dir: string;
let browser: Browser;

function runs() {
  const r = testRuns();
  // bench: measured energy (RAPL-like), bench2: estimated, benchOld: stored before energy existed.
  return [r.bench, r.bench2, r.profile, r.plan, r.attention, r.hardware, r.benchOld];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-report-e2e-'));
  ({ browser } = await launchChromium(CHROMIUM_ARGS));
});

afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('HTML report', () => {
  it('opens offline with zero requests and draws every chart', async () => {
    const file = path.join(dir, 'report.html');
    await writeReport(runs(), 'html', file, testContext());
    const context = await browser.newContext({ offline: true, viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      // The document itself is loaded from disk; anything else would be the page reaching out.
      if (url === pathToFileURL(file).href) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => {
      if (r.url() !== pathToFileURL(file).href) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    expect(await page.title()).toBe('FLOPscope report: 7 runs (bench, profile, plan, attention, hardware)');
    await expect(page.locator('[data-testid="run-header"]').first().textContent()).resolves.toContain('testbox');
    const charts = await page.locator('figure svg').evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        // A styled chart: its lines have a computed stroke from the inline stylesheet.
        const line = el.querySelector('line.axis, line.gridline, rect.bar, path.series');
        return { cls: el.getAttribute('class'), w: box.width, h: box.height, stroke: line ? getComputedStyle(line).stroke : null };
      }),
    );
    const classes = charts.map((c) => c.cls!.split(' ')[0]);
    for (const cls of ['roofline-chart', 'peaks-chart', 'op-share-chart', 'attention-sweep-chart', 'power-strip']) expect(classes).toContain(cls);
    expect(classes.filter((c) => c === 'roofline-chart').length).toBe(7); // three runs, one overlaid, three side by side
    expect(classes.filter((c) => c === 'power-strip').length).toBe(3); // bench, bench2, profile; not benchOld
    for (const c of charts) {
      expect(c.w, c.cls!).toBeGreaterThan(100);
      expect(c.h, c.cls!).toBeGreaterThan(40);
    }
    expect(charts.some((c) => c.stroke && c.stroke !== 'none')).toBe(true);
    // Power strips: the line styled by the inline sheet, the estimate dashed and labelled.
    const strips = await page.locator('svg.power-strip').evaluateAll((els) =>
      els.map((el) => {
        const line = el.querySelector('path.power-line')!;
        const label = el.querySelector('.estimate-label');
        return { estimated: el.classList.contains('estimated'), stroke: getComputedStyle(line).stroke, dash: getComputedStyle(line).strokeDasharray, label: label?.textContent ?? null, labelBox: label ? label.getBoundingClientRect().width : 0 };
      }),
    );
    expect(strips.map((x) => x.estimated)).toEqual([false, true, false]);
    for (const x of strips) expect(x.stroke).toBe('rgb(31, 98, 214)'); // --series-0
    expect(strips[1]).toMatchObject({ label: 'estimated' });
    expect(strips[1]!.labelBox).toBeGreaterThan(0);
    expect(strips[1]!.dash).not.toBe('none');
    expect(strips[0]!.dash).toBe('none');
    const oldRun = page.locator(`section.run[data-run-id="${testRuns().benchOld.id}"]`);
    expect(await oldRun.locator('[data-block="energy"]').textContent()).toContain('not measured (run predates energy)');
    expect(await page.locator('section.comparison [data-key="energy.joules"]').textContent()).toContain('(est.)');
    // Every ceiling line of the first roofline has a size too (the chart really drew).
    const lines = await page.locator('svg.roofline-chart line.ceiling').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((b) => b.width > 0 || b.height > 0).length);
    expect(lines).toBeGreaterThan(4);
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('PDF report', () => {
  it('prints to an A4 PDF whose first page renders', async () => {
    const file = path.join(dir, 'report.pdf');
    const out = await writeReport(runs(), 'pdf', file, testContext());
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBe(out.bytes);
    const pdf = await checkPdf(bytes);
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    expect(isA4(pdf), `${pdf.widthPt} × ${pdf.heightPt} pt`).toBe(true);
    // Half a point per pixel: page 1 is about 298 × 422 pixels, and the run header, tables and
    // charts put ink on well over 1 % of them.
    expect(pdf.render.width).toBeGreaterThan(250);
    expect(pdf.render.height).toBeGreaterThan(350);
    expect(pdf.render.inkFraction).toBeGreaterThan(0.01);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the PDF check fails a corrupted file, a blank page and a Letter page', async () => {
    const good = fs.readFileSync(path.join(dir, 'report.pdf'));
    const corrupted = new Uint8Array(good);
    for (let i = 64; i < corrupted.length - 64; i++) corrupted[i] = (corrupted[i]! * 31 + 7) & 0xff;
    await expect(checkPdf(corrupted)).rejects.toThrow(/Invalid PDF/);
    await expect(checkPdf(good.subarray(0, 1024))).rejects.toThrow();

    const page = await browser.newPage();
    try {
      await page.setContent('<!doctype html><title>blank</title>');
      const blank = await checkPdf(await page.pdf({ format: 'A4' }));
      expect(isA4(blank)).toBe(true);
      expect(blank.render.inkFraction).toBe(0);
      await page.setContent('<!doctype html><h1>Letter</h1>');
      const letter = await checkPdf(await page.pdf({ format: 'Letter' }));
      expect(isA4(letter), `${letter.widthPt} × ${letter.heightPt} pt`).toBe(false);
      expect(letter.render.inkFraction).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
