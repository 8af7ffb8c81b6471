/**
 * Every stored run opens in History in its own page's view, at its own address (Node side driving
 * headless Chromium). A profile and a plan are made on their pages, which keep their result when
 * left and come back to and link to the stored run; History then shows the same figures, tables
 * and charts for them as the page did. An attention sweep, an LLM estimate and a hardware report
 * are stored through the API, and a benchmark inserted as a run; each opens from its History row
 * in its page's view, sets `#/history/run/<id>`, shows its JSON only behind "Raw", and reloads
 * (or opens fresh from the permalink) to the same view. Nothing may log an error along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createInProcessClient } from '../src-main/core/backend.js';
import type { FlopscopeClient } from '../src-shared/api/contract.js';
import type { Run } from '../src-shared/api/types.js';
import { buildRoofline } from '../src-shared/bench/roofline.js';
import { EPOCH_LAW } from '../src-shared/planner/fits.js';
import { syntheticRunsCsv } from '../src-shared/planner/synthetic-runs.js';
import { startHarness, type Harness } from './harness.js';

const ZOO = 'squeezenet1.1';

describe('History opens every run in its page’s view', () => {
  let h: Harness;
  let client: FlopscopeClient;
  let page: Page;
  let problems: string[];
  const ids: Record<'bench' | 'attention' | 'llm' | 'hardware' | 'fit', number> = { bench: 0, attention: 0, llm: 0, hardware: 0, fit: 0 };

  const nav = (label: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
  const text = async (testId: string, scope = page.locator('body')) => ((await scope.getByTestId(testId).first().textContent()) ?? '').trim();
  const hash = () => page.evaluate(() => window.location.hash);
  const view = () => page.getByTestId('run-view');

  /** Opens History's list and then the run's row; the address becomes its permalink. */
  async function openFromHistory(id: number): Promise<void> {
    await nav('History');
    await page.getByTestId('page-history').waitFor();
    await page.locator(`tr[data-run-id="${id}"]`).click();
    await expect.poll(hash).toBe(`#/history/run/${id}`);
    await view().waitFor();
  }

  beforeAll(async () => {
    h = await startHarness();
    client = createInProcessClient(h.backend);
    const report = await h.backend.hardware();
    // A stored benchmark: "this machine" gets a measured roofline (the attention sweep predicts on it).
    const roofline = buildRoofline({ measuredCompute: { fp32: 200 }, measuredBandwidth: { DRAM: 20, L1: 400 } });
    ids.bench = h.backend.runs().insert({
      kind: 'bench',
      machine: report,
      appVersion: 'e2e',
      params: { suite: 'all' },
      result: {
        suite: 'all',
        quick: true,
        threads: 2,
        elapsedSeconds: 3.5,
        warnings: [],
        gemm: { results: [], best: { fp32: 200 }, unsupported: [] },
        memory: { threads: 2, arrayBytes: 64e6, copyGBs: 20, scaleGBs: 20, addGBs: 20, triadGBs: 20, levels: [{ name: 'DRAM', bytes: 1e9, GBs: 20 }], sweep: [] },
        roofline,
      },
    });
    ids.attention = (await client.call('attention.sweep', { shape: { dModel: 768, heads: 12, layers: 12, batch: 1 }, variants: 'full,sliding:512', seqs: [256, 1024, 4096, 16384], device: 'this', store: true })).runId!;
    ids.llm = (await client.call('llm.estimate', { source: { known: 'mixtral-8x7b-v0.1' }, store: true })).runId!;
    ids.hardware = (await client.call('hardware.detect', { save: true })).runId!;
    ids.fit = (await client.call('fits.create', { name: 'e2e fit', csv: syntheticRunsCsv(EPOCH_LAW, 20), bootstrap: 0 })).runId!;
    for (const id of Object.values(ids)) expect(id).toBeGreaterThan(0);
    ({ page, problems } = await h.newPage());
    await page.goto(h.server.launchUrl);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('Models keeps its profile across pages, links to the stored run, and History shows the same view', async () => {
    await nav('Models');
    await page.getByTestId('page-models').waitFor();
    await page.getByLabel('Architecture', { exact: true }).selectOption(ZOO);
    await page.getByLabel('resolution', { exact: true }).fill('96');
    await page.getByRole('button', { name: 'Profile', exact: true }).click();
    await expect.poll(() => text('stored-status'), { timeout: 60_000 }).toMatch(/^Stored as run #\d+$/);
    const runId = Number(/#(\d+)/.exec(await text('stored-status'))![1]);
    const figures = async () => ({
      params: await text('total-params'),
      flops: await text('total-flops'),
      layers: await page.getByTestId('layer-table').locator('tbody tr').count(),
      predicted: await text('predicted-latency'),
    });
    const onPage = await figures();
    expect(onPage.layers).toBeGreaterThan(10);
    expect(onPage.predicted).toMatch(/ms predicted$/);

    // Away and back: the result is still there, not profiled again.
    await nav('Planner');
    await page.getByTestId('page-planner').waitFor();
    await nav('Models');
    await page.getByTestId('model-results').waitFor();
    expect(await figures()).toEqual(onPage);
    expect(await text('stored-status')).toBe(`Stored as run #${runId}`);

    // The stored-run note links to the run in History.
    await page.getByTestId('stored-status').getByRole('link').click();
    await expect.poll(hash).toBe(`#/history/run/${runId}`);
    await view().waitFor();
    expect(await view().getAttribute('data-kind')).toBe('profile');
    await view().getByTestId('model-results').waitFor();
    expect(await figures()).toEqual(onPage);
    expect(await view().getByTestId('convention').textContent()).toContain('FLOPs = 2 × MACs');
    expect(await view().getByTestId('op-share-chart').locator('svg').count()).toBeGreaterThan(0);
    expect(await text('model-meta', view())).toContain(`zoo ${ZOO}`);
    expect(await page.title()).toBe(`Run #${runId} · History · FLOPscope`);
    await page.screenshot({ path: '/tmp/flopscope-run-view-profile.png', fullPage: true });
  });

  it('Planner keeps its plan across pages, and the saved plan opens in History in the plan view', async () => {
    await nav('Planner');
    await page.getByTestId('page-planner').waitFor();
    await page.getByTestId('budget-flops').check();
    await page.getByTestId('input-flops').fill('1e22');
    await expect.poll(() => text('plan-compute')).toContain('10 ZFLOPs');
    const figures = async () => ({ params: await text('plan-params'), tokens: await text('plan-tokens'), loss: await text('plan-loss'), shape: await text('shape-params') });
    const onPage = await figures();

    await nav('Models');
    await page.getByTestId('page-models').waitFor();
    await nav('Planner');
    await page.getByTestId('plan-result').waitFor();
    expect(await page.getByTestId('input-flops').inputValue()).toBe('1e22');
    expect(await figures()).toEqual(onPage);

    await page.getByTestId('plan-save').click();
    await expect.poll(() => text('plan-saved')).toMatch(/Saved as run #\d+/);
    const runId = Number(/#(\d+)/.exec(await text('plan-saved'))![1]);
    await page.getByTestId('plan-saved').getByRole('link').click();
    await expect.poll(hash).toBe(`#/history/run/${runId}`);
    await view().getByTestId('plan-result').waitFor();
    expect(await view().getAttribute('data-kind')).toBe('plan');
    expect(await figures()).toEqual(onPage);
    for (const chart of ['isoflop-chart', 'loss-contour-chart', 'frontier-compare-chart']) expect(await view().getByTestId(chart).locator('svg').count(), chart).toBeGreaterThan(0);
    expect(await view().getByTestId('plan-shape').count()).toBe(1);
    expect(await view().getByTestId('plan-energy').count()).toBe(1);
    await page.screenshot({ path: '/tmp/flopscope-run-view-plan.png', fullPage: true });
  });

  // Each kind's page view, by the test ids its page uses.
  const VIEWS: Array<{ kind: Exclude<keyof typeof ids, 'fit'>; testIds: string[]; charts: string[] }> = [
    { kind: 'bench', testIds: ['bench-results', 'stream', 'energy'], charts: ['roofline-chart', 'bandwidth-chart'] },
    { kind: 'attention', testIds: ['att-result', 'att-crossovers', 'att-metric'], charts: ['att-sweep-chart'] },
    { kind: 'llm', testIds: ['llm-result', 'llm-memory', 'llm-fits', 'llm-speed'], charts: ['llm-decode-chart'] },
    { kind: 'hardware', testIds: ['cpu-caches', 'peaks-table'], charts: ['peaks-chart'] },
  ];

  for (const { kind, testIds, charts } of VIEWS) {
    it(`opens a stored ${kind} run in its page’s view, its JSON behind Raw, and its permalink reloads to it`, async () => {
      const id = ids[kind];
      await openFromHistory(id);
      const check = async () => {
        expect(await view().getAttribute('data-kind')).toBe(kind);
        for (const t of testIds) await view().getByTestId(t).first().waitFor();
        for (const c of charts) await expect.poll(() => view().getByTestId(c).locator('svg').count(), { message: c }).toBeGreaterThan(0);
        expect(await view().getByTestId('run-summary').count()).toBe(0);
        expect(await page.getByTestId('run-detail').locator('#run-detail-heading').textContent()).toMatch(new RegExp(`^Run #${id} — `));
      };
      await check();
      await page.screenshot({ path: `/tmp/flopscope-run-view-${kind}.png`, fullPage: true });

      // No JSON until Raw is pressed; then the whole stored run.
      expect(await page.getByTestId('run-raw').count()).toBe(0);
      expect(await page.locator('pre.json').count()).toBe(0);
      await view().getByTestId('run-raw-toggle').click();
      expect(await view().getByTestId('run-raw-toggle').getAttribute('aria-pressed')).toBe('true');
      const raw = JSON.parse((await view().getByTestId('run-raw').textContent()) ?? '') as Run;
      expect(raw.id).toBe(id);
      expect(raw.kind).toBe(kind);
      await view().getByTestId('run-raw-toggle').click();
      expect(await page.getByTestId('run-raw').count()).toBe(0);

      // The address alone brings it back: a reload, and a fresh window opened on the permalink.
      await page.reload();
      await view().waitFor();
      expect(await hash()).toBe(`#/history/run/${id}`);
      await check();
      const fresh = await h.newPage();
      await fresh.page.goto(`${h.server.launchUrl}&/history/run/${id}`);
      await fresh.page.getByTestId('run-view').waitFor();
      expect(await fresh.page.getByTestId('run-view').getAttribute('data-kind')).toBe(kind);
      for (const t of testIds) await fresh.page.getByTestId('run-view').getByTestId(t).first().waitFor();
      expect(await fresh.page.evaluate(() => window.location.hash)).toBe(`#/history/run/${id}`);
      expect(fresh.problems, fresh.problems.join('\n')).toEqual([]);
      await fresh.page.close();
    });
  }

  it('a fit, which has no page view of its own, opens as its report summary, JSON behind Raw', async () => {
    await openFromHistory(ids.fit);
    expect(await view().getAttribute('data-kind')).toBe('fit');
    const summary = view().getByTestId('run-summary');
    await summary.locator('.report-block').first().waitFor();
    expect(await summary.locator('dl.facts .fact').count()).toBeGreaterThan(2);
    expect(await summary.textContent()).not.toMatch(/[{}]/);
    expect(await summary.getByTestId('run-summary-why').count()).toBe(0);
    expect(await page.getByTestId('run-raw').count()).toBe(0);
    await view().getByTestId('run-raw-toggle').click();
    expect((JSON.parse((await view().getByTestId('run-raw').textContent()) ?? '') as Run).kind).toBe('fit');
  });

  it('Close goes back to the list at #/history, and a missing run says so', async () => {
    await openFromHistory(ids.llm);
    await page.getByTestId('run-detail').getByRole('button', { name: 'Close run details' }).click();
    await expect.poll(hash).toBe('#/history');
    await expect.poll(() => page.getByTestId('run-detail').count()).toBe(0);
    expect(await page.getByTestId('runs-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(7);

    await page.evaluate(() => {
      window.location.hash = '#/history/run/999999';
    });
    await page.getByTestId('run-detail').getByText('Could not load run #999999').waitFor();
    expect(await view().count()).toBe(0);
    // The failed load is the only error logged (the API call's 404); nothing else went wrong.
    expect(problems.filter((p) => !/404|Not Found/i.test(p)), problems.join('\n')).toEqual([]);
  });
});
