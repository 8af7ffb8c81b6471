// Unit tests for the predicted-against-measured chart: one dot per drawable unit on equal log
// scales (on the diagonal when the prediction is exact), the diagonal and the 1.5× band, colours by
// op type with "other", fused rings, skipped units, escaping of hostile names, no style attributes,
// empty input.
import { describe, expect, it } from 'vitest';
import { formatMs, renderPredictedMeasuredChart, unitName, type PredictedMeasuredUnit } from './predicted-measured-chart.js';

const units: PredictedMeasuredUnit[] = [
  { nodes: ['conv1'], opType: 'Conv', predictedMs: 1, measuredMs: 1 },
  { nodes: ['conv2', 'relu2'], opType: 'Conv', predictedMs: 0.5, measuredMs: 1.2 },
  { nodes: ['fc'], opType: 'Gemm', predictedMs: 0.2, measuredMs: 0.1 },
  { nodes: ['pool'], opType: 'MaxPool', predictedMs: 0.01, measuredMs: 0.012 },
];

function circles(out: string): Array<Record<string, string>> {
  return [...out.matchAll(/<circle ([^>]*)>/g)]
    .map((m) => Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
    .filter((a) => /\bunit\b/.test(a.class ?? '') && !/\bswatch\b/.test(a.class ?? ''));
}

describe('renderPredictedMeasuredChart', () => {
  it('draws one dot per unit, the diagonal and the band, on equal log scales', () => {
    const out = String(renderPredictedMeasuredChart(units, { width: 700 }));
    expect(out).toMatch(/^<svg [^>]*class="predicted-measured-chart"/);
    expect(out).toContain('data-units="4"');
    const dots = circles(out);
    expect(dots).toHaveLength(4);
    expect(out.match(/<line class="identity"/g)).toHaveLength(1);
    expect(out.match(/<polygon class="close-band"/g)).toHaveLength(1);
    // An exact prediction sits on the diagonal: equal scales put it at the same place on both axes.
    const exact = dots.find((d) => d['data-predicted'] === '1')!;
    const line = /<line class="identity" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(out)!.slice(1).map(Number);
    const [x1, y1, x2, y2] = line as [number, number, number, number];
    const t = (Number(exact.cx) - x1) / (x2 - x1);
    expect(Number(exact.cy)).toBeCloseTo(y1 + t * (y2 - y1), 0);
    // Slower than predicted sits above the diagonal (SVG y grows downwards).
    const slow = dots.find((d) => d['data-predicted'] === '0.5')!;
    const onLine = y1 + ((Number(slow.cx) - x1) / (x2 - x1)) * (y2 - y1);
    expect(Number(slow.cy)).toBeLessThan(onLine);
    expect(slow.class).toContain('fused');
    expect(slow.class).toContain('off');
    expect(exact.class).toContain('close');
    expect(out).not.toMatch(/NaN|Infinity/);
  });

  it('colours by op type, heaviest measured first, the rest as "other"', () => {
    const many: PredictedMeasuredUnit[] = Array.from({ length: 10 }, (_, i) => ({ nodes: [`n${i}`], opType: `Op${i}`, predictedMs: 1, measuredMs: 10 - i }));
    const out = String(renderPredictedMeasuredChart(many));
    const dots = circles(out);
    expect(dots.find((d) => d['data-op'] === 'Op0')!.class).toContain('series-0');
    expect(dots.find((d) => d['data-op'] === 'Op6')!.class).toContain('series-6');
    expect(dots.find((d) => d['data-op'] === 'Op9')!.class).toContain('series-7');
    expect(out).toContain('other (3 op types)');
  });

  it('says how many units could not be drawn on a log scale', () => {
    const out = String(renderPredictedMeasuredChart([...units, { nodes: ['shape'], opType: 'Shape', predictedMs: 0, measuredMs: 0.001 }]));
    expect(circles(out)).toHaveLength(4);
    expect(out).toContain('data-skipped="1"');
    expect(out).toContain('1 kernel with no predicted or measured time above zero is not drawn.');
  });

  it('escapes hostile op types and node names and writes no style attributes', () => {
    const hostile: PredictedMeasuredUnit[] = [
      { nodes: ['<script>alert(1)</script>', 'a" onload="x'], opType: '<img src=x onerror=alert(1)>', predictedMs: 1, measuredMs: 2 },
      { nodes: ["b' & c"], opType: 'Op"><g', predictedMs: 0.1, measuredMs: 0.1 },
    ];
    const out = String(renderPredictedMeasuredChart(hostile));
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('" onload="');
    expect(out).not.toContain('Op"><g');
    expect(out).toContain('Op&quot;&gt;&lt;g');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).not.toMatch(/\sstyle=/);
    expect(circles(out)).toHaveLength(2);
  });

  it('shows an empty state without drawable units', () => {
    expect(String(renderPredictedMeasuredChart([]))).toContain('No measured kernels');
    expect(String(renderPredictedMeasuredChart(undefined))).toContain('chart-empty');
    const none = String(renderPredictedMeasuredChart([{ nodes: ['x'], opType: 'Add', predictedMs: Number.NaN, measuredMs: 1 }]));
    expect(none).toContain('nothing to draw on a log scale');
    expect(none).not.toMatch(/NaN/);
  });

  it('formats times and unit names', () => {
    expect(formatMs(0.0123)).toBe('12.3 µs');
    expect(formatMs(1.234)).toBe('1.23 ms');
    expect(unitName(['a'])).toBe('a');
    expect(unitName(['a', 'b'])).toBe('a + b');
    expect(unitName(['a', 'b', 'c', 'd'])).toBe('a + b + 2 more');
  });
});
