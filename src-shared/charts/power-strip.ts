/**
 * The power strip (runs anywhere): total power (W, linear y from zero) over the seconds of a run,
 * as a short, wide SVG (SafeMarkup) drawn under the benchmark and profiler progress: live from the job's
 * 'power' ticks while it runs, from the stored EnergyReport's series afterwards. The run's phases
 * (EnergyReport.phases: 'gemm', 'memory: STREAM', 'run'…) are shaded bands with dashed boundaries,
 * each with its energy and average power as hover text. An estimate says so in the title and in a
 * visible "estimated" label whose hover text is the basis. Classes only, no inline styles (CSP);
 * coloured by src-shared/charts/chart-styles.ts (`.power-strip`), which reports inline too.
 */
import { max, min } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { formatJoules, formatWatts } from '../energy/format.js';
import type { EnergyReport, PowerPoint } from '../energy/types.js';
import { CHAR_11, emptyChart, numberTickLabel } from './axes.js';
import { attrs, svg, type SafeMarkup } from '../markup/markup.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { px } from './svg.js';

/** A phase of the run on the strip's time axis; `joules` and `avgWatts` when the report has them. */
export interface PowerStripPhase {
  phase: string;
  startS: number;
  endS: number;
  joules?: number;
  avgWatts?: number;
}

export interface PowerStripInput {
  series: readonly PowerPoint[];
  phases?: readonly PowerStripPhase[];
  /** Any reading estimated rather than measured: the title and a visible label say "estimated". */
  estimated: boolean;
  /** How the estimate was formed (hover text of the "estimated" label). */
  estimateBasis?: string | null;
  /** Where the readings come from, e.g. 'powercap (RAPL)' (hover text of the title). */
  source?: string | null;
  /** Drawn while the run is in flight: the latest reading is printed at the right. */
  live?: boolean;
}

export interface PowerStripOptions {
  width?: number;
  /** Height of the plot area; default 64 px (a strip, not a chart). */
  height?: number;
}

/** The strip of a stored run: its series, phases, estimate flag, basis and source. */
export function powerStripInput(e: Pick<EnergyReport, 'series' | 'phases' | 'estimated' | 'estimateBasis' | 'source'>): PowerStripInput {
  return { series: e.series, phases: e.phases, estimated: e.estimated, estimateBasis: e.estimateBasis ?? null, source: e.source };
}

const BASE_TITLE = 'Total power over time';
const ESTIMATE_TEXT = 'estimated';

export function powerStripTitle(estimated: boolean): string {
  return estimated ? `${BASE_TITLE} (estimated)` : BASE_TITLE;
}

export function renderPowerStrip(input: PowerStripInput | null | undefined, options: PowerStripOptions = {}): SafeMarkup {
  const width = Math.max(320, Math.round(options.width ?? 720));
  const estimated = input?.estimated ?? false;
  const title = powerStripTitle(estimated);
  const points = (input?.series ?? []).filter((p) => Number.isFinite(p.t) && Number.isFinite(p.watts) && p.watts >= 0).sort((a, b) => a.t - b.t);
  if (points.length === 0) return emptyChart('power-strip', width, title, input?.live ? 'Waiting for the first power reading…' : 'No power readings in this run.');
  const phases = (input?.phases ?? []).filter((p) => Number.isFinite(p.startS) && Number.isFinite(p.endS) && p.endS > p.startS);

  // Time axis: the readings and the phases (a phase may start before the first reading arrives).
  let xlo = Math.min(min(points, (p) => p.t)!, min(phases, (p) => p.startS) ?? Infinity);
  let xhi = Math.max(max(points, (p) => p.t)!, max(phases, (p) => p.endS) ?? -Infinity);
  if (xlo > 0 && xlo < (xhi - xlo) * 0.2) xlo = 0; // start at the run's start when it is near
  if (!(xhi > xlo)) xhi = xlo + 1;
  const peak = max(points, (p) => p.watts)!;

  const left = 52;
  const right = width - 14;
  const x = scaleLinear().domain([xlo, xhi]).range([left, right]);

  // The labels at the top right take this much of the first label row; phase labels stop short of them.
  const nowText = input?.live ? `now ${formatWatts(points[points.length - 1]!.watts)}` : '';
  const estimateWidth = estimated ? ESTIMATE_TEXT.length * CHAR_11 + 10 : 0;
  const labelsEnd = right - estimateWidth - (nowText ? nowText.length * CHAR_11 + 10 : 0);
  // Phase labels are never cut: each goes, whole, on the first label row where it does not overlap
  // the one before (a short phase's label moves left to stay inside the chart), adding rows as needed.
  const rowEnds: number[] = [];
  const placed = phases.map((p) => {
    const x1 = x(Math.max(p.startS, xlo));
    const w = p.phase.length * CHAR_11;
    for (let row = 0; ; row++) {
      const end = row === 0 ? labelsEnd : right;
      const at = Math.max(left, Math.min(x1 + 3, end - w));
      if (at + w <= end + 0.5 && at >= (rowEnds[row] ?? -Infinity) + 6) {
        rowEnds[row] = at + w;
        return { row, at };
      }
      if (row > phases.length) return { row, at };
    }
  });
  const LABEL_ROW = 13;
  const top = 22 + LABEL_ROW * Math.max(0, rowEnds.length - 1); // rows for phase labels and the "estimated" label
  const plotHeight = Math.round(options.height ?? 64);
  const bottom = top + plotHeight;
  const height = bottom + 34;
  const y = scaleLinear()
    .domain([0, peak > 0 ? peak * 1.1 : 1])
    .nice(3)
    .range([bottom, top]);

  const hover = [title, input?.source ? `source: ${input.source}` : null, estimated && input?.estimateBasis ? `basis: ${input.estimateBasis}` : null].filter(Boolean).join(' — ');
  const parts: Array<SafeMarkup | null> = [];

  // Phase bands first, under the grid and the line.
  parts.push(svg`<g class="phases">`);
  phases.forEach((p, i) => {
    const x1 = x(Math.max(p.startS, xlo));
    const x2 = x(Math.min(p.endS, xhi));
    if (!(x2 > x1)) return;
    const facts = [`${p.startS.toFixed(1)}–${p.endS.toFixed(1)} s`, p.joules !== undefined ? formatJoules(p.joules) : null, p.avgWatts !== undefined ? `avg ${formatWatts(p.avgWatts)}` : null].filter(Boolean);
    const { row, at } = placed[i]!;
    parts.push(
      svg`<g class="phase" data-phase-name="${p.phase}"><title>${`${p.phase}: ${facts.join(', ')}${estimated ? ' (estimated)' : ''}`}</title>`,
      svg`<rect class="phase-band phase-band-${i % 2}" x="${px(x1)}" y="${top}" width="${px(x2 - x1)}" height="${plotHeight}"></rect>`,
      x1 > left + 0.5 ? svg`<line class="phase-boundary" x1="${px(x1)}" x2="${px(x1)}" y1="${top - 4}" y2="${bottom}" stroke-dasharray="3 3"></line>` : null,
      svg`<text class="phase-label" x="${px(at)}" y="${16 + LABEL_ROW * row}">${p.phase}</text>`,
      svg`</g>`,
    );
  });
  parts.push(svg`</g>`);

  // The power gridlines only: a strip this short would be crowded by vertical ones.
  parts.push(
    gridAndAxes(
      { left, right, top, bottom },
      { values: x.ticks(Math.max(2, Math.floor((right - left) / 90))), at: (t) => px(x(t)), label: numberTickLabel, labelY: bottom + 14, gridlines: false },
      { values: y.ticks(3), at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: numberTickLabel, labelX: left - 6 },
      { first: 'y' },
    ),
  );

  const fill = area<PowerPoint>()
    .x((p) => x(p.t))
    .y0(bottom)
    .y1((p) => y(p.watts))(points);
  const stroke = line<PowerPoint>()
    .x((p) => x(p.t))
    .y((p) => y(p.watts))(points);
  const avg = points.reduce((s, p) => s + p.watts, 0) / points.length;
  parts.push(
    svg`<g class="power"><title>${`${points.length} reading${points.length === 1 ? '' : 's'}: peak ${formatWatts(peak)}, mean ${formatWatts(avg)}${estimated ? ' (estimated)' : ''}`}</title>`,
    svg`<path class="power-area series-0" d="${fill ?? ''}"></path>`,
    svg`<path class="power-line series-0" d="${stroke ?? ''}"></path>`,
    points.length === 1 ? svg`<circle class="power-point series-0" cx="${px(x(points[0]!.t))}" cy="${px(y(points[0]!.watts))}" r="2.5"></circle>` : null,
    svg`</g>`,
  );

  // Top-right: the estimate label (its basis on hover) and, while live, the latest reading.
  if (estimated) {
    parts.push(
      svg`<g class="estimate-tag"><title>${input?.estimateBasis ? `Estimated, not measured: ${input.estimateBasis}` : 'Estimated, not measured'}</title>`,
      svg`<text class="estimate-label" x="${px(right)}" y="16" text-anchor="end">${ESTIMATE_TEXT}</text></g>`,
    );
  }
  if (nowText) parts.push(svg`<text class="power-now" x="${px(right - estimateWidth)}" y="16" text-anchor="end">${nowText}</text>`);

  parts.push(
    svg`<text class="axis-caption" transform="rotate(-90)" x="${px(-(top + bottom) / 2)}" y="12" text-anchor="middle">W</text>`,
    svg`<text class="axis-caption" x="${px((left + right) / 2)}" y="${height - 4}" text-anchor="middle">${`seconds since sampling started${phases.length ? ' · dashed: phase boundary' : ''}${estimated ? ' · estimated, not measured' : ''}`}</text>`,
  );
  const className = `power-strip${estimated ? ' estimated' : ''}${input?.live ? ' live' : ''}`;
  return chartSvg({ className, width, height, title: hover, trailingAttrs: attrs` data-points="${points.length}" data-estimated="${String(estimated)}"` }, parts);
}
