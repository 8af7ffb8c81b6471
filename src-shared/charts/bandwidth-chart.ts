/**
 * The bandwidth sweep chart (runs anywhere): read bandwidth (GB/s, linear y from zero) against
 * total working-set size (bytes, log x) from the memory benchmark's sweep, as SVG (SafeMarkup). The
 * per-level plateaus the benchmark reported (L1 … DRAM) are drawn as labelled segments and their
 * capacity boundaries as dashed verticals. Classes only, no inline styles (CSP); coloured by
 * src-shared/charts/chart-styles.ts (`.bandwidth-chart`).
 */
import { max, min } from 'd3-array';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import type { MemoryResult } from '../api/bench.js';
import { formatBytes } from '../hardware/format.js';
import { CHAR_11, emptyChart, formatGBs, isPositive, pow2Ticks } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { classToken, px } from './svg.js';

export interface BandwidthChartOptions {
  width?: number;
  /** Height of the plot area; default from the width. */
  height?: number;
}

const TITLE = 'Read bandwidth against working-set size (all threads, log x)';

export function renderBandwidthChart(memory: MemoryResult | null | undefined, options: BandwidthChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 720));
  const clean = (sweep: ReadonlyArray<{ bytes: number; GBs: number }> | undefined) => (sweep ?? []).filter((p) => isPositive(p.bytes) && isPositive(p.GBs)).sort((a, b) => a.bytes - b.bytes);
  const points = clean(memory?.sweep);
  if (points.length === 0) return emptyChart('bandwidth-chart', width, TITLE, 'No bandwidth sweep in this run.');
  // The same sizes read by one thread of the team (runs with more than one thread), dashed.
  const single = clean(memory?.singleThreadSweep);
  const levels = (memory?.levels ?? []).filter((l) => isPositive(l.bytes) && isPositive(l.GBs));

  const xlo = 2 ** Math.floor(Math.log2(min(points, (p) => p.bytes)! / 1.2));
  const xhi = 2 ** Math.ceil(Math.log2(max(points, (p) => p.bytes)! * 1.2));
  const left = 48;
  const right = width - 16;
  const top = 22;
  const plotHeight = Math.round(options.height ?? Math.min(300, Math.max(200, width * 0.3)));
  const bottom = top + plotHeight;
  const height = bottom + 40;
  const x = scaleLog().domain([xlo, xhi]).range([left, right]);
  const y = scaleLinear()
    .domain([0, Math.max(max(points, (p) => p.GBs)!, max(levels, (l) => l.GBs) ?? 0) * 1.15])
    .nice()
    .range([bottom, top]);

  const parts: Array<SafeMarkup | null> = [
    gridAndAxes(
      { left, right, top, bottom },
      { values: pow2Ticks(xlo, xhi, Math.max(4, Math.floor((right - left) / 70))), at: (t) => px(x(t)), label: formatBytes, labelY: bottom + 16 },
      { values: y.ticks(5), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: String, labelX: left - 6 },
    ),
  ];

  // Level plateaus and the boundaries between them.
  parts.push(svg`<g class="levels">`);
  let prev = xlo;
  for (const l of levels) {
    const end = l.name === 'DRAM' ? xhi : Math.min(l.bytes, xhi);
    const start = Math.min(Math.max(prev, xlo), end / 2);
    const [x1, x2, ly] = [x(start), x(end), y(l.GBs)];
    const text = `${l.name} ${formatGBs(l.GBs)}`;
    parts.push(
      svg`<g class="level level-${classToken(l.name)}"><title>${`${l.name}: ${formatGBs(l.GBs)} (working sets up to ${formatBytes(l.bytes)})`}</title>`,
      l.name !== 'DRAM' && l.bytes <= xhi
        ? svg`<line class="boundary" x1="${px(x(l.bytes))}" x2="${px(x(l.bytes))}" y1="${top}" y2="${bottom}" stroke-dasharray="4 4"></line>`
        : null,
      svg`<line class="level-line" x1="${px(x1)}" x2="${px(x2)}" y1="${px(ly)}" y2="${px(ly)}"></line>`,
      svg`<text class="level-label" x="${px(Math.min(x1 + 4, right - text.length * CHAR_11))}" y="${px(Math.min(bottom - 4, ly + 16))}">${text}</text>`,
      svg`</g>`,
    );
    prev = Math.max(prev, Math.min(l.bytes, xhi));
  }
  parts.push(svg`</g>`);

  const pathOf = line<{ bytes: number; GBs: number }>()
    .x((p) => x(p.bytes))
    .y((p) => y(p.GBs));
  if (single.length) {
    parts.push(svg`<g class="single-thread"><title>One thread reading, the same working-set sizes</title><path class="series-single" d="${pathOf(single) ?? ''}" stroke-dasharray="5 4"></path>`);
    for (const p of single) {
      parts.push(svg`<circle class="point-single" cx="${px(x(p.bytes))}" cy="${px(y(p.GBs))}" r="2" data-bytes="${p.bytes}" data-gbs="${p.GBs}"><title>${`${formatBytes(p.bytes)}, one thread: ${formatGBs(p.GBs)}`}</title></circle>`);
    }
    parts.push(svg`</g>`);
  }
  parts.push(svg`<path class="series" d="${pathOf(points) ?? ''}"></path>`, svg`<g class="points">`);
  for (const p of points) {
    parts.push(
      svg`<circle class="point" cx="${px(x(p.bytes))}" cy="${px(y(p.GBs))}" r="2.5" data-bytes="${p.bytes}" data-gbs="${p.GBs}"><title>${`${formatBytes(p.bytes)}: ${formatGBs(p.GBs)}`}</title></circle>`,
    );
  }
  parts.push(
    svg`</g>`,
    svg`<text class="axis-caption" transform="rotate(-90)" x="${px(-(top + bottom) / 2)}" y="12" text-anchor="middle">GB/s</text>`,
    svg`<text class="axis-caption" x="${px((left + right) / 2)}" y="${height - 4}" text-anchor="middle">${`working-set size (all threads), log scale · dashed: level boundary${single.length ? ' · dashed line: one thread reading' : ''}`}</text>`,
  );
  return chartSvg({ className: 'bandwidth-chart', width, height, title: TITLE }, parts);
}
