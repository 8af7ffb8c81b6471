/**
 * Measured model runs (Node main process / CLI; ONNX Runtime runs the kernels on its own
 * threads): latency per run and where the time goes, per graph node.
 *
 * Method (docs/profiler-whatifs.md, "Measured runs"):
 * 1. Random inputs of the bound shapes and declared types (random-inputs.ts), generated once.
 * 2. One ORT CPU session with enableProfiling and a profile-file prefix in a private temp folder,
 *    sequential execution, `threads` intra-op threads, graphOptimizationLevel 'all' by default:
 *    ORT's own default, so the latency is the one a deployment sees (fusions, NCHWc layouts;
 *    'basic' ran ResNet-style and transformer zoo models 1.7–2× slower here). ORT also writes the
 *    graph it optimised (optimizedModelFilePath), from which every kernel, fused or inserted, is
 *    mapped back to the graph nodes it computes (src-shared/profiler/attribution.ts).
 * 3. `warmup` untimed runs (allocation, weight pre-packing, caches), then `runs` timed runs, or
 *    as many as span `minSeconds` (0.5 s) when that is more; latency = wall-clock per
 *    `session.run` (median and nearest-rank p90), timed in a session of its own **without the
 *    profiler**. The abort signal is checked between runs.
 * 4. endProfiling, then the profile JSON is parsed (ort-profile.ts; ORT writes node names into it
 *    unescaped, so names with quotes or backslashes are re-escaped first): per node, the kernel time
 *    less the profiler's own cost (below), each kernel's median over the timed runs (one stalled run
 *    must not land on the kernel it hit), a fused kernel's time split between the nodes it computes
 *    by their predicted time (labelled `split`); a kernel no node can claim is `unmapped`. achievedGflops =
 *    (flops + otherOps) of the node, from the static profile at the same dims, / seconds.
 * 5. The timeline is normalised into a Chrome trace (graph node names, process/thread names) and
 *    written atomically when `traceFile` is given; ORT's own profile file is always deleted.
 *
 * Why two sessions: ORT's profiler is not free. With 2 intra-op threads on a 2-vCPU VM (Zen 5,
 * 2026-12-08) a chain of 64 tiny 1×1 Convs ran 2.7 µs per Conv without it and 22.6 µs with it
 * (its kernel_time said 8 µs), and EfficientNet-B0 (~250 kernels) ran 5.8–6.1 ms without and
 * 9.1–9.2 ms with it. The latency is what a deployment sees, so it is timed with the profiler off;
 * the per-node times come from the profiled session and `profiledLatencyMs` keeps that session's
 * median run, so the page can show what profiling cost.
 *
 * ORT's kernel_time itself carries the profiler's bookkeeping: a tiny Add that takes 0.27 µs
 * records 4 µs (same VM, 2 threads), and the squeeze-and-excitation kernels of EfficientNet-B0
 * are mostly that. Just before the profiled session, calibrate.ts measureProfilerCost measures it
 * at the same threads (a chain of 64 tiny Adds with and without the profiler), and every kernel
 * event counts max(dur − that, min(dur, a tiny kernel's time)) toward its nodes (ort-profile.ts);
 * `profilerCostUs` records it. The trace keeps ORT's own durations.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { median } from '../../../src-shared/bench/accounting.js';
import type { ModelIR } from '../../../src-shared/profiler/ir.js';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import type { DimBindings, MeasuredProfile, ProfileResult } from '../../../src-shared/profiler/types.js';
import { throwIfAborted, type BenchReporter } from '../bench/types.js';
import { measureProfilerCost } from '../bench/calibrate.js';
import { parseOrtProfile, parseOrtProfileText, percentile, type ChromeTrace, type KernelGroup, type MeasuredNode } from './ort-profile.js';
import { attributeKernels, graphShape, type Attribution } from '../../../src-shared/profiler/attribution.js';
import { inputSpecs, randomFeeds } from './random-inputs.js';
import { writeFileAtomic } from '../../infra/write-atomic.js';

export type { ChromeTrace } from './ort-profile.js';

export type ModelSource = { file: string } | { bytes: Uint8Array; name: string };

export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

export interface RunModelOptions {
  /** Intra-op threads; default all logical cores (os.availableParallelism()). */
  threads?: number;
  /** Untimed runs first; default 3. */
  warmup?: number;
  /** Timed runs; default 10 (the latency's session also runs until `minSeconds` have passed). */
  runs?: number;
  /**
   * The latency's timed runs go on past `runs` until they span this long (at most MAX_TIMED_RUNS),
   * so one stall of the machine moves the median of a model of a few ms no more than that of a
   * large one; default 0.5. The profiled session always runs `runs` times.
   */
  minSeconds?: number;
  /** Write the normalised Chrome trace here (atomically). */
  traceFile?: string;
  /** ORT graph optimisation level; default 'all' (see the header for why). */
  optimization?: GraphOptimization;
  /** Inputs to use instead of random ones (a missing input is still generated). */
  inputs?: Record<string, Tensor>;
  /** Seed of the random inputs; default 1. */
  seed?: number;
  /** The static profile at the same dims (for achieved GFLOP/s); computed when absent. */
  profile?: ProfileResult;
  /**
   * Predicted time of a graph node (ms): how a fused kernel's time is split between the nodes it
   * computes. Default: genericRooflineMs.
   */
  predictMs?: (node: string) => number;
  /** Largest model whose optimised graph is written for attribution; default MAX_OPTIMIZED_COPY_BYTES. */
  maxOptimizedCopyBytes?: number;
}

/**
 * The split weight when no machine model is given: each node's time under a roofline of
 * 100 GFLOP/s and 20 GB/s (a 5 FLOP/byte balance, typical of a few CPU cores). Only the ratios
 * between the members of one fused kernel matter, and those depend on the balance, not the scale.
 */
export function genericRooflineMs(profile: ProfileResult): (node: string) => number {
  const byName = new Map(profile.nodes.map((n) => [n.name, n] as const));
  return (name) => {
    const n = byName.get(name);
    if (!n) return 0;
    return Math.max((n.flops + n.otherOps) / 100e9, (n.bytesRead + n.bytesWritten) / 20e9) * 1000;
  };
}

/** The attribution of ORT's kernels through the graph it wrote; null (with a log line) when that file cannot be read. */
async function attributionOf(model: ModelIR, optimizedFile: string, reporter: BenchReporter): Promise<Attribution | null> {
  try {
    const { loadModel } = await import('../onnx/load-model.js');
    const optimized = await loadModel(optimizedFile);
    return attributeKernels(graphShape(model), graphShape(optimized));
  } catch (e) {
    reporter.log(`ONNX Runtime's optimised graph could not be read (${(e as Error).message}); kernels are matched to graph nodes by name only.`, 'warn');
    return null;
  }
}

/** MeasuredProfile plus optional fields: op type and provider per node, what ORT did not run, and the settings. */
export interface RunResult extends MeasuredProfile {
  nodes: MeasuredNode[];
  /** ORT kernels that compute other graph nodes than their own name says (fusions, layout helpers). */
  groups: KernelGroup[];
  unmapped: Array<{ name: string; ms: number; opType: string; provider: string }>;
  /** Graph nodes without a kernel event (constant-folded, removed, or folded into a neighbour that kept its name). */
  notExecuted: string[];
  graphOptimization: GraphOptimization;
  /** Sum of mapped + unmapped kernel time per profiled run, less the profiler's own cost per kernel, ms. */
  kernelMs: number;
  trace: ChromeTrace;
}

type Ort = typeof OrtModule;

function positiveInt(v: number | undefined, fallback: number, what: string, min: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min) throw new ApiFailure('INVALID_REQUEST', `${what} must be an integer ≥ ${min} (got ${v})`, [`${what}: must be an integer ≥ ${min}`]);
  return v;
}

/**
 * Models up to this size get their optimised graph written (it copies every weight: GPT-2's 650 MB
 * cost ~0.2–1.2 s here, and ORT cannot write a protobuf over 2 GB inline); larger ones are
 * attributed by kernel name only.
 */
export const MAX_OPTIMIZED_COPY_BYTES = 1 << 30;

function sessionOptions(threads: number, optimization: GraphOptimization, prefix: string | null, optimizedFile: string | null): InferenceSession.SessionOptions {
  return {
    // The graph ORT actually runs, written once at session creation: how its kernels map back to
    // the model's nodes (src-shared/profiler/attribution.ts).
    ...(optimizedFile ? { optimizedModelFilePath: optimizedFile } : {}),
    intraOpNumThreads: threads,
    // Sequential execution: one kernel at a time, so per-node times add up to the run and the
    // inter-op pool cannot make two kernels share cores.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: optimization,
    ...(prefix ? { enableProfiling: true, profileFilePrefix: prefix } : {}),
    logSeverityLevel: 3,
  };
}

/** The most timed runs `minSeconds` can ask for. */
export const MAX_TIMED_RUNS = 2000;

/**
 * `warmup` untimed then `runs` timed `session.run`s, each phase announced as it starts (done = 0)
 * so the power sampler can split energy by phase. With `minSeconds`, the timed runs are as many as
 * the last warm-up run says fill that long (never fewer than `runs`, at most MAX_TIMED_RUNS), fixed
 * before they start so the progress has a total. Returns the timed runs' wall-clock ms.
 */
async function timedRuns(
  session: InferenceSession,
  feeds: Record<string, Tensor>,
  counts: { warmup: number; runs: number; minSeconds?: number },
  phases: { warmup: string; run: string },
  label: string,
  reporter: BenchReporter,
): Promise<number[]> {
  const { warmup } = counts;
  let runs = counts.runs;
  const times: number[] = [];
  let last = 0;
  if (warmup > 0) reporter.progress(phases.warmup, 0, warmup);
  for (let i = 0; i < warmup + runs; i++) {
    throwIfAborted(reporter.signal);
    if (i === warmup) {
      if (counts.minSeconds && warmup > 0 && last > 0) runs = Math.min(MAX_TIMED_RUNS, Math.max(runs, Math.ceil((counts.minSeconds * 1000) / last)));
      reporter.progress(phases.run, 0, runs);
    }
    const t0 = performance.now();
    try {
      await session.run(feeds);
    } catch (e) {
      throw new ApiFailure('INVALID_REQUEST', `ONNX Runtime failed running ${label}: ${(e as Error).message}`);
    }
    const dt = performance.now() - t0;
    last = dt;
    if (i >= warmup) times.push(dt);
    if (i < warmup) reporter.progress(phases.warmup, i + 1, warmup);
    else reporter.progress(phases.run, i - warmup + 1, runs);
  }
  return times;
}

async function createSession(ort: Ort, source: ModelSource, opts: InferenceSession.SessionOptions, label: string): Promise<InferenceSession> {
  try {
    return 'file' in source ? await ort.InferenceSession.create(source.file, opts) : await ort.InferenceSession.create(source.bytes, opts);
  } catch (e) {
    throw new ApiFailure('INVALID_REQUEST', `ONNX Runtime cannot load ${label}: ${(e as Error).message}`);
  }
}

/** Runs the model, times it and attributes kernel time to graph nodes. Rejects with an AbortError when the signal fires. */
export async function runModel(
  source: ModelSource,
  model: ModelIR,
  dims: DimBindings,
  options: RunModelOptions,
  reporter: BenchReporter,
): Promise<RunResult> {
  const { signal } = reporter;
  const threads = positiveInt(options.threads, Math.max(1, os.availableParallelism()), 'threads', 1);
  const warmup = positiveInt(options.warmup, 3, 'warmup', 0);
  const runs = positiveInt(options.runs, 10, 'runs', 1);
  const minSeconds = options.minSeconds ?? 0.5;
  if (!(minSeconds >= 0 && minSeconds <= 60)) throw new ApiFailure('INVALID_REQUEST', `minSeconds must be between 0 and 60 (got ${minSeconds})`, ['minSeconds: must be between 0 and 60']);
  const optimization = options.optimization ?? 'all';
  throwIfAborted(signal);

  const profile = options.profile ?? profileModel(model, dims);
  const specs = inputSpecs(model.graph, dims);
  const ort: Ort = await import('onnxruntime-node');
  const feeds = { ...randomFeeds(ort.Tensor, specs.filter((s) => !options.inputs?.[s.name]), options.seed ?? 1), ...options.inputs };
  const label = 'file' in source ? path.basename(source.file) : source.name;
  reporter.log(`inputs: ${specs.map((s) => `${s.name} [${s.shape.join('×')}] ${s.elemType} (${options.inputs?.[s.name] ? 'given' : s.fill})`).join(', ')}`);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'flopscope-ort-profile-'));
  let session: InferenceSession | undefined;
  let ended = false;
  try {
    // The weights' size, not the file's: external-data models keep them beside the .onnx.
    const maxCopy = options.maxOptimizedCopyBytes ?? MAX_OPTIMIZED_COPY_BYTES;
    const optimizedFile = Math.max(model.fileBytes, profile.totals.weightBytes) <= maxCopy ? path.join(dir, 'optimized.onnx') : null;
    if (!optimizedFile) reporter.log(`${label} is over ${(maxCopy / 2 ** 30).toPrecision(3)} GiB: ONNX Runtime's optimised graph is not written (it would copy every weight), so kernels are matched to graph nodes by name only and fused ones may stay unattributed.`, 'warn');
    // Latency first, in a session without the profiler (see the header), released before the profiled one.
    const plain = await createSession(ort, source, sessionOptions(threads, optimization, null, null), label);
    let times: number[];
    try {
      times = await timedRuns(plain, feeds, { warmup, runs, minSeconds }, { warmup: 'warmup', run: 'run' }, label, reporter);
    } finally {
      await plain.release().catch(() => undefined);
    }
    // What the profiler adds to each kernel time it records, at the same threads, just before it records them.
    reporter.progress('profile: its own cost', 0, 1);
    const profilerCost = await measureProfilerCost(ort, threads, signal);
    reporter.progress('profile: its own cost', 1, 1);
    session = await createSession(ort, source, sessionOptions(threads, optimization, path.join(dir, 'ort'), optimizedFile), label);
    const profiledTimes = await timedRuns(session, feeds, { warmup, runs }, { warmup: 'profile: warmup', run: 'profile: kernels' }, label, reporter);
    throwIfAborted(signal);
    reporter.progress('read ORT profile', 0, 1);
    session.endProfiling();
    ended = true;
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    if (files.length !== 1) throw new Error(`expected one ONNX Runtime profile in ${dir}, found ${files.length}`);
    const graphNodes = new Map(model.graph.nodes.map((n) => [n.name, n.opType] as const));
    // ORT copies node names into its JSON unescaped; parseOrtProfileText re-escapes them.
    const raw = parseOrtProfileText(await readFile(path.join(dir, files[0]!), 'utf8'), graphNodes.keys());

    const ops = new Map(profile.nodes.map((n) => [n.name, n.counted ? n.flops + n.otherOps : 0] as const));
    const attribution = optimizedFile ? await attributionOf(model, optimizedFile, reporter) : null;
    const weight = options.predictMs ?? genericRooflineMs(profile);
    const parsed = parseOrtProfile(raw, { graphNodes, ops, runs, label, threads, ...(attribution ? { attribution } : {}), weight, profilerCost });
    const kernelMs = [...parsed.nodes, ...parsed.unmapped].reduce((a, n) => a + n.ms, 0);
    if (parsed.unmapped.length > 0) reporter.log(`${parsed.unmapped.length} ORT kernel(s) not attributed to graph nodes: ${parsed.unmapped.slice(0, 5).map((u) => `${u.name} (${u.opType})`).join(', ')}`, 'warn');

    const trace = parsed.trace;
    trace.otherData = { ...trace.otherData, model: label, graphOptimization: optimization, threads, warmup, runs };
    if (options.traceFile) await writeFileAtomic(options.traceFile, JSON.stringify(trace), 'the trace');
    reporter.progress('read ORT profile', 1, 1);

    return {
      latencyMs: { median: median(times), p90: percentile(times, 90), runs: times.length },
      profiledLatencyMs: median(profiledTimes),
      profilerCostUs: profilerCost.profilerUs,
      threads,
      nodes: parsed.nodes,
      groups: parsed.groups,
      unmapped: parsed.unmapped,
      notExecuted: parsed.notExecuted,
      graphOptimization: optimization,
      kernelMs,
      trace,
    };
  } finally {
    if (session) {
      // Ending profiling flushes ORT's file; on an early exit it is deleted with the folder anyway.
      if (!ended) { try { session.endProfiling(); } catch { /* already failing */ } }
      await session.release().catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** The static profile with the measured part attached (the CLI's `profile --run` path). */
export async function profileWithRun(
  source: ModelSource,
  model: ModelIR,
  dims: DimBindings,
  options: RunModelOptions,
  reporter: BenchReporter,
): Promise<{ profile: ProfileResult; trace: ChromeTrace; run: RunResult }> {
  const profile = options.profile ?? profileModel(model, dims);
  const run = await runModel(source, model, dims, { ...options, profile }, reporter);
  const { trace, ...measured } = run;
  return { profile: { ...profile, measured }, trace, run };
}
