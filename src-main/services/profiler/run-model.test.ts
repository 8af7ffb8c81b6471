// Measured runs for real in onnxruntime-node on small zoo models: every measured node exists in
// the graph, kernels ORT fused or inserted are attributed to the graph nodes they compute (through
// the graph ORT wrote), the trace parses and names every measured node, the latency is positive,
// ORT's profile file is removed, and a cancel stops the run.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentReporter, type BenchReporter } from '../bench/types.js';
import { loadModel, loadModelFromBytes } from '../onnx/load-model.js';
import { buildZooModel, exportZooModel } from '../zoo/zoo.js';
import { validateChromeTrace, type ChromeTrace } from './ort-profile.js';
import { median } from '../../../src-shared/bench/accounting.js';
import { MAX_TIMED_RUNS, profileWithRun, runModel, type RunResult } from './run-model.js';

const TINY_GPT2 = { layers: 2, d_model: 64, heads: 4, vocab: 1000, positions: 64, sequence: 16 };
const PREFIX = 'flopscope-ort-profile-';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'flopscope-run-test-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function leftovers(): Promise<number> {
  return (await readdir(os.tmpdir())).filter((f) => f.startsWith(PREFIX)).length;
}

/** Checks shared by every model: names map into the graph, the trace is valid and complete. */
function checkRun(r: RunResult, graphNodes: Set<string>): void {
  expect(r.latencyMs.median).toBeGreaterThan(0);
  expect(r.latencyMs.p90).toBeGreaterThanOrEqual(r.latencyMs.median);
  expect(r.nodes.length).toBeGreaterThan(0);
  for (const n of r.nodes) {
    expect(graphNodes.has(n.name), n.name).toBe(true);
    expect(n.ms).toBeGreaterThanOrEqual(0);
  }
  for (const name of r.notExecuted) expect(graphNodes.has(name)).toBe(true);
  expect(r.nodes.length + r.notExecuted.length).toBe(graphNodes.size);
  const trace = JSON.parse(JSON.stringify(r.trace)) as ChromeTrace;
  expect(validateChromeTrace(trace)).toEqual([]);
  const kernels = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'Node');
  const traced = new Set([...kernels.map((e) => e.name), ...kernels.flatMap((e) => (e.args?.graph_nodes as string[] | undefined) ?? [])]);
  for (const n of r.nodes) expect(traced.has(n.name), n.name).toBe(true);
  // The profiled session's runs (the latency's session may run more, see minSeconds).
  expect(trace.traceEvents.filter((e) => e.name.startsWith('run ')).length).toBe(trace.otherData?.runs);
}

describe('runModel on zoo models', () => {
  it('mlp: 1:1 mapping, achieved GFLOP/s on the Gemms, trace written atomically', async () => {
    const before = await leftovers();
    const zoo = buildZooModel('mlp');
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const traceFile = path.join(dir, 'mlp.trace.json');
    const progress: string[] = [];
    const reporter: BenchReporter = { ...silentReporter(), progress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`) };
    const r = await runModel({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 4 }, { threads: 1, warmup: 2, runs: 5, traceFile, minSeconds: 0 }, reporter);
    checkRun(r, new Set(model.graph.nodes.map((n) => n.name)));
    expect(r.unmapped).toEqual([]);
    expect(r.notExecuted).toEqual([]);
    expect(r.nodes.map((n) => n.name).sort()).toEqual(['head', 'layers.0.fc', 'layers.0.relu', 'layers.1.fc', 'layers.1.relu', 'layers.2.fc', 'layers.2.relu']);
    for (const n of r.nodes.filter((x) => x.opType === 'Gemm')) expect(n.achievedGflops).toBeGreaterThan(0);
    expect(r.threads).toBe(1);
    expect(r.graphOptimization).toBe('all');
    expect(r.latencyMs.runs).toBe(5);
    // Each phase announced as it starts (the energy split needs it): the latency's runs without the
    // profiler, then the profiled session's runs the per-node times come from.
    const phases = (w: string, r: string) => [`${w} 0/2`, `${w} 1/2`, `${w} 2/2`, ...[0, 1, 2, 3, 4, 5].map((i) => `${r} ${i}/5`)];
    // Between the two, the profiler's own cost per kernel is measured at the same threads.
    expect(progress).toEqual([...phases('warmup', 'run'), 'profile: its own cost 0/1', 'profile: its own cost 1/1', ...phases('profile: warmup', 'profile: kernels'), 'read ORT profile 0/1', 'read ORT profile 1/1']);
    expect(r.profiledLatencyMs).toBeGreaterThan(0);
    // Per-node times are each kernel's median run of ORT's durations (the trace keeps them) less
    // that cost per kernel event: between Σ medians and Σ medians − the cost of every event in a run.
    // ORT's profiler timestamps and formats thread-pool statistics for every kernel: never free.
    expect(r.profilerCostUs).toBeGreaterThan(0);
    const windows = r.trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'Session');
    const perKernel = new Map<string, number[]>();
    let events = 0;
    for (const e of r.trace.traceEvents.filter((x) => x.ph === 'X' && (x.cat ?? '').startsWith('Node'))) {
      const w = windows.findIndex((x) => e.ts >= x.ts && e.ts <= x.ts + (x.dur ?? 0));
      const runs = perKernel.get(e.name) ?? new Array<number>(windows.length).fill(0);
      runs[w]! += e.dur ?? 0;
      perKernel.set(e.name, runs);
      events += 1;
    }
    const recordedMs = [...perKernel.values()].reduce((a, runs) => a + median(runs), 0) / 1000;
    const summed = [...r.nodes, ...r.unmapped].reduce((a, n) => a + n.ms, 0);
    expect(r.kernelMs).toBeCloseTo(summed, 9);
    expect(r.kernelMs).toBeLessThan(recordedMs);
    expect(r.kernelMs).toBeGreaterThanOrEqual(recordedMs - (r.profilerCostUs! * events) / windows.length / 1000 - 1e-9);
    const written = JSON.parse(await readFile(traceFile, 'utf8')) as ChromeTrace;
    expect(validateChromeTrace(written)).toEqual([]);
    expect(written.traceEvents.length).toBe(r.trace.traceEvents.length);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await leftovers()).toBe(before); // ORT's profile file and its folder are gone
  });

  it('squeezenet1.1 at 64×64 from a file: every kernel keeps its graph name under "basic"', async () => {
    const file = path.join(dir, 'squeezenet.onnx');
    await exportZooModel('squeezenet1.1', { resolution: 64 }, file);
    const model = await loadModel(file);
    const r = await runModel({ file }, model, { batch: 1 }, { threads: 2, warmup: 1, runs: 3, optimization: 'basic' }, silentReporter());
    checkRun(r, new Set(model.graph.nodes.map((n) => n.name)));
    expect(r.unmapped).toEqual([]);
    expect(r.nodes.filter((n) => n.opType === 'Conv').length).toBe(model.graph.nodes.filter((n) => n.opType === 'Conv').length);
  });

  it('squeezenet1.1 under "all": ORT\'s NCHWc kernels and layout reorders are attributed to the Convs they compute', async () => {
    const zoo = buildZooModel('squeezenet1.1', { resolution: 64 });
    const model = await loadModelFromBytes(zoo.bytes, 'squeezenet1.1');
    const r = await runModel({ bytes: zoo.bytes, name: 'sq' }, model, { batch: 1 }, { threads: 2, warmup: 1, runs: 2, optimization: 'all' }, silentReporter());
    checkRun(r, new Set(model.graph.nodes.map((n) => n.name)));
    expect(r.unmapped).toEqual([]);
    const renamed = r.groups.filter((g) => g.kernel.endsWith('_nchwc') || /^Reorder(Input|Output)/.test(g.kernel));
    expect(renamed.length).toBeGreaterThan(0);
    for (const g of r.groups) {
      expect(g.members.length, g.kernel).toBeGreaterThan(0);
      // An NCHWc kernel is named after the original tensor it computes; that tensor's producer is a member.
      const derived = /^(.+)_nchwc$/.exec(g.kernel)?.[1];
      if (derived) expect(g.members).toContain(model.graph.nodes.find((n) => n.outputs.includes(derived))!.name);
    }
    // Every Conv of the graph holds measured time, its own or a share of the kernel that computes it.
    for (const conv of model.graph.nodes.filter((n) => n.opType === 'Conv')) expect(r.nodes.find((n) => n.name === conv.name)?.ms, conv.name).toBeGreaterThan(0);
    const attributed = r.nodes.reduce((a, n) => a + n.ms, 0);
    expect(attributed).toBeCloseTo(r.kernelMs, 6);
  });

  it('tiny gpt2 at sequence 16: every measured node is a graph node; constant-folded ones ran no kernel', async () => {
    const zoo = buildZooModel('gpt2', TINY_GPT2);
    const model = await loadModelFromBytes(zoo.bytes, 'gpt2');
    const r = await runModel({ bytes: zoo.bytes, name: 'gpt2' }, model, { batch: 1, sequence: 16 }, { threads: 2, warmup: 1, runs: 3 }, silentReporter());
    checkRun(r, new Set(model.graph.nodes.map((n) => n.name)));
    expect(r.unmapped).toEqual([]);
    expect(r.nodes.find((n) => n.name === 'lm_head')?.opType).toBe('MatMul');
    // The tied head's Transpose(wte) depends on a weight only: ORT folds it at load time.
    expect(r.notExecuted).toContain('lm_head.transpose_wte');
    expect(r.kernelMs).toBeGreaterThan(0);
  });

  it('a model too large to copy its optimised graph is matched by kernel name only, and says so', async () => {
    const zoo = buildZooModel('mlp', { width: 64, depth: 1 });
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const logs: string[] = [];
    const reporter: BenchReporter = { ...silentReporter(), log: (m) => logs.push(m) };
    const r = await runModel({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 1 }, { threads: 1, warmup: 0, runs: 2, maxOptimizedCopyBytes: 0 }, reporter);
    expect(logs.some((m) => /optimised graph is not written/.test(m))).toBe(true);
    expect(r.groups).toEqual([]);
    // Every kernel is either a graph node by its own name or reported unattributed: nothing is lost.
    expect(r.nodes.reduce((a, n) => a + n.ms, 0) + r.unmapped.reduce((a, u) => a + u.ms, 0)).toBeCloseTo(r.kernelMs, 9);
  });

  it('times the latency over at least minSeconds: more runs than asked for a fast model, the profiled session still `runs`', async () => {
    const zoo = buildZooModel('mlp', { width: 64, depth: 1 });
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const totals: number[] = [];
    const reporter: BenchReporter = { ...silentReporter(), progress: (phase, done, total) => { if (phase === 'run' && done === 0) totals.push(total); } };
    const r = await runModel({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 1 }, { threads: 1, warmup: 1, runs: 3, minSeconds: 0.2 }, reporter);
    // A run of this 64-wide MLP takes well under the 0.2 s / 3 that would keep the count at 3.
    expect(r.latencyMs.runs).toBeGreaterThan(3);
    expect(r.latencyMs.runs).toBeLessThanOrEqual(MAX_TIMED_RUNS);
    expect(totals).toEqual([r.latencyMs.runs]);
    expect(r.trace.otherData?.runs).toBe(3);
  });

  it('profileWithRun attaches `measured` to the static profile', async () => {
    const zoo = buildZooModel('mlp', { width: 64, depth: 1 });
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const { profile, trace } = await profileWithRun({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 1 }, { threads: 1, warmup: 0, runs: 2 }, silentReporter());
    expect(profile.measured?.latencyMs.runs).toBe(2);
    expect(profile.measured?.nodes.length).toBe(3);
    expect(profile.measured).not.toHaveProperty('trace');
    expect(trace.displayTimeUnit).toBe('ms');
  });

  it('stops between runs when cancelled, and cleans up', async () => {
    const before = await leftovers();
    const zoo = buildZooModel('mlp', { width: 64, depth: 1 });
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const controller = new AbortController();
    const reporter: BenchReporter = { ...silentReporter(controller.signal), progress: (_p, done) => { if (done === 2) controller.abort(); } };
    await expect(runModel({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 1 }, { threads: 1, warmup: 5, runs: 5 }, reporter)).rejects.toMatchObject({ name: 'AbortError' });
    expect(await leftovers()).toBe(before);
  });

  it('rejects bad options and unbound dims as INVALID_REQUEST', async () => {
    const zoo = buildZooModel('mlp', { width: 8, depth: 1 });
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    await expect(runModel({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 1 }, { runs: 0 }, silentReporter())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(runModel({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 1 }, { minSeconds: -1 }, silentReporter())).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: /minSeconds/ });
    await expect(runModel({ bytes: zoo.bytes, name: 'mlp' }, model, {}, {}, silentReporter())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
