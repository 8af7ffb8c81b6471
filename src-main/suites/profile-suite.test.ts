/**
 * Profiling through the API and the real CLI: zoo and file sources, stored runs, measured runs
 * mapped to graph nodes, Chrome trace export, and clear errors for bad models and flags.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileResult } from '../../src-shared/profiler/types.js';
import { createBackend, createInProcessClient } from '../core/backend.js';
import { PACKAGE_ROOT } from '../cli/main.js';
import { exportZooModel } from '../services/zoo/zoo.js';
import { sampleReport, tempDir } from '../testing/fixtures.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'flopscope.js');
const cli = (args: string[], db = path.join(tempDir(), 'p.db')) => {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('profile.start', () => {
  it('profiles a zoo model, runs it, and stores one profile run whose measured nodes are graph nodes', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'z.db'), host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const job = await client.call('profile.start', { source: { zoo: 'squeezenet1.1', options: { resolution: 96 } }, run: true, threads: 1 });
    const end = await backend.jobs.wait(job.id);
    expect(end.type, JSON.stringify(end)).toBe('result');
    if (end.type !== 'result') return;
    const profile = end.result as ProfileResult;
    // torchvision's squeezenet1_1 has 1,235,496 parameters (its documentation).
    expect(profile.totals.params).toBe(1_235_496);
    expect(profile.model.dims).toEqual({ batch: 1 });
    const graphNodes = new Set(profile.nodes.map((n) => n.name));
    expect(profile.measured!.nodes.length).toBeGreaterThan(10);
    for (const n of profile.measured!.nodes) expect(graphNodes.has(n.name), n.name).toBe(true);
    expect(profile.measured!.latencyMs.median).toBeGreaterThan(0);
    const run = await client.call('runs.get', { id: end.runId! });
    expect(run).toMatchObject({ kind: 'profile', params: { source: { zoo: 'squeezenet1.1' }, run: true } });
    // Scratch profiles (store: false) leave no run behind.
    const scratch = await client.call('profile.start', { source: { zoo: 'mlp' }, store: false });
    const scratchEnd = await backend.jobs.wait(scratch.id);
    expect(scratchEnd).toMatchObject({ type: 'result', runId: null });
    expect(await client.call('runs.list', { kind: 'profile' })).toHaveLength(1);
    await backend.close();
  });
});

describe('an uploaded file that is not ONNX', () => {
  it('is refused at profile with an error naming the file the user chose, never the temp file', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'u.db'), host: 'cli', detect: async () => sampleReport() });
    try {
      const client = createInProcessClient(backend);
      // A CSV renamed .onnx.
      const up = await backend.uploads.receive('bad.onnx', Buffer.from('name,flops\nconv1,118013952\nfc,512000\n'));
      const temp = path.basename(backend.uploads.get(up.uploadId).file);
      expect(temp).not.toBe('bad.onnx');
      const job = await client.call('profile.start', { source: { upload: up.uploadId }, run: false });
      const end = await backend.jobs.wait(job.id);
      expect(end.type).toBe('error');
      if (end.type !== 'error') return;
      expect(end.error.code).toBe('INVALID_REQUEST');
      expect(end.error.message).toBe('bad.onnx is not an ONNX model (it looks like a text file)');
      expect(end.error.message).not.toContain(up.uploadId);
      expect(end.error.message).not.toContain(temp);
    } finally {
      await backend.close();
    }
  });
});

describe('a what-if run', () => {
  it('is stored with the what-if it tried and the measured run it was asked from (parentRunId)', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'w.db'), host: 'cli', detect: async () => sampleReport() });
    try {
      const client = createInProcessClient(backend);
      const finish = async (req: Parameters<typeof client.call<'profile.start'>>[1]) => {
        const job = await client.call('profile.start', req);
        const end = await backend.jobs.wait(job.id);
        expect(end.type, JSON.stringify(end)).toBe('result');
        return end.type === 'result' ? end.runId! : -1;
      };
      const source = { zoo: 'mlp', options: {} };
      const parent = await finish({ source, run: false });
      const child = await finish({ source, run: false, quantize: true, parentRunId: parent });
      expect(child).not.toBe(parent);
      const stored = backend.runs().get(child)!;
      expect(stored.params).toMatchObject({ parentRunId: parent, whatifs: ['quantize'] });
      // The measured run itself has no parent.
      expect(backend.runs().get(parent)!.params).not.toHaveProperty('parentRunId');
      await expect(client.call('profile.start', { source, parentRunId: 0 })).rejects.toThrow(/parentRunId/);
    } finally {
      await backend.close();
    }
  });
});

describe('quantization speed-up from the measured roofline', () => {
  it('uses this machine\'s newest benchmark ceilings, and says so when there is none', async () => {
    const backend = createBackend({ dbPath: path.join(tempDir(), 'q.db'), host: 'cli', detect: async () => sampleReport() });
    const client = createInProcessClient(backend);
    const quantize = async () => {
      const job = await client.call('profile.start', { source: { zoo: 'mlp' }, quantize: true, store: false });
      const events: string[] = [];
      client.subscribe(job.id, (e) => e.type === 'log' && events.push(e.message));
      const end = await backend.jobs.wait(job.id);
      expect(end.type).toBe('result');
      return { result: (end as { result: ProfileResult }).result, logs: events };
    };
    const before = await quantize();
    expect((before.result.whatifs!.quantize as { speedups?: unknown }).speedups).toBeUndefined();
    expect(before.logs.join('\n')).toMatch(/No benchmark stored for this machine/);
    backend.runs().insert({
      kind: 'bench',
      machine: sampleReport(),
      appVersion: 'test',
      params: {},
      result: { roofline: { ceilings: [
        { kind: 'compute', name: 'fp32', value: 100, source: 'measured', how: 'test' },
        { kind: 'compute', name: 'int8', value: 400, source: 'measured', how: 'test' },
        { kind: 'bandwidth', name: 'DRAM', value: 20, source: 'measured', how: 'test' },
      ], ridge: null } },
    });
    const after = await quantize();
    const speedups = (after.result.whatifs!.quantize as { speedups: { format: string; speedup: number }[] }).speedups;
    const int8 = speedups.find((x) => x.format === 'int8')!;
    // A batch-1 MLP streams its weights: memory-bound, so int8 weights are faster than fp32.
    expect(int8.speedup).toBeGreaterThan(1);
    await backend.close();
  });
});

describe('flopscope profile / zoo', () => {
  it('exports a zoo model and profiles the file, with --dim, --run and a Perfetto-readable trace', async () => {
    const dir = tempDir();
    const model = path.join(dir, 'mlp.onnx');
    expect(cli(['zoo', 'export', 'mlp', '--out', model]).code).toBe(0);
    const trace = path.join(dir, 'trace.json');
    const r = cli(['profile', model, '--dim', 'batch=4', '--run', '--trace', trace, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const profile = JSON.parse(r.stdout) as ProfileResult & { runId: number };
    expect(profile.model.inputs[0]!.shape[0]).toBe(4);
    expect(profile.totals.macs).toBeGreaterThan(0);
    expect(profile.runId).toBeGreaterThan(0);
    const events = (JSON.parse(fs.readFileSync(trace, 'utf8')) as { traceEvents: { name: string; ph: string }[] }).traceEvents;
    const names = new Set(profile.nodes.map((n) => n.name));
    expect(events.some((e) => e.ph === 'X' && names.has(e.name))).toBe(true);
  });

  it('runs the weight what-ifs on the actual weights: quantization, 2:4 pruning, activation sparsity', async () => {
    const dir = tempDir();
    const model = path.join(dir, 'mlp.onnx');
    await exportZooModel('mlp', {}, model);
    const r = cli(['profile', model, '--dim', 'batch=8', '--quantize', '--prune', '2:4', '--activation-sparsity', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const w = (JSON.parse(r.stdout) as ProfileResult).whatifs as {
      quantize: { sizes: Record<string, number>; summary: { bits: number; meanSqnrDb: number }[] };
      prune: { achievedSparsity: number; cost: { params: { before: number; after: number } } };
      activationSparsity: { overall: { fraction: number } };
    };
    // int8 is a quarter of fp32, plus what stays fp32 (biases) and the scales.
    const ratio = w.quantize.sizes.fp32! / w.quantize.sizes.int8!;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThanOrEqual(4);
    const int8 = w.quantize.summary.filter((q) => q.bits === 8).map((q) => q.meanSqnrDb);
    const int4 = w.quantize.summary.filter((q) => q.bits === 4).map((q) => q.meanSqnrDb);
    // ~6 dB per bit: int8 is about 24 dB better than int4 on the same weights.
    expect(Math.min(...int8) - Math.max(...int4)).toBeGreaterThan(18);
    expect(w.prune.achievedSparsity).toBeCloseTo(0.5, 2);
    expect(w.prune.cost.params.after).toBeLessThan(w.prune.cost.params.before);
    // Zero-mean random inputs through ReLU: about half the activations are zero.
    expect(w.activationSparsity.overall.fraction).toBeGreaterThan(0.3);
    expect(w.activationSparsity.overall.fraction).toBeLessThan(0.7);
  });

  it('names the file for a non-ONNX file, a truncated model, and an unbound dimension', async () => {
    const dir = tempDir();
    const text = path.join(dir, 'notes.onnx');
    fs.writeFileSync(text, '{"this": "is json"}\n');
    const notOnnx = cli(['profile', text]);
    expect(notOnnx.code).toBe(1);
    expect(notOnnx.stderr).toMatch(/notes\.onnx is not an ONNX model/);

    const model = path.join(dir, 'r.onnx');
    await exportZooModel('mlp', {}, model);
    const cut = path.join(dir, 'cut.onnx');
    fs.writeFileSync(cut, fs.readFileSync(model).subarray(0, 5000));
    const truncated = cli(['profile', cut, '--dim', 'batch=1']);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/cut\.onnx is truncated/);

    const unbound = cli(['profile', model]);
    expect(unbound.code).toBe(1);
    expect(unbound.stderr).toMatch(/bind it with --dim batch=<n>/);
    const missing = cli(['profile', path.join(dir, 'nope.onnx')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.onnx/);
  });

  it('rejects bad flags as usage errors', () => {
    expect(cli(['profile', 'x.onnx', '--dim', 'batch=-1']).code).toBe(2);
    expect(cli(['profile', 'x.onnx', '--trace', 't.json']).stderr).toMatch(/--trace needs --run/);
    const unknown = cli(['zoo', 'export', 'alexnet', '--out', path.join(tempDir(), 'a.onnx')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown zoo model "alexnet"/);
    const list = cli(['zoo', 'list', '--json']);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((e) => e.name)).toContain('resnet50');
  });
});
