/**
 * Gradual pruning schedule (runs anywhere): sparsity against training step for the cubic
 * schedule of Zhu & Gupta 2017 (eq. 1), computed with src-shared/profiler/whatif/prune.ts's
 * cubicSparsity, with a mark at every pruning event t₀, t₀ + Δt, …, t₀ + nΔt. Pure: options in,
 * SVG (SafeMarkup) out; no inline styles (CSP), coloured by src-shared/charts/chart-styles.ts
 * (`.sparsity-schedule-chart`).
 */
import { scaleLinear } from 'd3-scale';
import { cubicSchedule, cubicSparsity, type CubicScheduleOptions } from '../profiler/whatif/prune.js';
import { emptyChart } from './axes.js';
import { chartSvg, gridAndAxes } from './frame.js';
import { svg, type SafeMarkup } from '../markup/markup.js';
import { px } from './svg.js';

export interface SparsityScheduleChartOptions {
  width?: number;
  height?: number;
}

const TITLE = 'Gradual pruning: sparsity against training step (cubic schedule, Zhu & Gupta 2017)';

const pct = (s: number) => `${(s * 100).toFixed(s * 100 >= 10 || s === 0 ? 0 : 1)}%`;

export function renderSparsityScheduleChart(schedule: CubicScheduleOptions, options: SparsityScheduleChartOptions = {}): SafeMarkup {
  const width = Math.max(360, Math.round(options.width ?? 720));
  const height = Math.max(180, Math.round(options.height ?? 260));
  const valid =
    [schedule.initialSparsity, schedule.finalSparsity].every((s) => Number.isFinite(s) && s >= 0 && s <= 1) &&
    Number.isFinite(schedule.startStep) &&
    schedule.startStep >= 0 &&
    schedule.frequency > 0 &&
    Number.isInteger(schedule.pruningSteps) &&
    schedule.pruningSteps > 0 &&
    schedule.pruningSteps <= 10_000;
  if (!valid) return emptyChart('sparsity-schedule-chart', width, TITLE, 'Give sparsities from 0 to 1, t₀ ≥ 0, Δt > 0 and a whole n from 1 to 10000.');

  const events = cubicSchedule(schedule);
  const end = schedule.startStep + schedule.pruningSteps * schedule.frequency;
  const xHi = end + Math.max(schedule.frequency, (end - 0) * 0.1);
  const margin = { top: 24, right: 20, bottom: 40, left: 52 };
  const x = scaleLinear().domain([0, xHi]).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain([0, 1]).range([height - margin.bottom, margin.top]);
  const x0 = margin.left;
  const x1 = width - margin.right;
  const yTop = margin.top;
  const yBottom = height - margin.bottom;

  const parts: Array<SafeMarkup | null> = [
    gridAndAxes(
      { left: px(x0), right: px(x1), top: px(yTop), bottom: px(yBottom) },
      { values: x.ticks(6), at: (t) => px(x(t)), label: x.tickFormat(6, '~s'), labelY: px(yBottom + 14), className: 'tick' },
      { values: [0, 0.25, 0.5, 0.75, 1], at: (t) => px(y(t)), labelAt: (t) => px(y(t) + 4), label: pct, labelX: px(x0 - 6), className: 'tick' },
      {
        groupClass: 'axes',
        captions: [
          svg`<text class="axis-caption" x="${px((x0 + x1) / 2)}" y="${px(height - 6)}" text-anchor="middle">training step</text>`,
          svg`<text class="axis-caption" x="${px(x0)}" y="${px(yTop - 10)}" text-anchor="start">sparsity</text>`,
        ],
      },
    ),
  ];

  // The curve: flat s_i, the cubic ramp sampled finely, flat s_f.
  const samples: Array<[number, number]> = [[0, schedule.initialSparsity]];
  const N = 120;
  for (let i = 0; i <= N; i++) {
    const t = schedule.startStep + (i / N) * (end - schedule.startStep);
    samples.push([t, cubicSparsity(t, schedule)]);
  }
  samples.push([xHi, schedule.finalSparsity]);
  const d = samples.map(([t, s], i) => `${i ? 'L' : 'M'}${px(x(t))},${px(y(s))}`).join('');
  parts.push(svg`<path class="schedule" d="${d}"></path>`);

  // Pruning events (thinned to at most 200 marks for very long schedules).
  const every = Math.ceil(events.length / 200);
  parts.push(svg`<g class="events">`);
  events.forEach((e, i) => {
    if (i % every !== 0 && i !== events.length - 1) return;
    parts.push(
      svg`<circle class="event" data-step="${e.step}" data-sparsity="${e.sparsity}" cx="${px(x(e.step))}" cy="${px(y(e.sparsity))}" r="3"><title>${`step ${e.step}: ${pct(e.sparsity)}`}</title></circle>`,
    );
  });
  parts.push(svg`</g>`);
  parts.push(
    svg`<text class="end-label" x="${px(x(end))}" y="${px(y(schedule.finalSparsity) - 8)}" text-anchor="middle">${`s_f ${pct(schedule.finalSparsity)} at step ${end}`}</text>`,
  );
  return chartSvg({ className: 'sparsity-schedule-chart', width, height, title: TITLE }, parts);
}
