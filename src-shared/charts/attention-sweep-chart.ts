/**
 * The efficient-transformer lab's sweep chart (runs anywhere): one metric of every attention
 * variant against sequence length, log–log, one line per variant (model FLOPs, attention FLOPs,
 * activation bytes, attention memory traffic, arithmetic intensity, K/V cache, or roofline time).
 * Optional extras: where one variant becomes cheaper than another (crossovers, from the lab's
 * sweep), the device memory as a horizontal line on the capacity metrics (activations and K/V
 * cache) with the sequence length where each curve crosses it, and, on the time metric, the
 * measured times as dashed lines with the prediction error factor (measured ÷ predicted) at each
 * measured point. Byte ticks use SI steps of 1000 (kB, MB, GB), as the axis caption says.
 * Pure: data in, SVG (SafeMarkup) out; no inline styles (CSP), classes only (`.attention-sweep-chart`;
 * lines `series series-style-<i>` from the shared palette in chart-styles.ts, i the order variants
 * first appear in the points). Variants whose values are identical on the metric (full attention
 * and FlashAttention on FLOPs) are drawn once, named together ("full = flash") in the legend.
 * The chart prints no value labels in the plot (they piled up): crossovers and memory crossings
 * are small markers, every point has a generous focusable hit area carrying its value
 * (`data-tip`, <title>), and the page lists the values in tables (attentionSeriesOf,
 * attentionCrossoversOf, memoryCrossingsOf give it the same numbers the chart draws).
 */
import { format } from 'd3-format';
import { scaleLog } from 'd3-scale';
import type { AttentionPoint, Crossover } from '../attention/types.js';
import { findCrossovers } from '../attention/sweep.js';
import { seriesStyleClass } from './chart-styles.js';
import { emptyChart, intensityTickLabel, isPositive, legendGrid, logTicks, numberTickLabel, pow2Ticks, type LegendEntry } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { countLabel } from './isoflop-chart.js';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';

export type AttentionMetric = 'flops' | 'attentionFlops' | 'activationBytes' | 'bytesMoved' | 'intensity' | 'kvCacheBytes' | 'predictedSeconds';

export interface AttentionSweepChartInput {
  points: readonly AttentionPoint[];
  metric: AttentionMetric;
  /** Legend label per variant string (e.g. "sliding:512" → "sliding window 512"); default the variant. */
  labels?: Readonly<Record<string, string>>;
  crossovers?: readonly Crossover[];
  /** Device memory in bytes: a horizontal line on the capacity metrics (see ATTENTION_MEMORY_METRICS). */
  memoryBytes?: number;
  /** Name printed before the size on the memory line; default "RAM" (e.g. "VRAM", "H100"). */
  memoryLabel?: string;
  /** On predictedSeconds: also draw measuredSeconds (dashed) and the error factor at each point. */
  measured?: boolean;
}

export interface AttentionSweepChartOptions {
  width?: number;
  /** Plot height with its axes (the legend adds to it); default 340. */
  height?: number;
}

export type AttentionUnit = 'flops' | 'bytes' | 'seconds' | 'intensity';

/** What each metric is, for titles and the y caption. */
export const ATTENTION_METRICS: Readonly<Record<AttentionMetric, { label: string; unit: AttentionUnit }>> = {
  flops: { label: 'Model FLOPs (forward, all layers)', unit: 'flops' },
  attentionFlops: { label: 'Attention FLOPs (forward, all layers)', unit: 'flops' },
  activationBytes: { label: 'Activations kept for backward', unit: 'bytes' },
  bytesMoved: { label: 'Attention memory traffic (forward)', unit: 'bytes' },
  intensity: { label: 'Attention arithmetic intensity', unit: 'intensity' },
  kvCacheBytes: { label: 'K/V cache for decoding', unit: 'bytes' },
  predictedSeconds: { label: 'Predicted forward time (roofline)', unit: 'seconds' },
};

/**
 * The metrics the device-memory line is drawn on: sizes that must fit in memory. bytesMoved is
 * bytes too, but it is traffic over a pass, not something held at once, so it is not compared.
 */
export const ATTENTION_MEMORY_METRICS: readonly AttentionMetric[] = ['activationBytes', 'kvCacheBytes'];

const UNIT_CAPTION: Readonly<Record<AttentionUnit, string>> = {
  flops: 'FLOPs, SI prefixes: G = 10⁹, T = 10¹², P = 10¹⁵',
  bytes: 'bytes, SI: 1 kB = 1000 B, 1 GB = 10⁹ B',
  seconds: 'seconds',
  intensity: 'FLOP per byte',
};

const CLASS = 'attention-sweep-chart';
const tickNumber = format('~g');
const sig3 = format('.3~g');
const thousands = format(',');
const num = (v: number) => String(v);

const SI: ReadonlyArray<readonly [number, string]> = [
  [1e18, 'E'],
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
];
const SECONDS: ReadonlyArray<readonly [number, string]> = [
  [1, 's'],
  [1e-3, 'ms'],
  [1e-6, 'µs'],
  [1e-9, 'ns'],
];

function prefixed(value: number, scales: ReadonlyArray<readonly [number, string]>, unit: string, fmt: (v: number) => string): string {
  const [scale, prefix] = scales.find(([s]) => value >= s * 0.9995) ?? scales[scales.length - 1]!;
  return `${fmt(value / scale)} ${prefix}${unit}`.trim();
}

/** A value of a unit, compact: "10 G" (FLOPs), "1.5 GB", "250 µs", "1/4" (intensity). */
export function attentionValueLabel(value: number, unit: AttentionUnit, precise = false): string {
  if (!Number.isFinite(value)) return '—';
  const fmt = precise ? sig3 : tickNumber;
  switch (unit) {
    case 'flops':
      return prefixed(value, SI, precise ? 'FLOPs' : '', fmt);
    case 'bytes':
      return prefixed(value, SI, 'B', fmt);
    case 'seconds':
      return prefixed(value, SECONDS, '', fmt);
    case 'intensity':
      return precise ? `${sig3(value)} FLOP/B` : intensityTickLabel(value);
  }
}

/** Sequence-length tick: "512", "4K" (1K = 1024 tokens, as context lengths are written), "10k". */
export function seqTickLabel(seq: number): string {
  if (seq >= 1024 && Number.isInteger(seq / 1024) && Number.isInteger(Math.log2(seq))) return `${seq / 1024}K`;
  if (seq < 1e5) return numberTickLabel(seq);
  return countLabel(seq);
}

/** A sequence length in prose: "12,288" (rounded to a token). */
function seqText(seq: number): string {
  return thousands(Math.round(seq));
}

/** Measured ÷ predicted, two significant figures: "×1.4", "×0.71", "×12". */
export function errorFactorLabel(ratio: number): string {
  return `×${Number(ratio.toPrecision(2))}`;
}

interface Pt {
  seq: number;
  value: number;
}

/** Log–log interpolation of an ascending series at seq; null outside its span. */
function interpolate(points: readonly Pt[], seq: number): number | null {
  if (points.length === 0 || seq < points[0]!.seq || seq > points[points.length - 1]!.seq) return null;
  for (let i = 0; i < points.length; i++) {
    const b = points[i]!;
    if (b.seq === seq) return b.value;
    if (b.seq > seq) {
      const a = points[i - 1]!;
      const t = Math.log(seq / a.seq) / Math.log(b.seq / a.seq);
      return Math.exp(Math.log(a.value) + t * Math.log(b.value / a.value));
    }
  }
  return null;
}

/** Sequence lengths where the series crosses `level` (log–log interpolation between points). */
function crossings(points: readonly Pt[], level: number): Array<{ seq: number; rising: boolean }> {
  const out: Array<{ seq: number; rising: boolean }> = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const rising = a.value < level && b.value >= level;
    const falling = a.value >= level && b.value < level;
    if (!rising && !falling) continue;
    const t = Math.log(level / a.value) / Math.log(b.value / a.value);
    const seq = Math.exp(Math.log(a.seq) + t * Math.log(b.seq / a.seq));
    if (Number.isFinite(seq)) out.push({ seq, rising });
  }
  return out;
}

/** Ascending by seq, one value per seq (the last given wins). */
function tidy(points: Pt[]): Pt[] {
  const bySeq = new Map<number, number>();
  for (const p of points) bySeq.set(p.seq, p.value);
  return [...bySeq].map(([seq, value]) => ({ seq, value })).sort((a, b) => a.seq - b.seq);
}

function pathOf(points: readonly Pt[], x: (v: number) => number, y: (v: number) => number): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${px(x(p.seq))},${px(y(p.value))}`).join('');
}

/** Values equal within a relative 1e-9 count as the same (as the sweep's crossover test). */
function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** One drawn line: the variants whose values on the metric are identical, in first-seen order. */
export interface AttentionSeries {
  /** The variant strings drawn as this line (more than one when identical). */
  variants: string[];
  /** Their legend names joined: "full attention = FlashAttention". */
  label: string;
  /** Position in the palette (the first variant's first-seen order). */
  index: number;
  points: Array<{ seq: number; value: number }>;
}

function labelFrom(labels: Readonly<Record<string, string>> | undefined, v: string): string {
  const l = labels && Object.hasOwn(labels, v) ? labels[v] : undefined;
  return typeof l === 'string' && l !== '' ? l : v;
}

/**
 * The lines the chart draws for a metric: one per group of variants with identical values at
 * every sequence length (variants with no positive value are left out).
 */
export function attentionSeriesOf(points: readonly AttentionPoint[], metric: AttentionMetric, labels?: Readonly<Record<string, string>>): AttentionSeries[] {
  const raw = Array.isArray(points) ? points : [];
  const order = new Map<string, number>();
  for (const p of raw) if (p && typeof p.variant === 'string' && !order.has(p.variant)) order.set(p.variant, order.size);
  const groups: AttentionSeries[] = [];
  for (const [variant, index] of order) {
    const mine = tidy(raw.filter((p) => p && p.variant === variant && isPositive(p.seq) && isPositive(p[metric])).map((p) => ({ seq: p.seq, value: p[metric] })));
    if (mine.length === 0) continue;
    const twin = groups.find((g) => g.points.length === mine.length && g.points.every((q, i) => q.seq === mine[i]!.seq && same(q.value, mine[i]!.value)));
    if (twin) {
      twin.variants.push(variant);
      twin.label = twin.variants.map((v) => labelFrom(labels, v)).join(' = ');
    } else {
      groups.push({ variants: [variant], label: labelFrom(labels, variant), index, points: mine });
    }
  }
  return groups;
}

/** A crossover between two drawn lines on the chart's metric: `a` is lower beyond `seq`. */
export interface AttentionCrossover {
  a: string;
  b: string;
  /** The lines' variants (each a group of identical variants). */
  aVariants: string[];
  bVariants: string[];
  seq: number;
}

/**
 * Where one line falls below another on this metric (the sweep's findCrossovers on the metric,
 * between the drawn lines, so identical variants are one entry), sorted by sequence length.
 */
export function attentionCrossoversOf(points: readonly AttentionPoint[], metric: AttentionMetric, labels?: Readonly<Record<string, string>>): AttentionCrossover[] {
  const series = attentionSeriesOf(points, metric, labels);
  const raw = Array.isArray(points) ? points : [];
  const of = (v: string) => raw.filter((p) => p && p.variant === v).slice().sort((p, q) => p.seq - q.seq);
  const out: AttentionCrossover[] = [];
  for (let i = 0; i < series.length; i++) {
    for (let j = i + 1; j < series.length; j++) {
      const x = of(series[i]!.variants[0]!);
      const y = of(series[j]!.variants[0]!);
      if (x.length !== y.length || x.some((p, k) => p.seq !== y[k]!.seq)) continue;
      for (const c of findCrossovers(x, y, metric)) {
        const [A, B] = c.a === x[0]!.variant ? [series[i]!, series[j]!] : [series[j]!, series[i]!];
        out.push({ a: A.label, b: B.label, aVariants: A.variants, bVariants: B.variants, seq: c.seq });
      }
    }
  }
  return out.sort((p, q) => p.seq - q.seq);
}

/** Where each drawn line crosses the device memory on a capacity metric (empty on the others). */
export function memoryCrossingsOf(
  points: readonly AttentionPoint[],
  metric: AttentionMetric,
  memoryBytes: number | undefined,
  labels?: Readonly<Record<string, string>>,
): Array<{ label: string; variants: string[]; seq: number; rising: boolean }> {
  if (!ATTENTION_MEMORY_METRICS.includes(metric) || !isPositive(memoryBytes ?? NaN)) return [];
  return attentionSeriesOf(points, metric, labels)
    .flatMap((s) => crossings(s.points, memoryBytes!).map((c) => ({ label: s.label, variants: s.variants, ...c })))
    .sort((p, q) => p.seq - q.seq);
}

/** Sequence length for tables and tips: "≈ 12,288". */
export function seqApprox(seq: number): string {
  return `≈ ${seqText(seq)}`;
}

export function renderAttentionSweepChart(input: AttentionSweepChartInput, options: AttentionSweepChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(Number.isFinite(options.width) ? options.width! : 760));
  const plotHeight = Math.max(220, Math.round(Number.isFinite(options.height) ? options.height! : 340));
  const metric: AttentionMetric = input && Object.hasOwn(ATTENTION_METRICS, input.metric) ? input.metric : 'attentionFlops';
  const { label: metricLabel, unit } = ATTENTION_METRICS[metric];
  const title = `${metricLabel} against sequence length, per attention variant (log–log)`;
  const raw = Array.isArray(input?.points) ? input.points : [];
  if (raw.length === 0) return emptyChart(CLASS, width, title, 'No sweep points to draw: run a sweep first.');

  const labels = input.labels;
  const labelOf = (v: string) => labelFrom(labels, v);
  const showMeasured = metric === 'predictedSeconds' && input.measured === true;

  // One line per group of identical variants, styled by its first variant's first-seen order so a
  // variant keeps its style when the metric changes. Measured times are per variant (never merged:
  // a measurement is one variant's), so with measured on the groups are single variants.
  const groups: AttentionSeries[] = showMeasured
    ? attentionSeriesOf(raw, metric, labels).flatMap((g) => g.variants.map((v, k) => ({ ...g, variants: [v], label: labelOf(v), index: k === 0 ? g.index : [...new Set(raw.map((p) => p.variant))].indexOf(v) })))
    : attentionSeriesOf(raw, metric, labels);
  const measuredOf = (v: string) => tidy(raw.filter((p) => p && p.variant === v && isPositive(p.seq) && isPositive(p.measuredSeconds ?? NaN)).map((p) => ({ seq: p.seq, value: p.measuredSeconds! })));
  const drawn = groups.map((g) => ({
    variant: g.variants[0]!,
    variants: g.variants,
    index: g.index,
    cls: `series ${seriesStyleClass(g.index)}`,
    label: g.label,
    points: g.points,
    measured: showMeasured ? measuredOf(g.variants[0]!) : [],
  }));
  if (showMeasured) {
    // A variant measured but with no positive prediction still draws its measured line.
    const seen = new Set(drawn.map((d) => d.variant));
    const order = [...new Set(raw.filter((p) => p && typeof p.variant === 'string').map((p) => p.variant))];
    for (const v of order) {
      if (seen.has(v)) continue;
      const m = measuredOf(v);
      if (m.length) drawn.push({ variant: v, variants: [v], index: order.indexOf(v), cls: `series ${seriesStyleClass(order.indexOf(v))}`, label: labelOf(v), points: [], measured: m });
    }
  }
  if (drawn.length === 0) {
    return emptyChart(CLASS, width, title, `No positive values of ${metricLabel.toLowerCase()} in these points: nothing to draw on a log scale.`);
  }

  const memory = ATTENTION_MEMORY_METRICS.includes(metric) && isPositive(input.memoryBytes ?? NaN) ? input.memoryBytes! : null;
  const memoryText = memory === null ? '' : `${(input.memoryLabel ?? '').trim() || 'RAM'} ${attentionValueLabel(memory, 'bytes', true)}`;

  // Domains: every drawn value (and the memory line), padded, at least one decade tall.
  let xLo = Infinity;
  let xHi = -Infinity;
  let yLo = Infinity;
  let yHi = -Infinity;
  for (const s of drawn) {
    for (const p of [...s.points, ...s.measured]) {
      xLo = Math.min(xLo, p.seq);
      xHi = Math.max(xHi, p.seq);
      yLo = Math.min(yLo, p.value);
      yHi = Math.max(yHi, p.value);
    }
  }
  if (memory !== null) {
    yLo = Math.min(yLo, memory);
    yHi = Math.max(yHi, memory);
  }
  if (!(xHi > xLo)) {
    xLo /= 2;
    xHi *= 2;
  }
  yLo /= 1.4;
  yHi *= 1.4;
  if (yHi / yLo < 10) {
    const mid = Math.sqrt(yLo * yHi);
    yLo = mid / Math.sqrt(10);
    yHi = mid * Math.sqrt(10);
  }

  const margin = { top: 34, right: 20, bottom: 44, left: 70 };
  const x0 = margin.left;
  const x1 = width - margin.right;
  const yTop = margin.top;
  const yBottom = plotHeight - margin.bottom;
  const x = scaleLog().domain([xLo, xHi]).range([x0, x1]);
  const y = scaleLog().domain([yLo, yHi]).range([yBottom, yTop]);

  const pow2 = pow2Ticks(xLo, xHi, 9);
  const parts: Array<SafeMarkup | null> = [
    gridAndAxes(
      { left: x0, right: x1, top: yTop, bottom: yBottom },
      { values: pow2.length >= 2 ? pow2 : logTicks(xLo, xHi), at: (t) => px(x(t)), label: seqTickLabel, labelY: yBottom + 16 },
      { values: logTicks(yLo, yHi), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: (t) => attentionValueLabel(t, unit), labelX: x0 - 6 },
      {
        groupClass: 'axes',
        captions: [
          svg`<text class="axis-caption" x="${px((x0 + x1) / 2)}" y="${yBottom + 34}" text-anchor="middle">sequence length (tokens, log scale; 1K = 1024)</text>`,
          svg`<text class="axis-caption" x="${x0}" y="${yTop - 20}">${`${metricLabel} — ${UNIT_CAPTION[unit]} (log scale)`}</text>`,
        ],
      },
    ),
  ];

  // Device memory: the line, its label, and where each curve crosses it.
  if (memory !== null) {
    const my = y(memory);
    parts.push(
      svg`<g class="memory" data-bytes="${num(memory)}"><title>${`device memory: ${memoryText} (${thousands(memory)} bytes)`}</title>`,
      svg`<line class="memory-line" x1="${x0}" x2="${x1}" y1="${px(my)}" y2="${px(my)}" stroke-dasharray="6 3"></line>`,
      // At the left end: curves rise with length, so they cross the line towards the right.
      svg`<text class="memory-label" x="${x0 + 4}" y="${px(my - 5)}">${memoryText}</text>`,
      svg`</g>`,
    );
    const marks = drawn.flatMap((s) => crossings(s.points, memory).map((c) => ({ s, ...c })));
    if (marks.length) {
      // Markers only: the lengths are listed in the page's table (memoryCrossingsOf), not printed here.
      parts.push(svg`<g class="memory-crossings">`);
      for (const m of marks) {
        const cx = x(m.seq);
        const hover = `${m.s.label} ${m.rising ? 'outgrows' : 'fits back under'} ${memoryText} at sequence length ${seqApprox(m.seq)}`;
        parts.push(
          svg`<g class="memory-cross" data-variant="${m.s.variant}" data-seq="${num(m.seq)}" data-direction="${m.rising ? 'up' : 'down'}" data-tip="${hover}"><title>${hover}</title>`,
          svg`<circle class="${m.s.cls} memory-cross-point" cx="${px(cx)}" cy="${px(my)}" r="4"></circle>`,
          svg`<circle class="hit" cx="${px(cx)}" cy="${px(my)}" r="10" tabindex="0" role="img" aria-label="${hover}"></circle>`,
          svg`</g>`,
        );
      }
      parts.push(svg`</g>`);
    }
  }

  // The variants: a line (or a lone dot) and a dot per point; over each dot a larger transparent
  // circle, focusable, carries the value (hover tooltip, keyboard focus, screen readers).
  parts.push(svg`<g class="series-lines">`);
  for (const s of drawn) {
    const v = s.variant;
    const all = s.variants.join(' ');
    if (s.points.length >= 2) parts.push(svg`<path class="${s.cls}" data-variant="${v}" data-variants="${all}" d="${pathOf(s.points, x, y)}"><title>${s.label}</title></path>`);
    for (const p of s.points) {
      const hover = `${s.label}: ${attentionValueLabel(p.value, unit, true)} at sequence length ${seqText(p.seq)}`;
      const cx = px(x(p.seq));
      const cy = px(y(p.value));
      parts.push(
        svg`<g class="point-group" data-tip="${hover}"><circle class="${s.cls} point" data-variant="${v}" data-variants="${all}" data-seq="${num(p.seq)}" data-value="${num(p.value)}" cx="${cx}" cy="${cy}" r="2.5"></circle>`,
        svg`<circle class="hit" cx="${cx}" cy="${cy}" r="9" tabindex="0" role="img" aria-label="${hover}"><title>${hover}</title></circle></g>`,
      );
    }
  }
  parts.push(svg`</g>`);

  // Measured times: dashed; measured ÷ predicted is in each point's tip and in the page's table
  // (printed in the plot, the factors of close variants overlapped).
  let anyMeasured = false;
  if (showMeasured) {
    const marks: Array<{ s: (typeof drawn)[number]; p: Pt; predicted: number | null }> = [];
    for (const s of drawn) {
      for (const p of s.measured) {
        const predicted = s.points.find((q) => q.seq === p.seq)?.value;
        marks.push({ s, p, predicted: predicted !== undefined && isPositive(p.value / predicted) ? predicted : null });
      }
    }
    anyMeasured = marks.length > 0;
    parts.push(svg`<g class="measured-overlay">`);
    for (const s of drawn) {
      if (s.measured.length >= 2) {
        parts.push(svg`<path class="${s.cls} measured" data-variant="${s.variant}" d="${pathOf(s.measured, x, y)}" stroke-dasharray="5 3"><title>${`${s.label}: measured`}</title></path>`);
      }
    }
    for (const m of marks) {
      const { s, p, predicted } = m;
      const ratio = predicted === null ? null : p.value / predicted;
      const hover =
        `${s.label}: measured ${attentionValueLabel(p.value, 'seconds', true)} at sequence length ${seqText(p.seq)}` +
        (ratio === null ? '' : `, predicted ${attentionValueLabel(predicted!, 'seconds', true)} (measured = ${errorFactorLabel(ratio)} predicted)`);
      const cx = x(p.seq);
      parts.push(
        svg`<g class="measured-point" data-tip="${hover}" data-variant="${s.variant}" data-seq="${num(p.seq)}" data-measured="${num(p.value)}"${ratio === null ? null : attrs` data-predicted="${num(predicted!)}" data-ratio="${num(ratio)}"`}><title>${hover}</title>`,
        svg`<circle class="${s.cls} measured-dot" cx="${px(cx)}" cy="${px(y(p.value))}" r="3.5"></circle>`,
        svg`<circle class="hit" cx="${px(cx)}" cy="${px(y(p.value))}" r="9" tabindex="0" role="img" aria-label="${hover}"></circle>`,
      );
      parts.push(svg`</g>`);
    }
    parts.push(svg`</g>`);
  }

  // Crossovers in the range drawn: a small marker where the two lines meet, no label (the page
  // lists them beside the chart). Given per variant, they are drawn per line, once per place.
  const lineOf = (v: string) => drawn.find((s) => s.variants.includes(v));
  const seen = new Set<string>();
  const crossovers = (Array.isArray(input.crossovers) ? input.crossovers : []).filter((c) => {
    if (!c || typeof c.a !== 'string' || typeof c.b !== 'string' || !isPositive(c.seq) || c.seq < xLo || c.seq > xHi) return false;
    const A = lineOf(c.a);
    const B = lineOf(c.b);
    if (!A || !B || A === B) return false;
    const key = `${A.variant}|${B.variant}|${c.seq.toPrecision(6)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (crossovers.length) {
    parts.push(svg`<g class="crossovers">`);
    for (const c of crossovers) {
      const A = lineOf(c.a)!;
      const B = lineOf(c.b)!;
      const cx = px(x(c.seq));
      const values = [A, B].map((s) => interpolate(s.points, c.seq)).filter((v): v is number => v !== null && isPositive(v));
      const at = values.length ? Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length) : Math.sqrt(yLo * yHi);
      const cy = px(y(Math.min(yHi, Math.max(yLo, at))));
      const hover = `${A.label} is below ${B.label} beyond sequence length ${seqApprox(c.seq)}`;
      parts.push(
        svg`<g class="crossover" data-a="${c.a}" data-b="${c.b}" data-seq="${num(c.seq)}" data-tip="${hover}"><title>${hover}</title>`,
        svg`<circle class="crossover-point" cx="${cx}" cy="${cy}" r="3.5"></circle>`,
        svg`<circle class="hit" cx="${cx}" cy="${cy}" r="9" tabindex="0" role="img" aria-label="${hover}"></circle>`,
        svg`</g>`,
      );
    }
    parts.push(svg`</g>`);
  }

  // Legend: the variants, then what the marks mean.
  const entries: LegendEntry[] = drawn.map((s) => ({
    swatch: svg`<line class="${s.cls} swatch" data-variant="${s.variant}" data-variants="${s.variants.join(' ')}" x1="0" x2="22" y1="0" y2="0"></line>`,
    text: s.label,
  }));
  if (anyMeasured) entries.push({ swatch: svg`<line class="swatch measured-swatch" x1="0" x2="22" y1="0" y2="0" stroke-dasharray="5 3"></line>`, text: 'measured (dashed; measured ÷ predicted in the tips and table)' });
  if (crossovers.length) entries.push({ swatch: svg`<circle class="crossover-point swatch" cx="11" cy="0" r="3.5"></circle>`, text: 'crossover (listed in the table beside)' });
  if (memory !== null) entries.push({ swatch: svg`<line class="memory-line" x1="0" x2="22" y1="0" y2="0" stroke-dasharray="6 3"></line>`, text: `device memory (${memoryText})` });
  const legend = legendGrid(entries, x0, plotHeight + 6, width - x0);
  parts.push(legend.markup);
  const height = Math.round(legend.bottom);

  return chartSvg({ className: CLASS, width, height, title, attrs: attrs` data-metric="${metric}"` }, parts);
}
