/**
 * The run schemas (src-shared/runs/schemas.ts) against what the app really stores: runs of every
 * kind made through the API on this machine (real hardware probe, real benchmark kernels, ONNX
 * Runtime for the measured kinds) pass, so an export of them imports; and the hostile results of
 * the issue fail with issues that name the field.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../src-shared/api/types.js';
import { checkRunPayload, hardwareReportSchema, RUN_KIND_SCHEMAS } from '../../../src-shared/runs/schemas.js';
import { implausibleNotes } from '../../../src-shared/runs/plausibility.js';
import { testRuns } from '../../../src-shared/reports/test-runs.js';
import { EPOCH_LAW } from '../../../src-shared/planner/fits.js';
import { syntheticRunsCsv } from '../../../src-shared/planner/synthetic-runs.js';
import { createBackend, createInProcessClient } from '../../core/backend.js';
import { tempDir } from '../../testing/fixtures.js';
import { exportBundle } from './bundles.js';

describe('run schemas', () => {
  it('accept real runs of every kind made through the API on this machine, none of their numbers implausible', { timeout: 240_000 }, async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'real.db'), host: 'cli' });
    const c = createInProcessClient(backend);
    const done = async (job: JobInfo) => {
      const end = await backend.jobs.wait(job.id);
      expect(end.type, JSON.stringify(end)).toBe('result');
    };
    try {
      await c.call('hardware.detect', { save: true });
      await done(await c.call('bench.start', { suite: 'all', quick: true }));
      await done(await c.call('profile.start', { source: { zoo: 'mlp' }, run: true }));
      await done(await c.call('profile.start', { source: { zoo: 'resnet18' }, quantize: true, prune: { method: '2:4' } }));
      await c.call('plan.save', { fit: 'chinchilla-3', budget: { kind: 'flops', flops: 1e22 } });
      await c.call('plan.save', { fit: 'chinchilla-3', params: 7e9, inferenceTokens: 1e12, uniqueTokens: 1e11 });
      await c.call('plan.save', { fit: 'epoch', budget: { kind: 'device-hours', device: 'NVIDIA H100 SXM5 80GB', hours: 100, count: 8 } });
      await c.call('plan.save', { fit: 'kaplan', budget: { kind: 'flops', flops: 1e20 }, device: 'this' });
      await c.call('fits.create', { name: 'no bootstrap', csv: syntheticRunsCsv(EPOCH_LAW, 20), bootstrap: 0 });
      await c.call('fits.create', { name: 'bootstrapped', csv: syntheticRunsCsv(EPOCH_LAW, 20), bootstrap: 20 });
      await done(await c.call('lesson.linreg.start', { n: 2000, d: 8 }));
      await c.call('attention.sweep', { shape: { dModel: 256, heads: 4 }, variants: 'full,causal,sliding:128,linear,flash', seqs: [256, 1024, 4096], store: true });
      await done(await c.call('attention.measure', { shape: { dModel: 128, heads: 2, layers: 1, batch: 1 }, variants: 'full,sliding:64', seqs: [128, 256] }));

      const bundle = exportBundle(backend.db());
      expect(new Set(bundle.runs.map((r) => r.kind))).toEqual(new Set(['hardware', 'bench', 'profile', 'plan', 'fit', 'lesson', 'attention']));
      for (const [i, run] of bundle.runs.entries()) {
        // Through JSON, as a bundle file carries them (non-finite numbers become null).
        const { params, result } = JSON.parse(JSON.stringify({ params: run.params, result: run.result })) as { params: unknown; result: unknown };
        expect(checkRunPayload(run.kind, params, result, `runs.${i}.`), run.kind).toEqual([]);
        // Nor is any of its numbers outside the plausible ranges the pages warn about.
        expect(implausibleNotes(run.kind, result), run.kind).toEqual([]);
      }
      for (const m of bundle.machines) expect(hardwareReportSchema.safeParse(JSON.parse(JSON.stringify(m))).error?.issues ?? []).toEqual([]);
    } finally {
      await backend.close();
    }
  });

  it('accept the report fixtures of bench, profile, plan, attention and hardware', () => {
    const runs = testRuns();
    for (const [key, run] of Object.entries(runs)) {
      if (run.kind === 'fit') continue; // the report fixture's fit is a sketch, not a FittedLaw
      expect(checkRunPayload(run.kind, JSON.parse(JSON.stringify(run.params ?? null)), JSON.parse(JSON.stringify(run.result)), ''), key).toEqual([]);
    }
  });

  it('refuse the hostile results of the issue, naming the field', () => {
    expect(checkRunPayload('fit', { name: 'x' }, { name: 'x' }, 'runs.0.')).toEqual(expect.arrayContaining(['runs.0.result.law: missing (expected an object)', expect.stringMatching(/^runs\.0\.params\.runs: /)]));
    expect(RUN_KIND_SCHEMAS.fit.result.safeParse({ name: 'x' }).success).toBe(false);
    const machine = hardwareReportSchema.safeParse({ machine: { id: 'm', hostname: 'h' } });
    expect(machine.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['machine.os', 'cpu', 'memory', 'gpus', 'peaks', 'warnings']));
    expect(checkRunPayload('bench', {}, { suite: 'all', quick: true, threads: 1, warnings: [], elapsedSeconds: '1' }, '')).toEqual(['result.elapsedSeconds: expected a number, got string']);
  });
});
