/**
 * The Models page end to end (Node side driving headless Chromium): profile a small zoo
 * SqueezeNet (totals match the backend's own profile, the layer table fills, the op-share chart
 * draws, the cost model's predicted latency is shown labelled "predicted" with its basis, and a
 * predicted ms per layer), profile and run it (latency, measured columns, layers on the roofline of
 * a stored benchmark, predicted vs measured for the whole model, per op class, per kernel and per
 * layer, the predicted-against-measured chart, next to no unattributed kernel time, energy: the power strip under the progress and the Energy card
 * with joules per inference, "estimated" on a machine without power sensors), upload a built MLP as an .onnx file and profile it, and
 * upload a file that is not ONNX (the error names it), and the What-ifs section on a zoo MLP
 * (training memory and chart, quantization SQNR, 2:4 pruning, activation sparsity), and comparing
 * MobileNetV2 with ResNet-18 matched to its FLOPs (nothing stored). Nothing may
 * log an error along the way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createInProcessClient } from '../src-main/core/backend.js';
import { buildZooModel } from '../src-main/services/zoo/zoo.js';
import type { JobEvent } from '../src-shared/api/types.js';
import { buildRoofline } from '../src-shared/bench/roofline.js';
import type { ProfileResult } from '../src-shared/profiler/types.js';
import { formatCount, formatMsValue } from '../src-renderer/model-run.js';
import { startHarness, type Harness } from './harness.js';
import { chartValues } from './ui-checks.js';

const SCREENSHOT = '/tmp/flopscope-models.png';
const WHATIFS_SCREENSHOT = '/tmp/flopscope-whatifs.png';
const PREDICTION_SCREENSHOT = '/tmp/flopscope-prediction.png';
const ZOO = 'squeezenet1.1';
const OPTIONS = { resolution: 96 };

/** The backend's own profile of a source, through the in-process door. */
async function backendProfile(h: Harness, source: { zoo: string; options: Record<string, number> }): Promise<ProfileResult> {
  const client = createInProcessClient(h.backend);
  const job = await client.call('profile.start', { source });
  return new Promise((resolve, reject) => {
    client.subscribe(job.id, (e: JobEvent) => {
      if (e.type === 'result') resolve(e.result as ProfileResult);
      else if (e.type === 'error') reject(new Error(e.error.message));
      else if (e.type === 'cancelled') reject(new Error('cancelled'));
    });
  });
}

/** Waits until the status line reports a stored run newer than `after` (or a failure); returns its id. */
async function waitForStored(page: Page, after: number): Promise<number> {
  let text = '';
  await expect
    .poll(
      async () => {
        text = (await page.getByTestId('run-status').textContent()) ?? '';
        return /failed|Cancelled/.test(text) || Number(/Stored as run #(\d+)/.exec(text)?.[1] ?? 0) > after;
      },
      { timeout: 60_000, interval: 150 },
    )
    .toBe(true);
  const id = Number(/Stored as run #(\d+)/.exec(text)?.[1] ?? 0);
  if (!(id > after)) throw new Error(`${text}: ${await page.getByTestId('error-callout').textContent().catch(() => '')}`);
  return id;
}

describe('Models page in Chromium', () => {
  let h: Harness;
  let page: Page;
  let problems: string[];
  let expected: ProfileResult;
  let lastRun = 0;

  beforeAll(async () => {
    h = await startHarness();
    const report = await h.backend.hardware();
    // A stored benchmark (ceilings only) so measured layers have a roofline to sit on.
    const roofline = buildRoofline({ measuredCompute: { fp32: 200 }, measuredBandwidth: { DRAM: 20, L1: 400 } });
    h.backend.runs().insert({ kind: 'bench', machine: report, appVersion: 'e2e', params: {}, result: { suite: 'gemm', quick: true, threads: 1, elapsedSeconds: 1, warnings: [], roofline } });
    expected = await backendProfile(h, { zoo: ZOO, options: OPTIONS });
    ({ page, problems } = await h.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('profiles a zoo SqueezeNet and shows its totals and layers', async () => {
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Models' }).click();
    await page.getByTestId('page-models').waitFor();
    await page.getByLabel('Architecture', { exact: true }).selectOption(ZOO);
    await page.getByLabel('resolution', { exact: true }).fill(String(OPTIONS.resolution));
    await page.getByRole('button', { name: 'Profile', exact: true }).click();
    lastRun = await waitForStored(page, lastRun);

    expect(expected.totals.params).toBe(1_235_496);
    expect(await page.getByTestId('total-params').locator('.total-exact').textContent()).toBe(formatCount(expected.totals.params));
    expect(await page.getByTestId('total-macs').locator('.total-exact').textContent()).toBe(formatCount(expected.totals.macs));
    expect(await page.getByTestId('convention').textContent()).toContain('FLOPs = 2 × MACs');
    expect(await page.getByTestId('layer-table').locator('tbody tr').count()).toBe(Math.min(500, expected.nodes.length));
    expect(await page.getByTestId('op-share-chart').locator('g.op-row').count()).toBeGreaterThan(1);
    // Its bars' values in a table under it: one row per bar.
    expect(await chartValues(page, 'op-share-chart')).toHaveLength(await page.getByTestId('op-share-chart').locator('g.op-row').count());
    expect(await page.getByTestId('stored-status').textContent()).toBe(`Stored as run #${lastRun}`);
    expect(h.backend.runs().get(lastRun)?.kind).toBe('profile');
    // Not run: no measured columns.
    expect(await page.getByTestId('layer-table').locator('th[data-col="ms"]').count()).toBe(0);

    // The cost model's prediction, before any run: labelled, a number of ms, with its basis.
    const prediction = page.getByTestId('model-prediction');
    expect(await prediction.locator('h2').textContent()).toBe('Predicted latency on this machine');
    const predicted = (h.backend.runs().get(lastRun)!.result as ProfileResult).predicted;
    expect(predicted, 'the backend predicts before any run').toBeDefined();
    expect(expected.predicted).toBeDefined();
    expect(await prediction.getByTestId('predicted-latency').textContent()).toBe(`${formatMsValue(predicted!.latencyMs)} ms predicted`);
    expect(await prediction.getByTestId('predicted-latency').textContent()).toMatch(/^[\d.]+ ms predicted$/);
    expect(await prediction.getByTestId('prediction-basis').textContent()).toBe(`Basis: ${predicted!.basis}`);
    // The stored benchmark here has ceilings only (no GEMM or memory part): theoretical peaks, said so.
    expect(predicted!.measured).toBe(false);
    expect(await prediction.getByTestId('prediction-theoretical').textContent()).toContain('theoretical peaks');
    expect(await prediction.getByTestId('predicted-measured-chart').count()).toBe(0);
    // A predicted ms per layer, no ratio before a run.
    const table = page.getByTestId('layer-table');
    expect(await table.locator('th[data-col="predicted"]').textContent()).toContain('Predicted ms');
    expect(await table.locator('th[data-col="ratio"]').count()).toBe(0);
    const predictedCells = await table.locator('td[data-col="predicted"]').allTextContents();
    expect(predictedCells.length).toBe(Math.min(500, expected.nodes.length));
    expect(predictedCells.filter((t) => /^[\d.e-]+$/.test(t)).length).toBeGreaterThan(predictedCells.length / 2);
    // Not run: no power readings, so no strip and no Energy card.
    expect(await page.getByTestId('model-progress').locator('svg.power-strip').count()).toBe(0);
    expect(await page.getByTestId('energy').count()).toBe(0);

    // Sorting by FLOPs puts the largest layer first.
    await page.getByTestId('layer-table').getByRole('button', { name: 'FLOPs', exact: true }).click();
    const top = [...expected.nodes].sort((a, b) => b.flops - a.flops)[0]!;
    expect(await page.getByTestId('layer-table').locator('tbody tr').first().locator('td').nth(1).textContent()).toBe(top.name);
  });

  it('profiles and runs it: latency, measured columns, roofline and predictions', async () => {
    await page.getByRole('button', { name: 'Profile and run' }).click();
    lastRun = await waitForStored(page, lastRun);
    expect(await page.getByTestId('latency-median').textContent()).toMatch(/^[\d.]+ ms$/);
    expect(await page.getByTestId('layer-table').locator('th[data-col="ms"]').count()).toBe(1);
    const phases = await page.getByTestId('model-progress').locator('[data-phase]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.phase));
    expect(phases.slice(0, 2)).toEqual(['load', 'count']);
    expect(phases.length).toBeGreaterThan(2);
    expect(await page.getByTestId('roofline-chart').locator('.extra-point').count()).toBeGreaterThan(0);
    const stored = h.backend.runs().get(lastRun)!.result as ProfileResult;
    expect(stored.predicted).toBeDefined();
    expect(stored.check, 'a measured run is checked against the prediction').toBeDefined();
    const check = stored.check!;
    // The profiler's own cost per kernel, measured in the same run, is shown as taken out of the per-layer times.
    expect(stored.measured!.profilerCostUs).toBeGreaterThan(0);
    expect(await page.getByTestId('profiler-cost').textContent()).toBe(`${stored.measured!.profilerCostUs!.toFixed(1)} µs, taken out`);

    // Whole model: measured beside predicted, and their ratio.
    const prediction = page.getByTestId('model-prediction');
    expect(await prediction.locator('h2').textContent()).toBe('Predicted vs measured on this machine');
    expect(await prediction.getByTestId('predicted-latency').textContent()).toMatch(/^[\d.]+ ms predicted$/);
    expect(await prediction.getByTestId('check-measured').textContent()).toBe(`${formatMsValue(check.measuredMs)} ms`);
    expect(await prediction.getByTestId('prediction-ratio').textContent()).toMatch(/^[\d.]+×$/);
    expect(await prediction.getByTestId('close-time-share').textContent()).toMatch(/^\d+(\.\d)?%$/);
    // The old roofline table is replaced by the check.
    expect(await page.getByTestId('prediction-table').count()).toBe(0);

    // Unattributed kernel time is its own small row, and next to nothing.
    const unattributed = prediction.getByTestId('unattributed');
    expect(await unattributed.count()).toBe(1);
    expect(Number(await unattributed.getAttribute('data-share'))).toBeLessThan(0.02);
    expect(check.unattributedShare).toBeLessThan(0.02);

    // Per op class and per kernel (a fused group is one row naming its members).
    expect(await prediction.getByTestId('prediction-by-op').locator('tbody tr[data-op]').count()).toBe(check.byOpType.length);
    const unitRows = prediction.getByTestId('prediction-units').locator('tbody tr');
    expect(await unitRows.count()).toBe(Math.min(20, check.units.length));
    const firstUnit = await unitRows.first().locator('td').allTextContents();
    expect(firstUnit[2]).toMatch(/^[\d.e-]+$/);
    expect(firstUnit[3]).toMatch(/^[\d.e-]+$/);
    const fusedUnits = check.units.filter((u) => u.nodes.length > 1);

    // The chart: one dot per kernel with both times, the diagonal and the 1.5× band.
    const chart = prediction.getByTestId('predicted-measured-chart');
    const drawable = check.units.filter((u) => u.predictedMs > 0 && u.measuredMs > 0).length;
    expect(drawable).toBeGreaterThan(0);
    expect(await chart.locator('svg.predicted-measured-chart circle.unit:not(.swatch)').count()).toBe(drawable);
    expect(await chart.locator('line.identity').count()).toBe(1);
    expect(await chart.locator('polygon.close-band').count()).toBe(1);
    // The same kernels in a table under the chart, opened from the keyboard.
    const kernelValues = await chartValues(page, 'predicted-measured-chart');
    expect(kernelValues).toHaveLength(check.units.length);
    expect(kernelValues.every((cells) => /^[\d.e-]+$/.test(cells[2]!) && /^[\d.e-]+$/.test(cells[3]!))).toBe(true);

    // Per layer: predicted, measured and their ratio; fused layers marked, naming the others.
    const table = page.getByTestId('layer-table');
    for (const col of ['predicted', 'ms', 'ratio']) expect(await table.locator(`th[data-col="${col}"]`).count()).toBe(1);
    const ratios = await table.locator('td[data-col="ratio"]:not([data-fused])').allTextContents();
    expect(ratios.some((t) => /^[\d.]+×$/.test(t))).toBe(true);
    if (fusedUnits.length) {
      const fusedCell = table.locator('td[data-col="ratio"][data-fused="true"]').first();
      expect(await fusedCell.textContent()).toBe('fused');
      expect(await fusedCell.getAttribute('title')).toMatch(/^fused with .+; time split by predicted cost$/);
      expect(await prediction.getByTestId('prediction-units').locator('tr[data-fused="true"]').count()).toBeGreaterThan(0);
    }
    expect(stored.measured?.latencyMs.runs).toBeGreaterThan(0);
    expect(stored.trace).toBeUndefined(); // the timeline is exported, not stored

    // At 1440×900 the layer table fits its card: no sideways scroll, in the table's wrapper or the card.
    await page.setViewportSize({ width: 1440, height: 900 });
    const overflow = () =>
      page.getByTestId('model-layers').evaluate((card) => {
        const wrap = card.querySelector('[data-testid="layer-table"]')!.parentElement!;
        return { card: card.scrollWidth - card.clientWidth, wrap: wrap.scrollWidth - wrap.clientWidth, columns: card.querySelectorAll('thead th').length };
      });
    const fit = await overflow();
    expect(fit.columns).toBeGreaterThanOrEqual(9);
    expect(fit.wrap, 'the layer table scrolls sideways').toBeLessThanOrEqual(1);
    expect(fit.card).toBeLessThanOrEqual(1);
    // The "Columns" toggle shows a hidden column and hides it again.
    await page.getByTestId('layer-columns').locator('summary').click();
    await page.getByTestId('layer-col-macs').check();
    await expect.poll(() => table.locator('th[data-col="macs"]').count()).toBe(1);
    await page.getByTestId('layer-col-macs').uncheck();
    await expect.poll(() => table.locator('th[data-col="macs"]').count()).toBe(0);
    await page.getByTestId('layer-columns').locator('summary').click();
    // Export the per-op timeline: a Chrome trace whose events name the graph's layers.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-trace').click()]);
    const trace = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { traceEvents: { name: string; ph: string }[] };
    const layers = new Set(stored.nodes.map((n) => n.name));
    expect(trace.traceEvents.some((e) => e.ph === 'X' && layers.has(e.name))).toBe(true);
  });

  it('shows the measured run’s energy: the power strip and joules per inference, labelled when estimated', async () => {
    const stored = h.backend.runs().get(lastRun)!.result as ProfileResult;
    const energy = stored.energy;
    expect(energy, 'a measured run carries energy').toBeDefined();
    if (process.platform === 'linux' && !['/sys/class/powercap', '/sys/class/hwmon'].some((d) => fs.existsSync(d))) expect(energy!.estimated).toBe(true);

    const strip = page.getByTestId('model-progress').locator('svg.power-strip');
    await strip.waitFor();
    expect(Number(await strip.getAttribute('data-points'))).toBe(energy!.series.length);
    expect(await strip.getAttribute('class')).not.toContain('live');
    const card = page.getByTestId('energy');
    await card.waitFor();
    expect(await card.getByTestId('energy-joules').textContent()).toMatch(/\d/);
    if (stored.energyEfficiency) {
      expect(await card.getByTestId('energy-per-inference').textContent()).toMatch(/J/);
      // Beside the latency too.
      expect(await page.getByTestId('latency-energy').textContent()).toBe(await card.getByTestId('energy-per-inference').locator('dd').textContent());
    }
    if (energy!.estimated) {
      expect(await strip.locator('.estimate-label').textContent()).toBe('estimated');
      expect(await card.getByTestId('energy-estimated').textContent()).toBe('estimated');
      expect(await card.getByTestId('energy-basis').textContent()).toContain('Estimated, not measured');
      expect(await card.getByTestId('energy-joules').textContent()).toMatch(/\(est\.\)$/);
      if (stored.energyEfficiency) expect(await card.getByTestId('energy-per-inference').textContent()).toMatch(/\(est\.\)$/);
    }
    // The strip is drawn once, under the progress.
    expect(await card.locator('svg.power-strip').count()).toBe(0);
  });

  it('takes a screenshot of the profiled-and-run model', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.getByTestId('model-prediction').screenshot({ path: PREDICTION_SCREENSHOT });
  });

  it('uploads an .onnx file and profiles it', async () => {
    const model = buildZooModel('mlp', {});
    const file = path.join(h.dir, 'tiny-mlp.onnx');
    fs.writeFileSync(file, model.bytes);
    await page.getByRole('radio', { name: 'ONNX file' }).check();
    await page.getByTestId('model-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('upload-status').textContent()).toContain('tiny-mlp.onnx');
    await expect.poll(() => page.getByTestId('upload-status').textContent()).toContain('ready to profile');
    // The file leaves the batch dimension symbolic: the error says so and the page asks for it.
    await page.getByRole('button', { name: 'Profile', exact: true }).click();
    const error = page.getByTestId('error-callout');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toContain('tiny-mlp.onnx');
    const dim = /--dim (\w+)=/.exec((await error.textContent()) ?? '')?.[1];
    expect(dim, 'the error names a dimension').toBeTruthy();
    await expect.poll(() => page.getByLabel('Dimensions').inputValue()).toBe(`${dim}=`);
    expect(await page.getByTestId('dims-hint').textContent()).toContain(dim!);
    expect(await page.getByRole('button', { name: 'Profile', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('Dimensions').fill(`${dim}=2`);
    await page.getByRole('button', { name: 'Profile', exact: true }).click();
    lastRun = await waitForStored(page, lastRun);
    // The job's status and the page's result are two state updates: wait for the result to render.
    await expect.poll(() => page.getByTestId('total-params').locator('.total-exact').textContent()).toBe(formatCount(model.params));
    expect(await page.getByTestId('model-meta').textContent()).toContain(`${dim}=2`);
    expect(await page.getByTestId('model-meta').textContent()).toContain('tiny-mlp.onnx');
  });

  it('names a file that is not ONNX in the error', async () => {
    const file = path.join(h.dir, 'notes.txt');
    fs.writeFileSync(file, 'these are not the weights you are looking for\n');
    await page.getByTestId('model-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('upload-status').textContent()).toContain('notes.txt');
    await expect.poll(() => page.getByTestId('upload-status').textContent()).toContain('ready to profile');
    await page.getByRole('button', { name: 'Profile', exact: true }).click();
    const error = page.getByTestId('error-callout');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toContain('notes.txt');
    expect(await page.getByTestId('run-status').textContent()).toContain('failed');

    // A CSV renamed .onnx: refused with its own name, never the temp upload's random one.
    const csv = path.join(h.dir, 'layers.onnx');
    fs.writeFileSync(csv, 'name,flops\nconv1,118013952\nfc,512000\n');
    await page.getByTestId('model-file').setInputFiles(csv);
    await expect.poll(() => page.getByTestId('upload-status').textContent()).toContain('layers.onnx');
    await expect.poll(() => page.getByTestId('upload-status').textContent()).toContain('ready to profile');
    await page.getByRole('button', { name: 'Profile', exact: true }).click();
    await expect.poll(() => page.getByTestId('error-callout').textContent(), { timeout: 30_000 }).toContain('layers.onnx is not an ONNX model (it looks like a text file)');
    const message = (await page.getByTestId('error-callout').textContent()) ?? '';
    expect(message).not.toMatch(/[A-Za-z0-9_-]{16}-layers\.onnx/);
  });

  it('runs the what-ifs on a zoo MLP: training memory, quantization, 2:4 pruning, activation sparsity', async () => {
    await page.getByRole('radio', { name: 'Built-in architecture' }).check();
    await page.getByLabel('Architecture', { exact: true }).selectOption('mlp');
    await page.getByLabel('Dimensions').fill('');
    await page.getByRole('button', { name: 'Profile', exact: true }).click();
    lastRun = await waitForStored(page, lastRun);

    const whatifs = page.getByTestId('whatifs');
    await whatifs.locator('summary').click();
    const total = () => whatifs.getByTestId('mem-total').locator('dd').textContent();
    const optimizerState = () => whatifs.getByTestId('mem-optimizer').locator('dd').textContent();
    const adam = await total();
    expect(adam).toMatch(/\d/);
    expect(await optimizerState()).not.toBe('0 B');
    await whatifs.getByLabel('Optimizer').selectOption('sgd');
    await expect.poll(optimizerState).toBe('0 B');
    const sgd = await total();
    expect(sgd).not.toBe(adam);
    const forward = await whatifs.getByTestId('train-forward').locator('dd').textContent();
    await whatifs.getByLabel('Batch size').fill('256');
    await expect.poll(total).not.toBe(sgd);
    expect(await whatifs.getByTestId('train-forward').locator('dd').textContent()).not.toBe(forward);
    const chart = whatifs.getByTestId('memory-batch-chart');
    expect(await chart.locator('path.series.plain').count()).toBe(1);
    expect(await chart.locator('path.series.checkpointed').count()).toBe(1);
    await expect.poll(() => chart.locator('g.device-line[data-device="RAM"]').count()).toBe(1);
    expect(await chart.locator('.device-label').first().textContent()).toMatch(/^RAM \d/);

    await whatifs.getByRole('button', { name: 'Quantize weights' }).click();
    lastRun = await waitForStored(page, lastRun);
    const schemes = whatifs.getByTestId('quant-schemes');
    for (const bits of [8, 4]) {
      const rows = schemes.locator(`tbody tr[data-bits="${bits}"]`);
      expect(await rows.count()).toBe(4);
      expect(await rows.first().textContent()).toMatch(/\d+\.\d dB/);
    }
    expect(await whatifs.getByTestId('quant-sizes').locator('td [data-format="int4"]').textContent()).toMatch(/\d/);
    expect(await whatifs.getByTestId('quant-tensors').locator('tbody tr').count()).toBeGreaterThan(0);

    await whatifs.getByLabel('Method').selectOption('2:4');
    expect(await whatifs.locator('#prune-sparsity').isDisabled()).toBe(true);
    await whatifs.getByRole('button', { name: 'Prune', exact: true }).click();
    lastRun = await waitForStored(page, lastRun);
    expect(await whatifs.getByTestId('prune-achieved').locator('dd').textContent()).toBe('50.0%');
    expect(await whatifs.getByTestId('prune-params').locator('dd').textContent()).toContain('→');
    // The quantization report stays next to the pruning one.
    expect(await schemes.locator('tbody tr').count()).toBe(8);
    expect(await whatifs.getByTestId('sparsity-schedule-chart').locator('circle.event').count()).toBe(11);

    await whatifs.getByRole('button', { name: 'Measure activation sparsity' }).click();
    lastRun = await waitForStored(page, lastRun);
    expect(await whatifs.getByTestId('act-overall').locator('dd').textContent()).toMatch(/^\d+\.\d%$/);
    await whatifs.screenshot({ path: WHATIFS_SCREENSHOT });
  });

  it('keeps the measured result beside a what-if: latency and "Export trace" stay, the what-if run is linked to it; a section nav jumps to What-ifs', async () => {
    await page.getByLabel('Architecture', { exact: true }).selectOption('mlp');
    await page.getByRole('button', { name: 'Profile and run' }).click();
    lastRun = await waitForStored(page, lastRun);
    const measuredRun = lastRun;
    const latency = await page.getByTestId('latency-median').textContent();
    expect(latency).toMatch(/^[\d.]+ ms$/);
    await page.getByTestId('export-trace').waitFor();
    const rooflinePoints = await page.getByTestId('roofline-chart').locator('.extra-point').count();

    // The section nav near the top: Summary, Layers, What-ifs, Compare.
    const nav = page.getByRole('navigation', { name: 'Models page sections' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Summary', 'Layers', 'What-ifs', 'Compare']);
    await nav.getByRole('link', { name: 'What-ifs' }).click();
    const whatifs = page.getByTestId('whatifs');
    await expect.poll(() => whatifs.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(200);
    if (!(await whatifs.evaluate((el) => (el as HTMLDetailsElement).open))) await whatifs.locator('summary').click();

    await whatifs.getByRole('button', { name: 'Quantize weights' }).click();
    lastRun = await waitForStored(page, lastRun);
    const whatifRun = lastRun;
    await whatifs.getByTestId('quant-schemes').waitFor();
    // The measured result is still on the page, unchanged: latency, layer roofline, Export trace, its run.
    expect(await page.getByTestId('latency-median').textContent()).toBe(latency);
    expect(await page.getByTestId('export-trace').isVisible()).toBe(true);
    expect(await page.getByTestId('roofline-chart').locator('.extra-point').count()).toBe(rooflinePoints);
    expect(await page.getByTestId('stored-status').textContent()).toBe(`Stored as run #${measuredRun}`);
    expect(await page.getByTestId('layer-table').locator('th[data-col="ms"]').count()).toBe(1);
    // The what-if run is stored linked to the measured one, and says so in its section.
    expect(h.backend.runs().get(whatifRun)!.params).toMatchObject({ parentRunId: measuredRun, whatifs: ['quantize'] });
    expect(await whatifs.getByTestId('whatif-runs').textContent()).toBe(`quantize: stored as run #${whatifRun}, a what-if of run #${measuredRun}`);
    // No two text labels of a chart in the section overlap (the training-memory chart among them).
    const overlaps = await whatifs.evaluate((root) => {
      const out: string[] = [];
      let charts = 0;
      for (const svg of root.querySelectorAll('svg')) {
        const boxes = [...svg.querySelectorAll('text')].map((t) => ({ t: t.textContent ?? '', r: t.getBoundingClientRect() })).filter((b) => b.r.width > 0 && b.t.trim());
        if (boxes.length) charts++;
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i]!.r;
            const b = boxes[j]!.r;
            if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) out.push(`${boxes[i]!.t} × ${boxes[j]!.t}`);
          }
      }
      return { charts, out };
    });
    expect(overlaps.charts).toBeGreaterThan(0);
    expect(overlaps.out).toEqual([]);

    // History shows the what-if run with a link to the measured run it came from.
    await page.evaluate((id) => {
      location.hash = `#/history/run/${id}`;
    }, whatifRun);
    const origin = page.getByTestId('whatif-origin');
    await origin.waitFor();
    expect(await origin.textContent()).toBe(`A what-if (quantize) of run #${measuredRun}, the measured profile it was asked from.`);
    expect(await origin.getByRole('link').getAttribute('href')).toBe(`#/history/run/${measuredRun}`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Models' }).click();
    await page.getByTestId('model-compare').waitFor();
    // Back on the page, the measured result is still the one shown.
    expect(await page.getByTestId('latency-median').textContent()).toBe(latency);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('compares MobileNetV2 and ResNet-18 and matches ResNet-18\'s FLOPs to the first, storing nothing', async () => {
    const storedBefore = h.backend.runs().list({ kind: 'profile' }).length;
    const compare = page.getByTestId('model-compare');
    await compare.getByLabel('Architecture 1', { exact: true }).selectOption('mobilenet-v2');
    await compare.getByLabel('Architecture 1: resolution', { exact: true }).fill('128');
    await compare.getByLabel('Architecture 2', { exact: true }).selectOption('resnet18');
    await compare.getByLabel('Architecture 2: resolution', { exact: true }).fill('64');
    expect(await compare.getByTestId('compare-slot-2').getByTestId('compare-scaling').textContent()).toContain('resolution');

    await compare.getByRole('button', { name: 'Compare', exact: true }).click();
    const table = compare.getByTestId('compare-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 20_000 }).toBe(2);
    const macs = async (row: number) => Number(await table.locator(`tbody tr[data-row="${row}"] td[data-col="macs"]`).getAttribute('data-value'));
    expect(await table.locator('tbody tr[data-row="1"]').getAttribute('data-zoo')).toBe('mobilenet-v2');
    expect(await table.locator('tbody tr[data-row="2"] td[data-col="macs-per-param"]').textContent()).toMatch(/^\d+\.\d$/);
    expect(await macs(2)).toBeGreaterThan((await macs(1)) * 1.25);

    await compare.getByRole('button', { name: 'Match FLOPs to the first' }).click();
    const matched = table.locator('tbody tr[data-row="2"] td[data-col="matched"]');
    await matched.waitFor({ timeout: 25_000 });
    const resolution = Number(/^resolution = (\d+)$/.exec((await matched.textContent()) ?? '')?.[1]);
    // ResNet-18's MACs step with ceil(R / 32); at MobileNetV2 128 a resolution in between matches.
    expect(resolution).toBeGreaterThan(32);
    expect(resolution).toBeLessThan(64);
    const ratio = (await macs(2)) / (await macs(1));
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
    expect(await table.locator('tbody tr[data-row="2"] td[data-col="macs-ratio"]').textContent()).toBe(`${ratio.toFixed(3)}×`);
    expect(await compare.getByLabel('Architecture 2: resolution', { exact: true }).inputValue()).toBe(String(resolution));
    expect(h.backend.runs().list({ kind: 'profile' }).length).toBe(storedBefore);
  }, 30_000);

  it('logged no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
