// Unit tests for the peaks chart: structure, monotonic bar widths, escaping, empty input.
import { describe, expect, it } from 'vitest';
import type { Peak } from '../api/types.js';
import { renderPeaksChart } from './peaks-chart.js';

const peaks: Peak[] = [
  { device: 'cpu', dtype: 'fp32', gflops: 1200, basis: '8 cores × 3.0 GHz × 2 FMA × 8 lanes × 2' },
  { device: 'cpu', dtype: 'fp64', gflops: 600, basis: 'half of fp32' },
  { device: 'gpu:0', dtype: 'fp16', gflops: 165_000, basis: 'datasheet' },
  { device: 'gpu:0', dtype: 'fp32', gflops: 82_600, basis: 'datasheet' },
  { device: 'cpu', dtype: 'int8', gflops: 4.5, basis: 'VNNI' },
];

function bars(svg: string): Array<{ gflops: number; width: number }> {
  return [...svg.matchAll(/<rect class="bar[^"]*"[^>]*\bwidth="([\d.]+)"[^>]*\bdata-gflops="([\d.e+-]+)"/g)].map((m) => ({
    width: Number(m[1]),
    gflops: Number(m[2]),
  }));
}

describe('renderPeaksChart', () => {
  it('draws one bar per peak', () => {
    const svg = String(renderPeaksChart(peaks, { width: 640 }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(bars(svg)).toHaveLength(peaks.length);
    expect(svg.match(/<g class="peak"/g)).toHaveLength(peaks.length);
  });

  it('makes bar widths monotonic in gflops', () => {
    const drawn = bars(String(renderPeaksChart(peaks, { width: 640 }))).sort((a, b) => a.gflops - b.gflops);
    for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.width).toBeGreaterThan(drawn[i - 1]!.width);
    for (const b of drawn) expect(b.width).toBeLessThanOrEqual(640);
  });

  it('groups rows by device and orders data types', () => {
    const svg = String(renderPeaksChart(peaks));
    const order = [...svg.matchAll(/data-device="([^"]+)" data-dtype="([^"]+)"/g)].map((m) => `${m[1]}/${m[2]}`);
    expect(order).toEqual(['cpu/fp64', 'cpu/fp32', 'cpu/int8', 'gpu:0/fp32', 'gpu:0/fp16']);
  });

  it('escapes all text and uses no inline style attributes', () => {
    const svg = String(renderPeaksChart([{ device: 'gpu:<script>alert("x")</script>', dtype: 'fp32', gflops: 10, basis: `a & b < c > d "e" 'f'` }]));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(svg).toContain('a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;');
    expect(svg).not.toMatch(/\sstyle=/);
  });

  it('gives every bar hover text with its value and basis', () => {
    const svg = String(renderPeaksChart(peaks));
    expect(svg).toContain('<title>cpu · fp32: 1.2 TFLOP/s\n8 cores × 3.0 GHz × 2 FMA × 8 lanes × 2</title>');
  });

  it('labels decade gridlines across a wide range', () => {
    const svg = String(renderPeaksChart(peaks));
    expect(svg).toContain('>1 G<');
    expect(svg).toContain('>1 T<');
    expect(svg).toContain('>100 T<');
    expect(svg).toContain('int8: OP/s');
  });

  it('uses 1-2-5 gridlines across a narrow range', () => {
    const ticks = (svg: string) => [...svg.matchAll(/<text class="tick"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(ticks(String(renderPeaksChart([peaks[0]!, peaks[1]!])))).toEqual(['100 G', '200 G', '500 G', '1 T']);
  });

  it('leaves room for every value label inside the chart', () => {
    const big: Peak[] = [...peaks, { device: 'gpu:0', dtype: 'fp8', gflops: 1_978_900, basis: 'datasheet' }];
    const svg = String(renderPeaksChart(big, { width: 640 }));
    // Label start + its length in 12px monospace (about 7.2 px a character) stays within the width.
    for (const m of svg.matchAll(/<text class="value" x="([\d.]+)"[^>]*>([^<]+)</g)) {
      expect(Number(m[1]) + m[2]!.length * 7.2).toBeLessThanOrEqual(640);
    }
  });

  it('is deterministic', () => {
    expect(String(renderPeaksChart(peaks, { width: 500 }))).toBe(String(renderPeaksChart([...peaks].reverse(), { width: 500 })));
  });

  it('handles empty and non-positive input', () => {
    expect(String(renderPeaksChart([]))).toContain('No peaks to chart');
    const svg = String(renderPeaksChart([...peaks, { device: 'cpu', dtype: 'bf16', gflops: 0, basis: 'not supported' }]));
    expect(bars(svg)).toHaveLength(peaks.length + 1);
    expect(svg).toContain('n/a');
  });
});
