/**
 * Issue 14 "Hostile input", end to end (Node side driving headless Chromium): a bundle whose every
 * free-text field carries markup — a meta refresh to another site, a form, a link, an iframe, an
 * image with an onerror handler — is imported through the History page, and a run already in the
 * database with the issue's roofline ceiling kind (`bandwidth"><meta http-equiv="refresh" …`, as an
 * older version could have stored; imports now refuse it) sits beside them. Comparing the three in
 * the report panel and exporting the comparison as HTML must show all of that as text: no element
 * from the data appears, the page never navigates, nothing is blocked by the CSP or logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createInProcessClient } from '../src-main/core/backend.js';
import type { FlopscopeClient } from '../src-shared/api/contract.js';
import type { HardwareReport } from '../src-shared/api/types.js';
import { buildRoofline } from '../src-shared/bench/roofline.js';
import { startHarness, type Harness } from './harness.js';

const EVIL = 'https://evil.example/';
/** Markup that would load, navigate or submit if it ever became elements. */
const PAYLOAD = `"><meta http-equiv="refresh" content="2;url=${EVIL}"><form action="${EVIL}"><a href="${EVIL}">click</a><iframe src="${EVIL}"></iframe><img src="${EVIL}x.png" onerror="document.title='pwned'"></form><x y="`;
/** The issue's reproduction, in a roofline ceiling's kind. */
const ISSUE_KIND = `bandwidth"><meta http-equiv="refresh" content="2;url=${EVIL}"><x y="`;

/** The elements the data must never produce, counted in the live page (or in `root` when given). */
async function forbidden(page: Page, root?: string): Promise<Record<string, number>> {
  return page.evaluate((selector) => {
    const scope: ParentNode = selector ? document.querySelector(selector)! : document;
    const count = (q: string) => scope.querySelectorAll(q).length;
    return {
      metaRefresh: count('meta[http-equiv="refresh" i]'),
      meta: count('meta'),
      form: count('form'),
      iframe: count('iframe'),
      img: count('img'),
      httpLink: count('a[href^="http" i]'),
      x: count('x'),
      onerror: count('[onerror]'),
    };
  }, root ?? null);
}

describe('Hostile bundle in History (Chromium)', () => {
  let h: Harness;
  let client: FlopscopeClient;
  let page: Page;
  let problems: string[];
  let bundleText: string;
  let directId: number;

  beforeAll(async () => {
    h = await startHarness();
    client = createInProcessClient(h.backend);
    const here = await h.backend.hardware();
    // A machine whose free text is hostile: host name, CPU model, a peak's device and basis.
    const machine = (id: string): HardwareReport => ({
      ...here,
      machine: { ...here.machine, id, hostname: `host${PAYLOAD}` },
      cpu: { ...here.cpu, model: `CPU${PAYLOAD}` },
      peaks: [...here.peaks, { device: `cpu${PAYLOAD}`, dtype: 'fp32', gflops: 123, basis: PAYLOAD }],
    });
    const bench = (fp32: number, dram: number) => ({
      suite: 'all',
      quick: true,
      threads: 2,
      elapsedSeconds: 1,
      warnings: [`warning${PAYLOAD}`],
      gemm: { results: [], best: { fp32 }, unsupported: [{ dtype: 'fp16', reason: PAYLOAD }] },
      memory: { threads: 2, arrayBytes: 64e6, copyGBs: dram, scaleGBs: dram, addGBs: dram, triadGBs: dram, levels: [{ name: 'DRAM', bytes: 1e9, GBs: dram }], sweep: [] },
      // Ceiling names and their "how" are free text; a second bandwidth level is named with markup.
      roofline: buildRoofline(
        { measuredCompute: { fp32 }, measuredBandwidth: { DRAM: dram, [`L2${PAYLOAD}`]: dram * 5 }, how: { measuredCompute: PAYLOAD, measuredBandwidth: PAYLOAD } },
        { level: 'DRAM' },
      ),
    });
    const a = h.backend.runs().insert({ kind: 'bench', machine: machine('aaaaaaaaaaaaaaaa'), appVersion: 'e2e', params: { suite: 'gemm', label: PAYLOAD }, result: bench(200, 20) });
    const b = h.backend.runs().insert({ kind: 'bench', machine: machine('bbbbbbbbbbbbbbbb'), appVersion: 'e2e', params: { suite: 'gemm' }, result: bench(800, 100) });
    // Tags and a note as runs.update stores them: a spreadsheet formula, an image, a frame.
    await client.call('runs.update', { id: a, tags: [`=cmd|'/C calc'!A0`, '<img src=x onerror=alert(1)>'], note: PAYLOAD });
    bundleText = JSON.stringify(await client.call('runs.export', { ids: [a, b] }));
    h.backend.runs().delete(a);
    h.backend.runs().delete(b);
    // Already in the database, bypassing the import's checks: the issue's ceiling kind.
    const roofline = buildRoofline({ measuredCompute: { fp32: 300 }, measuredBandwidth: { DRAM: 30 } });
    roofline.ceilings.push({ ...roofline.ceilings[roofline.ceilings.length - 1]!, kind: ISSUE_KIND as 'bandwidth' });
    directId = h.backend.runs().insert({ kind: 'bench', machine: { ...here, machine: { ...here.machine, id: 'cccccccccccccccc', hostname: 'old-db' } }, appVersion: 'e2e', params: {}, result: { ...bench(300, 30), roofline } });
    ({ page, problems } = await h.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('imports the bundle, compares the runs and shows every hostile string as text', async () => {
    const navigations: string[] = [];
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'History' }).click();
    await page.getByTestId('page-history').waitFor();
    const start = page.url();
    const baseline = await forbidden(page);
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });

    await page.getByTestId('bundle-file').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(bundleText) });
    await expect.poll(() => page.getByTestId('history-notice').textContent()).toMatch(/Imported 2 runs from hostile\.json/);
    await expect.poll(() => page.getByTestId('runs-table').locator('tbody tr').count()).toBe(3);

    const ids = (await client.call('runs.list', { kind: 'bench' })).map((r) => r.id);
    expect(ids).toContain(directId);
    for (const id of ids) await page.getByTestId(`pick-${id}`).check();
    await page.getByTestId('compare-button').click();
    const panel = page.getByTestId('compare-panel');
    await panel.getByTestId('comparison-table').first().waitFor();
    expect(await panel.locator('svg.roofline-chart').count()).toBeGreaterThanOrEqual(3);
    // Open every run's section of the report, so all of its charts and tables are on screen.
    for (const summary of await panel.locator('details > summary').all()) await summary.click();

    // The text is there, as text: in the table, the charts' hover titles and the headers.
    expect(await panel.textContent()).toContain('<meta http-equiv="refresh"');
    expect(await page.getByTestId('runs-table').textContent()).toContain('host">');
    const titles = await panel.locator('svg title').allTextContents();
    expect(titles.some((t) => t.includes(`<iframe src="${EVIL}">`))).toBe(true);

    // A meta refresh would fire after 2 s: wait past it.
    await page.waitForTimeout(3_000);
    expect(navigations).toEqual([]);
    expect(page.url()).toBe(start);
    expect(await page.title()).not.toBe('pwned');
    expect(await forbidden(page, '[data-testid="compare-panel"]')).toEqual({ metaRefresh: 0, meta: 0, form: 0, iframe: 0, img: 0, httpLink: 0, x: 0, onerror: 0 });
    expect(await forbidden(page, '[data-testid="runs-table"]')).toEqual({ metaRefresh: 0, meta: 0, form: 0, iframe: 0, img: 0, httpLink: 0, x: 0, onerror: 0 });
    expect(await forbidden(page)).toEqual(baseline);
    expect(problems, problems.join('\n')).toEqual([]);
    // The issue's ceiling kind is no kind the chart draws: it reaches the markup only as a class, reduced to letters, digits and dashes.
    expect(await panel.locator('line.swatch[class*="bandwidthmetahttp-equivrefresh"]').count()).toBeGreaterThanOrEqual(1);
  });

  it('exports the comparison as HTML in which the hostile strings are text too', async () => {
    const panel = page.getByTestId('compare-panel');
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-html').click()]);
    const html = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    expect(html).toContain('&lt;meta http-equiv=&quot;refresh&quot;');
    expect(html).not.toMatch(/https?:\/\//);
    // Parsed by Chromium (DOMParser, on a blank page of its own: nothing loads or runs): only the report's own three <meta>.
    const { page: scratch } = await h.newPage();
    const counts = await scratch.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'text/html');
      const count = (q: string) => doc.querySelectorAll(q).length;
      return { metaRefresh: count('meta[http-equiv="refresh" i]'), meta: count('meta'), form: count('form'), iframe: count('iframe'), img: count('img'), links: count('a'), x: count('x'), onerror: count('[onerror]') };
    }, html);
    expect(counts).toEqual({ metaRefresh: 0, meta: 3, form: 0, iframe: 0, img: 0, links: 0, x: 0, onerror: 0 });
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
