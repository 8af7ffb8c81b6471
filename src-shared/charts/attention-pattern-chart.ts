/**
 * Attention patterns as heatmaps (runs anywhere): an n×n mask, query rows down, key columns
 * across, attended pairs drawn (class `on`) over an unattended background (class `off`), with a
 * caption naming the pattern and the fraction of pairs it attends. Kept small by construction:
 * each row's horizontal runs of ones become one rect, and a run repeated in the rows below
 * (same start and end) grows that rect downwards instead of adding another, so a causal or
 * full mask is a handful of rects and a banded one about one per row. A mask larger than the
 * pixels available is binned first (a cell is on when any pair in it is; the density printed is
 * always the exact one). Also lays several patterns out side by side in one SVG.
 * Pure: data in, SVG (SafeMarkup) out; no inline styles (CSP), classes only (`.attention-pattern-chart`,
 * `.attention-pattern-grid`).
 */
import { format } from 'd3-format';
import { scaleLinear } from 'd3-scale';
import { CHAR_11, emptyChart } from './axes.js';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { chartSvg } from './frame.js';
import { px } from './svg.js';

export interface AttentionPatternInput {
  /** Row-major n×n: mask[q · n + k] ≠ 0 when query q attends to key k. */
  mask: Uint8Array;
  n: number;
  label: string;
  /** Fraction of the n² pairs attended, when the caller knows it; else counted from the mask. */
  density?: number;
}

export interface AttentionPatternOptions {
  /** Side of the heatmap in px; default 256. */
  size?: number;
}

export interface PatternGridOptions {
  /** Width to wrap the heatmaps into; default 760. */
  width?: number;
  /** Side of each heatmap in px; default 120. */
  size?: number;
  /** Space between heatmaps in px; default 20. */
  gap?: number;
}

/** A rect in cell units. */
export interface CellRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const TITLE = 'Attention pattern: query rows, key columns, attended pairs filled';
const GRID_TITLE = 'Attention patterns of the variants: query rows, key columns, attended pairs filled';
/** Room for the "keys" / "queries" hints above and left of the matrix. */
const INSET = 14;
/** Room for the two caption lines under the matrix (three when binned). */
const CAPTION_LINE = 14;
const pct = format('.3~g');

/** "12.5% of pairs", "0.391% of pairs", "100% of pairs". */
export function densityLabel(density: number): string {
  return `${pct(density * 100)}% of pairs`;
}

/** Why the input cannot be drawn, or null when it can. */
function problem(item: AttentionPatternInput | null | undefined): string | null {
  if (!item) return 'No pattern given.';
  const { mask, n } = item;
  if (!Number.isInteger(n) || n <= 0) return 'The pattern size n must be a positive whole number.';
  if (!(mask instanceof Uint8Array)) return 'The mask must be a Uint8Array.';
  if (mask.length !== n * n) return `The mask has ${mask.length} entries; an ${n}×${n} pattern needs ${n * n}.`;
  return null;
}

/**
 * The attended cells of a mask as few rects: binned by `factor` (≥ 1) first, then horizontal
 * runs merged, then identical runs in consecutive rows merged into taller rects.
 */
export function patternRects(mask: Uint8Array, n: number, factor = 1): { rects: CellRect[]; cells: number; ones: number } {
  const f = Math.max(1, Math.floor(factor));
  const cells = Math.ceil(n / f);
  let ones = 0;
  let grid: Uint8Array;
  if (f === 1) {
    grid = mask;
    for (let i = 0; i < mask.length; i++) if (mask[i]) ones++;
  } else {
    grid = new Uint8Array(cells * cells);
    for (let q = 0; q < n; q++) {
      const rowOut = Math.floor(q / f) * cells;
      const rowIn = q * n;
      for (let k = 0; k < n; k++) {
        if (mask[rowIn + k]) {
          ones++;
          grid[rowOut + Math.floor(k / f)] = 1;
        }
      }
    }
  }
  const rects: CellRect[] = [];
  let open = new Map<number, CellRect>();
  for (let r = 0; r < cells; r++) {
    const next = new Map<number, CellRect>();
    const row = r * cells;
    let c = 0;
    while (c < cells) {
      if (!grid[row + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < cells && grid[row + c]) c++;
      // Key on start and end together: cells ≤ 2^26 keeps start·cells + end exact.
      const key = start * (cells + 1) + c;
      const above = open.get(key);
      if (above) {
        above.h++;
        next.set(key, above);
      } else {
        const rect = { x: start, y: r, w: c - start, h: 1 };
        rects.push(rect);
        next.set(key, rect);
      }
    }
    open = next;
  }
  return { rects, cells, ones };
}

/**
 * A caption in lines of at most maxChars, broken at spaces (a longer word is cut across lines),
 * so the whole title shows under its heatmap instead of being cut off with "…".
 */
export function wrapCaption(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > maxChars) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(w.slice(0, maxChars));
      w = w.slice(maxChars);
    }
    if (!w) continue;
    if (!line) line = w;
    else if (line.length + 1 + w.length <= maxChars) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** One heatmap as a group at the origin, with its width and height. */
function patternGroup(item: AttentionPatternInput, size: number, extraClass: string): { markup: SafeMarkup; width: number; height: number } {
  const width = size + INSET + 4;
  const label = typeof item?.label === 'string' ? item.label : '';
  // The whole label, wrapped to the heatmap's width (as many lines as it takes: never cut off).
  const lines = wrapCaption(label, Math.max(4, Math.floor((width - INSET) / CHAR_11)));
  const labelText = (top: number) =>
    lines.length === 1
      ? svg`<text class="pattern-label" x="${INSET}" y="${px(top + CAPTION_LINE + 2)}">${lines[0]!}</text>`
      : svg`<text class="pattern-label" x="${INSET}" y="${px(top + CAPTION_LINE + 2)}">${lines.map((l, i) => svg`<tspan x="${INSET}" dy="${i === 0 ? 0 : CAPTION_LINE}">${l}</tspan>`)}</text>`;
  const extra = (lines.length - 1) * CAPTION_LINE;
  const why = problem(item);
  if (why) {
    const height = INSET + size + 2 * CAPTION_LINE + extra + 6;
    return {
      width,
      height,
      markup: svg`<g class="pattern invalid${extraClass}" data-label="${label}"><title>${`${label}: ${why}`}</title><rect class="off" x="${INSET}" y="${INSET}" width="${px(size)}" height="${px(size)}"></rect><text class="pattern-message" x="${px(INSET + size / 2)}" y="${px(INSET + size / 2)}" text-anchor="middle">no pattern</text>${labelText(INSET + size)}</g>`,
    };
  }
  const { mask, n } = item;
  // At least one px per cell, and never coarser than 256 cells a side, so the markup stays bounded.
  const cap = Math.max(256, Math.floor(size));
  const factor = Math.ceil(n / cap);
  const { rects, cells, ones } = patternRects(mask, n, factor);
  const density = Number.isFinite(item.density) && item.density! >= 0 && item.density! <= 1 ? item.density! : ones / (n * n);
  const scale = scaleLinear().domain([0, cells]).range([0, size]);
  const binned = factor > 1;
  const hover = `${label}: ${n}×${n}, ${densityLabel(density)} attended${binned ? ` (drawn as ${cells}×${cells} blocks of ${factor}×${factor}; a block is filled when any pair in it is attended)` : ''}`;

  const out: SafeMarkup[] = [
    svg`<g class="pattern${binned ? ' binned' : ''}${extraClass}" data-label="${label}" data-n="${n}" data-density="${String(density)}" data-ones="${ones}" data-rects="${rects.length}"${binned ? attrs` data-bin="${factor}"` : null}>`,
    svg`<title>${hover}</title>`,
    svg`<text class="pattern-axis" x="${INSET}" y="${INSET - 4}">keys →</text>`,
    // Rotated a quarter turn clockwise: reads downwards, glyph tops towards the matrix.
    svg`<text class="pattern-axis" x="${INSET - 11}" y="${INSET}" transform="rotate(90 ${INSET - 11} ${INSET})">queries →</text>`,
    svg`<rect class="off" x="${INSET}" y="${INSET}" width="${px(size)}" height="${px(size)}"></rect>`,
    svg`<g class="cells" transform="translate(${INSET},${INSET})" shape-rendering="crispEdges">`,
  ];
  // Edges rounded to 0.1 px, sizes taken between rounded edges, so neighbours meet without seams.
  const tenths = (cell: number) => Math.round(scale(cell) * 10);
  for (const r of rects) {
    const x = tenths(r.x);
    const y = tenths(r.y);
    out.push(svg`<rect class="on" x="${x / 10}" y="${y / 10}" width="${(tenths(r.x + r.w) - x) / 10}" height="${(tenths(r.y + r.h) - y) / 10}"></rect>`);
  }
  out.push(
    svg`</g>`,
    svg`<rect class="frame" x="${INSET}" y="${INSET}" width="${px(size)}" height="${px(size)}"></rect>`,
    labelText(INSET + size),
    svg`<text class="pattern-density" x="${INSET}" y="${px(INSET + size + 2 * CAPTION_LINE + extra + 2)}">${densityLabel(density)}</text>`,
  );
  if (binned) out.push(svg`<text class="pattern-note" x="${INSET}" y="${px(INSET + size + 3 * CAPTION_LINE + extra + 2)}">${`n = ${n}, binned ${factor}×${factor}`}</text>`);
  out.push(svg`</g>`);
  return { markup: svg`${out}`, width, height: INSET + size + (binned ? 3 : 2) * CAPTION_LINE + extra + 6 };
}

function sizeOption(value: number | undefined, fallback: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(Number.isFinite(value) ? value! : fallback)));
}

export function renderAttentionPattern(input: AttentionPatternInput, options: AttentionPatternOptions = {}): SafeMarkup {
  const size = sizeOption(options.size, 256, 32, 2048);
  const why = problem(input);
  if (why) return emptyChart('attention-pattern-chart', size + INSET + 4, TITLE, why);
  const g = patternGroup(input, size, '');
  const width = Math.ceil(g.width);
  const height = Math.ceil(g.height);
  return chartSvg({ className: 'attention-pattern-chart', width, height, title: `${TITLE}: ${input.label ?? ''}` }, g.markup);
}

export function renderPatternGrid(items: readonly AttentionPatternInput[], options: PatternGridOptions = {}): SafeMarkup {
  const width = sizeOption(options.width, 760, 160, 8192);
  const size = sizeOption(options.size, 120, 24, 1024);
  const gap = sizeOption(options.gap, 20, 0, 200);
  const list = Array.isArray(items) ? items : [];
  if (list.length === 0) return emptyChart('attention-pattern-grid', width, GRID_TITLE, 'No attention patterns to draw.');

  const groups = list.map((item, i) => patternGroup(item, size, ` pattern-${i}`));
  const cellWidth = Math.max(...groups.map((g) => g.width));
  const columns = Math.max(1, Math.min(groups.length, Math.floor((width + gap) / (cellWidth + gap))));
  const rows = Math.ceil(groups.length / columns);
  const rowHeights = Array.from({ length: rows }, (_, r) => Math.max(...groups.slice(r * columns, (r + 1) * columns).map((g) => g.height)));
  const parts: SafeMarkup[] = [];
  let top = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const g = groups[r * columns + c];
      if (!g) break;
      parts.push(svg`<g transform="translate(${px(c * (cellWidth + gap))},${px(top)})">${g.markup}</g>`);
    }
    top += rowHeights[r]! + gap;
  }
  const svgWidth = Math.ceil(columns * (cellWidth + gap) - gap);
  const height = Math.ceil(top - gap);
  return chartSvg({ className: 'attention-pattern-grid', width: svgWidth, height, title: GRID_TITLE, attrs: attrs` data-columns="${columns}"` }, parts);
}
