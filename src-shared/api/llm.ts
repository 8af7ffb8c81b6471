/**
 * The LLM capability's part of the API contract (runs anywhere): "does this model fit on my
 * machine, at what context, and how fast will it prefill and generate?" for a GGUF file, a
 * safetensors file or sharded index with its config.json, a config.json alone, or a well-known
 * model FLOPscope ships. `llm.estimate` answers from the model's own numbers and this machine's
 * calibrated cost model; `llm.measure` runs the GGUF through llama.cpp (node-llama-cpp) as a job
 * and puts the measurement beside the prediction. The math is src-shared/llm, the readers and the
 * runner src-main/services/llm.
 */
import { z } from 'zod';
import type { JobInfo } from './types.js';
import { KV_DTYPES, LLM_ZOO_QUANTS, LLM_ZOO_SIZES, type LlmFit, type LlmMemory } from '../llm/types.js';

export { LLM_ZOO_QUANTS, LLM_ZOO_SIZES, type LlmZooSize } from '../llm/types.js';
import { lazyMethods, lazySchema } from './lazy-schema.js';

const int = lazySchema(() => z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }));

export const llmSourceSchema = lazySchema(() => z.union([
  /** A path on disk (.gguf, .safetensors, model.safetensors.index.json, config.json): the CLI door only. */
  z.object({ file: z.string().min(1).max(4096) }).strict(),
  /** A file a page uploaded (POST /api/upload or the window's upload): a GGUF, a safetensors header or a config.json. */
  z.object({ upload: z.string().min(1).max(64) }).strict(),
  /** A well-known model FLOPscope ships the config.json of (`llm.models`). */
  z.object({ known: z.string().min(1).max(128) }).strict(),
  /** A config.json's content, pasted. */
  z.object({ config: z.record(z.string(), z.unknown()), name: z.string().min(1).max(200).optional() }).strict(),
  /** A Llama-style decoder the backend writes as GGUF (random weights) to measure llama.cpp with when the user has no file. */
  z.object({ zoo: z.enum(LLM_ZOO_SIZES), quant: z.enum(LLM_ZOO_QUANTS) }).strict(),
]));
export type LlmSource = z.output<typeof llmSourceSchema>;

/** The settings, each with the default the CLI and the page start from. */
export const llmSettingsSchema = lazySchema(() => z
  .object({
    /** Weight storage for a source without stored tensors (a config): a ggml type or file type (Q4_K_M, Q8_0, F16…). */
    quant: z.string().min(1).max(32).default('Q4_K_M'),
    /** Context the K/V cache is sized for (default: 4096, or the model's maximum when smaller). */
    context: int.min(1).max(16 * 1024 * 1024).optional(),
    batch: int.min(1).max(4096).default(1),
    prompt: int.min(1).max(1024 * 1024).default(512),
    gen: int.min(1).max(1024 * 1024).default(128),
    kvDtype: z.enum(KV_DTYPES).default('f16'),
    /** Context depth decode is predicted at (tokens already in the cache; default: the prompt). */
    depth: int.min(0).max(16 * 1024 * 1024).optional(),
  })
  .strict());

export const llmMethods = lazyMethods({
  /** The well-known models FLOPscope ships the config.json of, with their source. */
  'llm.models': () => z.object({}).strict(),
  /** Parameters, memory, fit and predicted speed of one model; stored as an 'llm' run when `store`. */
  'llm.estimate': () => z
    .object({
      source: llmSourceSchema,
      settings: llmSettingsSchema.default({ quant: 'Q4_K_M', batch: 1, prompt: 512, gen: 128, kvDtype: 'f16' }),
      /** Catalog GPUs to fit against besides this machine (names as in the GPU catalog, or "apple:<GB>" for unified memory). */
      devices: z.array(z.string().min(1).max(128)).max(16).default([]),
      store: z.boolean().default(false),
    })
    .strict(),
  /** The same estimate, then a measured llama.cpp run of the GGUF at these context depths (a job, stored as an 'llm' run). */
  'llm.measure': () => z
    .object({
      source: llmSourceSchema,
      settings: llmSettingsSchema.default({ quant: 'Q4_K_M', batch: 1, prompt: 512, gen: 128, kvDtype: 'f16' }),
      devices: z.array(z.string().min(1).max(128)).max(16).default([]),
      depths: z.array(int.min(0).max(1024 * 1024)).min(1).max(8).default([0]),
      threads: int.min(1).max(1024).optional(),
      /** Offload to this machine's GPU through llama.cpp's CUDA/Vulkan/Metal build where one loads. */
      gpu: z.boolean().default(false),
    })
    .strict(),
});

export type LlmEstimateRequest = z.output<(typeof llmMethods)['llm.estimate']>;
export type LlmMeasureRequest = z.output<(typeof llmMethods)['llm.measure']>;
export type LlmSettingsRequest = z.output<typeof llmSettingsSchema>;

export interface LlmModelInfo {
  id: string;
  name: string;
  architecture: string;
  params: number;
  activeParams: number;
  contextMax: number;
  source: string;
}

/** One measured context depth (llama-bench's pp / tg at -d). */
export interface LlmMeasuredPoint {
  depth: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  ttftMs: number;
  /** What the cost model predicted at this depth, for the error beside it. */
  predictedPrefillTokensPerSecond: number;
  predictedDecodeTokensPerSecond: number;
  /** Attention FLOPs of the timed prompt (after `depth` cached tokens) and of one decoded token (at depth + gen/2): what later predictions fit llama.cpp's attention rate on. */
  prefillAttentionFlops?: number;
  decodeAttentionFlops?: number;
}

/**
 * llama.cpp's own rates on this machine, measured on synthetic GGUFs (shapes no zoo model has) in
 * the same worker as a measured run (src-main/services/llm/llama-calibration.ts): its fixed cost
 * per decoded token, and per weight type the GFLOP/s of its weight products when decoding
 * (matrix–vector products, one token at a time) and prefilling (a batch of tokens).
 */
export interface LlamaCalibration {
  backend: string;
  threads: number;
  /** A decode step's cost beyond its weight products and attention, ms. */
  stepMs: number;
  quants: Array<{ quant: string; decodeGflops: number; prefillGflops?: number }>;
}

/** The CLI's JSON document and the page's model (the shape, plus what each figure rests on). */
export interface LlmEstimateResult {
  model: {
    name: string;
    architecture: string;
    params: number;
    activeParams: number;
    layers: number;
    hiddenSize: number;
    heads: number;
    kvHeads: number;
    headDim: number;
    vocab: number;
    contextMax: number;
    quant: string;
    /** 'gguf' | 'safetensors' | 'config' | 'known' | 'zoo'. */
    sourceKind: string;
    source: string;
  };
  settings: { quant: string; context: number; batch: number; prompt: number; gen: number; kvDtype: string; depth: number };
  memory: { weightsBytes: number; kvCacheBytes: number; computeBytes: number; overheadBytes: number; totalBytes: number; parts: LlmMemory };
  prefill: { tokens: number; flops: number; predictedTokensPerSecond: number; predictedTtftMs: number; measuredTokensPerSecond?: number; measuredTtftMs?: number };
  decode: { contextDepth: number; flopsPerToken: number; bytesPerToken: number; predictedTokensPerSecond: number; measuredTokensPerSecond?: number };
  /** Predicted decode tokens/s against context depth (the page's chart). */
  decodeCurve: Array<{ depth: number; tokensPerSecond: number }>;
  fits: LlmFit[];
  /** What the predictions ran on: this machine's calibrated cost model (or its theoretical peaks, labelled). */
  device: { name: string; basis: string; measured: boolean };
  measured?: {
    backend: string;
    threads: number;
    loadMs: number;
    peakRssBytes: number;
    points: LlmMeasuredPoint[];
    energyJoulesPerToken?: number;
    /** Measured in the same run when this machine had none for its thread count (later predictions use it). */
    calibration?: LlamaCalibration;
  };
  warnings: string[];
  runId?: number | null;
}

export interface LlmResults {
  'llm.models': LlmModelInfo[];
  'llm.estimate': LlmEstimateResult;
  'llm.measure': JobInfo;
}
