/**
 * The served app end to end (Node side driving headless Chromium): the Hardware page shows this
 * machine (caches with their source, the OS and measured clocks, the clock the peaks used, all
 * compared with what hardware.detect returned in the same run), Save to history stores a run that History lists, every section is reachable from the
 * sidebar, the token leaves the address bar, a page without the token says how to get in, and
 * nothing logs an error or violates the CSP along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { HardwareReport } from '../src-shared/api/types.js';
import { createInProcessClient } from '../src-main/core/backend.js';
import { describeCaches, describeMeasuredClock, describeOsClock, describePeakClock, describeL3Groups, formatBytes } from '../src-shared/hardware/format.js';
import { basisText } from '../src-shared/energy/format.js';
import { simdIsaFlags } from '../src-renderer/hardware-state.js';
import { startHarness, watchPageProblems, type Harness } from './harness.js';
import { sidewaysAtSizes, unstyledControls } from './ui-checks.js';
import { SECTIONS as SIDEBAR } from '../src-renderer/routing.js';

// Every section the sidebar has (src-renderer/routing.ts): a new page is visited without a line here.
const SECTIONS = SIDEBAR.map((s) => [s.id, s.label] as const);

const SCREENSHOT = '/tmp/flopscope-hardware.png';

describe('flopscope serve in Chromium', () => {
  let h: Harness;
  let page: Page;
  let problems: string[];
  let report: HardwareReport;
  let savedRunId: number;

  beforeAll(async () => {
    h = await startHarness();
    // The backend's own report of this machine: what the page must show, whatever the host.
    report = await h.backend.hardware();
    ({ page, problems } = await h.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  it('shows this machine on the Hardware page', async () => {
    await page.goto(h.server.launchUrl);
    await page.getByTestId('page-hardware').waitFor();
    await expect.poll(() => page.getByTestId('cpu-model').textContent()).toBe(report.cpu.model);
    expect(await page.getByTestId('cpu-physical-cores').textContent()).toBe(String(report.cpu.physicalCores));
    expect(await page.getByTestId('cpu-logical-cores').textContent()).toBe(String(report.cpu.logicalCores));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hardware');
    await expect.poll(() => page.locator('nav a[aria-current="page"]').textContent()).toBe('Hardware');
  });

  it('shows the caches with their source and the measured clock beside the OS clock, as hardware.detect reported them', async () => {
    // What hardware.detect returns in this test (same process, cached): the page must show the same.
    const detected = await createInProcessClient(h.backend).call('hardware.detect', {});
    const { cpu } = detected;
    const caches = page.getByTestId('cpu-caches');
    await expect.poll(() => caches.textContent()).toContain(describeCaches(cpu));
    const cacheText = (await caches.textContent())!;
    expect(cacheText).toContain(`L1d ${formatBytes(cpu.caches.l1dBytes)}`);
    expect(cacheText).toContain(`L2 ${formatBytes(cpu.caches.l2Bytes)} per core`);
    if (cpu.l3Groups?.length) expect(cacheText).toContain(`L3 ${describeL3Groups(cpu.l3Groups)}`);
    else expect(cacheText).toContain(`L3 ${formatBytes(cpu.caches.l3Bytes)}`);
    expect(await page.getByTestId('cpu-cache-source').textContent()).toBe(cpu.cacheSource ? `from ${cpu.cacheSource}` : 'source not recorded');

    expect(await page.getByTestId('cpu-os-clock').textContent()).toBe(`OS: ${describeOsClock(cpu)}`);
    const measured = page.getByTestId('cpu-measured-clock');
    const mc = cpu.measuredClock;
    if (mc) {
      // The measured figure and thread count as detect returned them; the method in the tooltip and the note.
      expect(await measured.textContent()).toBe(describeMeasuredClock(mc));
      expect(await measured.textContent()).toContain(`${Number(mc.ghz.toFixed(3))} GHz (${mc.threads} threads`);
      expect(await measured.getAttribute('title')).toContain(mc.method);
      expect(await page.getByTestId('cpu-peak-clock').textContent()).toContain(mc.method);
    } else {
      expect(await measured.textContent()).toMatch(/not measured|no measured clock/);
    }
    const used = describePeakClock(detected);
    expect(await page.getByTestId('cpu-peak-clock').textContent()).toContain(used ? `CPU peaks use the ${used}.` : 'No CPU peak was computed');
    // The CPU peaks' basis names the same clock the page says they used.
    const cpuPeak = detected.peaks.find((p) => p.device === 'cpu');
    if (cpuPeak && used) expect(cpuPeak.basis.includes('measured all-core clock')).toBe(used.startsWith('measured'));
  });

  it('shows each peak with the basis it was computed from', async () => {
    expect(report.peaks.length).toBeGreaterThan(0);
    const rows = page.getByTestId('peaks-table').locator('tbody tr');
    // The shared table shows 20 rows, then a "Show all N" button.
    if (report.peaks.length > 20) {
      expect(await rows.count()).toBe(20);
      await page.getByTestId('peaks-table-more').click();
    }
    expect(await rows.count()).toBe(report.peaks.length);
    const first = report.peaks[0]!;
    const row = rows.filter({ hasText: first.basis }).first();
    expect(await row.locator('td').nth(0).textContent()).toBe(first.device);
    expect(await row.locator('td').nth(1).textContent()).toBe(first.dtype);
    expect(await row.locator('.basis').isVisible()).toBe(true);
    // One chart bar per peak.
    expect(await page.getByTestId('peaks-chart').locator('rect.bar').count()).toBe(report.peaks.length);
    if (report.warnings.length) expect(await page.getByTestId('warnings').isVisible()).toBe(true);
  });

  it('lists the power sensors a run would read, and why the others are not available', async () => {
    const found = await createInProcessClient(h.backend).call('energy.sources', {});
    const card = page.getByTestId('power-sensors');
    await card.getByTestId('power-summary').waitFor();
    const measured = found.channels.filter((c) => c.source !== 'estimate');
    if (measured.length) expect(await card.getByTestId('power-channels').locator('tbody tr').count()).toBe(measured.length);
    else expect(await card.getByTestId('power-summary').textContent()).toMatch(/No power sensor is readable on this machine/);
    expect(await card.getByTestId('power-unavailable').locator('li').allTextContents()).toEqual(found.unavailable);
    if (!found.cpuMeasured) expect(await card.getByTestId('power-summary').textContent()).toContain(basisText(found.estimateBasis));
    // "estimated" is said once, never "estimated: estimated:".
    expect(await page.getByTestId('page-hardware').textContent()).not.toMatch(/estimated\W+estimated/i);
  });

  it('lists only SIMD and matrix ISA extensions (no smep, aes, …)', async () => {
    const expected = simdIsaFlags(report.cpu.isa);
    if (expected.length === 0) return expect(await page.getByTestId('isa').count()).toBe(0);
    const chips = (await page.getByTestId('isa').locator('li').allTextContents()).map((t) => t.trim());
    expect(chips).toEqual(expected);
    for (const c of chips) expect(c).toMatch(/^(mmx|3dnow|sse|ssse3|avx|fma|f16c|xop|amx|neon|asimd|sve|sme|i8mm|bf16|fp16|fphp|dotprod)/i);
    expect(chips).not.toContain('smep');
  });

  it('uses the shared table and no card scrolls sideways at 1024×700 or 1440×900', async () => {
    expect(await page.getByTestId('peaks-table').getAttribute('data-ui')).toBe('table');
    expect(await unstyledControls(page)).toEqual([]);
    expect(await sidewaysAtSizes(page)).toEqual([]);
  });

  it('removes the token from the address bar', () => {
    expect(page.url()).not.toContain('token');
    expect(page.url()).not.toContain(h.server.token);
  });

  it('takes a screenshot of the Hardware page', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('saves the report to history', async () => {
    await page.getByRole('button', { name: 'Save to history' }).click();
    const status = page.getByTestId('save-status');
    await status.waitFor();
    const match = /Saved as run #(\d+)/.exec((await status.textContent()) ?? '');
    expect(match).not.toBeNull();
    savedRunId = Number(match![1]);
    expect(h.backend.runs().get(savedRunId)?.kind).toBe('hardware');
  });

  it('reaches every section from the sidebar', async () => {
    const nav = page.getByRole('navigation', { name: 'Sections' });
    for (const [id, label] of SECTIONS) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await page.getByTestId(`page-${id}`).waitFor();
      expect(await page.getByTestId(`page-${id}`).getByRole('heading', { level: 1 }).textContent()).toBe(label);
      expect(await nav.locator('a[aria-current="page"]').textContent()).toBe(label);
      expect(new URL(page.url()).hash).toBe(`#/${id}`);
    }
  });

  it('lists the saved run in History and opens it in the Hardware page’s view, its JSON behind Raw', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'History' }).click();
    const row = page.locator(`tr[data-run-id="${savedRunId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(report.machine.hostname);
    expect(await row.textContent()).toContain('hardware');
    await row.getByRole('button', { name: `Show run ${savedRunId}` }).click();
    const detail = page.getByTestId('run-detail');
    await detail.getByTestId('peaks-table').waitFor();
    expect(await detail.locator('pre').count()).toBe(0);
    await detail.getByRole('button', { name: 'Raw' }).click();
    await expect.poll(() => detail.locator('pre').textContent()).toContain('"kind": "hardware"');
  });

  it('keeps working after a reload (token kept in sessionStorage)', async () => {
    await page.reload();
    await page.getByTestId('page-history').waitFor();
    await page.locator(`tr[data-run-id="${savedRunId}"]`).waitFor();
  });

  it('deletes a run after confirmation', async () => {
    await page.locator(`tr[data-run-id="${savedRunId}"]`).click();
    const detail = page.getByTestId('run-detail');
    await detail.getByRole('button', { name: 'Delete' }).click();
    await detail.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByText(`Deleted run #${savedRunId}`).waitFor();
    await page.getByText('No runs yet — save a hardware report or run a benchmark').waitFor();
    expect(h.backend.runs().get(savedRunId)).toBeNull();
  });

  it('tells a page without the token where to get it', async () => {
    const bare = await h.browser.newContext();
    try {
      const other = await bare.newPage();
      const otherProblems = await watchPageProblems(other);
      await other.goto(h.server.url);
      const gate = other.getByTestId('missing-token');
      await gate.waitFor();
      expect(await gate.textContent()).toContain('Open the URL that flopscope serve printed (it carries the access token)');
      expect(otherProblems).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it('logged no console errors, page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
