/**
 * How much the published scaling-law fits disagree (runs anywhere): the compute-optimal model size
 * N*(C) and token count D*(C) against compute C, one line per fit, in two log–log panels (side by
 * side, stacked when narrow), with the plan marked and, at the plan's budget (else the middle of
 * the range), the spread between the fits printed as a ratio. Takes plain frontier points, not
 * fits, so it does not depend on the planner's fit code. Pure: data in, SVG (SafeMarkup) out; no inline
 * styles (CSP), classes only (`.frontier-compare-chart`; lines `series series-<index>` in input
 * order).
 */
import { scaleLog } from 'd3-scale';
import { emptyChart, legendGrid, logTicks, type LegendEntry } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { budgetLabel, clipPolyline, countLabel, isLogRange, type Box } from './isoflop-chart.js';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';

export interface FrontierPoint {
  /** Compute in FLOPs. */
  C: number;
  N: number;
  D: number;
}

export interface FrontierSeries {
  /** The fit's id, e.g. "chinchilla-3"; goes into data-fit. */
  id: string;
  label: string;
  points: readonly FrontierPoint[];
}

export interface FrontierCompareChartInput {
  series: readonly FrontierSeries[];
  plan?: FrontierPoint;
  /** Compute range of the x axes, FLOPs. */
  cRange: readonly [number, number];
}

export interface FrontierCompareChartOptions {
  width?: number;
  /** Height of one panel's plot area plus axes (stacked panels double it). */
  height?: number;
}

const TITLE = 'Compute-optimal model size and training tokens against compute, per fit (log–log)';

const valid = (p: FrontierPoint) => [p.C, p.N, p.D].every((v) => Number.isFinite(v) && v > 0);
const num = (v: number) => String(v);

/** log–log interpolation of a series (ascending C) at c; null outside its span. */
function interpolate(points: readonly FrontierPoint[], c: number, key: 'N' | 'D'): number | null {
  if (points.length === 0 || c < points[0]!.C || c > points[points.length - 1]!.C) return null;
  for (let i = 0; i < points.length; i++) {
    const b = points[i]!;
    if (b.C === c) return b[key];
    if (b.C > c) {
      const a = points[i - 1]!;
      const t = Math.log(c / a.C) / Math.log(b.C / a.C);
      return Math.exp(Math.log(a[key]) + t * Math.log(b[key] / a[key]));
    }
  }
  return null;
}

function ratioText(r: number): string {
  return r >= 10 ? r.toFixed(0) : r.toFixed(1);
}

export function renderFrontierCompareChart(input: FrontierCompareChartInput, options: FrontierCompareChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(Number.isFinite(options.width) ? options.width! : 760));
  const panelHeight = Math.max(200, Math.round(Number.isFinite(options.height) ? options.height! : 300));
  if (!isLogRange(input?.cRange)) return emptyChart('frontier-compare-chart', width, TITLE, 'The compute range must be two positive numbers, low < high.');
  const [cLo, cHi] = input.cRange;
  const series = (input.series ?? []).map((s, index) => ({
    ...s,
    index,
    points: (s.points ?? []).filter(valid).sort((a, b) => a.C - b.C),
  }));
  // A fit is drawn when its points reach into the range (a line may also just pass through it).
  const drawn = series.filter((s) => s.points.length > 0 && s.points[0]!.C <= cHi && s.points[s.points.length - 1]!.C >= cLo);
  if (drawn.length === 0) return emptyChart('frontier-compare-chart', width, TITLE, 'No fit has frontier points in this compute range.');
  const plan = input.plan && valid(input.plan) ? input.plan : null;

  // Where to compare the fits: the plan's budget when it is in range, else the middle (log) of it.
  const cAt = plan && plan.C >= cLo && plan.C <= cHi ? plan.C : Math.sqrt(cLo * cHi);

  const sideBySide = width >= 640;
  const gap = sideBySide ? 24 : 0;
  const left = 58;
  const right = 16;
  const panelWidth = sideBySide ? (width - gap) / 2 : width;
  const top = 30;
  const bottomRoom = 40;
  const panelsHeight = sideBySide ? panelHeight : 2 * panelHeight;

  const parts: Array<SafeMarkup | null> = [];
  const spreads: Record<'N' | 'D', { lo: number; hi: number } | null> = { N: null, D: null };

  (['N', 'D'] as const).forEach((key, p) => {
    const ox = sideBySide ? p * (panelWidth + gap) : 0;
    const oy = sideBySide ? 0 : p * panelHeight;
    const x0 = ox + left;
    const x1 = ox + panelWidth - right;
    const yTop = oy + top;
    const yBottom = oy + panelHeight - bottomRoom;
    const box: Box = { x0, x1, y0: yTop, y1: yBottom };

    // y: every in-range value of every fit (and the plan), with a margin, at least one decade.
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of drawn) {
      for (const q of s.points) {
        if (q.C < cLo || q.C > cHi) continue;
        lo = Math.min(lo, q[key]);
        hi = Math.max(hi, q[key]);
      }
      // A line crossing the edge of the range: its value at the edge is on the chart too.
      for (const c of [cLo, cHi]) {
        const v = interpolate(s.points, c, key);
        if (v !== null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (plan) {
      lo = Math.min(lo, plan[key]);
      hi = Math.max(hi, plan[key]);
    }
    lo /= 1.3;
    hi *= 1.3;
    if (hi / lo < 10) {
      const mid = Math.sqrt(lo * hi);
      lo = mid / Math.sqrt(10);
      hi = mid * Math.sqrt(10);
    }
    const x = scaleLog().domain([cLo, cHi]).range([x0, x1]);
    const y = scaleLog().domain([lo, hi]).range([yBottom, yTop]);
    const what = key === 'N' ? 'optimal parameters N*' : 'optimal tokens D*';

    parts.push(
      svg`<g class="panel panel-${key.toLowerCase()}">`,
      gridAndAxes(
        { left: x0, right: px(x1), top: yTop, bottom: yBottom },
        { values: logTicks(cLo, cHi), at: (t) => px(x(t)), label: budgetLabel, labelY: yBottom + 16 },
        { values: logTicks(lo, hi), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: countLabel, labelX: x0 - 6 },
        {
          groupClass: 'axes',
          captions: [
            svg`<text class="axis-caption" x="${px((x0 + x1) / 2)}" y="${yBottom + 34}" text-anchor="middle">compute C (FLOPs, log scale)</text>`,
            svg`<text class="axis-caption" x="${x0}" y="${yTop - 12}">${what} (log scale)</text>`,
          ],
        },
      ),
    );

    // The comparison budget as a vertical guide.
    const gx = px(x(cAt));
    parts.push(svg`<line class="guide" x1="${gx}" x2="${gx}" y1="${yTop}" y2="${yBottom}" stroke-dasharray="3 3"></line>`);

    parts.push(svg`<g class="series-lines">`);
    const atValues: number[] = [];
    for (const s of drawn) {
      const hover = `${s.label}: ${what}`;
      const pts = s.points.map((q) => [x(q.C), y(q[key])] as const);
      const d = clipPolyline(pts, box);
      if (d) {
        parts.push(svg`<path class="series series-${s.index}" data-fit="${s.id}" d="${d}"><title>${hover}</title></path>`);
      } else {
        // A single point in range: a dot instead of a line.
        const q = s.points.find((r) => r.C >= cLo && r.C <= cHi && r[key] >= lo && r[key] <= hi);
        if (q) parts.push(svg`<circle class="series series-${s.index} point" data-fit="${s.id}" cx="${px(x(q.C))}" cy="${px(y(q[key]))}" r="3"><title>${hover}</title></circle>`);
      }
      const v = interpolate(s.points, cAt, key);
      if (v !== null) {
        atValues.push(v);
        parts.push(
          svg`<circle class="series series-${s.index} at-budget" data-fit="${s.id}" data-c="${num(cAt)}" data-value="${num(v)}" cx="${gx}" cy="${px(y(v))}" r="3"><title>${`${s.label}: ${key}* = ${countLabel(v)} at C = ${budgetLabel(cAt)}`}</title></circle>`,
        );
      }
    }
    parts.push(svg`</g>`);
    if (atValues.length >= 2) spreads[key] = { lo: Math.min(...atValues), hi: Math.max(...atValues) };

    if (plan) {
      const offScale = plan.C < cLo || plan.C > cHi;
      const cx = Math.min(x1, Math.max(x0, x(plan.C)));
      const cy = y(plan[key]);
      parts.push(
        svg`<g class="plan${offScale ? ' off-scale' : ''}" data-c="${num(plan.C)}" data-value="${num(plan[key])}"><title>${`plan: ${key} = ${countLabel(plan[key])} at C = ${budgetLabel(plan.C)}${offScale ? ' (outside the range drawn)' : ''}`}</title>`,
        svg`<circle class="plan-point" cx="${px(cx)}" cy="${px(cy)}" r="5"></circle>`,
        svg`</g>`,
      );
    }
    parts.push(svg`</g>`);
  });

  // The disagreement, in words and as data-* for tests and tooltips.
  const spreadParts: string[] = [];
  const ratioAttrs: SafeMarkup[] = [];
  for (const key of ['N', 'D'] as const) {
    const s = spreads[key];
    if (!s) continue;
    const r = s.hi / s.lo;
    spreadParts.push(`${key}* from ${countLabel(s.lo)} to ${countLabel(s.hi)} (${ratioText(r)}×)`);
    ratioAttrs.push(key === 'N' ? attrs` data-n-ratio="${num(r)}"` : attrs` data-d-ratio="${num(r)}"`);
  }
  let y = panelsHeight + 6;
  if (spreadParts.length) {
    parts.push(svg`<text class="spread" data-c="${num(cAt)}"${ratioAttrs} x="${left}" y="${px(y + 8)}">${`At C = ${budgetLabel(cAt)} the fits put ${spreadParts.join('; ')}.`}</text>`);
    y += 20;
  }

  // Legend: one entry per fit, then the plan.
  const entries: LegendEntry[] = drawn.map((s) => ({
    swatch: svg`<line class="series series-${s.index} swatch" data-fit="${s.id}" x1="0" x2="22" y1="0" y2="0"></line>`,
    text: s.label,
  }));
  if (plan) entries.push({ swatch: svg`<circle class="plan-point" cx="11" cy="0" r="5"></circle>`, text: `plan: ${countLabel(plan.N)} parameters, ${countLabel(plan.D)} tokens, ${budgetLabel(plan.C)}` });
  const legend = legendGrid(entries, left, y + 10, width - left);
  parts.push(legend.markup);
  const height = Math.round(legend.bottom);

  return chartSvg({ className: 'frontier-compare-chart', width, height, title: TITLE }, parts);
}
