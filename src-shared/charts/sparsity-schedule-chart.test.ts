// Unit tests for the gradual-pruning schedule chart: one mark per pruning event at cubicSchedule's values, the curve, bad input.
import { describe, expect, it } from 'vitest';
import { cubicSchedule } from '../profiler/whatif/prune.js';
import { renderSparsityScheduleChart } from './sparsity-schedule-chart.js';

const opts = { initialSparsity: 0, finalSparsity: 0.8, startStep: 1000, frequency: 100, pruningSteps: 10 };

describe('renderSparsityScheduleChart', () => {
  const svg = String(renderSparsityScheduleChart(opts, { width: 600 }));

  it('marks every pruning step t0, t0 + Δt, …, t0 + nΔt with its scheduled sparsity', () => {
    const marks = [...svg.matchAll(/<circle class="event" data-step="(\d+)" data-sparsity="([\d.e-]+)"/g)].map((m) => ({ step: Number(m[1]), sparsity: Number(m[2]) }));
    expect(marks).toEqual(cubicSchedule(opts));
    expect(marks).toHaveLength(11);
    expect(marks[0]).toEqual({ step: 1000, sparsity: 0 });
    expect(marks[10]!.sparsity).toBeCloseTo(0.8);
  });

  it('draws the curve rising monotonically (up the screen) to s_f', () => {
    const d = /<path class="schedule" d="([^"]+)"/.exec(svg)![1]!;
    const ys = [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThanOrEqual(ys[i - 1]! + 1e-9);
    expect(svg).toContain('s_f 80% at step 2000');
    expect(svg).not.toContain('style=');
  });

  it('says what is wrong instead of throwing on bad input', () => {
    expect(String(renderSparsityScheduleChart({ ...opts, frequency: 0 }))).toContain('chart-empty');
    expect(String(renderSparsityScheduleChart({ ...opts, finalSparsity: 1.5 }))).toContain('chart-empty');
  });
});
