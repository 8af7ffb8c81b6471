/**
 * The cost model's calibration, for real through ONNX Runtime (quick plan, ≤ 2 threads, a few
 * seconds): every point is positive and finite, and the physical orderings hold on any host —
 * a square product outruns a GEMV of the same weight, depthwise convolution runs below dense.
 */
import fs from 'node:fs';
import os from 'node:os';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Calibration } from '../../../src-shared/bench/calibration.js';
import { decodeModel } from '../onnx/onnx-schema.js';
import { batchedGraph, calChain, calibrationPlan, convFlops, convGraph, gemmShapeFlops, layoutPlan, outputGraph, outputPlan, runCalibration, workSeconds } from './calibrate.js';
import { sessionOptions } from './gemm.js';
import type { BenchReporter } from './types.js';

const threads = Math.min(2, os.availableParallelism());

function reporter(signal = new AbortController().signal): BenchReporter & { phases: string[]; logs: string[] } {
  const phases: string[] = [];
  const logs: string[] = [];
  return { signal, phases, logs, progress: (p) => phases.push(p), log: (m) => logs.push(m) };
}

describe('calibration plan and arithmetic', () => {
  it('covers the shapes models are made of, quick within full', () => {
    const quick = calibrationPlan(true);
    const full = calibrationPlan(false);
    const key = (s: object) => JSON.stringify(s);
    for (const s of quick.gemm) expect(full.gemm.map(key)).toContain(key(s));
    for (const s of quick.conv) expect(full.conv.map(key)).toContain(key(s));
    expect(quick.gemm.filter((s) => s.n === 768 && s.k === 768).map((s) => s.m)).toEqual([1, 4, 16, 64]);
    expect(quick.gemm).toContainEqual({ batch: 1, m: 512, n: 512, k: 512 });
    expect(quick.gemm).toContainEqual({ batch: 1, m: 1, n: 512, k: 512 });
    expect(quick.gemm.some((s) => s.batch === 12)).toBe(true);
    expect(quick.gemm.filter((s) => [49, 196, 784, 3136].includes(s.m))).toHaveLength(4);
    // 1×1 convolutions measured as convolutions: ResNet bottlenecks and inverted-residual expansions.
    expect(quick.conv).toContainEqual({ channels: 256, inChannels: 64, groups: 1, size: 56, kernel: 1, stride: 1 });
    expect(quick.conv).toContainEqual({ channels: 144, inChannels: 24, groups: 1, size: 56, kernel: 1, stride: 1 });
    expect(quick.conv.filter((s) => s.inChannels === 3).map((s) => s.kernel)).toEqual([3, 7]);
    expect(quick.conv.filter((s) => s.groups === s.channels && s.kernel === 5).map((s) => s.stride).sort()).toEqual([1, 1, 1, 2, 2]);
    const dw = quick.conv.filter((s) => s.groups === s.channels);
    expect(new Set(dw.map((s) => s.stride))).toEqual(new Set([1, 2]));
    expect(quick.conv.some((s) => s.groups > 1 && s.groups < s.channels)).toBe(true);
    expect(quick.conv.filter((s) => s.groups === 1 && s.kernel === 3 && s.inChannels === undefined).map((s) => s.channels)).toEqual([64, 128, 256, 512]);
    expect(quick.conv).toContainEqual({ channels: 64, groups: 1, size: 1, kernel: 1, stride: 1 });
  });

  it('counts FLOPs as 2·MACs and sizes chains', () => {
    expect(gemmShapeFlops({ batch: 12, m: 128, n: 128, k: 64 })).toBe(2 * 12 * 128 * 128 * 64);
    // Depthwise: one input channel per output; dense: all of them.
    expect(convFlops({ channels: 32, groups: 32, size: 112, kernel: 3, stride: 1 })).toBe(2 * 32 * 112 * 112 * 9);
    expect(convFlops({ channels: 64, groups: 1, size: 56, kernel: 3, stride: 1 })).toBe(2 * 64 * 56 * 56 * 64 * 9);
    expect(convFlops({ channels: 128, groups: 32, size: 28, kernel: 3, stride: 1 })).toBe(2 * 128 * 28 * 28 * 4 * 9);
    expect(calChain(1e3, 0, false)).toBe(32);
    expect(calChain(1e12, 0, false)).toBe(1);
    expect(calChain(1e6, 0, true) % 2).toBe(0);
    expect(calChain(1e3, 32 * 2 ** 20, false)).toBe(2); // 64 MiB of weights
  });

  it('subtracts the run and kernel costs, never below half the raw time', () => {
    const base = { runSeconds: 10e-6, kernelSeconds: 1e-6 };
    expect(workSeconds(110e-6, 10, 0, 1, base)).toBeCloseTo(9e-6, 12);
    expect(workSeconds(12e-6, 2, 1, 1, base)).toBeCloseTo(3e-6, 12);
  });

  it('builds graphs that compute what they claim', async () => {
    // Batched chain X·W·V with W, V fed as inputs: check against JS.
    const b = batchedGraph(ort, { batch: 2, m: 2, n: 3, k: 2 }, 2);
    const s1 = await ort.InferenceSession.create(b.model, sessionOptions(1));
    const [x, w, v] = [b.feeds.X!.data, b.feeds.W!.data, b.feeds.V!.data] as Float32Array[];
    let ref = 0;
    for (let j = 0; j < 3; j++) ref += (x![0]! * w![j]! + x![1]! * w![3 + j]!) * v![j * 2]!;
    expect(((await s1.run(b.feeds)).Y!.data as Float32Array)[0]).toBeCloseTo(ref, 5);
    await s1.release();
    // Stride 2 runs as branches, one corner each.
    const c = convGraph(ort, { channels: 8, groups: 8, size: 4, kernel: 3, stride: 2 }, 3);
    expect(c.branches).toBe(true);
    const s2 = await ort.InferenceSession.create(c.model, sessionOptions(1));
    expect((await s2.run(c.feeds)).Y!.dims).toEqual([3, 1, 1, 1]);
    await s2.release();
    // A 1×1 expansion/projection pair: 3 → 5 → 3 channels, each Conv its own weight; checked against JS.
    const p = convGraph(ort, { channels: 5, inChannels: 3, groups: 1, size: 2, kernel: 1, stride: 1 }, 2);
    expect(p.feeds.X!.dims).toEqual([1, 3, 2, 2]);
    const s3 = await ort.InferenceSession.create(p.model, sessionOptions(1));
    const xs = p.feeds.X!.data as Float32Array;
    const [w0, w1] = decodeModel(p.model).graph!.initializer.filter((t) => /^W/.test(t.name ?? "")).map((t) => new Float32Array(Uint8Array.from(t.rawData!).buffer));
    expect([w0!.length, w1!.length]).toEqual([15, 15]);
    // Corner pixel 0: y = W1 · (W0 · x[:, 0]); the Slice keeps channel 0.
    const mid = [0, 1, 2, 3, 4].map((o) => [0, 1, 2].reduce((a, i) => a + w0![o * 3 + i]! * xs[i * 4]!, 0));
    const y0 = [0, 1, 2, 3, 4].reduce((a, o) => a + w1![o]! * mid[o]!, 0);
    expect(((await s3.run(p.feeds)).Y!.data as Float32Array)[0]).toBeCloseTo(y0, 4);
    await s3.release();
    expect(convFlops({ channels: 5, inChannels: 3, groups: 1, size: 2, kernel: 1, stride: 1 })).toBe(2 * 5 * 4 * 3);
    expect(() => convGraph(ort, { channels: 6, inChannels: 3, groups: 3, size: 2, kernel: 1, stride: 1 }, 2)).toThrow(/dense one only/);
    // A stem (3 → 8, stride 2) runs as branches on the 3-channel input.
    const stem = convGraph(ort, { channels: 8, inChannels: 3, groups: 1, size: 4, kernel: 3, stride: 2 }, 2);
    expect(stem.feeds.X!.dims).toEqual([1, 3, 8, 8]);
    const s4 = await ort.InferenceSession.create(stem.model, sessionOptions(1));
    expect((await s4.run(stem.feeds)).Y!.dims).toEqual([2, 1, 1, 1]);
    await s4.release();
  });
});

describe('runCalibration (quick, real ONNX Runtime)', () => {
  let cal: Calibration;
  const rep = reporter();
  beforeAll(async () => {
    cal = await runCalibration({ threads, quick: true }, rep);
  }, 120_000);

  it('measures every planned shape with a positive, finite throughput', () => {
    const plan = calibrationPlan(true);
    expect(cal.threads).toBe(threads);
    expect(cal.gemm).toHaveLength(plan.gemm.length);
    expect(cal.conv).toHaveLength(plan.conv.length);
    for (const p of [...cal.gemm, ...cal.conv]) {
      expect(Number.isFinite(p.gflops) && p.gflops > 0).toBe(true);
      expect(Number.isFinite(p.medianSeconds) && p.medianSeconds > 0).toBe(true);
    }
    expect(rep.phases.every((p) => p === 'calibration')).toBe(true);
    // Element-wise Mul, same shape and per-channel broadcast, with bandwidths a CPU can have.
    expect(cal.elementwise?.map((p) => `${p.op}:${p.broadcast}`)).toEqual(['Mul:none', 'Mul:channel', 'Sigmoid:none']);
    for (const p of cal.elementwise ?? []) expect(p.GBs > 0 && p.GBs < 10_000).toBe(true);
  });

  it('times ORT\'s layout reorders and the broadcast Mul between them on every planned shape, where ORT has its blocked layout', () => {
    // ORT's NCHWc layout (and so its reorders) exists on x86-64 with AVX2 or AVX-512 (MLAS): what the OS reports decides.
    const flags = fs.existsSync('/proc/cpuinfo') ? (/^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '') : '';
    const blocked = os.arch() === 'x64' && /\b(avx2|avx512f)\b/.test(flags);
    if (!blocked) {
      expect(cal.layout).toBeUndefined();
      return;
    }
    expect(cal.layout?.map((p) => `${p.channels}x${p.size}`)).toEqual(layoutPlan(true).map((s) => `${s.channels}x${s.size}`));
    for (const p of cal.layout!) {
      for (const t of [p.reorderInputSeconds, p.reorderOutputSeconds, p.broadcastMulSeconds]) expect(t > 0 && t < 0.1).toBe(true);
    }
    expect(cal.method).toContain('layout reorders');
  });

  it('measures what handing back each planned graph output costs beyond its kernel', async () => {
    expect(cal.outputs?.map((p) => p.bytes)).toEqual(outputPlan(true));
    for (const p of cal.outputs!) expect(Number.isFinite(p.seconds) && p.seconds >= 0 && p.seconds < 10).toBe(true);
    expect(cal.method).toContain('graph outputs');
    // The graph is what it claims: a Relu whose output is the graph's, of the planned size.
    const { model, feeds } = outputGraph(ort, 4096);
    const s = await ort.InferenceSession.create(model, sessionOptions(1));
    const y = (await s.run(feeds)).Y!;
    expect(y.dims).toEqual([1024]);
    const x = feeds.X!.data as Float32Array;
    expect([...(y.data as Float32Array)]).toEqual([...x].map((v) => Math.max(0, v)));
    await s.release();
  });

  it('a square 512³ product outruns the GEMV against the same 512×512 weight', () => {
    const at = (m: number) => cal.gemm.find((p) => p.batch === 1 && p.m === m && p.n === 512 && p.k === 512)!.gflops;
    expect(at(512)).toBeGreaterThan(at(1));
  });

  it('depthwise convolution runs below dense 3×3', () => {
    const best = (ps: Calibration['conv']) => Math.max(...ps.map((p) => p.gflops));
    expect(best(cal.conv.filter((p) => p.groups === p.channels))).toBeLessThan(best(cal.conv.filter((p) => p.groups === 1)));
  });

  it('puts one kernel’s overhead between 0 and 1 ms and names its method', () => {
    expect(cal.overheadUs).toBeGreaterThan(0);
    expect(cal.overheadUs).toBeLessThan(1000);
    expect(cal.method).toContain(`ONNX Runtime ${ort.env.versions.node}`);
    expect(cal.method).toContain(`${threads} intra-op thread(s)`);
    expect(cal.method).toContain('fp32');
  });
});

describe('runCalibration cancellation', () => {
  it('rejects with an AbortError, before and during the measurement', async () => {
    const before = new AbortController();
    before.abort();
    await expect(runCalibration({ threads: 1, quick: true }, reporter(before.signal))).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    const r = reporter(during.signal);
    r.progress = (p, done) => {
      if (done >= 2) during.abort();
    };
    const started = performance.now();
    await expect(runCalibration({ threads: 1, quick: true }, r)).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
