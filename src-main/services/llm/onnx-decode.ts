/**
 * Measured LLM decoding with ONNX Runtime (Node main process / CLI): a K/V-cache generation loop
 * over an ONNX decoder with past_key.i / past_value.i inputs and present_key.i / present_value.i
 * outputs — the zoo's `llama` or `llama-int4` built with past ≥ 1 (their "past" and "sequence"
 * dims are symbolic, so ONE session runs the cache fill, the prompt and every decode step), or
 * any model with that I/O convention (onnxruntime-genai's names past_key_values.i.key/value are
 * not recognised).
 *
 * Per depth D (tokens already in the cache, as llama-bench's -d):
 * 1. fill: D tokens from an empty cache (untimed);
 * 2. prefill: `prompt` tokens after the D cached ones — timed; ttftMs is its wall-clock time
 *    (the first new token's logits are ready), prefill tok/s = prompt / that time;
 * 3. decode: `gen` single-token steps, each feeding the previous step's presents back as past and
 *    the argmax of its logits as the next token (greedy) — timed as a whole, decode tok/s = gen /
 *    time (the argmax and the JS side of the loop included, as a real generator has them).
 * One untimed warm-up (a prompt and two decode steps at depth 0) precedes the first depth, so
 * weight pre-packing and first-run allocations are not timed.
 *
 * Threading: the loop runs in the calling process (onnxruntime-node's session.run is async; ORT
 * uses `threads` intra-op threads of its own), not in a worker_threads worker as llama-measure does
 * — fine for the CLI and tests; a UI caller should move it to a worker. Token ids are
 * `i mod vocab` (the vocab read from the logits output's last dim); weights need not be trained.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import ort from 'onnxruntime-node';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { throwIfAborted, type BenchReporter } from '../bench/types.js';

export interface OnnxDecodeOptions {
  /** Prompt tokens prefilled after the cache fill. */
  prompt: number;
  /** Tokens generated one at a time after the prompt. */
  gen: number;
  /** Cache depths to measure at (tokens in the K/V cache before the prompt). */
  depths: number[];
  /** ORT intra-op threads; default all logical cores. */
  threads?: number;
}

export interface OnnxDecodePoint {
  depth: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  /** Wall-clock of the prompt's prefill: time to the first new token's logits. */
  ttftMs: number;
}

export interface OnnxDecodeResult {
  points: OnnxDecodePoint[];
  /** What the loop found in the model. */
  model: { layers: number; kvHeads: number; headDim: number; vocab: number };
  threads: number;
}

type Feeds = Record<string, ort.Tensor>;

interface CacheLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
}

function invalid(message: string): ApiFailure {
  return new ApiFailure('INVALID_REQUEST', message, [message]);
}

function checkOptions(o: OnnxDecodeOptions): number {
  const whole = (v: number, what: string, min: number) => {
    if (!Number.isInteger(v) || v < min) throw invalid(`${what} must be an integer ≥ ${min} (got ${v})`);
  };
  whole(o.prompt, 'prompt', 1);
  whole(o.gen, 'gen', 1);
  if (!Array.isArray(o.depths) || o.depths.length === 0) throw invalid('depths must list at least one cache depth');
  for (const d of o.depths) whole(d, 'each depth', 0);
  const threads = o.threads ?? os.availableParallelism();
  whole(threads, 'threads', 1);
  return threads;
}

/** Layers and cache shape from the session's inputs (past_key.i [batch, kv_heads, past, head_dim]). */
function cacheLayout(session: ort.InferenceSession): CacheLayout {
  const meta = new Map(session.inputMetadata.map((m) => [m.name, m] as const));
  if (!meta.has('input_ids')) throw invalid('the model has no input_ids input');
  let layers = 0;
  while (meta.has(`past_key.${layers}`) && meta.has(`past_value.${layers}`)) layers++;
  const first = meta.get('past_key.0');
  if (layers === 0 || !first?.isTensor) {
    throw invalid('the model has no past_key.i / past_value.i inputs; build the zoo decoder with past ≥ 1 (symbolic cache length)');
  }
  const [, kvHeads, , headDim] = first.shape;
  if (typeof kvHeads !== 'number' || typeof headDim !== 'number') throw invalid('past_key.0 must have fixed kv_heads and head_dim dims');
  const logits = session.outputMetadata.find((m) => m.name === 'logits');
  const vocabDim = logits?.isTensor ? logits.shape[logits.shape.length - 1] : undefined;
  return { layers, kvHeads, headDim, vocab: typeof vocabDim === 'number' ? vocabDim : 2 };
}

function emptyCache(c: CacheLayout): Feeds {
  const feeds: Feeds = {};
  for (let i = 0; i < c.layers; i++) {
    feeds[`past_key.${i}`] = new ort.Tensor('float32', new Float32Array(0), [1, c.kvHeads, 0, c.headDim]);
    feeds[`past_value.${i}`] = new ort.Tensor('float32', new Float32Array(0), [1, c.kvHeads, 0, c.headDim]);
  }
  return feeds;
}

function ids(tokens: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [1, tokens.length]);
}

interface Step {
  cache: Feeds;
  next: number;
}

/** One session.run of `tokens` after `cache`; returns the presents as the next cache and the greedy next token. */
async function step(session: ort.InferenceSession, c: CacheLayout, tokens: number[], cache: Feeds): Promise<Step> {
  const out = await session.run({ input_ids: ids(tokens), ...cache });
  const next: Feeds = {};
  for (let i = 0; i < c.layers; i++) {
    next[`past_key.${i}`] = out[`present_key.${i}`]!;
    next[`past_value.${i}`] = out[`present_value.${i}`]!;
  }
  const logits = out['logits'];
  let best = 0;
  if (logits) {
    const data = logits.data as Float32Array;
    const v = c.vocab;
    const last = data.length - v;
    for (let j = 1; j < v; j++) if (data[last + j]! > data[last + best]!) best = j;
  }
  return { cache: next, next: best };
}

const tokensFrom = (start: number, n: number, vocab: number) => Array.from({ length: n }, (_, i) => (start + i) % vocab);

/** Prefill at `depth`, then `gen` decode steps; returns the point. */
async function measureDepth(session: ort.InferenceSession, c: CacheLayout, depth: number, o: OnnxDecodeOptions, signal: AbortSignal | undefined): Promise<OnnxDecodePoint> {
  let cache = emptyCache(c);
  if (depth > 0) cache = (await step(session, c, tokensFrom(1, depth, c.vocab), cache)).cache;
  if (signal) throwIfAborted(signal);
  const t0 = performance.now();
  let s = await step(session, c, tokensFrom(depth + 1, o.prompt, c.vocab), cache);
  const prefillMs = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < o.gen; i++) s = await step(session, c, [s.next], s.cache);
  const decodeMs = performance.now() - t1;
  return {
    depth,
    prefillTokensPerSecond: o.prompt / (prefillMs / 1000),
    decodeTokensPerSecond: o.gen / (decodeMs / 1000),
    ttftMs: prefillMs,
  };
}

/**
 * Measures prefill and K/V-cache decode throughput of an ONNX decoder at each cache depth (see
 * the header). `model` is the ONNX bytes or a file path; `ctx` gets progress and can cancel
 * between depths. The model must accept past + prompt + gen tokens at the largest depth (the zoo
 * decoder's `context` option); ORT's error otherwise surfaces as is.
 */
export async function measureOnnxDecoder(model: Uint8Array | string, opts: OnnxDecodeOptions, ctx?: BenchReporter): Promise<OnnxDecodeResult> {
  const threads = checkOptions(opts);
  const bytes = typeof model === 'string' ? new Uint8Array(await readFile(model)) : model;
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  try {
    const c = cacheLayout(session);
    ctx?.progress('warm-up', 0, opts.depths.length);
    let warm = await step(session, c, tokensFrom(1, opts.prompt, c.vocab), emptyCache(c));
    for (let i = 0; i < 2; i++) warm = await step(session, c, [warm.next], warm.cache);
    const points: OnnxDecodePoint[] = [];
    for (const [i, depth] of opts.depths.entries()) {
      if (ctx) throwIfAborted(ctx.signal);
      ctx?.progress('decode', i, opts.depths.length);
      points.push(await measureDepth(session, c, depth, opts, ctx?.signal));
      const p = points[points.length - 1]!;
      ctx?.log(`depth ${depth}: prefill ${p.prefillTokensPerSecond.toFixed(1)} tok/s (TTFT ${p.ttftMs.toFixed(1)} ms), decode ${p.decodeTokensPerSecond.toFixed(1)} tok/s`);
    }
    ctx?.progress('decode', opts.depths.length, opts.depths.length);
    return { points, model: c, threads };
  } finally {
    await session.release();
  }
}
