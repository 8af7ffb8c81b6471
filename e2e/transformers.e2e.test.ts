/**
 * The Transformers page end to end (Node side driving headless Chromium): pick variants and a
 * sequence range and see the curves, the crossovers and the pattern heatmaps (matching the
 * backend's own sweep); bad input (a window larger than every sequence, heads not dividing
 * d_model, K/V heads not dividing heads) gives a clear message; the measured sweep runs through
 * ONNX Runtime with a progress bar, is stored, and a second one can be cancelled. Nothing may log
 * an error along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createInProcessClient } from '../src-main/core/backend.js';
import type { FlopscopeClient } from '../src-shared/api/contract.js';
import { buildRoofline } from '../src-shared/bench/roofline.js';
import { attentionCrossoversOf, attentionSeriesOf } from '../src-shared/charts/attention-sweep-chart.js';
import { startHarness, type Harness } from './harness.js';

const SCREENSHOT = '/tmp/flopscope-transformers.png';

describe('Transformers page in Chromium', () => {
  let h: Harness;
  let client: FlopscopeClient;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    h = await startHarness();
    client = createInProcessClient(h.backend);
    const report = await h.backend.hardware();
    // A stored benchmark so "this machine" has a measured roofline to predict on.
    const roofline = buildRoofline({ measuredCompute: { fp32: 300 }, measuredBandwidth: { DRAM: 30, L1: 400 } });
    h.backend.runs().insert({ kind: 'bench', machine: report, appVersion: 'e2e', params: {}, result: { suite: 'gemm', quick: true, threads: 2, elapsedSeconds: 1, warnings: [], roofline } });
    ({ page, problems } = await h.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  const fill = async (id: string, value: string) => page.getByTestId(id).fill(value);

  /** The chart's text labels whose boxes overlap another's (by more than half a pixel each way). */
  const overlappingLabels = () =>
    page.getByTestId('att-sweep-chart').evaluate((root) => {
      const boxes = [...root.querySelectorAll('svg text')].map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() })).filter((b) => b.r.width > 0 && b.r.height > 0);
      const out: string[] = [];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!.r;
          const b = boxes[j]!.r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 0.5 && h > 0.5) out.push(`${boxes[i]!.text} × ${boxes[j]!.text}`);
        }
      }
      return { count: boxes.length, out };
    });

  it('the default chart reads: no labels overlap, identical series drawn once, crossovers follow the metric, values in tips and a table', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Transformers' }).click();
    await page.getByTestId('att-result').waitFor();
    const variants = await page.getByTestId('att-variants').inputValue();
    const expected = await client.call('attention.sweep', { shape: { dModel: 768, heads: 12, layers: 12, batch: 1 }, variants, seqs: [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536], device: 'this' });
    const chart = page.getByTestId('att-sweep-chart');
    const table = page.getByTestId('att-crossovers');

    for (const metric of ['predictedSeconds', 'attentionFlops', 'bytesMoved', 'activationBytes'] as const) {
      await page.getByTestId('att-metric').selectOption(metric);
      await expect.poll(() => chart.locator('svg').getAttribute('data-metric')).toBe(metric);
      // No two text labels overlap (the default chart once piled its crossover labels near 1K).
      const labels = await overlappingLabels();
      expect(labels.count, metric).toBeGreaterThan(10);
      expect(labels.out, metric).toEqual([]);
      // One line per group of identical variants, as the chart module groups them.
      const series = attentionSeriesOf(expected.points, metric);
      expect(await chart.locator('path.series[data-variant]').count(), metric).toBe(series.filter((s) => s.points.length >= 2).length);
      // The crossover table is the metric's own crossovers (plus memory crossings on the capacity metric).
      const crossovers = attentionCrossoversOf(expected.points, metric);
      expect(await table.getAttribute('data-metric')).toBe(metric);
      expect(await table.locator('[data-testid="att-crossover"]').count(), metric).toBe(crossovers.length);
      expect(await chart.locator('g.crossover').count(), metric).toBe(crossovers.length);
      if (metric === 'activationBytes') expect(await table.locator('[data-testid="att-memory-crossing"]').count()).toBeGreaterThan(0);
    }

    // The crossover table changes with the metric: memory traffic crosses where predicted time does not.
    await page.getByTestId('att-metric').selectOption('predictedSeconds');
    await expect.poll(() => table.getAttribute('data-metric')).toBe('predictedSeconds');
    const timeRows = await table.locator('tbody tr').allTextContents();
    await page.getByTestId('att-metric').selectOption('bytesMoved');
    await expect.poll(() => table.getAttribute('data-metric')).toBe('bytesMoved');
    const trafficRows = await table.locator('tbody tr').allTextContents();
    expect(trafficRows).not.toEqual(timeRows);
    expect(await table.locator('caption').textContent()).toContain('Attention memory traffic');

    // Full attention and FlashAttention do the same FLOPs: one line, both names in the legend.
    await page.getByTestId('att-metric').selectOption('attentionFlops');
    await expect.poll(() => chart.locator('svg').getAttribute('data-metric')).toBe('attentionFlops');
    const together = attentionSeriesOf(expected.points, 'attentionFlops').find((g) => g.variants.includes('full'))!;
    expect(together.variants).toContain('flash');
    const twin = chart.locator(`path.series[data-variants="${together.variants.join(' ')}"]`);
    expect(await twin.count()).toBe(1);
    expect(await chart.locator('path.series[data-variant="flash"]').count()).toBe(0);
    const legend = await chart.locator('.legend text').allTextContents();
    const entry = legend.find((t) => t.includes('full attention'));
    expect(entry).toContain(' = ');
    expect(entry).toContain('FlashAttention');
    // Distinct styles: no two drawn lines share a palette class.
    const classes = await chart.locator('path.series[data-variant]').evaluateAll((ps) => ps.map((p) => p.getAttribute('class')));
    expect(new Set(classes).size).toBe(classes.length);

    // Values: a focusable hit area shows the point's value in a tooltip; the same values in a table under the chart.
    const hit = chart.locator('circle.hit').first();
    await hit.focus();
    const tip = page.getByTestId('att-chart-tip');
    await tip.waitFor();
    expect(await tip.textContent()).toMatch(/FLOPs at sequence length 256$/);
    await page.getByTestId('att-values').locator('summary').click();
    const valueRows = page.getByTestId('att-values-table').locator('tbody tr');
    expect(await valueRows.count()).toBe(9);
    expect(await page.getByTestId('att-values-table').locator('thead th').allTextContents()).toContain(entry);

    // The heatmap titles fit: each is whole (no "…") and no wider than its heatmap.
    const titles = await page.getByTestId('att-pattern-grid').locator('g.pattern').evaluateAll((gs) =>
      gs.map((g) => {
        const frame = g.querySelector('rect.frame')!.getBoundingClientRect();
        const label = g.querySelector('text.pattern-label')!;
        return { text: label.textContent ?? '', whole: g.getAttribute('data-label') ?? '', over: label.getBoundingClientRect().right - frame.right };
      }),
    );
    expect(titles.length).toBe(variants.split(',').length);
    for (const t of titles) {
      expect(t.text.replace(/\s+/g, ''), t.whole).toBe(t.whole.replace(/\s+/g, ''));
      expect(t.over, t.whole).toBeLessThanOrEqual(4);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('sweeps the chosen variants over a sequence range: curves, crossovers, heatmaps', async () => {
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Transformers' }).click();
    await page.getByTestId('att-controls').waitFor();
    await fill('att-variants', 'full,causal,sliding:512,linear,flash');
    await fill('att-seqFrom', '256');
    await fill('att-seqTo', '64K');
    await page.getByTestId('att-result').waitFor();
    const expected = await client.call('attention.sweep', { shape: { dModel: 768, heads: 12, layers: 12, batch: 1 }, variants: 'full,causal,sliding:512,linear,flash', seqs: [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536], device: 'this' });
    await page.getByTestId('att-metric').selectOption('predictedSeconds');
    const lines = attentionSeriesOf(expected.points, 'predictedSeconds').length;
    await expect.poll(() => page.getByTestId('att-sweep-chart').locator('path.series[data-variant]').count()).toBe(lines);
    expect(expected.crossovers.length).toBeGreaterThan(0);
    // The table lists the chart's lines' crossovers on predicted time: the sweep's own, identical variants named together.
    const crossovers = attentionCrossoversOf(expected.points, 'predictedSeconds');
    expect(crossovers.length).toBeGreaterThan(0);
    expect(await page.getByTestId('att-crossovers').locator('[data-testid="att-crossover"]').count()).toBe(crossovers.length);
    expect(await page.getByTestId('att-crossovers').textContent()).toContain(Math.round(expected.crossovers[0]!.seq).toLocaleString('en-US'));
    expect(await page.getByTestId('att-pattern-grid').locator('.pattern').count()).toBe(5);
    // The memory metric draws this machine's RAM as a line.
    await page.getByTestId('att-metric').selectOption('activationBytes');
    await expect.poll(() => page.getByTestId('att-sweep-chart').locator('g.memory > line.memory-line').count()).toBe(1);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it.each([
    ['att-variants', 'full,sliding:131072', /"sliding:131072": the window is at least every sequence length/],
    ['att-heads', '7', /heads: 7 does not divide d_model 768/],
    ['att-kvHeads', '5', /5 .*do(es)? not divide/],
    ['att-variants', 'full,slidin', /unknown variant "slidin"/],
  ])('%s = %s gives a clear message', async (id, value, message) => {
    const before = await page.getByTestId(id).inputValue();
    const logged = problems.length;
    await fill(id, value);
    await expect.poll(() => page.getByTestId('att-error').textContent()).toMatch(message);
    await fill(id, before);
    await expect.poll(() => page.getByTestId('att-error').count()).toBe(0);
    // The API answers bad input with HTTP 400, which Chromium logs as a failed load: expected here.
    const failedLoads = problems.splice(logged);
    expect(failedLoads.every((p) => /status of 400/.test(p)), failedLoads.join('\n')).toBe(true);
  });

  it('measures full and sliding-window attention with a progress bar, and cancels a second sweep', async () => {
    // Small enough to run in seconds on two cores.
    await fill('att-dModel', '128');
    await fill('att-heads', '2');
    await fill('att-layers', '1');
    await fill('att-variants', 'full,sliding:128');
    await fill('att-seqFrom', '256');
    await fill('att-seqTo', '1024');
    await page.getByTestId('att-result').waitFor();
    await page.getByTestId('att-measure-start').click();
    await page.getByTestId('att-measured').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('att-measured-table').locator('tbody tr').count()).toBe(6);
    expect(await page.getByTestId('att-slopes').textContent()).toMatch(/full: measured time ∝ seq\^\d/);
    expect(await page.getByTestId('att-measured-chart').locator('.measured-point').count()).toBeGreaterThan(0);
    // Energy per call on every measured row, and the sweep's energy (no sensor here: the labelled estimate).
    const joules = await page.getByTestId('att-joules').allTextContents();
    expect(joules.length).toBeGreaterThan(0);
    for (const j of joules) expect(j).toMatch(/^\d[\d.,]* [kmµ]?J( \(est\.\))?$/);
    const energy = page.getByTestId('energy');
    await energy.waitFor();
    expect(await energy.textContent()).toMatch(/estimated|powercap|nvidia-smi|hwmon|powermetrics|energy meter/);
    const runs = await client.call('runs.list', { kind: 'attention' });
    expect(runs.length).toBeGreaterThan(0);

    // A bigger sweep, cancelled while it runs: nothing more is stored.
    await fill('att-seqTo', '8192');
    await page.getByTestId('att-result').waitFor();
    await page.getByTestId('att-measure-start').click();
    await page.getByTestId('att-progress').waitFor();
    await page.getByTestId('att-measure-cancel').click();
    await page.getByTestId('att-cancelled').waitFor({ timeout: 60_000 });
    expect((await client.call('runs.list', { kind: 'attention' })).length).toBe(runs.length);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
