/**
 * The cost model's calibration (Node main process / CLI): fp32 MatMul and Conv throughput over
 * the shapes models are made of, and what one kernel costs beyond its work, measured through ONNX
 * Runtime's CPU execution provider with the GEMM benchmark's session options (gemm.ts) at the
 * benchmark's thread count. The result type and its meaning: src-shared/bench/calibration.ts.
 *
 * Method. First the per-kernel overhead: a chain of N tiny Adds against a chain of 1, runs
 * interleaved, medians; (t_N − t_1)/(N − 1) is one kernel's dispatch, t_1 − that is the cost of a
 * session.run itself. Then each shape: a graph runs R kernels of it (a chain, so one run carries
 * enough work that the run's own cost is small), warmed up twice, then timed until both a minimum
 * count and a minimum time are reached; the median run, less the per-run cost and the extra
 * kernels' dispatch, divided by R, less one kernel's dispatch, is the shape's work time. So a
 * prediction of (work / GFLOP/s + overheadUs) per kernel reproduces what was measured. Stride-2
 * convolutions cannot chain (the size halves): they run as R branches on one input, and their
 * time is ORT's profiler kernel time of the Conv nodes (the branch's layout reorder left out).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { median } from '../../../src-shared/bench/accounting.js';
import type { Calibration, ConvShapePoint, ElementwisePoint, GemmShapePoint, LayoutPoint, OutputPoint } from '../../../src-shared/bench/calibration.js';
import { buildModel, TensorDataType, type InitializerSpec, type NodeSpec } from '../onnx/build-graph.js';
import { buildGemmGraph, sessionOptions, uniform } from './gemm.js';
import { checkpoint, type BenchReporter } from './types.js';

type Ort = typeof OrtModule;

export interface CalGemmShape {
  batch: number;
  m: number;
  n: number;
  k: number;
}

export interface CalConvShape {
  /** Output channels (= input channels unless inChannels is given). */
  channels: number;
  /** A 1×1 convolution's input channels: the chain alternates channels ↔ inChannels (ConvShapePoint.inChannels). */
  inChannels?: number;
  groups: number;
  /** Output height = width. */
  size: number;
  kernel: number;
  stride: number;
}

export interface CalibrationOptions {
  threads: number;
  quick: boolean;
  /** Replace the default shape plans (tests). */
  gemmShapes?: CalGemmShape[];
  convShapes?: CalConvShape[];
  /** Measure the element-wise points (default true). */
  elementwise?: boolean;
  /** Measure the layout conversions (default true). */
  layout?: boolean;
  /** Measure what handing graph outputs back costs (default true). */
  outputs?: boolean;
}

export const CALIBRATION_PHASE = 'calibration';

/**
 * Passes over the product and convolution plan; each shape keeps its fastest pass. On a VM whose
 * second vCPU runs at 0.55–1.0 of the first from one minute to the next (bench/hosts.md, Zen 5),
 * single passes measured the 128³ product at 195–294 GFLOP/s and 16×768×768 at 202–365, which
 * moved GPT-2's prediction by 1.5×. Two passes, apart in time, keep what the machine does when
 * not disturbed, as the model runs' medians do.
 */
const ROUNDS = 2;

/** Timing budget per shape: at least `minRepeats` runs and `minSeconds` of them (≤ `maxRepeats`). */
interface Budget {
  minRepeats: number;
  minSeconds: number;
  maxRepeats: number;
}

const budget = (quick: boolean): Budget => (quick ? { minRepeats: 3, minSeconds: 0.12, maxRepeats: 100 } : { minRepeats: 5, minSeconds: 0.3, maxRepeats: 200 });

/**
 * The shape plan. Quick (≤ ~6 s on 2 cores): squares 128–1024; the skinny products of a
 * transformer's projections and MLP (m = 1, 4, 16, 64 tokens against 768² and the 768 ↔ 3072
 * pair) and m = 1 against 512²; attention's batched products (12 heads, 128 tokens, head size 64);
 * the 1×1 convolutions of a ResNet (m = H·W of 56², 28², 14², 7²) and the expansions of an
 * inverted-residual network (16 ↔ 96 at 112² … 192 ↔ 1152 at 7²). Dense 3×3 at each ResNet stage,
 * MobileNetV2's depthwise 3×3 layers (stride 1 and 2), EfficientNet's depthwise 5×5 ones, one
 * ResNeXt-style grouped 3×3, and a 1×1 convolution on a 1×1 image (a squeeze-and-excitation FC).
 * Full (≤ ~20 s) adds squares 768 and 2048, 3072² skinny products, square 1×1 convolutions and
 * more of the depthwise and grouped layers. A non-square shape is measured as the k×n / n×k pair
 * (see gemm.ts), both with the same m·n·k.
 */
export function calibrationPlan(quick: boolean): { gemm: CalGemmShape[]; conv: CalConvShape[] } {
  const g = (m: number, n: number, k: number, batch = 1): CalGemmShape => ({ batch, m, n, k });
  const squares = quick ? [128, 256, 512, 1024] : [128, 256, 512, 768, 1024, 2048];
  const gemm: CalGemmShape[] = squares.map((s) => g(s, s, s));
  gemm.push(g(1, 512, 512));
  for (const m of [1, 4, 16, 64]) gemm.push(g(m, 768, 768), g(m, 3072, 768));
  if (!quick) for (const m of [1, 16]) gemm.push(g(m, 3072, 3072));
  gemm.push(g(128, 128, 64, 12));
  if (!quick) gemm.push(g(128, 128, 128, 12));
  gemm.push(g(3136, 256, 64), g(784, 512, 128), g(196, 1024, 256), g(49, 1024, 512));
  if (!quick) gemm.push(g(3136, 64, 64), g(784, 128, 128), g(196, 256, 256), g(49, 512, 512));

  const c = (channels: number, groups: number, size: number, stride = 1, kernel = 3): CalConvShape => ({ channels, groups, size, kernel, stride });
  const conv: CalConvShape[] = [c(64, 1, 56), c(128, 1, 28), c(256, 1, 14), c(512, 1, 7)];
  conv.push(c(32, 32, 112), c(144, 144, 56), c(384, 384, 14), c(960, 960, 7), c(96, 96, 56, 2), c(576, 576, 7, 2));
  // EfficientNet's 5×5 depthwise layers (stride 1 and 2): 25 taps per output run at a higher rate
  // than 9 (EfficientNet-B0's read half their 3×3-based prediction here).
  conv.push(c(240, 240, 28, 1, 5), c(672, 672, 14, 1, 5), c(1152, 1152, 7, 1, 5), c(144, 144, 28, 2, 5), c(672, 672, 7, 2, 5));
  if (!quick) conv.push(c(192, 192, 28), c(576, 576, 14), c(144, 144, 28, 2));
  conv.push(c(128, 32, 28));
  // A convolution too small to matter for its work (a squeeze-and-excitation FC on 1×1): what any
  // thread-pool kernel costs at least (the Add chain of measureOverhead runs on one thread).
  conv.push({ channels: 64, groups: 1, size: 1, kernel: 1, stride: 1 });
  // 1×1 convolutions as ONNX Runtime runs them (on x86 its blocked NCHWc kernels, not MatMul's:
  // 24 ↔ 144 at 56² ran as a MatMul at 290 GFLOP/s but as EfficientNet's Conv at ~190 here): the
  // bottlenecks of ResNet stages and the expansions/projections of inverted-residual networks.
  const pw = (inChannels: number, channels: number, size: number): CalConvShape => ({ channels, inChannels, groups: 1, size, kernel: 1, stride: 1 });
  conv.push(pw(64, 256, 56), pw(128, 512, 28), pw(256, 1024, 14), pw(512, 2048, 7));
  conv.push(pw(16, 96, 112), pw(24, 144, 56), pw(40, 240, 28), pw(80, 480, 14), pw(192, 1152, 7));
  // The stems on an RGB image: MobileNet/EfficientNet's 3×3 and ResNet's 7×7, stride 2 to 112².
  // A reduction of 27 or 147 taps is far from every other dense point (MobileNetV2's read 1.9× and
  // 0.6× its prediction from them, depending on which points were nearest).
  conv.push({ channels: 32, inChannels: 3, groups: 1, size: 112, kernel: 3, stride: 2 }, { channels: 64, inChannels: 3, groups: 1, size: 112, kernel: 7, stride: 2 });
  if (!quick) conv.push(c(256, 32, 14));
  return { gemm, conv };
}

export const gemmShapeFlops = (s: CalGemmShape): number => 2 * s.batch * s.m * s.n * s.k;

/** 2·MACs; MACs = output elements · (C_in / groups) · k². */
export function convFlops(s: CalConvShape): number {
  return 2 * s.channels * s.size * s.size * ((s.inChannels ?? s.channels) / s.groups) * s.kernel * s.kernel;
}

/**
 * Kernels per run: enough that a run carries ~`target` FLOPs (a few ms), at most 32, and at most
 * 64 MiB of weights (every MatMul node pre-packs its own copy); even when W and V alternate.
 */
export function calChain(flops: number, weightBytes: number, alternating: boolean, target = 4e7): number {
  const byFlops = Math.round(target / flops);
  const byBytes = Math.floor((64 * 2 ** 20) / Math.max(1, weightBytes));
  const r = Math.min(32, Math.max(1, Math.min(byFlops, byBytes)));
  return alternating ? Math.max(2, r - (r % 2)) : r;
}

async function timeRuns(session: InferenceSession, feeds: Record<string, Tensor>, b: Budget, signal: AbortSignal): Promise<number[]> {
  const times: number[] = [];
  let total = 0;
  while (times.length < b.minRepeats || (total < b.minSeconds && times.length < b.maxRepeats)) {
    await checkpoint(signal);
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    times.push(seconds);
    total += seconds;
  }
  return times;
}

/** Creates a session, warms it up twice (arena, thread pool; untimed), times it, releases it. */
async function measureGraph(ort: Ort, model: Uint8Array, feeds: Record<string, Tensor>, threads: number, b: Budget, signal: AbortSignal): Promise<number> {
  const session = await ort.InferenceSession.create(model, sessionOptions(threads));
  try {
    await session.run(feeds);
    await session.run(feeds);
    return median(await timeRuns(session, feeds, b, signal));
  } finally {
    await session.release();
  }
}

/** What every run and every kernel costs beyond its work (seconds). */
interface Base {
  runSeconds: number;
  kernelSeconds: number;
}

/**
 * Work seconds of one unit: (median run − run cost − `fixed` kernels' dispatch) / units − `perUnit`
 * dispatches. Never below half the raw per-unit time (noise in the subtraction must not make a
 * shape look arbitrarily fast).
 */
export function workSeconds(runMedian: number, units: number, fixed: number, perUnit: number, base: Base): number {
  const raw = runMedian / units;
  const net = (runMedian - base.runSeconds - fixed * base.kernelSeconds) / units - perUnit * base.kernelSeconds;
  return Math.max(net, raw / 2);
}

const f32 = (values: Float32Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
const i64 = (values: number[]) => new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);

/** A chain of `chain` Adds of a constant to a 1×8 input. */
function addChain(chain: number): Uint8Array {
  const nodes: NodeSpec[] = [];
  let prev = 'X';
  for (let r = 0; r < chain; r++) {
    const out = r === chain - 1 ? 'Y' : `A${r}`;
    nodes.push({ opType: 'Add', inputs: [prev, 'C'], outputs: [out] });
    prev = out;
  }
  return buildModel({
    graphName: `add_chain_${chain}`,
    inputs: [{ name: 'X', elemType: TensorDataType.FLOAT, shape: [1, 8] }],
    outputs: [{ name: 'Y', elemType: TensorDataType.FLOAT, shape: [1, 8] }],
    nodes,
    initializers: [{ name: 'C', dataType: TensorDataType.FLOAT, dims: [1, 8], raw: f32(new Float32Array(8).fill(1e-3)) }],
  });
}

const OVERHEAD_CHAIN = 64;

/** The per-kernel and per-run cost: chains of 64 and of 1 tiny Adds, runs interleaved, medians. */
export async function measureOverhead(ort: Ort, threads: number, quick: boolean, signal: AbortSignal): Promise<Base> {
  const feeds = { X: new ort.Tensor('float32', new Float32Array(8), [1, 8]) };
  const one = await ort.InferenceSession.create(addChain(1), sessionOptions(threads));
  const many = await ort.InferenceSession.create(addChain(OVERHEAD_CHAIN), sessionOptions(threads));
  try {
    const t1: number[] = [];
    const tn: number[] = [];
    const time = async (s: InferenceSession, into: number[]) => {
      const t0 = process.hrtime.bigint();
      await s.run(feeds);
      into.push(Number(process.hrtime.bigint() - t0) / 1e9);
    };
    for (let i = 0; i < 10; i++) {
      await one.run(feeds);
      await many.run(feeds);
    }
    const pairs = quick ? 200 : 500;
    for (let i = 0; i < pairs; i++) {
      if (i % 20 === 0) await checkpoint(signal);
      await time(one, t1);
      await time(many, tn);
    }
    const kernelSeconds = Math.max((median(tn) - median(t1)) / (OVERHEAD_CHAIN - 1), 1e-9);
    return { kernelSeconds, runSeconds: Math.max(median(t1) - kernelSeconds, 0) };
  } finally {
    await one.release();
    await many.release();
  }
}

/** What ORT's profiler adds to every kernel it times, and what a kernel costs without it (µs). */
export interface ProfilerCost {
  /** Mean profiler kernel time of a tiny Add less its time without the profiler: the profiler's own share of every kernel_time. */
  profilerUs: number;
  /** One tiny kernel's time without the profiler (measureOverhead's per-kernel cost). */
  kernelUs: number;
}

const mean = (values: number[]): number => values.reduce((a, v) => a + v, 0) / Math.max(1, values.length);

/**
 * The profiler's own cost per kernel, at `threads` intra-op threads: the chain of 64 tiny Adds of
 * measureOverhead, its per-kernel time without the profiler against the mean of its Add kernels'
 * kernel_time with it (a mean: ORT writes whole µs). ORT's kernel_time carries the profiler's
 * bookkeeping (timestamps, the thread-pool statistics it gathers and formats for each kernel): on a
 * 2-vCPU Zen 5 VM (2026-12-08, 2 threads) a tiny Add took 0.27 µs without the profiler and
 * recorded 4 µs with it, a Sigmoid on 32 values 0.25 µs and 4 µs, a 1×1 Conv on a 1×1 image
 * 2.9 µs and 7 µs. The tiny Add gives the smallest such cost, so subtracting it never
 * over-corrects a kernel.
 */
export async function measureProfilerCost(ort: Ort, threads: number, signal: AbortSignal): Promise<ProfilerCost> {
  const base = await measureOverhead(ort, threads, true, signal);
  const feeds = { X: new ort.Tensor('float32', new Float32Array(8), [1, 8]) };
  const profiled = (await profiledKernelSeconds(ort, addChain(OVERHEAD_CHAIN), feeds, threads, budget(true), signal, (op) => op === 'Add', mean)).get('Add');
  if (profiled === undefined) throw new Error('no Add kernel in the ONNX Runtime profile');
  const kernelUs = base.kernelSeconds * 1e6;
  return { profilerUs: Math.max(0, profiled * 1e6 - kernelUs), kernelUs };
}

/** A batched chain Y₁ = X·W, Y₂ = Y₁·V, … with W and V graph inputs (attention: both operands are activations). */
export function batchedGraph(ort: Ort, s: CalGemmShape, chain: number): { model: Uint8Array; feeds: Record<string, Tensor> } {
  const { batch: b, m, n, k } = s;
  const square = n === k;
  const nodes: NodeSpec[] = [];
  let prev = 'X';
  for (let r = 0; r < chain; r++) {
    const out = `Y${r}`;
    nodes.push({ opType: 'MatMul', inputs: [prev, square || r % 2 === 0 ? 'W' : 'V'], outputs: [out] });
    prev = out;
  }
  const initializers: InitializerSpec[] = [
    { name: 'corner_start', dataType: TensorDataType.INT64, dims: [3], raw: i64([0, 0, 0]) },
    { name: 'corner_end', dataType: TensorDataType.INT64, dims: [3], raw: i64([1, 1, 1]) },
  ];
  nodes.push({ opType: 'Slice', inputs: [prev, 'corner_start', 'corner_end'], outputs: ['Y'] });
  const scaled = (count: number, seed: number, rows: number) => uniform(count, seed).map((v) => v * Math.sqrt(3 / rows));
  const feeds: Record<string, Tensor> = {
    X: new ort.Tensor('float32', uniform(b * m * k, 3), [b, m, k]),
    W: new ort.Tensor('float32', scaled(b * k * n, 1, k), [b, k, n]),
  };
  const inputs = [
    { name: 'X', elemType: TensorDataType.FLOAT, shape: [b, m, k] },
    { name: 'W', elemType: TensorDataType.FLOAT, shape: [b, k, n] },
  ];
  if (!square) {
    feeds.V = new ort.Tensor('float32', scaled(b * n * k, 2, n), [b, n, k]);
    inputs.push({ name: 'V', elemType: TensorDataType.FLOAT, shape: [b, n, k] });
  }
  const model = buildModel({
    graphName: `batched_matmul_${b}x${m}x${n}x${k}_R${chain}`,
    inputs,
    outputs: [{ name: 'Y', elemType: TensorDataType.FLOAT, shape: [1, 1, 1] }],
    nodes,
    initializers,
  });
  return { model, feeds };
}

async function measureGemmShape(ort: Ort, s: CalGemmShape, threads: number, b: Budget, base: Base, signal: AbortSignal): Promise<GemmShapePoint> {
  const alternating = s.n !== s.k;
  const chain = calChain(gemmShapeFlops(s), s.batch > 1 ? 0 : s.n * s.k * 4, alternating);
  let model: Uint8Array;
  let feeds: Record<string, Tensor>;
  if (s.batch > 1) ({ model, feeds } = batchedGraph(ort, s, chain));
  else {
    const built = buildGemmGraph(ort, 'fp32', { m: s.m, n: s.n, k: s.k }, chain);
    ({ model } = built);
    feeds = { X: built.input };
  }
  // One Slice after the chain.
  const medianSeconds = workSeconds(await measureGraph(ort, model, feeds, threads, b, signal), chain, 1, 1, base);
  return { ...s, gflops: gemmShapeFlops(s) / medianSeconds / 1e9, medianSeconds };
}

/**
 * Conv graph. Stride 1: a chain of R convolutions, each with its own weight (the output has the
 * input's shape), then a Slice of one corner. Stride 2 halves the size, so it cannot chain: R branches
 * read the same input, each with its own weight (identical branches would be merged by ORT's
 * common-subexpression elimination) and a Slice of its corner, and a Concat joins the corners.
 * With channels a multiple of the NCHWc block ORT converts every Conv to its blocked layout and
 * reorders at the graph's edges: once per run for a chain, but once per branch for branches (an
 * output-sized copy that costs a depthwise Conv ~0.8× its own time), which is why branches are
 * timed by the profiler's per-Conv kernel time.
 */
export function convGraph(ort: Ort, s: CalConvShape, units: number, branches = s.stride !== 1): { model: Uint8Array; feeds: Record<string, Tensor>; branches: boolean } {
  const { channels: ch, groups, size, kernel: kk, stride } = s;
  const cin = s.inChannels ?? ch;
  if (cin !== ch && groups !== 1) throw new Error('a convolution with other input than output channels is calibrated as a dense one only');
  const inSize = size * stride;
  // Conv r of a chain maps `from` channels to `to` (an expansion/projection pair alternates them).
  const weight = (seed: number, from = ch, to = ch) => f32(uniform(to * (from / groups) * kk * kk, seed).map((v) => v * Math.sqrt(3 / ((from / groups) * kk * kk))));
  const pad = (kk - 1) >> 1;
  const attributes = [
    { name: 'kernel_shape', type: 'ints' as const, value: [kk, kk] },
    { name: 'pads', type: 'ints' as const, value: [pad, pad, pad, pad] },
    { name: 'strides', type: 'ints' as const, value: [stride, stride] },
    { name: 'group', type: 'int' as const, value: groups },
  ];
  const initializers: InitializerSpec[] = [
    { name: 'corner_start', dataType: TensorDataType.INT64, dims: [4], raw: i64([0, 0, 0, 0]) },
    { name: 'corner_end', dataType: TensorDataType.INT64, dims: [4], raw: i64([1, 1, 1, 1]) },
  ];
  const nodes: NodeSpec[] = [];
  if (!branches) {
    // Every Conv its own weight, as in a model: a chain of 64 tiny 1×1 Convs sharing one weight ran
    // 0.65 µs per Conv here (2 threads), with a weight each 2.8 µs, and EfficientNet's
    // squeeze-and-excitation Convs take the latter (2026-12-08, Zen 5 VM).
    let prev = 'X';
    for (let r = 0; r < units; r++) {
      const [from, to] = r % 2 === 0 ? [cin, ch] : [ch, cin];
      initializers.push({ name: `W${r}`, dataType: TensorDataType.FLOAT, dims: [to, from / groups, kk, kk], raw: weight(r + 1, from, to) });
      nodes.push({ opType: 'Conv', inputs: [prev, `W${r}`], outputs: [`C${r}`], attributes });
      prev = `C${r}`;
    }
    nodes.push({ opType: 'Slice', inputs: [prev, 'corner_start', 'corner_end'], outputs: ['Y'] });
  } else {
    for (let r = 0; r < units; r++) {
      initializers.push({ name: `W${r}`, dataType: TensorDataType.FLOAT, dims: [ch, cin / groups, kk, kk], raw: weight(r + 1, cin, ch) });
      nodes.push({ opType: 'Conv', inputs: ['X', `W${r}`], outputs: [`C${r}`], attributes });
      nodes.push({ opType: 'Slice', inputs: [`C${r}`, 'corner_start', 'corner_end'], outputs: [`S${r}`] });
    }
    nodes.push({ opType: 'Concat', inputs: nodes.filter((n) => n.opType === 'Slice').map((n) => n.outputs[0]!), outputs: ['Y'], attributes: [{ name: 'axis', type: 'int', value: 0 }] });
  }
  const model = buildModel({
    graphName: `conv_${cin === ch ? '' : `${cin}to`}${ch}g${groups}_${size}s${stride}k${kk}_R${units}`,
    inputs: [{ name: 'X', elemType: TensorDataType.FLOAT, shape: [1, cin, inSize, inSize] }],
    outputs: [{ name: 'Y', elemType: TensorDataType.FLOAT, shape: [branches ? units : 1, 1, 1, 1] }],
    nodes,
    initializers,
  });
  const feeds = { X: new ort.Tensor('float32', uniform(cin * inSize * inSize, 3), [1, cin, inSize, inSize]) };
  return { model, feeds, branches };
}

/**
 * Median kernel time of the graph's Conv nodes from ORT's profiler (its per-node "kernel_time", what
 * the profile suite measures models with), over the timed runs only.
 */
async function profiledConvSeconds(ort: Ort, model: Uint8Array, feeds: Record<string, Tensor>, threads: number, b: Budget, signal: AbortSignal): Promise<number> {
  const seconds = (await profiledKernelSeconds(ort, model, feeds, threads, b, signal, (op) => /Conv$/.test(op))).get('Conv');
  if (seconds === undefined) throw new Error('no Conv kernel in the ONNX Runtime profile');
  return seconds;
}

/**
 * Median kernel time per op (ORT's op name; Conv and FusedConv counted as Conv) of the kernels
 * `pick` accepts, from ORT's profiler over the timed runs only: the two warm-up runs' events are
 * dropped. The profile goes to a private temp folder, removed afterwards.
 */
async function profiledKernelSeconds(ort: Ort, model: Uint8Array, feeds: Record<string, Tensor>, threads: number, b: Budget, signal: AbortSignal, pick: (op: string) => boolean, stat: (values: number[]) => number = median): Promise<Map<string, number>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flopscope-calibration-'));
  try {
    const session = await ort.InferenceSession.create(model, { ...sessionOptions(threads), enableProfiling: true, profileFilePrefix: path.join(dir, 'cal') });
    let runs = 2;
    try {
      await session.run(feeds);
      await session.run(feeds);
      runs += (await timeRuns(session, feeds, b, signal)).length;
    } finally {
      session.endProfiling();
      await session.release();
    }
    const file = (await readdir(dir)).find((f) => f.endsWith('.json'));
    if (!file) throw new Error('ONNX Runtime wrote no profile');
    const events = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as unknown;
    const kernels = (Array.isArray(events) ? (events as ProfileEvent[]) : [])
      .filter((e) => e?.cat === 'Node' && typeof e.name === 'string' && e.name.endsWith('_kernel_time') && typeof e.args?.op_name === 'string' && pick(e.args.op_name) && typeof e.dur === 'number')
      .sort((x, y) => x.ts - y.ts);
    const byOp = new Map<string, number[]>();
    for (const e of kernels) {
      const op = /Conv$/.test(e.args!.op_name!) ? 'Conv' : e.args!.op_name!;
      const list = byOp.get(op) ?? [];
      list.push(e.dur);
      byOp.set(op, list);
    }
    const out = new Map<string, number>();
    for (const [op, durs] of byOp) {
      // Every run has the same kernels: the first two runs' share of an op's events are the warm-up's.
      const timed = durs.slice(Math.round((2 * durs.length) / runs));
      out.set(op, stat(timed.length ? timed : durs) / 1e6);
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ProfileEvent {
  cat?: string;
  name?: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

async function measureConvShape(ort: Ort, s: CalConvShape, threads: number, b: Budget, base: Base, signal: AbortSignal): Promise<ConvShapePoint> {
  const weightBytes = s.channels * ((s.inChannels ?? s.channels) / s.groups) * s.kernel * s.kernel * 4;
  const units = calChain(convFlops(s), weightBytes, (s.inChannels ?? s.channels) !== s.channels);
  const { model, feeds, branches } = convGraph(ort, s, units);
  // Chain: its run, less the run's cost and the Slice and two reorders at its ends, per Conv.
  // Branches (stride 2): the profiler's Conv kernel time, which leaves out the per-branch reorder.
  const medianSeconds = branches
    ? await profiledConvSeconds(ort, model, feeds, threads, b, signal)
    : workSeconds(await measureGraph(ort, model, feeds, threads, b, signal), units, 3, 1, base);
  return { ...s, gflops: convFlops(s) / medianSeconds / 1e9, medianSeconds };
}

/** The element-wise shapes: a MobileNet/EfficientNet activation at 56² (~1.8 MB fp32), plain and per-channel broadcast. */
export const ELEMENTWISE_SHAPE: [number, number, number, number] = [1, 144, 56, 56];

/**
 * A chain of `chain` Muls of X by S (same shape, or [1, C, 1, 1]), or of Sigmoids of X, then a
 * Slice of one corner.
 */
export function mulChain(ort: Ort, shape: [number, number, number, number], broadcast: boolean, chain: number, op: 'Mul' | 'Sigmoid' = 'Mul'): { model: Uint8Array; feeds: Record<string, Tensor> } {
  const [n, c, h, w] = shape;
  const sShape = broadcast ? [n, c, 1, 1] : shape;
  const nodes: NodeSpec[] = [];
  let prev = 'X';
  for (let r = 0; r < chain; r++) {
    nodes.push(op === 'Mul' ? { opType: 'Mul', inputs: [prev, 'S'], outputs: [`Y${r}`] } : { opType: 'Sigmoid', inputs: [prev], outputs: [`Y${r}`] });
    prev = `Y${r}`;
  }
  nodes.push({ opType: 'Slice', inputs: [prev, 'corner_start', 'corner_end'], outputs: ['Y'] });
  const count = (d: number[]) => d.reduce((a, b) => a * b, 1);
  const model = buildModel({
    graphName: `mul_chain_${broadcast ? 'channel' : 'same'}_R${chain}`,
    inputs: [
      { name: 'X', elemType: TensorDataType.FLOAT, shape: [n, c, h, w] },
      ...(op === 'Mul' ? [{ name: 'S', elemType: TensorDataType.FLOAT, shape: sShape }] : []),
    ],
    outputs: [{ name: 'Y', elemType: TensorDataType.FLOAT, shape: [1, 1, 1, 1] }],
    nodes,
    initializers: [
      { name: 'corner_start', dataType: TensorDataType.INT64, dims: [4], raw: i64([0, 0, 0, 0]) },
      { name: 'corner_end', dataType: TensorDataType.INT64, dims: [4], raw: i64([1, 1, 1, 1]) },
    ],
  });
  // Factors near 1, so a long chain neither overflows nor reaches denormals.
  const feeds: Record<string, Tensor> = { X: new ort.Tensor('float32', uniform(count(shape), 5), shape) };
  if (op === 'Mul') feeds.S = new ort.Tensor('float32', new Float32Array(count(sShape)).fill(1.0001), sShape);
  return { model, feeds };
}

async function measureElementwise(ort: Ort, broadcast: boolean, threads: number, b: Budget, base: Base, signal: AbortSignal, op: 'Mul' | 'Sigmoid' = 'Mul'): Promise<ElementwisePoint> {
  const elements = ELEMENTWISE_SHAPE.reduce((a, v) => a * v, 1);
  const chain = 16;
  const { model, feeds } = mulChain(ort, ELEMENTWISE_SHAPE, broadcast, chain, op);
  const medianSeconds = workSeconds(await measureGraph(ort, model, feeds, threads, b, signal), chain, 1, 1, base);
  // Read X (and a same-shape S), write Y; a broadcast S is a few hundred bytes.
  const bytes = elements * 4 * (op === 'Sigmoid' || broadcast ? 2 : 3);
  return { op, broadcast: broadcast ? 'channel' : 'none', elements, GBs: bytes / medianSeconds / 1e9, medianSeconds };
}

/**
 * The layout grid: channel counts and image sizes of the tensors a CNN's squeeze-and-excitation
 * scales and other plain-layout ops sit on (EfficientNet's and MobileNetV3's stages: 112² with
 * few channels down to 7² with ~1000), where ORT converts between its blocked layout and plain
 * NCHW on both sides of the op. Quick measures the diagonal; full adds the neighbours.
 */
export function layoutPlan(quick: boolean): Array<{ channels: number; size: number }> {
  const diagonal = [
    { channels: 32, size: 112 },
    { channels: 144, size: 56 },
    { channels: 240, size: 28 },
    { channels: 480, size: 14 },
    { channels: 1152, size: 7 },
  ];
  return quick ? diagonal : [...diagonal, { channels: 96, size: 56 }, { channels: 144, size: 28 }, { channels: 672, size: 14 }, { channels: 320, size: 7 }];
}

/**
 * `units` × (1×1 depthwise Conv → Mul by S), then a Slice of one corner. S is a [1, C, 1, 1] graph
 * input, so ORT can fold it into neither the Conv nor a constant: each Conv runs blocked (NCHWc),
 * each Mul plain, and a ReorderOutput and a ReorderInput sit around every Mul, as around a
 * squeeze-and-excitation scale in a model.
 */
export function layoutGraph(ort: Ort, channels: number, size: number, units: number): { model: Uint8Array; feeds: Record<string, Tensor> } {
  const shape = [1, channels, size, size];
  const attributes = [
    { name: 'kernel_shape', type: 'ints' as const, value: [1, 1] },
    { name: 'group', type: 'int' as const, value: channels },
  ];
  const nodes: NodeSpec[] = [];
  let prev = 'X';
  for (let r = 0; r < units; r++) {
    nodes.push({ opType: 'Conv', inputs: [prev, 'W'], outputs: [`C${r}`], attributes });
    nodes.push({ opType: 'Mul', inputs: [`C${r}`, 'S'], outputs: [`M${r}`] });
    prev = `M${r}`;
  }
  nodes.push({ opType: 'Slice', inputs: [prev, 'corner_start', 'corner_end'], outputs: ['Y'] });
  const model = buildModel({
    graphName: `layout_${channels}c_${size}_R${units}`,
    inputs: [
      { name: 'X', elemType: TensorDataType.FLOAT, shape },
      { name: 'S', elemType: TensorDataType.FLOAT, shape: [1, channels, 1, 1] },
    ],
    outputs: [{ name: 'Y', elemType: TensorDataType.FLOAT, shape: [1, 1, 1, 1] }],
    nodes,
    initializers: [
      { name: 'W', dataType: TensorDataType.FLOAT, dims: [channels, 1, 1, 1], raw: f32(new Float32Array(channels).fill(1.0001)) },
      { name: 'corner_start', dataType: TensorDataType.INT64, dims: [4], raw: i64([0, 0, 0, 0]) },
      { name: 'corner_end', dataType: TensorDataType.INT64, dims: [4], raw: i64([1, 1, 1, 1]) },
    ],
  });
  const feeds: Record<string, Tensor> = {
    X: new ort.Tensor('float32', uniform(channels * size * size, 5), shape),
    S: new ort.Tensor('float32', new Float32Array(channels).fill(0.9999), [1, channels, 1, 1]),
  };
  return { model, feeds };
}

/** Chain length of the layout graph: 8 units. Every unit's reorders and Mul are separate kernels in ORT's profile. */
const LAYOUT_UNITS = 8;

async function measureLayout(ort: Ort, channels: number, size: number, threads: number, b: Budget, signal: AbortSignal): Promise<LayoutPoint> {
  const { model, feeds } = layoutGraph(ort, channels, size, LAYOUT_UNITS);
  const times = await profiledKernelSeconds(ort, model, feeds, threads, b, signal, (op) => op === 'ReorderInput' || op === 'ReorderOutput' || op === 'Mul');
  const get = (op: string): number => {
    const t = times.get(op);
    // Without NCHWc (no AVX2 / AVX-512, or another ORT) there is no reorder to measure.
    if (t === undefined) throw new Error(`no ${op} kernel in the ONNX Runtime profile of the layout graph`);
    return t;
  };
  return { channels, size, reorderInputSeconds: get('ReorderInput'), reorderOutputSeconds: get('ReorderOutput'), broadcastMulSeconds: get('Mul') };
}

/** Output sizes measured (bytes): quick 1 and 16 MiB; full adds 4 and 64 MiB (a language model's logits reach tens of MB). */
export function outputPlan(quick: boolean): number[] {
  return (quick ? [1, 16] : [1, 4, 16, 64]).map((mib) => mib * 2 ** 20);
}

/** One Relu from a graph input of `bytes / 4` floats to the graph output. */
export function outputGraph(ort: Ort, bytes: number): { model: Uint8Array; feeds: Record<string, Tensor> } {
  const n = Math.max(1, Math.round(bytes / 4));
  const model = buildModel({
    graphName: `output_${n}`,
    inputs: [{ name: 'X', elemType: TensorDataType.FLOAT, shape: [n] }],
    outputs: [{ name: 'Y', elemType: TensorDataType.FLOAT, shape: [n] }],
    nodes: [{ opType: 'Relu', inputs: ['X'], outputs: ['Y'] }],
  });
  return { model, feeds: { X: new ort.Tensor('float32', uniform(n, 7), [n]) } };
}

/**
 * What a graph output of `bytes` costs per run beyond its kernel (OutputPoint): the median
 * session.run of the Relu graph, less the Relu's median kernel time in ORT's profiler (a session of
 * its own, so the timed runs carry no profiling), less the per-run cost; never below 0.
 */
async function measureOutput(ort: Ort, bytes: number, threads: number, b: Budget, base: Base, signal: AbortSignal): Promise<OutputPoint> {
  const { model, feeds } = outputGraph(ort, bytes);
  const run = await measureGraph(ort, model, feeds, threads, b, signal);
  const kernel = (await profiledKernelSeconds(ort, model, feeds, threads, b, signal, (op) => op === 'Relu')).get('Relu');
  if (kernel === undefined) throw new Error('no Relu kernel in the ONNX Runtime profile of the output graph');
  return { bytes: 4 * Math.max(1, Math.round(bytes / 4)), seconds: Math.max(run - kernel - base.runSeconds, 0) };
}

export async function runCalibration(options: CalibrationOptions, reporter: BenchReporter): Promise<Calibration> {
  const { signal } = reporter;
  await checkpoint(signal);
  const ort: Ort = await import('onnxruntime-node');
  const threads = Math.max(1, Math.floor(options.threads));
  const plan = calibrationPlan(options.quick);
  const gemmShapes = options.gemmShapes ?? plan.gemm;
  const convShapes = options.convShapes ?? plan.conv;
  const b = budget(options.quick);
  const total = 1 + ROUNDS * (gemmShapes.length + convShapes.length);
  reporter.progress(CALIBRATION_PHASE, 0, total);
  const base = await measureOverhead(ort, threads, options.quick, signal);
  const overheadUs = base.kernelSeconds * 1e6;
  reporter.log(`calibration: ${overheadUs.toFixed(2)} µs per kernel, ${(base.runSeconds * 1e6).toFixed(1)} µs per session.run`);
  let done = 1;
  // Every shape in each of ROUNDS passes over the whole plan, the fastest kept (see ROUNDS).
  const gemm: GemmShapePoint[] = [];
  const conv: ConvShapePoint[] = [];
  const faster = <P>(list: P[], i: number, p: P, seconds: (x: P) => number): void => {
    if (!list[i] || seconds(p) < seconds(list[i]!)) list[i] = p;
  };
  const medianOf = (p: { medianSeconds: number }): number => p.medianSeconds;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of gemmShapes.entries()) {
      reporter.progress(CALIBRATION_PHASE, done++, total);
      await checkpoint(signal);
      faster(gemm, i, await measureGemmShape(ort, s, threads, b, base, signal), medianOf);
    }
    for (const [i, s] of convShapes.entries()) {
      reporter.progress(CALIBRATION_PHASE, done++, total);
      await checkpoint(signal);
      faster(conv, i, await measureConvShape(ort, s, threads, b, base, signal), medianOf);
    }
  }
  gemmShapes.forEach((s, i) => reporter.log(`calibration MatMul ${s.batch > 1 ? `${s.batch}× ` : ''}${s.m}×${s.n}×${s.k}: ${gemm[i]!.gflops.toFixed(1)} GFLOP/s`));
  convShapes.forEach((s, i) => reporter.log(`calibration Conv ${s.kernel}×${s.kernel} ${s.inChannels ? `${s.inChannels}→` : ''}${s.channels}ch g${s.groups} ${s.size}² s${s.stride}: ${conv[i]!.gflops.toFixed(1)} GFLOP/s`));
  const elementwise: ElementwisePoint[] = [];
  if (options.elementwise !== false) {
    for (const [op, broadcast] of [['Mul', false], ['Mul', true], ['Sigmoid', false]] as const) {
      await checkpoint(signal);
      const p = await measureElementwise(ort, broadcast, threads, b, base, signal, op);
      elementwise.push(p);
      reporter.log(`calibration ${op} ${broadcast ? 'per-channel broadcast' : 'same shape'} [${ELEMENTWISE_SHAPE.join('×')}]: ${p.GBs.toFixed(1)} GB/s`);
    }
  }
  const layout: LayoutPoint[] = [];
  if (options.layout !== false) {
    for (const { channels, size } of layoutPlan(options.quick)) {
      await checkpoint(signal);
      try {
        layout.push(await measureLayout(ort, channels, size, threads, b, signal));
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        // No blocked layout on this CPU (ORT inserts no reorders): predictions charge none.
        reporter.log(`calibration layout: not measured (${(err as Error).message})`);
        break;
      }
      const p = layout[layout.length - 1]!;
      reporter.log(`calibration layout [1×${channels}×${size}×${size}]: ReorderInput ${(p.reorderInputSeconds * 1e6).toFixed(1)} µs, ReorderOutput ${(p.reorderOutputSeconds * 1e6).toFixed(1)} µs, broadcast Mul ${(p.broadcastMulSeconds * 1e6).toFixed(1)} µs`);
    }
  }
  const outputs: OutputPoint[] = [];
  if (options.outputs !== false) {
    // The fastest of ROUNDS passes, as for the shapes: the 16 MiB point read 1.8 ms in one
    // benchmark and 45.8 ms in another an hour later on the Zen 5 VM (its page faults come and go),
    // which moved GPT-2's prediction (25.7 MB of logits) from 98 to 176 ms against ~125 measured.
    const plan = outputPlan(options.quick);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, bytes] of plan.entries()) {
        await checkpoint(signal);
        faster(outputs, i, await measureOutput(ort, bytes, threads, b, base, signal), (p) => p.seconds);
      }
    }
    for (const p of outputs) reporter.log(`calibration graph output ${(p.bytes / 2 ** 20).toFixed(0)} MiB: ${(p.seconds * 1e3).toFixed(2)} ms per run beyond its kernel`);
  }
  reporter.progress(CALIBRATION_PHASE, total, total);
  const method =
    `ONNX Runtime ${ort.env.versions.node ?? '?'} (onnxruntime-node, CPU execution provider), ${threads} intra-op thread(s), fp32, ` +
    `sequential, graph optimization 'all': per shape the median of ≥ ${b.minRepeats} timed session.run calls (≥ ${b.minSeconds} s) of a graph ` +
    `repeating the kernel, less the per-run cost, divided per kernel, less the per-kernel overhead (a chain of ${OVERHEAD_CHAIN} tiny Adds against a chain of 1), ` +
    `the faster of ${ROUNDS} passes over the plan; ` +
    `stride-2 Conv, layout reorders and their broadcast Mul: median ORT profiler kernel time` +
    (outputs.length ? `; graph outputs: median session.run of a Relu less its profiler kernel time and the per-run cost, the faster of ${ROUNDS} passes` : '');
  return { threads, gemm, conv, ...(elementwise.length ? { elementwise } : {}), ...(layout.length ? { layout } : {}), ...(outputs.length ? { outputs } : {}), overheadUs, method };
}
