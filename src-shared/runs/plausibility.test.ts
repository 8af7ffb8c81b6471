import { describe, expect, it } from 'vitest';
import type { Run } from '../api/types.js';
import { buildReport } from '../reports/report.js';
import { renderMarkdown } from '../reports/render-markdown.js';
import { benchResultWithEnergy, testContext, testRuns } from '../reports/test-runs.js';
import { implausibleNotes, implausibleValues } from './plausibility.js';

describe('plausible ranges', () => {
  it('find nothing to flag in the report fixtures of every kind', () => {
    for (const [key, run] of Object.entries(testRuns())) expect(implausibleValues(run.kind, run.result), key).toEqual([]);
  });

  it('flag the issue\'s imported values: a negative time, 1e307 J, a plan of 2.8e301 kWh', () => {
    const runs = testRuns();
    const bench = { ...benchResultWithEnergy(1, 'measured'), elapsedSeconds: -1 };
    bench.energy = { ...bench.energy!, joules: 1e307 };
    expect(implausibleValues('bench', bench).map((v) => v.path)).toEqual(['elapsedSeconds', 'energy.joules']);
    const plan = { ...(runs.plan.result as Record<string, unknown>), energy: { ...((runs.plan.result as { energy: object }).energy ?? {}), kwh: 2.8e301 } };
    expect(implausibleNotes('plan', plan)).toEqual([expect.stringMatching(/^energy\.kwh is 2\.80e\+301 kWh: outside the range of a training run's energy/)]);
    expect(implausibleValues('bench', { gemm: { results: [{ gflops: 1 }, { gflops: -5 }] } }).map((v) => v.path)).toEqual(['gemm.results.1.gflops']);
    expect(implausibleValues('lesson', 'not an object')).toEqual([]);
  });

  it('puts them first in a run\'s report, so a report never shows them as measurements', () => {
    const run: Run = { ...testRuns().bench, result: { ...benchResultWithEnergy(1, 'measured'), elapsedSeconds: -1 } };
    const model = buildReport([run], testContext());
    expect(model.runs[0]!.blocks[0]).toMatchObject({ type: 'notes', id: 'implausible', items: [expect.stringMatching(/^elapsedSeconds is -1 s/)] });
    expect(renderMarkdown(model)).toMatch(/Values outside their plausible range[\s\S]*elapsedSeconds is -1 s/);
  });
});
