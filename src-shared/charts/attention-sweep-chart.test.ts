// Unit tests for the attention sweep chart: one line per variant, unit-aware ticks, crossovers, the device-memory line, the measured overlay, bad input.
import { describe, expect, it } from 'vitest';
import type { AttentionPoint } from '../attention/types.js';
import { ATTENTION_METRICS, attentionCrossoversOf, attentionSeriesOf, attentionValueLabel, errorFactorLabel, memoryCrossingsOf, renderAttentionSweepChart, seqTickLabel, type AttentionMetric } from './attention-sweep-chart.js';
import { SERIES_STYLE_COUNT, seriesStyle, seriesStyleClass, CHART_CSS } from './chart-styles.js';

const seqs = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const d = 768;
const layers = 12;

/** A rough cost model: quadratic full attention, linear windowed/linear attention. */
function point(variant: string, seq: number, measured?: number): AttentionPoint {
  const attended = variant === 'full' ? seq : variant === 'sliding:512' ? Math.min(seq, 512) : d;
  const attentionFlops = 4 * seq * attended * d * layers;
  const flops = attentionFlops + 24 * seq * d * d * layers;
  const activationBytes = 4 * layers * (seq * d * 10 + (variant === 'linear' ? 0 : seq * attended * 12));
  const bytesMoved = 4 * layers * (4 * seq * d + (variant === 'linear' ? 0 : 2 * seq * attended * 12));
  const p: AttentionPoint = {
    variant,
    seq,
    flops,
    attentionFlops,
    activationBytes,
    bytesMoved,
    intensity: attentionFlops / bytesMoved,
    kvCacheBytes: variant === 'linear' ? 0 : 2 * 4 * layers * seq * d,
    predictedSeconds: Math.max(flops / 1e12, bytesMoved / 5e10),
  };
  if (measured !== undefined) p.measuredSeconds = measured;
  return p;
}

const variants = ['full', 'sliding:512', 'linear'];
const points = seqs.flatMap((s) => variants.map((v) => point(v, s)));
const labels = { full: 'full attention', 'sliding:512': 'sliding window 512', linear: 'linear (kernelised)' };

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

describe('renderAttentionSweepChart', () => {
  const svg = String(renderAttentionSweepChart({ points, metric: 'attentionFlops', labels }));

  it('draws one line per variant in first-appearance order, tagged with the variant', () => {
    const lines = attrs(svg, 'path', /^series series-style-\d+$/);
    expect(lines.map((l) => l.class)).toEqual(['series series-style-0', 'series series-style-1', 'series series-style-2']);
    expect(lines.map((l) => l['data-variant'])).toEqual(variants);
    expect(attrs(svg, 'circle', /^series series-style-0 point$/)).toHaveLength(seqs.length);
    // Every point has a larger focusable hit area carrying its value.
    const hits = attrs(svg, 'circle', /^hit$/);
    expect(hits).toHaveLength(seqs.length * variants.length);
    expect(hits.every((h) => h.tabindex === '0' && Number(h.r) >= 8 && /at sequence length/.test(h['aria-label']!))).toBe(true);
    expect(svg).toContain('data-metric="attentionFlops"');
    clean(svg);
  });

  it('is log–log: the quadratic line rises twice as steeply as the linear ones', () => {
    const slope = (variant: string) => {
      const pts = attrs(svg, 'circle', /point$/).filter((c) => c['data-variant'] === variant);
      const a = pts[0]!;
      const b = pts[pts.length - 1]!;
      return (Number(a.cy) - Number(b.cy)) / (Number(b.cx) - Number(a.cx));
    };
    expect(slope('full') / slope('linear')).toBeCloseTo(2, 1);
  });

  it('labels ticks with units: K tokens on x, FLOP prefixes on y, SI bytes, times', () => {
    const xTicks = attrs(svg, 'text', /x-tick/).length;
    expect(xTicks).toBeGreaterThanOrEqual(3);
    expect(svg).toContain('>1K</text>');
    expect(svg).toMatch(/>\d+ [GTP]<\/text>/);
    const bytes = String(renderAttentionSweepChart({ points, metric: 'activationBytes' }));
    expect(bytes).toMatch(/>\d+ [kMGT]?B<\/text>/);
    expect(bytes).toContain('1 kB = 1000 B');
    const time = String(renderAttentionSweepChart({ points, metric: 'predictedSeconds' }));
    expect(time).toMatch(/>\d+ (ms|µs|s)<\/text>/);
    expect(seqTickLabel(4096)).toBe('4K');
    expect(seqTickLabel(3000)).toBe('3000');
    expect(attentionValueLabel(24e9, 'bytes', true)).toBe('24 GB');
    expect(attentionValueLabel(2.5e-4, 'seconds')).toBe('250 µs');
    expect(attentionValueLabel(1e15, 'flops')).toBe('1 P');
    expect(attentionValueLabel(0.25, 'intensity')).toBe('1/4');
  });

  it('uses the legend labels and escapes them', () => {
    const out = String(renderAttentionSweepChart({ points, metric: 'flops', labels: { ...labels, full: 'full <n²>' } }));
    expect(out).toContain('full &lt;n²&gt;');
    expect(out).toContain('>sliding window 512</text>');
    expect(attrs(out, 'line', /swatch/)).toHaveLength(3);
  });

  it('draws each crossover at its sequence length', () => {
    const out = String(renderAttentionSweepChart({
      points,
      metric: 'attentionFlops',
      crossovers: [
        { a: 'sliding:512', b: 'full', seq: 512 },
        { a: 'linear', b: 'full', seq: 2048 },
        { a: 'linear', b: 'full', seq: 1e7 }, // outside the range drawn: skipped
      ],
    }));
    const groups = attrs(out, 'g', /^crossover$/);
    expect(groups.map((g) => [g['data-a'], g['data-b'], Number(g['data-seq'])])).toEqual([
      ['sliding:512', 'full', 512],
      ['linear', 'full', 2048],
    ]);
    const xOf = (seq: number) => attrs(out, 'circle', /point$/).find((c) => c['data-variant'] === 'full' && Number(c['data-seq']) === seq)!.cx;
    // A small marker on the lines at each crossover, and no label printed in the plot (the page's table lists them).
    const dots = attrs(out, 'circle', /^crossover-point$/);
    expect(dots.map((c) => c.cx)).toEqual([xOf(512), xOf(2048)]);
    expect(dots.every((c) => Number(c.r) <= 4)).toBe(true);
    expect(out).not.toContain('crossover-label');
    expect(out).not.toContain('crossover-guide');
    clean(out);
  });

  it('draws the device-memory line only on the capacity metrics, and marks each crossing', () => {
    const memoryBytes = 16e9;
    const withLine = (metric: AttentionMetric) => String(renderAttentionSweepChart({ points, metric, memoryBytes, memoryLabel: 'RAM' }));
    for (const metric of Object.keys(ATTENTION_METRICS) as AttentionMetric[]) {
      const out = withLine(metric);
      const has = out.includes('class="memory-line"');
      expect(has, metric).toBe(metric === 'activationBytes' || metric === 'kvCacheBytes');
      clean(out);
    }
    const out = withLine('activationBytes');
    expect(out).toContain('>RAM 16 GB</text>');
    const crossings = attrs(out, 'g', /^memory-cross$/);
    // Full and windowed attention's activations outgrow 16 GB inside the sweep; linear attention's stay under.
    const full = crossings.filter((c) => c['data-variant'] === 'full');
    expect(full).toHaveLength(1);
    const at = Number(full[0]!['data-seq']);
    const under = points.filter((p) => p.variant === 'full' && p.activationBytes < memoryBytes).map((p) => p.seq);
    const over = points.filter((p) => p.variant === 'full' && p.activationBytes >= memoryBytes).map((p) => p.seq);
    expect(at).toBeGreaterThan(Math.max(...under));
    expect(at).toBeLessThanOrEqual(Math.min(...over));
    expect(full[0]!['data-direction']).toBe('up');
    expect(crossings.filter((c) => c['data-variant'] === 'sliding:512')).toHaveLength(1);
    expect(crossings.filter((c) => c['data-variant'] === 'linear')).toHaveLength(0);
    // The memory is on the y axis even far above the data.
    expect(String(renderAttentionSweepChart({ points, metric: 'kvCacheBytes', memoryBytes: 1e15 }))).toContain('>RAM 1 PB</text>');
  });

  it('overlays measured times with the prediction error factor at each measured point', () => {
    const measuredPoints = points.map((p) =>
      p.variant === 'linear' ? p : p.seq <= 4096 ? { ...p, measuredSeconds: p.predictedSeconds * (p.variant === 'full' ? 1.4 : 0.71) } : p,
    );
    const out = String(renderAttentionSweepChart({ points: measuredPoints, metric: 'predictedSeconds', measured: true, labels }));
    const marks = attrs(out, 'g', /^measured-point$/);
    expect(marks).toHaveLength(2 * 5);
    for (const m of marks) expect(Number(m['data-ratio'])).toBeCloseTo(m['data-variant'] === 'full' ? 1.4 : 0.71, 9);
    // The factors are in the points' tips, not printed in the plot (close variants' labels overlapped).
    expect(out).not.toContain('error-label');
    const tips = marks.map((m) => m['data-tip']!);
    expect(tips.filter((t) => t.includes('(measured = ×1.4 predicted)'))).toHaveLength(5);
    expect(tips.filter((t) => t.includes('(measured = ×0.71 predicted)'))).toHaveLength(5);
    const dashed = attrs(out, 'path', /measured$/);
    expect(dashed.map((p) => p['data-variant'])).toEqual(['full', 'sliding:512']);
    expect(dashed.every((p) => p['stroke-dasharray'])).toBe(true);
    expect(out).toContain('measured (dashed; measured ÷ predicted in the tips and table)');
    clean(out);

    // Not on another metric, nor without the flag.
    expect(String(renderAttentionSweepChart({ points: measuredPoints, metric: 'flops', measured: true }))).not.toContain('measured-point');
    expect(String(renderAttentionSweepChart({ points: measuredPoints, metric: 'predictedSeconds' }))).not.toContain('measured-point');
    expect(errorFactorLabel(1.4)).toBe('×1.4');
    expect(errorFactorLabel(12.34)).toBe('×12');
  });

  it('skips non-positive values, keeps colours stable, and says why when nothing is left', () => {
    // linear has no K/V cache here (0 bytes): it is left out; on attention FLOPs the others keep their styles.
    const kvOnly = String(renderAttentionSweepChart({ points: points.filter((p) => p.variant !== 'full'), metric: 'kvCacheBytes' }));
    expect(attrs(kvOnly, 'path', /^series /).map((p) => [p.class, p['data-variant']])).toEqual([['series series-style-0', 'sliding:512']]);
    const byFlops = String(renderAttentionSweepChart({ points, metric: 'attentionFlops' }));
    expect(attrs(byFlops, 'path', /^series /).map((p) => p.class)).toEqual(['series series-style-0', 'series series-style-1', 'series series-style-2']);
    const empty = [
      String(renderAttentionSweepChart({ points: [], metric: 'flops' })),
      String(renderAttentionSweepChart({ points: points.filter((p) => p.variant === 'linear'), metric: 'kvCacheBytes' })),
      String(renderAttentionSweepChart({ points: [{ ...point('full', 1024), flops: NaN }, { ...point('full', 0) }, { ...point('full', 2048), flops: -1 }], metric: 'flops' })),
      String(renderAttentionSweepChart(undefined as never)),
    ];
    for (const out of empty) {
      expect(out).toContain('chart-empty');
      clean(out);
    }
    expect(empty[1]).toContain('No positive values of k/v cache for decoding');
  });

  it('never prints NaN or Infinity for odd input', () => {
    const odd: AttentionPoint[] = [
      { ...point('full', 1024), flops: Infinity, intensity: NaN },
      point('full', 1024), // duplicate seq: the last one wins
      point('x"<y>', 4096),
      point('constructor', 4096),
      { ...point('solo', 2048), measuredSeconds: -1 },
      { ...point('z', NaN) },
    ];
    for (const metric of Object.keys(ATTENTION_METRICS) as AttentionMetric[]) {
      for (const opts of [{}, { width: NaN, height: NaN }, { width: 10, height: 1e9 }]) {
        const out = String(renderAttentionSweepChart(
          { points: odd, metric, memoryBytes: NaN, measured: true, crossovers: [{ a: 'full', b: 'nope', seq: 2000 }, { a: 'q', b: 'r', seq: NaN }] },
          opts,
        ));
        clean(out);
      }
      clean(String(renderAttentionSweepChart({ points: [point('one', 1024)], metric, memoryBytes: 1e9, measured: true })));
    }
    // A single point per variant still draws a dot.
    const one = String(renderAttentionSweepChart({ points: [point('one', 1024)], metric: 'flops' }));
    expect(one).not.toContain('chart-empty');
    expect(attrs(one, 'circle', /point$/)).toHaveLength(1);
  });

  it('draws identical series once, with both names in the legend', () => {
    // full and sliding:512 hold the same K/V cache here: one line, named "full attention = sliding window 512".
    const kv = String(renderAttentionSweepChart({ points, metric: 'kvCacheBytes', labels }));
    const lines = attrs(kv, 'path', /^series /);
    expect(lines.map((p) => [p.class, p['data-variants']])).toEqual([['series series-style-0', 'full sliding:512']]);
    expect(kv).toContain('>full attention = sliding window 512</text>');
    expect(attrs(kv, 'line', /swatch/).filter((l) => l['data-variants'])).toHaveLength(1);
    // On a metric where they differ they are two lines again.
    expect(attrs(String(renderAttentionSweepChart({ points, metric: 'attentionFlops' })), 'path', /^series /)).toHaveLength(3);
    expect(attentionSeriesOf(points, 'kvCacheBytes', labels).map((s) => s.variants)).toEqual([['full', 'sliding:512']]);
  });

  it('computes crossovers on the metric asked for, between the drawn lines', () => {
    // Attention FLOPs: linear (d = 768 keys per query) drops below full (seq keys) at 768 tokens;
    // sliding only leaves full's line (equal up to 512: a tie, not a crossover) and stays below linear.
    const flops = attentionCrossoversOf(points, 'attentionFlops', labels);
    expect(flops.map((c) => [c.a, c.b])).toEqual([['linear (kernelised)', 'full attention']]);
    expect(flops[0]!.seq).toBeCloseTo(768, 0);
    // Another metric gives other crossovers; identical lines (K/V cache of full and sliding) never cross each other.
    const kv = attentionCrossoversOf(points, 'kvCacheBytes', labels);
    expect(kv).toEqual([]);
    expect(attentionCrossoversOf(points, 'predictedSeconds', labels)).not.toEqual(flops);
    // Memory crossings listed for the table, on capacity metrics only.
    const mem = memoryCrossingsOf(points, 'activationBytes', 16e9, labels);
    expect(mem.map((m) => m.label)).toEqual(expect.arrayContaining(['full attention', 'sliding window 512']));
    expect(memoryCrossingsOf(points, 'flops', 16e9, labels)).toEqual([]);
  });

  it('has more distinct series styles than any chart draws series, in the shared stylesheet', () => {
    expect(SERIES_STYLE_COUNT).toBeGreaterThan(11);
    const styles = Array.from({ length: SERIES_STYLE_COUNT }, (_, i) => seriesStyle(i));
    expect(new Set(styles.map((st) => `${st.colour}|${st.dash}`)).size).toBe(SERIES_STYLE_COUNT);
    expect(seriesStyleClass(SERIES_STYLE_COUNT + 2)).toBe('series-style-2');
    for (let i = 0; i < SERIES_STYLE_COUNT; i++) expect(CHART_CSS).toContain(`path.series-style-${i},`);
    // Eleven variants (the lab's quick list) get eleven different styles.
    const eleven = Array.from({ length: 11 }, (_, i) => seqs.map((s) => ({ ...point('full', s), variant: `v${i}`, attentionFlops: (i + 1) * s * s })));
    const out = String(renderAttentionSweepChart({ points: eleven.flat(), metric: 'attentionFlops' }));
    expect(new Set(attrs(out, 'path', /^series /).map((p) => p.class)).size).toBe(11);
  });
});
