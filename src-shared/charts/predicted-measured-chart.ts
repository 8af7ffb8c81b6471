/**
 * Predicted against measured time per kernel (runs anywhere): one dot per unit of a profile's
 * prediction check (src-shared/profiler/prediction-check.ts: a graph node ONNX Runtime ran as it
 * is, or the group of nodes it fused into one kernel), the cost model's predicted ms on x and the
 * measured ms per run on y, log–log on equal scales, with the y = x diagonal and the band within
 * the close factor (1.5×) either way. Dots are coloured by op type (the op types with the most
 * measured time, the rest as "other"); a fused group's dot has a ring. Every dot's <title> names
 * its nodes and both times. Units with no positive predicted or measured time cannot sit on a log
 * axis: they are counted in a note under the plot. Pure: data in, SVG (SafeMarkup) out; classes
 * only (CSP), styled by src-shared/charts/chart-styles.ts (`.predicted-measured-chart`).
 */
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { CHAR_11, emptyChart, isPositive, legendGrid, logTicks, numberTickLabel, type LegendEntry } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { px } from './svg.js';

export interface PredictedMeasuredUnit {
  /** The graph nodes of the unit: one, or the members of a fused kernel. */
  nodes: readonly string[];
  opType: string;
  predictedMs: number;
  measuredMs: number;
}

export interface PredictedMeasuredChartOptions {
  width?: number;
  /** Height of the plot area; default from the width. */
  height?: number;
  /** The band drawn around the diagonal: within this factor either way; default 1.5. */
  closeFactor?: number;
  /** Op types with their own colour (the rest are "other"); default 7, at most 7. */
  maxOpTypes?: number;
}

const CLASS = 'predicted-measured-chart';
const TITLE = 'Predicted against measured time per kernel (log–log): the diagonal is a perfect prediction';
const OTHER = 7;

/** A time in ms for hover text: 3 significant digits, µs below 0.1 ms. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms > 0 && ms < 0.1) return `${Number((ms * 1000).toPrecision(3))} µs`;
  return `${Number(ms.toPrecision(3))} ms`;
}

/** "Conv_0" or "Conv_0 + Relu_1" or "Conv_0 + 3 more": a unit's nodes, short. */
export function unitName(nodes: readonly string[], max = 2): string {
  if (nodes.length <= max) return nodes.join(' + ');
  return `${nodes.slice(0, max).join(' + ')} + ${nodes.length - max} more`;
}

export function renderPredictedMeasuredChart(units: readonly PredictedMeasuredUnit[] | null | undefined, options: PredictedMeasuredChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 640));
  const factor = options.closeFactor !== undefined && options.closeFactor > 1 && Number.isFinite(options.closeFactor) ? options.closeFactor : 1.5;
  const all = Array.isArray(units) ? units : [];
  const drawn = all.filter((u) => u && isPositive(u.predictedMs) && isPositive(u.measuredMs));
  const skipped = all.length - drawn.length;
  if (!drawn.length) {
    return emptyChart(CLASS, width, TITLE, all.length ? 'No kernel has both a predicted and a measured time above zero: nothing to draw on a log scale.' : 'No measured kernels to compare with the prediction.');
  }

  // Colours: the op types with the most measured time, the rest "other".
  const maxTypes = Math.max(0, Math.min(OTHER, Math.floor(options.maxOpTypes ?? OTHER)));
  const byType = new Map<string, number>();
  for (const u of drawn) byType.set(u.opType, (byType.get(u.opType) ?? 0) + u.measuredMs);
  const ranked = [...byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  const coloured = ranked.length <= maxTypes + 1 ? ranked : ranked.slice(0, maxTypes);
  const colourOf = new Map(coloured.map((t, i) => [t, i] as const));
  const seriesOf = (opType: string) => colourOf.get(opType) ?? OTHER;

  // Equal log scales on both axes, so the diagonal is at 45° and the band has the same width everywhere.
  const values = drawn.flatMap((u) => [u.predictedMs, u.measuredMs]);
  let lo = Math.min(...values) / factor;
  let hi = Math.max(...values) * factor;
  if (hi / lo < 10) {
    const mid = Math.sqrt(hi * lo);
    lo = mid / Math.sqrt(10);
    hi = mid * Math.sqrt(10);
  }
  lo = 10 ** (Math.floor(Math.log10(lo) * 4) / 4);
  hi = 10 ** (Math.ceil(Math.log10(hi) * 4) / 4);

  const left = 58;
  const right = width - 16;
  const top = 24;
  const plotHeight = Math.round(options.height ?? Math.min(420, Math.max(240, (right - left) * 0.6)));
  const bottom = top + plotHeight;
  const logLo = Math.log10(lo);
  const logHi = Math.log10(hi);
  const x = (v: number) => left + ((Math.log10(v) - logLo) / (logHi - logLo)) * (right - left);
  const y = (v: number) => bottom - ((Math.log10(v) - logLo) / (logHi - logLo)) * (bottom - top);
  const ticks = logTicks(lo, hi);

  const parts: Array<SafeMarkup | null> = [
    gridAndAxes(
      { left, right: px(right), top, bottom },
      { values: ticks, at: (t) => px(x(t)), label: numberTickLabel, labelY: bottom + 16 },
      { values: ticks, at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: numberTickLabel, labelX: left - 6 },
      {
        captions: [
          svg`<text class="axis-caption" x="${left}" y="12">measured ms per run, log scale</text>`,
          svg`<text class="axis-caption" x="${px((left + right) / 2)}" y="${bottom + 34}" text-anchor="middle">predicted ms, log scale</text>`,
        ],
      },
    ),
  ];

  // The band (measured within factor× of predicted either way) and the diagonal, clipped to the plot:
  // every line of slope 1 in log–log runs corner to corner once the domain is shifted by the factor.
  const band = [
    [lo, lo * factor],
    [hi / factor, hi],
    [hi, hi],
    [hi, hi / factor],
    [lo * factor, lo],
    [lo, lo],
  ]
    .map(([a, b]) => `${px(x(a!))},${px(y(b!))}`)
    .join(' ');
  parts.push(
    svg`<g class="reference">`,
    svg`<polygon class="close-band" points="${band}"><title>${`Within ${factor}× of the prediction either way`}</title></polygon>`,
    svg`<line class="identity" x1="${px(x(lo))}" y1="${px(y(lo))}" x2="${px(x(hi))}" y2="${px(y(hi))}"><title>measured = predicted</title></line>`,
    svg`</g>`,
  );

  // Dots: slowest last, so the kernels that matter most are on top.
  parts.push(svg`<g class="units">`);
  for (const u of [...drawn].sort((a, b) => a.measuredMs - b.measuredMs)) {
    const ratio = u.measuredMs / u.predictedMs;
    const close = ratio <= factor && ratio >= 1 / factor;
    const fused = u.nodes.length > 1;
    const hover =
      `${fused ? `fused kernel (${u.nodes.length} layers): ${unitName(u.nodes, 6)}` : (u.nodes[0] ?? '')} — ${u.opType}\n` +
      `predicted ${formatMs(u.predictedMs)}, measured ${formatMs(u.measuredMs)}: ${ratio.toFixed(2)}× ${close ? `(within ${factor}×)` : ratio > 1 ? '(slower than predicted)' : '(faster than predicted)'}`;
    const cls = `unit series-${seriesOf(u.opType)}${fused ? ' fused' : ''}${close ? ' close' : ' off'}`;
    parts.push(
      svg`<circle class="${cls}" data-op="${u.opType}" data-nodes="${u.nodes.length}" data-predicted="${u.predictedMs}" data-measured="${u.measuredMs}" cx="${px(x(u.predictedMs))}" cy="${px(y(u.measuredMs))}" r="${fused ? 4.5 : 3.5}"><title>${hover}</title></circle>`,
    );
  }
  parts.push(svg`</g>`);

  // Legend: op types by measured time, then "other", the fused ring, the band.
  const entries: LegendEntry[] = coloured.map((t, i) => ({ swatch: svg`<circle class="unit swatch series-${i}" data-op="${t}" cx="11" cy="0" r="4"></circle>`, text: t || '(unknown op)' }));
  if (ranked.length > coloured.length) {
    entries.push({ swatch: svg`<circle class="unit swatch series-${OTHER}" cx="11" cy="0" r="4"></circle>`, text: `other (${ranked.length - coloured.length} op types)` });
  }
  if (drawn.some((u) => u.nodes.length > 1)) entries.push({ swatch: svg`<circle class="unit swatch fused-swatch" cx="11" cy="0" r="4.5"></circle>`, text: 'fused kernel (several layers)' });
  entries.push({ swatch: svg`<rect class="close-band" x="0" y="-5" width="22" height="10"></rect>`, text: `within ${factor}× of predicted` });
  const legendTop = bottom + 54;
  const legend = legendGrid(entries, left, legendTop, width - left);
  parts.push(legend.markup);
  let height = Math.round(legend.bottom);
  if (skipped > 0) {
    const note = `${skipped} kernel${skipped === 1 ? '' : 's'} with no predicted or measured time above zero ${skipped === 1 ? 'is' : 'are'} not drawn.`;
    parts.push(svg`<text class="note" x="${left}" y="${height + 10}"${note.length * CHAR_11 > width - left ? attrs` textLength="${px(width - left - 4)}" lengthAdjust="spacingAndGlyphs"` : null}>${note}</text>`);
    height += 18;
  }
  return chartSvg({ className: CLASS, width, height, title: TITLE, attrs: attrs` data-units="${drawn.length}" data-skipped="${skipped}"` }, parts);
}
