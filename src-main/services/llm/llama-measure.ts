/**
 * Measured LLM speed through llama.cpp (node-llama-cpp), started in a worker thread (Node side).
 * The method is llama-bench's (llama.cpp tools/llama-bench/README.md): for each context depth d
 * (its `-d`), d random tokens are evaluated first, untimed; then `pp<prompt>` times one batch of
 * `prompt` random tokens on top of them and `tg<gen>` times `gen` single-token decode steps on
 * top of them (as llama-bench, the two tests are separate: tg starts at depth d, not after the
 * prompt). Each test is repeated and the median kept. Sampling is greedy and feeds random token
 * ids back, so the sampler never dominates. The worker is this module's sibling so the bundled
 * CLI finds it the same way the sources do.
 */
import type { JobContext } from '../../core/jobs.js';
import { runInWorker } from '../../core/worker-job.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';

export interface LlamaMeasureInput {
  /** A GGUF file llama.cpp loads. */
  modelPath: string;
  /** Context depths (llama-bench's -d), e.g. [0, 4096, 16384]. */
  depths: number[];
  /** Prompt tokens evaluated in one batch (pp); 512 by default. */
  prompt?: number;
  /** Single-token decode steps (tg); 128 by default. */
  gen?: number;
  /** llama.cpp batch size; by default max(prompt, 512), so the prompt is one batch. */
  batch?: number;
  /** CPU threads; by default llama.cpp's math cores (physical cores), as llama-bench. */
  threads?: number;
  /** Offload to the GPU through node-llama-cpp's CUDA/Vulkan/Metal build where one loads. */
  gpu: boolean;
  /** Runs per test, the median kept; 2 by default. */
  repetitions?: number;
  /** Synthetic GGUFs to time after the model, with the same llama.cpp and threads (llama-calibration.ts). */
  calibrate?: LlamaCalibrationModel[];
}

/** A calibration GGUF: `step` has negligible products (its decode step is llama.cpp's fixed cost), `dot` has weight products of `flopsPerToken`. */
export interface LlamaCalibrationModel {
  path: string;
  role: 'step' | 'dot';
  quant: string;
  flopsPerToken: number;
}

/** What the worker timed on one calibration GGUF: ms per decoded token, and (dot GGUFs) per token of a prompt evaluated as one batch. */
export interface LlamaCalibrationTiming extends LlamaCalibrationModel {
  decodeMsPerToken: number;
  prefillMsPerToken?: number;
}

export interface LlamaMeasuredPoint {
  depth: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  /** From submitting the prompt to the first token sampled (prefill with the last position's logits, greedy sample). */
  ttftMs: number;
}

export interface LlamaMeasured {
  /** 'cpu' | 'cuda' | 'vulkan' | 'metal'. */
  backend: string;
  threads: number;
  /** llama.cpp's release tag of the loaded binary (e.g. "b6869"). */
  llamaCppVersion?: string;
  points: LlamaMeasuredPoint[];
  /** The calibration GGUFs' timings, when the input named any. */
  calibration?: LlamaCalibrationTiming[];
  /** Loading the model file (not the llama.cpp binary). */
  loadMs: number;
  /** The process's resident set, sampled through the run (model, KV cache, compute buffers and all else in the process). */
  peakRssBytes: number;
  warnings: string[];
}

export const LLAMA_DEFAULTS = { prompt: 512, gen: 128, repetitions: 2 } as const;

export type LlamaStep = 'load' | 'fill' | 'pp' | 'tg';

/**
 * The progress phase of one step: 'load', then per depth `fill @ d`, `pp<prompt> @ d`, `tg<gen> @ d`
 * (one step per depth × phase, so the power sampler splits energy by test).
 */
export function llamaPhase(step: LlamaStep, depth = 0, tokens = 0): string {
  if (step === 'load') return 'load';
  return step === 'fill' ? `fill @ ${depth}` : `${step}${tokens} @ ${depth}`;
}

/** The input with its defaults, or INVALID_REQUEST naming the field. */
export function resolveLlamaInput(input: LlamaMeasureInput): Required<LlamaMeasureInput> & { batch: number; threads: number } {
  const prompt = input.prompt ?? LLAMA_DEFAULTS.prompt;
  const gen = input.gen ?? LLAMA_DEFAULTS.gen;
  const repetitions = input.repetitions ?? LLAMA_DEFAULTS.repetitions;
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  const bad = (field: string, why: string) => new ApiFailure('INVALID_REQUEST', `llama measure: ${field} ${why}`);
  if (!input.modelPath) throw bad('modelPath', 'is empty');
  if (input.depths.length === 0) throw bad('depths', 'is empty');
  if (input.depths.some((d) => !Number.isInteger(d) || d < 0)) throw bad('depths', 'must be integers ≥ 0');
  if (!positiveInt(prompt)) throw bad('prompt', 'must be a positive integer');
  if (!positiveInt(gen)) throw bad('gen', 'must be a positive integer');
  if (!positiveInt(repetitions)) throw bad('repetitions', 'must be a positive integer');
  if (input.batch !== undefined && !positiveInt(input.batch)) throw bad('batch', 'must be a positive integer');
  if (input.threads !== undefined && !positiveInt(input.threads)) throw bad('threads', 'must be a positive integer');
  return {
    modelPath: input.modelPath,
    depths: [...new Set(input.depths)].sort((a, b) => a - b),
    prompt,
    gen,
    batch: input.batch ?? Math.max(prompt, 512),
    // 0: llama.cpp's math cores, resolved in the worker.
    threads: input.threads ?? 0,
    gpu: input.gpu,
    repetitions,
    calibrate: input.calibrate ?? [],
  };
}

/** Runs the measurement in its worker; progress, log and cancel go through `ctx`. */
export function measureLlama(input: LlamaMeasureInput, ctx: JobContext): Promise<LlamaMeasured> {
  const resolved = resolveLlamaInput(input);
  return runInWorker<LlamaMeasured>(new URL('./llama-measure.worker.ts', import.meta.url), resolved, ctx);
}
