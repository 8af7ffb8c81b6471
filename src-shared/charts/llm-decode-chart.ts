/**
 * Decode speed against context depth (runs anywhere): the predicted tokens/s of one LLM as the
 * K/V cache it reads per token grows (src-shared/llm/predict.ts: bytes per token = active weights
 * + the K/V cache at that depth, over this machine's bandwidth), on a log depth axis, with the
 * depths measured through llama.cpp as points beside the line. Pure: data in, SVG (SafeMarkup)
 * out; classes only (CSP), styled by chart-styles.ts (`.llm-decode-chart`).
 */
import { max } from 'd3-array';
import { scaleLinear, scaleLog } from 'd3-scale';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { emptyChart, isPositive, legendGrid, numberTickLabel, type LegendEntry } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { px } from './svg.js';

export interface LlmDecodeChartInput {
  curve: ReadonlyArray<{ depth: number; tokensPerSecond: number }>;
  measured?: ReadonlyArray<{ depth: number; tokensPerSecond: number }>;
}

const CLASS = 'llm-decode-chart';
const TITLE = 'Decode tokens per second against context depth: predicted line, measured points';

/** Depth on a log axis: depth 0 sits at 1 token. */
const atDepth = (d: number) => Math.max(1, d);

export function renderLlmDecodeChart(input: LlmDecodeChartInput, options: { width?: number; height?: number } = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 640));
  const curve = input.curve.filter((p) => Number.isFinite(p.depth) && p.depth >= 0 && isPositive(p.tokensPerSecond));
  const measured = (input.measured ?? []).filter((p) => Number.isFinite(p.depth) && p.depth >= 0 && isPositive(p.tokensPerSecond));
  if (curve.length < 2) return emptyChart(CLASS, width, TITLE, 'Fewer than two predicted depths: nothing to draw.');
  const left = 58;
  const right = width - 16;
  const top = 24;
  const bottom = top + Math.round(options.height ?? 240);
  const depths = [...curve, ...measured].map((p) => atDepth(p.depth));
  const x = scaleLog().domain([Math.min(...depths), Math.max(...depths)]).range([left, right]);
  const y = scaleLinear().domain([0, (max([...curve, ...measured], (p) => p.tokensPerSecond) ?? 1) * 1.1]).nice().range([bottom, top]);
  const xTicks = x.ticks(6).filter((t) => Number.isInteger(Math.log2(t)) || Number.isInteger(Math.log10(t)));
  const parts: Array<SafeMarkup | null> = [
    gridAndAxes(
      { left, right: px(right), top, bottom },
      { values: xTicks, at: (t) => px(x(t)), label: numberTickLabel, labelY: bottom + 16 },
      { values: y.ticks(5), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: numberTickLabel, labelX: left - 6 },
      {
        captions: [
          svg`<text class="axis-caption" x="${left}" y="12">decode tokens/s</text>`,
          svg`<text class="axis-caption" x="${px((left + right) / 2)}" y="${bottom + 34}" text-anchor="middle">context depth (tokens already in the K/V cache), log scale</text>`,
        ],
      },
    ),
  ];
  const path = curve.map((p, i) => `${i ? 'L' : 'M'}${px(x(atDepth(p.depth)))},${px(y(p.tokensPerSecond))}`).join('');
  parts.push(svg`<path class="predicted" d="${path}"><title>predicted decode tokens/s</title></path>`);
  parts.push(svg`<g class="measured-points">`);
  for (const p of measured) {
    parts.push(svg`<circle class="measured" data-depth="${p.depth}" data-tps="${p.tokensPerSecond}" cx="${px(x(atDepth(p.depth)))}" cy="${px(y(p.tokensPerSecond))}" r="4"><title>${`measured at depth ${p.depth}: ${p.tokensPerSecond.toFixed(1)} tokens/s`}</title></circle>`);
  }
  parts.push(svg`</g>`);
  const entries: LegendEntry[] = [{ swatch: svg`<line class="predicted" x1="0" y1="0" x2="22" y2="0"></line>`, text: 'predicted (cost model)' }];
  if (measured.length) entries.push({ swatch: svg`<circle class="measured" cx="11" cy="0" r="4"></circle>`, text: 'measured (llama.cpp)' });
  const legend = legendGrid(entries, left, bottom + 54, width - left);
  parts.push(legend.markup);
  return chartSvg({ className: CLASS, width, height: Math.round(legend.bottom), title: TITLE, attrs: attrs` data-points="${curve.length}" data-measured="${measured.length}"` }, parts);
}
