/**
 * Residuals of a fitted scaling law (runs anywhere): observed loss against the law's prediction,
 * one dot per run, with the y = x line — points off the line are runs the law misses. Pure: data
 * in, SVG (SafeMarkup) out; classes only (CSP), styled by src-shared/charts/chart-styles.ts (`.residuals-chart`).
 */
import { scaleLinear } from 'd3-scale';
import { emptyChart } from './axes.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';
import { chartSvg, gridAndAxes } from './frame.js';

export interface ResidualsChartInput {
  residuals: ReadonlyArray<{ N: number; D: number; loss: number; predicted: number; logResidual: number }>;
}

const TITLE = 'Fit residuals: observed loss against predicted loss (one dot per run)';

export function renderResidualsChart(input: ResidualsChartInput, options: { width?: number; height?: number } = {}): SafeMarkup {
  const width = Math.max(320, Math.round(options.width ?? 520));
  const height = Math.max(200, Math.round(options.height ?? 280));
  const points = input.residuals.filter((r) => Number.isFinite(r.loss) && Number.isFinite(r.predicted) && r.loss > 0 && r.predicted > 0);
  if (!points.length) return emptyChart('residuals-chart', width, TITLE, 'No runs with finite losses to show.');
  const values = points.flatMap((p) => [p.loss, p.predicted]);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.01 || 0.01;
  lo -= pad;
  hi += pad;
  const m = { top: 24, right: 16, bottom: 40, left: 56 };
  const x = scaleLinear().domain([lo, hi]).range([m.left, width - m.right]);
  const y = scaleLinear().domain([lo, hi]).range([height - m.bottom, m.top]);
  const parts = [
    // No axis lines: the y = x line is the reference.
    gridAndAxes(
      { left: px(m.left), right: px(width - m.right), top: px(m.top), bottom: px(height - m.bottom) },
      { values: x.ticks(6), at: (t) => px(x(t)), label: String, labelY: px(height - m.bottom + 14), className: 'tick' },
      { values: y.ticks(6), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: String, labelX: px(m.left - 6), className: 'tick' },
      {
        groupClass: 'axes',
        axisLines: false,
        captions: [
          svg`<text class="axis-caption" x="${px((m.left + width - m.right) / 2)}" y="${px(height - 6)}" text-anchor="middle">predicted loss</text>`,
          svg`<text class="axis-caption" x="${px(m.left)}" y="${px(m.top - 10)}" text-anchor="start">observed loss</text>`,
        ],
      },
    ),
    svg`<line class="identity" x1="${px(x(lo))}" y1="${px(y(lo))}" x2="${px(x(hi))}" y2="${px(y(hi))}"></line>`,
    svg`<g class="runs">`,
  ];
  for (const p of points) {
    parts.push(
      svg`<circle class="run" data-n="${p.N}" data-d="${p.D}" cx="${px(x(p.predicted))}" cy="${px(y(p.loss))}" r="3"><title>${`N ${p.N.toPrecision(3)}, D ${p.D.toPrecision(3)}: loss ${p.loss.toFixed(4)}, predicted ${p.predicted.toFixed(4)}`}</title></circle>`,
    );
  }
  parts.push(svg`</g>`);
  return chartSvg({ className: 'residuals-chart', width, height, title: TITLE }, parts);
}
