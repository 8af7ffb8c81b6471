/**
 * Loss landscape for the scaling-law planner (runs anywhere): filled contours of a fit's loss
 * L(N, D) over model size N (x) and training tokens D (y), both log scale, with the
 * compute-optimal frontier, the plan and optional iso-FLOP lines C = 6ND (dashed diagonals).
 * Takes a plain loss function, not a fit, so it does not depend on the planner's fit code.
 *
 * Three stages, exported so a caller can time them or cache the expensive ones (the grid and its
 * contours depend only on the law and the ranges; a moving plan needs only the last stage):
 *   lossGrid      – evaluates the loss at the centres of a log-spaced grid (Float64Array);
 *   lossContours  – picks the thresholds (quantiles of the grid, rounded) and runs d3.contours;
 *   lossContourSvg – projects the contour rings from grid space onto the log axes (an affine map,
 *                   because the grid is log-spaced) and writes the SVG (SafeMarkup).
 * d3.contours treats each value as the centre of a unit cell and closes rings along the outer
 * cell edges, half a cell beyond the outermost samples; the projection clamps that half cell onto
 * the plot's edge, so the bands meet the frame square (no chamfered corners or notches).
 * Bands: `band band-k` is the loss between thresholds k − 1 and k (band-0 below the first, the
 * lowest loss; band-<count> at or above the last). The middle band is the background; the lower
 * bands are drawn as the regions at or below their upper threshold (d3.contours on the negated
 * grid), largest first, and the upper bands as the regions at or above their lower threshold,
 * smallest last. Each path then covers about half the area it would as one stack, which means
 * fewer ring points (border runs), less markup and half the overdraw. Pure: data in, SVG (SafeMarkup) out; no inline styles (CSP), classes only (`.loss-contour-chart`).
 */
import { contours as d3Contours, type ContourMultiPolygon } from 'd3-contour';
import { format } from 'd3-format';
import { scaleLog } from 'd3-scale';
import { CHAR_11, emptyChart, logTicks } from './axes.js';
import { budgetLabel, clipPolyline, clipSegment, countLabel, isLogRange, type Box, type LossFunction } from './isoflop-chart.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';
import { chartSvg, gridAndAxes } from './frame.js';

export interface LossGrid {
  /** Grid points per axis. */
  size: number;
  /**
   * Loss at (N_i, D_j) in values[j * size + i], with N_i = lo · (hi/lo)^(i / (size − 1)), from
   * the range's low end to its high end, and likewise D_j. Non-finite losses are replaced by the
   * largest finite one (drawn as the worst band).
   */
  values: Float64Array;
  nRange: readonly [number, number];
  dRange: readonly [number, number];
  /** Smallest and largest finite loss; Infinity and −Infinity when none is finite. */
  min: number;
  max: number;
  /** How many grid points had a finite loss. */
  finite: number;
}

export interface LossContours {
  /** Ascending, distinct. */
  thresholds: number[];
  /**
   * One MultiPolygon per threshold, in grid coordinates ([0, size] on each axis): for k < split
   * the region where the loss is at or below thresholds[k], for k ≥ split at or above it; its
   * `value` is thresholds[k] either way.
   */
  contours: ContourMultiPolygon[];
  /** How many thresholds lie below the grid's median loss (contoured from below). */
  split: number;
}

export interface LossContourOverlay {
  /** Compute-optimal points (N*, D*), drawn as a polyline in the order given. */
  frontier?: ReadonlyArray<{ N: number; D: number }>;
  plan?: { N: number; D: number };
  /** Budgets C (FLOPs) drawn as the dashed diagonals D = C / (6N). */
  isoFlopLines?: readonly number[];
  fitLabel: string;
}

export interface LossContourChartInput extends LossContourOverlay {
  loss: LossFunction;
  nRange: readonly [number, number];
  dRange: readonly [number, number];
  /** Grid points per axis (default 100, i.e. 100 × 100 evaluations); 2 … 400. */
  grid?: number;
}

export interface LossContourChartOptions {
  width?: number;
  height?: number;
  /** How many contour thresholds (default 12, at most 24): bands band-0 … band-<thresholds>. */
  thresholds?: number;
}

const TITLE = 'Loss over model size and training tokens (log–log), with the compute-optimal frontier';
const DEFAULT_GRID = 100;
const MAX_GRID = 400;
const DEFAULT_THRESHOLDS = 12;
const MAX_THRESHOLDS = 24;
const QUANTILE_SAMPLE = 2500;
const sig4 = format('.4~g');

function checkedGrid(grid: number | undefined): number | null {
  const g = grid ?? DEFAULT_GRID;
  return Number.isInteger(g) && g >= 2 && g <= MAX_GRID ? g : null;
}

/**
 * Evaluates `loss` on a grid × grid log-spaced grid over nRange × dRange, ends included. Throws a
 * RangeError for a non-positive or reversed range or a grid outside 2 … 400; whatever `loss`
 * throws propagates.
 */
export function lossGrid(loss: LossFunction, nRange: readonly [number, number], dRange: readonly [number, number], grid = DEFAULT_GRID): LossGrid {
  const size = checkedGrid(grid);
  if (size === null) throw new RangeError(`grid must be a whole number from 2 to ${MAX_GRID}`);
  if (!isLogRange(nRange) || !isLogRange(dRange)) throw new RangeError('ranges must be positive, low < high');
  const ns = new Float64Array(size);
  const ds = new Float64Array(size);
  const nLo = Math.log(nRange[0]);
  const nStep = (Math.log(nRange[1]) - nLo) / (size - 1);
  const dLo = Math.log(dRange[0]);
  const dStep = (Math.log(dRange[1]) - dLo) / (size - 1);
  for (let i = 0; i < size; i++) {
    ns[i] = Math.exp(nLo + i * nStep);
    ds[i] = Math.exp(dLo + i * dStep);
  }
  const values = new Float64Array(size * size);
  let min = Infinity;
  let max = -Infinity;
  let finite = 0;
  for (let j = 0; j < size; j++) {
    const D = ds[j]!;
    const row = j * size;
    for (let i = 0; i < size; i++) {
      const v = loss(ns[i]!, D);
      values[row + i] = v;
      // NaN fails both comparisons and the finiteness test; ±Infinity fails the finiteness test.
      if (v - v === 0) {
        finite++;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  if (finite > 0 && finite < values.length) {
    for (let k = 0; k < values.length; k++) {
      const v = values[k]!;
      if (v - v !== 0) values[k] = max;
    }
  }
  return { size, values, nRange: [nRange[0], nRange[1]], dRange: [dRange[0], dRange[1]], min, max, finite };
}

/** Rounds to the fewest significant digits (3 … 6) that keep the thresholds distinct. */
function roundThresholds(raw: number[]): number[] {
  for (let digits = 3; digits <= 6; digits++) {
    const r = raw.map((t) => Number(t.toPrecision(digits)));
    if (r.every((t, i) => i === 0 || t > r[i - 1]!)) return r;
  }
  return raw;
}

/**
 * Thresholds at evenly spaced quantiles of the grid (about equal areas per band, whatever the
 * law's skew), rounded for labelling and kept strictly inside (min, max]; then d3.contours on them.
 */
export function lossContours(grid: LossGrid, thresholds = DEFAULT_THRESHOLDS): LossContours {
  const count = Math.max(1, Math.min(MAX_THRESHOLDS, Math.round(Number.isFinite(thresholds) ? thresholds : DEFAULT_THRESHOLDS)));
  if (grid.finite === 0 || !(grid.max > grid.min)) return { thresholds: [], contours: [], split: 0 };
  // Quantiles of an evenly strided sample of at most ~2500 values: labels are rounded to 3
  // significant digits anyway, and sorting all 10 000 of a 100 × 100 grid costs over a millisecond.
  const stride = Math.max(1, Math.floor(grid.values.length / QUANTILE_SAMPLE));
  const sample = new Float64Array(Math.ceil(grid.values.length / stride));
  for (let k = 0, s = 0; k < grid.values.length; k += stride) sample[s++] = grid.values[k]!;
  const sorted = sample.sort();
  const last = sorted.length - 1;
  const raw: number[] = [];
  for (let k = 1; k <= count; k++) {
    const pos = (k / (count + 1)) * last;
    const lo = Math.floor(pos);
    const v = sorted[lo]! + (pos - lo) * (sorted[Math.min(last, lo + 1)]! - sorted[lo]!);
    if (v > grid.min && v <= grid.max && (raw.length === 0 || v > raw[raw.length - 1]!)) raw.push(v);
  }
  const ts = roundThresholds(raw).filter((t, i, a) => t > grid.min && t <= grid.max && (i === 0 || t > a[i - 1]!));
  const median = sorted[last >> 1]!;
  let split = 0;
  while (split < ts.length && ts[split]! < median) split++;
  const generator = d3Contours().size([grid.size, grid.size]);
  // d3.contours takes a number[]: the grid is copied out of its Float64Array (size² numbers).
  const values = Array.from(grid.values);
  const negated: number[] = split > 0 ? Array.from(grid.values, (v) => -v) : [];
  // −L ≥ −t is L ≤ t: the regions below the lower thresholds, from the negated grid.
  const contours = ts.map((t, k) => {
    if (k >= split) return generator.contour(values, t);
    const below = generator.contour(negated, -t);
    below.value = t;
    return below;
  });
  return { thresholds: ts, contours, split };
}

const num = (v: number) => String(v);

/** Grid coordinate → pixel: x = ox + (gx − ½) · sx, y likewise (clamped to the samples' span). */
interface GridMap {
  size: number;
  ox: number;
  sx: number;
  oy: number;
  sy: number;
}

/** Distance from (x, y) to segment a–b, in pixels. */
function segmentDistance(x: number, y: number, a: readonly [number, number], b: readonly [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2)) : 0;
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

/**
 * Where a contour's label goes, in pixels: its interior point nearest the plot's rising diagonal
 * (grid x = y) that keeps `clearance` px from the overlay lines (frontier) and keeps a label
 * `halfWidth` px either side of it off the overlay points (the plan's marker and label).
 */
function labelPoint(
  polygon: ContourMultiPolygon,
  size: number,
  toPx: (cx: number, cy: number) => [number, number],
  avoidLines: ReadonlyArray<readonly [number, number]>,
  avoidPoints: ReadonlyArray<readonly [number, number]>,
  clearance: number,
  halfWidth: number,
): [number, number] | null {
  const candidates: Array<{ gap: number; cx: number; cy: number }> = [];
  for (const rings of polygon.coordinates) {
    for (const ring of rings) {
      for (const p of ring) {
        const cx = p[0]!;
        const cy = p[1]!;
        // Points on the outer cell edges are the frame, not the contour.
        if (cx <= 0.5 || cy <= 0.5 || cx >= size - 0.5 || cy >= size - 0.5) continue;
        candidates.push({ gap: Math.abs(cx - cy), cx, cy });
      }
    }
  }
  candidates.sort((a, b) => a.gap - b.gap);
  for (const c of candidates) {
    const [x, y] = toPx(c.cx, c.cy);
    let clear = true;
    for (let i = 1; clear && i < avoidLines.length; i++) if (segmentDistance(x, y, avoidLines[i - 1]!, avoidLines[i]!) < clearance) clear = false;
    for (const q of avoidPoints) if (clear && Math.abs(x - q[0]) < halfWidth + 8 && Math.abs(y - q[1]) < 14) clear = false;
    if (clear) return [x, y];
  }
  return null;
}

/**
 * The SVG for a grid and its contours (the cheap last stage): bands, threshold labels and legend,
 * iso-FLOP lines, frontier and plan.
 */
export function lossContourSvg(grid: LossGrid, bands: LossContours, overlay: LossContourOverlay, options: LossContourChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(Number.isFinite(options.width) ? options.width! : 720));
  const height = Math.max(240, Math.round(Number.isFinite(options.height) ? options.height! : 440));
  if (grid.finite === 0) return emptyChart('loss-contour-chart', width, TITLE, 'The loss is not finite anywhere on this range.');
  const { size, nRange, dRange } = grid;
  const ts = bands.thresholds;
  const split = Math.max(0, Math.min(ts.length, bands.split));

  // Legend: one row per band, the worst loss at the top.
  const legendLabels: string[] = [];
  legendLabels.push(ts.length ? `< ${sig4(ts[0]!)}` : `${sig4(grid.min)}`);
  for (let k = 0; k < ts.length; k++) legendLabels.push(k + 1 < ts.length ? `${sig4(ts[k]!)} – ${sig4(ts[k + 1]!)}` : `≥ ${sig4(ts[k]!)}`);
  const legendWidth = 22 + Math.max(...legendLabels.map((l) => l.length)) * CHAR_11;

  const margin = { top: 30, right: Math.round(legendWidth + 28), bottom: 44, left: 62 };
  const x0 = margin.left;
  const x1 = width - margin.right;
  const yTop = margin.top;
  const yBottom = height - margin.bottom;
  const box: Box = { x0, x1, y0: yTop, y1: yBottom };
  const x = scaleLog().domain([nRange[0], nRange[1]]).range([x0, x1]);
  const y = scaleLog().domain([dRange[0], dRange[1]]).range([yBottom, yTop]);
  // Grid space → pixels is affine because the grid is log-spaced: sample i sits at grid
  // coordinate i + ½ (d3.contours' convention) and at the range's i / (size − 1) point.
  const map: GridMap = { size, ox: x0, sx: (x1 - x0) / (size - 1), oy: yBottom, sy: (yTop - yBottom) / (size - 1) };

  const parts: Array<SafeMarkup | null> = [
    svg`<g class="bands">`,
    svg`<rect class="band band-${split}" x="${x0}" y="${yTop}" width="${px(x1 - x0)}" height="${px(yBottom - yTop)}"><title>${`loss ${legendLabels[split]}`}</title></rect>`,
  ];
  // Below the split: regions L ≤ t_k, largest first, as band k; above: regions L ≥ t_k, largest
  // first, as band k + 1.
  const order: number[] = [];
  for (let k = split - 1; k >= 0; k--) order.push(k);
  for (let k = split; k < bands.contours.length; k++) order.push(k);
  for (const k of order) {
    const polygon = bands.contours[k]!;
    let d = '';
    for (const rings of polygon.coordinates) {
      for (const ring of rings) d += ringPath(ring, map);
    }
    const below = k < split;
    const band = below ? k : k + 1;
    if (d) parts.push(svg`<path class="band band-${band}" data-threshold="${num(ts[k]!)}" data-region="${below ? 'below' : 'above'}" d="${d}"><title>${`loss ${legendLabels[band]}`}</title></path>`);
  }
  parts.push(svg`</g>`);

  // Axes over the bands so the gridlines stay visible.
  // The plot is framed by its own rect instead of axis lines.
  parts.push(
    gridAndAxes(
      { left: x0, right: px(x1), top: yTop, bottom: yBottom },
      { values: logTicks(nRange[0], nRange[1]), at: (t) => px(x(t)), label: countLabel, labelY: yBottom + 16 },
      { values: logTicks(dRange[0], dRange[1]), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: countLabel, labelX: x0 - 6 },
      {
        groupClass: 'axes',
        axisLines: false,
        captions: [
          svg`<rect class="plot-frame" x="${x0}" y="${yTop}" width="${px(x1 - x0)}" height="${px(yBottom - yTop)}"></rect>`,
          svg`<text class="axis-caption" x="${px((x0 + x1) / 2)}" y="${height - 8}" text-anchor="middle">parameters N (log scale)</text>`,
          svg`<text class="axis-caption" x="${x0}" y="14">training tokens D (log scale)</text>`,
          svg`<text class="fit-label" x="${px(x1)}" y="14" text-anchor="end">${overlay.fitLabel ?? ''}</text>`,
        ],
      },
    ),
  );

  // Iso-FLOP lines: D = C / (6N), a slope −1 diagonal in log–log, clipped to the plot.
  const budgets = [...new Set((overlay.isoFlopLines ?? []).filter((c) => Number.isFinite(c) && c > 0))].sort((a, b) => a - b);
  if (budgets.length) {
    parts.push(svg`<g class="isoflop-lines">`);
    for (const c of budgets) {
      const ax = x(nRange[0]);
      const ay = y(c / (6 * nRange[0]));
      const bx = x(nRange[1]);
      const by = y(c / (6 * nRange[1]));
      const t = Number.isFinite(ay) && Number.isFinite(by) ? clipSegment(ax, ay, bx, by, box) : null;
      if (!t || t[1] - t[0] < 1e-6) continue;
      const [sxp, syp] = [ax + t[0] * (bx - ax), ay + t[0] * (by - ay)];
      const [exp, eyp] = [ax + t[1] * (bx - ax), ay + t[1] * (by - ay)];
      parts.push(
        svg`<path class="isoflop-line" data-budget="${num(c)}" d="M${px(sxp)},${px(syp)}L${px(exp)},${px(eyp)}" stroke-dasharray="5 4"><title>${`C = 6ND = ${budgetLabel(c)}`}</title></path>`,
        svg`<text class="isoflop-label" data-budget="${num(c)}" x="${px(sxp + 4)}" y="${px(syp + 12)}">${budgetLabel(c)}</text>`,
      );
    }
    parts.push(svg`</g>`);
  }

  const frontier = (overlay.frontier ?? []).filter((p) => Number.isFinite(p.N) && Number.isFinite(p.D) && p.N > 0 && p.D > 0);
  const frontierPx = frontier.length >= 2 ? frontier.map((p) => [x(p.N), y(p.D)] as const) : [];
  if (frontierPx.length) {
    const d = clipPolyline(frontierPx, box);
    if (d) parts.push(svg`<path class="frontier" d="${d}"><title>compute-optimal frontier N*(C), D*(C)</title></path>`);
  }

  const plan = overlay.plan && [overlay.plan.N, overlay.plan.D].every((v) => Number.isFinite(v) && v > 0) ? overlay.plan : null;
  const planPx = plan ? ([Math.min(x1, Math.max(x0, x(plan.N))), Math.min(yBottom, Math.max(yTop, y(plan.D)))] as const) : null;

  // Threshold labels on the contours, near the rising diagonal but clear of the frontier and
  // the plan; skipped when they would crowd each other.
  parts.push(svg`<g class="threshold-labels">`);
  const toPx = (cx: number, cy: number): [number, number] => [map.ox + (cx - 0.5) * map.sx, map.oy + (cy - 0.5) * map.sy];
  const placed: Array<[number, number]> = [];
  // The plan's marker and the middle of its "plan" label (drawn to the right unless near the edge).
  const planLeft = planPx ? planPx[0] > x1 - 40 : false;
  const avoidPoints: Array<readonly [number, number]> = planPx ? [planPx, [planPx[0] + (planLeft ? -22 : 22), planPx[1] - 12]] : [];
  for (let k = 0; k < bands.contours.length; k++) {
    const text = sig4(ts[k]!);
    const p = labelPoint(bands.contours[k]!, size, toPx, frontierPx, avoidPoints, 14, (text.length * CHAR_11) / 2);
    if (!p) continue;
    const [lx, ly] = p;
    if (placed.some(([qx, qy]) => Math.abs(qx - lx) < 34 && Math.abs(qy - ly) < 13)) continue;
    placed.push([lx, ly]);
    parts.push(svg`<text class="threshold-label" data-threshold="${num(ts[k]!)}" x="${px(lx)}" y="${px(ly + 4)}" text-anchor="middle">${text}</text>`);
  }
  parts.push(svg`</g>`);

  if (plan && planPx) {
    const offScale = plan.N < nRange[0] || plan.N > nRange[1] || plan.D < dRange[0] || plan.D > dRange[1];
    const [cx, cy] = planPx;
    const left = planLeft;
    parts.push(
      svg`<g class="plan${offScale ? ' off-scale' : ''}" data-n="${num(plan.N)}" data-d="${num(plan.D)}"><title>${`plan: N = ${countLabel(plan.N)}, D = ${countLabel(plan.D)}, C = 6ND = ${budgetLabel(6 * plan.N * plan.D)}${offScale ? ' (outside the range drawn)' : ''}`}</title>`,
      svg`<circle class="plan-point" cx="${px(cx)}" cy="${px(cy)}" r="5"></circle>`,
      svg`<text class="plan-label" x="${px(left ? cx - 8 : cx + 8)}" y="${px(cy - 8)}" text-anchor="${left ? 'end' : 'start'}">plan</text>`,
      svg`</g>`,
    );
  }

  // Legend (colour key): the worst band at the top, row height shrinking to fit.
  const rows = legendLabels.length;
  const row = Math.max(10, Math.min(16, (yBottom - yTop - 16) / rows));
  const lx = x1 + 16;
  parts.push(svg`<g class="legend"><text class="legend-title" x="${px(lx)}" y="${px(yTop + 4)}">loss</text>`);
  for (let r = 0; r < rows; r++) {
    const band = rows - 1 - r;
    const ry = yTop + 12 + r * row;
    parts.push(
      svg`<rect class="band band-${band} swatch" x="${px(lx)}" y="${px(ry)}" width="14" height="${px(row - 2)}"></rect>`,
      svg`<text class="legend-label" x="${px(lx + 20)}" y="${px(ry + row / 2 + 2)}">${legendLabels[band]!}</text>`,
    );
  }
  parts.push(svg`</g>`);
  return chartSvg({ className: 'loss-contour-chart', width, height, title: `${TITLE} (${overlay.fitLabel ?? ''})` }, parts);
}

// Scratch space for ringPath (grown on demand; JavaScript runs one ring at a time).
let scratchX = new Int32Array(1024);
let scratchY = new Int32Array(1024);

/**
 * One closed ring as path data. Grid coordinates go to tenths of a pixel (the half cell beyond
 * the outermost samples clamped onto the plot's edge); repeated points and the middle points of
 * horizontal or vertical runs (the frame edges) are dropped, which keeps the markup small.
 */
function ringPath(ring: ReadonlyArray<ArrayLike<number>>, map: GridMap): string {
  let n = ring.length;
  if (n < 3) return '';
  if (ring[0]![0] === ring[n - 1]![0] && ring[0]![1] === ring[n - 1]![1]) n -= 1;
  if (scratchX.length < n) {
    scratchX = new Int32Array(n * 2);
    scratchY = new Int32Array(n * 2);
  }
  const X = scratchX;
  const Y = scratchY;
  const last = map.size - 1;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = ring[i]!;
    const gx = p[0]! - 0.5;
    const gy = p[1]! - 0.5;
    const tx = Math.round((map.ox + (gx < 0 ? 0 : gx > last ? last : gx) * map.sx) * 10);
    const ty = Math.round((map.oy + (gy < 0 ? 0 : gy > last ? last : gy) * map.sy) * 10);
    if (m > 0 && X[m - 1] === tx && Y[m - 1] === ty) continue;
    X[m] = tx;
    Y[m] = ty;
    m++;
  }
  while (m > 1 && X[m - 1] === X[0] && Y[m - 1] === Y[0]) m--;
  if (m < 3) return '';
  let d = '';
  for (let i = 0; i < m; i++) {
    const p = i === 0 ? m - 1 : i - 1;
    const q = i + 1 === m ? 0 : i + 1;
    const xi = X[i]!;
    const yi = Y[i]!;
    if ((X[p] === xi && X[q] === xi) || (Y[p] === yi && Y[q] === yi)) continue;
    d += `${d ? 'L' : 'M'}${xi / 10},${yi / 10}`;
  }
  return d ? `${d}Z` : '';
}

export function renderLossContourChart(input: LossContourChartInput, options: LossContourChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(Number.isFinite(options.width) ? options.width! : 720));
  if (typeof input?.loss !== 'function') return emptyChart('loss-contour-chart', width, TITLE, 'No loss law to draw.');
  if (!isLogRange(input.nRange) || !isLogRange(input.dRange)) {
    return emptyChart('loss-contour-chart', width, TITLE, 'The model-size and token ranges must be positive numbers, low < high.');
  }
  if (checkedGrid(input.grid) === null) return emptyChart('loss-contour-chart', width, TITLE, `The grid must be a whole number of points from 2 to ${MAX_GRID}.`);
  let grid: LossGrid;
  try {
    grid = lossGrid(input.loss, input.nRange, input.dRange, input.grid);
  } catch {
    return emptyChart('loss-contour-chart', width, TITLE, 'The loss law failed to evaluate on this range.');
  }
  return lossContourSvg(grid, lossContours(grid, options.thresholds), input, options);
}
