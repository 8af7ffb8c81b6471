/**
 * The peaks chart (runs anywhere): one horizontal bar per theoretical peak, grouped by device and
 * ordered by data type, on a log scale, returned as SVG (SafeMarkup). Pure function of its input: no
 * DOM, no inline styles (the app's CSP forbids them), only classes, which the app's stylesheet
 * (src-shared/charts/chart-styles.ts, `.peaks-chart`; the dark theme in app.css) colours for the light and dark themes.
 */
// From the d3 umbrella package (the one the app depends on); bundlers keep only these parts.
import { ascending, max, min } from 'd3-array';
import { format } from 'd3-format';
import { scaleLog } from 'd3-scale';
import { DTYPES, type Peak } from '../api/types.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { classToken, px } from './svg.js';
import { chartSvg, gridAndAxes, NO_Y_TICKS } from './frame.js';
import { formatFlops } from '../hardware/format.js';

export interface PeaksChartOptions {
  /** Total width in CSS pixels; the mounting component passes its container's width. */
  width?: number;
}

const ROW = 22; // row pitch
const BAR = 14; // bar thickness inside a row
const GROUP_GAP = 10; // extra space between devices
const AXIS = 28; // room for the tick labels above the bars
const CHAR = 7.2; // width of one character of the 12px monospace label font, for layout only
const CAPTION = 18; // the axis caption under the bars

/** "gpu:10" after "gpu:2": compare the numeric part as a number. */
function compareDevices(a: string, b: string): number {
  const rank = (d: string) => (d === 'cpu' ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

const tickNumber = format('~g');

/**
 * Tick labels at powers of ten carry only the prefix ("10 G", "1 T"): the axis mixes FLOP/s with
 * int8's OP/s, so the unit is stated once in the axis caption and in full on each bar's value.
 */
function tickLabel(gflops: number): string {
  const units: Array<[number, string]> = [
    [1e6, 'P'],
    [1e3, 'T'],
    [1, 'G'],
    [1e-3, 'M'],
  ];
  const [scale, unit] = units.find(([s]) => gflops >= s * 0.999) ?? units[units.length - 1]!;
  return `${tickNumber(gflops / scale)} ${unit}`;
}

/** Gridlines: whole decades; with fewer than three in view, the 1-2-5 series instead. */
function logTicks(lo: number, hi: number): number[] {
  const decades: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); 10 ** e <= hi * (1 + 1e-9); e++) decades.push(10 ** e);
  // Too many decades crowd the labels; keep every other one.
  if (decades.length > 8) return decades.filter((_, i) => i % 2 === 0);
  if (decades.length >= 3) return decades;
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi; e++) {
    // Multiply in the integer domain and divide once, so 2e-1 prints as 0.2, not 0.20000000000000004.
    for (const m of [1, 2, 5]) {
      const t = e >= 0 ? m * 10 ** e : m / 10 ** -e;
      if (t >= lo * (1 - 1e-9) && t <= hi) ticks.push(t);
    }
  }
  return ticks;
}

export function renderPeaksChart(peaks: readonly Peak[], options: PeaksChartOptions = {}): SafeMarkup {
  const width = Math.max(320, Math.round(options.width ?? 720));
  const label = 'Theoretical peak throughput by device and data type (log scale)';

  const valid = peaks.filter((p) => Number.isFinite(p.gflops) && p.gflops > 0);
  if (peaks.length === 0 || valid.length === 0) {
    return chartSvg({ className: 'peaks-chart', width, height: 40, title: label }, svg`<text class="empty" x="0" y="24">No peaks to chart</text>`);
  }

  const rows = [...peaks].sort(
    (a, b) => compareDevices(a.device, b.device) || ascending(DTYPES.indexOf(a.dtype), DTYPES.indexOf(b.dtype)),
  );

  // The domain starts at the power of ten strictly below the smallest peak, so every bar has a
  // visible length (a peak of exactly 100 starts its bar at 10), and ends just past the largest
  // rather than at the next decade, which could leave most of the width empty.
  const lo = 10 ** (Math.ceil(Math.log10(min(valid, (p) => p.gflops)!)) - 1);
  const hi = Math.max(max(valid, (p) => p.gflops)! * 1.05, lo * 2);

  const deviceWidth = (max(rows, (p) => p.device.length) ?? 3) * CHAR + 14;
  const dtypeWidth = (max(rows, (p) => p.dtype.length) ?? 4) * CHAR + 10;
  const left = deviceWidth + dtypeWidth;
  // Room right of the longest bar for the longest value label ("1978.9 TFLOP/s").
  const values = rows.map((p) => (Number.isFinite(p.gflops) && p.gflops > 0 ? formatFlops(p.gflops, p.dtype) : 'n/a'));
  const valueRoom = (max(values, (v) => v.length) ?? 0) * CHAR + 12;
  const right = width - valueRoom;
  const x = scaleLog().domain([lo, hi]).range([left, Math.max(left + 40, right)]);

  // Vertical layout: rows in order, with a gap wherever the device changes.
  const ys: number[] = [];
  let y = AXIS;
  rows.forEach((p, i) => {
    if (i > 0 && p.device !== rows[i - 1]!.device) y += GROUP_GAP;
    ys.push(y);
    y += ROW;
  });
  const barsBottom = y + 4;
  const height = barsBottom + CAPTION;
  const caption = rows.some((p) => p.dtype === 'int8') ? 'FLOP/s (int8: OP/s), log scale' : 'FLOP/s, log scale';

  const ticks = logTicks(lo, hi);

  const parts: Array<SafeMarkup | null> = [];
  // A horizontal bar chart: the value axis runs along the top, so only x gridlines and no axis lines.
  parts.push(
    gridAndAxes({ left, right, top: AXIS - 6, bottom: barsBottom }, { values: ticks, at: (t) => px(x(t)), label: tickLabel, labelY: AXIS - 10, className: 'tick' }, NO_Y_TICKS, { axisLines: false }),
    svg`<g class="bars">`,
  );

  rows.forEach((p, i) => {
    const rowY = ys[i]!;
    const barY = rowY + (ROW - BAR) / 2;
    const textY = rowY + ROW / 2 + 4;
    const ok = Number.isFinite(p.gflops) && p.gflops > 0;
    // Bars start at the domain's lower bound, so width grows monotonically with gflops.
    const barWidth = ok ? Math.max(1, x(Math.max(p.gflops, lo)) - left) : 0;
    const value = values[i]!;
    const firstOfDevice = i === 0 || rows[i - 1]!.device !== p.device;
    parts.push(
      svg`<g class="peak" data-device="${p.device}" data-dtype="${p.dtype}">`,
      svg`<title>${`${p.device} · ${p.dtype}: ${value}\n${p.basis}`}</title>`,
      firstOfDevice ? svg`<text class="device" x="0" y="${px(textY)}">${p.device}</text>` : null,
      svg`<text class="dtype" x="${px(deviceWidth)}" y="${px(textY)}">${p.dtype}</text>`,
      svg`<rect class="bar dtype-${classToken(p.dtype)}" x="${px(left)}" y="${px(barY)}" width="${px(barWidth)}" height="${BAR}" rx="2" data-gflops="${ok ? p.gflops : 0}"></rect>`,
      svg`<text class="value" x="${px(left + barWidth + 6)}" y="${px(textY)}">${value}</text>`,
      svg`</g>`,
    );
  });
  parts.push(svg`</g>`, svg`<text class="axis-caption" x="${px(left)}" y="${height - 4}">${caption}</text>`);
  return chartSvg({ className: 'peaks-chart', width, height, title: label }, parts);
}
