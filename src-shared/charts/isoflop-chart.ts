/**
 * IsoFLOP curves for the scaling-law planner (runs anywhere): for each compute budget C, the loss
 * a fit predicts against model size N with the data fixed by the budget, D = C / (6N)
 * (Hoffmann et al. 2022, approach 2 drawn from a fitted law). Each curve's minimum is found
 * numerically (dense sampling on log N, then golden-section refinement), the minima are joined as
 * the compute-efficient frontier, each curve is labelled with its budget and the plan is marked.
 * The loss axis is clipped to a range around the minima so one steep curve cannot flatten the
 * rest. Takes a plain loss function, not a fit, so it does not depend on the planner's fit code.
 * Pure: data in, SVG (SafeMarkup) out; no inline styles (CSP), classes only (`.isoflop-chart`).
 *
 * Also exports the small helpers the other planner charts share: budget and count labels and a
 * polyline clipper that works in pixel space.
 */
import { formatSI } from '../format/si.js';
import { format } from 'd3-format';
import { scaleLinear, scaleLog } from 'd3-scale';
import { emptyChart, logTicks } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';

export type LossFunction = (N: number, D: number) => number;

export interface IsoflopPlan {
  N: number;
  D: number;
  C: number;
  loss: number;
}

export interface IsoflopChartInput {
  loss: LossFunction;
  /** Compute budgets in FLOPs; order and duplicates do not matter. */
  budgets: readonly number[];
  /** Model sizes (parameters) spanned by the x axis. */
  nRange: readonly [number, number];
  plan?: IsoflopPlan;
  /** Names the fit, e.g. "Chinchilla approach 3 (Hoffmann et al. 2022)". */
  fitLabel: string;
}

export interface IsoflopChartOptions {
  width?: number;
  height?: number;
  /** Log-spaced samples per curve (default 80). */
  samples?: number;
}

export interface IsoflopMinimum {
  N: number;
  D: number;
  loss: number;
  /** The minimum sits on an end of nRange: the true optimum lies outside the range drawn. */
  atEdge: boolean;
}

export interface IsoflopCurve {
  C: number;
  /** Every sample, in ascending N; `loss` is NaN where the law is not finite. */
  points: Array<{ N: number; loss: number }>;
  minimum: IsoflopMinimum | null;
}

const TITLE = 'IsoFLOP curves: loss against model size at fixed compute, D = C / 6N';
const GOLDEN = (Math.sqrt(5) - 1) / 2;
const MAX_BUDGETS = 40;

const sig3 = format('.3~g');

/**
 * A compute budget with an SI prefix, two significant digits: "1 ZFLOPs" (10²¹), "3 ZFLOPs",
 * "250 ZFLOPs" (2.5·10²³). Papers write these "1e21"; the app never shows e-notation (one
 * formatter, src-shared/format/si.ts), and the budget field still accepts "1e21".
 */
export function budgetLabel(flops: number): string {
  if (!Number.isFinite(flops) || flops <= 0) return '—';
  return formatSI(flops, 'FLOPs', 2);
}

/** A parameter or token count: "125M", "70B", "1.4T"; "30Q" (quadrillion, as formatCount) beyond the trillions. */
export function countLabel(count: number): string {
  if (!Number.isFinite(count)) return '—';
  const a = Math.abs(count);
  if (a >= 1e15) return `${sig3(count / 1e15)}Q`;
  if (a >= 1e12) return `${sig3(count / 1e12)}T`;
  if (a >= 1e9) return `${sig3(count / 1e9)}B`;
  if (a >= 1e6) return `${sig3(count / 1e6)}M`;
  if (a >= 1e3) return `${sig3(count / 1e3)}k`;
  return sig3(count);
}

/** A positive finite range [lo, hi] with lo < hi. */
export function isLogRange(range: readonly number[] | null | undefined): range is readonly [number, number] {
  return !!range && range.length === 2 && Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0]! > 0 && range[1]! > range[0]!;
}

export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Liang–Barsky: the part of segment a→b inside the box as parameters [t0, t1] along it (0 = a,
 * 1 = b), or null when it misses the box.
 */
export function clipSegment(ax: number, ay: number, bx: number, by: number, box: Box): [number, number] | null {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, ax - box.x0],
    [dx, box.x1 - ax],
    [-dy, ay - box.y0],
    [dy, box.y1 - ay],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return null;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return null;
        if (r < t1) t1 = r;
      }
    }
  }
  return [t0, t1];
}

/**
 * Path data for a polyline clipped to a box, in pixels. A non-finite point breaks the line; a
 * segment that leaves and re-enters starts a new subpath. '' if nothing is inside.
 */
export function clipPolyline(points: ReadonlyArray<readonly [number, number]>, box: Box): string {
  let d = '';
  let pen = '';
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1]!;
    const [bx, by] = points[i]!;
    if (!Number.isFinite(ax) || !Number.isFinite(ay) || !Number.isFinite(bx) || !Number.isFinite(by)) continue;
    const t = clipSegment(ax, ay, bx, by, box);
    if (!t) continue;
    const start = `${px(ax + t[0] * (bx - ax))},${px(ay + t[0] * (by - ay))}`;
    if (pen !== start) d += `M${start}`;
    pen = `${px(ax + t[1] * (bx - ax))},${px(ay + t[1] * (by - ay))}`;
    d += `L${pen}`;
  }
  return d;
}

function lossAt(loss: LossFunction, C: number, logN: number): number {
  const N = Math.exp(logN);
  const v = loss(N, C / (6 * N));
  return Number.isFinite(v) ? v : Infinity;
}

/**
 * One isoFLOP curve: `samples` log-spaced model sizes across nRange with D = C / (6N), and its
 * minimum, refined by golden-section search on log N between the best sample's neighbours.
 */
export function isoflopCurve(loss: LossFunction, C: number, nRange: readonly [number, number], samples = 80): IsoflopCurve {
  const count = Math.max(3, Math.round(samples));
  const lo = Math.log(nRange[0]);
  const step = (Math.log(nRange[1]) - lo) / (count - 1);
  const points: Array<{ N: number; loss: number }> = new Array(count);
  let best = -1;
  let bestLoss = Infinity;
  for (let i = 0; i < count; i++) {
    const N = Math.exp(lo + i * step);
    const v = loss(N, C / (6 * N));
    const ok = Number.isFinite(v);
    points[i] = { N, loss: ok ? v : NaN };
    if (ok && v < bestLoss) {
      bestLoss = v;
      best = i;
    }
  }
  if (best < 0) return { C, points, minimum: null };

  // Golden-section search on [best − 1, best + 1] (in log N): the sampled curve brackets it.
  let a = lo + Math.max(0, best - 1) * step;
  let b = lo + Math.min(count - 1, best + 1) * step;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = lossAt(loss, C, c);
  let fd = lossAt(loss, C, d);
  for (let k = 0; k < 48 && b - a > 1e-10; k++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = lossAt(loss, C, c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = lossAt(loss, C, d);
    }
  }
  let logN = lo + best * step;
  let minLoss = bestLoss;
  const u = fc <= fd ? c : d;
  const fu = Math.min(fc, fd);
  if (fu < minLoss) {
    logN = u;
    minLoss = fu;
  }
  const N = Math.exp(logN);
  // On an end sample with the refinement not moving inwards: the optimum is outside the range.
  const atEdge = (best === 0 || best === count - 1) && Math.abs(logN - (lo + best * step)) < step * 1e-3;
  return { C, points, minimum: { N, D: C / (6 * N), loss: minLoss, atEdge } };
}

const num = (v: number) => String(v);

export function renderIsoflopChart(input: IsoflopChartInput, options: IsoflopChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(Number.isFinite(options.width) ? options.width! : 720));
  const height = Math.max(220, Math.round(Number.isFinite(options.height) ? options.height! : 360));
  if (typeof input?.loss !== 'function') return emptyChart('isoflop-chart', width, TITLE, 'No loss law to draw.');
  if (!isLogRange(input.nRange)) return emptyChart('isoflop-chart', width, TITLE, 'The model-size range must be two positive numbers, low < high.');
  const budgets = [...new Set((input.budgets ?? []).filter((c) => Number.isFinite(c) && c > 0))].sort((a, b) => a - b).slice(0, MAX_BUDGETS);
  if (budgets.length === 0) return emptyChart('isoflop-chart', width, TITLE, 'Give at least one positive compute budget.');
  const plan = input.plan && [input.plan.N, input.plan.D, input.plan.C].every((v) => Number.isFinite(v) && v > 0) ? input.plan : null;
  const planLoss = plan && Number.isFinite(plan.loss) ? plan.loss : null;

  let curves: IsoflopCurve[];
  let planCurve: IsoflopCurve | null = null;
  try {
    curves = budgets.map((c) => isoflopCurve(input.loss, c, input.nRange, options.samples));
    if (plan && !budgets.some((c) => Math.abs(c / plan.C - 1) < 1e-3)) planCurve = isoflopCurve(input.loss, plan.C, input.nRange, options.samples);
  } catch {
    return emptyChart('isoflop-chart', width, TITLE, 'The loss law failed to evaluate on this range.');
  }
  const minima = curves.map((c) => c.minimum).filter((m): m is IsoflopMinimum => m !== null);
  if (minima.length === 0) return emptyChart('isoflop-chart', width, TITLE, 'The loss is not finite anywhere on these curves.');

  // Loss axis: from just under the lowest minimum to a cap above the highest one, so curves that
  // shoot up at tiny N or tiny D do not squash the region around the optima.
  let minMin = Infinity;
  let maxMin = -Infinity;
  for (const m of minima) {
    minMin = Math.min(minMin, m.loss);
    maxMin = Math.max(maxMin, m.loss);
  }
  if (planCurve?.minimum) minMin = Math.min(minMin, planCurve.minimum.loss);
  let maxFinite = -Infinity;
  for (const c of curves) for (const p of c.points) if (p.loss > maxFinite) maxFinite = p.loss;
  const spread = maxMin - minMin;
  const headroom = Math.max(0.75 * spread, 0.08 * Math.abs(maxMin), 1e-6);
  let yHi = Math.min(maxFinite, maxMin + headroom);
  let yLo = minMin;
  if (planLoss !== null) {
    yHi = Math.max(yHi, planLoss);
    yLo = Math.min(yLo, planLoss);
  }
  if (!(yHi > yLo)) yHi = yLo + Math.max(1e-6, Math.abs(yLo) * 0.05);
  const pad = (yHi - yLo) * 0.06;
  yLo -= pad;
  yHi += pad;

  const margin = { top: 30, right: 24, bottom: 44, left: 58 };
  const x0 = margin.left;
  const x1 = width - margin.right;
  const yTop = margin.top;
  const yBottom = height - margin.bottom;
  const box: Box = { x0, x1, y0: yTop, y1: yBottom };
  const x = scaleLog().domain([input.nRange[0], input.nRange[1]]).range([x0, x1]);
  const y = scaleLinear().domain([yLo, yHi]).range([yBottom, yTop]);

  const parts: Array<SafeMarkup | null> = [
  ];
  parts.push(
    gridAndAxes(
      { left: x0, right: x1, top: yTop, bottom: yBottom },
      { values: logTicks(input.nRange[0], input.nRange[1]), at: (t) => px(x(t)), label: countLabel, labelY: yBottom + 16 },
      { values: y.ticks(6), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: y.tickFormat(6), labelX: x0 - 6 },
      {
        groupClass: 'axes',
        captions: [
          svg`<text class="axis-caption" x="${px((x0 + x1) / 2)}" y="${height - 8}" text-anchor="middle">parameters N (log scale); tokens D = C / 6N along each curve</text>`,
          svg`<text class="axis-caption" x="${x0}" y="14">loss</text>`,
          svg`<text class="fit-label" x="${x1}" y="14" text-anchor="end">${input.fitLabel ?? ''}</text>`,
        ],
      },
    ),
  );

  const curvePath = (c: IsoflopCurve) => clipPolyline(c.points.map((p) => [x(p.N), Number.isFinite(p.loss) ? y(p.loss) : NaN] as const), box);
  parts.push(svg`<g class="curves">`);
  curves.forEach((c, i) => {
    const d = curvePath(c);
    if (d) parts.push(svg`<path class="curve curve-${i}" data-budget="${num(c.C)}" d="${d}"><title>${`C = ${budgetLabel(c.C)}`}</title></path>`);
  });
  if (planCurve) {
    const d = curvePath(planCurve);
    if (d) parts.push(svg`<path class="curve plan-curve" data-budget="${num(planCurve.C)}" d="${d}"><title>${`plan budget C = ${budgetLabel(planCurve.C)}`}</title></path>`);
  }
  parts.push(svg`</g>`);

  // The efficient frontier joins the minima that lie inside the range (an edge minimum is not one).
  const inner = curves.filter((c) => c.minimum && !c.minimum.atEdge).map((c) => [x(c.minimum!.N), y(c.minimum!.loss)] as const);
  if (inner.length >= 2) parts.push(svg`<path class="frontier" d="${clipPolyline(inner, box)}"><title>compute-efficient frontier (minimum of each curve)</title></path>`);

  parts.push(svg`<g class="minima">`);
  curves.forEach((c, i) => {
    const m = c.minimum;
    if (!m) return;
    const cx = x(m.N);
    const cy = y(m.loss);
    const hover = `C = ${budgetLabel(c.C)}: minimum loss ${sig3(m.loss)} at N = ${countLabel(m.N)}, D = ${countLabel(m.D)}${m.atEdge ? ' (at the edge of the range: the optimum lies outside it)' : ''}`;
    parts.push(
      svg`<circle class="minimum${m.atEdge ? ' at-edge' : ''}" data-budget="${num(c.C)}" data-n="${num(m.N)}" data-d="${num(m.D)}" data-loss="${num(m.loss)}" cx="${px(cx)}" cy="${px(cy)}" r="3.5"><title>${hover}</title></circle>`,
      svg`<text class="budget-label budget-${i}" data-budget="${num(c.C)}" x="${px(cx)}" y="${px(Math.min(yBottom - 4, cy + 15))}" text-anchor="middle">${budgetLabel(c.C)}</text>`,
    );
  });
  if (planCurve?.minimum) {
    const m = planCurve.minimum;
    parts.push(
      svg`<circle class="minimum plan-minimum${m.atEdge ? ' at-edge' : ''}" data-budget="${num(planCurve.C)}" data-n="${num(m.N)}" data-d="${num(m.D)}" data-loss="${num(m.loss)}" cx="${px(x(m.N))}" cy="${px(y(m.loss))}" r="3"><title>${`optimum at the plan's budget: N = ${countLabel(m.N)}, loss ${sig3(m.loss)}`}</title></circle>`,
    );
  }
  parts.push(svg`</g>`);

  if (plan) {
    const offScale = plan.N < input.nRange[0] || plan.N > input.nRange[1] || planLoss === null;
    const cx = Math.min(x1, Math.max(x0, x(plan.N)));
    const cy = planLoss === null ? yTop : y(planLoss);
    const hover = `plan: N = ${countLabel(plan.N)}, D = ${countLabel(plan.D)}, C = ${budgetLabel(plan.C)}${planLoss === null ? '' : `, loss ${sig3(planLoss)}`}${offScale ? ' (outside the range drawn)' : ''}`;
    const left = cx > x1 - 40;
    parts.push(
      svg`<g class="plan${offScale ? ' off-scale' : ''}" data-n="${num(plan.N)}" data-d="${num(plan.D)}" data-c="${num(plan.C)}"${planLoss === null ? null : attrs` data-loss="${num(planLoss)}"`}><title>${hover}</title>`,
      svg`<circle class="plan-point" cx="${px(cx)}" cy="${px(cy)}" r="5"></circle>`,
      svg`<text class="plan-label" x="${px(left ? cx - 8 : cx + 8)}" y="${px(cy - 8)}" text-anchor="${left ? 'end' : 'start'}">plan</text>`,
      svg`</g>`,
    );
  }
  return chartSvg({ className: 'isoflop-chart', width, height, title: `${TITLE} (${input.fitLabel ?? ''})` }, parts);
}
