/**
 * The prediction a profile carries (through the API, on a real store and real ORT runs): present
 * with and without a measured run; theoretical and labelled with no benchmark stored; resting on
 * the stored benchmark once there is one; a measured run checked against it per kernel; and the
 * op-class refinement fitted on other models' measured profiles only.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src-shared/api/bench.js';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import { createBackend, createInProcessClient } from '../core/backend.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';

const bench: BenchResult = {
  suite: 'all', quick: true, threads: 1, warnings: [], elapsedSeconds: 1,
  gemm: { results: [], best: { fp32: 50 }, unsupported: [] },
  memory: { threads: 1, arrayBytes: 1 << 26, copyGBs: 10, scaleGBs: 10, addGBs: 10, triadGBs: 10, levels: [{ name: 'DRAM', bytes: 1 << 30, GBs: 10 }], sweep: [{ bytes: 1 << 15, GBs: 80 }, { bytes: 1 << 30, GBs: 10 }] },
  roofline: {
    ceilings: [
      { kind: 'compute', name: 'fp32', value: 50, source: 'measured', how: 'test' },
      { kind: 'compute', name: 'int8', value: 200, source: 'measured', how: 'test' },
      { kind: 'bandwidth', name: 'DRAM', value: 10, source: 'measured', how: 'test' },
    ],
    ridge: null,
  },
};

describe('profile predictions', () => {
  it('predicts before any run, on the stored benchmark, and checks a measured run against it held out', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'p.db'), host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const profile = async (zoo: string, run: boolean): Promise<ProfileResult> => {
      const job = await client.call('profile.start', { source: { zoo, options: zoo === 'squeezenet1.1' ? { resolution: 64 } : {} }, run, threads: 1 });
      const end = await backend.jobs.wait(job.id);
      if (end.type !== 'result') throw new Error(JSON.stringify(end));
      return end.result as ProfileResult;
    };

    const none = await profile('mlp', false);
    expect(none.predicted).toMatchObject({ measured: false });
    expect(none.predicted!.basis).toMatch(/no benchmark stored/);
    expect(none.predicted!.latencyMs).toBeGreaterThan(0);
    for (const n of none.nodes) expect(n.predictedMs).toBeGreaterThanOrEqual(0);

    backend.runs().insert({ kind: 'bench', machine: sampleReport(), appVersion: 'test', params: {}, result: bench });
    const counted = await profile('squeezenet1.1', false);
    expect(counted.predicted).toMatchObject({ measured: true });
    expect(counted.predicted!.basis).toMatch(/benchmark run \d+ of this machine/);
    expect(counted.check).toBeUndefined();
    const sum = counted.nodes.reduce((a, n) => a + (n.predictedMs ?? 0), 0);
    expect(counted.predicted!.latencyMs).toBeCloseTo(sum, 9);

    const measured = await profile('squeezenet1.1', true);
    expect(measured.check).toBeDefined();
    expect(measured.check!.unattributedShare).toBeLessThan(0.02);
    expect(measured.check!.predictedMs).toBeCloseTo(measured.predicted!.latencyMs, 9);
    expect(measured.check!.units.reduce((a, u) => a + u.measuredMs, 0)).toBeGreaterThan(0);
    // Its own measured profile never refines its own prediction; another model's does.
    const again = await profile('squeezenet1.1', false);
    expect(again.predicted!.basis).not.toMatch(/op-class factors/);
    // The quantization what-if's speed-ups are the same cost model's prediction before and after.
    const qjob = await client.call('profile.start', { source: { zoo: 'mlp' }, quantize: true, store: false });
    const qend = await backend.jobs.wait(qjob.id);
    if (qend.type !== 'result') throw new Error(JSON.stringify(qend));
    const q = qend.result as ProfileResult;
    const speedups = (q.whatifs!.quantize as { speedups: Array<{ format: string; speedup: number; layers: Array<{ name: string; before: number; basis: string }> }> }).speedups;
    const int8 = speedups.find((x) => x.format === 'int8')!;
    expect(int8.layers.every((l) => l.basis === 'cost model')).toBe(true);
    for (const l of int8.layers) expect(l.before * 1000).toBeCloseTo(q.nodes.find((n) => n.name === l.name)!.predictedMs!, 9);
    expect(int8.speedup).toBeGreaterThan(1);
    const other = await profile('mobilenet-v1', false);
    expect(other.predicted!.factors).toBeDefined();
    expect(other.predicted!.basis).toMatch(/measured profiles of 1 other model/);
    await backend.close();
  });
});
