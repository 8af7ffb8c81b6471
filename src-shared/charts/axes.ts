/**
 * Axis and layout helpers shared by the benchmark charts (runs anywhere): log-scale tick picking
 * (decades, 1-2-5 or powers of two), compact tick labels, vertical label dodging so close values
 * do not print on top of each other, and the empty-state SVG every chart returns for no data.
 */
import { format } from 'd3-format';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { chartSvg } from './frame.js';

/** Width of one character of the 11px monospace chart font, for layout only. */
export const CHAR_11 = 6.7;

const tickNumber = format('~g');

/**
 * Ticks for a log axis: whole decades when at least three fit, else the 1-2-5 series (so a
 * narrow range such as 50–130 GB/s still gets labelled gridlines). Too many decades: every other.
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > lo)) return [];
  const decades: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); 10 ** e <= hi * (1 + 1e-9); e++) decades.push(e >= 0 ? 10 ** e : 1 / 10 ** -e);
  if (decades.length > 8) return decades.filter((_, i) => i % 2 === 0);
  if (decades.length >= 3) return decades;
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi; e++) {
    // Multiply in the integer domain and divide once, so 2e-1 prints as 0.2, not 0.20000000000000004.
    for (const m of [1, 2, 5]) {
      const t = e >= 0 ? m * 10 ** e : m / 10 ** -e;
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks;
}

/** Powers of two in [lo, hi], thinned to every 2nd, 4th… power so at most `maxTicks` remain. */
export function pow2Ticks(lo: number, hi: number, maxTicks = 9): number[] {
  if (!(lo > 0) || !(hi > lo)) return [];
  const first = Math.ceil(Math.log2(lo) - 1e-9);
  const last = Math.floor(Math.log2(hi) + 1e-9);
  const count = last - first + 1;
  let step = 1;
  while (Math.ceil(count / step) > maxTicks) step *= 2;
  const ticks: number[] = [];
  // Anchor the thinned series on 2^0 (or a multiple of the step) so "1" stays a tick when in range.
  const start = Math.ceil(first / step) * step;
  for (let e = start; e <= last; e += step) ticks.push(2 ** e);
  return ticks;
}

/** "10 G", "1 T", "500 M": SI prefix of a GFLOP/s value, the unit itself is in the axis caption. */
export function gigaTickLabel(giga: number): string {
  const units: Array<[number, string]> = [
    [1e6, 'P'],
    [1e3, 'T'],
    [1, 'G'],
    [1e-3, 'M'],
  ];
  const [scale, unit] = units.find(([s]) => giga >= s * 0.999) ?? units[units.length - 1]!;
  return `${tickNumber(giga / scale)} ${unit}`;
}

/** A plain number tick: 0.5, 2, 100, 1000. */
export function numberTickLabel(value: number): string {
  return tickNumber(value);
}

/** Intensity ticks (FLOP/byte) as the fractions they are: "1/16", "1/2", "1", "64". */
export function intensityTickLabel(value: number): string {
  if (value >= 1) return tickNumber(value);
  const inverse = Math.round(1 / value);
  return Math.abs(1 / inverse - value) < value * 1e-9 ? `1/${inverse}` : tickNumber(value);
}

/**
 * Moves label positions apart so neighbours are at least `gap` px from each other, staying
 * within [lo, hi] where the room allows, and returns them in the input's order. Labels keep
 * their relative order, so each stays next to the line it names.
 */
export function dodge(positions: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = positions.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const ys = order.map((o) => Math.min(hi, Math.max(lo, o.y)));
  for (let k = 1; k < ys.length; k++) ys[k] = Math.max(ys[k]!, ys[k - 1]! + gap);
  if (ys.length && ys[ys.length - 1]! > hi) {
    ys[ys.length - 1] = hi;
    for (let k = ys.length - 2; k >= 0; k--) ys[k] = Math.min(ys[k]!, ys[k + 1]! - gap);
  }
  const out = new Array<number>(positions.length);
  order.forEach((o, k) => (out[o.i] = ys[k]!));
  return out;
}

/** A small SVG that says why there is no chart, instead of an empty box or an exception. */
export function emptyChart(className: string, width: number, title: string, message: string): SafeMarkup {
  const w = Math.max(240, Math.round(width));
  return chartSvg({ className: `${className} chart-empty`, width: w, height: 48, title }, svg`<text class="empty" x="0" y="28">${message}</text>`);
}

/** Positive finite numbers only: measured series can carry zeros or NaN from a failed step. */
export function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

/** GB/s with one decimal below 1000: "56.3 GB/s", "1234 GB/s". */
export function formatGBs(gbs: number): string {
  return `${gbs >= 1000 ? gbs.toFixed(0) : gbs.toFixed(1)} GB/s`;
}

/** Nanoseconds: "2.7 ns", "180 ns". */
export function formatNs(ns: number): string {
  return `${ns >= 100 ? ns.toFixed(0) : ns.toFixed(1)} ns`;
}

/** Arithmetic intensity: "3.2", "0.25", "128" (FLOP per byte). */
export function formatIntensity(flopPerByte: number): string {
  if (flopPerByte >= 10) return flopPerByte.toFixed(0);
  if (flopPerByte >= 1) return flopPerByte.toFixed(1);
  return String(Number(flopPerByte.toPrecision(2)));
}

export interface LegendEntry {
  /** SVG markup of the swatch, drawn at the entry's origin (about 22 px wide). */
  swatch: SafeMarkup;
  text: string;
}

/**
 * A legend laid out in as many equal columns as fit `width`, rows of 18 px, translated to
 * (left, top): the markup and the y just below it (where the chart's height ends).
 */
export function legendGrid(entries: readonly LegendEntry[], left: number, top: number, width: number): { markup: SafeMarkup; bottom: number } {
  const row = 18;
  const entryWidth = Math.max(...entries.map((e) => e.text.length)) * CHAR_11 + 40;
  const columns = Math.max(1, Math.floor(width / entryWidth));
  const items = entries.map((e, i) => {
    const ex = Math.round((i % columns) * entryWidth * 10) / 10;
    const ey = Math.floor(i / columns) * row;
    return svg`<g class="legend-entry" transform="translate(${ex},${ey})">${e.swatch}<text x="30" y="4">${e.text}</text></g>`;
  });
  const markup = svg`<g class="legend" transform="translate(${left},${Math.round(top * 10) / 10})">${items}</g>`;
  return { markup, bottom: top + Math.ceil(entries.length / columns) * row };
}
