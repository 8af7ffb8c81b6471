/**
 * Large-language-model types (runs anywhere): a decoder normalised from any source (GGUF metadata,
 * a Hugging Face config.json, a shipped well-known model), the settings a user asks about, and the
 * estimate FLOPscope gives (parameters, memory, fit, predicted prefill/decode speed). The readers
 * live in src-main/services/llm/, the pure math beside this file.
 */

/** Architectures with an exact parameter formula and K/V-cache rule (spec.ts). */
export const LLM_ARCHITECTURES = [
  'llama', 'mistral', 'mixtral', 'qwen2', 'qwen3', 'qwen2_moe', 'gemma', 'gemma2', 'gemma3', 'phi3',
  'deepseek_v2', 'deepseek_v3', 'gpt2', 'gpt_neox', 'falcon',
] as const;
export type LlmArchitecture = (typeof LLM_ARCHITECTURES)[number];

/** Mixture-of-experts feed-forward (Mixtral, Qwen-MoE, DeepSeek). */
export interface MoeSpec {
  /** Routed experts per MoE layer. */
  experts: number;
  /** Routed experts each token uses. */
  expertsPerToken: number;
  /** Intermediate size of one routed expert. */
  expertIntermediate: number;
  /** Shared (always-on) experts, 0 for none. */
  sharedExperts: number;
  /** Intermediate size of the shared expert block (all shared experts together), 0 for none. */
  sharedIntermediate: number;
  /** Leading layers that stay dense (DeepSeek's first_k_dense_replace), using `LlmSpec.intermediateSize`. */
  firstDenseLayers: number;
  /** Qwen-MoE's shared-expert gate (a hidden → 1 projection per layer). */
  sharedExpertGate: boolean;
}

/** DeepSeek's multi-head latent attention: what is projected and what the K/V cache keeps (the latent). */
export interface MlaSpec {
  kvLoraRank: number;
  /** null where queries are projected directly (DeepSeek-V2-Lite). */
  qLoraRank: number | null;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

/** A decoder-only transformer, exact enough to count its parameters and K/V cache. */
export interface LlmSpec {
  name: string;
  architecture: LlmArchitecture;
  layers: number;
  hiddenSize: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Dense FFN intermediate size (for MoE models: of the dense layers, 0 when none). */
  intermediateSize: number;
  vocab: number;
  /** Longest context the model supports (max_position_embeddings / *.context_length), tokens. */
  contextMax: number;
  tiedEmbeddings: boolean;
  /** Biases on the q/k/v projections (Qwen2), or on every linear layer (GPT-2, NeoX, Falcon: 'all'). */
  bias: 'none' | 'qkv' | 'all';
  /** RMSNorm on q and k per head (Qwen3, Gemma 3). */
  qkNorm: boolean;
  /** Sliding-window attention: the window and which layers use it (true = local). null when none. */
  slidingWindow: { window: number; localLayers: boolean[] } | null;
  moe: MoeSpec | null;
  mla: MlaSpec | null;
  /**
   * Norms per layer where the architecture alone does not say (Falcon: 1 with parallel attention,
   * 2 with the new decoder architecture). Absent: the architecture's count (params.ts).
   */
  normsPerLayer?: number;
  /** Where each figure came from, e.g. "config.json of Llama-3-8B (meta-llama/Meta-Llama-3-8B)". */
  source: string;
}

/** ggml tensor types FLOPscope knows the storage of (quant.ts). */
export type GgmlTypeName = string;

/** K/V cache element types llama.cpp offers (`--cache-type-k/-v`). */
export const KV_DTYPES = ['f32', 'f16', 'bf16', 'q8_0', 'q4_0'] as const;
export type KvDtype = (typeof KV_DTYPES)[number];

/** What the user asks about. */
export interface LlmSettings {
  /** Weight storage for sources without stored tensors (configs): a ggml type name, e.g. 'Q4_K', 'Q8_0', 'F16'. */
  quant: string;
  /** Context length the K/V cache is sized for, tokens. */
  context: number;
  batch: number;
  /** Prompt (prefill) tokens. */
  prompt: number;
  /** Generated tokens. */
  gen: number;
  kvDtype: KvDtype;
}

/** A memory figure with what it rests on. */
export interface MemoryPart {
  bytes: number;
  basis: string;
  /** 'exact' from the file's tensors or the formula; 'estimated' where a rule of thumb is used. */
  kind: 'exact' | 'estimated' | 'measured';
}

export interface LlmMemory {
  weights: MemoryPart;
  kvCache: MemoryPart;
  compute: MemoryPart;
  overhead: MemoryPart;
  totalBytes: number;
}

/** One device the model is fitted against. */
export interface LlmFit {
  device: string;
  memoryBytes: number;
  fits: boolean;
  /** Longest context whose total fits (tokens, capped at the model's maximum); 0 when not even the weights fit. */
  maxContext: number;
  /** For a GPU too small for the whole model: layers that fit on it (the rest run on the CPU). */
  gpuLayers?: number;
  /** Predicted decode tokens/s of that split, where computed. */
  splitDecodeTokensPerSecond?: number;
  note: string;
}

/**
 * How a prediction times kernels on a device, as functions so the math stays pure: on this
 * machine they wrap the calibrated cost model (src-shared/profiler/cost-model.ts `kernelMs`), on
 * a catalog GPU a roofline. Built by the service (src-main), used by predict.ts.
 */
export interface LlmDevice {
  name: string;
  /** Seconds of a product (rows × k)·(k × n) whose k × n weight operand is stored in `weightBytes` bytes. */
  productSeconds(rows: number, n: number, k: number, weightBytes: number): number;
  /** Seconds of a memory-bound kernel moving `bytes` (a K/V cache read, norms, softmax). */
  streamSeconds(bytes: number): number;
  /**
   * Seconds of the attention core (QKᵀ, softmax, ·V over the cached keys) doing `flops`, where the
   * runtime's own attention kernel was measured on this machine (llama.cpp's CPU attention runs far
   * below its GEMMs); absent: decode streams the K/V cache and prefill times it as products.
   */
  attentionSeconds?(flops: number, phase: 'decode' | 'prefill'): number;
  /** Seconds every decode step costs beyond its products and attention (the runtime's fixed per-token work), where measured. */
  stepSeconds?: number;
  /** Memory the model must fit in, bytes. */
  memoryBytes: number;
  /** Where its figures come from. */
  basis: string;
}

/** Sizes of the Llama-style decoders the backend writes as GGUF for a measured run without a file of the user's (random weights). */
export const LLM_ZOO_SIZES = ['tiny', 'small', 'medium', 'large'] as const;
export type LlmZooSize = (typeof LLM_ZOO_SIZES)[number];
/** Weight types the zoo GGUF writer stores. */
export const LLM_ZOO_QUANTS = ['F16', 'Q8_0', 'Q4_0'] as const;
