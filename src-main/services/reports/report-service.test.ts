// The report context the service builds from the store: a model run's machine's latest benchmark
// roofline (its layers on it in the report) and the stored custom fits when a plan uses one.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Run } from '../../../src-shared/api/types.js';
import { buildReport } from '../../../src-shared/reports/report.js';
import { renderHtml } from '../../../src-shared/reports/render-html.js';
import { benchResult, profileResult } from '../../../src-shared/reports/test-runs.js';
import { customFit } from '../../../src-shared/planner/fits.js';
import { makePlan } from '../../../src-shared/planner/plan.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';
import { openDatabase } from '../../store/database.js';
import { RunsRepo } from '../../store/repos/runs-repo.js';
import { loadRuns, reportContext } from './report-service.js';

describe('reportContext', () => {
  it("gives a profile its machine's latest benchmark roofline, and a custom-fit plan its fit", () => {
    const db = openDatabase(path.join(tempDir(), 'r.db'));
    const runs = new RunsRepo(db);
    const machine = sampleReport('m-a', 'alpha');
    const old = benchResult(0.5);
    const latest = benchResult(1);
    runs.insert({ kind: 'bench', machine, appVersion: 'x', params: {}, result: old, createdAt: '2026-01-01T00:00:00.000Z' });
    runs.insert({ kind: 'bench', machine, appVersion: 'x', params: {}, result: latest, createdAt: '2026-02-01T00:00:00.000Z' });
    // Another machine's newer benchmark is not this machine's roofline.
    runs.insert({ kind: 'bench', machine: sampleReport('m-b', 'beta'), appVersion: 'x', params: {}, result: benchResult(3), createdAt: '2026-03-01T00:00:00.000Z' });
    const profile = runs.insert({ kind: 'profile', machine, appVersion: 'x', params: {}, result: profileResult(), createdAt: '2026-02-02T00:00:00.000Z' });
    const fitId = runs.insert({
      kind: 'fit',
      machine,
      appVersion: 'x',
      params: { name: 'mine', runs: [{ N: 1e8, D: 2e9, loss: 3.1 }] },
      result: {
        law: { kind: 'parametric', E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28 },
        objective: 0.01,
        nRuns: 1,
        huberDelta: 0.001,
        starts: 1,
        topK: 1,
        bootstrap: { samples: 0, ci: { E: [null, null], A: [null, null], B: [null, null], alpha: [null, null], beta: [null, null] } },
        residuals: [],
        rmseLog: 0.01,
        frontierExponents: { a: 0.45, b: 0.55, ci: { a: [null, null], b: [null, null] } },
        warnings: [],
      },
    });
    const fit = customFit(`custom:${fitId}`, 'mine', { kind: 'parametric', E: 1.7, A: 400, B: 410, alpha: 0.34, beta: 0.28 }, 'test');
    const plan = runs.insert({ kind: 'plan', machine, appVersion: 'x', params: { fit: fit.id }, result: makePlan({ fit, budget: { kind: 'flops', flops: 1e21 } }) });

    const loaded: Run[] = loadRuns(runs, [profile]);
    const context = reportContext(db, loaded, '0.1.0', null);
    expect(context.rooflines?.['m-a']).toEqual(latest.roofline);
    expect(context.fits).toBeUndefined();
    expect(renderHtml(buildReport(loaded, context))).toMatch(/<svg class="roofline-chart"[\s\S]*?class="extra-point"/);

    const withPlan = loadRuns(runs, [plan]);
    const planContext = reportContext(db, withPlan, '0.1.0', null);
    expect(planContext.fits?.map((f) => f.id)).toContain(fit.id);
    expect(renderHtml(buildReport(withPlan, planContext))).toContain('class="isoflop-chart"');
    db.close();
  });
});
