/**
 * The roofline chart (runs anywhere): attainable GFLOP/s against arithmetic intensity (FLOP per
 * byte), log–log, as SVG (SafeMarkup). One diagonal per bandwidth ceiling (L1 … DRAM) meets the
 * horizontal compute ceilings (one per dtype); measured ceilings are solid, theoretical ones
 * dashed. The ridge point is marked and labelled, every line carries a <title> with its number
 * and how it was obtained (hover text), and a legend below names them all. Optional extra points
 * (e.g. a model's layers) are drawn as dots. No inline styles (CSP): classes only, coloured by
 * src-shared/charts/chart-styles.ts (`.roofline-chart`).
 *
 * Convention (Empirical Roofline Toolkit): each diagonal runs up to the highest compute ceiling
 * and each horizontal starts where it meets the fastest bandwidth, so every pair's meeting point
 * can be read off the chart; attainable(I) for one pair is min(compute, bandwidth × I).
 */
import { max, min } from 'd3-array';
import { scaleLog } from 'd3-scale';
import type { Ceiling, Roofline } from '../bench/roofline.js';
import { formatFlops } from '../hardware/format.js';
import {
  CHAR_11,
  dodge,
  emptyChart,
  formatGBs,
  formatIntensity,
  gigaTickLabel,
  intensityTickLabel,
  isPositive,
  logTicks,
  pow2Ticks,
} from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { classToken, px } from './svg.js';

/** A kernel or layer placed on the roofline, e.g. by the model profiler. */
export interface RooflinePoint {
  label: string;
  /** FLOP per byte. */
  intensity: number;
  gflops: number;
}

export interface RooflineChartOptions {
  /** Total width in CSS pixels; the mounting component passes its container's width. */
  width?: number;
  /** Height of the plot area plus axes (the legend adds to it); default from the width. */
  height?: number;
  /** Intensity axis range before it is widened to show the ridge and extra points; default 1/16 … 1024. */
  intensityRange?: readonly [number, number];
  extraPoints?: readonly RooflinePoint[];
  /**
   * Other rooflines drawn over this one (e.g. another machine's run in a comparison): each as its
   * envelope — the fastest bandwidth diagonal up to the highest compute roof — class `overlay overlay-<i>`.
   */
  overlays?: ReadonlyArray<{ label: string; roofline: Roofline }>;
}

/** The envelope of a roofline: its top compute roof and its fastest bandwidth (measured first). */
function envelope(r: Roofline): { roof: number; bw: number } | null {
  const cs = r.ceilings.filter((c) => isPositive(c.value));
  const pick = (kind: 'compute' | 'bandwidth') => {
    const of = cs.filter((c) => c.kind === kind);
    const measured = of.filter((c) => c.source === 'measured');
    return max(measured.length ? measured : of, (c) => c.value) ?? null;
  };
  const roof = pick('compute');
  const bw = pick('bandwidth');
  return roof !== null && bw !== null ? { roof, bw } : null;
}

const TITLE = 'Roofline: attainable throughput against arithmetic intensity (log–log)';
const X_CAPTION = 'arithmetic intensity (FLOP/byte), log scale';
const LEVEL_ORDER = ['L1', 'L2', 'L3', 'DRAM'];
const DASH = '6 4';
const LABEL_GAP = 13;
const LEGEND_ROW = 18;

function flops(value: number, name: string): string {
  return formatFlops(value, name === 'int8' ? 'int8' : undefined);
}

function valueText(c: Ceiling): string {
  return c.kind === 'compute' ? flops(c.value, c.name) : formatGBs(c.value);
}

/** Stable order whatever the input order: compute by value (highest first), bandwidth by level. */
function sortCeilings(ceilings: readonly Ceiling[]): Ceiling[] {
  const rank = (name: string) => {
    const i = LEVEL_ORDER.indexOf(name);
    return i < 0 ? LEVEL_ORDER.length : i;
  };
  const src = (c: Ceiling) => (c.source === 'measured' ? 0 : 1);
  return [...ceilings].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'compute' ? -1 : 1;
    if (a.kind === 'compute') return b.value - a.value || a.name.localeCompare(b.name) || src(a) - src(b);
    return rank(a.name) - rank(b.name) || a.name.localeCompare(b.name) || src(a) - src(b);
  });
}

function lineClass(c: Ceiling): string {
  const colour = c.kind === 'compute' ? `dtype-${classToken(c.name)}` : `level-${classToken(c.name)}`;
  return `ceiling ${classToken(c.kind)} ${classToken(c.source)} ${colour}`;
}

function ceilingTitle(c: Ceiling): string {
  const what = c.kind === 'compute' ? `${c.name} compute ceiling` : `${c.name} bandwidth ceiling`;
  return `${what} (${c.source}): ${valueText(c)}\n${c.how}`;
}

function onChartLabel(c: Ceiling): string {
  return `${c.name}${c.source === 'theoretical' ? ' peak' : ''} ${valueText(c)}`;
}

export function renderRooflineChart(roofline: Roofline | null | undefined, options: RooflineChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 720));
  const ceilings = sortCeilings((roofline?.ceilings ?? []).filter((c) => isPositive(c.value)));
  if (ceilings.length === 0) {
    return emptyChart('roofline-chart', width, TITLE, 'No roofline: it needs the GEMM or memory benchmark.');
  }
  const compute = ceilings.filter((c) => c.kind === 'compute');
  const bandwidth = ceilings.filter((c) => c.kind === 'bandwidth');
  const extra = (options.extraPoints ?? []).filter((p) => isPositive(p.intensity) && isPositive(p.gflops));
  const overlays = (options.overlays ?? []).flatMap((o) => {
    const e = o.roofline ? envelope(o.roofline) : null;
    return e ? [{ label: o.label, ...e }] : [];
  });
  const ridge = roofline?.ridge && isPositive(roofline.ridge.intensity) && isPositive(roofline.ridge.gflops) ? roofline.ridge : null;

  // x: the requested range, widened (to whole powers of two) to show the ridge and extra points.
  const [r0, r1] = options.intensityRange ?? [1 / 16, 1024];
  const xs = [r0, r1, ...(ridge ? [ridge.intensity / 2, ridge.intensity * 2] : []), ...extra.flatMap((p) => [p.intensity / 1.5, p.intensity * 1.5])];
  const xlo = 2 ** Math.floor(Math.log2(min(xs)!));
  const xhi = 2 ** Math.ceil(Math.log2(max(xs)!));

  // y: from below the lowest diagonal's start to comfortably above the highest roof.
  const topCompute = max(compute, (c) => c.value) ?? null;
  const fastest = max(bandwidth, (c) => c.value) ?? null;
  const slowest = min(bandwidth, (c) => c.value) ?? null;
  const yCandidatesHi = [topCompute ?? fastest! * xhi, ...extra.map((p) => p.gflops), ...overlays.map((o) => o.roof)];
  const yCandidatesLo = [
    slowest !== null ? slowest * xlo : (min(compute, (c) => c.value) ?? 1) / 10,
    ...overlays.map((o) => Math.min(o.roof / 4, o.bw * xlo)),
    ...(compute.length ? [min(compute, (c) => c.value)! / 4] : []),
    ...extra.map((p) => p.gflops),
  ];
  const yhi = max(yCandidatesHi)! * 2;
  let ylo = min(yCandidatesLo)! / 2;
  if (yhi / ylo < 10) ylo = yhi / 10;

  // Horizontal layout: y tick labels on the left, compute labels in the right margin.
  const computeLabels = compute.map(onChartLabel);
  const left = 58;
  const labelRoom = computeLabels.length ? (max(computeLabels, (l) => l.length) ?? 0) * CHAR_11 + 14 : 16;
  // Up to half the width for the ceiling labels, so a narrow (side-by-side) chart keeps them whole.
  const right = width - Math.min(labelRoom, width * 0.5);
  const top = 24;
  const plotHeight = Math.round(options.height ?? Math.min(420, Math.max(260, width * 0.42)));
  const bottom = top + plotHeight;

  const x = scaleLog().domain([xlo, xhi]).range([left, right]);
  const y = scaleLog().domain([ylo, yhi]).range([bottom, top]);

  const parts: SafeMarkup[] = [];
  const xTicks = pow2Ticks(xlo, xhi, Math.max(4, Math.floor((right - left) / 56)));
  const yTicks = logTicks(ylo, yhi);

  parts.push(
    gridAndAxes(
      { left, right: px(right), top, bottom },
      { values: xTicks, at: (t) => px(x(t)), label: intensityTickLabel, labelY: bottom + 16 },
      { values: yTicks, at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: gigaTickLabel, labelX: left - 6 },
    ),
  );

  // Bandwidth diagonals: from the left edge (or the floor) up to the highest roof.
  const roof = topCompute ?? yhi;
  const drawnBandwidth: Array<{ c: Ceiling; start: number; end: number }> = [];
  parts.push(svg`<g class="ceilings bandwidth-ceilings">`);
  for (const c of bandwidth) {
    const xa = Math.max(xlo, ylo / c.value);
    const xb = Math.min(xhi, roof / c.value);
    if (!(xb > xa)) continue;
    parts.push(ceilingGroup(c, x(xa), y(c.value * xa), x(xb), y(c.value * xb)));
    drawnBandwidth.push({ c, start: xa, end: xb });
  }
  parts.push(svg`</g>`);

  // Compute roofs: from where they meet the fastest bandwidth to the right edge.
  const computeLabelTargets: number[] = [];
  parts.push(svg`<g class="ceilings compute-ceilings">`);
  for (const c of compute) {
    const xa = fastest !== null ? Math.max(xlo, c.value / fastest) : xlo;
    const [x1, x2, yy] = [x(Math.min(xa, xhi)), x(xhi), y(c.value)];
    parts.push(ceilingGroup(c, x1, yy, x2, yy));
    computeLabelTargets.push(yy + 4);
  }
  parts.push(svg`</g>`);

  // Labels: compute in the right margin (dodged apart), bandwidth along its diagonal.
  parts.push(svg`<g class="line-labels">`);
  const computeYs = dodge(computeLabelTargets, LABEL_GAP, top + 8, bottom);
  compute.forEach((c, i) => {
    parts.push(svg`<text class="line-label ${lineClass(c).replace('ceiling ', '')}" x="${px(right + 6)}" y="${px(computeYs[i]!)}">${computeLabels[i]!}</text>`);
  });
  parts.push(...bandwidthLabels(drawnBandwidth, x, y));
  parts.push(svg`</g>`);

  // The ridge: where the chosen compute roof meets the chosen bandwidth.
  if (ridge) {
    const rx = x(ridge.intensity);
    const ry = y(ridge.gflops);
    const bw = bandwidth.find((c) => c.name === ridge.level && c.source === 'measured') ?? bandwidth.find((c) => c.name === ridge.level);
    const label = `ridge ${formatIntensity(ridge.intensity)} FLOP/B`;
    const hover =
      `Ridge point: ${formatIntensity(ridge.intensity)} FLOP/byte, where ${ridge.dtype} ${flops(ridge.gflops, ridge.dtype)}` +
      ` meets ${ridge.level}${bw ? ` ${formatGBs(bw.value)}` : ''}.\nKernels below this intensity are bound by ${ridge.level} bandwidth; above it, by compute.`;
    // The label sits at the foot of the drop line, in the empty corner under every diagonal;
    // to the line's left when the right edge is near.
    const labelLeft = rx + 6 + label.length * CHAR_11 > right;
    parts.push(
      svg`<g class="ridge">`,
      svg`<title>${hover}</title>`,
      svg`<line class="ridge-drop" x1="${px(rx)}" x2="${px(rx)}" y1="${px(ry)}" y2="${bottom}" stroke-dasharray="2 3"></line>`,
      svg`<circle class="ridge-point" cx="${px(rx)}" cy="${px(ry)}" r="4.5"></circle>`,
      svg`<text class="ridge-label" x="${px(labelLeft ? rx - 6 : rx + 6)}" y="${bottom - 8}" text-anchor="${labelLeft ? 'end' : 'start'}">${label}</text>`,
      svg`</g>`,
    );
  }

  if (overlays.length) {
    parts.push(svg`<g class="overlays">`);
    overlays.forEach((o, i) => {
      const xa = Math.max(xlo, ylo / o.bw);
      const xr = Math.min(xhi, o.roof / o.bw);
      const pts = [`${px(x(xa))},${px(y(o.bw * xa))}`, `${px(x(xr))},${px(y(o.roof))}`, `${px(x(xhi))},${px(y(o.roof))}`];
      parts.push(
        svg`<g class="overlay overlay-${i % 8}" data-label="${o.label}"><title>${`${o.label}: ${formatFlops(o.roof)} roof, ${formatGBs(o.bw)}`}</title>`,
        svg`<polyline class="overlay-line" points="${pts.join(' ')}" stroke-dasharray="8 3"></polyline>`,
        svg`<text class="overlay-label" x="${px(x(xhi) - 4)}" y="${px(y(o.roof) - 5)}" text-anchor="end">${o.label}</text>`,
        svg`</g>`,
      );
    });
    parts.push(svg`</g>`);
  }

  if (extra.length) {
    parts.push(svg`<g class="extra-points">`);
    for (const p of extra) {
      const hover = `${p.label}: ${formatIntensity(p.intensity)} FLOP/B, ${formatFlops(p.gflops)}`;
      parts.push(
        svg`<g class="extra-point"><title>${hover}</title>`,
        svg`<circle class="point" cx="${px(x(p.intensity))}" cy="${px(y(p.gflops))}" r="3.5"></circle>`,
        extra.length <= 8 ? svg`<text class="point-label" x="${px(x(p.intensity) + 6)}" y="${px(y(p.gflops) - 6)}">${p.label}</text>` : svg``,
        svg`</g>`,
      );
    }
    parts.push(svg`</g>`);
  }

  // Axis captions.
  const int8 = compute.some((c) => c.name === 'int8');
  parts.push(
    svg`<text class="axis-caption" x="${left}" y="12">${`attainable FLOP/s${int8 ? ' (int8: OP/s)' : ''}, log scale`}</text>`,
    // Centred under the plot, but never past the chart's edges (a narrow chart's plot is narrower than the caption).
    svg`<text class="axis-caption" x="${px(Math.min(Math.max((left + right) / 2, (X_CAPTION.length * CHAR_11) / 2 + 2), width - (X_CAPTION.length * CHAR_11) / 2 - 2))}" y="${bottom + 34}" text-anchor="middle">${X_CAPTION}</text>`,
  );

  // Legend: one entry per ceiling (solid = measured, dashed = theoretical), then the ridge.
  const entries: Array<{ swatch: SafeMarkup; text: string }> = ceilings.map((c) => ({
    swatch: svg`<line class="${lineClass(c).replace('ceiling ', 'swatch ')}" x1="0" x2="22" y1="0" y2="0"${c.source === 'theoretical' ? attrs` stroke-dasharray="${DASH}"` : null}></line>`,
    text: `${c.name} ${c.kind === 'compute' ? 'compute' : 'bandwidth'}, ${c.source}: ${valueText(c)}`,
  }));
  if (ridge) entries.push({ swatch: svg`<circle class="ridge-point" cx="11" cy="0" r="4.5"></circle>`, text: `ridge: ${ridge.dtype} over ${ridge.level}` });
  if (extra.length) entries.push({ swatch: svg`<circle class="point" cx="11" cy="0" r="3.5"></circle>`, text: 'placed kernels' });
  const entryWidth = (max(entries, (e) => e.text.length) ?? 10) * CHAR_11 + 40;
  const columns = Math.max(1, Math.floor((width - left) / entryWidth));
  const legendTop = bottom + 54;
  parts.push(svg`<g class="legend" transform="translate(${left},${legendTop})">`);
  entries.forEach((e, i) => {
    const ex = (i % columns) * entryWidth;
    const ey = Math.floor(i / columns) * LEGEND_ROW;
    parts.push(svg`<g class="legend-entry" transform="translate(${px(ex)},${ey})">${e.swatch}<text x="30" y="4">${e.text}</text></g>`);
  });
  parts.push(svg`</g>`);
  const height = legendTop + Math.ceil(entries.length / columns) * LEGEND_ROW;

  return chartSvg({ className: 'roofline-chart', width, height, title: TITLE }, parts);
}

/** One ceiling: a wide invisible line for an easy hover target, the visible line, and its <title>. */
function ceilingGroup(c: Ceiling, x1: number, y1: number, x2: number, y2: number): SafeMarkup {
  const coords = attrs`x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}"`;
  // stroke-dasharray as a presentation attribute: allowed by the CSP, unlike a style attribute.
  const dash = c.source === 'theoretical' ? attrs` stroke-dasharray="${DASH}"` : null;
  return svg`<g class="ceiling-group"><title>${ceilingTitle(c)}</title><line class="hit" ${coords}></line><line class="${lineClass(c)}" data-kind="${c.kind}" data-source="${c.source}" data-name="${c.name}" data-value="${c.value}" ${coords}${dash}></line></g>`;
}

/**
 * Labels along the diagonals, rotated to their slope and set just above the line. All diagonals
 * have slope 1 in log–log, so they are parallel: lines closer than a label's height (L1 and L2
 * often measure alike) share one label, "L1 119.7 · L2 119.1 GB/s", instead of overprinting.
 */
function bandwidthLabels(
  drawn: ReadonlyArray<{ c: Ceiling; start: number; end: number }>,
  x: (v: number) => number,
  y: (v: number) => number,
): SafeMarkup[] {
  const sorted = [...drawn].sort((a, b) => b.c.value - a.c.value);
  const groups: Array<typeof sorted> = [];
  for (const d of sorted) {
    const group = groups[groups.length - 1];
    // Vertical pixel distance between two parallel diagonals, the same at every intensity.
    const apart = group ? y(d.c.value) - y(group[group.length - 1]!.c.value) : Infinity;
    if (group && apart < 14) group.push(d);
    else groups.push([d]);
  }
  const out: SafeMarkup[] = [];
  for (const group of groups) {
    const lead = group[0]!; // the fastest: the label sits above it, clear of the others
    const text =
      group.length === 1
        ? onChartLabel(lead.c)
        : `${group.map((d) => `${d.c.name}${d.c.source === 'theoretical' ? ' peak' : ''} ${d.c.value.toFixed(1)}`).join(' · ')} GB/s`;
    const [x1, y1, x2, y2] = [x(lead.start), y(lead.c.value * lead.start), x(lead.end), y(lead.c.value * lead.end)];
    const angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
    // Start a little way in from the lower end; a short line gets its label at its start.
    const f = Math.min(0.12, Math.max(0, 1 - (text.length * CHAR_11 + 12) / Math.hypot(x2 - x1, y2 - y1)));
    const [lx, ly] = [x1 + f * (x2 - x1), y1 + f * (y2 - y1)];
    const tokens = group.map((d) => `level-${classToken(d.c.name)}`);
    out.push(
      svg`<text class="line-label bandwidth ${group.length === 1 ? tokens[0] : 'grouped'}" x="${px(lx)}" y="${px(ly - 5)}" transform="rotate(${px(angle)} ${px(lx)} ${px(ly)})">${text}</text>`,
    );
  }
  return out;
}
