/**
 * Accessibility end to end: axe-core (the engine browser extensions and CI linters use) runs in
 * every page of the served app, in headless Chromium, in the light and the dark colour scheme
 * (contrast differs), twice each: on a fresh app with an empty store, and with results (a few stored runs of every kind, then each page's main job done through the
 * UI: e2e/pages.ts). No serious or critical violation may be found; a failure prints each
 * violation with its rule, impact, help and the CSS targets of the offending nodes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';
import { startHarness, watchPageProblems, type Harness } from './harness.js';
import { doMainJob, openPage, PAGES, seedRuns } from './pages.js';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the whole document (WCAG 2.x A/AA and best-practice rules); returns its violations. */
export async function axeViolations(page: Page): Promise<Result[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<unknown> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  })) as AxeResults;
  return results.violations;
}

export function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.slice(0, 12).map((n) => `    - ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n\s*/g, ' | ')}` : ''}`);
      const more = v.nodes.length > 12 ? [`    … and ${v.nodes.length - 12} more`] : [];
      return [`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...nodes, ...more].join('\n');
    })
    .join('\n');
}

/** Charts (top-level <svg>s with text in them) that are not an image with a name: role="img" and a non-empty <title>, or aria-hidden. */
async function unnamedCharts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('svg')]
      .filter((s) => !s.parentElement?.closest('svg') && s.querySelector('text') && s.getAttribute('aria-hidden') !== 'true')
      .filter((s) => s.getAttribute('role') !== 'img' || !(s.querySelector(':scope > title')?.textContent ?? s.getAttribute('aria-label') ?? '').trim())
      .map((s) => `svg.${s.getAttribute('class') ?? '(no class)'} in ${s.parentElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? '?'}: role=${s.getAttribute('role')}`),
  );
}

const serious = (violations: readonly Result[]) => violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

describe.each([['light'], ['dark']] as const)('Accessibility (axe-core) in Chromium, %s scheme', (colorScheme) => {
  let h: Harness;
  let page: Page;
  let problems: string[];

  const newPage = async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const p = await context.newPage();
    return { page: p, problems: await watchPageProblems(p) };
  };

  beforeAll(async () => {
    h = await startHarness();
    ({ page, problems } = await newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  it.each(PAGES.map((p) => [p.label, p.id] as const))('%s, empty: no serious or critical violations', async (_label, id) => {
    await openPage(page, h, id);
    const found = serious(await axeViolations(page));
    expect(found.map((v) => v.id), `${id} (empty, ${colorScheme}):\n${describeViolations(found)}`).toEqual([]);
  });

  it('the store gets runs of every kind, and a fresh app loads', async () => {
    expect((await seedRuns(h)).length).toBeGreaterThan(5);
    await page.context().close();
    ({ page, problems } = await newPage());
    await page.goto(h.server.launchUrl);
    await page.getByTestId('page-hardware').waitFor();
  });

  it.each(PAGES.map((p) => [p.label, p.id] as const))('%s, with results: no serious or critical violations', async (_label, id) => {
    await openPage(page, h, id);
    await doMainJob(page, id);
    const found = serious(await axeViolations(page));
    expect(found.map((v) => v.id), `${id} (with results, ${colorScheme}):\n${describeViolations(found)}`).toEqual([]);
    expect(await unnamedCharts(page), `${id}: charts that are not a named image`).toEqual([]);
  });

  it('logged no errors along the way', () => {
    expect(problems).toEqual([]);
  });
});
