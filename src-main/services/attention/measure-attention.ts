/**
 * Measures one attention layer's core (full, causal or sliding window; graphs from
 * attention-graphs.ts) through ONNX Runtime's CPU execution provider (Node main process / CLI),
 * for the efficient-transformer lab to set against its cost model (src-shared/attention).
 *
 * Before anything is allocated, the run is estimated and refused with a SkipError (with its
 * `reason`) rather than attempted when
 *   - its memory estimate exceeds `memoryLimitBytes` (default half of os.totalmem()), or
 *   - `predictedSeconds` × the runs it would take (the verified run, one warm-up and the planned
 *     timed repeats) exceeds `timeLimitSeconds` (default 120 s).
 * Memory estimate (estimateAttentionMemory): the profiler's own liveness walk over the graph
 * (src-shared/profiler/memory.ts: the inputs Q, K, V, the output, and every intermediate from its
 * producer to its last consumer, views sharing their input's buffer; for full attention that is
 * dominated by two B·H·N² fp32 score tensors alive together, e.g. scores and softmax output), plus
 * the constant masks ONNX Runtime folds at session creation (causal N² floats; sliding 3·N·c)
 * and the copy of the output handed back to JS. It ignores ORT's arena rounding and its own
 * workspace, and ORT's fusions (MatMul + Mul → FusedMatMul) only make the real peak lower. On the
 * dev VM the measured RSS growth was 0.6× this estimate for full attention (ORT reuses the score
 * buffer for the softmax), 1.1× causal and 1.5× sliding (arena growth): the default limit, half
 * the RAM, leaves room for that.
 *
 * Then: Q, K, V seeded uniform in [−1, 1] (xorshift32), one session (all graph optimisations,
 * memory pattern off: attentionSessionOptions), the first run verified against a float64 JS
 * reference (attention-graphs.ts referenceAttention): every row of every head when
 * B·H·N² ≤ VERIFY_ALL_SCORES, else 16 rows (the ends, chunk and middle rows, seeded others) of up
 * to three (batch, head) pairs. That run fetches O; the others fetch only O_corner
 * (attention-graphs.ts cornerOutput), so handing B·H·N·d floats back to JS is never timed (at
 * 50 MiB it cost more than the banded attention itself). One more untimed warm-up, then timed runs
 * until both `minRepeats` and `minSeconds` are reached (at most `maxRepeats`, and no new run
 * starts once `timeLimitSeconds` have passed with one timed), median as the headline. The first
 * two runs page-fault ORT's arena in and can take 10× a timed run (5 s for full attention at
 * N = 4096, 12 heads, on the dev VM); the time check above does not see that. A run cannot be
 * interrupted (onnxruntime-node runs it synchronously on the main thread); `shouldCancel` is
 * checked between runs. RSS is read around the run: rssDeltaBytes is the process's peak resident
 * size during the measurement (its high-water mark when the run set a new one, else the resident
 * size after the runs, which ORT's arena keeps) minus the resident size before the inputs were
 * allocated; a lower bound when an earlier, larger run in the same process left the heap grown.
 *
 * measureSweep runs variants × sequence lengths, turning refusals into `skipped` entries, and
 * fitLogSlope fits log(seconds) = a + slope·log(seq) so the UI can show sliding windows scaling
 * ~linearly (slope ≈ 1) and full attention ~quadratically (slope → 2 once N² work dominates).
 */
import os from 'node:os';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { median } from '../../../src-shared/bench/accounting.js';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import { sessionOptions } from '../bench/gemm.js';
import { abortError } from '../bench/types.js';
import { loadModelFromBytes } from '../onnx/load-model.js';
import { seededUniform } from '../planner/linreg-measure.js';
import {
  buildAttentionGraph,
  checkShape,
  graphAttentionFlops,
  referenceAttention,
  slidingChunk,
  slidingUnsupported,
  type AttentionGraphSpec,
  type AttentionKernel,
} from './attention-graphs.js';

type Ort = typeof OrtModule;

/** A run refused before anything was allocated; `reason` says why, in words for the UI. */
export class SkipError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipError';
    this.reason = reason;
  }
}

export interface AttentionMeasureOptions extends AttentionGraphSpec {
  /** ONNX Runtime intra-op threads; default all logical cores. */
  threads?: number;
  /** Minimum timed runs; default 5. */
  minRepeats?: number;
  /** Minimum timed seconds; default 0.3. */
  minSeconds?: number;
  /** At most this many timed runs; default 200. */
  maxRepeats?: number;
  /** Data seed (xorshift32); default 1. */
  seed?: number;
  /** Checked before building and between runs; true rejects with an Error named 'AbortError'. */
  shouldCancel?: () => boolean;
  /** Refuse when the memory estimate exceeds this; default half of os.totalmem(). */
  memoryLimitBytes?: number;
  /** Refuse when predictedSeconds × planned runs exceeds this, and stop repeating past it; default 120. */
  timeLimitSeconds?: number;
  /** Predicted seconds of one run (e.g. the cost model's), for the time check; none skips the check. */
  predictedSeconds?: number;
}

export interface AttentionMemoryEstimate {
  /** activationBytes + maskBytes + outputCopyBytes. */
  peakBytes: number;
  /** The profiler's liveness peak over the graph: inputs, output and live intermediates. */
  activationBytes: number;
  /** Constant masks ORT folds at session creation (causal N², sliding [N/c, c, 3c] floats). */
  maskBytes: number;
  /** The output copied into JS once, for verification. */
  outputCopyBytes: number;
}

export interface AttentionVerification {
  /** Largest |ORT − float64 reference| over the checked outputs (outputs lie in [−1, 1]). */
  maxAbsError: number;
  /** maxAbsError ≤ ABS_TOLERANCE. */
  ok: boolean;
  /** Output rows compared (each headDim values). */
  rows: number;
}

export interface AttentionMeasurement {
  kind: AttentionKernel;
  window?: number;
  batch: number;
  heads: number;
  kvHeads: number;
  seq: number;
  headDim: number;
  threads: number;
  /** Median seconds per run. */
  seconds: number;
  bestSeconds: number;
  repeats: number;
  /** Estimated peak bytes (memory.peakBytes). */
  peakBytes: number;
  memory: AttentionMemoryEstimate;
  /** Process RSS growth over the measurement (see the module header), bytes. */
  rssDeltaBytes: number;
  /** graphAttentionFlops: the MatMul FLOPs of the graph that ran. */
  flops: number;
  /** flops / median seconds / 1e9. */
  gflops: number;
  verified: AttentionVerification;
}

/** fp32 attention outputs are convex combinations of V ∈ [−1, 1]; errors are ~1e-7. */
export const ABS_TOLERANCE = 1e-4;
/** Verify every output row while B·H·N² is at most this (the reference is O(B·H·N²·d)). */
export const VERIFY_ALL_SCORES = 2 ** 20;
export const DEFAULT_TIME_LIMIT_SECONDS = 120;

function checkOptions(o: AttentionMeasureOptions): void {
  const whole = (field: string, v: unknown, lo: number, hi: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${field} must be a whole number from ${lo} to ${hi}, got ${String(v)}`);
  };
  const positive = (field: string, v: unknown) => {
    if (v !== undefined && !(typeof v === 'number' && v > 0 && !Number.isNaN(v))) throw new RangeError(`${field} must be a number > 0, got ${String(v)}`);
  };
  if (!['full', 'causal', 'sliding'].includes(o.kind)) throw new RangeError(`kind must be full, causal or sliding, got ${String(o.kind)}`);
  checkShape(o);
  if (o.kind === 'sliding') {
    if (o.window === undefined) throw new RangeError('window is required for sliding attention');
    slidingChunk(o.window, o.seq);
  }
  if (o.threads !== undefined) whole('threads', o.threads, 1, 1024);
  if (o.minRepeats !== undefined) whole('minRepeats', o.minRepeats, 1, 10_000);
  if (o.maxRepeats !== undefined) whole('maxRepeats', o.maxRepeats, 1, 100_000);
  if (o.seed !== undefined) whole('seed', o.seed, 0, 2 ** 32 - 1);
  if (o.minSeconds !== undefined && !(Number.isFinite(o.minSeconds) && o.minSeconds >= 0)) throw new RangeError(`minSeconds must be a finite number ≥ 0, got ${String(o.minSeconds)}`);
  positive('memoryLimitBytes', o.memoryLimitBytes);
  positive('timeLimitSeconds', o.timeLimitSeconds);
  if (o.predictedSeconds !== undefined && !(o.predictedSeconds >= 0)) throw new RangeError(`predictedSeconds must be a number ≥ 0, got ${String(o.predictedSeconds)}`);
}

/** Just the graph's fields (the builders and profiler see nothing else). */
function graphSpec(o: AttentionGraphSpec): AttentionGraphSpec {
  const s: AttentionGraphSpec = { kind: o.kind, batch: o.batch, heads: o.heads, seq: o.seq, headDim: o.headDim };
  if (o.kvHeads !== undefined) s.kvHeads = o.kvHeads;
  if (o.kind === 'sliding') s.window = o.window;
  if (o.cornerOutput) s.cornerOutput = true;
  return s;
}

/** Memory estimate of one run (see the module header), from the graph bytes if already built. */
export async function estimateAttentionMemory(spec: AttentionGraphSpec, model?: Uint8Array): Promise<AttentionMemoryEstimate> {
  const bytes = model ?? buildAttentionGraph(spec);
  const ir = await loadModelFromBytes(bytes, `attention-${spec.kind}`);
  const activationBytes = profileModel(ir, {}).totals.activationBytes;
  const { seq: N } = spec;
  let maskFloats = 0;
  if (spec.kind === 'causal') maskFloats = N * N;
  else if (spec.kind === 'sliding') {
    const c = slidingChunk(spec.window!, N);
    maskFloats = 3 * N * c; // [N/c, c, 3c]
  }
  const maskBytes = 4 * maskFloats;
  const outputCopyBytes = 4 * spec.batch * spec.heads * N * spec.headDim;
  return { peakBytes: activationBytes + maskBytes + outputCopyBytes, activationBytes, maskBytes, outputCopyBytes };
}

const GIB = 1024 ** 3;
const fmtBytes = (b: number): string => (b >= GIB ? `${(b / GIB).toFixed(1)} GiB` : `${(b / 1024 ** 2).toFixed(1)} MiB`);

/** Timed runs the plan would take at `seconds` per run (before the time cap). */
export function plannedRepeats(seconds: number, minRepeats: number, minSeconds: number, maxRepeats: number): number {
  const byTime = seconds > 0 ? Math.ceil(minSeconds / seconds) : maxRepeats;
  return Math.max(minRepeats, Math.min(maxRepeats, byTime));
}

/** Rows checked when not all are: ends, chunk edges, middle, and seeded others; at most 16. */
export function verifyRows(seq: number, chunk: number | null, seed = 5): number[] {
  const rows = new Set<number>([0, 1, seq - 2, seq - 1, seq >> 1]);
  if (chunk !== null) for (const r of [chunk - 1, chunk, seq - chunk - 1, seq - chunk]) rows.add(r);
  const u = seededUniform(32, seed);
  for (let i = 0; rows.size < Math.min(16, seq) && i < u.length; i++) rows.add(Math.min(seq - 1, Math.floor(((u[i]! + 1) / 2) * seq)));
  return [...rows].filter((r) => r >= 0 && r < seq).sort((a, b) => a - b);
}

function verifyPairs(batch: number, heads: number, groups: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [[0, 0], [batch - 1, heads - 1]];
  if (groups > 1 && heads > groups) pairs.push([0, groups]); // the second K/V head's first query head
  const seen = new Set<string>();
  return pairs.filter(([b, h]) => !seen.has(`${b},${h}`) && seen.add(`${b},${h}`));
}

/**
 * The benchmark's session options without ORT's memory pattern: with it, the first run allocates
 * tensor by tensor and the second allocates one planned block besides, and the arena keeps both,
 * doubling RSS (causal N = 4096, 12 heads: 3.4 GiB against 1.8 GiB; sliding:256 at 4096: 0.50 against
 * 0.29 GiB) for no speed difference measurable on the dev VM. The arena itself stays: without it
 * every run page-faults its intermediates afresh (10-20× slower there).
 */
export function attentionSessionOptions(threads: number): InferenceSession.SessionOptions {
  return { ...sessionOptions(threads), enableMemPattern: false };
}

/** Compares ORT's O with the float64 reference: everything when small, else a few rows of a few heads. */
function verifyOutput(spec: AttentionGraphSpec, O: Float32Array, Q: Float32Array, K: Float32Array, V: Float32Array, groups: number): AttentionVerification {
  const { batch: B, heads: H, seq: N, headDim: d } = spec;
  const all = B * H * N * N <= VERIFY_ALL_SCORES;
  const rows = all ? Array.from({ length: N }, (_, i) => i) : verifyRows(N, spec.kind === 'sliding' ? slidingChunk(spec.window!, N) : null);
  const pairs = all ? Array.from({ length: B * H }, (_, i) => [Math.floor(i / H), i % H] as const) : verifyPairs(B, H, groups);
  const ref = referenceAttention(spec, Q, K, V, rows, pairs);
  let maxAbsError = 0;
  let o = 0;
  for (const [b, h] of pairs) {
    for (const r of rows) {
      const base = ((b * H + h) * N + r) * d;
      for (let t = 0; t < d; t++) {
        const got = O[base + t]!;
        const e = Number.isFinite(got) ? Math.abs(got - ref[o + t]!) : Infinity;
        if (!(e <= maxAbsError)) maxAbsError = e;
      }
      o += d;
    }
  }
  return { maxAbsError, ok: maxAbsError <= ABS_TOLERANCE, rows: pairs.length * rows.length };
}

function highWaterBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Estimates, then builds, verifies and times one attention graph. Rejects with RangeError for bad
 * options, SkipError when refused (nothing allocated), AbortError when `shouldCancel` turns true.
 */
export async function measureAttention(options: AttentionMeasureOptions): Promise<AttentionMeasurement> {
  checkOptions(options);
  const throwIfCancelled = (): void => {
    if (options.shouldCancel?.()) throw abortError();
  };
  throwIfCancelled();
  const spec = graphSpec({ ...options, cornerOutput: true });
  const { kvHeads, groups } = checkShape(spec);
  const { batch: B, heads: H, seq: N, headDim: d } = spec;
  const threads = options.threads ?? Math.max(1, os.availableParallelism());
  const minRepeats = options.minRepeats ?? 5;
  const minSeconds = options.minSeconds ?? 0.3;
  const maxRepeats = Math.max(options.maxRepeats ?? 200, minRepeats);
  const timeLimit = options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
  const memoryLimit = options.memoryLimitBytes ?? os.totalmem() / 2;

  const model = buildAttentionGraph(spec);
  const memory = await estimateAttentionMemory(spec, model);
  if (memory.peakBytes > memoryLimit) {
    throw new SkipError(`needs about ${fmtBytes(memory.peakBytes)} (estimated), over the ${fmtBytes(memoryLimit)} memory limit`);
  }
  if (options.predictedSeconds !== undefined) {
    const runs = 2 + plannedRepeats(options.predictedSeconds, minRepeats, minSeconds, maxRepeats);
    const total = options.predictedSeconds * runs;
    if (total > timeLimit) {
      throw new SkipError(`predicted ${options.predictedSeconds.toPrecision(3)} s per run × ${runs} runs = ${total.toPrecision(3)} s, over the ${timeLimit} s time limit`);
    }
  }
  throwIfCancelled();

  const ort: Ort = await import('onnxruntime-node');
  const rssBefore = process.memoryUsage.rss();
  const highBefore = highWaterBytes();
  const seed = options.seed ?? 1;
  const Q = seededUniform(B * H * N * d, seed);
  const K = seededUniform(B * kvHeads * N * d, seed + 1);
  const V = seededUniform(B * kvHeads * N * d, seed + 2);
  const feeds: Record<string, Tensor> = {
    Q: new ort.Tensor('float32', Q, [B, H, N, d]),
    K: new ort.Tensor('float32', K, [B, kvHeads, N, d]),
    V: new ort.Tensor('float32', V, [B, kvHeads, N, d]),
  };

  let session: InferenceSession | undefined;
  try {
    session = await ort.InferenceSession.create(model, attentionSessionOptions(threads));
    throwIfCancelled();
    const verified = verifyOutput(spec, (await session.run(feeds, ['O'])).O!.data as Float32Array, Q, K, V, groups);

    throwIfCancelled();
    await session.run(feeds, ['O_corner']); // second warm-up
    const times: number[] = [];
    let total = 0;
    const started = process.hrtime.bigint();
    for (;;) {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      const wanted = times.length < minRepeats || (total < minSeconds && times.length < maxRepeats);
      if (!wanted || (times.length >= 1 && elapsed >= timeLimit)) break;
      throwIfCancelled();
      const t0 = process.hrtime.bigint();
      await session.run(feeds, ['O_corner']);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      times.push(s);
      total += s;
    }
    const highAfter = highWaterBytes();
    const peakRss = highAfter > highBefore ? highAfter : process.memoryUsage.rss();
    const seconds = median(times);
    const flops = graphAttentionFlops(spec);
    const result: AttentionMeasurement = {
      kind: spec.kind,
      batch: B,
      heads: H,
      kvHeads,
      seq: N,
      headDim: d,
      threads,
      seconds,
      bestSeconds: Math.min(...times),
      repeats: times.length,
      peakBytes: memory.peakBytes,
      memory,
      rssDeltaBytes: Math.max(0, peakRss - rssBefore),
      flops,
      gflops: flops / seconds / 1e9,
      verified,
    };
    if (spec.kind === 'sliding') result.window = spec.window;
    return result;
  } finally {
    await session?.release();
  }
}

// ---- sweeps ------------------------------------------------------------------------------------

export interface SweepVariant {
  kind: AttentionKernel;
  window?: number;
}

export interface SweepOptions {
  variants: SweepVariant[];
  seqs: number[];
  batch: number;
  heads: number;
  headDim: number;
  kvHeads?: number;
  threads?: number;
  minRepeats?: number;
  minSeconds?: number;
  maxRepeats?: number;
  shouldCancel?: () => boolean;
  /** Called before each point (done = points finished) and once at the end with done = total. */
  onProgress?: (done: number, total: number, label: string) => void;
  /**
   * Predicted seconds of one run, for the time check. Without it, a point is predicted from the
   * variant's previous measured point scaled by (seq / prevSeq)² (full, causal) or (seq / prevSeq)
   * (sliding); the first point of each variant is not predicted.
   */
  predict?: (kind: AttentionKernel, window: number | undefined, seq: number) => number;
  memoryLimitBytes?: number;
  timeLimitSeconds?: number;
}

export interface SweepPoint {
  /** As the lab writes variants: 'full', 'causal', 'sliding:256'. */
  variant: string;
  seq: number;
  seconds?: number;
  bestSeconds?: number;
  peakBytes?: number;
  rssDeltaBytes?: number;
  flops?: number;
  gflops?: number;
  /** Whether the output matched the reference; false is a wrong result, show it. */
  verified?: boolean;
  predictedSeconds?: number;
  /** Refused before it was attempted, with the reason. */
  skipped?: string;
  /** Attempted and failed (e.g. ONNX Runtime could not allocate), with the message. */
  failed?: string;
}

export function variantLabel(v: SweepVariant): string {
  return v.kind === 'sliding' ? `sliding:${v.window}` : v.kind;
}

/** Runs every (variant, seq) in order, variant by variant, seqs ascending. Rejects only on cancel or bad options. */
export async function measureSweep(options: SweepOptions): Promise<SweepPoint[]> {
  const seqs = [...new Set(options.seqs)].sort((a, b) => a - b);
  const total = options.variants.length * seqs.length;
  const out: SweepPoint[] = [];
  let done = 0;
  for (const v of options.variants) {
    const label = variantLabel(v);
    let prev: { seq: number; seconds: number } | null = null;
    for (const seq of seqs) {
      options.onProgress?.(done, total, `${label} @ ${seq}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.shouldCancel?.()) throw abortError();
      const point: SweepPoint = { variant: label, seq };
      out.push(point);
      done++;
      const unsupported = v.kind === 'sliding' && v.window !== undefined ? slidingUnsupported(v.window, seq) : null;
      if (unsupported) {
        point.skipped = unsupported;
        continue;
      }
      let predicted: number | undefined;
      if (options.predict) predicted = options.predict(v.kind, v.window, seq);
      else if (prev) predicted = prev.seconds * (seq / prev.seq) ** (v.kind === 'sliding' ? 1 : 2);
      if (predicted !== undefined && Number.isFinite(predicted)) point.predictedSeconds = predicted;
      try {
        const m = await measureAttention({
          kind: v.kind,
          window: v.window,
          batch: options.batch,
          heads: options.heads,
          kvHeads: options.kvHeads,
          seq,
          headDim: options.headDim,
          threads: options.threads,
          minRepeats: options.minRepeats,
          minSeconds: options.minSeconds,
          maxRepeats: options.maxRepeats,
          shouldCancel: options.shouldCancel,
          memoryLimitBytes: options.memoryLimitBytes,
          timeLimitSeconds: options.timeLimitSeconds,
          predictedSeconds: point.predictedSeconds,
        });
        Object.assign(point, {
          seconds: m.seconds,
          bestSeconds: m.bestSeconds,
          peakBytes: m.peakBytes,
          rssDeltaBytes: m.rssDeltaBytes,
          flops: m.flops,
          gflops: m.gflops,
          verified: m.verified.ok,
        });
        prev = { seq, seconds: m.seconds };
      } catch (e) {
        if (e instanceof SkipError) point.skipped = e.reason;
        else if (e instanceof Error && e.name === 'AbortError') throw e;
        else if (e instanceof RangeError) throw e;
        else point.failed = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      }
    }
  }
  options.onProgress?.(total, total, 'done');
  return out;
}

export interface LogSlopeFit {
  /** d log(seconds) / d log(seq): ≈ 1 linear, ≈ 2 quadratic. NaN with fewer than 2 distinct seqs. */
  slope: number;
  /** log(seconds) at seq = 1 (natural log). */
  intercept: number;
  /** Coefficient of determination of the log-log fit (1 when the points lie on a line). */
  r2: number;
  /** Points used (positive seq and seconds). */
  n: number;
}

/** Least squares of ln(seconds) on ln(seq) over the points with seconds > 0. */
export function fitLogSlope(points: ReadonlyArray<{ seq: number; seconds?: number }>): LogSlopeFit {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    if (p.seq > 0 && p.seconds !== undefined && p.seconds > 0 && Number.isFinite(p.seconds)) {
      xs.push(Math.log(p.seq));
      ys.push(Math.log(p.seconds));
    }
  }
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    syy += (ys[i]! - my) ** 2;
  }
  if (n < 2 || sxx === 0) return { slope: NaN, intercept: NaN, r2: NaN, n };
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy), n };
}
