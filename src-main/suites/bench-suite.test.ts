/**
 * The benchmark suite as a job, for real: a worker thread runs the kernels, the result is stored
 * as one run; a cancelled run stores nothing; kill -9 of the CLI mid-run leaves the database whole.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src-shared/api/bench.js';
import type { JobEvent } from '../../src-shared/api/types.js';
import { createBackend, createInProcessClient } from '../core/backend.js';
import { openDatabase } from '../store/database.js';
import { RunsRepo } from '../store/repos/runs-repo.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';
import { PACKAGE_ROOT } from '../cli/main.js';

describe('bench.start', () => {
  it('runs the GPU part in a worker and stores exactly one run (no adapter here: a stated reason)', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'b.db'), host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const job = await client.call('bench.start', { suite: 'gpu', quick: true });
    const end = await backend.jobs.wait(job.id);
    expect(end.type).toBe('result');
    if (end.type !== 'result') return;
    const result = end.result as BenchResult;
    expect(result.suite).toBe('gpu');
    expect(result.gpu?.available).toBe(false);
    expect(result.gpu && !result.gpu.available && result.gpu.reason).toMatch(/WebGPU/);
    const run = await client.call('runs.get', { id: end.runId! });
    expect(run).toMatchObject({ kind: 'bench', params: { suite: 'gpu', quick: true }, machineId: 'test-machine-0001' });
    await backend.close();
  });

  it('stores a GPU result measured by the page instead of running Dawn', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'p.db'), host: 'serve', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const gpuFromPage = { available: false as const, reason: 'no WebGPU adapter: navigator.gpu is undefined', backend: 'webgpu-browser' as const };
    const job = await client.call('bench.start', { suite: 'gpu', quick: true, gpuFromPage });
    const end = await backend.jobs.wait(job.id);
    expect(end.type === 'result' && (end.result as BenchResult).gpu).toEqual(gpuFromPage);
    const bad = await client.call('bench.start', { suite: 'gpu', gpuFromPage: { available: true, backend: 'webgpu-browser' } as never }).catch((e: unknown) => e);
    expect((bad as { code: string }).code).toBe('INVALID_REQUEST');
    await backend.close();
  });

  it('the gemm suite also stores the cost model\'s calibration, measured in a phase of its own', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'cal.db'), host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const job = await client.call('bench.start', { suite: 'gemm', quick: true, threads: 1 });
    const phases = new Set<string>();
    client.subscribe(job.id, (e) => {
      if (e.type === 'progress') phases.add(e.phase);
    });
    const end = await backend.jobs.wait(job.id);
    expect(end.type).toBe('result');
    if (end.type !== 'result') return;
    expect([...phases]).toEqual(expect.arrayContaining(['gemm', 'calibration']));
    const run = await client.call('runs.get', { id: end.runId! });
    const result = run.result as BenchResult;
    expect(result.calibration?.threads).toBe(1);
    expect(result.calibration?.gemm.length).toBeGreaterThan(10);
    expect(result.calibration?.conv.length).toBeGreaterThan(5);
    expect(result.energy?.phases.map((p) => p.phase)).toContain('calibration');
    await backend.close();
  }, 120_000);

  it('cancels a running memory benchmark promptly and stores nothing', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'c.db'), host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const job = await client.call('bench.start', { suite: 'memory', quick: true });
    const events: JobEvent[] = [];
    await new Promise<void>((resolve) =>
      client.subscribe(job.id, (e) => {
        events.push(e);
        if (e.type === 'progress') resolve();
      }),
    );
    const asked = Date.now();
    await client.call('jobs.cancel', { id: job.id });
    const end = await backend.jobs.wait(job.id);
    expect(end.type).toBe('cancelled');
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(events.filter((e) => ['result', 'error', 'cancelled'].includes(e.type))).toHaveLength(1);
    expect(await client.call('runs.list', { kind: 'bench' })).toEqual([]);
    // The queue is free again: the next job runs.
    const next = await client.call('bench.start', { suite: 'gpu', quick: true });
    expect((await backend.jobs.wait(next.id)).type).toBe('result');
    await backend.close();
  });

  it('cancels mid-GEMM without taking the process down (ONNX Runtime is never torn down mid-call)', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'g.db'), host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const job = await client.call('bench.start', { suite: 'gemm', quick: true });
    await new Promise<void>((resolve) => client.subscribe(job.id, (e) => e.type === 'progress' && resolve()));
    // Well inside a timed ONNX Runtime run (the delay that crashed an earlier, terminating design).
    await new Promise((r) => setTimeout(r, 1000));
    await client.call('jobs.cancel', { id: job.id });
    expect((await backend.jobs.wait(job.id)).type).toBe('cancelled');
    const next = await client.call('bench.start', { suite: 'gpu', quick: true });
    expect((await backend.jobs.wait(next.id)).type).toBe('result');
    expect(await client.call('runs.list', { kind: 'bench' })).toHaveLength(1);
    await backend.close();
  });

  it('kill -9 of `flopscope bench` mid-run leaves the database readable with earlier runs intact', async () => {
    const file = path.join(tempDir(), 'k.db');
    const seed = openDatabase(file);
    const earlier = new RunsRepo(seed).insert({ kind: 'hardware', machine: sampleReport(), appVersion: 'x', params: {}, result: { keep: 1 } });
    seed.close();
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'flopscope.js'), '--db', file, 'bench', 'memory', '--quick', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => c.toString().includes('"progress"') && resolve());
      child.on('exit', (code) => reject(new Error(`bench exited early (${code})`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    const db = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const runs = new RunsRepo(db);
    expect(runs.get(earlier)?.result).toEqual({ keep: 1 });
    expect(runs.list({ kind: 'bench' })).toEqual([]);
    db.close();
  });
});
