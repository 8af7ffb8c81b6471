// Unit tests for the op-share chart: aggregation by op type, the "other" row, bar widths, escaping, empty input.
import { describe, expect, it } from 'vitest';
import { formatShare, opShares, OTHER_OP, renderOpShareChart, type OpShareInput } from './op-share-chart.js';

const node = (opType: string, flops: number, bytes: number): OpShareInput => ({ opType, flops, bytesRead: bytes / 2, bytesWritten: bytes / 2 });

const nodes: OpShareInput[] = [
  node('Conv', 800, 100),
  node('Conv', 100, 100),
  node('MatMul', 100, 100),
  node('Relu', 0, 600),
  node('Add', 0, 100),
];

describe('opShares', () => {
  it('sums by op type and gives shares of the totals', () => {
    const rows = opShares(nodes);
    const conv = rows.find((r) => r.opType === 'Conv')!;
    expect(conv).toMatchObject({ count: 2, flops: 900, bytes: 200 });
    expect(conv.flopsShare).toBeCloseTo(0.9);
    expect(conv.bytesShare).toBeCloseTo(0.2);
    expect(rows.reduce((s, r) => s + r.flopsShare, 0)).toBeCloseTo(1);
    expect(rows.reduce((s, r) => s + r.bytesShare, 0)).toBeCloseTo(1);
  });

  it('ranks by the larger of the two shares, so memory-bound ops make the list', () => {
    expect(opShares(nodes).map((r) => r.opType)).toEqual(['Conv', 'Relu', 'MatMul', 'Add']);
  });

  it('folds everything past the top N into "other"', () => {
    const many = Array.from({ length: 20 }, (_, i) => node(`Op${i}`, 20 - i, 1));
    const rows = opShares(many, 12);
    expect(rows).toHaveLength(13);
    const other = rows[12]!;
    expect(other.opType).toBe(OTHER_OP);
    expect(other.count).toBe(8);
    expect(rows.reduce((s, r) => s + r.flopsShare, 0)).toBeCloseTo(1);
  });

  it('ignores NaN and negative values', () => {
    const rows = opShares([node('A', Number.NaN, 10), node('B', 10, -5)]);
    expect(rows.find((r) => r.opType === 'A')!.flops).toBe(0);
    expect(rows.find((r) => r.opType === 'B')!.bytes).toBe(0);
  });
});

describe('renderOpShareChart', () => {
  const bars = (svg: string, kind: 'flops' | 'bytes') => [...svg.matchAll(new RegExp(`<rect class="bar ${kind}"[^>]*width="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

  it('draws two bars per op type, widths proportional to the shares', () => {
    const svg = String(renderOpShareChart(nodes, { width: 640 }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<g class="op-row/g)).toHaveLength(4);
    const flops = bars(svg, 'flops');
    expect(flops).toHaveLength(4);
    expect(flops[0]! / flops[2]!).toBeCloseTo(9, 0);
    expect(bars(svg, 'bytes')[1]).toBeGreaterThan(bars(svg, 'bytes')[0]!);
    for (const w of [...flops, ...bars(svg, 'bytes')]) expect(w).toBeLessThanOrEqual(640);
    expect(svg).toContain('Conv ×2');
    expect(svg).not.toMatch(/style=/);
  });

  it('escapes op types', () => {
    const svg = String(renderOpShareChart([node('<Evil&"op>', 10, 10)]));
    expect(svg).not.toContain('<Evil');
    expect(svg).toContain('&lt;Evil&amp;&quot;op&gt;');
  });

  it('returns an empty-state SVG for no layers', () => {
    expect(String(renderOpShareChart([]))).toContain('chart-empty');
    expect(String(renderOpShareChart([node('Shape', 0, 0)]))).toContain('chart-empty');
  });

  it('formats shares', () => {
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.0004)).toBe('<0.1 %');
    expect(formatShare(0.0345)).toBe('3.5 %');
    expect(formatShare(0.456)).toBe('46 %');
  });
});
