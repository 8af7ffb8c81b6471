// Unit tests for the attention-pattern heatmaps: run merging, exact cell placement, density caption, binning of large masks, the grid layout, bad input.
import { describe, expect, it } from 'vitest';
import { densityLabel, patternRects, renderAttentionPattern, renderPatternGrid, wrapCaption, type AttentionPatternInput } from './attention-pattern-chart.js';

function makeMask(n: number, on: (q: number, k: number) => boolean): Uint8Array {
  const m = new Uint8Array(n * n);
  for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) if (on(q, k)) m[q * n + k] = 1;
  return m;
}
const count = (m: Uint8Array) => m.reduce((s, v) => s + (v ? 1 : 0), 0);
const banded = (n: number, w: number) => makeMask(n, (q, k) => Math.abs(q - k) <= w);

function attrs(svg: string, tag: string, cls: RegExp): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))]
    .map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
    .filter((a) => cls.test(a.class ?? ''));
}
const clean = (svg: string) => {
  expect(svg).not.toContain('NaN');
  expect(svg).not.toContain('Infinity');
  expect(svg).not.toContain('undefined');
  expect(svg).not.toContain('style=');
};

/** Paints the rects back onto a grid (cell units) to check they cover exactly the ones. */
function repaint(rects: ReturnType<typeof patternRects>['rects'], cells: number): Uint8Array {
  const g = new Uint8Array(cells * cells);
  for (const r of rects) for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) g[y * cells + x]! += 1;
  return g;
}

describe('patternRects', () => {
  it('covers exactly the attended cells, each once', () => {
    const masks = [banded(37, 4), makeMask(40, (q, k) => k <= q), makeMask(33, (q, k) => (q * 7 + k * 3) % 5 === 0 || k < 2), makeMask(16, () => false)];
    for (const [i, m] of masks.entries()) {
      const n = [37, 40, 33, 16][i]!;
      const { rects, cells, ones } = patternRects(m, n);
      expect(cells).toBe(n);
      expect(ones).toBe(count(m));
      expect(Array.from(repaint(rects, cells))).toEqual(Array.from(m));
    }
  });

  it('merges runs: a full mask is one rect, a causal one a rect per row', () => {
    expect(patternRects(makeMask(64, () => true), 64).rects).toEqual([{ x: 0, y: 0, w: 64, h: 64 }]);
    expect(patternRects(makeMask(64, (q, k) => k <= q), 64).rects).toHaveLength(64);
    // Vertical stripes (global tokens): one tall rect per stripe.
    expect(patternRects(makeMask(64, (_q, k) => k < 2 || k === 40), 64).rects).toHaveLength(2);
  });

  it('bins a large mask: any attended pair fills its block', () => {
    const n = 10;
    const m = makeMask(n, (q, k) => q === 9 && k === 0);
    const { rects, cells, ones } = patternRects(m, n, 4);
    expect(cells).toBe(3);
    expect(ones).toBe(1);
    expect(rects).toEqual([{ x: 0, y: 2, w: 1, h: 1 }]);
  });
});

describe('renderAttentionPattern', () => {
  it('draws far fewer rects than attended pairs for a banded mask (n = 128)', () => {
    const n = 128;
    const mask = banded(n, 8);
    const svg = String(renderAttentionPattern({ mask, n, label: 'sliding:17' }));
    const on = attrs(svg, 'rect', /^on$/);
    expect(count(mask)).toBeGreaterThan(2000);
    expect(on.length).toBeLessThanOrEqual(n);
    expect(on.length * 10).toBeLessThan(count(mask));
    expect(attrs(svg, 'rect', /^off$/)).toHaveLength(1);
    const g = attrs(svg, 'g', /^pattern$/)[0]!;
    expect(Number(g['data-rects'])).toBe(on.length);
    expect(Number(g['data-ones'])).toBe(count(mask));
    expect(svg.length).toBeLessThan(20_000);
    clean(svg);
  });

  it('places cells by query row and key column', () => {
    const n = 4;
    const mask = makeMask(n, (q, k) => q === 1 && k === 3);
    const svg = String(renderAttentionPattern({ mask, n, label: 'one pair' }, { size: 200 }));
    const [cell] = attrs(svg, 'rect', /^on$/);
    expect(cell).toEqual({ class: 'on', x: '150', y: '50', width: '50', height: '50' });
  });

  it('captions the label and density, counted or given', () => {
    const n = 16;
    const mask = makeMask(n, (q, k) => k <= q);
    const svg = String(renderAttentionPattern({ mask, n, label: 'causal <masked>' }));
    expect(svg).toContain('>causal &lt;masked&gt;</text>');
    expect(svg).toContain(`>${densityLabel(136 / 256)}</text>`);
    expect(densityLabel(136 / 256)).toBe('53.1% of pairs');
    const given = String(renderAttentionPattern({ mask, n, label: 'x', density: 0.125 }));
    expect(given).toContain('>12.5% of pairs</text>');
    expect(attrs(given, 'g', /^pattern$/)[0]!['data-density']).toBe('0.125');
    // A nonsense density is replaced by the counted one.
    expect(String(renderAttentionPattern({ mask, n, label: 'x', density: NaN }))).toContain('>53.1% of pairs</text>');
    expect(densityLabel(1)).toBe('100% of pairs');
    expect(densityLabel(0)).toBe('0% of pairs');
  });

  it('bins a mask larger than the heatmap, keeps the exact density, and says so', () => {
    const n = 1024;
    const mask = banded(n, 32);
    const svg = String(renderAttentionPattern({ mask, n, label: 'sliding:65' }, { size: 256 }));
    const g = attrs(svg, 'g', /pattern binned/)[0]!;
    expect(g['data-bin']).toBe('4');
    expect(Number(g['data-density'])).toBeCloseTo(count(mask) / (n * n), 12);
    expect(attrs(svg, 'rect', /^on$/).length).toBeLessThanOrEqual(256);
    expect(svg).toContain('binned 4×4');
    clean(svg);
  });

  it('returns an empty chart that says what is wrong', () => {
    const bad: AttentionPatternInput[] = [
      { mask: new Uint8Array(10), n: 4, label: 'short' },
      { mask: new Uint8Array(0), n: 0, label: 'zero' },
      { mask: new Uint8Array(4), n: 1.5, label: 'fraction' },
      { mask: [1, 0, 0, 1] as unknown as Uint8Array, n: 2, label: 'array' },
      null as unknown as AttentionPatternInput,
    ];
    for (const input of bad) {
      const out = String(renderAttentionPattern(input, { size: NaN }));
      expect(out).toContain('chart-empty');
      clean(out);
    }
    expect(String(renderAttentionPattern(bad[0]!))).toContain('needs 16');
  });
});

describe('renderPatternGrid', () => {
  const n = 64;
  const items: AttentionPatternInput[] = [
    { mask: makeMask(n, () => true), n, label: 'full' },
    { mask: makeMask(n, (q, k) => k <= q), n, label: 'causal' },
    { mask: banded(n, 4), n, label: 'sliding:9' },
    { mask: makeMask(n, (q, k) => Math.abs(q - k) <= 2 || q < 2 || k < 2), n, label: 'global:5,2' },
    { mask: makeMask(n, (q, k) => Math.abs(q - k) <= 8 && (q - k) % 2 === 0), n, label: 'dilated:9,2 with a very long label that gets cut' },
  ];

  it('lays the heatmaps side by side and wraps them to rows by width', () => {
    const wide = String(renderPatternGrid(items, { width: 1000, size: 120 }));
    const groups = attrs(wide, 'g', /^pattern /);
    expect(groups.map((g) => g['data-label'])).toEqual(items.map((i) => i.label));
    expect(wide).toContain('data-columns="5"');
    const narrow = String(renderPatternGrid(items, { width: 300, size: 120 }));
    expect(narrow).toContain('data-columns="2"');
    const offsets = [...narrow.matchAll(/<g transform="translate\(([\d.]+),([\d.]+)\)">/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(offsets).toHaveLength(5);
    expect(new Set(offsets.map((o) => o[1])).size).toBe(3);
    expect(offsets[2]![0]).toBe(0);
    expect(offsets[2]![1]).toBeGreaterThan(120);
    const h = Number(/height="(\d+)"/.exec(narrow)![1]);
    expect(h).toBeGreaterThan(3 * 120);
    // A long title is wrapped under its heatmap, whole, never cut off; every line fits the heatmap's width.
    expect(narrow).not.toContain('…');
    const spans = [...narrow.matchAll(/<tspan [^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]!);
    expect(spans.join(' ')).toBe(items.find((i) => i.label.length > 20)!.label);
    expect(spans.every((t) => t.length * 6.7 <= 120 + 4)).toBe(true);
    expect(wrapCaption('sliding window 512 (window scaled to 16)', 18)).toEqual(['sliding window 512', '(window scaled to', '16)']);
    expect(wrapCaption('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    // A long note (the lab's pattern notes run to six lines at 120 px) is shown whole.
    const note = 'causal attention (the mask keeps the diagonal, n(n+1)/2 pairs of n², about half)';
    const long = String(renderPatternGrid([{ ...items[0]!, label: note }], { width: 300, size: 120 }));
    expect([...long.matchAll(/<tspan [^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]).join(' ')).toBe(note);
    expect(long).not.toContain('…');
    clean(wide);
    clean(narrow);
  });

  it('draws a placeholder for a bad item and an empty chart for none', () => {
    const out = String(renderPatternGrid([items[0]!, { mask: new Uint8Array(3), n: 2, label: 'broken' }], { width: NaN, size: NaN, gap: NaN }));
    expect(attrs(out, 'g', /pattern invalid/)).toHaveLength(1);
    expect(out).toContain('>broken</text>');
    clean(out);
    const empty = String(renderPatternGrid([]));
    expect(empty).toContain('chart-empty');
    clean(empty);
  });
});
