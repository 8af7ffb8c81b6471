/**
 * The Planner's redraw measured where it happens: in headless Chromium on the served app. Moves
 * the budget slider N times and times, per move, (a) the input handler up to React's commit —
 * the plan recomputed with src-shared/planner, the three charts rebuilt (100 × 100 contour grid)
 * and written into the DOM — and (b) that plus the style and layout the browser must do before it
 * can paint (forced with a layout read). Paint itself is not timed. The same-run peer is a move
 * that changes only a text field no chart depends on (MFU hint excluded): the page's fixed cost.
 *
 *   npm run build:renderer && npx tsx bench/planner-redraw-browser.ts [--moves 60]
 */
import { parseArgs } from 'node:util';
import { startHarness } from '../e2e/harness.js';
import { loadAverage } from './common.js';

const { values: args } = parseArgs({ options: { moves: { type: 'string', default: '60' } } });
const MOVES = Math.max(20, Number(args.moves));

const h = await startHarness();
try {
  const { page } = await h.newPage();
  await page.goto(h.server.launchUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Planner' }).click();
  await page.getByTestId('loss-contour-chart').locator('path.band').first().waitFor();
  console.log(`Planner redraw in Chromium (${await h.browser.version()}); ${loadAverage()}`);

  // Plain JavaScript text: tsx would otherwise wrap named functions in a helper the page lacks.
  const times = (await page.evaluate(`(async () => {
    const slider = document.querySelector('[data-testid="plan-slider"]');
    const vocab = document.querySelector('[data-testid="input-vocab"]');
    const chart = document.querySelector('[data-testid="loss-contour-chart"]');
    let changed = 0;
    const setValue = (el, v) => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const commit = [];
    const layout = [];
    const peer = [];
    for (let i = 0; i < ${MOVES} + 10; i++) {
      // A drag: the slider's own 0.05 steps, sweeping 19 → 22.5 (three decade crossings redraw the contour grid).
      const v = (19 + i * 0.05).toFixed(2);
      const before = chart.innerHTML;
      const t0 = performance.now();
      setValue(slider, v);
      // React flushes a discrete event's update in a microtask queued during dispatch: this await runs after it.
      await Promise.resolve();
      const t1 = performance.now();
      if (chart.innerHTML !== before) changed++;
      void document.body.offsetHeight;
      const t2 = performance.now();
      await frame();
      // Peer: a field the plan reads but whose change keeps every chart's inputs (same vocabulary).
      const p0 = performance.now();
      setValue(vocab, i % 2 ? '32000' : '32000 ');
      await Promise.resolve();
      void document.body.offsetHeight;
      const p1 = performance.now();
      await frame();
      if (i >= 10) {
        commit.push(t1 - t0);
        layout.push(t2 - t0);
        peer.push(p1 - p0);
      }
    }
    return { commit, layout, peer, changed };
  })()`)) as { commit: number[]; layout: number[]; peer: number[]; changed: number };
  if (times.changed < MOVES) throw new Error(`only ${times.changed} of ${MOVES + 10} slider moves had redrawn the contour chart when timed: the timing would not include the redraw`);

  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.floor(s.length * 0.95)]! };
  };
  const c = stats(times.commit);
  const l = stats(times.layout);
  const p = stats(times.peer);
  const row = (name: string, x: { median: number; p95: number }) => console.log(`${name.padEnd(58)} median ${x.median.toFixed(2).padStart(6)} ms   p95 ${x.p95.toFixed(2).padStart(6)} ms`);
  row('slider move → plan + 3 charts committed to the DOM', c);
  row('… + style and layout (before paint)', l);
  row('peer: a text edit that recomputes the same plan (vocab "32000" ↔ "32000 ")', p);
  console.log(`frame budget 16 ms: ${l.median <= 16 ? 'median WITHIN' : 'median OVER'}, p95 ${l.p95 <= 16 ? 'within' : 'over'}; ratio slider/peer ${(l.median / p.median).toFixed(2)}`);
} finally {
  await h.close();
}
