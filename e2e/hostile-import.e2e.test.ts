/**
 * Hostile but correctly signed bundles through the page (serve mode, headless Chromium): each of
 * the issue's bundles (a fit whose result is {"name":"x"}, a machine record of only id and
 * hostname, an RFC 2822 date, params nested 2,000 deep, a lone surrogate in a note) is refused
 * with INVALID_REQUEST naming the field, and nothing is stored; a bundle that is valid but carries
 * implausible numbers (a benchmark of -1 s and 1e307 J, a plan of 2.8e301 kWh) is imported and
 * flagged wherever those numbers are shown. Afterwards every page opens without a page error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Bundle, BundleRun } from '../src-shared/history/bundle.js';
import { BUILTIN_FITS } from '../src-shared/planner/fits.js';
import { makePlan } from '../src-shared/planner/plan.js';
import { benchResultWithEnergy } from '../src-shared/reports/test-runs.js';
import { signBundle } from '../src-main/services/history/bundles.js';
import { sampleReport } from '../src-main/testing/fixtures.js';
import { startHarness, type Harness } from './harness.js';
import { SECTIONS as SIDEBAR } from '../src-renderer/routing.js';

// Every section the sidebar has (src-renderer/routing.ts): a new page is visited without a line here.
const SECTIONS = SIDEBAR.map((s) => [s.id, s.label] as const);

const machine = sampleReport('e2e-hostile-0001', 'elsewhere');
let uidCounter = 0;
function run(overrides: Partial<BundleRun>): BundleRun {
  return {
    uid: `00000000-0000-4000-8000-${String(++uidCounter).padStart(12, '0')}`,
    kind: 'bench',
    machineId: machine.machine.id,
    appVersion: '0.1.0',
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    params: { suite: 'all', quick: true },
    result: benchResultWithEnergy(1, 'measured'),
    tags: [],
    note: '',
    ...overrides,
  };
}
function bundle(runs: BundleRun[], machines: unknown[] = [machine]): string {
  return JSON.stringify(signBundle({ format: 'flopscope-bundle', schemaVersion: 1, createdAt: new Date().toISOString(), appVersion: '0.1.0', machines: machines as Bundle['machines'], runs }));
}
function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('hostile bundles through the History page', () => {
  let h: Harness;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    h = await startHarness();
    ({ page, problems } = await h.newPage());
  });

  afterAll(async () => {
    await h?.close();
  });

  const importFile = async (name: string, text: string) => {
    await page.getByTestId('bundle-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  };

  it('refuses each hostile bundle, naming the field, and stores nothing', async () => {
    await page.goto(h.server.launchUrl);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'History' }).click();
    await page.getByTestId('page-history').waitFor();
    const cases: Array<[string, string, RegExp]> = [
      ['fit-name-x.json', bundle([run({ kind: 'fit', params: { name: 'x', runs: [] }, result: { name: 'x' } })]), /runs\.0\.result\.law: missing/],
      ['machine-id-hostname.json', bundle([run({})], [{ machine: { id: machine.machine.id, hostname: 'h' } }]), /machines\.0\.machine\.os: missing/],
      ['rfc2822-date.json', bundle([run({ createdAt: 'Tue, 01 Jan 1970 00:00:00 GMT' })]), /runs\.0\.createdAt: expected an ISO-8601 date-time/],
      ['deep-params.json', bundle([run({ params: deep(2_000) })]), /runs\.0\.params(\.a)+: nested deeper than 64 levels/],
      ['lone-surrogate.json', bundle([run({ note: 'x\ud800y' })]), /runs\.0\.note: contains a lone UTF-16 surrogate/],
    ];
    for (const [name, text, issue] of cases) {
      const before = problems.length;
      await importFile(name, text);
      const callout = page.getByTestId('error-callout').first();
      await expect.poll(async () => ((await callout.count()) ? await callout.textContent() : ''), { message: name }).toMatch(issue);
      expect(await callout.locator('.error-code').textContent()).toBe('INVALID_REQUEST');
      // The API answers a refused import with HTTP 400, which Chromium logs as a failed load: expected here.
      const logged = problems.splice(before);
      expect(logged.every((p) => /status of 400/.test(p)), logged.join('\n')).toBe(true);
    }
    expect(h.backend.runs().list()).toEqual([]);
    expect(h.backend.db().prepare('SELECT count(*) AS n FROM machines').get()).toEqual({ n: 0 });
  });

  it('imports a valid bundle with implausible numbers and flags them where they are shown', async () => {
    const bench = { ...benchResultWithEnergy(1, 'measured'), elapsedSeconds: -1 };
    bench.energy = { ...bench.energy!, joules: 1e307 };
    const planResult = makePlan({ fit: BUILTIN_FITS['chinchilla-3'], budget: { kind: 'flops', flops: 1e22 } });
    const plan = { ...planResult, energy: { kwh: 2.8e301, itKwh: 1, overheadKwh: 1, co2Kg: 1, deviceWatts: 700, wattsSource: 'catalog TDP', wattsBasis: 'e2e', deviceSeconds: 1, flopsPerJoule: 1, pue: 1.56, gridGPerKwh: 481, basis: 'e2e' } };
    await importFile('implausible.json', bundle([run({ result: bench }), run({ kind: 'plan', params: { fit: 'chinchilla-3' }, result: plan, createdAt: new Date(Date.now() - 120_000).toISOString() })]));
    await expect.poll(() => page.getByTestId('history-notice').textContent()).toMatch(/Imported 2 runs from implausible.json/);
    const [benchRun] = h.backend.runs().list({ kind: 'bench' });
    const row = page.locator(`tr[data-run-id="${benchRun!.id}"]`);
    await row.getByTestId('run-implausible').waitFor();
    expect(await row.getByTestId('run-time').textContent()).toMatch(/^-1\.0 s/);
    expect(await row.getByTestId('run-implausible').getAttribute('title')).toMatch(/elapsedSeconds is -1 s: outside the range/);
    await row.click();
    const detail = page.getByTestId('run-detail');
    await expect.poll(() => detail.getByTestId('warnings').first().textContent()).toMatch(/energy\.joules is 1\.00e\+307 J/);
    await detail.getByRole('button', { name: 'Close run details' }).click();
    // The report of the plan says its energy is implausible before anything else.
    const [planRun] = h.backend.runs().list({ kind: 'plan' });
    const report = await h.backend.dispatch('reports.render', { ids: [planRun!.id], format: 'md' });
    expect(report.ok && (report.value as { content: string }).content).toMatch(/Values outside their plausible range[\s\S]*energy\.kwh is 2\.80e\+301 kWh/);
  });

  it('opens every page afterwards without a page error; the Benchmarks page warns about its latest run', async () => {
    const nav = page.getByRole('navigation', { name: 'Sections' });
    for (const [id, label] of SECTIONS) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await page.getByTestId(`page-${id}`).waitFor();
      expect(await page.getByTestId(`page-${id}`).getByRole('heading', { level: 1 }).textContent()).toBe(label);
      if (id === 'benchmarks') {
        await page.getByTestId('bench-results').waitFor();
        await expect.poll(() => page.getByTestId('bench-results').textContent()).toMatch(/Values outside their plausible range[\s\S]*elapsedSeconds is -1 s/);
      }
    }
    expect(await page.getByTestId('error-callout').count()).toBe(0);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
