// Unit tests for the bandwidth sweep chart: points, level plateaus and boundaries, monotonic x,
// escaping, no style attributes, empty input.
import { describe, expect, it } from 'vitest';
import type { MemoryResult } from '../api/bench.js';
import { renderBandwidthChart } from './bandwidth-chart.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function memory(): MemoryResult {
  const sweep: MemoryResult['sweep'] = [];
  for (let bytes = 16 * KiB; bytes <= 256 * MiB; bytes *= 2) sweep.push({ bytes, GBs: bytes <= 64 * KiB ? 400 : bytes <= 2 * MiB ? 200 : bytes <= 32 * MiB ? 100 : 40 });
  return {
    threads: 2,
    arrayBytes: 256 * MiB,
    copyGBs: 38,
    scaleGBs: 38,
    addGBs: 41,
    triadGBs: 41,
    levels: [
      { name: 'L1', bytes: 64 * KiB, GBs: 400 },
      { name: 'L2', bytes: 2 * MiB, GBs: 200 },
      { name: 'L3', bytes: 32 * MiB, GBs: 100 },
      { name: 'DRAM', bytes: 256 * MiB, GBs: 40 },
    ],
    sweep,
  };
}

describe('renderBandwidthChart', () => {
  it('draws every sweep point left to right, joined by one path', () => {
    const m = memory();
    const svg = String(renderBandwidthChart(m, { width: 700 }));
    const cx = [...svg.matchAll(/<circle class="point" cx="([\d.]+)"/g)].map((x) => Number(x[1]));
    expect(cx).toHaveLength(m.sweep.length);
    for (let i = 1; i < cx.length; i++) expect(cx[i]!).toBeGreaterThan(cx[i - 1]!);
    expect(svg.match(/<path class="series"/g)).toHaveLength(1);
  });

  it('draws the one-thread sweep, where the run has one, as a second dashed line with its own points', () => {
    const m = memory();
    expect(String(renderBandwidthChart(m))).not.toContain('series-single');
    m.singleThreadSweep = m.sweep.map((p) => ({ bytes: p.bytes, GBs: p.GBs / 2 }));
    const svg = String(renderBandwidthChart(m, { width: 700 }));
    expect(svg.match(/<path class="series-single"[^>]*stroke-dasharray=/g)).toHaveLength(1);
    expect(svg.match(/<circle class="point-single"/g)).toHaveLength(m.sweep.length);
    // The all-thread series is unchanged: one path, one point per size.
    expect(svg.match(/<circle class="point"/g)).toHaveLength(m.sweep.length);
    // Half the bandwidth sits lower at the same size.
    const at = (cls: string, bytes: number) => Number(new RegExp(`<circle class="${cls}" cx="[\\d.]+" cy="([\\d.]+)"[^>]*data-bytes="${bytes}"`).exec(svg)![1]);
    expect(at('point-single', 1 * MiB)).toBeGreaterThan(at('point', 1 * MiB));
    expect(svg).toContain('dashed line: one thread reading');
  });

  it('puts higher bandwidth higher on the chart, from a zero baseline', () => {
    const svg = String(renderBandwidthChart(memory()));
    const ys = new Map([...svg.matchAll(/cy="([\d.]+)"[^>]*data-gbs="([\d.]+)"/g)].map((m) => [Number(m[2]), Number(m[1])]));
    expect(ys.get(400)!).toBeLessThan(ys.get(200)!);
    expect(ys.get(200)!).toBeLessThan(ys.get(40)!);
    expect(svg).toContain('>0</text>');
  });

  it('labels each level plateau and dashes the boundaries between caches', () => {
    const svg = String(renderBandwidthChart(memory()));
    expect(svg.match(/<line class="level-line"/g)).toHaveLength(4);
    expect(svg.match(/<line class="boundary"[^>]*stroke-dasharray=/g)).toHaveLength(3);
    expect(svg).toContain('>L2 200.0 GB/s</text>');
  });

  it('writes no style attributes and escapes text', () => {
    const m = memory();
    m.levels[0] = { ...m.levels[0]!, name: '<x>' as 'L1' };
    const svg = String(renderBandwidthChart(m));
    expect(svg).not.toMatch(/\sstyle=/);
    expect(svg).not.toContain('<x>');
  });

  it('renders an empty-state SVG without a sweep', () => {
    for (const input of [undefined, { ...memory(), sweep: [] }]) {
      const svg = String(renderBandwidthChart(input));
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('No bandwidth sweep');
    }
  });
});
