/**
 * The Planner page end to end (Node side driving headless Chromium): a budget in device-hours on
 * a catalog GPU gives the same N*, D* and shape as the backend's own plan, with the three charts
 * drawn; its energy and CO₂ follow the PUE and grid inputs, a bad PUE is named inline; switching fits changes the answer and the source shown; bad budgets name the field and
 * never print NaN; a CSV of runs is fitted, stored and planned with; a bad CSV names its column;
 * a plan is saved as a run; the parallelism section and the gradient-descent lesson (measured
 * through ONNX Runtime) answer. Nothing may log an error along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createInProcessClient } from '../src-main/core/backend.js';
import type { FlopscopeClient } from '../src-shared/api/contract.js';
import { EPOCH_LAW } from '../src-shared/planner/fits.js';
import { formatCount, formatDuration } from '../src-shared/planner/format.js';
import { formatSI } from '../src-shared/format/si.js';
import { formatCo2Kg, formatKwh } from '../src-shared/planner/energy.js';
import { syntheticRunsCsv } from '../src-shared/planner/synthetic-runs.js';
import { startHarness, type Harness } from './harness.js';
import { chartValues, sidewaysAtSizes, unstyledControls } from './ui-checks.js';

const SCREENSHOT = '/tmp/flopscope-planner.png';
const H100 = 'NVIDIA H100 SXM5 80GB';

describe('Planner page in Chromium', () => {
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

  const text = async (id: string) => ((await page.getByTestId(id).textContent()) ?? '').trim();

  it('plans device-hours on a catalog GPU: N*, D*, shape and charts match the backend', async () => {
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Planner' }).click();
    await page.getByTestId('planner-controls').waitFor();
    await page.getByTestId('budget-device-hours').check();
    await page.getByTestId('plan-device').selectOption(H100);
    await page.getByTestId('input-hours').fill('720');
    await page.getByTestId('input-count').fill('64');
    const expected = await client.call('plan.compute', { fit: 'chinchilla-3', budget: { kind: 'device-hours', device: H100, hours: 720, count: 64, mfu: 0.4 }, vocab: 32000, context: 2048 });
    await expect.poll(() => text('plan-params')).toContain(formatCount(expected.params));
    expect(await text('plan-tokens')).toContain(formatCount(expected.tokens));
    expect(await text('plan-time')).toContain('30.0 days on 64 GPUs');
    expect(await page.getByTestId('shape-params').textContent()).toBe(expected.shape.exactParams.toLocaleString('en-US'));
    // The three charts: five IsoFLOP curves with their minima, filled contour bands, one line per fit.
    expect(await page.getByTestId('isoflop-chart').locator('path.curve').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('isoflop-chart').locator('.minimum').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('loss-contour-chart').locator('path.band').count()).toBeGreaterThan(5);
    expect(await page.getByTestId('loss-contour-chart').locator('.plan-point').count()).toBe(1);
    expect(await page.getByTestId('frontier-compare-chart').locator('[data-fit="kaplan"]').count()).toBeGreaterThan(0);
    // The charts' values in tables under them, opened from the keyboard: a row per IsoFLOP minimum,
    // and per budget a column for each law's compute-optimal parameters.
    const minima = await chartValues(page, 'isoflop-chart');
    expect(minima).toHaveLength(await page.getByTestId('isoflop-chart').locator('path.curve').count());
    expect(minima.every((cells) => /^\d\.\d{3}$/.test(cells[4]!))).toBe(true);
    const laws = await chartValues(page, 'frontier-compare-chart');
    expect(laws.length).toBeGreaterThan(5);
    expect(await page.getByTestId('frontier-compare-chart-values-table').locator('thead th').count()).toBe(1 + (await client.call('fits.list', {})).length);
    expect(await page.locator('body').textContent()).not.toMatch(/NaN/);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The hours slider (log₁₀, steps of 0.05) moves the budget: 10^3.15 h is written 1.41e3.
    await page.getByTestId('plan-slider').fill('3.15');
    await expect.poll(() => page.getByTestId('input-hours').inputValue()).toBe('1.41e3');
    const slid = await client.call('plan.compute', { fit: 'chinchilla-3', budget: { kind: 'device-hours', device: H100, hours: 1410, count: 64 } });
    await expect.poll(() => text('plan-compute')).toBe(`Compute${formatSI(slid.computeFlops, 'FLOPs')}`);
    expect(await text('plan-time')).toContain(`${formatDuration(slid.time!.seconds)} on 64`);
    expect(await page.locator('body').textContent()).not.toMatch(/NaN/);
  });

  it('shows energy and CO₂ for the device budget; PUE and grid intensity change them; a bad PUE names the field', async () => {
    const request = { fit: 'chinchilla-3', budget: { kind: 'device-hours' as const, device: H100, hours: 1410, count: 64 }, vocab: 32000, context: 2048 };
    const expected = await client.call('plan.compute', request);
    await expect.poll(() => text('plan-energy-kwh')).toBe(`Energy (facility)${formatKwh(expected.energy!.kwh)}`);
    expect(await text('plan-energy-co2')).toBe(`CO₂ at 481 g/kWh${formatCo2Kg(expected.energy!.co2Kg)}`);
    expect(await text('plan-energy-watts')).toMatch(/700 W \(catalog TDP\)/);
    expect(await text('plan-energy-source')).toMatch(/upper bound/);
    expect(await page.getByTestId('planner-controls').textContent()).toMatch(/Uptime Institute 2024/);
    expect(await page.getByTestId('planner-controls').textContent()).toMatch(/Ember 2024 world average/);

    await page.getByTestId('input-pue').fill('1.1');
    await page.getByTestId('input-gridGPerKwh').fill('30');
    const cleaner = await client.call('plan.compute', { ...request, pue: 1.1, gridGPerKwh: 30 });
    expect(cleaner.energy!.kwh).toBeLessThan(expected.energy!.kwh);
    await expect.poll(() => text('plan-energy-kwh')).toBe(`Energy (facility)${formatKwh(cleaner.energy!.kwh)}`);
    expect(await text('plan-energy-co2')).toBe(`CO₂ at 30 g/kWh${formatCo2Kg(cleaner.energy!.co2Kg)}`);

    await page.getByTestId('input-pue').fill('0.5');
    await expect.poll(() => text('error-pue')).toMatch(/pue: must be at least 1 \(got 0\.5\)/);
    expect(await page.getByTestId('plan-result').count()).toBe(0);
    await page.getByTestId('input-gridGPerKwh').fill('-1');
    await page.getByTestId('input-pue').fill('1.56');
    await expect.poll(() => text('error-gridGPerKwh')).toMatch(/grid-g-per-kwh: cannot be negative/);
    expect(await page.locator('body').textContent()).not.toMatch(/NaN/);
    await page.getByTestId('input-gridGPerKwh').fill('481');
    await expect.poll(() => text('plan-energy-kwh')).toBe(`Energy (facility)${formatKwh(expected.energy!.kwh)}`);
  });

  it('switching fits changes the plan and shows the fit’s source and constants', async () => {
    const before = await text('plan-params');
    await page.getByTestId('plan-fit').selectOption('epoch');
    await expect.poll(() => text('fit-source')).toMatch(/Besiroglu/);
    expect(await text('plan-params')).not.toBe(before);
    expect(await text('fit-constants')).toMatch(/2085/);
    await page.getByTestId('plan-fit').selectOption('kaplan');
    await expect.poll(() => page.getByTestId('plan-result').textContent()).toMatch(/non-embedding/);
  });

  it('bad budgets name the field and never show NaN', async () => {
    await page.getByTestId('input-hours').fill('0');
    await expect.poll(() => text('error-hours')).toMatch(/hours: must be greater than 0/);
    expect(await page.getByTestId('plan-result').count()).toBe(0);
    await page.getByTestId('input-hours').fill('lots');
    await expect.poll(() => text('error-hours')).toMatch(/"lots" is not a number/);
    await page.getByTestId('input-hours').fill('720');
    await page.getByTestId('input-mfu').fill('45');
    await expect.poll(() => text('error-mfu')).toMatch(/mfu: .*cannot exceed 1/);
    await page.getByTestId('input-mfu').fill('0.40');
    await page.getByTestId('budget-flops').check();
    await page.getByTestId('input-flops').fill('1e45');
    await expect.poll(() => text('error-flops')).toMatch(/compute: .*beyond any plausible/);
    expect(await page.locator('body').textContent()).not.toMatch(/NaN/);
    await page.getByTestId('input-flops').fill('1e22');
    await page.getByTestId('plan-result').waitFor();
    // A bare FLOPs budget has no device, so no energy: the page says why.
    expect(await text('plan-energy-unavailable')).toMatch(/choose a device to estimate energy/);
  });

  it('the budget switch is one segmented control: it keeps its selected state and is keyboard-operable', async () => {
    const group = page.getByRole('radiogroup', { name: 'Budget' });
    expect(await group.getAttribute('data-ui')).toBe('segmented');
    const radio = (k: string) => page.getByTestId(`budget-${k}`);
    await radio('money').click();
    expect(await radio('money').getAttribute('aria-checked')).toBe('true');
    expect(await radio('flops').getAttribute('aria-checked')).toBe('false');
    await page.getByTestId('input-usd').waitFor();
    // The selected option is the one Tab stops on; arrows move and select, wrapping round.
    expect(await radio('money').getAttribute('tabindex')).toBe('0');
    expect(await radio('flops').getAttribute('tabindex')).toBe('-1');
    await radio('money').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await radio('device-hours').getAttribute('aria-checked')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('budget-device-hours');
    await page.getByTestId('input-hours').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await radio('flops').getAttribute('aria-checked')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('budget-flops');
    await page.getByTestId('input-flops').waitFor();
    // The selected option looks selected: its background differs from an unselected one's.
    const bg = (k: string) => radio(k).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await bg('flops')).not.toBe(await bg('money'));
    // A focused option shows a focus ring.
    expect(await radio('flops').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    // Units sit beside the numbers.
    expect(await page.getByTestId('input-flops').locator('xpath=..').textContent()).toContain('FLOPs');
  });

  it('warns when a fixed model is far from compute-optimal (70B at 1.9 tokens per parameter)', async () => {
    // Compared with the chosen fit's own optimum: Chinchilla's (Kaplan's favours large models).
    const fitBefore = await page.getByTestId('plan-fit').inputValue();
    await page.getByTestId('plan-fit').selectOption('chinchilla-3');
    await page.getByTestId('input-flops').fill('5.6e22');
    await page.getByTestId('input-params').fill('70B');
    await expect.poll(() => text('plan-ratio')).toMatch(/[^\d.]1\.9$/);
    expect(await text('plan-far-from-optimal')).toMatch(/1\.9 tokens per parameter is \d+× below .*Chinchilla: ≈20, Hoffmann et al\. 2022/);
    await page.getByTestId('input-params').fill('');
    await expect.poll(() => page.getByTestId('plan-far-from-optimal').count()).toBe(0);
    await page.getByTestId('input-flops').fill('1e22');
    await page.getByTestId('plan-fit').selectOption(fitBefore);
  });

  it('has no native unstyled select, file input or radio, and no card scrolls sideways', async () => {
    expect(await unstyledControls(page)).toEqual([]);
    expect(await page.locator('[data-testid="page-planner"] [data-ui="select"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="page-planner"] input[data-ui="file"]').count()).toBe(1);
    expect(await page.locator('[data-ui="section-nav"] a').count()).toBeGreaterThanOrEqual(4);
    expect(await sidewaysAtSizes(page)).toEqual([]);
  });

  it('imports a CSV of runs, fits it and plans with the fitted law; a bad CSV names its column', async () => {
    const before = problems.length;
    await page.getByTestId('fit-csv').setInputFiles({ name: 'bad-runs.csv', mimeType: 'text/csv', buffer: Buffer.from('params,tokens\n1e9,2e10\n') });
    await expect.poll(() => page.getByTestId('fit-own').textContent()).toMatch(/missing column "loss"/);
    // The API answers the bad CSV with HTTP 400, which Chromium logs as a failed load: expected here.
    const logged = problems.splice(before);
    expect(logged.every((p) => /status of 400/.test(p)), logged.join('\n')).toBe(true);

    await page.getByTestId('fit-csv').setInputFiles({ name: 'my-runs.csv', mimeType: 'text/csv', buffer: Buffer.from(syntheticRunsCsv(EPOCH_LAW, 120)) });
    await page.getByTestId('fit-result').waitFor({ timeout: 30_000 });
    // The file button names the chosen file (no native "No file chosen").
    expect(await text('fit-csv-name')).toBe('my-runs.csv');
    const alpha = Number((await text('fit-alpha')).split(' ')[0]);
    expect(Math.abs(alpha / EPOCH_LAW.alpha - 1)).toBeLessThan(0.1);
    await expect.poll(() => page.getByTestId('plan-fit').inputValue()).toMatch(/^custom:\d+$/);
    const fitId = await page.getByTestId('plan-fit').inputValue();
    const expected = await client.call('plan.compute', { fit: fitId, budget: { kind: 'flops', flops: 1e22 }, vocab: 32000, context: 2048 });
    await expect.poll(() => text('plan-params')).toContain(formatCount(expected.params));
    expect(await text('fit-source')).toMatch(/Fitted 120 runs/);
    expect(await page.getByTestId('residuals-chart').locator('circle.run').count()).toBe(120);
  });

  it('saves the plan as a run', async () => {
    await page.getByTestId('plan-save').click();
    await expect.poll(() => text('plan-saved')).toMatch(/Saved as run #\d+/);
    const runId = Number(/#(\d+)/.exec(await text('plan-saved'))![1]);
    const run = await client.call('runs.get', { id: runId });
    expect(run.kind).toBe('plan');
    expect((run.params as { fit: string }).fit).toMatch(/^custom:/);
  });

  it('memory and parallelism answer for the shape, and a bad layout names the field', async () => {
    await page.getByTestId('plan-fit').selectOption('chinchilla-3');
    await expect.poll(() => text('par-fits')).toMatch(/fits|does not fit/);
    expect(await text('par-smallest')).toMatch(/Smallest device count that fits: \d+/);
    await page.getByTestId('par-tp').fill('5');
    await expect.poll(() => text('par-error')).toMatch(/tp/);
    await page.getByTestId('par-tp').fill('');
    await expect.poll(() => text('par-fits')).toMatch(/fits|does not fit/);
  });

  it('the gradient-descent lesson measures its kernels through ONNX Runtime', async () => {
    await page.getByTestId('gd-n').fill('20000');
    await page.getByTestId('gd-d').fill('64');
    expect(await text('gd-breakeven-flops')).toMatch(/\d+ steps/);
    await page.getByTestId('gd-measure').click();
    await page.getByTestId('gd-measured').waitFor({ timeout: 60_000 });
    expect(await text('gd-breakeven-measured')).toMatch(/steps|never/);
    expect(await page.getByTestId('gd-cost-chart').locator('.measured-point').count()).toBeGreaterThan(0);
    // Energy of the measurement: joules at an average power, with its source (an estimate here, labelled).
    expect(await text('gd-energy')).toMatch(/\d.* J.* at .*W.* average — \S/);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
