/**
 * The latency ladder chart (runs anywhere): load-to-use latency (ns, log y) against working-set
 * size (bytes, log x) from the pointer-chasing benchmark, as SVG (SafeMarkup). The measured points are
 * joined; the cache sizes the hardware report detected (L1d / L2 / L3) are dashed vertical lines;
 * the knees found in the curve (src-shared/bench/knees.ts, the same detector the benchmark uses)
 * and the per-level figures the benchmark reported are marked. Classes only, no inline styles
 * (CSP); coloured by src-shared/charts/chart-styles.ts (`.latency-chart`).
 */
import { max, min } from 'd3-array';
import { scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import type { LatencyResult } from '../api/bench.js';
import { findKnees, type CacheSizes } from '../bench/knees.js';
import { formatBytes } from '../hardware/format.js';
import { CHAR_11, emptyChart, formatNs, isPositive, logTicks, numberTickLabel, pow2Ticks } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { classToken, px } from './svg.js';

export interface LatencyChartOptions {
  width?: number;
  /** Height of the plot area; default from the width. */
  height?: number;
  /** Cache sizes from the hardware report, drawn as dashed vertical lines. */
  caches?: Partial<CacheSizes> | null;
}

const TITLE = 'Load latency against working-set size (pointer chasing, log–log)';

/** Same threshold as latencyLevels() in src-shared/bench/knees.ts, so the marks match the benchmark. */
const LATENCY_MIN_JUMP = 1.4;

export function renderLatencyChart(latency: LatencyResult | null | undefined, options: LatencyChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 720));
  const points = (latency?.points ?? []).filter((p) => isPositive(p.bytes) && isPositive(p.ns)).sort((a, b) => a.bytes - b.bytes);
  if (points.length === 0) return emptyChart('latency-chart', width, TITLE, 'No latency measurement in this run.');

  const caches = [
    { name: 'L1d', bytes: options.caches?.l1dBytes ?? null },
    { name: 'L2', bytes: options.caches?.l2Bytes ?? null },
    { name: 'L3', bytes: options.caches?.l3Bytes ?? null },
  ].filter((c): c is { name: string; bytes: number } => c.bytes !== null && isPositive(c.bytes));
  const levels = (latency?.levels ?? []).filter((l) => isPositive(l.bytes) && isPositive(l.ns));
  const knees = findKnees(
    points.map((p) => ({ bytes: p.bytes, cost: p.ns })),
    { minJump: LATENCY_MIN_JUMP },
  );

  // x covers the points and the cache sizes (a VM may report an L3 larger than the sweep reached).
  const allBytes = [...points.map((p) => p.bytes), ...caches.map((c) => c.bytes)];
  const xlo = 2 ** Math.floor(Math.log2(min(allBytes)! / 1.2));
  const xhi = 2 ** Math.ceil(Math.log2(max(allBytes)! * 1.2));
  const allNs = [...points.map((p) => p.ns), ...levels.map((l) => l.ns)];
  let ylo = min(allNs)! / 1.6;
  const yhi = max(allNs)! * 1.6;
  if (yhi / ylo < 10) ylo = yhi / 10;

  const left = 60;
  const right = width - 16;
  const top = 36; // two rows of cache labels
  const plotHeight = Math.round(options.height ?? Math.min(340, Math.max(220, width * 0.34)));
  const bottom = top + plotHeight;
  const height = bottom + 40;
  const x = scaleLog().domain([xlo, xhi]).range([left, right]);
  const y = scaleLog().domain([ylo, yhi]).range([bottom, top]);

  const parts: Array<SafeMarkup | null> = [
    gridAndAxes(
      { left, right, top, bottom },
      { values: pow2Ticks(xlo, xhi, Math.max(4, Math.floor((right - left) / 70))), at: (t) => px(x(t)), label: formatBytes, labelY: bottom + 16 },
      { values: logTicks(ylo, yhi), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: numberTickLabel, labelX: left - 6 },
    ),
  ];

  // Detected cache sizes: dashed verticals, labels staggered over two rows when they would touch.
  parts.push(svg`<g class="cache-lines">`);
  let lastLabelEnd = -Infinity;
  let row = 0;
  for (const c of caches) {
    const cx = x(c.bytes);
    const text = `${c.name} ${formatBytes(c.bytes)}`;
    const start = cx - (text.length * CHAR_11) / 2;
    row = start < lastLabelEnd + 6 ? 1 - row : 0;
    lastLabelEnd = Math.max(lastLabelEnd, cx + (text.length * CHAR_11) / 2);
    const anchor = cx + (text.length * CHAR_11) / 2 > width ? 'end' : 'middle';
    parts.push(
      svg`<g class="cache-line cache-${classToken(c.name)}"><title>${`${c.name} cache: ${formatBytes(c.bytes)} (${c.bytes} B), as detected by the hardware report`}</title>`,
      svg`<line class="cache-size" x1="${px(cx)}" x2="${px(cx)}" y1="${top - 4}" y2="${bottom}" stroke-dasharray="4 4" data-bytes="${c.bytes}"></line>`,
      svg`<text class="cache-label" x="${px(anchor === 'end' ? cx - 2 : cx)}" y="${row === 0 ? 12 : 26}" text-anchor="${anchor}">${text}</text>`,
      svg`</g>`,
    );
  }
  parts.push(svg`</g>`);

  // Levels the benchmark reported: a short plateau segment at the level's latency, over its window.
  parts.push(svg`<g class="levels">`);
  let prev = xlo;
  for (const l of levels) {
    const end = l.name === 'DRAM' ? xhi : Math.min(l.bytes, xhi);
    const start = Math.min(Math.max(prev, xlo), end / 2);
    prev = Math.max(prev, Math.min(l.bytes, xhi));
    const [x1, x2, ly] = [x(start), x(end), y(l.ns)];
    const text = `${l.name} ${formatNs(l.ns)}`;
    parts.push(
      svg`<g class="level level-${classToken(l.name)}"><title>${`${l.name}: ${formatNs(l.ns)} median latency (capacity ${formatBytes(l.bytes)})`}</title>`,
      svg`<line class="level-line" x1="${px(x1)}" x2="${px(x2)}" y1="${px(ly)}" y2="${px(ly)}"></line>`,
      svg`<text class="level-label" x="${px(Math.min(x1 + 4, right - text.length * CHAR_11))}" y="${px(ly - 6)}">${text}</text>`,
      svg`</g>`,
    );
  }
  parts.push(svg`</g>`);

  // The measured curve and its points (each with hover text).
  const path = line<{ bytes: number; ns: number }>()
    .x((p) => x(p.bytes))
    .y((p) => y(p.ns))(points);
  parts.push(svg`<path class="series" d="${path ?? ''}"></path>`, svg`<g class="points">`);
  for (const p of points) {
    parts.push(
      svg`<circle class="point" cx="${px(x(p.bytes))}" cy="${px(y(p.ns))}" r="2.5" data-bytes="${p.bytes}" data-ns="${p.ns}"><title>${`${formatBytes(p.bytes)}: ${formatNs(p.ns)}`}</title></circle>`,
    );
  }
  parts.push(svg`</g>`);

  // Knees: where the curve steps up, i.e. the working set outgrew a level.
  parts.push(svg`<g class="knees">`);
  for (const k of knees) {
    const kx = x(Math.min(Math.max(k.bytes, xlo), xhi));
    const ky = y(Math.sqrt(k.before * k.after));
    parts.push(
      svg`<g class="knee"><title>${`knee at about ${formatBytes(k.bytes)}: ${formatNs(k.before)} → ${formatNs(k.after)}`}</title>`,
      svg`<path class="knee-mark" d="M${px(kx)},${px(ky - 6)} L${px(kx + 6)},${px(ky)} L${px(kx)},${px(ky + 6)} L${px(kx - 6)},${px(ky)} Z"></path>`,
      svg`</g>`,
    );
  }
  parts.push(svg`</g>`);

  parts.push(
    svg`<text class="axis-caption" transform="rotate(-90)" x="${px(-(top + bottom) / 2)}" y="14" text-anchor="middle">ns per dependent load, log scale</text>`,
    svg`<text class="axis-caption" x="${px((left + right) / 2)}" y="${height - 4}" text-anchor="middle">working-set size, log scale · ◆ knee · dashed: detected cache size</text>`,
  );
  return chartSvg({ className: 'latency-chart', width, height, title: TITLE }, parts);
}
