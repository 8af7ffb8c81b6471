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
 * lines `series series-<i>` with i the order variants first appear in the points, mod 8).
 */
import { format } from 'd3-format';
import { scaleLog } from 'd3-scale';
import type { AttentionPoint, Crossover } from '../attention/types.js';
import { CHAR_11, dodge, emptyChart, intensityTickLabel, isPositive, legendGrid, logTicks, numberTickLabel, pow2Ticks, type LegendEntry } from './axes.js';
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
const SERIES_COLOURS = 8;
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

export function renderAttentionSweepChart(input: AttentionSweepChartInput, options: AttentionSweepChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(Number.isFinite(options.width) ? options.width! : 760));
  const plotHeight = Math.max(220, Math.round(Number.isFinite(options.height) ? options.height! : 340));
  const metric: AttentionMetric = input && Object.hasOwn(ATTENTION_METRICS, input.metric) ? input.metric : 'attentionFlops';
  const { label: metricLabel, unit } = ATTENTION_METRICS[metric];
  const title = `${metricLabel} against sequence length, per attention variant (log–log)`;
  const raw = Array.isArray(input?.points) ? input.points : [];
  if (raw.length === 0) return emptyChart(CLASS, width, title, 'No sweep points to draw: run a sweep first.');

  // Variants in the order they first appear in all the points, so a variant keeps its colour
  // when the metric changes even if it has no value for some metric.
  const order = new Map<string, number>();
  for (const p of raw) if (p && typeof p.variant === 'string' && !order.has(p.variant)) order.set(p.variant, order.size);
  const labelOf = (v: string) => {
    const l = input.labels && Object.hasOwn(input.labels, v) ? input.labels[v] : undefined;
    return typeof l === 'string' && l !== '' ? l : v;
  };
  const showMeasured = metric === 'predictedSeconds' && input.measured === true;

  const series = [...order].map(([variant, index]) => {
    const mine = raw.filter((p) => p && p.variant === variant && isPositive(p.seq));
    return {
      variant,
      index,
      cls: `series series-${index % SERIES_COLOURS}`,
      label: labelOf(variant),
      points: tidy(mine.filter((p) => isPositive(p[metric])).map((p) => ({ seq: p.seq, value: p[metric] }))),
      measured: showMeasured ? tidy(mine.filter((p) => isPositive(p.measuredSeconds ?? NaN)).map((p) => ({ seq: p.seq, value: p.measuredSeconds! }))) : [],
    };
  });
  const drawn = series.filter((s) => s.points.length > 0 || s.measured.length > 0);
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
      const text = marks.map((m) => seqText(m.seq));
      const gapX = Math.max(...text.map((t) => t.length)) * CHAR_11 + 8;
      const labelXs = dodge(
        marks.map((m) => x(m.seq)),
        gapX,
        x0 + gapX / 2,
        x1 - gapX / 2,
      );
      parts.push(svg`<g class="memory-crossings">`);
      marks.forEach((m, i) => {
        const cx = x(m.seq);
        const hover = `${m.s.label} ${m.rising ? 'outgrows' : 'fits back under'} ${memoryText} at sequence length ≈ ${seqText(m.seq)}`;
        parts.push(
          svg`<g class="memory-cross" data-variant="${m.s.variant}" data-seq="${num(m.seq)}" data-direction="${m.rising ? 'up' : 'down'}"><title>${hover}</title>`,
          svg`<circle class="${m.s.cls} memory-cross-point" cx="${px(cx)}" cy="${px(my)}" r="4.5"></circle>`,
          svg`<text class="memory-cross-label" x="${px(labelXs[i]!)}" y="${px(my + 16)}" text-anchor="middle">${text[i]!}</text>`,
          svg`</g>`,
        );
      });
      parts.push(svg`</g>`);
    }
  }

  // The variants: a line (or a lone dot) and a dot per point, for hover values.
  parts.push(svg`<g class="series-lines">`);
  for (const s of drawn) {
    const v = s.variant;
    if (s.points.length >= 2) parts.push(svg`<path class="${s.cls}" data-variant="${v}" d="${pathOf(s.points, x, y)}"><title>${s.label}</title></path>`);
    for (const p of s.points) {
      const hover = `${s.label}: ${attentionValueLabel(p.value, unit, true)} at sequence length ${seqText(p.seq)}`;
      parts.push(
        svg`<circle class="${s.cls} point" data-variant="${v}" data-seq="${num(p.seq)}" data-value="${num(p.value)}" cx="${px(x(p.seq))}" cy="${px(y(p.value))}" r="2.5"><title>${hover}</title></circle>`,
      );
    }
  }
  parts.push(svg`</g>`);

  // Measured times: dashed, with measured ÷ predicted printed at each measured point; labels at
  // the same length are moved apart so close variants do not print on top of each other.
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
    const labelY = new Map<(typeof marks)[number], number>();
    for (const seq of new Set(marks.map((m) => m.p.seq))) {
      const here = marks.filter((m) => m.p.seq === seq && m.predicted !== null);
      const ys = dodge(
        here.map((m) => y(m.p.value) - 8),
        12,
        yTop + 10,
        yBottom - 2,
      );
      here.forEach((m, i) => labelY.set(m, ys[i]!));
    }
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
        svg`<g class="measured-point" data-variant="${s.variant}" data-seq="${num(p.seq)}" data-measured="${num(p.value)}"${ratio === null ? null : attrs` data-predicted="${num(predicted!)}" data-ratio="${num(ratio)}"`}><title>${hover}</title>`,
        svg`<circle class="${s.cls} measured-dot" cx="${px(cx)}" cy="${px(y(p.value))}" r="3.5"></circle>`,
      );
      if (ratio !== null) {
        // Kept inside the plot at its ends, clear of the tick labels.
        const anchor = cx < x0 + 20 ? 'start' : cx > x1 - 20 ? 'end' : 'middle';
        const tx = anchor === 'start' ? cx + 5 : anchor === 'end' ? cx - 5 : cx;
        parts.push(svg`<text class="error-label" x="${px(tx)}" y="${px(labelY.get(m)!)}" text-anchor="${anchor}">${errorFactorLabel(ratio)}</text>`);
      }
      parts.push(svg`</g>`);
    }
    parts.push(svg`</g>`);
  }

  // Crossovers in the range drawn: a guide at the length, a dot where the two lines meet.
  const crossovers = (Array.isArray(input.crossovers) ? input.crossovers : []).filter(
    (c) => c && typeof c.a === 'string' && typeof c.b === 'string' && isPositive(c.seq) && c.seq >= xLo && c.seq <= xHi,
  );
  if (crossovers.length) {
    parts.push(svg`<g class="crossovers">`);
    crossovers.forEach((c, k) => {
      const cx = px(x(c.seq));
      const values = [c.a, c.b]
        .map((v) => drawn.find((s) => s.variant === v))
        .map((s) => (s ? interpolate(s.points, c.seq) : null))
        .filter((v): v is number => v !== null && isPositive(v));
      const at = values.length ? Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length) : null;
      const hover = `${labelOf(c.a)} is cheaper than ${labelOf(c.b)} beyond sequence length ${seqText(c.seq)}`;
      parts.push(
        svg`<g class="crossover" data-a="${c.a}" data-b="${c.b}" data-seq="${num(c.seq)}"><title>${hover}</title>`,
        svg`<line class="crossover-guide" x1="${cx}" x2="${cx}" y1="${yTop}" y2="${yBottom}" stroke-dasharray="2 3"></line>`,
      );
      if (at !== null && at >= yLo && at <= yHi) parts.push(svg`<circle class="crossover-point" cx="${cx}" cy="${px(y(at))}" r="5"></circle>`);
      parts.push(svg`<text class="crossover-label" x="${cx}" y="${yTop + 12 + (k % 3) * 12}" text-anchor="middle">${seqTickLabel(c.seq)}</text>`, svg`</g>`);
    });
    parts.push(svg`</g>`);
  }

  // Legend: the variants, then what the marks mean.
  const entries: LegendEntry[] = drawn.map((s) => ({
    swatch: svg`<line class="${s.cls} swatch" data-variant="${s.variant}" x1="0" x2="22" y1="0" y2="0"></line>`,
    text: s.label,
  }));
  if (anyMeasured) entries.push({ swatch: svg`<line class="swatch measured-swatch" x1="0" x2="22" y1="0" y2="0" stroke-dasharray="5 3"></line>`, text: 'measured (×: measured ÷ predicted)' });
  if (crossovers.length) entries.push({ swatch: svg`<circle class="crossover-point swatch" cx="11" cy="0" r="5"></circle>`, text: 'crossover: cheaper beyond this length' });
  if (memory !== null) entries.push({ swatch: svg`<line class="memory-line" x1="0" x2="22" y1="0" y2="0" stroke-dasharray="6 3"></line>`, text: `device memory (${memoryText})` });
  const legend = legendGrid(entries, x0, plotHeight + 6, width - x0);
  parts.push(legend.markup);
  const height = Math.round(legend.bottom);

  return chartSvg({ className: CLASS, width, height, title, attrs: attrs` data-metric="${metric}"` }, parts);
}
