/**
 * Exported reports in a real browser: the HTML report opened from disk in headless Chromium (the
 * one services/browser/chromium.ts finds) with the network off (offline context, every request
 * routed to abort and counted: the page must make none), its SVG charts laid out with non-zero size
 * and no CSP violation, the energy sections there (power strips styled, the estimate labelled, the
 * old run "not measured"); then the PDF export read back with pdf.js (e2e/pdf-check.ts: at least one
 * A4 page, and the first page rasterises with ink on it), and that check shown to fail on a corrupted
 * PDF, a blank page and a Letter page. A plan's and a profile's own reports, exported to HTML and
 * PDF, open with the summary (page 1 of the PDF) and carry the charts their pages show — in the PDF
 * read back as the charts' own axis and legend text — with the run's facts and settings last.
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
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Roofline } from '../src-shared/bench/roofline.js';

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
    for (const cls of ['roofline-chart', 'peaks-chart', 'op-share-chart', 'attention-sweep-chart', 'power-strip', 'isoflop-chart', 'loss-contour-chart', 'frontier-compare-chart', 'bandwidth-chart', 'latency-chart']) expect(classes).toContain(cls);
    // Three bench runs, one overlaid, three side by side, and the profile's layers on its machine's roofline.
    expect(classes.filter((c) => c === 'roofline-chart').length).toBe(8);
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

/** Each page's text as pdf.js reads it (the SVG charts' labels print as text). */
async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, disableFontFace: true }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join(' '));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** One run's report as HTML in Chromium: the chart classes drawn (with a size), in document order, and where the summary and the run's facts stand. */
async function openReport(file: string) {
  const context = await browser.newContext({ offline: true, viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const layout = await page.evaluate(() => {
    const top = (sel: string) => document.querySelector(sel)?.getBoundingClientRect().top ?? -1;
    return {
      charts: [...document.querySelectorAll('section.run figure svg')].map((el) => ({ cls: el.getAttribute('class')!.split(' ')[0]!, empty: el.classList.contains('chart-empty'), w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height })),
      summary: top('section.run [data-block="summary"]'),
      firstChart: top('section.run figure svg'),
      facts: top('section.run [data-testid="run-header"]'),
    };
  });
  await context.close();
  return layout;
}

describe('one run per report: the summary, then the charts the page shows', () => {
  const cases = () => {
    const r = testRuns();
    const roofline = (r.bench.result as { roofline: Roofline }).roofline;
    return [
      {
        name: 'plan',
        run: r.plan,
        context: testContext(),
        charts: ['isoflop-chart', 'loss-contour-chart', 'frontier-compare-chart'],
        // IsoFLOP x axis, contour y axis, frontier axes and legend.
        chartText: ['parameters N (log scale); tokens D = C / 6N along each curve', 'training tokens D (log scale)', 'optimal parameters N* (log scale)', 'Kaplan et al. 2020'],
      },
      // The profile's machine has a stored benchmark: its layers sit on that roofline.
      {
        name: 'profile',
        run: r.profile,
        context: { ...testContext(), rooflines: { [r.profile.machineId]: roofline } },
        charts: ['op-share-chart', 'roofline-chart'],
        // Op-share legend, roofline x axis and its placed layers' legend.
        chartText: ['bytes moved (read + written)', 'MatMul ×1', 'arithmetic intensity (FLOP/byte), log scale', 'placed kernels'],
      },
    ];
  };

  for (const name of ['plan', 'profile']) {
    it(`${name}: the exported HTML draws its charts after the summary, the run's facts last`, async () => {
      const c = cases().find((x) => x.name === name)!;
      const file = path.join(dir, `${name}.html`);
      await writeReport([c.run], 'html', file, c.context);
      const layout = await openReport(file);
      expect(layout.charts.map((x) => x.cls)).toEqual(expect.arrayContaining(c.charts));
      for (const cls of c.charts) expect(layout.charts.filter((x) => x.cls === cls && !x.empty).length, cls).toBe(1);
      for (const x of layout.charts) {
        expect(x.w, x.cls).toBeGreaterThan(300);
        expect(x.h, x.cls).toBeGreaterThan(100);
      }
      expect(layout.summary).toBeGreaterThanOrEqual(0);
      expect(layout.summary).toBeLessThan(layout.firstChart);
      expect(layout.firstChart).toBeLessThan(layout.facts);
    });

    it(`${name}: the exported PDF opens with the summary and prints its charts`, async () => {
      const c = cases().find((x) => x.name === name)!;
      const file = path.join(dir, `${name}.pdf`);
      await writeReport([c.run], 'pdf', file, c.context);
      const bytes = fs.readFileSync(file);
      const check = await checkPdf(bytes);
      expect(isA4(check)).toBe(true);
      expect(check.render.inkFraction).toBeGreaterThan(0.01);
      const pages = await pdfPages(bytes);
      // Page 1: the summary's key figures, not only metadata.
      expect(pages[0]).toContain('Summary');
      expect(pages[0]).toContain('What was run');
      expect(pages[0]).not.toContain('Exact settings');
      // pdf.js spaces the charts' text runs unevenly (and splits ligatures such as "fi": avoided here).
      const all = pages.join('\n').replace(/\s+/g, ' ');
      // The charts' own text (axis captions and legends: SVG text printed as text), not only their captions.
      for (const w of c.chartText) expect(all, w).toContain(w);
      // The run's facts and exact settings come after the charts.
      const factsPage = pages.findIndex((p) => p.includes('Exact settings'));
      expect(factsPage).toBeGreaterThan(0);
      expect(factsPage).toBeGreaterThanOrEqual(pages.findIndex((p) => p.includes(c.chartText[0]!.split(' ')[0]!)));
    });
  }
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
