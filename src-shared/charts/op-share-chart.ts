/**
 * "Where the FLOPs and bytes go" (runs anywhere): a model's layers summed by op type, drawn as
 * paired horizontal bars — share of total FLOPs and share of total bytes moved (read + written)
 * — for the top op types, the rest folded into one "other" row. Pure: data in, SVG (SafeMarkup) out;
 * no inline styles (CSP), coloured by src-shared/charts/chart-styles.ts (`.op-share-chart`).
 *
 * FLOPs follow the profiler's convention (2 × MACs for matrix products and convolutions only), so
 * an element-wise op can take a large share of the bytes and none of the FLOPs: that contrast is
 * the point of the chart.
 */
import { CHAR_11, emptyChart } from './axes.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { classToken, px } from './svg.js';
import { chartSvg } from './frame.js';

/** The per-layer fields the chart needs (a subset of ProfileNode). */
export interface OpShareInput {
  opType: string;
  flops: number;
  bytesRead: number;
  bytesWritten: number;
}

export interface OpShareRow {
  /** An op type, or "other" for the op types beyond the top ones. */
  opType: string;
  /** Layers of this op type. */
  count: number;
  flops: number;
  bytes: number;
  /** Fractions of the model's totals, 0…1. */
  flopsShare: number;
  bytesShare: number;
}

export interface OpShareChartOptions {
  width?: number;
  /** Op types shown before the rest is folded into "other"; default 12. */
  top?: number;
}

export const OTHER_OP = 'other';
const TITLE = 'Where the FLOPs and bytes go: share of total FLOPs and bytes moved by op type';

const finite = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Sums layers by op type and ranks them by their larger share (FLOPs or bytes), so both the
 * compute-heavy and the memory-heavy op types make the top list.
 */
export function opShares(nodes: readonly OpShareInput[], top = 12): OpShareRow[] {
  const byType = new Map<string, { count: number; flops: number; bytes: number }>();
  for (const n of nodes) {
    const row = byType.get(n.opType) ?? { count: 0, flops: 0, bytes: 0 };
    row.count += 1;
    row.flops += finite(n.flops);
    row.bytes += finite(n.bytesRead) + finite(n.bytesWritten);
    byType.set(n.opType, row);
  }
  let totalFlops = 0;
  let totalBytes = 0;
  for (const r of byType.values()) {
    totalFlops += r.flops;
    totalBytes += r.bytes;
  }
  const rows: OpShareRow[] = [...byType].map(([opType, r]) => ({
    opType,
    ...r,
    flopsShare: totalFlops > 0 ? r.flops / totalFlops : 0,
    bytesShare: totalBytes > 0 ? r.bytes / totalBytes : 0,
  }));
  const weight = (r: OpShareRow) => Math.max(r.flopsShare, r.bytesShare);
  rows.sort((a, b) => weight(b) - weight(a) || b.flops - a.flops || a.opType.localeCompare(b.opType));
  const limit = Math.max(1, Math.floor(top));
  if (rows.length <= limit) return rows;
  const kept = rows.slice(0, limit);
  const rest = rows.slice(limit);
  const other = rest.reduce(
    (o, r) => ({ ...o, count: o.count + r.count, flops: o.flops + r.flops, bytes: o.bytes + r.bytes, flopsShare: o.flopsShare + r.flopsShare, bytesShare: o.bytesShare + r.bytesShare }),
    { opType: OTHER_OP, count: 0, flops: 0, bytes: 0, flopsShare: 0, bytesShare: 0 },
  );
  return [...kept, other];
}

/** "42.1 %", "0.3 %", "<0.1 %", "0 %". */
export function formatShare(share: number): string {
  if (!(share > 0)) return '0 %';
  const pct = share * 100;
  if (pct < 0.1) return '<0.1 %';
  return `${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

const ROW = 34;
const BAR = 11;
const LEGEND = 26;

export function renderOpShareChart(nodes: readonly OpShareInput[], options: OpShareChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 720));
  const rows = opShares(nodes, options.top ?? 12);
  if (rows.length === 0 || rows.every((r) => r.flops === 0 && r.bytes === 0)) {
    return emptyChart('op-share-chart', width, TITLE, 'No layers with FLOPs or bytes to show.');
  }
  const labelWidth = Math.min(width * 0.3, Math.max(...rows.map((r) => `${r.opType} ×${r.count}`.length)) * CHAR_11 + 12);
  const valueWidth = 7 * CHAR_11 + 8;
  const left = labelWidth;
  const right = width - valueWidth;
  const span = Math.max(40, right - left);
  const height = LEGEND + rows.length * ROW + 6;

  const parts: Array<SafeMarkup | null> = [
    svg`<g class="legend">`,
    svg`<rect class="swatch flops" x="${px(left)}" y="6" width="12" height="10"></rect>`,
    svg`<text class="legend-label" x="${px(left + 17)}" y="15">FLOPs</text>`,
    svg`<rect class="swatch bytes" x="${px(left + 80)}" y="6" width="12" height="10"></rect>`,
    svg`<text class="legend-label" x="${px(left + 97)}" y="15">bytes moved (read + written)</text>`,
    svg`</g>`,
  ];
  rows.forEach((r, i) => {
    const y0 = LEGEND + i * ROW;
    const label = `${r.opType} ×${r.count}`;
    const hover = `${r.opType === OTHER_OP ? 'Other op types' : r.opType}: ${r.count} layer${r.count === 1 ? '' : 's'}, ${formatShare(r.flopsShare)} of FLOPs, ${formatShare(r.bytesShare)} of bytes`;
    const wf = r.flopsShare * span;
    const wb = r.bytesShare * span;
    parts.push(
      svg`<g class="op-row${r.opType === OTHER_OP ? ' other' : ''}" data-op="${r.opType}" data-flops-share="${r.flopsShare}" data-bytes-share="${r.bytesShare}">`,
      svg`<title>${hover}</title>`,
      svg`<text class="op-label op-${classToken(r.opType)}" x="${px(left - 8)}" y="${px(y0 + BAR + 5)}" text-anchor="end">${label}</text>`,
      svg`<line class="baseline" x1="${px(left)}" x2="${px(left)}" y1="${px(y0 + 1)}" y2="${px(y0 + 2 * BAR + 3)}"></line>`,
      svg`<rect class="bar flops" x="${px(left)}" y="${px(y0 + 1)}" width="${px(wf)}" height="${BAR}"></rect>`,
      svg`<text class="value" x="${px(left + wf + 5)}" y="${px(y0 + BAR)}">${formatShare(r.flopsShare)}</text>`,
      svg`<rect class="bar bytes" x="${px(left)}" y="${px(y0 + BAR + 3)}" width="${px(wb)}" height="${BAR}"></rect>`,
      svg`<text class="value" x="${px(left + wb + 5)}" y="${px(y0 + 2 * BAR + 2)}">${formatShare(r.bytesShare)}</text>`,
      svg`</g>`,
    );
  });
  return chartSvg({ className: 'op-share-chart', width, height, title: TITLE }, parts);
}
