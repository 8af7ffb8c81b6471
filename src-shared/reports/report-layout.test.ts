// Reports carry what the page shows: each run kind's report opens with its summary, then its
// charts (drawn by the pages' chart functions), then the details; the run's facts and exact
// settings close it; nested sections are tables with named columns; chart labels are escaped.
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import type { Run } from '../api/types.js';
import { checkRunPayload } from '../runs/kinds/index.js';
import { customFit } from '../planner/fits.js';
import { makePlan } from '../planner/plan.js';
import { buildReport, type ReportBlock, type ReportModel } from './report.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { attentionResult, llmResult, profileResult, testContext, testRuns } from './test-runs.js';

const HOSTILE = '<img src=x onerror=alert(1)>&"\'';

/** The <svg> elements of an HTML text whose class list starts with `cls` and is not an empty chart. */
function charts(html: string, cls: string): string[] {
  return [...html.matchAll(/<svg\b[^>]*\bclass="([^"]*)"[^>]*>[\s\S]*?<\/svg>/g)].filter((m) => m[1]!.split(' ')[0] === cls && !m[1]!.includes('chart-empty')).map((m) => m[0]);
}

/** Every element name in a parsed HTML document (parse5), to prove no data became markup. */
function elementNames(html: string): Set<string> {
  const names = new Set<string>();
  const walk = (n: { nodeName: string; childNodes?: unknown[]; content?: unknown }) => {
    if (!n.nodeName.startsWith('#')) names.add(n.nodeName);
    for (const c of (n.childNodes ?? []) as Array<typeof n>) walk(c);
    if (n.content) walk(n.content as typeof n);
  };
  walk(parse(html) as unknown as { nodeName: string; childNodes: unknown[] });
  return names;
}

const ids = (m: ReportModel, i = 0) => m.runs[i]!.blocks.map((b) => b.id);
const block = (m: ReportModel, id: string, i = 0): ReportBlock | undefined => m.runs[i]!.blocks.find((b) => b.id === id);
const kvValue = (m: ReportModel, key: string) => {
  const s = block(m, 'summary');
  return s?.type === 'kv' ? s.rows.find((r) => r.key === key) : undefined;
};

/**
 * The layout every kind shares: the summary first (what, when, machine), the chart blocks right
 * after it (before the first detail block), the run's facts and settings after the last chart in
 * the HTML, and no flattened "[0]." key in any format.
 */
function expectLayout(m: ReportModel, firstDetail: string) {
  const list = ids(m);
  expect(list[0]).toBe('summary');
  const summary = block(m, 'summary');
  expect(summary?.type === 'kv' && summary.rows.slice(0, 3).map((r) => r.key)).toEqual(['what', 'when', 'machine']);
  expect(String(kvValue(m, 'machine')?.value)).toContain('testbox');
  const blocks = m.runs[0]!.blocks;
  const detail = list.indexOf(firstDetail);
  expect(detail, firstDetail).toBeGreaterThan(0);
  // Charts before the details (the energy section's power strip is part of the details).
  expect(blocks.findIndex((b) => b.type === 'charts')).toBeLessThan(detail);
  expect(blocks.slice(1, detail).every((b) => b.type === 'charts' || b.id.startsWith('charts') || b.type === 'table' || b.id === 'implausible')).toBe(true);
  const html = renderHtml(m);
  const section = html.slice(html.indexOf('<section class="run"'));
  const at = (needle: string) => section.indexOf(needle);
  expect(at('data-block="summary"')).toBeGreaterThan(0);
  expect(at('data-block="summary"')).toBeLessThan(at('<figure>'));
  expect(at('<figure>')).toBeLessThan(at(`data-block="${firstDetail}"`));
  expect(at(`data-block="${firstDetail}"`)).toBeLessThan(at('data-testid="run-header"'));
  for (const text of [html, renderMarkdown(m), renderCsv(m)]) expect(text).not.toMatch(/\[\d+\]\./);
  const md = renderMarkdown(m);
  expect(md.indexOf('#### Summary')).toBeLessThan(md.indexOf('#### Run and machine'));
  return html;
}

describe('each kind: the summary, then the charts, then the details', () => {
  it('plan: IsoFLOP, loss contour and frontier charts of its fit', () => {
    const r = testRuns();
    const m = buildReport([r.plan], testContext());
    const html = expectLayout(m, 'plan');
    expect(kvValue(m, 'what')?.value).toMatch(/^training plan: fit chinchilla-3/);
    expect(kvValue(m, 'loss')?.value).toBe((r.plan.result as { loss: number }).loss);
    expect(kvValue(m, 'computeFlops')?.display).toBe('10 ZFLOPs');
    for (const cls of ['isoflop-chart', 'loss-contour-chart', 'frontier-compare-chart']) expect(charts(html, cls), cls).toHaveLength(1);
    // The fit's label names the curves; the frontier chart has every built-in fit.
    expect(charts(html, 'isoflop-chart')[0]).toContain('Chinchilla Approach 3');
    expect(charts(html, 'frontier-compare-chart')[0]).toContain('Kaplan');
    // The inference-aware and data-constrained alternatives are labelled rows, not raw keys.
    const inf = block(buildReport([{ ...r.plan, result: makePlan({ fit: customFit('custom:9', 'mine', { kind: 'parametric', E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28 }, 'test'), budget: { kind: 'flops', flops: 1e22 }, inferenceTokens: 1e13 }) }], { ...testContext(), fits: [] }), 'inference');
    expect(inf?.type === 'kv' && inf.rows.find((x) => x.key === 'savedFraction')?.label).toBe('Compute saved');
  });

  it('plan with a custom fit: drawn when the report has the fit, a note when it does not', () => {
    const r = testRuns();
    const fit = customFit('custom:9', `mine ${HOSTILE}`, { kind: 'parametric', E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28 }, 'test');
    const plan: Run = { ...r.plan, result: makePlan({ fit, budget: { kind: 'flops', flops: 1e21 } }) };
    const without = buildReport([plan], testContext());
    expect(block(without, 'charts')).toMatchObject({ type: 'notes' });
    expect(renderHtml(without)).not.toContain('<figure>');
    const html = renderHtml(buildReport([plan], { ...testContext(), fits: [fit] }));
    for (const cls of ['isoflop-chart', 'loss-contour-chart', 'frontier-compare-chart']) expect(charts(html, cls), cls).toHaveLength(1);
    // The fit's label is in the charts' titles and legends, escaped.
    expect(html).not.toContain('<img');
    expect(charts(html, 'isoflop-chart')[0]).toContain('mine &lt;img src=x onerror=alert(1)&gt;&amp;');
    expect([...elementNames(html)].filter((n) => n === 'img')).toEqual([]);
  });

  it('attention: a curve per metric, the crossovers in a table beside the predicted-time chart, not as labels', () => {
    const r = testRuns();
    // GQA against a sliding window: the window is cheaper beyond about 640 tokens.
    const result = attentionResult(100_000, 'full,gqa:4,sliding:512', [128, 512, 2048, 8192]);
    const m = buildReport([{ ...r.attention, result }], testContext());
    const html = expectLayout(m, 'shape');
    const sweeps = charts(html, 'attention-sweep-chart');
    expect(sweeps.map((s) => /data-metric="(\w+)"/.exec(s)![1])).toEqual(['predictedSeconds', 'attentionFlops', 'activationBytes', 'kvCacheBytes']);
    // The crossovers are small markers on the predicted-time chart, never text labels piled in the plot.
    expect(sweeps[0]!.match(/<g class="crossover"/g)).toHaveLength(result.crossovers.length);
    for (const s of sweeps) expect(s).not.toMatch(/<text[^>]*class="crossover/);
    expect(result.crossovers.length).toBeGreaterThan(0);
    const first = block(m, 'charts');
    expect(first?.type === 'charts' && first.aside?.rows.map((x) => x.cells)).toEqual(result.crossovers.map((c) => [c.a, c.b, Math.round(c.seq)]));
    expect(html).toMatch(/<div class="with-aside"><div class="charts"><figure><svg[^>]*class="attention-sweep-chart"[\s\S]*?<aside><div class="block" data-block="crossovers">/);
    expect(kvValue(m, 'crossovers')?.value).toBe(result.crossovers.length);
    // The shape is labelled rows.
    const shape = block(m, 'shape');
    expect(shape?.type === 'kv' && shape.rows.map((x) => x.label)).toContain('K/V heads');
  });

  it('attention: hostile variant names are escaped in every curve and in the crossovers table', () => {
    const base = attentionResult(100_000, 'full,gqa:4,sliding:512', [128, 512, 2048, 8192]);
    const rename = (v: string) => (v === 'sliding:512' ? HOSTILE : v);
    const result = { ...base, variants: base.variants.map(rename), points: base.points.map((p) => ({ ...p, variant: rename(p.variant) })), crossovers: base.crossovers.map((c) => ({ ...c, a: rename(c.a), b: rename(c.b) })) };
    const html = renderHtml(buildReport([{ ...testRuns().attention, result }], testContext()));
    const sweeps = charts(html, 'attention-sweep-chart');
    expect(sweeps).toHaveLength(4);
    for (const s of sweeps) expect(s).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toMatch(/<aside><div class="block" data-block="crossovers">[\s\S]*?<td>&lt;img src=x onerror=alert\(1\)&gt;&amp;&quot;&#39;<\/td>/);
    expect(html).not.toContain('<img');
    expect(elementNames(html).has('img')).toBe(false);
  });

  it('profile: op share, the measured layers on the machine roofline, predicted vs measured', () => {
    const r = testRuns();
    // The bench run of the same machine in the report gives the roofline the layers sit on.
    const m = buildReport([r.profile, r.bench], testContext());
    const html = renderHtml(m);
    expectLayout(buildReport([r.profile], { ...testContext(), rooflines: { 'm-test-1': (r.bench.result as { roofline: never }).roofline } }), 'model');
    const section = html.slice(html.indexOf(`data-run-id="${r.profile.id}"`), html.indexOf(`data-run-id="${r.bench.id}"`));
    expect(charts(section, 'op-share-chart')).toHaveLength(1);
    const roofline = charts(section, 'roofline-chart');
    expect(roofline).toHaveLength(1);
    // fc1 and fc2 have a measured throughput; relu does not.
    expect(roofline[0]!.match(/class="extra-point"/g)).toHaveLength(2);
    expect(roofline[0]).toContain('fc1 (Gemm)');
    expect(kvValue(m, 'measured.latencyMs.median')?.display).toBe('0.125 ms');
    expect(kvValue(m, 'figures.energy')?.value).toBe('6 mJ/inference');
    // Without any benchmark of its machine: no roofline, and the report says why.
    const alone = buildReport([r.profile], testContext());
    expect(charts(renderHtml(alone), 'roofline-chart')).toHaveLength(0);
    expect(block(alone, 'charts.roofline')).toMatchObject({ type: 'notes' });
  });

  it('profile: the predicted-vs-measured chart with the check, hostile layer names escaped in every chart', () => {
    const base = profileResult();
    const name = `fc1 ${HOSTILE}`;
    const result = {
      ...base,
      nodes: base.nodes.map((n) => (n.name === 'fc1' ? { ...n, name, opType: `Gemm${HOSTILE}` } : n)),
      measured: { ...base.measured!, nodes: base.measured!.nodes.map((n) => (n.name === 'fc1' ? { ...n, name } : n)) },
      predicted: { latencyMs: 0.092, basis: 'best fp32 GEMM', measured: true },
      check: {
        predictedMs: 0.092,
        measuredMs: 0.125,
        latencyRatio: 1.36,
        closeTimeShare: 1,
        closeUnitShare: 1,
        unattributedMs: 0.001,
        unattributedShare: 0.01,
        byOpType: [],
        units: [
          { nodes: [name], opType: `Gemm${HOSTILE}`, predictedMs: 0.03, measuredMs: 0.04 },
          { nodes: ['fc2'], opType: 'MatMul', predictedMs: 0.06, measuredMs: 0.07 },
        ],
      },
    };
    const r = testRuns();
    const m = buildReport([{ ...r.profile, result }], { ...testContext(), rooflines: { 'm-test-1': (r.bench.result as { roofline: never }).roofline } });
    const html = expectLayout(m, 'model');
    expect(kvValue(m, 'check.latencyRatio')?.value).toBe(1.36);
    for (const cls of ['op-share-chart', 'roofline-chart', 'predicted-measured-chart']) {
      const [svg] = charts(html, cls);
      expect(svg, cls).toBeDefined();
      expect(svg, cls).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
    expect(html).not.toContain('<img');
    expect(elementNames(html).has('img')).toBe(false);
  });

  it('bench: roofline, peaks, bandwidth and latency charts; the GPU section as tables with named columns', () => {
    const r = testRuns();
    const m = buildReport([r.bench], testContext());
    const html = expectLayout(m, 'bench');
    for (const cls of ['roofline-chart', 'peaks-chart', 'bandwidth-chart', 'latency-chart']) expect(charts(html, cls), cls).toHaveLength(1);
    expect(kvValue(m, 'gemm.best.fp32')?.display).toBe('612.5 GFLOP/s');
    expect(kvValue(m, 'gpu.gemm.best')?.value).toBe(14250.5); // the fp16 GEMM failed its check
    const gemm = block(m, 'gpu.gemm');
    expect(gemm?.type === 'table' && gemm.columns.map((c) => c.label)).toEqual(['Kernel', 'Type', 'm', 'n', 'k', 'Median', 'Throughput', 'Verified', 'Max abs error', 'Tolerance', 'Entries checked']);
    expect(gemm?.type === 'table' && gemm.rows.map((x) => x.display[7])).toEqual(['yes', 'no']);
    const gpu = block(m, 'gpu');
    expect(gpu?.type === 'kv' && gpu.rows.find((x) => x.key === 'adapter.device')?.value).toBe('Test GPU 80GB');
    expect(block(m, 'gpu.warnings')).toMatchObject({ type: 'notes', items: ['fp16 naive kernel failed verification against the CPU'] });
    expect(html).toMatch(/<th>Max abs error<\/th>/);
    expect(html).not.toContain('maxAbsError');
    // A GPU that was not available: one line saying why.
    const off = buildReport([{ ...r.bench, result: { ...(r.bench.result as object), gpu: { available: false, reason: 'no WebGPU adapter', backend: 'webgpu-dawn' } } }], testContext());
    expect(block(off, 'gpu')).toMatchObject({ type: 'notes', items: ['Not run (webgpu-dawn): no WebGPU adapter.'] });
  });

  it('values out of their plausible range are said before the summary shows them', () => {
    const r = testRuns();
    const m = buildReport([{ ...r.bench, result: { ...(r.bench.result as object), elapsedSeconds: -1 } }], testContext());
    expect(ids(m).slice(0, 3)).toEqual(['implausible', 'summary', 'charts']);
  });

  it('bench: a hostile ceiling name is escaped in the roofline', () => {
    const r = testRuns();
    const result = structuredClone(r.bench.result) as { roofline: { ceilings: Array<{ name: string }> } };
    result.roofline.ceilings[0]!.name = HOSTILE;
    const html = renderHtml(buildReport([{ ...r.bench, result }], testContext()));
    expect(charts(html, 'roofline-chart')[0]).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(elementNames(html).has('img')).toBe(false);
  });

  it('llm: the decode chart with its measured points, then the memory and fit tables', () => {
    const r = testRuns();
    expect(checkRunPayload('llm', r.llm.params, r.llm.result, '')).toEqual([]);
    const m = buildReport([r.llm], testContext());
    const html = expectLayout(m, 'model');
    const [decode] = charts(html, 'llm-decode-chart');
    expect(decode).toContain('data-points="6"');
    expect(decode).toContain('data-measured="2"');
    expect(ids(m).slice(0, 4)).toEqual(['summary', 'charts', 'memory', 'fits']);
    const fits = block(m, 'fits');
    expect(fits?.type === 'table' && fits.rows.map((x) => x.cells[2])).toEqual([true, true, false]);
    expect(kvValue(m, 'decode.measured')?.display).toBe('22.8 tokens/s');
    expect(kvValue(m, 'fits')?.value).toBe('this machine, Test GPU 80GB');
    // A hostile device name in the caption and the fit table stays text.
    const hostile = { ...llmResult(), device: { name: HOSTILE, basis: 'x', measured: false } };
    const out = renderHtml(buildReport([{ ...r.llm, result: hostile }], testContext()));
    expect(out).not.toContain('<img');
    expect(elementNames(out).has('img')).toBe(false);
  });

  it('hardware: the peaks chart after the summary', () => {
    const m = buildReport([testRuns().hardware], testContext());
    const html = expectLayout(m, 'hardware');
    expect(charts(html, 'peaks-chart')).toHaveLength(1);
    expect(kvValue(m, 'peak.cpu')?.display).toBe('896.0 GFLOP/s');
  });

  it('kinds without blocks of their own and nested params: tables with named columns, no indexed keys', () => {
    const r = testRuns();
    const fit: Run = {
      ...r.fit,
      params: { name: 'mine', runs: [{ N: 1e8, D: 2e9, loss: 3.1 }, { N: 4e8, D: 8e9, loss: 2.8, flops: 1.9e19 }] },
      result: { law: { kind: 'parametric', E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28 }, residuals: [{ N: 1e8, D: 2e9, loss: 3.1, predicted: 3.08, logResidual: 0.0065 }], warnings: ['few runs'] },
    };
    const m = buildReport([fit], testContext());
    expect(ids(m)[0]).toBe('summary');
    const residuals = block(m, 'result.residuals');
    expect(residuals?.type === 'table' && residuals.columns.map((c) => c.label)).toEqual(['N', 'D', 'loss', 'predicted', 'logResidual']);
    const runs = m.runs[0]!.header.settingsTables[0]!;
    expect(runs.columns.map((c) => c.key)).toEqual(['N', 'D', 'loss', 'flops']);
    expect(runs.rows.map((x) => x.cells)).toEqual([[1e8, 2e9, 3.1, null], [4e8, 8e9, 2.8, 1.9e19]]);
    expect(m.runs[0]!.header.settings.map((s) => s.key)).toEqual(['name']);
    for (const text of [renderHtml(m), renderMarkdown(m), renderCsv(m)]) expect(text).not.toMatch(/\[\d+\]\./);
    expect(renderCsv(m)).toContain(`${fit.id},fit,settings.runs,2.flops,19000000000000000000,`);
  });

  it('comparisons still work beside the new layout', () => {
    const r = testRuns();
    const m = buildReport([r.plan, r.plan2, r.attention, r.attention2], testContext());
    expect(m.comparisons.map((c) => c.kind)).toEqual(['plan', 'attention']);
    const html = renderHtml(m);
    // Each run's charts, plus each comparison's runs' first charts side by side (2 each).
    expect(charts(html, 'isoflop-chart')).toHaveLength(2 + 2);
    expect(charts(html, 'attention-sweep-chart')).toHaveLength(8 + 2);
    expect(html.indexOf('section class="comparison"')).toBeLessThan(html.indexOf('section class="run"'));
  });
});
