// A 'profile' run with the cost model's prediction: its schema accepts the new optional fields (and
// runs from before them), and its report has the predicted latency with its basis, and for a
// measured run the check (ratio, close time share, unattributed time, per op class, the slowest
// kernels with fused groups as one row) and the predicted-against-measured chart, escaped.
import { describe, expect, it } from 'vitest';
import { checkRunPayload } from '../runs/kinds/index.js';
import type { ProfileResult } from '../profiler/types.js';
import type { ReportBlock, ReportModel } from './report.js';
import { buildReport } from './report.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { profileResult, testContext, testRuns } from './test-runs.js';

const blocks = (m: ReportModel, i = 0) => m.runs[i]!.blocks;
const find = (bs: ReportBlock[], id: string) => bs.find((b) => b.id === id);
const kv = (bs: ReportBlock[], id: string, key: string) => {
  const b = find(bs, id);
  return b?.type === 'kv' ? b.rows.find((r) => r.key === key) : undefined;
};

/** The test profile as a count-only run with a prediction on every node. */
function predicted(measured = false): ProfileResult {
  const base = profileResult();
  return {
    ...base,
    nodes: base.nodes.map((n, i) => ({ ...n, predictedMs: [0.05, 0.002, 0.04][i]! })),
    predicted: { latencyMs: 0.092, basis: 'testbox bench #3: best fp32 GEMM 612 GFLOP/s', measured, factors: { Gemm: 1.1 } },
    measured: undefined,
  };
}

/** The same, run: fc1 + relu fused into one kernel, fc2 on its own, a little unattributed time. */
function checked(hostileOp = 'MatMul'): ProfileResult {
  const r = predicted(true);
  return {
    ...r,
    nodes: r.nodes.map((n) => (n.name === 'fc2' ? { ...n, opType: hostileOp } : n)),
    measured: {
      latencyMs: { median: 0.125, p90: 0.2, runs: 50 },
      threads: 4,
      nodes: [
        { name: 'fc1', ms: 0.06, achievedGflops: 0.27 },
        { name: 'relu', ms: 0.0024, achievedGflops: null },
        { name: 'fc2', ms: 0.05, achievedGflops: 0.66 },
      ],
      unmapped: [{ name: 'mystery', ms: 0.001 }],
      groups: [{ kernel: 'fused fc1', opType: 'FusedGemm', how: 'fused', members: ['fc1', 'relu'], ms: 0.0624, split: true }],
    },
    check: {
      latencyRatio: 0.125 / 0.092,
      predictedMs: 0.092,
      measuredMs: 0.125,
      units: [
        { nodes: ['relu', 'fc1'], opType: 'Gemm', predictedMs: 0.052, measuredMs: 0.0624 }, // shown in graph order
        { nodes: ['fc2'], opType: hostileOp, predictedMs: 0.04, measuredMs: 0.05 },
      ],
      closeUnitShare: 1,
      closeTimeShare: 1,
      byOpType: [
        { opType: 'Gemm', measuredMs: 0.0624, predictedMs: 0.052, ratio: 1.2, units: 1 },
        { opType: hostileOp, measuredMs: 0.05, predictedMs: 0.04, ratio: 1.25, units: 1 },
      ],
      unattributedMs: 0.001,
      unattributedShare: 0.001 / 0.1134,
    },
  };
}

const run = (result: ProfileResult) => ({ ...testRuns().profile, result });
const stored = (result: ProfileResult) => JSON.parse(JSON.stringify(result)) as unknown;

describe('profile runs with predictions', () => {
  it('the schema accepts the prediction fields, a null ratio, and runs from before them', () => {
    expect(checkRunPayload('profile', null, stored(predicted()), '')).toEqual([]);
    expect(checkRunPayload('profile', null, stored(checked()), '')).toEqual([]);
    // Measured nodes as the profiler writes them: the kernels they share and a split flag.
    const withKernels = stored(checked()) as { measured: { nodes: Array<Record<string, unknown>> } };
    Object.assign(withKernels.measured.nodes[0]!, { kernels: ['fused fc1'], split: true });
    expect(checkRunPayload('profile', null, withKernels, '')).toEqual([]);
    const nan = checked();
    nan.check!.latencyRatio = Number.NaN; // stored as null
    expect(checkRunPayload('profile', null, stored(nan), '')).toEqual([]);
    expect(checkRunPayload('profile', null, stored(profileResult()), '')).toEqual([]);
    const bad = stored(checked()) as { check: { units: unknown } };
    bad.check.units = 'many';
    expect(checkRunPayload('profile', null, bad, '').join('\n')).toContain('check.units');
  });

  it('a count-only run: the predicted latency, its basis, and whether the cost model was measured', () => {
    const bs = blocks(buildReport([run(predicted(false))], testContext()));
    expect(find(bs, 'predicted')?.title).toBe('Predicted (cost model of this machine)');
    expect(kv(bs, 'predicted', 'predicted.latencyMs')).toMatchObject({ value: 0.092, display: '0.092 ms' });
    expect(kv(bs, 'predicted', 'predicted.basis')?.value).toContain('best fp32 GEMM');
    expect(String(kv(bs, 'predicted', 'predicted.measured')?.value)).toContain('theoretical peaks');
    expect(kv(bs, 'predicted', 'check.latencyRatio')).toBeUndefined();
    expect(find(bs, 'check.chart')).toBeUndefined();
  });

  it('a measured run: the check summary, per op class, the slowest kernels and the chart', () => {
    const bs = blocks(buildReport([run(checked())], testContext()));
    expect(find(bs, 'predicted')?.title).toBe('Predicted vs measured');
    expect(kv(bs, 'predicted', 'check.latencyRatio')?.value).toBe(1.36);
    expect(kv(bs, 'predicted', 'check.closeTimeShare')?.value).toBe(100);
    expect(kv(bs, 'predicted', 'check.unattributedMs')?.value).toBe(0.001);
    const byOp = find(bs, 'check.byOpType');
    expect(byOp?.type === 'table' && byOp.rows.map((r) => r.cells[0])).toEqual(['Gemm', 'MatMul']);
    const units = find(bs, 'check.units');
    expect(units?.type === 'table' && units.rows[0]!.cells[0]).toBe('fused: fc1 + relu');
    const chart = find(bs, 'check.chart');
    expect(chart?.type === 'charts' && String(chart.charts[0]!.svg)).toContain('class="predicted-measured-chart"');
    // The measured block is still there, after the prediction.
    expect(bs.findIndex((b) => b.id === 'predicted')).toBeLessThan(bs.findIndex((b) => b.id === 'measured'));
  });

  it('runs from before predictions get no prediction blocks', () => {
    const bs = blocks(buildReport([testRuns().profile], testContext()));
    expect(find(bs, 'predicted')).toBeUndefined();
    expect(find(bs, 'measured')).toBeDefined();
  });

  it('escapes a hostile op type in the tables and the chart', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const model = buildReport([run(checked(hostile))], testContext());
    const html = renderHtml(model);
    expect(html).not.toContain(hostile);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(renderMarkdown(model)).not.toContain('<img');
  });
});
