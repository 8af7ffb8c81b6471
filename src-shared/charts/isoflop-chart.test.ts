// Unit tests for the isoFLOP chart: numerical minima against the Chinchilla closed form, frontier, labels, plan, clipping, bad input.
import { describe, expect, it } from 'vitest';
import { budgetLabel, clipPolyline, countLabel, isoflopCurve, renderIsoflopChart } from './isoflop-chart.js';

const law = { E: 1.6934, A: 406.4, B: 410.7, alpha: 0.3392, beta: 0.2849 };
const loss = (N: number, D: number) => law.E + law.A / N ** law.alpha + law.B / D ** law.beta;
/** Closed form under C = 6ND (Hoffmann et al. 2022, eq. 4). */
function optimalN(C: number): number {
  const G = ((law.alpha * law.A) / (law.beta * law.B)) ** (1 / (law.alpha + law.beta));
  return G * (C / 6) ** (law.beta / (law.alpha + law.beta));
}
const budgets = [1e19, 1e21, 1e23, 1e25];
const nRange: [number, number] = [1e7, 1e13];

function attrs(svg: string, tag: string, cls: RegExp): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
    .filter((a) => cls.test(a.class ?? ''));
}

describe('labels', () => {
  it('writes budgets with an SI prefix (no e-notation) and counts with k/M/B/T', () => {
    expect(budgetLabel(1e21)).toBe('1 ZFLOPs');
    expect(budgetLabel(3e23)).toBe('300 ZFLOPs');
    expect(budgetLabel(2.5e19)).toBe('25 EFLOPs');
    expect(budgetLabel(9.99e20)).toBe('1 ZFLOPs');
    expect(budgetLabel(NaN)).toBe('—');
    expect(countLabel(70e9)).toBe('70B');
    expect(countLabel(1.4e12)).toBe('1.4T');
    expect(countLabel(125e6)).toBe('125M');
    expect(countLabel(3e16)).toBe('30Q');
  });
});

describe('clipPolyline', () => {
  const box = { x0: 0, x1: 100, y0: 0, y1: 100 };
  it('clips to the box, splits where the line leaves and re-enters, and skips non-finite points', () => {
    expect(clipPolyline([[50, -50], [50, 50]], box)).toBe('M50,0L50,50');
    expect(clipPolyline([[10, 10], [10, 200], [20, 200], [20, 10]], box)).toBe('M10,10L10,100M20,100L20,10');
    expect(clipPolyline([[10, 10], [NaN, 10], [30, 30], [40, 40]], box)).toBe('M30,30L40,40');
    expect(clipPolyline([[200, 200], [300, 300]], box)).toBe('');
  });
});

describe('isoflopCurve', () => {
  it('finds the minimum of each curve where the closed form puts it', () => {
    for (const C of [1e19, 1e21, 1e23]) {
      const curve = isoflopCurve(loss, C, nRange);
      expect(curve.points).toHaveLength(80);
      const m = curve.minimum!;
      expect(m.atEdge).toBe(false);
      expect(Math.abs(Math.log(m.N / optimalN(C)))).toBeLessThan(1e-4);
      expect(m.D).toBeCloseTo(C / (6 * m.N), 0);
      expect(m.loss).toBeCloseTo(loss(optimalN(C), C / (6 * optimalN(C))), 9);
    }
  });

  it('says when the optimum lies outside the range', () => {
    const m = isoflopCurve(loss, 1e27, [1e7, 1e9]).minimum!;
    expect(m.atEdge).toBe(true);
    expect(m.N).toBeCloseTo(1e9, -3);
  });
});

describe('renderIsoflopChart', () => {
  const C = 3e22;
  const N = optimalN(C) * 1.5;
  const plan = { N, D: C / (6 * N), C, loss: loss(N, C / (6 * N)) };
  const svg = String(renderIsoflopChart({ loss, budgets: [1e23, 1e19, 1e21, 1e25, 1e21], nRange, plan, fitLabel: 'Chinchilla <approach 3>' }, { width: 640 }));

  it('draws one curve per distinct budget, plus the plan budget, labelled with the budget', () => {
    const curves = attrs(svg, 'path', /^curve curve-\d+$/);
    expect(curves.map((c) => Number(c['data-budget']))).toEqual(budgets);
    expect(attrs(svg, 'path', /plan-curve/).map((c) => Number(c['data-budget']))).toEqual([C]);
    for (const b of ['10 EFLOPs', '1 ZFLOPs', '100 ZFLOPs', '10 YFLOPs']) expect(svg).toContain(`>${b}</text>`);
    expect(svg).toContain('Chinchilla &lt;approach 3&gt;');
  });

  it('marks each minimum with data-budget, data-n and data-loss at the closed-form optimum', () => {
    const minima = attrs(svg, 'circle', /^minimum$/);
    expect(minima).toHaveLength(4);
    for (const m of minima) {
      const c = Number(m['data-budget']);
      expect(Math.abs(Math.log(Number(m['data-n']) / optimalN(c)))).toBeLessThan(1e-4);
      expect(Number(m['data-loss'])).toBeCloseTo(loss(optimalN(c), c / (6 * optimalN(c))), 9);
    }
    // Larger budgets: larger optimal models and lower loss.
    const ns = minima.map((m) => Number(m['data-n']));
    const ls = minima.map((m) => Number(m['data-loss']));
    for (let i = 1; i < minima.length; i++) {
      expect(ns[i]!).toBeGreaterThan(ns[i - 1]!);
      expect(ls[i]!).toBeLessThan(ls[i - 1]!);
    }
  });

  it('joins the minima as the frontier, through each minimum marker', () => {
    const d = attrs(svg, 'path', /^frontier$/)[0]!.d!;
    const points = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => `${m[1]},${m[2]}`);
    const minima = attrs(svg, 'circle', /^minimum$/).map((m) => `${m.cx},${m.cy}`);
    for (const m of minima) expect(points).toContain(m);
  });

  it('marks the plan with its numbers', () => {
    const g = attrs(svg, 'g', /^plan$/)[0]!;
    expect(Number(g['data-n'])).toBe(plan.N);
    expect(Number(g['data-c'])).toBe(C);
    expect(Number(g['data-loss'])).toBe(plan.loss);
  });

  it('keeps every curve inside the plot: the steep ends are clipped, not drawn off the chart', () => {
    const grid = attrs(svg, 'line', /^axis$/);
    const yBottom = Number(grid[0]!.y1);
    const yTop = Number(grid[1]!.y1);
    for (const c of attrs(svg, 'path', /curve/)) {
      for (const m of c.d!.matchAll(/[ML]([\d.-]+),([\d.-]+)/g)) {
        expect(Number(m[2])).toBeGreaterThanOrEqual(yTop - 0.05);
        expect(Number(m[2])).toBeLessThanOrEqual(yBottom + 0.05);
      }
    }
    expect(svg).not.toContain('style=');
  });

  it('leaves edge minima out of the frontier and flags them', () => {
    const out = String(renderIsoflopChart({ loss, budgets: [1e19, 1e21, 1e27], nRange: [1e7, 1e11], fitLabel: 'x' }));
    expect(attrs(out, 'circle', /minimum at-edge/).map((m) => Number(m['data-budget']))).toEqual([1e27]);
    const d = attrs(out, 'path', /^frontier$/)[0]!.d!;
    expect(d.match(/[ML]/g)).toHaveLength(2);
  });

  it('never prints NaN, and says what is wrong, for bad input', () => {
    const bad = [
      { loss, budgets: [], nRange, fitLabel: 'x' },
      { loss, budgets: [NaN, -1, 0, Infinity], nRange, fitLabel: 'x' },
      { loss, budgets, nRange: [1e9, 1e7] as [number, number], fitLabel: 'x' },
      { loss, budgets, nRange: [0, 1e7] as [number, number], fitLabel: 'x' },
      { loss, budgets, nRange: [NaN, 1e7] as [number, number], fitLabel: 'x' },
      { loss: () => NaN, budgets, nRange, fitLabel: 'x' },
      {
        loss: () => {
          throw new Error('boom');
        },
        budgets,
        nRange,
        fitLabel: 'x',
      },
      { loss: undefined as unknown as typeof loss, budgets, nRange, fitLabel: 'x' },
    ];
    for (const input of bad) {
      const out = String(renderIsoflopChart(input));
      expect(out).toContain('chart-empty');
      expect(out).not.toContain('NaN');
    }
  });

  it('draws what it can when parts of the input are bad', () => {
    const inputs = [
      { loss: (n: number, d: number) => (n < 1e9 ? NaN : loss(n, d)), budgets, nRange, fitLabel: 'x' },
      { loss: (n: number, d: number) => (n > 1e11 ? Infinity : loss(n, d)), budgets, nRange, fitLabel: 'x' },
      { loss, budgets: [1e21, NaN], nRange, plan: { N: NaN, D: 1, C: 1, loss: 2 }, fitLabel: 'x' },
      { loss, budgets: [1e21], nRange, plan: { N: 1e15, D: 1e6, C: 6e21, loss: NaN }, fitLabel: 'x' },
      { loss: () => 2, budgets: [1e21], nRange, fitLabel: 'flat' },
      { loss, budgets: [1e60, 1e-5], nRange, fitLabel: 'x' },
    ];
    for (const input of inputs) {
      const out = String(renderIsoflopChart(input, { width: NaN, height: -5 }));
      expect(out).not.toContain('NaN');
      expect(out).not.toContain('Infinity');
      expect(out).not.toContain('chart-empty');
    }
  });
});
