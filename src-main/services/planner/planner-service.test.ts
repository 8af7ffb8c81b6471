/**
 * The planner through the API (in-process door, real SQLite file): plans computed and stored,
 * "this machine" resolved from a detected catalog GPU, a stored benchmark or the theoretical CPU
 * peak, its power from the newest benchmark that recorded energy (the GEMM phase's watts), custom fits created from CSV text, listed and planned with, and bad input rejected with
 * INVALID_REQUEST naming the field.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, createInProcessClient, type Backend } from '../../core/backend.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { buildRoofline } from '../../../src-shared/bench/roofline.js';
import type { BenchResult } from '../../../src-shared/api/bench.js';
import type { EnergyReport } from '../../../src-shared/energy/types.js';
import { EPOCH_LAW } from '../../../src-shared/planner/fits.js';
import { syntheticRunsCsv } from '../../../src-shared/planner/synthetic-runs.js';
import { sampleReport, tempDir } from '../../testing/fixtures.js';

let backend: Backend | null = null;
afterEach(async () => {
  await backend?.close();
  backend = null;
});

function open(report = sampleReport()) {
  backend = createBackend({ dbPath: path.join(tempDir(), 'planner.db'), host: 'cli', detect: async () => report });
  return { b: backend, client: createInProcessClient(backend) };
}

/** A stored gemm benchmark whose energy report has a 'gemm' phase at `watts` average. */
function benchWithEnergy(fp32Gflops: number, watts: number, estimated: boolean): BenchResult {
  const energy: EnergyReport = {
    estimated,
    source: estimated ? 'estimated: catalog TDP × measured CPU utilisation' : 'powercap (RAPL)',
    durationSeconds: 12,
    joules: watts * 12,
    avgWatts: watts,
    peakWatts: watts * 1.2,
    samples: 120,
    intervalMs: 100,
    devices: [],
    phases: [
      { phase: 'gemm', startS: 0, endS: 10, joules: watts * 10, avgWatts: watts },
      { phase: 'memory: STREAM', startS: 10, endS: 12, joules: 20, avgWatts: 10 },
    ],
    series: [],
    unavailable: [],
    warnings: [],
    ...(estimated ? { estimateBasis: 'catalog TDP × measured CPU utilisation' } : {}),
  };
  const roofline = buildRoofline({ measuredCompute: { fp32: fp32Gflops }, measuredBandwidth: { DRAM: 20 } });
  return { suite: 'gemm', quick: true, threads: 2, elapsedSeconds: 12, warnings: [], roofline, energy };
}

async function failure(p: Promise<unknown>): Promise<ApiFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiFailure) return e;
    throw e;
  }
  throw new Error('expected an ApiFailure');
}

describe('planner API', () => {
  it('plan.compute answers without storing; plan.save stores the request and the plan as a run', async () => {
    const { b, client } = open();
    const request = { fit: 'chinchilla-2', budget: { kind: 'flops' as const, flops: 1e21 } };
    const plan = await client.call('plan.compute', request);
    expect(b.runs().list({})).toHaveLength(0);
    const saved = await client.call('plan.save', request);
    expect(saved.plan.params).toBe(plan.params);
    const run = b.runs().get(saved.runId)!;
    expect(run.kind).toBe('plan');
    expect(run.params).toEqual(request);
    expect((run.result as { tokens: number }).tokens).toBe(plan.tokens);
  });

  it('"this" is the CPU: theoretical peak first, the newest measured benchmark once stored', async () => {
    const { b, client } = open();
    const first = await client.call('planner.thisMachine', {});
    expect(first.device?.peakFlops).toBe(128e9);
    expect(first.note).toMatch(/theoretical/);
    expect(first.roofline).toBeUndefined();
    const roofline = buildRoofline({ measuredCompute: { fp32: 90 }, measuredBandwidth: { DRAM: 20 } });
    b.runs().insert({ kind: 'bench', machine: sampleReport(), appVersion: 't', params: {}, result: { suite: 'gemm', quick: true, threads: 2, elapsedSeconds: 1, warnings: [], roofline } });
    const second = await client.call('planner.thisMachine', {});
    expect(second.device?.peakFlops).toBe(90e9);
    expect(second.roofline).toEqual({ peakGflops: 90, bandwidthGBs: 20 });
    const plan = await client.call('plan.compute', { fit: 'epoch', budget: { kind: 'device-hours', device: 'this', hours: 24 } });
    expect(plan.computeFlops).toBeCloseTo(24 * 3600 * 90e9 * 0.4, -6);
    expect(plan.details.device?.name).toMatch(/this machine/);
  });

  it('"this" CPU with a calibrated benchmark: training-size products timed by the cost model, the profiler\'s', async () => {
    const { b, client } = open();
    const roofline = buildRoofline({ measuredCompute: { fp32: 200 }, measuredBandwidth: { DRAM: 20 } });
    // The best GEMM of the run was 200 GFLOP/s, but products of a training step's size (2048³) ran at 150.
    const calibration = { threads: 2, overheadUs: 4, method: 'test', conv: [], gemm: [{ batch: 1, m: 2048, n: 2048, k: 2048, gflops: 150, medianSeconds: 0.1 }, { batch: 1, m: 1, n: 768, k: 768, gflops: 8, medianSeconds: 0.001 }] };
    b.runs().insert({ kind: 'bench', machine: sampleReport(), appVersion: 't', params: {}, result: { suite: 'all', quick: true, threads: 2, elapsedSeconds: 1, warnings: [], roofline, gemm: { best: { fp32: 200 } }, memory: { sweep: [{ bytes: 1 << 20, GBs: 60 }], levels: [{ name: 'DRAM', GBs: 20 }], triadGBs: 20 }, calibration } });
    const t = await client.call('planner.thisMachine', {});
    // 2·2048³ FLOPs at 150 GFLOP/s plus the 4 µs kernel overhead.
    const seconds = (2 * 2048 ** 3) / 150e9 + 4e-6;
    expect(t.device?.peakFlops).toBeCloseTo((2 * 2048 ** 3) / seconds, -3);
    expect(t.device?.source).toMatch(/calibrated cost model: benchmark run \d+ of this machine/);
    expect(t.roofline).toEqual({ peakGflops: 200, bandwidthGBs: 20 });
  });

  it('"this" is a detected catalog GPU when there is one', async () => {
    const report = { ...sampleReport(), gpus: [{ vendor: 'NVIDIA', model: 'NVIDIA A100-SXM4-80GB', vramBytes: 80e9, driver: '550' }] };
    const { b, client } = open(report);
    // Even with a CPU benchmark's power stored, a catalog GPU's energy uses its TDP, like its peak.
    b.runs().insert({ kind: 'bench', machine: report, appVersion: 't', params: {}, result: benchWithEnergy(90, 55, false) });
    const t = await client.call('planner.thisMachine', {});
    expect(t.device?.name).toMatch(/A100 80GB SXM4/);
    expect(t.device?.dtype).toBe('bf16');
    expect(t.power).toMatchObject({ watts: 400, source: 'catalog TDP' });
  });

  it('"this" CPU power: none until a benchmark recorded energy, then the newest run’s GEMM-phase watts', async () => {
    const { b, client } = open();
    const before = await client.call('planner.thisMachine', {});
    expect(before.power).toBeNull();
    expect(before.powerNote).toBe("run a benchmark (flopscope bench gemm) to measure this machine's power");
    const noEnergy = await client.call('plan.compute', { fit: 'epoch', budget: { kind: 'device-hours', device: 'this', hours: 10 } });
    expect(noEnergy.energy).toBeNull();
    expect(noEnergy.energyUnavailable).toMatch(/run a benchmark \(flopscope bench gemm\)/);

    const insert = (result: unknown) => b.runs().insert({ kind: 'bench', machine: sampleReport(), appVersion: 't', params: {}, result });
    const measuredId = insert(benchWithEnergy(90, 60, false));
    // A newer run without energy (an older app, or --energy off) does not hide the measured one.
    insert({ suite: 'gemm', quick: true, threads: 2, elapsedSeconds: 1, warnings: [], roofline: buildRoofline({ measuredCompute: { fp32: 90 }, measuredBandwidth: { DRAM: 20 } }) });
    const t = await client.call('planner.thisMachine', {});
    expect(t.power).toMatchObject({ watts: 60, source: 'measured', runId: measuredId });
    expect(t.powerNote).toMatch(new RegExp(`GEMM phase of benchmark run #${measuredId}, measured by powercap`));
    expect(t.device?.power).toMatchObject({ watts: 60, source: 'measured' });

    const plan = await client.call('plan.compute', { fit: 'epoch', budget: { kind: 'device-hours', device: 'this', hours: 10 }, pue: 1, gridGPerKwh: 100 });
    // 10 h × 60 W = 0.6 kWh at PUE 1; 0.06 kg CO₂ at 100 g/kWh; FLOP/J = 90e9 × 0.4 / 60.
    expect(plan.energy?.kwh).toBeCloseTo(0.6, 9);
    expect(plan.energy?.co2Kg).toBeCloseTo(0.06, 9);
    expect(plan.energy?.flopsPerJoule).toBeCloseTo(6e8, 0);
    expect(plan.energy?.wattsSource).toBe('measured');
    expect(plan.energy?.wattsRunId).toBe(measuredId);

    // A newer estimated run wins and is labelled as such.
    const estimatedId = insert(benchWithEnergy(90, 45, true));
    const est = await client.call('planner.thisMachine', {});
    expect(est.power).toMatchObject({ watts: 45, source: 'estimated', runId: estimatedId });
    expect(est.powerNote).toMatch(/estimated \(catalog TDP × measured CPU utilisation\)/);
  });

  it('plan.compute rejects a bad PUE or grid intensity naming the field', async () => {
    const { client } = open();
    const pue = await failure(client.call('plan.compute', { fit: 'epoch', budget: { kind: 'device-hours', device: 'NVIDIA H100 SXM5 80GB', hours: 10 }, pue: 0.5 }));
    expect(pue.code).toBe('INVALID_REQUEST');
    expect(pue.message).toMatch(/^pue: must be at least 1/);
    const grid = await failure(client.call('plan.compute', { fit: 'epoch', budget: { kind: 'flops', flops: 1e21 }, gridGPerKwh: 1e4 }));
    expect(grid.message).toMatch(/^grid-g-per-kwh: must be at most 2000/);
  });

  it('fits.create fits a CSV, stores it, lists it and plans with it', async () => {
    const { b, client } = open();
    const fit = await client.call('fits.create', { name: 'mine', csv: syntheticRunsCsv(EPOCH_LAW, 80), bootstrap: 30 });
    expect(fit.id).toBe(`custom:${fit.runId}`);
    expect(b.runs().get(fit.runId!)?.kind).toBe('fit');
    const list = await client.call('fits.list', {});
    expect(list.filter((f) => f.builtin).map((f) => f.id)).toEqual(['chinchilla-1', 'chinchilla-2', 'chinchilla-3', 'epoch', 'kaplan']);
    expect(list.find((f) => f.id === fit.id)?.fitted?.nRuns).toBe(80);
    const plan = await client.call('plan.compute', { fit: fit.id, budget: { kind: 'flops', flops: 1e21 } });
    expect(plan.fit).toBe(fit.id);
    // Deleting the run removes the fit; planning with it then names the fit.
    await client.call('runs.delete', { id: fit.runId! });
    const gone = await failure(client.call('plan.compute', { fit: fit.id, budget: { kind: 'flops', flops: 1e21 } }));
    expect(gone.code).toBe('INVALID_REQUEST');
    expect(gone.message).toMatch(/fit: unknown fit "custom:/);
  });

  it.each([
    [{ fit: 'chinchilla-3', budget: { kind: 'flops', flops: 0 } }, /compute: must be greater than 0/],
    [{ fit: 'chinchilla-3', budget: { kind: 'device-hours', device: 'Quantum Potato', hours: 5 } }, /device: unknown device/],
    [{ fit: 'chinchilla-3', budget: { kind: 'money', device: 'NVIDIA H100 SXM5 80GB', usd: 100, usdPerHour: -2 } }, /usd-per-hour: must be greater than 0/],
    [{ fit: 'chinchilla-3', budget: { kind: 'flops', flops: '1e22' } }, /budget.flops/],
    [{ fit: 'nope', params: 7e9 }, /fit: unknown fit "nope"/],
  ])('plan.compute %j is INVALID_REQUEST naming the field', async (request, message) => {
    const { client } = open();
    const e = await failure(client.call('plan.compute', request as never));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['params,tokens\n1e9,2e10\n', /missing column "loss"/],
    ['', /empty/],
    ['params,tokens,loss\n1e9,2e10,2.5\n', /at least 10 runs/],
    [syntheticRunsCsv(EPOCH_LAW, 12).replace('\n', '\n1e9,2e10,wat\n'), /"wat" is not a number/],
  ])('fits.create rejects a bad CSV naming the problem (%#)', async (csv, message) => {
    const { b, client } = open();
    const e = await failure(client.call('fits.create', { name: 'bad', csv }));
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(message);
    expect(b.runs().list({ kind: 'fit' })).toHaveLength(0);
  });
});
