/**
 * Layout end to end, at 1024×700 and 1440×900, on every page, on a fresh app with an empty store
 * and with results (stored runs of every kind, then each page's main job: e2e/pages.ts):
 *
 * - no card (class "card") scrolls or overflows sideways: its scrollWidth is at most its
 *   clientWidth + 1 px, and no table is wider than its wrapper (.ui-table-wrap clips it, so the header can stick);
 * - no two text labels of one chart <svg> overlap by more than 1 px (each label's box taken
 *   through its transform, so rotated labels are compared by their own outline; labels that are
 *   hidden, transparent or empty are ignored), and none runs more than 1 px past its chart's edge;
 * - no native unstyled control is on screen: every visible <select> and input[type=file] comes
 *   from the shared UI components of src-renderer/ui/, which mark theirs data-ui="select" and
 *   data-ui="file" (a visually hidden input behind a styled label is not on screen);
 * - no number on screen is in e-notation ("3.488e+6", "1.00e22"): the app writes quantities with
 *   SI prefixes (src-shared/format/si.ts). Text people type (inputs) and hints that say what a
 *   field accepts (.field-hint, <code>) are exempt.
 *
 * A failure lists each offender with the page, viewport and a readable path to the element.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';
import { doMainJob, openPage, PAGES, seedRuns, settle, VIEWPORTS } from './pages.js';

export interface LayoutFindings {
  cards: string[];
  overlaps: string[];
  clipped: string[];
  nativeControls: string[];
  eNotation: string[];
  /** How many of each thing were looked at, so a check that found nothing to check shows up. */
  counts: { cards: number; charts: number; labels: number; controls: number };
}

/** Runs in the page: the three layout checks over the whole document. */
export async function layoutFindings(page: Page): Promise<LayoutFindings> {
  return page.evaluate(() => {
    const describe = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        const testId = e.getAttribute('data-testid');
        const cls = typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).slice(0, 2).join('.')}` : '';
        parts.unshift(testId ? `${e.tagName.toLowerCase()}[data-testid="${testId}"]` : `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : cls}`);
        if (testId) break;
      }
      return parts.join(' > ');
    };
    const shown = (el: Element) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    const round = (n: number) => Math.round(n * 10) / 10;

    const cards: string[] = [];
    const cardEls = [...document.querySelectorAll('.card')].filter(shown) as HTMLElement[];
    // A table's wrapper clips what does not fit (overflow-x: clip keeps the sticky header working),
    // so its card never overflows: a table wider than its wrapper is checked on its own.
    const wraps = [...document.querySelectorAll('.ui-table-wrap')].filter(shown) as HTMLElement[];
    for (const card of [...cardEls, ...wraps]) {
      if (card.scrollWidth <= card.clientWidth + 1) continue;
      const box = card.getBoundingClientRect();
      const style = getComputedStyle(card);
      // The elements that stick out, deepest first: the likely culprits.
      const culprits = [...card.querySelectorAll('*')]
        .filter((e) => shown(e) && e.getBoundingClientRect().right > box.right - parseFloat(style.borderRightWidth) + 1)
        .filter((e, _i, all) => !all.some((o) => o !== e && e.contains(o)))
        .slice(0, 3)
        .map((e) => `${describe(e)} (right edge ${round(e.getBoundingClientRect().right - box.right)} px past the card)`);
      cards.push(`${describe(card)}: scrollWidth ${card.scrollWidth} > clientWidth ${card.clientWidth} (overflow-x: ${style.overflowX})${culprits.length ? `; sticking out: ${culprits.join('; ')}` : ''}`);
    }

    const overlaps: string[] = [];
    const clipped: string[] = [];
    let labels = 0;
    const charts = [...document.querySelectorAll('svg')].filter((svg) => shown(svg) && !svg.parentElement?.closest('svg') && svg.querySelector('text'));
    for (const svg of charts) {
      // Each label as the quadrilateral it covers on screen (its box through its transform), so a
      // rotated label is tested by its own outline, not by the wider upright box around it.
      const texts = [...svg.querySelectorAll('text')]
        .filter((t) => shown(t) && (t.textContent ?? '').trim() !== '')
        .map((t) => {
          const b = t.getBBox();
          const m = t.getScreenCTM();
          const quad = m ? [new DOMPoint(b.x, b.y), new DOMPoint(b.x + b.width, b.y), new DOMPoint(b.x + b.width, b.y + b.height), new DOMPoint(b.x, b.y + b.height)].map((p) => p.matrixTransform(m)) : [];
          return { t, quad, area: b.width * b.height };
        })
        .filter(({ quad, area }) => quad.length === 4 && area > 0);
      labels += texts.length;
      // A label past its chart's edge is cut off (the <svg> clips it).
      const frame = svg.getBoundingClientRect();
      for (const { t, quad } of texts) {
        const xs = quad.map((p) => p.x);
        const ys = quad.map((p) => p.y);
        const out = Math.max(frame.left - Math.min(...xs), Math.max(...xs) - frame.right, frame.top - Math.min(...ys), Math.max(...ys) - frame.bottom);
        if (out > 1) clipped.push(`${describe(svg)}: "${t.textContent!.trim()}" runs ${round(out)} px past the chart's edge`);
      }
      /** How deep two convex quads overlap: the least overlap of their projections over the quads' edge normals (≤ 0: apart). */
      const depth = (a: DOMPoint[], b: DOMPoint[]) => {
        let least = Infinity;
        for (const q of [a, b]) {
          for (let k = 0; k < 2; k++) {
            const ex = q[k + 1]!.x - q[k]!.x;
            const ey = q[k + 1]!.y - q[k]!.y;
            const len = Math.hypot(ex, ey) || 1;
            const [nx, ny] = [-ey / len, ex / len];
            const pa = a.map((p) => p.x * nx + p.y * ny);
            const pb = b.map((p) => p.x * nx + p.y * ny);
            least = Math.min(least, Math.min(Math.max(...pa), Math.max(...pb)) - Math.max(Math.min(...pa), Math.min(...pb)));
          }
        }
        return least;
      };
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const d = depth(texts[i]!.quad, texts[j]!.quad);
          if (d > 1) overlaps.push(`${describe(svg)}: "${texts[i]!.t.textContent!.trim()}" and "${texts[j]!.t.textContent!.trim()}" overlap by ${round(d)} px`);
        }
      }
    }

    const controls = [...document.querySelectorAll('select, input[type="file"]')].filter((c) => {
      const r = c.getBoundingClientRect();
      return shown(c) && r.width > 1 && r.height > 1;
    });
    const nativeControls = controls
      .filter((c) => !c.hasAttribute('data-ui'))
      .map((c) => `${describe(c)}${c.id ? ` (#${c.id})` : ''}: a native ${c.tagName === 'SELECT' ? '<select>' : 'file input'} without data-ui`);

    // Numbers in e-notation in any visible text (SVG labels and tooltips' <title> included).
    const eNotation: string[] = [];
    const sci = /(?<![\w.])[-+]?\d+(?:\.\d+)?e[-+]?\d+(?![\w.])/i;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, code, pre, textarea, .field-hint')) continue;
      if (el.tagName.toLowerCase() !== 'title' && !shown(el)) continue;
      const hit = sci.exec(n.textContent ?? '');
      if (hit) eNotation.push(`${describe(el)}: "${hit[0]}" in "${(n.textContent ?? '').trim().slice(0, 80)}"`);
    }

    return { cards, overlaps, clipped, nativeControls, eNotation, counts: { cards: cardEls.length, charts: charts.length, labels, controls: controls.length } };
  });
}

describe.each(VIEWPORTS.map((v) => [`${v.width}×${v.height}`, v] as const))('Layout at %s in Chromium', (_name, viewport) => {
  let h: Harness;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    h = await startHarness();
    ({ page, problems } = await h.newPage());
    await page.setViewportSize(viewport);
  });

  afterAll(async () => {
    await h?.close();
  });

  const check = async (where: string) => {
    await settle(page);
    const f = await layoutFindings(page);
    expect(f.counts.cards, `${where}: no card on the page`).toBeGreaterThan(0);
    const report = [...f.cards.map((s) => `card overflows: ${s}`), ...f.overlaps.map((s) => `labels overlap: ${s}`), ...f.clipped.map((s) => `label cut off: ${s}`), ...f.nativeControls.map((s) => `native control: ${s}`), ...f.eNotation.map((s) => `e-notation: ${s}`)];
    expect(report, `${where} at ${viewport.width}×${viewport.height}:\n  ${report.join('\n  ')}`).toEqual([]);
    return f;
  };

  it('the checks find a planted overflowing card, overlapping and cut-off labels, a native select and e-notation, and pass rotated labels that only come close', async () => {
    await openPage(page, h, 'hardware');
    const before = await layoutFindings(page);
    await page.evaluate(() => {
      const planted = document.createElement('div');
      planted.id = 'planted';
      planted.innerHTML = `
        <div class="card" data-testid="planted-card"><div>wide</div></div>
        <div class="ui-table-wrap" data-testid="planted-wrap"><div>wide table</div></div>
        <svg data-testid="planted-chart" width="300" height="200">
          <text x="10" y="20">first label</text><text x="30" y="24">second label</text>
          <text x="100" y="150" transform="rotate(-35 100 150)">L1 1201 GB/s</text><text x="112" y="172" transform="rotate(-35 112 172)">L2 600.1 GB/s</text>
          <text x="10" y="90" display="none">hidden</text><text x="10" y="90">shown</text><text x="12" y="90"> </text>
          <text x="262" y="196">cut off here</text>
        </svg>
        <select data-testid="planted-select"><option>a</option></select><select data-ui="select"><option>b</option></select>
        <p data-testid="planted-sci">Compute 1.00e22 FLOPs</p><p class="field-hint" data-testid="planted-hint">accepts 5.76e23 or 7B</p><p data-testid="planted-hash">sha 3e5fa1 v2.0e</p>`;
      // Sizes through the CSSOM: the page's CSP drops inline style attributes.
      const card = planted.querySelector<HTMLElement>('.card')!;
      card.style.width = '200px';
      card.style.overflowX = 'auto';
      (card.firstElementChild as HTMLElement).style.width = '400px';
      const wrap = planted.querySelector<HTMLElement>('.ui-table-wrap')!;
      wrap.style.width = '200px';
      (wrap.firstElementChild as HTMLElement).style.width = '400px';
      document.querySelector('main')!.prepend(planted);
    });
    const f = await layoutFindings(page);
    await page.evaluate(() => document.getElementById('planted')?.remove());
    expect(f.cards.filter((c) => c.includes('planted-card'))).toHaveLength(1);
    expect(f.cards.filter((c) => c.includes('planted-wrap'))).toHaveLength(1);
    expect(f.overlaps.filter((o) => o.includes('planted-chart'))).toEqual([expect.stringContaining('"first label" and "second label"')]);
    expect(f.clipped.filter((c) => c.includes('planted-chart'))).toEqual([expect.stringContaining('"cut off here"')]);
    expect(f.nativeControls.filter((c) => c.includes('planted-select'))).toHaveLength(1);
    expect(f.nativeControls.length).toBe(before.nativeControls.length + 1);
    expect(f.eNotation.filter((c) => c.includes('planted'))).toEqual([expect.stringContaining('"1.00e22"')]);
    expect(f.eNotation.length).toBe(before.eNotation.length + 1);
  });

  it.each(PAGES.map((p) => [p.label, p.id] as const))('%s, empty: cards fit, chart labels apart, no native controls, no e-notation', async (label, id) => {
    await openPage(page, h, id);
    await check(`${label} (empty)`);
  });

  it('the store gets runs of every kind, and a fresh app loads', async () => {
    expect((await seedRuns(h)).length).toBeGreaterThan(5);
    await page.context().close();
    ({ page, problems } = await h.newPage());
    await page.setViewportSize(viewport);
    await page.goto(h.server.launchUrl);
    await page.getByTestId('page-hardware').waitFor();
  });

  it.each(PAGES.map((p) => [p.label, p.id] as const))('%s, with results: cards fit, chart labels apart, no native controls, no e-notation', async (label, id) => {
    await openPage(page, h, id);
    await doMainJob(page, id);
    const f = await check(`${label} (with results)`);
    // Pages whose results are charts must have drawn labels for the overlap check to mean anything.
    if (['benchmarks', 'models', 'planner', 'transformers', 'llms'].includes(id)) expect(f.counts.labels, `${label}: no chart labels drawn`).toBeGreaterThan(0);
  });

  it('logged no errors along the way', () => {
    expect(problems).toEqual([]);
  });
});
