/**
 * LlmSpec from a Hugging Face config.json or from GGUF metadata. Defaults where a config omits a
 * field are those of transformers' models/<arch>/configuration_<arch>.py; GGUF keys are those of
 * llama.cpp's gguf-py/gguf/constants.py (Keys.LLM / Keys.Attention).
 */
import { FieldError } from '../errors/field-error.js';
import type { LlmArchitecture, LlmSpec, MlaSpec, MoeSpec } from './types.js';

type Json = Record<string, unknown>;

/** model_type values specFromHfConfig reads. */
export const HF_MODEL_TYPES = [
  'llama', 'mistral', 'mixtral', 'qwen2', 'qwen3', 'qwen2_moe', 'qwen3_moe', 'gemma', 'gemma2', 'gemma3',
  'gemma3_text', 'phi3', 'deepseek_v2', 'deepseek_v3', 'gpt2', 'gpt_neox', 'falcon',
] as const;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads fields of one config with its architecture's defaults; errors name the file and key. */
class ConfigReader {
  constructor(
    private readonly cfg: Json,
    private readonly label: string,
    private readonly defaults: Json,
  ) {}

  fail(field: string, why: string): never {
    throw new FieldError(field, `${this.label}: ${why}`);
  }

  has(key: string): boolean {
    return this.cfg[key] !== undefined && this.cfg[key] !== null;
  }

  raw(key: string): unknown {
    return this.has(key) ? this.cfg[key] : this.defaults[key];
  }

  /** A positive whole number (or ≥ 0 with min 0). */
  int(key: string, min = 1): number {
    const v = this.raw(key);
    if (v === undefined || v === null) this.fail(key, `${key} is missing`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.fail(key, `${key} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  optInt(key: string, min = 1): number | null {
    const v = this.raw(key);
    return v === undefined || v === null ? null : this.int(key, min);
  }

  bool(key: string): boolean {
    const v = this.raw(key);
    if (typeof v !== 'boolean') this.fail(key, `${key} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }
}

/**
 * Defaults of transformers' configuration classes (v4.4x–4.5x): LlamaConfig, MistralConfig,
 * MixtralConfig, Qwen2Config, Qwen3Config, Qwen2MoeConfig, Qwen3MoeConfig, GemmaConfig,
 * Gemma2Config, Gemma3TextConfig, Phi3Config, DeepseekV2Config, DeepseekV3Config, GPT2Config,
 * GPTNeoXConfig, FalconConfig (the __init__ keyword defaults).
 */
const GEMMA3_TEXT: Json = { vocab_size: 262208, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 26, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, max_position_embeddings: 131072, tie_word_embeddings: true, attention_bias: false, sliding_window: 4096, sliding_window_pattern: 6 };

const DEFAULTS: Record<string, Json> = {
  llama: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048, tie_word_embeddings: false, attention_bias: false },
  mistral: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 131072, tie_word_embeddings: false, sliding_window: 4096 },
  mixtral: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 131072, tie_word_embeddings: false, num_experts_per_tok: 2, num_local_experts: 8 },
  qwen2: { vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 32768, tie_word_embeddings: false, use_sliding_window: false, sliding_window: 4096, max_window_layers: 28 },
  qwen3: { vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, head_dim: 128, max_position_embeddings: 32768, tie_word_embeddings: false, attention_bias: false, use_sliding_window: false, sliding_window: 4096, max_window_layers: 28 },
  qwen2_moe: { vocab_size: 151936, hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 24, num_attention_heads: 16, num_key_value_heads: 16, max_position_embeddings: 32768, tie_word_embeddings: false, use_sliding_window: false, decoder_sparse_step: 1, moe_intermediate_size: 1408, shared_expert_intermediate_size: 5632, num_experts_per_tok: 4, num_experts: 60 },
  qwen3_moe: { vocab_size: 151936, hidden_size: 2048, intermediate_size: 6144, num_hidden_layers: 24, num_attention_heads: 32, num_key_value_heads: 4, max_position_embeddings: 32768, tie_word_embeddings: false, attention_bias: false, use_sliding_window: false, decoder_sparse_step: 1, moe_intermediate_size: 768, num_experts_per_tok: 8, num_experts: 128 },
  gemma: { vocab_size: 256000, hidden_size: 3072, intermediate_size: 24576, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 16, head_dim: 256, max_position_embeddings: 8192, tie_word_embeddings: true, attention_bias: false },
  gemma2: { vocab_size: 256000, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 26, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, max_position_embeddings: 8192, tie_word_embeddings: true, attention_bias: false, sliding_window: 4096 },
  gemma3: GEMMA3_TEXT,
  gemma3_text: GEMMA3_TEXT,
  phi3: { vocab_size: 32064, hidden_size: 3072, intermediate_size: 8192, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 4096, tie_word_embeddings: false },
  deepseek_v2: { vocab_size: 102400, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 30, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 2048, tie_word_embeddings: false, moe_intermediate_size: 1407, n_shared_experts: 0, n_routed_experts: 0, num_experts_per_tok: 0, first_k_dense_replace: 0, kv_lora_rank: 512, q_lora_rank: 1536, qk_rope_head_dim: 64, v_head_dim: 128, qk_nope_head_dim: 128 },
  deepseek_v3: { vocab_size: 129280, hidden_size: 7168, intermediate_size: 18432, num_hidden_layers: 61, num_attention_heads: 128, num_key_value_heads: 128, max_position_embeddings: 4096, tie_word_embeddings: false, moe_intermediate_size: 2048, n_shared_experts: 1, n_routed_experts: 256, num_experts_per_tok: 8, first_k_dense_replace: 3, kv_lora_rank: 512, q_lora_rank: 1536, qk_rope_head_dim: 64, v_head_dim: 128, qk_nope_head_dim: 128 },
  gpt2: { vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12, tie_word_embeddings: true },
  gpt_neox: { vocab_size: 50432, hidden_size: 6144, num_hidden_layers: 44, num_attention_heads: 64, intermediate_size: 24576, max_position_embeddings: 2048, tie_word_embeddings: false },
  falcon: { vocab_size: 65024, hidden_size: 4544, num_hidden_layers: 32, num_attention_heads: 71, max_position_embeddings: 2048, tie_word_embeddings: true, multi_query: true, new_decoder_architecture: false, bias: false, parallel_attn: true },
};

const ARCH_OF: Record<string, LlmArchitecture> = {
  llama: 'llama', mistral: 'mistral', mixtral: 'mixtral', qwen2: 'qwen2', qwen3: 'qwen3', qwen2_moe: 'qwen2_moe',
  qwen3_moe: 'qwen2_moe', gemma: 'gemma', gemma2: 'gemma2', gemma3: 'gemma3', gemma3_text: 'gemma3', phi3: 'phi3',
  deepseek_v2: 'deepseek_v2', deepseek_v3: 'deepseek_v3', gpt2: 'gpt2', gpt_neox: 'gpt_neox', falcon: 'falcon',
};

/** The Gemma 3 text config sits under text_config in the multimodal checkpoints (4B and larger). */
function unwrap(config: Json): Json {
  if (config.model_type === 'gemma3' && isRecord(config.text_config)) {
    return { ...config.text_config, model_type: 'gemma3_text' };
  }
  return config;
}

/** A spec from a Hugging Face config.json (parsed JSON). */
export function specFromHfConfig(config: unknown, label: string): LlmSpec {
  if (!isRecord(config)) throw new FieldError('config', `${label}: not a JSON object`);
  const cfg = unwrap(config);
  const modelType = cfg.model_type;
  const architecture = typeof modelType === 'string' ? ARCH_OF[modelType] : undefined;
  if (typeof modelType !== 'string' || architecture === undefined) {
    throw new FieldError(
      'model_type',
      `${label}: model_type ${JSON.stringify(modelType)} is not supported (supported: ${HF_MODEL_TYPES.join(', ')})`,
    );
  }
  const r = new ConfigReader(cfg, label, DEFAULTS[modelType] ?? {});
  if (architecture === 'gpt2') return gpt2Spec(r, label);
  const base = attentionShape(r, modelType);
  const spec: LlmSpec = {
    name: typeof cfg._name_or_path === 'string' && cfg._name_or_path !== '' ? cfg._name_or_path : label,
    architecture,
    ...base,
    intermediateSize: denseIntermediate(r, modelType, base.hiddenSize),
    vocab: r.int('vocab_size'),
    contextMax: r.int('max_position_embeddings'),
    tiedEmbeddings: architecture === 'gemma' || architecture === 'gemma2' || architecture === 'gemma3' ? true : r.bool('tie_word_embeddings'),
    bias: biasOf(r, modelType),
    qkNorm: modelType === 'qwen3' || modelType === 'qwen3_moe' || architecture === 'gemma3',
    slidingWindow: slidingOf(r, modelType, base.layers),
    moe: moeOf(r, modelType),
    mla: mlaOf(r, modelType),
    source: `${label} (model_type ${modelType})`,
  };
  if (modelType === 'falcon') spec.normsPerLayer = falconNorms(r);
  return spec;
}

function attentionShape(r: ConfigReader, modelType: string): Pick<LlmSpec, 'layers' | 'hiddenSize' | 'heads' | 'kvHeads' | 'headDim'> {
  const hiddenSize = r.int('hidden_size');
  const heads = r.int('num_attention_heads');
  const layers = r.int('num_hidden_layers');
  const kvHeads = kvHeadsOf(r, modelType, heads);
  if (heads % kvHeads !== 0) {
    r.fail(r.has('num_key_value_heads') ? 'num_key_value_heads' : 'num_kv_heads', `num_key_value_heads ${kvHeads} does not divide num_attention_heads ${heads}`);
  }
  const explicit = r.optInt('head_dim');
  if (explicit === null && hiddenSize % heads !== 0) {
    r.fail('num_attention_heads', `num_attention_heads ${heads} does not divide hidden_size ${hiddenSize} (and there is no head_dim)`);
  }
  return { layers, hiddenSize, heads, kvHeads, headDim: explicit ?? hiddenSize / heads };
}

/**
 * FalconDecoderLayer: with parallel attention one input_layernorm, or ln_attn + ln_mlp in the new
 * decoder architecture (num_ln_in_parallel_attn, default 2 there); without it two norms.
 */
function falconNorms(r: ConfigReader): number {
  if (r.raw('parallel_attn') === false) return 2;
  if (!r.bool('new_decoder_architecture')) return 1;
  return r.optInt('num_ln_in_parallel_attn') ?? 2;
}

function kvHeadsOf(r: ConfigReader, modelType: string, heads: number): number {
  if (modelType === 'falcon') {
    // FalconConfig: num_kv_heads (new decoder architecture), else 1 with multi_query, else num_attention_heads.
    if (r.bool('new_decoder_architecture')) return r.optInt('num_kv_heads') ?? heads;
    return r.bool('multi_query') ? 1 : heads;
  }
  if (modelType === 'gpt_neox') return heads;
  // Llama-family configs: num_key_value_heads defaults to num_attention_heads when None.
  return r.optInt('num_key_value_heads') ?? heads;
}

function denseIntermediate(r: ConfigReader, modelType: string, hidden: number): number {
  if (modelType === 'falcon') return 4 * hidden; // FalconMLP: dense_h_to_4h
  if (modelType === 'mixtral' || modelType === 'qwen2_moe' || modelType === 'qwen3_moe') return 0;
  if (modelType === 'deepseek_v2' || modelType === 'deepseek_v3') {
    return r.int('first_k_dense_replace', 0) > 0 || r.int('n_routed_experts', 0) === 0 ? r.int('intermediate_size') : 0;
  }
  return r.int('intermediate_size');
}

function biasOf(r: ConfigReader, modelType: string): LlmSpec['bias'] {
  if (modelType === 'qwen2' || modelType === 'qwen2_moe') return 'qkv'; // Qwen2Attention: q/k/v bias=True
  if (modelType === 'gpt_neox') return 'all';
  if (modelType === 'falcon') return r.bool('bias') ? 'all' : 'none';
  const attentionBias = r.raw('attention_bias');
  return attentionBias === true ? 'qkv' : 'none';
}

function slidingOf(r: ConfigReader, modelType: string, layers: number): LlmSpec['slidingWindow'] {
  const window = r.optInt('sliding_window');
  const all = (local: boolean) => Array.from({ length: layers }, () => local);
  switch (modelType) {
    case 'mistral':
      return window === null ? null : { window, localLayers: all(true) }; // Mistral 7B v0.1: every layer
    case 'gemma2': // Gemma2DecoderLayer: is_sliding = not bool(layer_idx % 2)
      return { window: window ?? 4096, localLayers: Array.from({ length: layers }, (_, i) => i % 2 === 0) };
    case 'gemma3':
    case 'gemma3_text':
      return { window: window ?? 4096, localLayers: gemma3Pattern(r, layers) };
    case 'qwen2':
    case 'qwen3':
    case 'qwen2_moe':
    case 'qwen3_moe':
      return qwenSliding(r, window, layers);
    default:
      // phi3's sliding_window (2047) is not applied by llama.cpp (src/models/phi3.cpp: swa_type NONE).
      return null;
  }
}

/** Gemma3TextConfig: layer_types if given, else every sliding_window_pattern-th layer global. */
function gemma3Pattern(r: ConfigReader, layers: number): boolean[] {
  const types = r.raw('layer_types');
  if (Array.isArray(types)) {
    if (types.length !== layers) r.fail('layer_types', `layer_types has ${types.length} entries, num_hidden_layers is ${layers}`);
    return types.map((t) => t === 'sliding_attention');
  }
  const pattern = r.int('sliding_window_pattern');
  return Array.from({ length: layers }, (_, i) => (i + 1) % pattern !== 0);
}

/** Qwen2Config: with use_sliding_window, layers from max_window_layers on use the window. */
function qwenSliding(r: ConfigReader, window: number | null, layers: number): LlmSpec['slidingWindow'] {
  if (r.raw('use_sliding_window') !== true || window === null) return null;
  const from = r.optInt('max_window_layers', 0) ?? layers;
  return { window, localLayers: Array.from({ length: layers }, (_, i) => i >= from) };
}

function moeOf(r: ConfigReader, modelType: string): MoeSpec | null {
  const none = { sharedExperts: 0, sharedIntermediate: 0, firstDenseLayers: 0, sharedExpertGate: false };
  switch (modelType) {
    case 'mixtral':
      return { ...none, experts: r.int('num_local_experts'), expertsPerToken: r.int('num_experts_per_tok'), expertIntermediate: r.int('intermediate_size') };
    case 'qwen2_moe':
    case 'qwen3_moe':
      return qwenMoe(r, modelType);
    case 'deepseek_v2':
    case 'deepseek_v3':
      return deepseekMoe(r);
    default:
      return null;
  }
}

function qwenMoe(r: ConfigReader, modelType: string): MoeSpec {
  const only = r.raw('mlp_only_layers');
  if (Array.isArray(only) && only.length > 0) r.fail('mlp_only_layers', 'mlp_only_layers (dense layers between MoE ones) is not supported');
  if (r.int('decoder_sparse_step') !== 1) r.fail('decoder_sparse_step', 'decoder_sparse_step other than 1 is not supported');
  const shared = modelType === 'qwen2_moe' ? r.int('shared_expert_intermediate_size', 0) : 0;
  return {
    experts: r.int('num_experts'),
    expertsPerToken: r.int('num_experts_per_tok'),
    expertIntermediate: r.int('moe_intermediate_size'),
    sharedExperts: shared > 0 ? 1 : 0,
    sharedIntermediate: shared,
    firstDenseLayers: 0,
    sharedExpertGate: shared > 0,
  };
}

function deepseekMoe(r: ConfigReader): MoeSpec | null {
  const experts = r.int('n_routed_experts', 0);
  if (experts === 0) return null;
  if (r.optInt('moe_layer_freq') !== null && r.int('moe_layer_freq') !== 1) r.fail('moe_layer_freq', 'moe_layer_freq other than 1 is not supported');
  const shared = r.int('n_shared_experts', 0);
  const expertIntermediate = r.int('moe_intermediate_size');
  return {
    experts,
    expertsPerToken: r.int('num_experts_per_tok'),
    expertIntermediate,
    sharedExperts: shared,
    sharedIntermediate: shared * expertIntermediate, // DeepseekV3MoE: one MLP of moe_intermediate_size × n_shared_experts
    firstDenseLayers: r.int('first_k_dense_replace', 0),
    sharedExpertGate: false,
  };
}

function mlaOf(r: ConfigReader, modelType: string): MlaSpec | null {
  if (modelType !== 'deepseek_v2' && modelType !== 'deepseek_v3') return null;
  return {
    kvLoraRank: r.int('kv_lora_rank'),
    qLoraRank: r.optInt('q_lora_rank'),
    qkNopeHeadDim: r.int('qk_nope_head_dim'),
    qkRopeHeadDim: r.int('qk_rope_head_dim'),
    vHeadDim: r.int('v_head_dim'),
  };
}

/** GPT2Config: n_embd, n_head, n_layer, n_positions; n_inner None means 4·n_embd. */
function gpt2Spec(r: ConfigReader, label: string): LlmSpec {
  const hiddenSize = r.int('n_embd');
  const heads = r.int('n_head');
  if (hiddenSize % heads !== 0) r.fail('n_head', `n_head ${heads} does not divide n_embd ${hiddenSize}`);
  return {
    name: label,
    architecture: 'gpt2',
    layers: r.int('n_layer'),
    hiddenSize,
    heads,
    kvHeads: heads,
    headDim: hiddenSize / heads,
    intermediateSize: r.optInt('n_inner') ?? 4 * hiddenSize,
    vocab: r.int('vocab_size'),
    contextMax: r.int('n_positions'),
    tiedEmbeddings: true, // GPT2LMHeadModel ties lm_head to wte
    bias: 'all',
    qkNorm: false,
    slidingWindow: null,
    moe: null,
    mla: null,
    source: `${label} (model_type gpt2)`,
  };
}

// ---- GGUF ----

/** general.architecture values specFromGgufMetadata reads, with their LlmArchitecture. */
const GGUF_ARCH: Record<string, LlmArchitecture> = {
  llama: 'llama', qwen2: 'qwen2', qwen3: 'qwen3', qwen2moe: 'qwen2_moe', qwen3moe: 'qwen2_moe', gemma: 'gemma',
  gemma2: 'gemma2', gemma3: 'gemma3', phi3: 'phi3', deepseek2: 'deepseek_v2', gpt2: 'gpt2', gptneox: 'gpt_neox',
  falcon: 'falcon',
};

export interface GgufTensorInfo {
  name: string;
  shape: number[];
  type: string;
}

/** Reads `<arch>.*` keys (gguf-py/gguf/constants.py Keys.LLM / Keys.Attention). */
class GgufReader {
  constructor(
    private readonly meta: Record<string, unknown>,
    readonly arch: string,
    private readonly label: string,
  ) {}

  fail(key: string, why: string): never {
    throw new FieldError(key, `${this.label}: ${why}`);
  }

  /** A whole number under `<arch>.<key>`; arrays (per-layer values) give their largest entry. */
  opt(key: string): number | null {
    const full = `${this.arch}.${key}`;
    const v = this.meta[full];
    if (v === undefined || v === null) return null;
    const values = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'bigint' ? Number(x) : x));
    if (values.length === 0 || !values.every((x): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
      this.fail(full, `${full} must be a whole number ≥ 0, got ${String(v)}`);
    }
    return Math.max(...values);
  }

  int(key: string): number {
    const v = this.opt(key);
    if (v === null || v === 0) this.fail(`${this.arch}.${key}`, `${this.arch}.${key} is missing`);
    return v;
  }
}

/** A spec from GGUF metadata and tensor infos (shapes in ggml order: ne[0] first). */
export function specFromGgufMetadata(metadata: Record<string, unknown>, tensors: GgufTensorInfo[], label: string): LlmSpec {
  const arch = metadata['general.architecture'];
  const architecture = typeof arch === 'string' ? GGUF_ARCH[arch] : undefined;
  if (typeof arch !== 'string' || architecture === undefined) {
    throw new FieldError(
      'general.architecture',
      `${label}: general.architecture ${JSON.stringify(arch)} is not supported (supported: ${Object.keys(GGUF_ARCH).join(', ')})`,
    );
  }
  const g = new GgufReader(metadata, arch, label);
  const names = new Set(tensors.map((t) => t.name));
  const hiddenSize = g.int('embedding_length');
  const heads = g.int('attention.head_count');
  const kvHeads = g.opt('attention.head_count_kv') ?? heads;
  if (kvHeads === 0 || heads % kvHeads !== 0) {
    g.fail(`${arch}.attention.head_count_kv`, `${arch}.attention.head_count_kv ${kvHeads} does not divide ${arch}.attention.head_count ${heads}`);
  }
  const layers = g.int('block_count');
  const moe = ggufMoe(g, names);
  const spec: LlmSpec = {
    name: typeof metadata['general.name'] === 'string' ? metadata['general.name'] : label,
    architecture: ggufArchitecture(architecture, moe, names),
    layers,
    hiddenSize,
    heads,
    kvHeads,
    headDim: g.opt('attention.key_length_mla') ?? g.opt('attention.key_length') ?? hiddenSize / heads,
    intermediateSize: moe && moe.firstDenseLayers === 0 ? 0 : g.int('feed_forward_length'),
    vocab: ggufVocab(metadata, tensors, hiddenSize, label),
    contextMax: g.int('context_length'),
    tiedEmbeddings: !names.has('output.weight'),
    bias: names.has('blk.0.attn_output.bias') || names.has('blk.0.ffn_down.bias') ? 'all' : names.has('blk.0.attn_q.bias') || names.has('blk.0.attn_qkv.bias') ? 'qkv' : 'none',
    qkNorm: names.has('blk.0.attn_q_norm.weight') && arch !== 'deepseek2',
    slidingWindow: ggufSliding(g, layers),
    moe,
    mla: ggufMla(g, arch),
    source: `${label} (GGUF, general.architecture ${arch})`,
  };
  if (spec.mla) spec.headDim = spec.mla.qkNopeHeadDim + spec.mla.qkRopeHeadDim;
  if (arch === 'falcon') spec.normsPerLayer = names.has('blk.0.attn_norm_2.weight') ? 2 : 1;
  return spec;
}

function ggufArchitecture(arch: LlmArchitecture, moe: MoeSpec | null, names: Set<string>): LlmArchitecture {
  if (arch === 'llama' && moe) return 'mixtral'; // Mixtral is written as llama with experts
  // DeepSeek-V3's router has a score-correction bias (exp_probs_b); V2's has not.
  if (arch === 'deepseek_v2' && [...names].some((n) => n.endsWith('.exp_probs_b.bias'))) return 'deepseek_v3';
  return arch;
}

function ggufVocab(meta: Record<string, unknown>, tensors: GgufTensorInfo[], hidden: number, label: string): number {
  // The header reader keeps long arrays as { kind: 'array', length } (src-main/services/llm/read-gguf.ts).
  const tokens = meta['tokenizer.ggml.tokens'];
  const length = Array.isArray(tokens) ? tokens.length : isRecord(tokens) && typeof tokens.length === 'number' ? tokens.length : 0;
  if (length > 0) return length;
  const embd = tensors.find((t) => t.name === 'token_embd.weight');
  const [ne0, ne1] = embd?.shape ?? [];
  if (ne0 !== undefined && ne1 !== undefined) return ne0 === hidden ? ne1 : ne0;
  throw new FieldError('tokenizer.ggml.tokens', `${label}: no tokenizer.ggml.tokens and no token_embd.weight tensor to read the vocabulary from`);
}

function ggufMoe(g: GgufReader, names: Set<string>): MoeSpec | null {
  const experts = g.opt('expert_count') ?? 0;
  if (experts === 0) return null;
  const expertIntermediate = g.opt('expert_feed_forward_length') ?? g.int('feed_forward_length');
  const sharedCount = g.opt('expert_shared_count') ?? 0;
  const sharedFf = g.opt('expert_shared_feed_forward_length') ?? 0;
  const sharedIntermediate = sharedFf > 0 ? sharedFf : sharedCount * expertIntermediate;
  return {
    experts,
    expertsPerToken: g.int('expert_used_count'),
    expertIntermediate,
    sharedExperts: sharedCount > 0 ? sharedCount : sharedFf > 0 ? 1 : 0,
    sharedIntermediate,
    firstDenseLayers: g.opt('leading_dense_block_count') ?? 0,
    sharedExpertGate: names.has('blk.0.ffn_gate_inp_shexp.weight'),
  };
}

function ggufSliding(g: GgufReader, layers: number): LlmSpec['slidingWindow'] {
  const window = g.opt('attention.sliding_window');
  // llama.cpp: gemma2 always uses a window (4096 default, period 2), gemma3 period 6; phi3 ignores it.
  const period = g.arch === 'gemma2' ? 2 : g.arch === 'gemma3' ? (g.opt('attention.sliding_window_pattern') ?? 6) : 0;
  if (period === 0) return null;
  if (g.arch === 'gemma3' && !window) return null;
  // llama_hparams::set_swa_pattern(n): layer il uses the window when il % n < n − 1.
  return { window: window ?? 4096, localLayers: Array.from({ length: layers }, (_, i) => i % period < period - 1) };
}

function ggufMla(g: GgufReader, arch: string): MlaSpec | null {
  if (arch !== 'deepseek2') return null;
  const rope = g.int('rope.dimension_count');
  const keyLength = g.opt('attention.key_length_mla') ?? g.int('attention.key_length');
  return {
    kvLoraRank: g.int('attention.kv_lora_rank'),
    qLoraRank: g.opt('attention.q_lora_rank') || null,
    qkNopeHeadDim: keyLength - rope,
    qkRopeHeadDim: rope,
    vHeadDim: g.opt('attention.value_length_mla') ?? g.int('attention.value_length'),
  };
}
