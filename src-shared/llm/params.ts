/**
 * Exact parameter counts from an LlmSpec: the sum of the weight tensors the transformers modeling
 * code (models/<arch>/modeling_<arch>.py) creates, which is what the safetensors/GGUF files store.
 */
import type { LlmSpec } from './types.js';

export interface LayerParams {
  attention: number;
  ffn: number;
  /** Norm weights (and LayerNorm biases). */
  norms: number;
  total: number;
  /** What one token uses: the FFN counts only the routed experts it is sent to. */
  active: number;
}

export interface ParamCount {
  total: number;
  active: number;
  /** Token (and position) embeddings. */
  embedding: number;
  /** LM head (0 when tied to the embedding). */
  output: number;
  perLayer: LayerParams[];
  /** 1-d parameters (norms, biases): llama.cpp keeps them F32 whatever the quant. */
  vectors: number;
}

/** LayerNorm (weight + bias) rather than RMSNorm (weight only). */
function layerNormArch(spec: LlmSpec): boolean {
  return spec.architecture === 'gpt2' || spec.architecture === 'gpt_neox' || spec.architecture === 'falcon';
}

/** Gated (SwiGLU/GeGLU: gate, up, down) rather than two-matrix FFN. */
function gatedFfn(spec: LlmSpec): boolean {
  return !layerNormArch(spec);
}

/**
 * Norm vectors per layer: input + post-attention norm (Llama family, GPT-2, NeoX); Gemma 2/3 add
 * pre/post-feedforward norms (4); Falcon-7B has one shared LayerNorm (parallel attention).
 */
function normsPerLayer(spec: LlmSpec): number {
  if (spec.normsPerLayer !== undefined) return spec.normsPerLayer;
  if (spec.architecture === 'gemma2' || spec.architecture === 'gemma3') return 4;
  return 2;
}

/** Attention weights of one layer: q, k, v, o (+ biases, q/k norms) or MLA's projections. */
export function attentionParams(spec: LlmSpec): { matrices: number; vectors: number } {
  const h = spec.hiddenSize;
  if (spec.mla) {
    // DeepseekV2/V3Attention: q_a_proj + q_a_layernorm + q_b_proj (or q_proj), kv_a_proj_with_mqa,
    // kv_a_layernorm, kv_b_proj, o_proj.
    const m = spec.mla;
    const qHead = m.qkNopeHeadDim + m.qkRopeHeadDim;
    const q = m.qLoraRank === null ? h * spec.heads * qHead : h * m.qLoraRank + m.qLoraRank * spec.heads * qHead;
    const kv = h * (m.kvLoraRank + m.qkRopeHeadDim) + m.kvLoraRank * spec.heads * (m.qkNopeHeadDim + m.vHeadDim);
    const o = spec.heads * m.vHeadDim * h;
    return { matrices: q + kv + o, vectors: (m.qLoraRank ?? 0) + m.kvLoraRank };
  }
  const qDim = spec.heads * spec.headDim;
  const kvDim = spec.kvHeads * spec.headDim;
  const matrices = h * qDim + 2 * h * kvDim + qDim * h;
  const qkvBias = spec.bias === 'none' ? 0 : qDim + 2 * kvDim;
  const oBias = spec.bias === 'all' ? h : 0;
  const qkNorm = spec.qkNorm ? 2 * spec.headDim : 0; // Qwen3/Gemma 3: q_norm, k_norm over head_dim
  return { matrices, vectors: qkvBias + oBias + qkNorm };
}

/** A dense FFN of intermediate size `i`. */
function denseFfn(spec: LlmSpec, i: number): { matrices: number; vectors: number } {
  const h = spec.hiddenSize;
  if (gatedFfn(spec)) return { matrices: 3 * h * i, vectors: 0 };
  return { matrices: 2 * h * i, vectors: spec.bias === 'all' ? i + h : 0 };
}

/** Whether layer `i` is a mixture-of-experts layer. */
export function isMoeLayer(spec: LlmSpec, i: number): boolean {
  return spec.moe !== null && i >= spec.moe.firstDenseLayers;
}

/** FFN of one layer: total and per-token (active) matrix weights, and vectors. */
export function ffnParams(spec: LlmSpec, layer: number): { total: number; active: number; vectors: number } {
  const moe = spec.moe;
  if (!moe || !isMoeLayer(spec, layer)) {
    const d = denseFfn(spec, spec.intermediateSize);
    return { total: d.matrices, active: d.matrices, vectors: d.vectors };
  }
  const h = spec.hiddenSize;
  const expert = 3 * h * moe.expertIntermediate;
  const shared = moe.sharedIntermediate > 0 ? 3 * h * moe.sharedIntermediate : 0;
  const router = moe.experts * h + (moe.sharedExpertGate ? h : 0);
  // DeepseekV3 MoEGate: e_score_correction_bias, one per routed expert (noaux_tc routing).
  const routerBias = spec.architecture === 'deepseek_v3' ? moe.experts : 0;
  return {
    total: moe.experts * expert + shared + router,
    active: moe.expertsPerToken * expert + shared + router,
    vectors: routerBias,
  };
}

function layerParams(spec: LlmSpec, i: number): LayerParams & { vectorCount: number } {
  const attn = attentionParams(spec);
  const ffn = ffnParams(spec, i);
  const norms = normsPerLayer(spec) * spec.hiddenSize * (layerNormArch(spec) ? 2 : 1);
  const fixed = attn.matrices + attn.vectors + norms + ffn.vectors;
  return {
    attention: attn.matrices + attn.vectors,
    ffn: ffn.total + ffn.vectors,
    norms,
    total: fixed + ffn.total,
    active: fixed + ffn.active,
    vectorCount: attn.vectors + ffn.vectors + norms,
  };
}

/** Token embedding (+ GPT-2's learned positions) and LM head. */
export function embeddingParams(spec: LlmSpec): { embedding: number; output: number } {
  const tokens = spec.vocab * spec.hiddenSize;
  const positions = spec.architecture === 'gpt2' ? spec.contextMax * spec.hiddenSize : 0;
  return { embedding: tokens + positions, output: spec.tiedEmbeddings ? 0 : tokens };
}

/** Exact parameter count: embeddings + layers + final norm + LM head. */
export function countParams(spec: LlmSpec): ParamCount {
  const layers = Array.from({ length: spec.layers }, (_, i) => layerParams(spec, i));
  const { embedding, output } = embeddingParams(spec);
  const finalNorm = spec.hiddenSize * (layerNormArch(spec) ? 2 : 1);
  const sum = (f: (l: LayerParams & { vectorCount: number }) => number) => layers.reduce((s, l) => s + f(l), 0);
  const perLayer = layers.map(({ vectorCount: _v, ...rest }) => rest);
  return {
    total: embedding + output + finalNorm + sum((l) => l.total),
    active: embedding + output + finalNorm + sum((l) => l.active),
    embedding,
    output,
    perLayer,
    vectors: finalNorm + sum((l) => l.vectorCount),
  };
}
