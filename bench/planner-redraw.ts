/**
 * Times a scaling-law planner redraw — the three planner charts (isoFLOP curves, loss contours on
 * a 100 × 100 grid, frontier comparison) — the way a slider change redraws them, against the
 * 16 ms frame budget, with the loss-contour chart split into its phases: grid evaluation,
 * contouring (thresholds + d3.contours) and the SVG string. Uses the Chinchilla law
 * (Hoffmann et al. 2022, approach 3) L = 1.6934 + 406.4 / N^0.3392 + 410.7 / D^0.2849 and its
 * closed-form frontier. Same-run peer: d3.contours with its default thresholds plus d3.geoPath
 * serialisation on the same array. Measures string building only (no DOM parse or paint).
 *
 *   npx tsx bench/planner-redraw.ts [--redraws 60] [--grid 100] [--thresholds 12] [--json]
 */
import { parseArgs } from 'node:util';
import { contours, geoIdentity, geoPath } from 'd3';
import { renderFrontierCompareChart, type FrontierSeries } from '../src-shared/charts/frontier-compare-chart.js';
import { renderIsoflopChart } from '../src-shared/charts/isoflop-chart.js';
import { lossContours, lossContourSvg, lossGrid } from '../src-shared/charts/loss-contour-chart.js';
import { detectedMachine, loadAverage, waitForQuiet } from './common.js';

const { values: args } = parseArgs({
  options: {
    redraws: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '20' },
    grid: { type: 'string', default: '100' },
    thresholds: { type: 'string', default: '12' },
    json: { type: 'boolean', default: false },
  },
});
const REDRAWS = Math.max(50, Number(args.redraws));
const WARMUP = Math.max(0, Number(args.warmup));
const GRID = Number(args.grid);
const THRESHOLDS = Number(args.thresholds);
const FRAME_MS = 16;

interface Law {
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
}

// Hoffmann et al. 2022, eq. 10 (approach 3), and the Epoch AI replication (Besiroglu et al. 2024).
const CHINCHILLA: Law = { E: 1.6934, A: 406.4, B: 410.7, alpha: 0.3392, beta: 0.2849 };
const EPOCH: Law = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };

const lossOf = (l: Law) => (N: number, D: number) => l.E + l.A / N ** l.alpha + l.B / D ** l.beta;

/** Closed form under C = 6ND: N* = G (C/6)^(β/(α+β)), G = (αA / (βB))^(1/(α+β)), D* = (C/6) / N*. */
function optimum(l: Law, C: number): { C: number; N: number; D: number } {
  const G = ((l.alpha * l.A) / (l.beta * l.B)) ** (1 / (l.alpha + l.beta));
  const N = G * (C / 6) ** (l.beta / (l.alpha + l.beta));
  return { C, N, D: C / 6 / N };
}

/** N* = N0 (C / C0)^a through an anchor (C0, N0), D* = C / (6 N*): the published power-law fits. */
function powerLaw(a: number, C0: number, N0: number) {
  return (C: number) => {
    const N = N0 * (C / C0) ** a;
    return { C, N, D: C / (6 * N) };
  };
}

const loss = lossOf(CHINCHILLA);
const cRange: [number, number] = [1e18, 1e26];
const nRange: [number, number] = [1e7, 1e13];
const dRange: [number, number] = [1e8, 1e15];
const budgets = [1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25];
const cs = Array.from({ length: 41 }, (_, i) => 10 ** (18 + (i * 8) / 40));
const frontier = cs.map((C) => optimum(CHINCHILLA, C));
// Chinchilla itself: 70B parameters, 1.4T tokens, C = 6ND ≈ 5.9e23 (the anchor of the power laws).
const chinchillaC = 6 * 70e9 * 1.4e12;
const series: FrontierSeries[] = [
  { id: 'chinchilla-3', label: 'Chinchilla approach 3 (closed form of the fitted law)', points: frontier },
  { id: 'chinchilla-1', label: 'Chinchilla approach 1 (a = 0.50, through 70B @ 5.9e23)', points: cs.map(powerLaw(0.5, chinchillaC, 70e9)) },
  { id: 'chinchilla-2', label: 'Chinchilla approach 2 (a = 0.49, through 70B @ 5.9e23)', points: cs.map(powerLaw(0.49, chinchillaC, 70e9)) },
  { id: 'epoch', label: 'Epoch replication (Besiroglu et al. 2024)', points: cs.map((C) => optimum(EPOCH, C)) },
  // Kaplan et al. 2020: N_opt ∝ C^0.73 (1.3e9 parameters at 1 PF-day = 8.64e19 FLOPs); illustrative.
  { id: 'kaplan', label: 'Kaplan et al. 2020 (a = 0.73)', points: cs.map(powerLaw(0.73, 8.64e19, 1.3e9)) },
];

/** The i-th redraw's plan: budget sweeping 1e19 … 1e25 and model size 0.5× … 2× the optimum. */
function planAt(i: number) {
  const f = (i * 0.618034) % 1;
  const C = 10 ** (19 + 6 * f);
  const opt = optimum(CHINCHILLA, C);
  const N = opt.N * 2 ** Math.sin(i * 0.7);
  const D = C / (6 * N);
  return { C, N, D, loss: loss(N, D) };
}

const now = () => performance.now();
type Phase = 'isoflop' | 'grid' | 'contouring' | 'contourSvg' | 'compare' | 'total' | 'cachedTotal' | 'peer' | 'peerContouring';
const times: Record<Phase, number[]> = {
  isoflop: [],
  grid: [],
  contouring: [],
  contourSvg: [],
  compare: [],
  total: [],
  cachedTotal: [],
  peer: [],
  peerContouring: [],
};
let sizes = { isoflop: 0, contour: 0, compare: 0 };
let nanFree = true;
let bandPaths = 0;
let peerThresholds = 0;

const width = 720;
const cached = { grid: lossGrid(loss, nRange, dRange, GRID) };
const cachedBands = lossContours(cached.grid, THRESHOLDS);

const machine = await detectedMachine();
const busy = await waitForQuiet(60);
if (!args.json) {
  console.log(`planner redraw: ${machine.cpu}; node ${process.version}; ${loadAverage()}; CPU ${busy === null ? '?' : Math.round(busy * 100)}% busy before start`);
  console.log(`law: L = 1.6934 + 406.4/N^0.3392 + 410.7/D^0.2849 (Chinchilla); ${GRID}×${GRID} grid, ${THRESHOLDS} thresholds; ${budgets.length} isoFLOP budgets + the plan's; ${series.length} fits compared; ${REDRAWS} timed redraws after ${WARMUP} warm-up`);
}

for (let i = 0; i < WARMUP + REDRAWS; i++) {
  const plan = planAt(i);
  const timed = i >= WARMUP;

  // Full redraw: everything recomputed, as if the law or the ranges had changed.
  const t0 = now();
  const iso = String(renderIsoflopChart({ loss, budgets, nRange, plan, fitLabel: 'Chinchilla approach 3' }, { width }));
  const t1 = now();
  const grid = lossGrid(loss, nRange, dRange, GRID);
  const t2 = now();
  const bands = lossContours(grid, THRESHOLDS);
  const t3 = now();
  const contour = String(lossContourSvg(grid, bands, { frontier, plan, isoFlopLines: budgets, fitLabel: 'Chinchilla approach 3' }, { width }));
  const t4 = now();
  const compare = String(renderFrontierCompareChart({ series, plan, cRange }, { width }));
  const t5 = now();

  // Plan-only redraw: the grid and its contours reused (they depend only on the law and ranges).
  const c0 = now();
  renderIsoflopChart({ loss, budgets, nRange, plan, fitLabel: 'Chinchilla approach 3' }, { width });
  lossContourSvg(cached.grid, cachedBands, { frontier, plan, isoFlopLines: budgets, fitLabel: 'Chinchilla approach 3' }, { width });
  renderFrontierCompareChart({ series, plan, cRange }, { width });
  const c1 = now();

  // Peer: d3's own pipeline on the same array — default thresholds (Sturges, nice) and geoPath.
  const p0 = now();
  const peerContours = contours().size([GRID, GRID])(grid.values as unknown as number[]);
  const p1 = now();
  const path = geoPath(geoIdentity().scale(width / GRID));
  let peerChars = 0;
  for (const c of peerContours) peerChars += (path(c) ?? '').length;
  const p2 = now();

  if (!timed) continue;
  times.isoflop.push(t1 - t0);
  times.grid.push(t2 - t1);
  times.contouring.push(t3 - t2);
  times.contourSvg.push(t4 - t3);
  times.compare.push(t5 - t4);
  times.total.push(t5 - t0);
  times.cachedTotal.push(c1 - c0);
  times.peerContouring.push(p1 - p0);
  times.peer.push(p2 - p0);
  sizes = { isoflop: iso.length, contour: contour.length, compare: compare.length };
  nanFree &&= ![iso, contour, compare].some((s) => s.includes('NaN'));
  bandPaths = (contour.match(/<path class="band /g) ?? []).length;
  if (peerChars === 0) throw new Error('peer produced no paths');
  peerThresholds = peerContours.length;
}

function stats(v: number[]): { median: number; p95: number } {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]! };
}

const st = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)])) as Record<keyof typeof times, { median: number; p95: number }>;
const f2 = (v: number) => v.toFixed(2);
if (args.json) {
  console.log(JSON.stringify({ grid: GRID, thresholds: THRESHOLDS, redraws: REDRAWS, ms: st, sizes, nanFree, bandPaths }, null, 2));
} else {
  const totalMedian = st.total.median;
  const rows: Array<[string, { median: number; p95: number }]> = [
    ['isoFLOP chart (7 budgets + plan curve)', st.isoflop],
    [`contour: grid evaluation (${GRID * GRID} losses)`, st.grid],
    ['contour: contouring (thresholds + d3.contours)', st.contouring],
    ['contour: SVG string', st.contourSvg],
    [`frontier compare chart (${series.length} fits)`, st.compare],
  ];
  console.log('\nphase                                            median ms   p95 ms   share of summed medians');
  const summed = rows.reduce((a, [, s]) => a + s.median, 0);
  for (const [name, s] of rows) console.log(`${name.padEnd(48)} ${f2(s.median).padStart(9)} ${f2(s.p95).padStart(8)}   ${((s.median / summed) * 100).toFixed(0).padStart(3)}%`);
  console.log(`${'total redraw (all three charts, all recomputed)'.padEnd(48)} ${f2(totalMedian).padStart(9)} ${f2(st.total.p95).padStart(8)}`);
  console.log(
    `\nframe budget ${FRAME_MS} ms: full redraw median ${f2(totalMedian)} ms (${((totalMedian / FRAME_MS) * 100).toFixed(0)}% of a frame), p95 ${f2(st.total.p95)} ms -> ${st.total.p95 <= FRAME_MS ? 'WITHIN' : 'OVER'} budget`,
  );
  console.log(`plan-only redraw (grid + contours cached): median ${f2(st.cachedTotal.median)} ms, p95 ${f2(st.cachedTotal.p95)} ms`);
  console.log(
    `peer, same array and run: d3.contours with its default thresholds (${peerThresholds}) ${f2(st.peerContouring.median)} ms (ours, ${THRESHOLDS} quantile thresholds: ${f2(st.contouring.median)} ms); ` +
      `+ d3.geoPath strings ${f2(st.peer.median)} ms (ours, contouring + whole contour SVG: ${f2(st.contouring.median + st.contourSvg.median)} ms)`,
  );
  console.log(`markup: isoFLOP ${(sizes.isoflop / 1024).toFixed(1)} KiB, contour ${(sizes.contour / 1024).toFixed(1)} KiB (${bandPaths} band paths), compare ${(sizes.compare / 1024).toFixed(1)} KiB; 'NaN' in any markup: ${nanFree ? 'no' : 'YES'}`);
  console.log(loadAverage());
}
