/**
 * History end to end (Node side driving headless Chromium): a bundle with benchmark runs from two
 * machines is imported through the page (importing it again adds nothing), the two runs are
 * compared side by side with ratios (energy too: one run stored before energy was measured, one
 * with an estimate, labelled so), the comparison is exported as HTML (self-contained) and PDF,
 * the table shows each run's time and energy ("(est.)" for the estimate, "—" for the old run),
 * a run gets tags and a note, and a delete is undone. Nothing may log an error along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createInProcessClient } from '../src-main/core/backend.js';
import type { FlopscopeClient } from '../src-shared/api/contract.js';
import type { HardwareReport } from '../src-shared/api/types.js';
import { buildRoofline } from '../src-shared/bench/roofline.js';
import { estimatedBenchEnergy } from '../src-shared/reports/test-runs.js';
import { startHarness, type Harness } from './harness.js';

describe('History page in Chromium', () => {
  let h: Harness;
  let client: FlopscopeClient;
  let page: Page;
  let problems: string[];
  let bundleText: string;

  beforeAll(async () => {
    h = await startHarness();
    client = createInProcessClient(h.backend);
    // Two machines' benchmark runs, exported as a bundle and then removed, as if from elsewhere.
    const here = await h.backend.hardware();
    const machine = (id: string, hostname: string): HardwareReport => ({ ...here, machine: { ...here.machine, id, hostname } });
    const bench = (fp32: number, dram: number) => ({
      suite: 'all',
      quick: true,
      threads: 2,
      elapsedSeconds: 1,
      warnings: [],
      // Whole results: an import checks every bench result against the bench schema (src-shared/runs/schemas.ts).
      gemm: { results: [], best: { fp32 }, unsupported: [] },
      memory: { threads: 2, arrayBytes: 64e6, copyGBs: dram, scaleGBs: dram, addGBs: dram, triadGBs: dram, levels: [{ name: 'DRAM', bytes: 1e9, GBs: dram }], sweep: [] },
      roofline: buildRoofline({ measuredCompute: { fp32 }, measuredBandwidth: { DRAM: dram } }),
    });
    // The laptop's run predates energy; the server's has an estimate (no power sensor readable there).
    const a = h.backend.runs().insert({ kind: 'bench', machine: machine('aaaaaaaaaaaaaaaa', 'laptop'), appVersion: 'e2e', params: { suite: 'gemm' }, result: bench(200, 20) });
    const b = h.backend.runs().insert({
      kind: 'bench',
      machine: machine('bbbbbbbbbbbbbbbb', 'gpu-server'),
      appVersion: 'e2e',
      params: { suite: 'gemm' },
      result: { ...bench(800, 100), elapsedSeconds: 12.5, energy: estimatedBenchEnergy(1), energyEfficiency: { gemmGflopsPerJoule: { fp32: 6.27 }, streamGBPerJoule: null } },
    });
    bundleText = JSON.stringify(await client.call('runs.export', { ids: [a, b] }));
    h.backend.runs().delete(a);
    h.backend.runs().delete(b);
    ({ page, problems } = await h.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('imports a bundle from two machines, once', async () => {
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'History' }).click();
    await page.getByTestId('page-history').waitFor();
    await page.getByTestId('bundle-file').setInputFiles({ name: 'cluster.json', mimeType: 'application/json', buffer: Buffer.from(bundleText) });
    await expect.poll(() => page.getByTestId('history-notice').textContent()).toMatch(/Imported 2 runs from cluster.json/);
    await expect.poll(() => page.getByTestId('runs-table').locator('tbody tr').count()).toBe(2);
    await page.getByTestId('bundle-file').setInputFiles({ name: 'cluster-again.json', mimeType: 'application/json', buffer: Buffer.from(bundleText) });
    await expect.poll(() => page.getByTestId('history-notice').textContent()).toMatch(/Imported 0 runs from cluster-again.json \(2 already here\)/);
    expect(await page.getByTestId('runs-table').locator('tbody tr').count()).toBe(2);
  });

  it('shows each run’s time and energy beside it, the estimate labelled', async () => {
    const [newest, oldest] = await client.call('runs.list', { kind: 'bench' });
    const cells = async (id: number) => {
      const row = page.locator(`tr[data-run-id="${id}"]`);
      await expect.poll(() => row.getByTestId('run-energy').count()).toBe(1);
      return { time: await row.getByTestId('run-time').textContent(), energy: row.getByTestId('run-energy') };
    };
    const server = await cells(newest!.id);
    expect(server.time).toBe('12.5 s');
    // Each row says what the run was: the benchmark's suite (its kind's subject), as runs.list has it.
    expect(await page.locator(`tr[data-run-id="${newest!.id}"]`).getByTestId('run-subject').textContent()).toBe(newest!.subject);
    expect(newest!.subject).toMatch(/suite/);
    expect(await server.energy.textContent()).toBe('1.27 kJ (est.)');
    expect(await server.energy.getAttribute('data-estimated')).toBe('true');
    expect(await server.energy.getAttribute('title')).toContain('basis: AMD EPYC 7B13 Test CPU');
    const laptop = await cells(oldest!.id);
    expect(laptop.time).toBe('1.0 s');
    expect(await laptop.energy.textContent()).toBe('—');
    expect(await laptop.energy.getAttribute('title')).toBe('not measured (run predates energy)');
    expect(await page.getByTestId('runs-table').locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['Time', 'Energy']));

    // The selected run opens in the Benchmarks page's view: its Energy card with the power strip, estimate labelled.
    await page.locator(`tr[data-run-id="${newest!.id}"]`).click();
    const detail = page.getByTestId('run-view').getByTestId('energy');
    await detail.waitFor();
    expect(await detail.getAttribute('data-estimated')).toBe('true');
    expect(await detail.textContent()).toContain('estimated');
    expect(await detail.locator('svg.power-strip.estimated').count()).toBe(1);
    await page.getByTestId('run-detail').getByRole('button', { name: 'Close run details' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/history');
  });

  it('compares the two runs side by side and exports the comparison as HTML and PDF', async () => {
    const ids = (await client.call('runs.list', { kind: 'bench' })).map((r) => r.id).sort((x, y) => x - y);
    for (const id of ids) await page.getByTestId(`pick-${id}`).check();
    await page.getByTestId('compare-button').click();
    const table = page.getByTestId('compare-panel').getByTestId('comparison-table').first();
    await table.waitFor();
    expect(await table.textContent()).toMatch(/800\.0 GFLOP\/s \(×4\)/);
    expect(await table.textContent()).toMatch(/100 GB\/s \(×5\)/);
    // Energy beside time: the old run has none, the estimate says so.
    const energyRow = table.locator('tbody tr', { hasText: /^Energy/ }).first();
    expect(await energyRow.locator('td').allTextContents()).toEqual(['Energy (J)', '—', '1.27 kJ (est.)']);
    expect(await table.locator('tbody tr', { hasText: /^Average power/ }).locator('td').last().textContent()).toMatch(/W \(est\.\)$/);
    expect(await table.locator('tbody tr', { hasText: /^fp32 GEMM per joule/ }).locator('td').last().textContent()).toBe('6.27 GFLOP/J (est.)');
    await page.screenshot({ path: '/tmp/flopscope-history.png', fullPage: true });
    expect(await page.getByTestId('compare-panel').locator('svg').count()).toBeGreaterThan(0);

    const [html] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-panel').getByTestId('export-html').click()]);
    const htmlText = await (await html.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    expect(html.suggestedFilename()).toMatch(/comparison.*\.html$/);
    expect(htmlText).toContain('<svg');
    expect(htmlText).toMatch(/laptop/);
    expect(htmlText).toMatch(/gpu-server/);
    expect(htmlText).not.toMatch(/https?:\/\//);
    expect(htmlText).toContain('<svg class="power-strip estimated"');
    expect(htmlText).toContain('not measured (run predates energy)');

    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('compare-panel').getByTestId('export-pdf').click()]);
    const pdfBytes = await (await pdf.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks));
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('tags a run, deletes it and undoes the delete', async () => {
    const [first] = await client.call('runs.list', { kind: 'bench' });
    await page.locator(`tr[data-run-id="${first!.id}"]`).click();
    await page.getByTestId('run-tags').fill('cluster, node-7');
    await page.getByTestId('run-note').fill('after the BIOS update');
    await page.getByTestId('run-save-meta').click();
    await expect.poll(async () => (await client.call('runs.get', { id: first!.id })).tags).toEqual(['cluster', 'node-7']);
    await page.getByTestId('run-detail').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByTestId('run-detail').getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(() => page.getByTestId('runs-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('history-undo').click();
    await expect.poll(() => page.getByTestId('runs-table').locator('tbody tr').count()).toBe(2);
    expect((await client.call('runs.get', { id: first!.id })).note).toBe('after the BIOS update');
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('imports bundles larger than a JSON request body (upload, then import by id)', async () => {
    // 1.1 MB (over the old 1 MiB body limit) and about 18 MB (over the 16 MiB JSON limit).
    const here = await h.backend.hardware();
    const other = (id: string) => ({ ...here, machine: { ...here.machine, id, hostname: `big-${id.slice(0, 4)}` } });
    const bundleOf = async (machineId: string, samples: number) => {
      const values = Array.from({ length: samples }, (_, i) => 100_000 + i * 1.5);
      const ids = [1, 2].map((i) => h.backend.runs().insert({ kind: 'hardware', machine: other(machineId), appVersion: 'e2e', params: { i }, result: { ...other(machineId), samples: values } }));
      const text = JSON.stringify(await client.call('runs.export', { ids }));
      for (const id of ids) h.backend.runs().delete(id);
      return text;
    };
    const big = await bundleOf('cccccccccccccccc', 80_000);
    expect(big.length).toBeGreaterThan(1.1e6);
    await page.getByTestId('bundle-file').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(big) });
    await expect.poll(() => page.getByTestId('history-notice').textContent()).toMatch(/Imported 2 runs from big.json/);
    const huge = await bundleOf('dddddddddddddddd', 1_000_000);
    expect(huge.length).toBeGreaterThan(16 * 2 ** 20);
    await page.getByTestId('bundle-file').setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.from(huge) });
    await expect.poll(() => page.getByTestId('history-notice').textContent(), { timeout: 30_000 }).toMatch(/Imported 2 runs from huge.json/);
    expect(await page.getByTestId('page-history').textContent()).not.toMatch(/Cannot reach/);
  });
});
