/**
 * Worker entry for the measured llama.cpp run (a worker thread of the Node main process / CLI):
 * node-llama-cpp evaluates on native threads, and a run lasts minutes, so it stays off the thread
 * that serves the API. The method is llama-bench's (llama.cpp tools/llama-bench/README.md,
 * tools/llama-bench/llama-bench.cpp test_prompt / test_gen): one context large enough for the
 * deepest depth plus the prompt and the decode steps; for each depth d (ascending) the sequence is
 * filled with random tokens up to d (untimed, llama-bench's -d), then
 *  - pp: `prompt` random tokens evaluated as one batch with the last position's logits and a greedy
 *    sample: prefill tokens/s = prompt / time, and that time is the time to first token;
 *  - tg: `gen` single-token decode steps, each evaluating a random token and sampling greedily
 *    (the sampled token is replaced by a random one, as llama-bench feeds random ids);
 * each test starts with an untimed warm-up run (llama-bench's), and
 * after each run the tokens past d are erased from the KV cache (the depth is filled once,
 * not per repetition) and the median of the repetitions is kept. A depth that would not fit the
 * model's trained context is skipped with a warning. Cancel is cooperative: the run stops at its
 * next checkpoint (between chunks of the fill, between decode steps) — a thread is never
 * terminated inside llama.cpp (src-main/core/worker-job.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { ParentMessage, WorkerMessage } from '../../core/worker-job.js';
import { llamaPhase, type LlamaCalibrationTiming, type LlamaMeasured, type LlamaMeasuredPoint, type resolveLlamaInput } from './llama-measure.js';

type Input = ReturnType<typeof resolveLlamaInput>;

const port = parentPort;
if (!port) throw new Error('llama-measure.worker.ts must run as a worker thread');
const controller = new AbortController();
const send = (message: WorkerMessage) => port.postMessage(message);
const finish = (message: WorkerMessage) => {
  port.postMessage(message);
  port.close();
};

/** Tokens evaluated between two cancel checks while filling a depth. */
const FILL_CHUNK = 4096;
const RSS_INTERVAL_MS = 50;
/** Decode steps of the untimed warm-up before each tg test (llama-bench warms up with one). */
const WARMUP_DECODE_STEPS = 4;

class Cancelled extends Error {
  override name = 'AbortError';
}

function checkCancel(): void {
  if (controller.signal.aborted) throw new Cancelled('cancelled');
}

/** Seeded random token ids in [0, vocab) (mulberry32), so runs evaluate the same tokens. */
function tokenSource(vocab: number, seed = 0x5eed): (n: number) => Token[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Token is a branded number in node-llama-cpp's typings.
  return (n) => Array.from({ length: n }, () => Math.floor(next() * vocab) as Token);
}

/** The vocabulary size: the tokenizer's token list, else the embedding tensor's second dimension. */
function vocabSize(model: LlamaModel): number {
  const listed = model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length;
  if (listed) return listed;
  const embd = model.fileInfo.tensorInfo?.find((t) => t.name === 'token_embd.weight');
  const dim = embd?.dimensions[1];
  return dim === undefined ? 256 : Number(dim);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Peak process RSS: sampled on a timer (the worker's loop is free while llama.cpp evaluates) and at every step. */
function rssSampler(): { sample: () => void; stop: () => number } {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, RSS_INTERVAL_MS);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  loadMs: number;
}

async function load(input: Input, warnings: string[]): Promise<Loaded> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({
    gpu: input.gpu ? 'auto' : false,
    build: 'never',
    logLevel: LlamaLogLevel.error,
    ...(input.threads > 0 ? { maxThreads: input.threads } : {}),
  });
  if (input.gpu && llama.gpu === false) warnings.push('No GPU build of llama.cpp loads on this machine (CUDA, Vulkan, Metal): measured on the CPU.');
  const t0 = performance.now();
  try {
    const model = await llama.loadModel({ modelPath: input.modelPath, ...(llama.gpu === false ? { gpuLayers: 0 } : {}) });
    const loadMs = performance.now() - t0;
    const layers = model.fileInsights.totalLayers;
    if (llama.gpu !== false && model.gpuLayers < layers) {
      warnings.push(`Only ${model.gpuLayers} of ${layers} layers fit on the GPU (${llama.gpu}); the rest ran on the CPU.`);
    }
    return { llama, model, loadMs };
  } catch (e) {
    await llama.dispose();
    throw e;
  }
}

/** The depths whose test fits the trained context; the others become warnings. */
function plannedDepths(input: Input, trainContext: number, warnings: string[]): number[] {
  return input.depths.filter((d) => {
    const need = d + Math.max(input.prompt, input.gen);
    if (trainContext > 0 && need > trainContext) {
      warnings.push(`Depth ${d} skipped: depth + ${Math.max(input.prompt, input.gen)} tokens exceed the model's trained context (${trainContext}).`);
      return false;
    }
    return true;
  });
}

type Step = (phase: string) => void;

async function fillTo(seq: LlamaContextSequence, depth: number, tokens: (n: number) => Token[]): Promise<void> {
  while (seq.nextTokenIndex < depth) {
    checkCancel();
    await seq.evaluateWithoutGeneratingNewTokens(tokens(Math.min(FILL_CHUNK, depth - seq.nextTokenIndex)));
  }
}

/** Back to depth d: the tokens a test added are erased from the KV cache. */
async function rewind(seq: LlamaContextSequence, depth: number): Promise<void> {
  if (seq.nextTokenIndex > depth) await seq.eraseContextTokenRanges([{ start: depth, end: seq.nextTokenIndex }]);
}

/** One pp run: `prompt` tokens in one batch, logits of the last one and a greedy sample (ms). */
async function timePrefill(seq: LlamaContextSequence, prompt: Token[]): Promise<number> {
  const t0 = performance.now();
  const gen = seq.evaluate(prompt, { temperature: 0, yieldEogToken: true });
  const first = await gen.next();
  const ms = performance.now() - t0;
  await gen.return();
  if (first.done) throw new Error('llama.cpp returned no token after the prompt');
  return ms;
}

/** One tg run: `n` single-token decode steps, each with a greedy sample; random ids are fed back (ms). */
async function timeDecode(seq: LlamaContextSequence, n: number, tokens: (n: number) => Token[]): Promise<number> {
  const feed = tokens(n);
  const t0 = performance.now();
  const gen = seq.evaluate(feed.slice(0, 1), { temperature: 0, yieldEogToken: true });
  try {
    for (let i = 0; i < n; i++) {
      if (i > 0) checkCancel();
      const r = i === 0 ? await gen.next() : await gen.next(feed[i]);
      if (r.done) throw new Error(`llama.cpp stopped generating after ${i} tokens`);
    }
    return performance.now() - t0;
  } finally {
    await gen.return();
  }
}

async function measureDepth(input: Input, seq: LlamaContextSequence, depth: number, tokens: (n: number) => Token[], step: Step): Promise<LlamaMeasuredPoint> {
  step(llamaPhase('fill', depth));
  await fillTo(seq, depth, tokens);
  step(llamaPhase('pp', depth, input.prompt));
  const pp: number[] = [];
  // r = -1 is the untimed warm-up (llama-bench's): the first run of a shape pays for graph set-up.
  for (let r = -1; r < input.repetitions; r++) {
    checkCancel();
    const ms = await timePrefill(seq, tokens(input.prompt));
    if (r >= 0) pp.push(ms);
    await rewind(seq, depth);
  }
  step(llamaPhase('tg', depth, input.gen));
  const tg: number[] = [];
  for (let r = -1; r < input.repetitions; r++) {
    checkCancel();
    const ms = await timeDecode(seq, r < 0 ? Math.min(input.gen, WARMUP_DECODE_STEPS) : input.gen, tokens);
    if (r >= 0) tg.push(ms);
    await rewind(seq, depth);
  }
  const ppMs = median(pp);
  const tgMs = median(tg);
  return { depth, prefillTokensPerSecond: (input.prompt * 1000) / ppMs, decodeTokensPerSecond: (input.gen * 1000) / tgMs, ttftMs: ppMs };
}

async function measureAll(input: Input, loaded: Loaded, depths: number[], warnings: string[], step: Step): Promise<{ points: LlamaMeasuredPoint[]; threads: number }> {
  const deepest = depths[depths.length - 1] ?? 0;
  // Room for the prompt and the decode steps together, and one more: a prompt that fills the
  // context exactly ran ~1.8× slower through node-llama-cpp (the zoo's 197 M Q8_0 model, 512
  // tokens on one thread of the Zen 5 VM: 2.93 s in a 512-token context, 1.61 s in 520 or 1024).
  const contextSize = deepest + input.prompt + input.gen + 1;
  // llama-bench's default is the math cores (physical cores); node-llama-cpp's would be at least 4.
  const threads = input.threads > 0 ? input.threads : Math.max(1, loaded.llama.cpuMathCores);
  let context: LlamaContext | null = null;
  try {
    context = await loaded.model.createContext({
      contextSize,
      batchSize: Math.min(input.batch, contextSize),
      sequences: 1,
      threads: { ideal: threads, min: threads },
    });
    if (input.batch < input.prompt) warnings.push(`Batch ${input.batch} < prompt ${input.prompt}: the prompt ran in ${Math.ceil(input.prompt / input.batch)} batches.`);
    const seq = context.getSequence();
    const tokens = tokenSource(vocabSize(loaded.model));
    const points: LlamaMeasuredPoint[] = [];
    for (const depth of depths) points.push(await measureDepth(input, seq, depth, tokens, step));
    return { points, threads: context.idealThreads };
  } finally {
    await context?.dispose();
  }
}

/** Decode steps a calibration GGUF is timed with, and timed runs (after a warm-up; the median kept). */
const CAL_DECODE = 64;
const CAL_RUNS = 3;

/** Times each calibration GGUF with the loaded llama.cpp at `threads`: ms per decoded token, and per prompt token of a CAL_DECODE-token prompt (dot GGUFs). */
async function measureCalibration(input: Input, llama: Llama, threads: number): Promise<LlamaCalibrationTiming[]> {
  const out: LlamaCalibrationTiming[] = [];
  for (const c of input.calibrate) {
    checkCancel();
    const model = await llama.loadModel({ modelPath: c.path, gpuLayers: 0 });
    let context: LlamaContext | null = null;
    try {
      context = await model.createContext({ contextSize: 4 * CAL_DECODE, batchSize: CAL_DECODE, sequences: 1, threads: { ideal: threads, min: threads } });
      const seq = context.getSequence();
      const tokens = tokenSource(vocabSize(model));
      const decode: number[] = [];
      const prompt: number[] = [];
      // r = -1 is the untimed warm-up.
      for (let r = -1; r < CAL_RUNS; r++) {
        checkCancel();
        const ms = await timeDecode(seq, CAL_DECODE, tokens);
        await rewind(seq, 0);
        if (r >= 0) decode.push(ms / CAL_DECODE);
        if (c.role !== 'dot') continue;
        const pp = await timePrefill(seq, tokens(CAL_DECODE));
        await rewind(seq, 0);
        if (r >= 0) prompt.push(pp / CAL_DECODE);
      }
      out.push({ ...c, decodeMsPerToken: median(decode), ...(prompt.length ? { prefillMsPerToken: median(prompt) } : {}) });
    } finally {
      await context?.dispose();
      await model.dispose();
    }
  }
  return out;
}

async function run(input: Input): Promise<LlamaMeasured> {
  const warnings: string[] = [];
  const rss = rssSampler();
  let done = 0;
  let total = 1 + input.depths.length * 3;
  const step: Step = (phase) => {
    rss.sample();
    send({ type: 'progress', phase, done, total });
    send({ type: 'log', level: 'info', message: phase === 'load' ? `loading ${input.modelPath}` : `measuring ${phase}` });
    done += 1;
  };
  try {
    step(llamaPhase('load'));
    const loaded = await load(input, warnings);
    try {
      checkCancel();
      const depths = plannedDepths(input, loaded.model.trainContextSize, warnings);
      total = 1 + depths.length * 3;
      const { points, threads } = depths.length > 0 ? await measureAll(input, loaded, depths, warnings, step) : { points: [], threads: input.threads || loaded.llama.cpuMathCores };
      let calibration: LlamaCalibrationTiming[] | undefined;
      if (input.calibrate.length > 0 && loaded.llama.gpu === false) {
        send({ type: 'progress', phase: 'calibration', done, total: total + 1 });
        send({ type: 'log', level: 'info', message: `timing llama.cpp on ${input.calibrate.length} calibration GGUFs` });
        calibration = await measureCalibration(input, loaded.llama, threads);
      }
      send({ type: 'progress', phase: 'done', done: total, total });
      const release = loaded.llama.llamaCppRelease.release;
      return {
        backend: loaded.llama.gpu === false ? 'cpu' : loaded.llama.gpu,
        threads,
        ...(release ? { llamaCppVersion: release } : {}),
        points,
        ...(calibration ? { calibration } : {}),
        loadMs: loaded.loadMs,
        peakRssBytes: rss.stop(),
        warnings,
      };
    } finally {
      await loaded.model.dispose();
      await loaded.llama.dispose();
    }
  } finally {
    rss.stop();
  }
}

port.on('message', (message: ParentMessage) => {
  if (message.type === 'abort') {
    controller.abort();
    return;
  }
  run(message.input as Input).then(
    (result) => finish({ type: 'result', result }),
    (e: unknown) => {
      const err = e as Error;
      if (err?.name === 'AbortError' || controller.signal.aborted) finish({ type: 'error', error: { code: 'CANCELLED', message: 'The llama.cpp measurement was cancelled.' } });
      else finish({ type: 'error', error: { code: 'INTERNAL', message: `llama.cpp: ${err?.message ?? String(e)}` } });
    },
  );
});
