/**
 * The LLMs page end to end (Node side driving headless Chromium): pick a well-known model and see
 * its parameters, memory, fit and predicted tokens/s (matching the backend's own estimate); fit it
 * against a catalog GPU; a context over the model's maximum gives a clear message; a zoo GGUF is
 * measured through llama.cpp with a progress bar and the measurement appears beside the
 * prediction, stored as an 'llm' run. Nothing may log an error along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createInProcessClient } from '../src-main/core/backend.js';
import type { FlopscopeClient } from '../src-shared/api/contract.js';
import { startHarness, type Harness } from './harness.js';
import { chartValues, sidewaysAtSizes, unstyledControls } from './ui-checks.js';

const SCREENSHOT = '/tmp/flopscope-llms.png';

describe('LLMs page in Chromium', () => {
  let h: Harness;
  let client: FlopscopeClient;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    h = await startHarness();
    client = createInProcessClient(h.backend);
    ({ page, problems } = await h.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('shows a known model: parameters, memory, fit and predicted speed, as the API computes them', async () => {
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'LLMs' }).click();
    await page.getByTestId('llm-known').waitFor();
    await page.getByTestId('llm-known').selectOption('mixtral-8x7b-v0.1');
    await expect.poll(() => page.getByTestId('llm-model-name').textContent()).toContain('Mixtral');
    const expected = await client.call('llm.estimate', { source: { known: 'mixtral-8x7b-v0.1' } });
    await expect.poll(() => page.getByTestId('llm-params').textContent()).toContain('46,702,792,704 parameters, 12,879,925,248 active per token');
    expect(await page.getByTestId('llm-memory').locator('tbody tr').count()).toBe(4);
    expect(await page.getByTestId('llm-decode').textContent()).toContain(expected.decode.predictedTokensPerSecond >= 100 ? expected.decode.predictedTokensPerSecond.toFixed(0) : expected.decode.predictedTokensPerSecond.toFixed(1));
    expect(await page.getByTestId('llm-decode-chart').locator('path.predicted').count()).toBe(1);
    // The curve's values in a table under it, opened from the keyboard: one row per depth.
    const curve = await chartValues(page, 'llm-decode-chart');
    expect(curve.map((c) => c[0])).toEqual(expected.decodeCurve.map((p) => p.depth.toLocaleString('en-US')));
    // A catalog GPU joins the fit table.
    await page.getByTestId('llm-devices').getByLabel('NVIDIA GeForce RTX 4090').check();
    await expect.poll(() => page.getByTestId('llm-fits').locator('tbody tr').count()).toBe(expected.fits.length + 1);
    expect(await page.getByTestId('llm-fits').locator('tbody tr', { hasText: 'RTX 4090' }).getAttribute('data-fits')).toBe('false');
  });

  it('a context over the model maximum gives a clear message', async () => {
    const logged = problems.length;
    await page.getByTestId('llm-context').fill('1000000');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/settings\.context: 1000000 tokens is over .*maximum context of 32768/);
    await page.getByTestId('llm-context').fill('4096');
    await expect.poll(() => page.getByTestId('llm-model-name').count()).toBe(1);
    const failedLoads = problems.splice(logged);
    expect(failedLoads.every((p) => /status of 400/.test(p)), failedLoads.join('\n')).toBe(true);
  });

  it('uses the shared controls: styled selects, a file button instead of the native picker, no card scrolling sideways', async () => {
    expect(await unstyledControls(page)).toEqual([]);
    expect(await page.locator('[data-testid="page-llms"] select[data-ui="select"]').count()).toBe(3);
    // The file input is hidden behind its button; the button says what it does, and no file is chosen yet.
    const file = page.getByTestId('llm-file');
    expect(await file.getAttribute('data-ui')).toBe('file');
    const box = await file.boundingBox();
    expect((box?.width ?? 0) <= 1 && (box?.height ?? 0) <= 1).toBe(true);
    expect(await page.locator('label[for="llm-file"]').textContent()).toContain('Open a model file');
    expect(await page.getByTestId('llm-file-name').textContent()).toBe('No file chosen yet');
    expect(await page.getByTestId('page-llms').textContent()).not.toMatch(/No file chosen(?! yet)|Choose File/);
    expect(await page.getByTestId('llm-fits').getAttribute('data-ui')).toBe('table');
    expect(await sidewaysAtSizes(page)).toEqual([]);
  });

  it('measures a zoo GGUF through llama.cpp: progress, then measured beside predicted, stored', async () => {
    await page.getByTestId('llm-zoo').selectOption('tiny:Q8_0');
    await page.getByTestId('llm-prompt').fill('64');
    await page.getByTestId('llm-gen').fill('16');
    await page.getByTestId('llm-depths').fill('0,128');
    await expect.poll(() => page.getByTestId('llm-model-name').textContent()).toContain('zoo Llama tiny Q8_0');
    await page.getByTestId('llm-measure-start').click();
    await page.getByTestId('llm-measured').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('llm-measured-table').locator('tbody tr').count()).toBe(2);
    const ratios = await page.getByTestId('llm-decode-ratio').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-ratio'))));
    expect(ratios).toHaveLength(2);
    for (const r of ratios) expect(r).toBeGreaterThan(0);
    expect(await page.getByTestId('llm-measured-chart').locator('g.measured-points circle.measured').count()).toBe(2);
    // Leaving the page and coming back keeps the result.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Hardware' }).click();
    await page.getByTestId('page-hardware').waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'LLMs' }).click();
    await page.getByTestId('llm-measured').waitFor();
    expect(await page.getByTestId('llm-measured-table').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('llm-prompt').inputValue()).toBe('64');
    const runs = await client.call('runs.list', { kind: 'llm' });
    expect(runs.length).toBe(1);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });
});
