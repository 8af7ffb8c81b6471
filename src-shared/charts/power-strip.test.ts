// Unit tests for the power strip: the line over time, phase bands and boundaries with their
// energy as hover text, the "estimated" label and its basis, live readings, escaping, no style
// attributes, and the empty state.
import { describe, expect, it } from 'vitest';
import type { PowerPoint } from '../energy/types.js';
import { powerStripTitle, renderPowerStrip, type PowerStripInput } from './power-strip.js';

function series(n = 40, watts = (t: number) => 30 + 20 * Math.sin(t)): PowerPoint[] {
  return Array.from({ length: n }, (_, i) => ({ t: i * 0.5, watts: watts(i * 0.5) }));
}

const measured: PowerStripInput = {
  series: series(),
  phases: [
    { phase: 'gemm', startS: 0, endS: 8, joules: 320.5, avgWatts: 40.06 },
    { phase: 'memory: STREAM', startS: 8, endS: 14, joules: 180, avgWatts: 30 },
    { phase: 'latency', startS: 14, endS: 19.5, joules: 110, avgWatts: 20 },
  ],
  estimated: false,
  source: 'powercap (RAPL)',
};

const pathPoints = (d: string) => [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);

describe('renderPowerStrip', () => {
  it('draws one line through every reading, left to right, higher watts higher', () => {
    const input: PowerStripInput = { series: [{ t: 0, watts: 10 }, { t: 1, watts: 50 }, { t: 2, watts: 20 }], estimated: false };
    const svg = String(renderPowerStrip(input, { width: 600 }));
    expect(svg).toMatch(/^<svg [^>]*class="power-strip"/);
    expect(svg).toContain('data-points="3"');
    const d = /<path class="power-line series-0" d="([^"]+)"/.exec(svg)![1]!;
    const pts = pathPoints(d);
    expect(pts).toHaveLength(3);
    expect(pts[1]![0]).toBeGreaterThan(pts[0]![0]);
    expect(pts[2]![0]).toBeGreaterThan(pts[1]![0]);
    expect(pts[1]![1]).toBeLessThan(pts[2]![1]);
    expect(pts[2]![1]).toBeLessThan(pts[0]![1]);
    expect(svg.match(/<path class="power-area/g)).toHaveLength(1);
    expect(svg).toContain('>0</text>');
  });

  it('is a short, wide strip that follows the width', () => {
    const svg = String(renderPowerStrip(measured, { width: 900 }));
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect(Number(w)).toBe(900);
    expect(Number(h)).toBeLessThan(140);
  });

  it('marks the phases: a band each, a dashed boundary after the first, their energy on hover', () => {
    const svg = String(renderPowerStrip(measured, { width: 900 }));
    expect(svg.match(/<rect class="phase-band/g)).toHaveLength(3);
    expect(svg.match(/<line class="phase-boundary"[^>]*stroke-dasharray=/g)).toHaveLength(2);
    expect(svg).toContain('data-phase-name="memory: STREAM"');
    expect(svg).toContain('<title>gemm: 0.0–8.0 s, 321 J, avg 40.1 W</title>');
    expect(svg).toContain('>latency</text>');
    expect(svg).toContain('dashed: phase boundary');
    // Not `data-phase`: the progress cards' phase rows use that attribute, and the strip sits inside them.
    expect(svg).not.toMatch(/\sdata-phase=/);
    // Boundaries sit where the phases start, in time order.
    const xs = [...svg.matchAll(/<line class="phase-boundary" x1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs[1]!).toBeGreaterThan(xs[0]!);
  });

  it('keeps a phase label whole when it is wider than its band: the next label moves to another row', () => {
    const svg = String(renderPowerStrip({ ...measured, phases: [{ phase: 'a-very-long-phase-name-indeed', startS: 0, endS: 2 }, { phase: 'rest', startS: 2, endS: 19.5 }] }, { width: 400 }));
    expect(svg).toContain('>a-very-long-phase-name-indeed</text>');
    expect(svg).toContain('data-phase-name="a-very-long-phase-name-indeed"');
    expect(svg).toMatch(/<text class="phase-label" x="[\d.]+" y="29">rest<\/text>/);
  });

  it('says "estimated" in the title and a visible label, with the basis on hover', () => {
    const svg = String(renderPowerStrip({ ...measured, estimated: true, estimateBasis: 'catalog TDP 65 W × measured CPU utilisation' }));
    expect(powerStripTitle(true)).toBe('Total power over time (estimated)');
    expect(svg).toMatch(/<title>Total power over time \(estimated\)/);
    expect(svg).toContain('class="power-strip estimated"');
    expect(svg).toContain('data-estimated="true"');
    expect(svg).toContain('<text class="estimate-label"');
    expect(svg).toContain('>estimated</text>');
    expect(svg).toContain('Estimated, not measured: catalog TDP 65 W × measured CPU utilisation');
    expect(svg).toContain('(estimated)</title>');
    const plain = String(renderPowerStrip(measured));
    expect(plain).not.toContain('estimate-label');
    expect(plain).not.toContain('(estimated)');
    expect(plain).toContain('data-estimated="false"');
    expect(plain).toContain('source: powercap (RAPL)');
  });

  it('prints the latest reading while live', () => {
    const svg = String(renderPowerStrip({ series: [{ t: 0.5, watts: 12 }, { t: 1, watts: 47.25 }], estimated: true, live: true }, { width: 600 }));
    expect(svg).toContain('class="power-strip estimated live"');
    expect(svg).toContain('>now 47.3 W</text>');
  });

  it('copes with a single reading, readings all at zero and junk values', () => {
    const one = String(renderPowerStrip({ series: [{ t: 3, watts: 20 }], estimated: false }));
    expect(one).toContain('<circle class="power-point');
    const zero = String(renderPowerStrip({ series: [{ t: 0, watts: 0 }, { t: 1, watts: 0 }], estimated: false }));
    expect(zero).not.toContain('NaN');
    const junk = String(renderPowerStrip({ series: [{ t: 0, watts: Number.NaN }, { t: 1, watts: 5 }, { t: Number.POSITIVE_INFINITY, watts: 2 }, { t: 2, watts: 6 }], estimated: false }));
    expect(junk).toContain('data-points="2"');
    expect(junk).not.toContain('NaN');
  });

  it('writes no style attributes and escapes text', () => {
    const svg = String(renderPowerStrip({ ...measured, phases: [{ phase: '<script>', startS: 0, endS: 19.5 }], estimated: true, estimateBasis: '"quoted" & <b>' }));
    expect(svg).not.toMatch(/\sstyle=/);
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('renders an empty-state SVG without readings', () => {
    for (const input of [undefined, null, { series: [], estimated: false }]) {
      const svg = String(renderPowerStrip(input));
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('chart-empty');
      expect(svg).toContain('No power readings');
    }
    expect(String(renderPowerStrip({ series: [], estimated: true, live: true }))).toContain('Waiting for the first power reading');
    expect(String(renderPowerStrip({ series: [], estimated: true }))).toContain('(estimated)');
  });
});

describe('power strip phase labels', () => {
  it('are never cut: short phases move to another label row, whole', () => {
    const series = Array.from({ length: 40 }, (_, i) => ({ t: i, watts: 10 + (i % 5) }));
    const phases = [
      { phase: 'gemm', startS: 0, endS: 30 },
      { phase: 'memory: STREAM', startS: 30, endS: 31 },
      { phase: 'memory: sweep', startS: 31, endS: 32 },
      { phase: 'latency', startS: 32, endS: 39 },
    ];
    const svgText = String(renderPowerStrip({ series, phases, estimated: true, estimateBasis: 'x', source: 'y' }, { width: 420 }));
    const labels = [...svgText.matchAll(/<text class="phase-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['gemm', 'memory: STREAM', 'memory: sweep', 'latency']);
    expect(svgText).not.toContain('…');
    const ys = new Set([...svgText.matchAll(/<text class="phase-label"[^>]*y="([\d.]+)"/g)].map((m) => m[1]));
    expect(ys.size).toBeGreaterThan(1);
  });
});
