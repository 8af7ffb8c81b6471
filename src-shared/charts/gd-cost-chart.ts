/**
 * The cost of the learning algorithm (runs anywhere): cumulative predicted time (or FLOPs)
 * against gradient-descent steps, log–log, for least squares fitted three ways: recompute
 * Xᵀ(Xw − y) every step, precompute XᵀX once, or solve the normal equations (Cholesky) once.
 * Numbers from src-shared/planner/gd-cost.ts (time: each kernel max(FLOPs / peak, bytes /
 * bandwidth), Williams et al. 2009 roofline). Measured kernel times, when given, are overlaid as
 * points on k·step (recompute) and setup + k·step (precompute). Vertical marks at the
 * precompute-vs-recompute break-even: in the metric shown, and, on the time chart, the FLOP
 * break-even too (the lesson: they differ by the roofline), and the measured one. Pure: input in,
 * SVG (SafeMarkup) out; no inline styles (CSP), classes only (`.gd-cost-chart`).
 */
import { max, min } from 'd3-array';
import { format } from 'd3-format';
import { scaleLog } from 'd3-scale';
import {
  gdCostSeries,
  GD_STRATEGIES,
  measuredBreakEvenSteps,
  type GdCostSeries,
  type GdMeasuredSeconds,
  type GdRoofline,
  type GdStrategy,
} from '../planner/gd-cost.js';
import { CHAR_11, emptyChart, isPositive, logTicks, numberTickLabel } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';

export interface GdCostChartInput {
  /** Rows of X (samples). */
  n: number;
  /** Columns of X (features). */
  d: number;
  /** Last step count on the x axis (≥ 2). */
  kMax: number;
  /** Needed for the time metric's predicted curves. */
  roofline?: GdRoofline;
  /** Default 4 (fp32). */
  bytesPerElement?: number;
  /** Measured kernel times (src-main/services/planner/linreg-measure.ts), drawn on the time chart. */
  measured?: GdMeasuredSeconds;
}

export type GdCostMetric = 'seconds' | 'flops';

export interface GdCostChartOptions {
  width?: number;
  /** Plot height (the legend adds to it); default 300. */
  height?: number;
  /** Default 'seconds' when a roofline or measured times are given, else 'flops'. */
  metric?: GdCostMetric;
}

export const GD_STRATEGY_LABELS: Readonly<Record<GdStrategy, string>> = {
  recompute: 'recompute Xᵀ(Xw − y) each step',
  precompute: 'precompute XᵀX, then 2(Gw − h)',
  closedForm: 'closed form (XᵀX + Cholesky)',
};

const STRATEGY_CLASS: Readonly<Record<GdStrategy, string>> = {
  recompute: 'strategy-recompute',
  precompute: 'strategy-precompute',
  closedForm: 'strategy-closed-form',
};

const TITLE = 'Cost of fitting least squares by gradient descent: recompute, precompute XᵀX, or closed form (log–log)';
const LEGEND_ROW = 18;
const CLASS = 'gd-cost-chart';

const siFormat = format('.3~s');

/** "3.2 ms", "45 µs", "1.2 s", "2.1 min". */
export function formatSeconds(s: number): string {
  const three = (v: number) => String(Number(v.toPrecision(v >= 100 ? 3 : 2)));
  if (s >= 120) return `${three(s / 60)} min`;
  if (s >= 1) return `${three(s)} s`;
  if (s >= 1e-3) return `${three(s * 1e3)} ms`;
  if (s >= 1e-6) return `${three(s * 1e6)} µs`;
  return `${three(s * 1e9)} ns`;
}

/** A step count: "128", "12.3", "∞". */
function formatSteps(k: number): string {
  if (!Number.isFinite(k)) return '∞';
  return k >= 100 ? k.toFixed(0) : String(Number(k.toPrecision(3)));
}

function tickLabel(metric: GdCostMetric, v: number): string {
  return metric === 'flops' ? siFormat(v) : formatSeconds(v);
}

interface Mark {
  kind: 'predicted' | 'flops' | 'measured';
  /** What the break-even was computed from: "FLOPs", "time", "measured". */
  basis: string;
  steps: number;
  label: string;
  hover: string;
}

function validMeasured(m: GdMeasuredSeconds | undefined): GdMeasuredSeconds | null {
  if (!m) return null;
  return isPositive(m.recomputeStep) && isPositive(m.precompute) && isPositive(m.precomputeStep) ? m : null;
}

export function renderGdCostChart(input: GdCostChartInput, options: GdCostChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 720));
  const plotHeight = Math.max(180, Math.round(options.height ?? 300));
  const measured = validMeasured(input.measured);
  const metric: GdCostMetric = options.metric ?? (input.roofline || measured ? 'seconds' : 'flops');

  let series: GdCostSeries;
  try {
    series = gdCostSeries(input.n, input.d, input.kMax, input.roofline, { bytesPerElement: input.bytesPerElement ?? 4 });
  } catch (err) {
    if (err instanceof RangeError) return emptyChart(CLASS, width, TITLE, `Cannot chart this: ${err.message}.`);
    throw err;
  }
  if (input.kMax < 2) return emptyChart(CLASS, width, TITLE, 'Give at least 2 steps to chart.');
  if (metric === 'seconds' && !series.roofline && !measured) {
    return emptyChart(CLASS, width, TITLE, 'Predicted time needs a roofline (peak GFLOP/s and bandwidth GB/s) or measured kernel times.');
  }

  // Curves: predicted lines per strategy; measured cumulative times at a thinned set of steps.
  const predicted = GD_STRATEGIES.map((s) => ({
    strategy: s,
    points: series.points
      .map((p) => ({ k: p.steps, v: metric === 'flops' ? p.flops[s] : p.seconds?.[s] }))
      .filter((p): p is { k: number; v: number } => p.v !== undefined && isPositive(p.v)),
  })).filter((c) => c.points.length >= 2);
  const measuredCurves =
    metric === 'seconds' && measured
      ? (['recompute', 'precompute'] as const).map((s) => ({
          strategy: s as GdStrategy,
          points: thin(series.points.map((p) => p.steps), 14).map((k) => ({
            k,
            v: s === 'recompute' ? k * measured.recomputeStep : measured.precompute + k * measured.precomputeStep,
          })),
        }))
      : [];

  const values = [...predicted, ...measuredCurves].flatMap((c) => c.points.map((p) => p.v));
  let yLo = min(values)! / 1.5;
  const yHi = max(values)! * 1.5;
  if (yHi / yLo < 10) yLo = yHi / 10;

  const left = 64;
  const right = width - 16;
  const top = 24;
  const bottom = top + plotHeight;
  const x = scaleLog().domain([1, input.kMax]).range([left, right]);
  const y = scaleLog().domain([yLo, yHi]).range([bottom, top]);

  const parts: Array<SafeMarkup | null> = [];
  // Axes and grid.
  const yCaption =
    metric === 'flops'
      ? 'cumulative FLOPs, log scale'
      : series.roofline
        ? `cumulative time, log scale (roofline ${numberTickLabel(series.roofline.peakGflops)} GFLOP/s, ${numberTickLabel(series.roofline.bandwidthGBs)} GB/s)`
        : 'cumulative measured time, log scale';
  parts.push(
    gridAndAxes(
      { left, right: px(right), top, bottom },
      { values: logTicks(1, input.kMax), at: (t) => px(x(t)), label: numberTickLabel, labelY: bottom + 16 },
      { values: logTicks(yLo, yHi), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: (t) => tickLabel(metric, t), labelX: left - 6 },
      {
        groupClass: 'axes',
        captions: [
          svg`<text class="axis-caption" x="${left}" y="12">${yCaption}</text>`,
          svg`<text class="axis-caption" x="${px((left + right) / 2)}" y="${bottom + 34}" text-anchor="middle">${`gradient-descent steps, log scale (n = ${input.n}, d = ${input.d})`}</text>`,
        ],
      },
    ),
  );

  // Break-even marks.
  const be = series.breakEven.precomputeVsRecompute;
  const marks: Mark[] = [];
  const flopMark = (kind: Mark['kind']): Mark => ({
    kind,
    basis: 'FLOPs',
    steps: be.flops,
    label: `k* ${formatSteps(be.flops)} (FLOPs)`,
    hover: `Counting FLOPs, precomputing XᵀX pays off after ${formatSteps(be.flops)} steps (2nd² + 2nd against ≈ 4nd a step).`,
  });
  if (metric === 'flops') marks.push(flopMark('predicted'));
  else {
    if (be.seconds !== undefined) {
      marks.push({
        kind: 'predicted',
        basis: 'time',
        steps: be.seconds,
        label: `k* ${formatSteps(be.seconds)} (time)`,
        hover: `In predicted time, precomputing XᵀX pays off after ${formatSteps(be.seconds)} steps: a recompute step is memory bound (≈ 0.5 FLOP/byte), XᵀX is a compute-bound GEMM.`,
      });
    }
    marks.push(flopMark('flops'));
    if (measured) {
      const k = measuredBreakEvenSteps(measured);
      marks.push({ kind: 'measured', basis: 'measured', steps: k, label: `k* ${formatSteps(k)} (measured)`, hover: `With the measured kernel times, precomputing XᵀX pays off after ${formatSteps(k)} steps.` });
    }
  }
  const shown = marks.filter((m) => Number.isFinite(m.steps) && m.steps >= 1 && m.steps <= input.kMax);
  const hidden = marks.filter((m) => !shown.includes(m));
  parts.push(svg`<g class="break-evens">`);
  shown.forEach((m, i) => {
    const mx = x(m.steps);
    const labelLeft = mx + 6 + m.label.length * CHAR_11 > right;
    const dash = m.kind === 'flops' ? attrs` stroke-dasharray="6 4"` : m.kind === 'measured' ? attrs` stroke-dasharray="2 3"` : null;
    parts.push(
      svg`<g class="break-even-mark ${m.kind}" data-kind="${m.kind}" data-steps="${m.steps}"><title>${m.hover}</title>`,
      svg`<line class="break-even ${m.kind}" x1="${px(mx)}" x2="${px(mx)}" y1="${top}" y2="${bottom}"${dash}></line>`,
      svg`<text class="break-even-label ${m.kind}" x="${px(labelLeft ? mx - 6 : mx + 6)}" y="${top + 12 + i * 14}" text-anchor="${labelLeft ? 'end' : 'start'}">${m.label}</text>`,
      svg`</g>`,
    );
  });
  parts.push(svg`</g>`);

  // Curves.
  const path = (pts: ReadonlyArray<{ k: number; v: number }>) => pts.map((p, i) => `${i ? 'L' : 'M'}${px(x(p.k))},${px(y(p.v))}`).join('');
  parts.push(svg`<g class="curves">`);
  // Drawn in reverse so the recompute and precompute curves lie on top of the flat closed form.
  for (const c of [...predicted].reverse()) {
    parts.push(
      svg`<path class="series predicted ${STRATEGY_CLASS[c.strategy]}" data-strategy="${c.strategy}" d="${path(c.points)}"><title>${`${GD_STRATEGY_LABELS[c.strategy]} (${metric === 'flops' ? 'FLOPs' : 'predicted'})`}</title></path>`,
    );
  }
  for (const c of measuredCurves) {
    parts.push(svg`<g class="measured-series ${STRATEGY_CLASS[c.strategy]}" data-strategy="${c.strategy}">`);
    parts.push(svg`<path class="measured-line ${STRATEGY_CLASS[c.strategy]}" d="${path(c.points)}" stroke-dasharray="2 3"></path>`);
    for (const p of c.points) {
      parts.push(
        svg`<circle class="measured-point ${STRATEGY_CLASS[c.strategy]}" cx="${px(x(p.k))}" cy="${px(y(p.v))}" r="3"><title>${`${GD_STRATEGY_LABELS[c.strategy]}, measured: ${p.k} steps ${formatSeconds(p.v)}`}</title></circle>`,
      );
    }
    parts.push(svg`</g>`);
  }
  parts.push(svg`</g>`);

  // Legend: strategies, measured points, break-even marks; then a note for marks off the chart.
  const entries: Array<{ swatch: SafeMarkup; text: string }> = predicted.map((c) => ({
    swatch: svg`<line class="swatch series predicted ${STRATEGY_CLASS[c.strategy]}" x1="0" x2="22" y1="0" y2="0"></line>`,
    text: GD_STRATEGY_LABELS[c.strategy],
  }));
  if (measuredCurves.length) entries.push({ swatch: svg`<circle class="swatch measured-point" cx="11" cy="0" r="3"></circle>`, text: 'measured (ONNX Runtime)' });
  for (const m of shown) {
    const dash = m.kind === 'flops' ? attrs` stroke-dasharray="6 4"` : m.kind === 'measured' ? attrs` stroke-dasharray="2 3"` : null;
    const text = m.kind === 'predicted' && metric === 'seconds' ? 'break-even, predicted time' : m.kind === 'measured' ? 'break-even, measured time' : 'break-even, FLOPs';
    entries.push({ swatch: svg`<line class="swatch break-even ${m.kind}" x1="11" x2="11" y1="-7" y2="7"${dash}></line>`, text });
  }
  const entryWidth = (max(entries, (e) => e.text.length) ?? 10) * CHAR_11 + 40;
  const columns = Math.max(1, Math.floor((width - left) / entryWidth));
  const legendTop = bottom + 54;
  parts.push(svg`<g class="legend" transform="translate(${left},${legendTop})">`);
  entries.forEach((e, i) => {
    parts.push(
      svg`<g class="legend-entry" transform="translate(${px((i % columns) * entryWidth)},${Math.floor(i / columns) * LEGEND_ROW})">${e.swatch}<text x="30" y="4">${e.text}</text></g>`,
    );
  });
  parts.push(svg`</g>`);
  let height = legendTop + Math.ceil(entries.length / columns) * LEGEND_ROW;
  if (hidden.length) {
    const note = hidden
      .map((m) =>
        !Number.isFinite(m.steps)
          ? `${m.basis}: precompute never pays off`
          : m.steps < 1
            ? `${m.basis}: precompute pays off from the first step`
            : `${m.basis}: k* ${formatSteps(m.steps)} is beyond ${input.kMax} steps`,
      )
      .join('; ');
    parts.push(svg`<text class="note" x="${left}" y="${height + 8}">${note}</text>`);
    height += 20;
  }

  return chartSvg({ className: CLASS, width, height, title: TITLE, attrs: attrs` data-metric="${metric}"` }, parts);
}

/** About `count` values spread evenly (in index) through an ascending list, both ends kept. */
function thin(values: readonly number[], count: number): number[] {
  if (values.length <= count) return [...values];
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(values[Math.round((i * (values.length - 1)) / (count - 1))]!);
  return [...out];
}
