// Unit tests for the roofline chart: lines per ceiling, dashed vs solid by source, monotonic
// scales, the ridge label, hover text, escaping, no style attributes, partial and empty input.
import { describe, expect, it } from 'vitest';
import { buildRoofline, type Ceiling, type Roofline } from '../bench/roofline.js';
import { renderRooflineChart } from './roofline-chart.js';

const roofline: Roofline = buildRoofline(
  {
    measuredCompute: { fp32: 125, int8: 550, fp16: 140 },
    measuredBandwidth: { L1: 600, L2: 300, L3: 150, DRAM: 40 },
    theoreticalCompute: { fp32: 268, fp64: 134 },
  },
  { dtype: 'fp32', level: 'DRAM' },
);

interface DrawnLine {
  kind: string;
  source: string;
  name: string;
  value: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  dashed: boolean;
}

function lines(svg: string): DrawnLine[] {
  return [...svg.matchAll(/<line class="ceiling [^"]*"([^>]*)>/g)].map((m) => {
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1]!)?.[1] ?? '';
    return {
      kind: attr('data-kind'),
      source: attr('data-source'),
      name: attr('data-name'),
      value: Number(attr('data-value')),
      x1: Number(attr('x1')),
      y1: Number(attr('y1')),
      x2: Number(attr('x2')),
      y2: Number(attr('y2')),
      dashed: /stroke-dasharray=/.test(m[1]!),
    };
  });
}

describe('renderRooflineChart', () => {
  it('draws one line per ceiling: compute horizontal, bandwidth diagonal', () => {
    const drawn = lines(String(renderRooflineChart(roofline, { width: 800 })));
    expect(drawn).toHaveLength(roofline.ceilings.length);
    const compute = drawn.filter((l) => l.kind === 'compute');
    const bandwidth = drawn.filter((l) => l.kind === 'bandwidth');
    expect(compute).toHaveLength(5);
    expect(bandwidth).toHaveLength(4);
    for (const l of compute) expect(l.y1).toBe(l.y2);
    // Rising to the right (SVG y grows downwards).
    for (const l of bandwidth) {
      expect(l.x2).toBeGreaterThan(l.x1);
      expect(l.y2).toBeLessThan(l.y1);
    }
  });

  it('dashes theoretical ceilings and draws measured ones solid', () => {
    const drawn = lines(String(renderRooflineChart(roofline)));
    expect(drawn.filter((l) => l.source === 'measured').every((l) => !l.dashed)).toBe(true);
    expect(drawn.filter((l) => l.source === 'theoretical').every((l) => l.dashed)).toBe(true);
    expect(drawn.filter((l) => l.source === 'theoretical')).toHaveLength(2);
  });

  it('keeps the scales monotonic: higher ceilings sit higher, diagonals parallel in log–log', () => {
    const drawn = lines(String(renderRooflineChart(roofline, { width: 900 })));
    const compute = drawn.filter((l) => l.kind === 'compute').sort((a, b) => a.value - b.value);
    for (let i = 1; i < compute.length; i++) expect(compute[i]!.y1).toBeLessThanOrEqual(compute[i - 1]!.y1);
    const bandwidth = drawn.filter((l) => l.kind === 'bandwidth').sort((a, b) => a.value - b.value);
    // Same start intensity (the left edge): a faster level starts higher.
    for (let i = 1; i < bandwidth.length; i++) {
      expect(bandwidth[i]!.x1).toBeCloseTo(bandwidth[i - 1]!.x1, 5);
      expect(bandwidth[i]!.y1).toBeLessThan(bandwidth[i - 1]!.y1);
    }
    const slopes = bandwidth.map((l) => (l.y2 - l.y1) / (l.x2 - l.x1));
    for (const s of slopes) expect(s).toBeCloseTo(slopes[0]!, 1);
  });

  it('ends every diagonal at the highest roof and starts every roof at the fastest diagonal', () => {
    const drawn = lines(String(renderRooflineChart(roofline)));
    const top = drawn.filter((l) => l.kind === 'compute').sort((a, b) => b.value - a.value)[0]!;
    for (const l of drawn.filter((d) => d.kind === 'bandwidth')) expect(l.y2).toBeCloseTo(top.y1, 0);
    const l1 = drawn.find((l) => l.name === 'L1')!;
    // fp32 (125) meets L1 (600 GB/s) at 125/600 FLOP/B: on the L1 line.
    const fp32 = drawn.find((l) => l.name === 'fp32' && l.source === 'measured')!;
    const slope = (l1.y2 - l1.y1) / (l1.x2 - l1.x1);
    expect(l1.y1 + slope * (fp32.x1 - l1.x1)).toBeCloseTo(fp32.y1, 0);
  });

  it('keeps the x caption and the ceiling labels inside a narrow (side-by-side) chart', () => {
    const width = 360;
    const out = String(renderRooflineChart(roofline, { width }));
    const CHAR = 6.7; // CHAR_11, the width the chart allows per 11 px character
    const caption = /<text class="axis-caption" x="([\d.]+)" y="[\d.]+" text-anchor="middle">([^<]+)<\/text>/.exec(out)!;
    const half = (caption[2]!.length * CHAR) / 2;
    expect(Number(caption[1]) - half).toBeGreaterThanOrEqual(0);
    expect(Number(caption[1]) + half).toBeLessThanOrEqual(width);
    const labels = [...out.matchAll(/<text class="line-label [^"]*" x="([\d.]+)" y="[\d.]+">([^<]+)<\/text>/g)];
    expect(labels.length).toBeGreaterThan(0);
    for (const m of labels) expect(Number(m[1]) + m[2]!.length * CHAR, m[2]).toBeLessThanOrEqual(width + 1);
  });

  it('marks and labels the ridge point', () => {
    const svg = String(renderRooflineChart(roofline));
    expect(roofline.ridge?.intensity).toBeCloseTo(3.125);
    expect(svg).toContain('>ridge 3.1 FLOP/B</text>');
    expect(svg.match(/<circle class="ridge-point"/g)).toHaveLength(2); // the mark and its legend swatch
    expect(svg).toContain('where fp32 125.0 GFLOP/s meets DRAM 40.0 GB/s');
  });

  it('gives every line hover text with its number and how it was obtained', () => {
    const svg = String(renderRooflineChart(roofline));
    const titles = [...svg.matchAll(/<g class="ceiling-group"><title>([^<]*)<\/title>/g)].map((m) => m[1]!);
    expect(titles).toHaveLength(roofline.ceilings.length);
    expect(titles).toContain('fp32 compute ceiling (measured): 125.0 GFLOP/s\nONNX Runtime MatMul/MatMulInteger benchmark (best median over sizes and threads)');
    expect(titles.some((t) => t.startsWith('DRAM bandwidth ceiling (measured): 40.0 GB/s\n'))).toBe(true);
    expect(titles.some((t) => t.startsWith('int8 compute ceiling (measured): 550.0 GOP/s'))).toBe(true);
  });

  it('has a legend entry per ceiling plus the ridge', () => {
    const svg = String(renderRooflineChart(roofline));
    expect(svg.match(/<g class="legend-entry"/g)).toHaveLength(roofline.ceilings.length + 1);
    expect(svg).toContain('fp64 compute, theoretical: 134.0 GFLOP/s');
  });

  it('shares one label between diagonals too close to label apart', () => {
    const close = buildRoofline({ measuredCompute: { fp32: 100 }, measuredBandwidth: { L1: 120, L2: 119, DRAM: 50 } });
    const svg = String(renderRooflineChart(close));
    expect(svg).toContain('>L1 120.0 · L2 119.0 GB/s</text>');
    expect(svg).toContain('>DRAM 50.0 GB/s</text>');
  });

  it('draws extra points (e.g. model layers) as dots with hover text', () => {
    const svg = String(renderRooflineChart(roofline, {
      extraPoints: [
        { label: 'conv1', intensity: 20, gflops: 40 },
        { label: 'matmul', intensity: 2000, gflops: 100 },
        { label: 'bad', intensity: 0, gflops: 1 },
      ],
    }));
    expect(svg.match(/<g class="extra-point">/g)).toHaveLength(2);
    expect(svg).toContain('<title>conv1: 20 FLOP/B, 40.0 GFLOP/s</title>');
    // The axis widens to show a point past 1024 FLOP/B.
    expect(svg).toContain('>4096</text>');
  });

  it('escapes text and writes no style attributes', () => {
    const evil: Ceiling[] = [
      { kind: 'compute', name: 'fp32<script>', value: 10, source: 'measured', how: `a & b < c > "d" 'e'` },
      { kind: 'bandwidth', name: 'DRAM', value: 5, source: 'theoretical', how: '<b>x</b>' },
    ];
    const svg = String(renderRooflineChart({ ceilings: evil, ridge: null }, { extraPoints: [{ label: '<img onerror=x>', intensity: 1, gflops: 1 }] }));
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('a &amp; b &lt; c &gt; &quot;d&quot; &#39;e&#39;');
    expect(svg).not.toMatch(/\sstyle=/);
    expect(String(renderRooflineChart(roofline))).not.toMatch(/\sstyle=/);
    // Class names come from classToken: nothing but letters, digits and dashes.
    expect(svg).toContain('dtype-fp32script');
  });

  it('draws partial rooflines: compute only, bandwidth only', () => {
    const computeOnly = lines(String(renderRooflineChart(buildRoofline({ measuredCompute: { fp32: 50 } }))));
    expect(computeOnly).toHaveLength(1);
    const bandwidthOnly = String(renderRooflineChart(buildRoofline({ measuredBandwidth: { DRAM: 20, L1: 200 } })));
    expect(lines(bandwidthOnly)).toHaveLength(2);
    expect(bandwidthOnly).not.toContain('ridge-point');
  });

  it('renders an empty-state SVG for no ceilings instead of throwing', () => {
    for (const input of [undefined, null, { ceilings: [], ridge: null }, { ceilings: [{ kind: 'compute', name: 'fp32', value: Number.NaN, source: 'measured', how: '' }], ridge: null }] as const) {
      const svg = String(renderRooflineChart(input as Roofline | null | undefined));
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('No roofline');
      expect(lines(svg)).toHaveLength(0);
    }
  });

  it('is deterministic whatever the ceiling order', () => {
    const shuffled = { ...roofline, ceilings: [...roofline.ceilings].reverse() };
    expect(String(renderRooflineChart(shuffled, { width: 700 }))).toBe(String(renderRooflineChart(roofline, { width: 700 })));
  });
});

describe('roofline overlays', () => {
  it('draws another run’s envelope over the roofline and widens the axes to fit it', () => {
    const mine = buildRoofline({ measuredCompute: { fp32: 200 }, measuredBandwidth: { DRAM: 20 } });
    const theirs = buildRoofline({ measuredCompute: { fp32: 5000 }, measuredBandwidth: { DRAM: 900 } });
    const svg = String(renderRooflineChart(mine, { overlays: [{ label: 'run #2', roofline: theirs }] }));
    expect(svg.match(/class="overlay overlay-0"/g)).toHaveLength(1);
    expect(svg).toContain('data-label="run #2"');
    expect(svg).not.toMatch(/NaN/);
    // An overlay without ceilings is skipped, not drawn as NaN.
    const none = String(renderRooflineChart(mine, { overlays: [{ label: 'empty', roofline: { ceilings: [], ridge: null } as never }] }));
    expect(none).not.toContain('class="overlay ');
  });
});
