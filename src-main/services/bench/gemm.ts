/**
 * GEMM throughput through ONNX Runtime's CPU execution provider (Node main process / CLI; ORT
 * runs the work on its own thread pool, the event loop stays free).
 *
 * Each configuration builds one graph that chains R products, Y1 = X·W, Y2 = Y1·V, … (V = W when
 * the shape is square, else the k×n / n×k pair of an MLP's up and down projections), so one run
 * measures R kernels; one input goes in and only the 1×1 corner of the last product comes out
 * (see buildGemmGraph). X is a graph input, so
 * nothing can be constant-folded; W and V are initializers, as weights are in a real model, which
 * lets ORT pre-pack them once at session creation the way it does for inference (pre-packing
 * changes the GEMV rate by ~1.6× on Zen 5 against weights fed as inputs). int8 chains
 * MatMulInteger (uint8 × int8 → int32) with a Cast back to uint8 between products: m·n element
 * operations per m·n·k MACs, negligible. GFLOP/s = 2·m·n·k·R / seconds / 1e9 (int8: GOP/s).
 */
import os from 'node:os';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { gemmFlops, gflopsPerSecond, median } from '../../../src-shared/bench/accounting.js';
import { buildModel, TensorDataType, type InitializerSpec, type NodeSpec } from '../onnx/build-graph.js';
import { checkpoint, type BenchReporter, type GemmDtype, type GemmPoint, type GemmResult } from './types.js';

export interface GemmShape {
  m: number;
  n: number;
  k: number;
}

export interface GemmOptions {
  quick: boolean;
  /** Largest thread count; default all logical cores. */
  threads?: number;
  /** Thread counts to measure; default 1, 2, 4, … up to `threads`, and `threads` itself. */
  threadCounts?: number[];
  dtypes?: GemmDtype[];
  /** Replace the default shape plan (each shape runs at every thread count). */
  shapes?: GemmShape[];
  /** Minimum timed runs per configuration; default 5 (quick) or 7. */
  minRepeats?: number;
  /** Minimum timed seconds per configuration; default 0.3 (quick) or 1. */
  minSeconds?: number;
}

interface Config {
  dtype: GemmDtype;
  shape: GemmShape;
  threads: number;
}

/**
 * Chain length R. A run should carry ~2 GFLOP so the per-run overhead (~50 µs) stays < 1 %. But
 * every MatMul node pre-packs its own copy of its weight at session creation, so R copies of W
 * exist: R is also held to ~256 MiB of weights (a decode GEMV over 4096×4096 fp32 gets R = 4,
 * ~3 ms per product, still 100× the overhead). Even when W and V alternate, so Y has X's shape.
 */
const TARGET_RUN_FLOPS = 2e9;
const MAX_WEIGHT_BYTES = 256 * 1024 * 1024;
const MAX_CHAIN = 32;

export function chainLength(shape: GemmShape, elementBytes = 4): number {
  const byFlops = Math.round(TARGET_RUN_FLOPS / gemmFlops(shape.m, shape.n, shape.k));
  const byBytes = Math.floor(MAX_WEIGHT_BYTES / (shape.n * shape.k * elementBytes));
  const r = Math.min(MAX_CHAIN, Math.max(1, Math.min(byFlops, byBytes)));
  return shape.n === shape.k ? r : Math.max(2, r - (r % 2));
}

export function defaultThreadCounts(maxThreads: number): number[] {
  const out = new Set<number>();
  for (let t = 1; t < maxThreads; t *= 2) out.add(t);
  out.add(maxThreads);
  return [...out];
}

/**
 * The measurement plan. Quick (fits the 40 s quick suite on 2 cores): fp32 1024² and 2048² at all
 * threads, 2048² single-threaded, the 1×4096×4096 decode GEMV, int8 and fp16 at 2048² and 1024².
 * Full: squares 512…4096 and LLM-shaped products (batch 1 and 16 against 4096×4096, batch 1
 * against 4096×11008) at every thread count, for every dtype. 4096² runs only at the largest
 * thread count: one product takes ~1 s single-threaded, and a run cannot be cancelled mid-way.
 */
export function gemmPlan(quick: boolean, threadCounts: number[], dtypes: GemmDtype[], shapes?: GemmShape[]): Config[] {
  const all = Math.max(...threadCounts);
  const sq = (s: number): GemmShape => ({ m: s, n: s, k: s });
  const out: Config[] = [];
  const add = (dtype: GemmDtype, shape: GemmShape, threads: number[]) => {
    if (dtypes.includes(dtype)) for (const t of threads) out.push({ dtype, shape, threads: t });
  };
  if (shapes) {
    for (const dtype of dtypes) for (const s of shapes) add(dtype, s, threadCounts);
    return out;
  }
  if (quick) {
    add('fp32', sq(1024), [all]);
    add('fp32', sq(2048), [...new Set([all, 1])]);
    add('fp32', { m: 1, n: 4096, k: 4096 }, [all]);
    add('int8', sq(2048), [all]);
    add('fp16', sq(1024), [all]);
    return out;
  }
  const llm: GemmShape[] = [{ m: 1, n: 4096, k: 4096 }, { m: 1, n: 11008, k: 4096 }, { m: 16, n: 4096, k: 4096 }];
  for (const dtype of ['fp32', 'int8', 'fp16'] as const) {
    for (const s of [512, 1024, 2048]) add(dtype, sq(s), threadCounts);
    add(dtype, sq(4096), [all]);
    for (const s of llm) add(dtype, s, threadCounts);
  }
  return out;
}

/** Deterministic uniform values in [-1, 1) (xorshift32), so runs are repeatable. */
export function uniform(count: number, seed: number): Float32Array {
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

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 binary16 bits of a float (round to nearest even), for fp16 tensors on Node 20 (no Float16Array). */
export function toHalf(value: number): number {
  f32Scratch[0] = value;
  const u = u32Scratch[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mant |= 0x800000; // subnormal half: shift the implicit bit in
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && (half & 1)) ? 1 : 0));
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // Round to nearest even; a carry out of the mantissa correctly bumps the exponent (up to inf).
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

function halfArray(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toHalf(values[i]!);
  return out;
}

interface BuiltGraph {
  model: Uint8Array;
  chain: number;
  input: Tensor;
}

type Ort = typeof OrtModule;

const DTYPE_BYTES: Record<GemmDtype, number> = { fp32: 4, fp16: 2, int8: 1 };

/**
 * Builds the chained graph for one configuration. Weights are scaled to variance 1/k (uniform in
 * ±√(3/k)) so activations keep unit variance along the chain: no overflow to inf in fp16, no drift
 * into subnormals (which run far slower on x86) in fp32.
 *
 * The graph's output is the 1×1 corner of the last product (a Slice), unless `fullOutput`: a graph
 * output is allocated fresh and copied into a JS buffer on every run, which for a 4096² fp32
 * product (64 MiB) cost ~25 % of the kernel time on Zen 5 (fresh pages fault in). ORT still
 * computes the whole product (it does not push a Slice into a MatMul); the intermediate lives in
 * its arena, reused across runs.
 */
export function buildGemmGraph(
  ort: Ort,
  dtype: GemmDtype,
  shape: GemmShape,
  chain = chainLength(shape, DTYPE_BYTES[dtype]),
  fullOutput = false,
): BuiltGraph {
  const { m, n, k } = shape;
  const square = n === k;
  const elem = dtype === 'fp32' ? TensorDataType.FLOAT : dtype === 'fp16' ? TensorDataType.FLOAT16 : TensorDataType.UINT8;
  const weightType = dtype === 'int8' ? TensorDataType.INT8 : elem;
  const outType = dtype === 'int8' ? TensorDataType.INT32 : elem;
  const op = dtype === 'int8' ? 'MatMulInteger' : 'MatMul';

  const weight = (rows: number, cols: number, seed: number): Uint8Array => {
    const u = uniform(rows * cols, seed);
    if (dtype === 'int8') {
      const q = new Int8Array(u.length);
      for (let i = 0; i < u.length; i++) q[i] = Math.round(u[i]! * 127);
      return new Uint8Array(q.buffer);
    }
    const scale = Math.sqrt(3 / rows);
    for (let i = 0; i < u.length; i++) u[i]! *= scale;
    return dtype === 'fp16' ? new Uint8Array(halfArray(u).buffer) : new Uint8Array(u.buffer);
  };
  const initializers: InitializerSpec[] = [{ name: 'W', dataType: weightType, dims: [k, n], raw: weight(k, n, 1) }];
  if (!square) initializers.push({ name: 'V', dataType: weightType, dims: [n, k], raw: weight(n, k, 2) });

  const nodes: NodeSpec[] = [];
  let prev = 'X';
  const last = fullOutput ? 'Y' : 'P';
  for (let r = 0; r < chain; r++) {
    const out = r === chain - 1 ? last : `Y${r}`;
    nodes.push({ opType: op, inputs: [prev, square || r % 2 === 0 ? 'W' : 'V'], outputs: [out] });
    prev = out;
    if (dtype === 'int8' && r < chain - 1) {
      // int32 → uint8 (wraps): values are irrelevant to an integer kernel's speed.
      nodes.push({ opType: 'Cast', inputs: [out], outputs: [`${out}_u8`], attributes: [{ name: 'to', type: 'int', value: TensorDataType.UINT8 }] });
      prev = `${out}_u8`;
    }
  }
  const lastCols = square || chain % 2 === 0 ? k : n;
  if (!fullOutput) {
    const int64 = (v: number[]) => new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer);
    initializers.push({ name: 'corner_start', dataType: TensorDataType.INT64, dims: [2], raw: int64([0, 0]) });
    initializers.push({ name: 'corner_end', dataType: TensorDataType.INT64, dims: [2], raw: int64([1, 1]) });
    nodes.push({ opType: 'Slice', inputs: [last, 'corner_start', 'corner_end'], outputs: ['Y'] });
  }
  const model = buildModel({
    graphName: `${op}_chain_${dtype}_${m}x${n}x${k}_R${chain}`,
    inputs: [{ name: 'X', elemType: elem, shape: [m, k] }],
    outputs: [{ name: 'Y', elemType: outType, shape: fullOutput ? [m, lastCols] : [1, 1] }],
    nodes,
    initializers,
  });
  const x = uniform(m * k, 3);
  let input: Tensor;
  if (dtype === 'fp32') input = new ort.Tensor('float32', x, [m, k]);
  else if (dtype === 'fp16') input = new ort.Tensor('float16', halfArray(x), [m, k]);
  else {
    const q = new Uint8Array(x.length);
    for (let i = 0; i < x.length; i++) q[i] = Math.floor((x[i]! + 1) * 127.5);
    input = new ort.Tensor('uint8', q, [m, k]);
  }
  return { model, chain, input };
}

export function sessionOptions(threads: number): InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    // One graph, one chain: nothing for an inter-op pool to overlap.
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
}

export async function runGemm(options: GemmOptions, reporter: BenchReporter): Promise<GemmResult> {
  const { signal } = reporter;
  await checkpoint(signal);
  const ort: Ort = await import('onnxruntime-node');
  const maxThreads = Math.max(1, Math.floor(options.threads ?? os.availableParallelism()));
  const threadCounts = options.threadCounts ?? defaultThreadCounts(maxThreads);
  const dtypes = options.dtypes ?? ['fp32', 'int8', 'fp16'];
  const plan = gemmPlan(options.quick, threadCounts, dtypes, options.shapes);
  const minRepeats = options.minRepeats ?? (options.quick ? 5 : 7);
  const minSeconds = options.minSeconds ?? (options.quick ? 0.3 : 1);

  const result: GemmResult = { results: [], best: {}, unsupported: [] };
  const failed = new Set<GemmDtype>();
  for (const [i, cfg] of plan.entries()) {
    reporter.progress('gemm', i, plan.length);
    await checkpoint(signal);
    if (failed.has(cfg.dtype)) continue;
    const { m, n, k } = cfg.shape;
    const built = buildGemmGraph(ort, cfg.dtype, cfg.shape);
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(built.model, sessionOptions(cfg.threads));
      // Warm-up: the first run allocates ORT's arena and faults in the output pages; a second one
      // settles the thread pool. Neither is timed.
      await session.run({ X: built.input });
    } catch (err) {
      failed.add(cfg.dtype);
      const reason = err instanceof Error ? err.message : String(err);
      result.unsupported.push({ dtype: cfg.dtype, reason });
      reporter.log(`gemm ${cfg.dtype}: not supported by this ONNX Runtime CPU build (${reason.split('\n')[0]})`, 'warn');
      continue;
    }
    try {
      await session.run({ X: built.input });
      const times: number[] = [];
      let total = 0;
      // Repeat until both a minimum count and a minimum time are reached; median for the headline
      // (robust to a stray preemption), best kept as the uncontended figure.
      while (times.length < minRepeats || (total < minSeconds && times.length < 200)) {
        await checkpoint(signal);
        const t0 = process.hrtime.bigint();
        await session.run({ X: built.input });
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        times.push(seconds);
        total += seconds;
      }
      const per = times.map((t) => t / built.chain);
      const medianSeconds = median(per);
      const point: GemmPoint = {
        dtype: cfg.dtype, m, n, k, threads: cfg.threads,
        gflops: gflopsPerSecond(gemmFlops(m, n, k), medianSeconds),
        medianSeconds,
        bestSeconds: Math.min(...per),
        repeats: times.length,
      };
      result.results.push(point);
      result.best[cfg.dtype] = Math.max(result.best[cfg.dtype] ?? 0, point.gflops);
      reporter.log(`gemm ${cfg.dtype} ${m}×${n}×${k} ×${built.chain}, ${cfg.threads} thread(s): ${point.gflops.toFixed(1)} G${cfg.dtype === 'int8' ? 'OP' : 'FLOP'}/s (median of ${times.length})`);
    } finally {
      await session.release();
    }
  }
  reporter.progress('gemm', plan.length, plan.length);
  return result;
}
