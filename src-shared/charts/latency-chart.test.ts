// Unit tests for the latency ladder chart: points and path, cache lines, levels and knees,
// monotonic scales, escaping, no style attributes, empty input.
import { describe, expect, it } from 'vitest';
import type { LatencyResult } from '../api/bench.js';
import { renderLatencyChart } from './latency-chart.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A clean three-level ladder: 1.5 ns to 32 KiB, 5 ns to 1 MiB, 20 ns to 16 MiB, then 90 ns. */
function ladder(): LatencyResult {
  const points: LatencyResult['points'] = [];
  for (let bytes = 4 * KiB; bytes <= 256 * MiB; bytes *= 2) {
    const ns = bytes <= 32 * KiB ? 1.5 : bytes <= MiB ? 5 : bytes <= 16 * MiB ? 20 : 90;
    points.push({ bytes, ns });
  }
  return {
    points,
    levels: [
      { name: 'L1', bytes: 32 * KiB, ns: 1.5 },
      { name: 'L2', bytes: MiB, ns: 5 },
      { name: 'L3', bytes: 16 * MiB, ns: 20 },
      { name: 'DRAM', bytes: 256 * MiB, ns: 90 },
    ],
  };
}

const caches = { l1dBytes: 32 * KiB, l2Bytes: MiB, l3Bytes: 16 * MiB };

function points(svg: string): Array<{ cx: number; cy: number; bytes: number; ns: number }> {
  return [...svg.matchAll(/<circle class="point" cx="([\d.]+)" cy="([\d.]+)"[^>]*data-bytes="(\d+)" data-ns="([\d.e+-]+)"/g)].map((m) => ({
    cx: Number(m[1]),
    cy: Number(m[2]),
    bytes: Number(m[3]),
    ns: Number(m[4]),
  }));
}

describe('renderLatencyChart', () => {
  it('draws every measured point, joined by one path', () => {
    const data = ladder();
    const svg = String(renderLatencyChart(data, { caches, width: 800 }));
    expect(points(svg)).toHaveLength(data.points.length);
    expect(svg.match(/<path class="series" d="M[^"]+"/g)).toHaveLength(1);
    expect(svg).toContain('<title>64 KiB: 5.0 ns</title>');
  });

  it('keeps both scales monotonic', () => {
    const drawn = points(String(renderLatencyChart(ladder(), { caches })));
    for (let i = 1; i < drawn.length; i++) {
      expect(drawn[i]!.cx).toBeGreaterThan(drawn[i - 1]!.cx);
      if (drawn[i]!.ns > drawn[i - 1]!.ns) expect(drawn[i]!.cy).toBeLessThan(drawn[i - 1]!.cy);
      if (drawn[i]!.ns === drawn[i - 1]!.ns) expect(drawn[i]!.cy).toBe(drawn[i - 1]!.cy);
    }
  });

  it('marks the detected cache sizes as dashed vertical lines with labels', () => {
    const svg = String(renderLatencyChart(ladder(), { caches }));
    const lines = [...svg.matchAll(/<line class="cache-size" x1="([\d.]+)" x2="([\d.]+)"[^>]*stroke-dasharray="[^"]+" data-bytes="(\d+)"/g)];
    expect(lines.map((m) => Number(m[3]))).toEqual([32 * KiB, MiB, 16 * MiB]);
    for (const m of lines) expect(m[1]).toBe(m[2]);
    expect(svg).toContain('>L1d 32 KiB</text>');
    expect(svg).toContain('>L3 16 MiB</text>');
  });

  it('widens the axis to show a reported cache larger than the sweep', () => {
    const svg = String(renderLatencyChart(ladder(), { caches: { ...caches, l3Bytes: 512 * MiB } }));
    const line = /<line class="cache-size" x1="([\d.]+)"[^>]*data-bytes="536870912"/.exec(svg);
    expect(line).not.toBeNull();
    const lastPoint = Math.max(...points(svg).map((p) => p.cx));
    expect(Number(line![1])).toBeGreaterThan(lastPoint);
    expect(Number(line![1])).toBeLessThanOrEqual(720);
  });

  it('marks the benchmark levels and the knees of the curve', () => {
    const svg = String(renderLatencyChart(ladder(), { caches }));
    expect(svg.match(/<g class="level level-/g)).toHaveLength(4);
    expect(svg).toContain('>L1 1.5 ns</text>');
    expect(svg).toContain('>DRAM 90.0 ns</text>');
    // Three steps: 1.5 → 5, 5 → 20, 20 → 90 ns.
    expect(svg.match(/<g class="knee">/g)).toHaveLength(3);
  });

  it('draws without cache sizes or levels', () => {
    const { points: pts } = ladder();
    const svg = String(renderLatencyChart({ points: pts, levels: [] }));
    expect(svg).not.toContain('cache-size');
    expect(svg).not.toContain('class="level ');
    expect(points(svg)).toHaveLength(pts.length);
  });

  it('escapes text and writes no style attributes', () => {
    const svg = String(renderLatencyChart(ladder(), { caches }));
    expect(svg).not.toMatch(/\sstyle=/);
    const odd = String(renderLatencyChart({ points: [{ bytes: 4096, ns: 1 }], levels: [{ name: '<L1>' as 'L1', bytes: 4096, ns: 1 }] }));
    expect(odd).not.toContain('<L1>');
    expect(odd).toContain('&lt;L1&gt;');
  });

  it('renders an empty-state SVG for no or unusable points', () => {
    for (const input of [undefined, null, { points: [], levels: [] }, { points: [{ bytes: 0, ns: Number.NaN }], levels: [] }]) {
      const svg = String(renderLatencyChart(input as LatencyResult | undefined));
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('No latency measurement');
      expect(svg).not.toContain('class="point"');
    }
    // A single point draws (no knee can be found in it).
    expect(points(String(renderLatencyChart({ points: [{ bytes: 4096, ns: 1 }], levels: [] })))).toHaveLength(1);
  });
});
