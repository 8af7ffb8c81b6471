/**
 * Training memory against batch size (runs anywhere): total training memory (weights, gradients,
 * optimizer state, master weights and saved activations) on a log–log plot, one line without and
 * one with activation checkpointing, the device memories (RAM, each GPU's VRAM) as labelled
 * horizontal lines, and the largest batch that fits each device marked on the line. Pure: data
 * in, SVG (SafeMarkup) out; no inline styles (CSP), coloured by src-shared/charts/chart-styles.ts
 * (`.memory-batch-chart`). The numbers come from src-shared/profiler/whatif/training.ts.
 */
import { scaleLog } from 'd3-scale';
import { formatBytes } from '../hardware/format.js';
import { CHAR_11, dodge, emptyChart, isPositive, numberTickLabel, pow2Ticks } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';

export interface MemoryBatchPoint {
  batch: number;
  /** Total training memory in bytes. */
  total: number;
}

export interface DeviceMemory {
  /** "RAM", "GPU 0 VRAM (NVIDIA H100)". */
  label: string;
  bytes: number;
}

export interface BatchFitMark {
  /** The device line it belongs to. */
  device: string;
  batch: number;
  bytes: number;
}

export interface MemoryBatchChartInput {
  /** Without checkpointing, ascending batch. */
  plain: readonly MemoryBatchPoint[];
  /** With √n activation checkpointing, same batches. */
  checkpointed: readonly MemoryBatchPoint[];
  devices: readonly DeviceMemory[];
  /** Largest batch that fits, per device (on the plain line unless stated otherwise). */
  fits?: readonly BatchFitMark[];
  /** The batch size chosen in the form, drawn as a vertical guide. */
  current?: number;
}

export interface MemoryBatchChartOptions {
  width?: number;
  height?: number;
}

const TITLE = 'Training memory against batch size, without and with activation checkpointing, against device memory';

/** A batch-size label: "256", "8192", then powers of two as "2^20". */
export function batchLabel(batch: number): string {
  const e = Math.log2(batch);
  return batch >= 16384 && Number.isInteger(e) ? `2^${e}` : numberTickLabel(batch);
}

export function renderMemoryBatchChart(input: MemoryBatchChartInput, options: MemoryBatchChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 720));
  const height = Math.max(220, Math.round(options.height ?? 320));
  const plain = input.plain.filter((p) => isPositive(p.batch) && isPositive(p.total));
  const ckpt = input.checkpointed.filter((p) => isPositive(p.batch) && isPositive(p.total));
  if (plain.length < 2) return emptyChart('memory-batch-chart', width, TITLE, 'Not enough batch sizes to draw.');
  const devices = input.devices.filter((d) => isPositive(d.bytes));

  const batches = plain.map((p) => p.batch);
  const xLo = Math.min(...batches);
  const xHi = Math.max(...batches);
  const ys = [...plain, ...ckpt].map((p) => p.total).concat(devices.map((d) => d.bytes));
  const yLo = Math.min(...ys) / 1.5;
  const yHi = Math.max(...ys) * 1.5;

  const labelWidth = Math.min(width * 0.35, Math.max(0, ...devices.map((d) => `${d.label} ${formatBytes(d.bytes)}`.length)) * CHAR_11 + 10);
  const margin = { top: 30, right: Math.max(16, labelWidth), bottom: 40, left: 70 };
  const x = scaleLog().domain([xLo, xHi]).range([margin.left, width - margin.right]);
  const y = scaleLog().domain([yLo, yHi]).range([height - margin.bottom, margin.top]);
  const x0 = margin.left;
  const x1 = width - margin.right;
  const yTop = margin.top;
  const yBottom = height - margin.bottom;

  const parts: Array<SafeMarkup | null> = [
  ];

  // Axes: powers of two along x, decades of bytes (thinned) along y.
  parts.push(
    gridAndAxes(
      { left: px(x0), right: px(x1), top: px(yTop), bottom: px(yBottom) },
      { values: pow2Ticks(xLo, xHi, 10), at: (t) => px(x(t)), label: batchLabel, labelY: px(yBottom + 14), className: 'tick' },
      { values: byteTicks(yLo, yHi), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: formatBytes, labelX: px(x0 - 6), className: 'tick' },
      {
        groupClass: 'axes',
        captions: [
          svg`<text class="axis-caption" x="${px((x0 + x1) / 2)}" y="${px(height - 6)}" text-anchor="middle">batch size (log)</text>`,
          svg`<text class="axis-caption" x="${px(x0)}" y="${px(yTop - 12)}" text-anchor="start">training memory (log)</text>`,
        ],
      },
    ),
  );

  // Device memory lines, labels dodged so close budgets stay readable.
  if (devices.length) {
    const labelYs = dodge(
      devices.map((d) => y(d.bytes) + 4),
      13,
      yTop,
      yBottom,
    );
    parts.push(svg`<g class="devices">`);
    devices.forEach((d, i) => {
      const text = `${d.label} ${formatBytes(d.bytes)}`;
      parts.push(
        svg`<g class="device-line device-${i}" data-device="${d.label}" data-bytes="${d.bytes}">`,
        svg`<title>${`${d.label}: ${formatBytes(d.bytes)}`}</title>`,
        svg`<line class="device" x1="${px(x0)}" x2="${px(x1)}" y1="${px(y(d.bytes))}" y2="${px(y(d.bytes))}"></line>`,
        svg`<text class="device-label" x="${px(x1 + 6)}" y="${px(labelYs[i]!)}">${text}</text>`,
        svg`</g>`,
      );
    });
    parts.push(svg`</g>`);
  }

  if (input.current !== undefined && input.current >= xLo && input.current <= xHi) {
    const cx = x(input.current);
    parts.push(
      svg`<line class="current" data-batch="${input.current}" x1="${px(cx)}" x2="${px(cx)}" y1="${px(yTop)}" y2="${px(yBottom)}"><title>${`batch ${input.current}`}</title></line>`,
    );
  }

  const path = (points: readonly MemoryBatchPoint[]) => points.map((p, i) => `${i ? 'L' : 'M'}${px(x(p.batch))},${px(y(p.total))}`).join('');
  parts.push(svg`<path class="series plain" d="${path(plain)}"><title>Without checkpointing</title></path>`);
  if (ckpt.length >= 2) parts.push(svg`<path class="series checkpointed" d="${path(ckpt)}"><title>With activation checkpointing</title></path>`);

  for (const f of input.fits ?? []) {
    if (!(f.batch >= xLo && f.batch <= xHi) || !isPositive(f.bytes)) continue;
    const label = `fits ${batchLabel(f.batch)}`;
    parts.push(
      svg`<g class="fit-mark" data-device="${f.device}" data-batch="${f.batch}">`,
      svg`<title>${`Largest batch that fits ${f.device}: ${f.batch} (${formatBytes(f.bytes)})`}</title>`,
      svg`<circle class="fit" cx="${px(x(f.batch))}" cy="${px(y(f.bytes))}" r="4.5"></circle>`,
      svg`<text class="fit-label" x="${px(x(f.batch) - 8)}" y="${px(y(f.bytes) - 8)}" text-anchor="end">${label}</text>`,
      svg`</g>`,
    );
  }

  // Legend.
  parts.push(
    svg`<g class="legend">`,
    svg`<line class="series plain" x1="${px(x0 + 150)}" x2="${px(x0 + 172)}" y1="12" y2="12"></line>`,
    svg`<text class="legend-label" x="${px(x0 + 177)}" y="16">without checkpointing</text>`,
    svg`<line class="series checkpointed" x1="${px(x0 + 340)}" x2="${px(x0 + 362)}" y1="12" y2="12"></line>`,
    svg`<text class="legend-label" x="${px(x0 + 367)}" y="16">with checkpointing</text>`,
    svg`</g>`,
  );
  return chartSvg({ className: 'memory-batch-chart', width, height, title: TITLE }, parts);
}

/** Powers of 1024 (and of 10 × them when few) between lo and hi, for a bytes axis. */
function byteTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = 0; 1024 ** e <= hi * 1024; e++) {
    for (const m of [1, 10, 100]) {
      const t = m * 1024 ** e;
      if (t >= lo && t <= hi) ticks.push(t);
    }
  }
  return ticks.length > 8 ? ticks.filter((_, i) => i % 2 === 0) : ticks;
}
