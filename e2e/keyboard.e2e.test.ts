/**
 * Keyboard only, end to end: each page's main job is reached and done with Tab, Shift+Tab, Enter,
 * Space and the arrow keys alone — no mouse, no typing, no programmatic focus — starting from the
 * sidebar (and the skip link first): Hardware (save the detected report to history), Benchmarks
 * (pick the Memory suite with the arrow keys, run it quick), Planner (move the budget with the slider's arrow keys and see the plan follow),
 * Transformers (toggle a variant and see the sweep redrawn), Models (pick the zoo MLP with the
 * arrow keys, press Profile, see the profile), LLMs (pick a well-known model, see its estimate),
 * History (pick two runs with Space, compare them with Enter). After every step focus must sit on a
 * sensible, visible control — never fall back to <body>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';
import { PAGES, seedRuns, settle } from './pages.js';
import type { SectionId } from '../src-renderer/routing.js';

/** What has focus, in terms a failure message can show. */
interface Focused {
  tag: string;
  testId: string | null;
  id: string;
  type: string | null;
  role: string | null;
  /** The label, aria-label or text the element is known by. */
  name: string;
  /** data-testid of the nearest ancestor that has one. */
  within: string | null;
  value: string | null;
  visible: boolean;
  /** Wholly inside the viewport (a skip link parked off-screen until focused must come in). */
  onScreen: boolean;
}

async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return null;
    const labelled = (el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      testId: el.getAttribute('data-testid'),
      id: el.id,
      type: el.getAttribute('type'),
      role: el.getAttribute('role'),
      name: labelled.trim().replace(/\s+/g, ' ').slice(0, 80),
      within: el.parentElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null,
      value: 'value' in el ? String((el as HTMLInputElement).value) : null,
      visible: el.checkVisibility() && r.width > 0 && r.height > 0,
      onScreen: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
    };
  });
}

const show = (f: Focused | null) => (f ? `<${f.tag}${f.testId ? ` data-testid="${f.testId}"` : ''}${f.id ? ` id="${f.id}"` : ''}> "${f.name}" in ${f.within ?? '—'}` : '<body>');

/** Presses Tab (or Shift+Tab) until the focused element matches; fails naming what was visited. */
async function tabTo(page: Page, what: string, match: (f: Focused) => boolean, { max = 120, back = false } = {}): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && match(f)) return f;
    seen.push(show(f));
  }
  throw new Error(`${what} not reached in ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}; focus went through:\n  ${seen.slice(0, 60).join('\n  ')}`);
}

/** Focus must sit on a visible element other than <body> after a step. */
async function expectSensibleFocus(page: Page, after: string): Promise<Focused> {
  const f = await focused(page);
  expect(f, `after ${after}, focus fell back to <body>`).not.toBeNull();
  expect(f!.visible, `after ${after}, focus is on a hidden element: ${show(f)}`).toBe(true);
  return f!;
}

/**
 * Walks Tab stops from the current focus (at most `max`, each stop once; with `until`, up to the
 * first stop inside that selector). For each, the look of the element and its two nearest
 * ancestors (a wrapper may draw the ring through :focus-within) while focused is compared with
 * their look once focus has moved on: outline, box-shadow, border or background (for an SVG mark:
 * stroke, fill or opacity) must differ, or
 * keyboard users cannot see where they are. Returns the stops walked and those that showed nothing.
 */
async function walkTabStops(page: Page, { max, until }: { max: number; until?: string }): Promise<{ stops: number; unseen: string[] }> {
  await page.evaluate(() => {
    const w = window as unknown as { __kb: { prev: Element | null; snap: string; unseen: string[]; seen: Set<Element> } };
    w.__kb = { prev: null, snap: '', unseen: [], seen: new Set() };
  });
  const step = () =>
    page.evaluate((stopInside) => {
      const w = window as unknown as { __kb: { prev: Element | null; snap: string; unseen: string[]; seen: Set<Element> } };
      const look = (el: Element) =>
        [el, el.parentElement, el.parentElement?.parentElement]
          .filter((e): e is HTMLElement => !!e)
          .map((e) => {
            const s = getComputedStyle(e);
            // SVG marks show focus through stroke, fill or opacity rather than an outline.
            return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor, s.textDecorationLine, s.stroke, s.strokeWidth, s.fill, s.opacity].join(' ');
          })
          .join(' | ');
      const kb = w.__kb;
      const now = document.activeElement;
      // Tab moving inside one control (a date input's month, day and year) is not a new stop.
      if (now && now === kb.prev) return true;
      // A tabindex=-1 target (the page's <h1>, focused after navigation) is not a Tab stop.
      if (kb.prev && kb.prev.isConnected && (kb.prev as HTMLElement).tabIndex >= 0 && look(kb.prev) === kb.snap) {
        const e = kb.prev as HTMLElement;
        const name = ((e as HTMLInputElement).labels?.[0]?.textContent ?? e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40);
        kb.unseen.push(`<${e.tagName.toLowerCase()}${e.getAttribute('class') ? ` class="${e.getAttribute('class')}"` : ''}> "${name}" in ${e.closest('[data-testid]')?.getAttribute('data-testid') ?? '—'}`);
      }
      if (!now || now === document.body || kb.seen.has(now) || (stopInside && now.closest(stopInside))) return false;
      kb.seen.add(now);
      kb.prev = now;
      kb.snap = look(now);
      return true;
    }, until ?? null);
  let stops = 0;
  await step();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (!(await step())) break;
    stops++;
  }
  const unseen = await page.evaluate(() => (window as unknown as { __kb: { unseen: string[] } }).__kb.unseen);
  return { stops, unseen };
}

/**
 * Opens a section from the sidebar by keyboard: from where focus is, Shift+Tab back to its link
 * (the sidebar comes before the page; from the top of a fresh document, Tab forward), then Enter.
 */
async function navigate(page: Page, id: SectionId): Promise<void> {
  const label = PAGES.find((p) => p.id === id)!.label;
  const back = (await focused(page)) !== null;
  await tabTo(page, `the sidebar link ${label}`, (f) => f.tag === 'a' && f.name === label && f.within === null, { back, max: 400 });
  const already = await page.evaluate((section) => location.hash.startsWith(`#/${section}`), id);
  await page.keyboard.press('Enter');
  await page.getByTestId(`page-${id}`).waitFor();
  await settle(page);
  const f = await expectSensibleFocus(page, `opening ${label}`);
  // The app moves focus to the new page's heading, so the next Tab goes into the page (the link of
  // the page already shown changes nothing and keeps focus).
  if (!already) expect(f.tag, `after opening ${label}, focus is on ${show(f)}`).toBe('h1');
}

describe('Keyboard-only paths through the pages in Chromium', () => {
  let h: Harness;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    h = await startHarness();
    await seedRuns(h);
    ({ page, problems } = await h.newPage());
    await page.goto(h.server.launchUrl);
    await page.getByTestId('page-hardware').waitFor();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('the first Tab reaches "Skip to content", and Enter puts focus on the page heading', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first?.name, `the first Tab went to ${show(first)}`).toBe('Skip to content');
    expect(first!.visible && first!.onScreen, 'the skip link is not on screen when focused').toBe(true);
    await page.keyboard.press('Enter');
    const f = await expectSensibleFocus(page, 'the skip link');
    expect(f.tag, `the skip link left focus on ${show(f)}`).toBe('h1');
    expect(f.within).toBe('page-hardware');
  });

  it('Hardware: the detected report is saved to history with Enter', async () => {
    // Focus is on the page heading (the skip link above); the page's actions come after it.
    await tabTo(page, 'the Save to history button', (f) => f.tag === 'button' && f.name === 'Save to history');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 60_000 }).toMatch(/Saved as run #\d+/);
    await settle(page);
    await expectSensibleFocus(page, 'saving the hardware report');
  });

  it('Benchmarks: the Memory suite is picked with the arrow keys and run quick with Enter', async () => {
    await navigate(page, 'benchmarks');
    // Tab enters the Suite radio group on its checked choice; the arrow keys move the choice.
    let suite = await tabTo(page, 'the Suite choice', (f) => f.role === 'radio' && f.within === 'bench-suite');
    for (let i = 0; i < 6 && suite.name !== 'Memory'; i++) {
      await page.keyboard.press('ArrowRight');
      suite = (await focused(page))!;
    }
    expect(suite.name, 'the Memory suite could not be chosen with the arrow keys').toBe('Memory');
    expect(await page.getByRole('radio', { name: 'Memory' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: /Quick/ }).isChecked()).toBe(true);
    await tabTo(page, 'the Run button', (f) => f.tag === 'button' && f.name === 'Run');
    await page.keyboard.press('Enter');
    await page.getByTestId('stored-status').filter({ hasText: /Stored as run #\d+/ }).waitFor({ timeout: 120_000 });
    await settle(page);
    await expectSensibleFocus(page, 'running the memory benchmark');
  });

  it('Planner: the budget slider moves with the arrow keys and the plan follows', async () => {
    await navigate(page, 'planner');
    const params = page.getByTestId('plan-params');
    await params.filter({ hasText: /\d/ }).waitFor();
    const before = await params.textContent();
    await tabTo(page, 'the budget slider', (f) => f.testId === 'plan-slider' || (f.type === 'range' && f.within === 'planner-controls'));
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => params.textContent()).not.toBe(before);
    expect(await params.textContent()).toMatch(/\d/);
    const f = await expectSensibleFocus(page, 'moving the slider');
    expect(f.type, `focus moved off the slider to ${show(f)}`).toBe('range');
  });

  it('Transformers: a variant toggled with Space redraws the sweep', async () => {
    await navigate(page, 'transformers');
    const series = page.getByTestId('att-sweep-chart').locator('path.series[data-variant]');
    await series.first().waitFor();
    const before = await series.count();
    const chip = await tabTo(page, 'a variant toggle', (f) => f.within === 'att-controls' && (f.tag === 'button' || f.role === 'checkbox' || f.type === 'checkbox') && /^[a-z]/.test(f.name));
    await page.keyboard.press('Space');
    await expect.poll(() => series.count(), { message: `toggling ${chip.name} did not change the sweep` }).not.toBe(before);
    const f = await expectSensibleFocus(page, `toggling ${chip.name}`);
    expect(f.name, `focus moved to ${show(f)}`).toBe(chip.name);
  });

  it('Models: the zoo MLP is picked with the arrow keys and profiled with Enter', async () => {
    await navigate(page, 'models');
    const arch = await tabTo(page, 'the Architecture picker', (f) => f.within === 'model-source' && f.name === 'Architecture');
    // Walk the options with the arrow keys (down, then up) until the MLP is chosen.
    let value = arch.value;
    for (const key of ['ArrowDown', 'ArrowUp']) {
      for (let i = 0; i < 40 && value !== 'mlp'; i++) {
        await page.keyboard.press(key);
        value = (await focused(page))?.value ?? null;
      }
    }
    expect(value, 'the MLP could not be chosen with the arrow keys').toBe('mlp');
    await tabTo(page, 'the Profile button', (f) => f.tag === 'button' && f.name === 'Profile');
    await page.keyboard.press('Enter');
    await page.getByTestId('run-status').filter({ hasText: /Stored as run #\d+|failed|Cancelled/ }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('run-status').textContent()).toMatch(/Stored as run #\d+/);
    await page.getByTestId('layer-table').waitFor();
    await settle(page);
    await expectSensibleFocus(page, 'profiling');
  });

  it('LLMs: a well-known model picked with the arrow keys shows its estimate', async () => {
    await navigate(page, 'llms');
    await tabTo(page, 'the well-known model picker', (f) => f.testId === 'llm-known' || f.name === 'Well-known model');
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('llm-result').waitFor();
    await expect.poll(() => page.getByTestId('llm-model-name').textContent()).toMatch(/\w/);
    expect(await page.getByTestId('llm-params').textContent()).toMatch(/parameters/);
    await settle(page);
    const f = await expectSensibleFocus(page, 'picking a model');
    expect(f.name, `focus moved to ${show(f)}`).toBe('Well-known model');
  });

  it('History: two runs picked with Space and compared with Enter', async () => {
    await navigate(page, 'history');
    await page.getByTestId('runs-table').locator('tbody tr').first().waitFor();
    for (let n = 0; n < 2; n++) {
      await tabTo(page, `run checkbox ${n + 1}`, (f) => f.type === 'checkbox' && /^Pick run/.test(f.name));
      await page.keyboard.press('Space');
    }
    expect(await page.getByTestId('runs-table').locator('tbody input[type="checkbox"]:checked').count()).toBe(2);
    await expectSensibleFocus(page, 'picking two runs');
    // The Compare button sits above the table.
    await tabTo(page, 'the Compare button', (f) => f.testId === 'compare-button' || (f.tag === 'button' && /^Compare/.test(f.name)), { back: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('compare-panel').waitFor();
    await expect.poll(() => page.getByTestId('compare-panel').textContent()).toMatch(/(comparison|report): 2 (\w+ )?runs/i);
    await settle(page);
    await expectSensibleFocus(page, 'comparing');
  });

  it('the skip link and the sidebar links show where focus is', async () => {
    // A fresh document (the token stays in session storage; the route in the hash), focus at its top.
    await page.reload();
    await page.locator('main h1').waitFor();
    await settle(page);
    // From the top of the document up to the first stop inside <main>.
    const { stops, unseen } = await walkTabStops(page, { max: 30, until: 'main' });
    expect(stops, 'the shell has hardly any Tab stops').toBeGreaterThan(PAGES.length);
    expect(unseen, `shell Tab stops with no visible focus indicator:\n  ${unseen.join('\n  ')}`).toEqual([]);
  });

  it.each(PAGES.map((p) => [p.label, p.id] as const))('%s: every Tab stop shows where focus is', async (label, id) => {
    await navigate(page, id);
    const { stops, unseen } = await walkTabStops(page, { max: 80 });
    expect(stops, `${label}: hardly any Tab stops`).toBeGreaterThan(1);
    expect(unseen, `${label}: Tab stops with no visible focus indicator:\n  ${unseen.join('\n  ')}`).toEqual([]);
  });

  it('logged no errors along the way', () => {
    expect(problems).toEqual([]);
  });
});
