/**
 * Shared page drivers for the screenshot script and the accessibility, layout and keyboard tests:
 * open a section through the sidebar, seed the store with a few runs of every kind (through the
 * backend, as the history and report tests do), and do each page's main job through the UI the
 * cheapest real way (Planner: the default budget; Transformers: the default sweep; Models: profile
 * the zoo MLP; LLMs: estimate a known model; Benchmarks and History: show the stored runs).
 */
import type { Page } from 'playwright-core';
import type { NewRun } from '../src-main/store/repos/runs-repo.js';
import { TEST_MACHINE, testRuns } from '../src-shared/reports/test-runs.js';
import { SECTIONS, type SectionId } from '../src-renderer/routing.js';
import type { Harness } from './harness.js';

/** Every page, in the sidebar's order (the router's own list). */
export const PAGES: readonly { id: SectionId; label: string }[] = SECTIONS;

export const VIEWPORTS = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;

const SETTLE_MS = 60_000;

/** Loads the app and opens a section through the sidebar; waits for the page and for any loading spinner to go. */
export async function openPage(page: Page, h: Harness, id: SectionId): Promise<void> {
  if (!page.url().startsWith(h.server.url)) await page.goto(h.server.launchUrl);
  const label = PAGES.find((p) => p.id === id)!.label;
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByTestId(`page-${id}`).waitFor();
  await settle(page);
}

/** Waits for loading indicators and busy regions to clear, then for two animation frames. */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading, [data-loading]'), undefined, { timeout: SETTLE_MS }).catch(() => {});
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Stores runs of every kind (bench with energy, bench without, profile, plan, attention, fit,
 * hardware): the bench runs on this machine so the Benchmarks page shows the newest one, the rest
 * on the synthetic test machine, so History has two machines to filter by.
 */
export async function seedRuns(h: Harness): Promise<number[]> {
  const here = await h.backend.hardware();
  const runs = testRuns();
  const order: (keyof typeof runs)[] = ['hardware', 'benchOld', 'profile', 'profile2', 'plan', 'plan2', 'attention', 'attention2', 'fit', 'bench2', 'bench'];
  return order.map((key) => {
    const r = runs[key];
    return h.backend.runs().insert({ kind: r.kind, machine: r.kind === 'bench' ? here : TEST_MACHINE, appVersion: 'e2e', params: r.params, result: r.result } as NewRun);
  });
}

/**
 * Does the page's main job through the UI (mouse and form fills), then waits for its result:
 * what the "with results" state of each page is in these tests.
 */
export async function doMainJob(page: Page, id: SectionId): Promise<void> {
  const visible = (testId: string) => page.getByTestId(testId).first().waitFor({ state: 'visible', timeout: SETTLE_MS });
  switch (id) {
    case 'hardware':
      await visible('peaks-table');
      break;
    case 'benchmarks':
      // The newest stored bench run (seedRuns) is shown on the page.
      await visible('bench-results');
      break;
    case 'models':
      await page.getByRole('radio', { name: 'Built-in architecture' }).check();
      await page.getByLabel('Architecture', { exact: true }).selectOption('mlp');
      await page.getByRole('button', { name: 'Profile', exact: true }).click();
      await page.getByTestId('run-status').filter({ hasText: /Stored as run #\d+|failed|Cancelled/ }).waitFor({ timeout: SETTLE_MS });
      await visible('layer-table');
      break;
    case 'planner':
      await visible('plan-result');
      await page.getByTestId('plan-params').filter({ hasText: /\d/ }).waitFor({ timeout: SETTLE_MS });
      await visible('planner-charts');
      break;
    case 'transformers':
      await visible('att-result');
      await page.getByTestId('att-sweep-chart').locator('path.series').first().waitFor({ timeout: SETTLE_MS });
      break;
    case 'llms':
      await page.getByTestId('llm-known').selectOption('mixtral-8x7b-v0.1');
      await visible('llm-result');
      break;
    case 'history':
      await page.getByTestId('runs-table').locator('tbody tr').first().waitFor({ timeout: SETTLE_MS });
      // Compare the two newest runs of the same kind (the two bench runs at the top).
      await page.getByTestId('runs-table').locator('tbody tr').nth(0).locator('input[type="checkbox"]').check();
      await page.getByTestId('runs-table').locator('tbody tr').nth(1).locator('input[type="checkbox"]').check();
      await page.getByTestId('compare-button').click();
      await visible('compare-panel');
      break;
  }
  await settle(page);
}
