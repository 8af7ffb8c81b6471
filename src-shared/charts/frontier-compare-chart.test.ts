// Unit tests for the frontier comparison chart: one line per fit in both panels, the spread between fits, the plan, layout, bad input.
import { describe, expect, it } from 'vitest';
import { renderFrontierCompareChart, type FrontierSeries } from './frontier-compare-chart.js';

const cs = Array.from({ length: 33 }, (_, i) => 10 ** (18 + i / 4));
/** N* = N0 (C / C0)^a, D* = C / 6N*. */
const powerLaw = (a: number, C0: number, N0: number) => (C: number) => {
  const N = N0 * (C / C0) ** a;
  return { C, N, D: C / (6 * N) };
};
const C0 = 5.88e23;
const series: FrontierSeries[] = [
  { id: 'chinchilla-1', label: 'Chinchilla approach 1', points: cs.map(powerLaw(0.5, C0, 70e9)) },
  { id: 'chinchilla-3', label: 'Chinchilla approach 3', points: cs.map(powerLaw(0.46, C0, 40e9)) },
  { id: 'kaplan"<x>', label: 'Kaplan et al. 2020', points: cs.map(powerLaw(0.73, 8.64e19, 1.3e9)) },
];
const cRange: [number, number] = [1e19, 1e25];

function attrs(svg: string, tag: string, cls: RegExp): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
    .filter((a) => cls.test(a.class ?? ''));
}

describe('renderFrontierCompareChart', () => {
  const plan = { C: 1e23, N: 30e9, D: 1e23 / (6 * 30e9) };
  const svg = String(renderFrontierCompareChart({ series, plan, cRange }, { width: 800 }));

  it('draws one line per fit in each panel, classed by index and tagged with the fit id', () => {
    const lines = attrs(svg, 'path', /^series series-\d$/);
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => l.class)).toEqual(['series series-0', 'series series-1', 'series series-2', 'series series-0', 'series series-1', 'series series-2']);
    expect(lines.map((l) => l['data-fit'])).toEqual(['chinchilla-1', 'chinchilla-3', 'kaplan&quot;&lt;x&gt;', 'chinchilla-1', 'chinchilla-3', 'kaplan&quot;&lt;x&gt;']);
    expect(svg).toContain('panel panel-n');
    expect(svg).toContain('panel panel-d');
    expect(svg).not.toContain('style=');
  });

  it('has rising N* and D* lines on the log–log panels (up the screen as C grows)', () => {
    for (const l of attrs(svg, 'path', /^series /)) {
      const pts = [...l.d!.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
      expect(pts[pts.length - 1]![0]).toBeGreaterThan(pts[0]![0]);
      expect(pts[pts.length - 1]![1]).toBeLessThan(pts[0]![1]);
    }
  });

  it('states how far apart the fits are at the plan budget', () => {
    const spread = attrs(svg, 'text', /^spread$/)[0]!;
    expect(Number(spread['data-c'])).toBe(1e23);
    const ns = series.map((s) => powerLaw(...({ 'chinchilla-1': [0.5, C0, 70e9], 'chinchilla-3': [0.46, C0, 40e9] }[s.id] ?? [0.73, 8.64e19, 1.3e9]) as [number, number, number])(1e23).N);
    const nRatio = Math.max(...ns) / Math.min(...ns);
    expect(Number(spread['data-n-ratio'])).toBeCloseTo(nRatio, 6);
    // D* = C / 6N*, so at one C the D* spread is the same ratio.
    expect(Number(spread['data-d-ratio'])).toBeCloseTo(nRatio, 6);
    expect(svg).toContain('At C = 100 ZFLOPs the fits put N* from');
    // One marker per fit per panel on the comparison guide.
    expect(attrs(svg, 'circle', /at-budget/)).toHaveLength(6);
  });

  it('marks the plan in both panels and lists every fit and the plan in the legend', () => {
    const plans = attrs(svg, 'g', /^plan$/);
    expect(plans.map((p) => Number(p['data-value']))).toEqual([plan.N, plan.D]);
    expect(attrs(svg, 'line', /swatch/)).toHaveLength(3);
    expect(svg).toContain('>Kaplan et al. 2020</text>');
    expect(svg).toContain('plan: 30B parameters');
  });

  it('stacks the panels on a narrow chart', () => {
    const narrow = String(renderFrontierCompareChart({ series, plan, cRange }, { width: 480, height: 250 }));
    const h = Number(/height="(\d+)"/.exec(narrow)![1]);
    expect(h).toBeGreaterThan(500);
    const axes = attrs(narrow, 'line', /^axis$/);
    expect(Number(axes[2]!.y1)).toBeGreaterThan(Number(axes[0]!.y1)); // second panel below the first
  });

  it('compares at the middle of the range without a plan, and draws a single in-range point as a dot', () => {
    const out = String(renderFrontierCompareChart({ series: [...series, { id: 'one', label: 'one point', points: [{ C: 1e21, N: 1e9, D: 1e21 / 6e9 }] }], cRange }));
    expect(Number(attrs(out, 'text', /^spread$/)[0]!['data-c'])).toBeCloseTo(1e22, -10);
    expect(attrs(out, 'circle', /series series-3 point/)).toHaveLength(2);
  });

  it('never prints NaN, and says what is wrong, for bad input', () => {
    const bad = [
      { series, cRange: [1e25, 1e19] as [number, number] },
      { series, cRange: [0, 1e19] as [number, number] },
      { series, cRange: [NaN, 1e19] as [number, number] },
      { series: [], cRange },
      { series: [{ id: 'x', label: 'x', points: [{ C: NaN, N: 1, D: 1 }, { C: 1e20, N: -1, D: 1 }] }], cRange },
      { series: [{ id: 'x', label: 'x', points: [{ C: 1e10, N: 1, D: 1 }] }], cRange },
    ];
    for (const input of bad) {
      const out = String(renderFrontierCompareChart(input));
      expect(out).toContain('chart-empty');
      expect(out).not.toContain('NaN');
    }
  });

  it('draws what it can when parts of the input are bad', () => {
    const inputs = [
      { series: [{ ...series[0]!, points: [...series[0]!.points, { C: NaN, N: 1, D: 1 }, { C: 1e22, N: Infinity, D: 1 }] }], cRange, plan: { C: NaN, N: 1, D: 1 } },
      { series, cRange, plan: { C: 1e30, N: 1e15, D: 1e14 } },
      { series: [{ id: 'a', label: 'a', points: [{ C: 1e15, N: 1e8, D: 1e9 }, { C: 1e30, N: 1e14, D: 1e15 }] }], cRange },
      { series: [{ id: 'flat', label: 'flat', points: cs.map((C) => ({ C, N: 1e9, D: 1e9 })) }], cRange },
    ];
    for (const input of inputs) {
      const out = String(renderFrontierCompareChart(input, { width: NaN, height: NaN }));
      expect(out).not.toContain('NaN');
      expect(out).not.toContain('Infinity');
      expect(out).not.toContain('chart-empty');
    }
  });
});
