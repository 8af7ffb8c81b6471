/**
 * Measures the kernels of gradient-descent least squares through ONNX Runtime's CPU execution
 * provider (Node main process / CLI), to set against the cost model in
 * src-shared/planner/gd-cost.ts. Three graphs, built with ../onnx/build-graph.ts:
 *
 *   recompute step    X[n,d], y[n,1], w[d,1] → g[d,1] = 2·Xᵀ(Xw − y)
 *                     MatMul(X, w), Sub y, then (Xw − y)ᵀ·X as a [1,n]×[n,d] MatMul (the residual
 *                     reshaped to a row, free), Reshape to [d,1], Mul by 2. MLAS's M = 1 path
 *                     streams X row by row: at n = 1e5, d = 256 on the Zen 5 dev VM (1 thread) this
 *                     graph took 12 ms, against 20 ms with Gemm(X, w, y, beta = −1) and
 *                     Gemm(X, r, transA = 1, alpha = 2), or with MatMul, Sub and that Gemm.
 *   precompute        X, y → G[d,d] = XᵀX (Gemm, transA = 1: a plain GEMM, 2nd² FLOPs, no SYRK;
 *                     Transpose + MatMul and com.microsoft FusedMatMul(transA) timed the same)
 *                     and h[d,1] = Xᵀy (as the gradient above, without the 2)
 *   precompute step   G, h, w → g[d,1] = 2(Gw − h): MatMul, Sub, Mul by 2. At d = 1024 (1 thread)
 *                     it took 103 µs against 231 µs as one Gemm(G, w, h, alpha = 2, beta = −2).
 *
 * Everything is a graph input (nothing constant-folds, nothing is pre-packed), fp32, seeded
 * uniform data. Each graph's first run is checked against a plain float64 JS reference (the full
 * gradient and h; the diagonal and a seeded sample of XᵀX's entries when d² is large; the
 * precompute step on ORT's own G and h), then timed as src-main/services/bench/gemm.ts times:
 * two untimed warm-ups, then repeats until both a minimum count and a minimum time are reached,
 * median as the headline. One timed call is one session.run, so a tiny kernel (the precompute
 * step at small d) carries ORT's per-call overhead (≈ 13 µs for an Identity graph on the dev VM);
 * that is the real cost of a step driven from JS. FLOPs per graph come from gd-cost's kernel
 * counts; GFLOP/s = FLOPs / median seconds / 1e9.
 */
import os from 'node:os';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { median } from '../../../src-shared/bench/accounting.js';
import {
  gdCost,
  gdKernels,
  kernelSeconds,
  measuredBreakEvenSteps,
  type GdBreakEven,
  type GdMeasuredSeconds,
  type GdRoofline,
} from '../../../src-shared/planner/gd-cost.js';
import { sessionOptions } from '../bench/gemm.js';
import { abortError } from '../bench/types.js';
import { buildModel, TensorDataType, type InitializerSpec, type ValueSpec } from '../onnx/build-graph.js';
import type { EnergyReport } from '../../../src-shared/energy/types.js';

type Ort = typeof OrtModule;

export type LinregKernel = keyof GdMeasuredSeconds;
export const LINREG_KERNELS: readonly LinregKernel[] = ['recomputeStep', 'precompute', 'precomputeStep'];

export interface LinregMeasureOptions {
  /** Rows of X (samples). */
  n: number;
  /** Columns of X (features). */
  d: number;
  /** ONNX Runtime intra-op threads; default all logical cores. */
  threads?: number;
  /** Minimum timed runs per kernel; default 5. */
  minRepeats?: number;
  /** Minimum timed seconds per kernel; default 0.3. */
  minSeconds?: number;
  /** At most this many timed runs per kernel; default 200. */
  maxRepeats?: number;
  /** Data seed (xorshift32); default 1. */
  seed?: number;
  /** When given, `predicted` carries gd-cost's roofline times for the same kernels. */
  roofline?: GdRoofline;
  /** Checked between timings (and between kernels); true rejects with an Error named 'AbortError'. */
  shouldCancel?: () => boolean;
}

export interface LinregVerification {
  /** Largest |ORT − reference| over every checked element (in each output's own units). */
  maxAbsError: number;
  /** Largest error relative to its output's largest |reference| value. */
  maxRelError: number;
  /** Every output within RELATIVE_TOLERANCE. */
  ok: boolean;
  /** Elements compared. */
  checked: number;
}

export interface LinregPrediction {
  roofline: GdRoofline;
  /** max(FLOPs / peak, bytes / bandwidth) summed over each graph's kernels (gd-cost). */
  seconds: GdMeasuredSeconds;
  gflops: GdMeasuredSeconds;
  /** gd-cost's precompute-vs-recompute break-even (the update step cancels out of both). */
  breakEvenSteps: GdBreakEven;
}

export interface LinregMeasurement {
  n: number;
  d: number;
  threads: number;
  /** Median seconds per run. */
  seconds: GdMeasuredSeconds;
  /** Fastest run. */
  bestSeconds: GdMeasuredSeconds;
  /** Timed runs behind each median. */
  repeats: Record<LinregKernel, number>;
  /** FLOPs of each graph (gd-cost's kernel counts). */
  flops: GdMeasuredSeconds;
  /** FLOPs / median seconds / 1e9. */
  gflops: GdMeasuredSeconds;
  /** precompute / (recomputeStep − precomputeStep); Infinity when a precompute step is not faster. */
  measuredBreakEvenSteps: number;
  predicted?: LinregPrediction;
  verified: LinregVerification;
  /** Power sampled while the three graphs ran (added by the lesson's job). */
  energy?: EnergyReport;
}

/** fp32 sums of up to n products: relative error ~ε·√n typically; 1e-3 leaves room at n = 1e6. */
export const RELATIVE_TOLERANCE = 1e-3;
/** X must fit one Float32Array comfortably: 2^28 elements (1 GiB). */
export const MAX_ELEMENTS = 2 ** 28;

function checkOptions(o: LinregMeasureOptions): void {
  const whole = (field: string, v: unknown, lo: number, hi: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${field} must be a whole number from ${lo} to ${hi}, got ${String(v)}`);
  };
  whole('n', o.n, 1, MAX_ELEMENTS);
  whole('d', o.d, 1, 65_536);
  if (o.n * o.d > MAX_ELEMENTS) throw new RangeError(`n × d must be at most ${MAX_ELEMENTS} (1 GiB of fp32), got ${o.n * o.d}`);
  if (o.threads !== undefined) whole('threads', o.threads, 1, 1024);
  if (o.minRepeats !== undefined) whole('minRepeats', o.minRepeats, 1, 10_000);
  if (o.maxRepeats !== undefined) whole('maxRepeats', o.maxRepeats, 1, 100_000);
  if (o.seed !== undefined) whole('seed', o.seed, 0, 2 ** 32 - 1);
  if (o.minSeconds !== undefined && !(Number.isFinite(o.minSeconds) && o.minSeconds >= 0)) throw new RangeError(`minSeconds must be a finite number ≥ 0, got ${String(o.minSeconds)}`);
}

/** Deterministic uniform values in [-1, 1) (xorshift32, Marsaglia 2003), so runs are repeatable. */
export function seededUniform(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x / 2147483648 - 1;
  }
  return out;
}

const F32 = TensorDataType.FLOAT;
const value = (name: string, shape: number[]): ValueSpec => ({ name, elemType: F32, shape });
const int64 = (name: string, v: number[]): InitializerSpec => ({
  name,
  dataType: TensorDataType.INT64,
  dims: [v.length],
  raw: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer),
});
const scalar = (name: string, v: number): InitializerSpec => ({ name, dataType: F32, dims: [], raw: new Uint8Array(new Float32Array([v]).buffer) });

/** X[n,d], y[n,1], w[d,1] → g[d,1] = 2·Xᵀ(Xw − y). */
export function buildRecomputeStepGraph(n: number, d: number): Uint8Array {
  return buildModel({
    graphName: `linreg_recompute_step_${n}x${d}`,
    inputs: [value('X', [n, d]), value('y', [n, 1]), value('w', [d, 1])],
    outputs: [value('g', [d, 1])],
    initializers: [int64('row_n', [1, n]), int64('col_d', [d, 1]), scalar('two', 2)],
    nodes: [
      { opType: 'MatMul', inputs: ['X', 'w'], outputs: ['Xw'] },
      { opType: 'Sub', inputs: ['Xw', 'y'], outputs: ['r'] },
      // [n,1] → [1,n] is a reshape of a vector (no copy); rᵀX is Xᵀr as a row.
      { opType: 'Reshape', inputs: ['r', 'row_n'], outputs: ['r_row'] },
      { opType: 'MatMul', inputs: ['r_row', 'X'], outputs: ['g_row'] },
      // Reshape before the Mul: a Mul by a constant right after a MatMul is fused by ORT's
      // MatMulScaleFusion into com.microsoft FusedMatMul, whose M = 1 path ran 3× slower here.
      { opType: 'Reshape', inputs: ['g_row', 'col_d'], outputs: ['g_col'] },
      { opType: 'Mul', inputs: ['g_col', 'two'], outputs: ['g'] },
    ],
  });
}

/** X[n,d], y[n,1] → G[d,d] = XᵀX, h[d,1] = Xᵀy. */
export function buildPrecomputeGraph(n: number, d: number): Uint8Array {
  return buildModel({
    graphName: `linreg_precompute_${n}x${d}`,
    inputs: [value('X', [n, d]), value('y', [n, 1])],
    outputs: [value('G', [d, d]), value('h', [d, 1])],
    initializers: [int64('row_n', [1, n]), int64('col_d', [d, 1])],
    nodes: [
      { opType: 'Gemm', inputs: ['X', 'X'], outputs: ['G'], attributes: [{ name: 'transA', type: 'int', value: 1 }] },
      { opType: 'Reshape', inputs: ['y', 'row_n'], outputs: ['y_row'] },
      { opType: 'MatMul', inputs: ['y_row', 'X'], outputs: ['h_row'] },
      { opType: 'Reshape', inputs: ['h_row', 'col_d'], outputs: ['h'] },
    ],
  });
}

/** G[d,d], h[d,1], w[d,1] → g[d,1] = 2(Gw − h). */
export function buildPrecomputeStepGraph(d: number): Uint8Array {
  return buildModel({
    graphName: `linreg_precompute_step_${d}`,
    inputs: [value('G', [d, d]), value('h', [d, 1]), value('w', [d, 1])],
    outputs: [value('g', [d, 1])],
    initializers: [scalar('two', 2)],
    nodes: [
      { opType: 'MatMul', inputs: ['G', 'w'], outputs: ['Gw'] },
      { opType: 'Sub', inputs: ['Gw', 'h'], outputs: ['e'] },
      { opType: 'Mul', inputs: ['e', 'two'], outputs: ['g'] },
    ],
  });
}

// ---- float64 references ------------------------------------------------------------------------

/** 2·Xᵀ(Xw − y), accumulated in float64. */
export function referenceRecomputeStep(X: Float32Array, y: Float32Array, w: Float32Array, n: number, d: number): Float64Array {
  const g = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let r = -y[i]!;
    for (let j = 0; j < d; j++) r += X[row + j]! * w[j]!;
    for (let j = 0; j < d; j++) g[j]! += X[row + j]! * r;
  }
  for (let j = 0; j < d; j++) g[j]! *= 2;
  return g;
}

/** Xᵀy in float64. */
export function referenceMoment(X: Float32Array, y: Float32Array, n: number, d: number): Float64Array {
  const h = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const yi = y[i]!;
    for (let j = 0; j < d; j++) h[j]! += X[row + j]! * yi;
  }
  return h;
}

/** (XᵀX)[a,b] for the given (a, b) pairs, float64, one pass over X's rows. */
export function referenceGramEntries(X: Float32Array, n: number, d: number, pairs: ReadonlyArray<readonly [number, number]>): Float64Array {
  const out = new Float64Array(pairs.length);
  const as = Int32Array.from(pairs, (p) => p[0]);
  const bs = Int32Array.from(pairs, (p) => p[1]);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let p = 0; p < out.length; p++) out[p]! += X[row + as[p]!]! * X[row + bs[p]!]!;
  }
  return out;
}

/** 2(Gw − h) in float64. */
export function referencePrecomputeStep(G: Float32Array, h: Float32Array, w: Float32Array, d: number): Float64Array {
  const g = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    let s = -h[a]!;
    for (let b = 0; b < d; b++) s += G[a * d + b]! * w[b]!;
    g[a] = 2 * s;
  }
  return g;
}

/** Every entry when d² ≤ 4096, else the diagonal plus 512 seeded off-diagonal entries. */
export function gramSample(d: number, seed = 7): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  if (d * d <= 4096) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) pairs.push([a, b]);
    return pairs;
  }
  for (let a = 0; a < d; a++) pairs.push([a, a]);
  const u = seededUniform(1024, seed);
  for (let p = 0; p < 512; p++) {
    const a = Math.min(d - 1, Math.floor(((u[2 * p]! + 1) / 2) * d));
    const b = Math.min(d - 1, Math.floor(((u[2 * p + 1]! + 1) / 2) * d));
    pairs.push([a, b]);
  }
  return pairs;
}

interface Check {
  maxAbs: number;
  rel: number;
  count: number;
}

function compare(got: ArrayLike<number>, ref: ArrayLike<number>, index?: (i: number) => number): Check {
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    const g = got[index ? index(i) : i]!;
    const r = ref[i]!;
    const e = Number.isFinite(g) ? Math.abs(g - r) : Infinity;
    if (!(e <= maxAbs)) maxAbs = e;
    scale = Math.max(scale, Math.abs(r));
  }
  return { maxAbs, rel: maxAbs / Math.max(scale, Number.MIN_VALUE), count: ref.length };
}

// ---- timing ----------------------------------------------------------------------------------

interface Timing {
  median: number;
  best: number;
  repeats: number;
}

interface TimingPlan {
  minRepeats: number;
  minSeconds: number;
  maxRepeats: number;
  throwIfCancelled: () => void;
}

async function timeRuns(session: InferenceSession, feeds: Record<string, Tensor>, plan: TimingPlan): Promise<Timing> {
  // Second warm-up (the first, which allocates the arena, was the verified run): settles the pool.
  plan.throwIfCancelled();
  await session.run(feeds);
  const times: number[] = [];
  let total = 0;
  while (times.length < plan.minRepeats || (total < plan.minSeconds && times.length < plan.maxRepeats)) {
    plan.throwIfCancelled();
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    times.push(s);
    total += s;
  }
  return { median: median(times), best: Math.min(...times), repeats: times.length };
}

async function withSession<T>(ort: Ort, model: Uint8Array, threads: number, body: (s: InferenceSession) => Promise<T>): Promise<T> {
  const session = await ort.InferenceSession.create(model, sessionOptions(threads));
  try {
    return await body(session);
  } finally {
    await session.release();
  }
}

/** Predicted seconds of the three graphs from gd-cost's kernels and a roofline. */
export function predictLinreg(n: number, d: number, roofline: GdRoofline): LinregPrediction {
  const k = gdKernels(n, d);
  const t = (name: keyof typeof k) => kernelSeconds(k[name], roofline);
  const seconds: GdMeasuredSeconds = {
    recomputeStep: t('residual') + t('gradient'),
    precompute: t('gram') + t('moment'),
    precomputeStep: t('gramGradient'),
  };
  const flops = linregFlops(n, d);
  return {
    roofline: { ...roofline },
    seconds,
    gflops: {
      recomputeStep: flops.recomputeStep / seconds.recomputeStep / 1e9,
      precompute: flops.precompute / seconds.precompute / 1e9,
      precomputeStep: flops.precomputeStep / seconds.precomputeStep / 1e9,
    },
    breakEvenSteps: gdCost(n, d, 1, 4, roofline).breakEven.precomputeVsRecompute,
  };
}

/** FLOPs of the three graphs: residual + gradient, gram + moment, gramGradient (gd-cost counts). */
export function linregFlops(n: number, d: number): GdMeasuredSeconds {
  const k = gdKernels(n, d);
  return {
    recomputeStep: k.residual.flops + k.gradient.flops,
    precompute: k.gram.flops + k.moment.flops,
    precomputeStep: k.gramGradient.flops,
  };
}

/**
 * Builds, verifies and times the three kernels at (n, d). Rejects with RangeError for bad
 * options and with an AbortError when `shouldCancel` turns true; sessions are always released.
 */
export async function measureLinreg(options: LinregMeasureOptions): Promise<LinregMeasurement> {
  checkOptions(options);
  const { n, d } = options;
  const threads = options.threads ?? Math.max(1, os.availableParallelism());
  const seed = options.seed ?? 1;
  const plan: TimingPlan = {
    minRepeats: options.minRepeats ?? 5,
    minSeconds: options.minSeconds ?? 0.3,
    maxRepeats: Math.max(options.maxRepeats ?? 200, options.minRepeats ?? 5),
    throwIfCancelled: () => {
      if (options.shouldCancel?.()) throw abortError();
    },
  };
  plan.throwIfCancelled();
  const ort: Ort = await import('onnxruntime-node');

  const X = seededUniform(n * d, seed);
  const y = seededUniform(n, seed + 1);
  const w = seededUniform(d, seed + 2);
  const tX = new ort.Tensor('float32', X, [n, d]);
  const ty = new ort.Tensor('float32', y, [n, 1]);
  const tw = new ort.Tensor('float32', w, [d, 1]);
  const checks: Check[] = [];

  const recompute = await withSession(ort, buildRecomputeStepGraph(n, d), threads, async (s) => {
    const out = await s.run({ X: tX, y: ty, w: tw });
    checks.push(compare(out.g!.data as Float32Array, referenceRecomputeStep(X, y, w, n, d)));
    return timeRuns(s, { X: tX, y: ty, w: tw }, plan);
  });

  let G = new Float32Array(0);
  let h = new Float32Array(0);
  const precompute = await withSession(ort, buildPrecomputeGraph(n, d), threads, async (s) => {
    plan.throwIfCancelled();
    const out = await s.run({ X: tX, y: ty });
    G = Float32Array.from(out.G!.data as Float32Array);
    h = Float32Array.from(out.h!.data as Float32Array);
    const pairs = gramSample(d);
    checks.push(compare(G, referenceGramEntries(X, n, d, pairs), (i) => pairs[i]![0] * d + pairs[i]![1]));
    checks.push(compare(h, referenceMoment(X, y, n, d)));
    return timeRuns(s, { X: tX, y: ty }, plan);
  });

  const tG = new ort.Tensor('float32', G, [d, d]);
  const th = new ort.Tensor('float32', h, [d, 1]);
  const precomputeStep = await withSession(ort, buildPrecomputeStepGraph(d), threads, async (s) => {
    plan.throwIfCancelled();
    const out = await s.run({ G: tG, h: th, w: tw });
    checks.push(compare(out.g!.data as Float32Array, referencePrecomputeStep(G, h, w, d)));
    return timeRuns(s, { G: tG, h: th, w: tw }, plan);
  });

  const seconds: GdMeasuredSeconds = { recomputeStep: recompute.median, precompute: precompute.median, precomputeStep: precomputeStep.median };
  const flops = linregFlops(n, d);
  const maxRelError = Math.max(...checks.map((c) => c.rel));
  const result: LinregMeasurement = {
    n,
    d,
    threads,
    seconds,
    bestSeconds: { recomputeStep: recompute.best, precompute: precompute.best, precomputeStep: precomputeStep.best },
    repeats: { recomputeStep: recompute.repeats, precompute: precompute.repeats, precomputeStep: precomputeStep.repeats },
    flops,
    gflops: {
      recomputeStep: flops.recomputeStep / seconds.recomputeStep / 1e9,
      precompute: flops.precompute / seconds.precompute / 1e9,
      precomputeStep: flops.precomputeStep / seconds.precomputeStep / 1e9,
    },
    measuredBreakEvenSteps: measuredBreakEvenSteps(seconds),
    verified: {
      maxAbsError: Math.max(...checks.map((c) => c.maxAbs)),
      maxRelError,
      ok: maxRelError <= RELATIVE_TOLERANCE,
      checked: checks.reduce((a, c) => a + c.count, 0),
    },
  };
  if (options.roofline) result.predicted = predictLinreg(n, d, options.roofline);
  return result;
}
