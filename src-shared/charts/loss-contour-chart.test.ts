// Unit tests for the loss-contour chart: the log-spaced grid, quantile thresholds, bands projected onto the axes, overlays, bad input.
import { describe, expect, it } from 'vitest';
import { lossContours, lossGrid, renderLossContourChart } from './loss-contour-chart.js';

const law = { E: 1.6934, A: 406.4, B: 410.7, alpha: 0.3392, beta: 0.2849 };
const loss = (N: number, D: number) => law.E + law.A / N ** law.alpha + law.B / D ** law.beta;
const nRange: [number, number] = [1e7, 1e13];
const dRange: [number, number] = [1e8, 1e15];
function optimum(C: number) {
  const G = ((law.alpha * law.A) / (law.beta * law.B)) ** (1 / (law.alpha + law.beta));
  const N = G * (C / 6) ** (law.beta / (law.alpha + law.beta));
  return { N, D: C / 6 / N };
}
const frontier = Array.from({ length: 33 }, (_, i) => optimum(10 ** (18 + i / 4)));

function attrs(svg: string, tag: string, cls: RegExp): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
    .filter((a) => cls.test(a.class ?? ''));
}

describe('lossGrid', () => {
  it('evaluates the loss on a log-spaced grid, ends included, row by row in D', () => {
    const g = lossGrid(loss, nRange, dRange, 7);
    expect(g.size).toBe(7);
    expect(g.values).toBeInstanceOf(Float64Array);
    expect(g.values).toHaveLength(49);
    expect(g.values[0]).toBeCloseTo(loss(1e7, 1e8), 12);
    expect(g.values[48]).toBeCloseTo(loss(1e13, 1e15), 12);
    // Row j = 3 (D = 1e8 · 1e7^(3/6)), column i = 5 (N = 1e7 · 1e6^(5/6) = 1e12).
    expect(g.values[3 * 7 + 5]).toBeCloseTo(loss(1e12, 1e8 * 10 ** 3.5), 12);
    expect(g.min).toBe(Math.min(...g.values));
    expect(g.max).toBe(g.values[0]);
    expect(g.finite).toBe(49);
  });

  it('replaces non-finite losses by the largest finite one and counts them', () => {
    const g = lossGrid((N, D) => (N < 1e8 ? NaN : loss(N, D)), nRange, dRange, 10);
    expect(g.finite).toBe(80);
    expect([...g.values].every(Number.isFinite)).toBe(true);
    expect(g.values[0]).toBe(g.max);
  });

  it('throws a RangeError for a bad grid or range', () => {
    expect(() => lossGrid(loss, nRange, dRange, 1)).toThrow(RangeError);
    expect(() => lossGrid(loss, nRange, dRange, 10.5)).toThrow(RangeError);
    expect(() => lossGrid(loss, [1e9, 1e7], dRange, 10)).toThrow(RangeError);
  });
});

describe('lossContours', () => {
  const g = lossGrid(loss, nRange, dRange, 100);
  const { thresholds, contours } = lossContours(g);

  it('picks 12 ascending, rounded thresholds inside the loss range, one contour each', () => {
    expect(thresholds).toHaveLength(12);
    expect(contours).toHaveLength(12);
    for (let i = 0; i < thresholds.length; i++) {
      expect(thresholds[i]!).toBeGreaterThan(g.min);
      expect(thresholds[i]!).toBeLessThanOrEqual(g.max);
      if (i) expect(thresholds[i]!).toBeGreaterThan(thresholds[i - 1]!);
      expect(Number(thresholds[i]!.toPrecision(3))).toBe(thresholds[i]);
      expect(contours[i]!.value).toBe(thresholds[i]);
    }
  });

  it('splits the grid into bands of roughly equal area (quantiles)', () => {
    const counts = new Array<number>(13).fill(0);
    for (const v of g.values) counts[thresholds.filter((t) => v >= t).length]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(10_000 / 13 / 2);
  });

  it('has nothing to contour for a flat or empty grid', () => {
    expect(lossContours(lossGrid(() => 2, nRange, dRange, 10)).thresholds).toEqual([]);
    expect(lossContours(lossGrid(() => NaN, nRange, dRange, 10)).contours).toEqual([]);
  });
});

describe('renderLossContourChart', () => {
  const plan = { N: 4e10, D: 1e12 };
  const budgets = [1e20, 1e22, 1e24];
  const svg = String(renderLossContourChart({ loss, nRange, dRange, frontier, plan, isoFlopLines: [...budgets, 1e40], fitLabel: 'Chinchilla & co' }, { width: 720, height: 440 }));
  const frame = attrs(svg, 'rect', /^plot-frame$/)[0]!;
  const [fx0, fy0] = [Number(frame.x), Number(frame.y)];
  const [fx1, fy1] = [fx0 + Number(frame.width), fy0 + Number(frame.height)];

  it('draws the middle band as background and one filled region per threshold, classes band-0 … band-12', () => {
    const { thresholds, split } = lossContours(lossGrid(loss, nRange, dRange, 100));
    expect(split).toBe(6);
    const bands = attrs(svg, 'path', /^band band-\d+$/);
    expect(bands).toHaveLength(12);
    // Below the median: regions L ≤ t_k, largest first; above it: regions L ≥ t_k, smallest last.
    expect(bands.map((b) => b.class)).toEqual([5, 4, 3, 2, 1, 0, 7, 8, 9, 10, 11, 12].map((k) => `band band-${k}`));
    expect(bands.map((b) => b['data-region'])).toEqual([...Array(6).fill('below'), ...Array(6).fill('above')]);
    expect(bands.map((b) => Number(b['data-threshold']))).toEqual([5, 4, 3, 2, 1, 0, 6, 7, 8, 9, 10, 11].map((k) => thresholds[k]));
    expect(attrs(svg, 'rect', /^band band-6$/)).toHaveLength(1);
    // The legend: one swatch per band.
    expect(attrs(svg, 'rect', /swatch$/)).toHaveLength(13);
    expect(svg).toContain('Chinchilla &amp; co');
    expect(svg).not.toContain('style=');
  });

  it('projects the contours onto the plot area: every band vertex lies inside the frame', () => {
    for (const b of attrs(svg, 'path', /^band /)) {
      const pts = [...b.d!.matchAll(/[ML]([\d.-]+),([\d.-]+)/g)];
      expect(pts.length).toBeGreaterThan(2);
      for (const m of pts) {
        expect(Number(m[1])).toBeGreaterThanOrEqual(fx0 - 0.05);
        expect(Number(m[1])).toBeLessThanOrEqual(fx1 + 0.05);
        expect(Number(m[2])).toBeGreaterThanOrEqual(fy0 - 0.05);
        expect(Number(m[2])).toBeLessThanOrEqual(fy1 + 0.05);
      }
    }
  });

  it('puts the highest-loss band in the small-N, small-D corner and the lowest in the opposite one, meeting the frame square', () => {
    const top = attrs(svg, 'path', /^band band-12$/)[0]!;
    expect(top.d).toMatch(new RegExp(`[ML]${fx0},${fy1}[LZ]`));
    expect(top.d).not.toContain(`${fx1},${fy0}`);
    const best = attrs(svg, 'path', /^band band-0$/)[0]!;
    expect(best.d).toMatch(new RegExp(`[ML]${fx1},${fy0}[LZ]`));
    expect(best.d).not.toContain(`${fx0},${fy1}`);
  });

  it('draws the iso-FLOP lines in range as dashed diagonals with their budgets, and skips the rest', () => {
    const lines = attrs(svg, 'path', /^isoflop-line$/);
    expect(lines.map((l) => Number(l['data-budget']))).toEqual(budgets);
    for (const l of lines) {
      expect(l['stroke-dasharray']).toBeTruthy();
      const [a, b] = [...l.d!.matchAll(/([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(b![0]! > a![0]! && b![1]! > a![1]!).toBe(true); // down and to the right on screen
    }
    expect(svg).toContain('>10 ZFLOPs</text>');
  });

  it('draws the frontier and the plan, and labels thresholds on the contours', () => {
    expect(attrs(svg, 'path', /^frontier$/)).toHaveLength(1);
    const g = attrs(svg, 'g', /^plan$/)[0]!;
    expect(Number(g['data-n'])).toBe(plan.N);
    expect(Number(g['data-d'])).toBe(plan.D);
    const labels = attrs(svg, 'text', /^threshold-label$/);
    expect(labels.length).toBeGreaterThan(4);
    for (const l of labels) {
      expect(Number(l.x)).toBeGreaterThan(fx0);
      expect(Number(l.x)).toBeLessThan(fx1);
    }
  });

  it('takes a coarser grid and fewer thresholds', () => {
    const out = String(renderLossContourChart({ loss, nRange, dRange, grid: 20, fitLabel: 'x' }, { thresholds: 5 }));
    expect(attrs(out, 'path', /^band /)).toHaveLength(5);
    expect(attrs(out, 'rect', /swatch$/)).toHaveLength(6);
  });

  it('never prints NaN, and says what is wrong, for bad input', () => {
    const bad = [
      { loss, nRange: [1e9, 1e7] as [number, number], dRange, fitLabel: 'x' },
      { loss, nRange, dRange: [0, 1e9] as [number, number], fitLabel: 'x' },
      { loss, nRange, dRange: [NaN, NaN] as [number, number], fitLabel: 'x' },
      { loss, nRange, dRange, grid: 1, fitLabel: 'x' },
      { loss, nRange, dRange, grid: NaN, fitLabel: 'x' },
      { loss, nRange, dRange, grid: 1e6, fitLabel: 'x' },
      { loss: () => NaN, nRange, dRange, fitLabel: 'x' },
      {
        loss: () => {
          throw new Error('boom');
        },
        nRange,
        dRange,
        fitLabel: 'x',
      },
      { loss: null as unknown as typeof loss, nRange, dRange, fitLabel: 'x' },
    ];
    for (const input of bad) {
      const out = String(renderLossContourChart(input));
      expect(out).toContain('chart-empty');
      expect(out).not.toContain('NaN');
    }
  });

  it('draws what it can when parts of the input are bad', () => {
    const inputs = [
      { loss: (N: number, D: number) => (N * D < 1e18 ? NaN : loss(N, D)), nRange, dRange, fitLabel: 'x' },
      { loss: (N: number, D: number) => (D < 1e9 ? Infinity : loss(N, D)), nRange, dRange, fitLabel: 'x' },
      { loss: () => 3, nRange, dRange, fitLabel: 'flat' },
      { loss, nRange, dRange, frontier: [{ N: NaN, D: 1 }, { N: 1e9, D: -1 }, { N: 1e20, D: 1e20 }, { N: 1e21, D: 1e21 }], plan: { N: NaN, D: 1e9 }, isoFlopLines: [NaN, -1, 0], fitLabel: 'x' },
      { loss, nRange, dRange, plan: { N: 1e3, D: 1e20 }, fitLabel: 'x' },
      { loss, nRange: [1, 1.0001] as [number, number], dRange: [1e300, 1e308] as [number, number], fitLabel: 'x' },
    ];
    for (const input of inputs) {
      const out = String(renderLossContourChart(input, { width: NaN, height: Infinity }));
      expect(out).not.toContain('NaN');
      expect(out).not.toContain('Infinity');
      expect(out).not.toContain('chart-empty');
    }
  });
});
