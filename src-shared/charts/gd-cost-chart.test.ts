// Unit tests for the gradient-descent cost chart: curves per strategy, break-even marks where gd-cost puts them, measured overlay, metric choice, empty states, no inline styles.
import { describe, expect, it } from 'vitest';
import { gdCost } from '../planner/gd-cost.js';
import { formatSeconds, renderGdCostChart } from './gd-cost-chart.js';

const roofline = { peakGflops: 300, bandwidthGBs: 50 };
const base = { n: 100_000, d: 256, kMax: 10_000 };
const measured = { recomputeStep: 0.02, precompute: 0.25, precomputeStep: 0.00002 };

const marks = (svg: string) =>
  [...svg.matchAll(/<g class="break-even-mark (\w+)" data-kind="\w+" data-steps="([^"]+)"/g)].map((m) => ({ kind: m[1], steps: Number(m[2]) }));

describe('renderGdCostChart', () => {
  it('draws the three strategies and marks the time and FLOP break-evens', () => {
    const svg = String(renderGdCostChart({ ...base, roofline }, { width: 640 }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('data-metric="seconds"');
    for (const s of ['recompute', 'precompute', 'closed-form']) expect(svg).toContain(`class="series predicted strategy-${s}"`);
    const be = gdCost(100_000, 256, 1, 4, roofline).breakEven.precomputeVsRecompute;
    expect(marks(svg)).toEqual([
      { kind: 'predicted', steps: be.seconds },
      { kind: 'flops', steps: be.flops },
    ]);
    expect(svg).toContain('k* 11.1 (time)');
    expect(svg).toContain('k* 129 (FLOPs)');
    expect(svg).toContain('class="legend"');
    expect(svg).not.toContain('style=');
    expect(svg).not.toContain('NaN');
  });

  it('the time curves fall (cumulative time rises up the screen) and cross near the time break-even', () => {
    const svg = String(renderGdCostChart({ ...base, roofline }));
    const ys = (cls: string) => [...(new RegExp(`<path class="series predicted ${cls}"[^>]* d="([^"]+)"`).exec(svg)![1]!).matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    const rec = ys('strategy-recompute');
    const pre = ys('strategy-precompute');
    for (let i = 1; i < rec.length; i++) expect(rec[i]![1]).toBeLessThanOrEqual(rec[i - 1]![1]);
    // Recompute starts below (cheaper) and ends above (dearer): on screen, larger y then smaller y.
    expect(rec[0]![1]).toBeGreaterThan(pre[0]![1]);
    expect(rec[rec.length - 1]![1]).toBeLessThan(pre[pre.length - 1]![1]);
    // Closed form is flat.
    const cf = ys('strategy-closed-form');
    expect(new Set(cf.map((p) => p[1])).size).toBe(1);
  });

  it('charts FLOPs when asked (or when there is no roofline), with one break-even', () => {
    const svg = String(renderGdCostChart({ ...base, roofline }, { metric: 'flops' }));
    expect(svg).toContain('data-metric="flops"');
    expect(svg).toContain('cumulative FLOPs');
    expect(marks(svg).map((m) => m.kind)).toEqual(['predicted']);
    expect(String(renderGdCostChart(base))).toContain('data-metric="flops"');
    expect(String(renderGdCostChart({ ...base, measured }, { metric: 'flops' }))).not.toContain('measured-point');
  });

  it('overlays measured times and their break-even', () => {
    const svg = String(renderGdCostChart({ ...base, roofline, measured }));
    expect(svg.match(/<circle class="measured-point strategy-recompute"/g)!.length).toBeGreaterThan(5);
    expect(svg).toContain('class="measured-point strategy-precompute"');
    const m = marks(svg).find((x) => x.kind === 'measured')!;
    expect(m.steps).toBeCloseTo(0.25 / (0.02 - 0.00002), 9);
    expect(svg).toContain('measured (ONNX Runtime)');
    // Measured only, no roofline: the measured curves and marks still draw.
    const only = String(renderGdCostChart({ ...base, measured }));
    expect(only).toContain('cumulative measured time');
    expect(only).not.toContain('series predicted');
    expect(marks(only).map((x) => x.kind)).toEqual(['flops', 'measured']);
  });

  it('notes break-evens off the chart', () => {
    const short = String(renderGdCostChart({ ...base, kMax: 50, roofline }));
    expect(marks(short).map((m) => m.kind)).toEqual(['predicted']);
    expect(short).toContain('FLOPs: k* 129 is beyond 50 steps');
    const wide = String(renderGdCostChart({ n: 100, d: 1000, kMax: 1000 }, { metric: 'flops' }));
    expect(wide).toContain('FLOPs: precompute never pays off');
  });

  it('shows an empty state, not an exception, for bad input', () => {
    for (const bad of [{ ...base, n: 0 }, { ...base, d: 1.5 }, { ...base, kMax: -3 }, { ...base, roofline: { peakGflops: 0, bandwidthGBs: 10 } }]) {
      const svg = String(renderGdCostChart(bad));
      expect(svg).toContain('chart-empty');
      expect(svg).toContain('gd-cost-chart');
    }
    expect(String(renderGdCostChart({ ...base, n: 0 }))).toContain('n must be');
    expect(String(renderGdCostChart({ ...base, kMax: 1 }))).toContain('at least 2 steps');
    expect(String(renderGdCostChart(base, { metric: 'seconds' }))).toContain('needs a roofline');
    // Unusable measured times are ignored rather than drawn as NaN.
    const svg = String(renderGdCostChart({ ...base, roofline, measured: { ...measured, precompute: Number.NaN } }));
    expect(svg).not.toContain('measured-point');
    expect(svg).not.toContain('NaN');
  });

  it('formats seconds', () => {
    expect(formatSeconds(0.0032)).toBe('3.2 ms');
    expect(formatSeconds(4.5e-5)).toBe('45 µs');
    expect(formatSeconds(1.25)).toBe('1.3 s');
    expect(formatSeconds(600)).toBe('10 min');
    expect(formatSeconds(2e-9)).toBe('2 ns');
  });
});
