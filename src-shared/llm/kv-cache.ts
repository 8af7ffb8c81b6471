/**
 * K/V cache size as llama.cpp allocates it (src/llama-kv-cache.cpp): per layer, per token, the K
 * and V rows of every K/V head; layers with a sliding window keep at most `window` tokens
 * (llama-kv-cache-iswa.cpp); MLA (DeepSeek) keeps one latent row per token, V being a view of it.
 */
import { FieldError } from '../errors/field-error.js';
import { kvBytesPerElement } from './quant.js';
import type { KvDtype, LlmSpec } from './types.js';

/** Cached elements per token of one layer (K and V together). */
export function kvElementsPerToken(spec: LlmSpec): number {
  // MLA: the compressed latent c_KV (kv_lora_rank) plus the shared RoPE key (qk_rope_head_dim),
  // one vector per token for all heads (DeepSeek-V2 paper §2.1.2; llama.cpp caches K only: has_v = !is_mla).
  if (spec.mla) return spec.mla.kvLoraRank + spec.mla.qkRopeHeadDim;
  // GQA/MHA: K and V, kvHeads × headDim each (Ainslie et al. 2023, GQA).
  return 2 * spec.kvHeads * spec.headDim;
}

/** Tokens layer `layer` keeps when the context holds `tokens`. */
export function cachedTokens(spec: LlmSpec, layer: number, tokens: number): number {
  const sw = spec.slidingWindow;
  return sw && sw.localLayers[layer] === true ? Math.min(tokens, sw.window) : tokens;
}

/** Bytes of one layer's cache at `tokens` of context and `batch` sequences. */
export function kvLayerBytes(spec: LlmSpec, layer: number, tokens: number, kvDtype: KvDtype, batch = 1): number {
  return kvElementsPerToken(spec) * cachedTokens(spec, layer, tokens) * batch * kvBytesPerElement(kvDtype);
}

/** Bytes of the whole K/V cache: Σ over layers of elements/token × kept tokens × batch × bytes/element. */
export function kvCacheBytes(spec: LlmSpec, contextTokens: number, kvDtype: KvDtype, batch = 1): number {
  if (!Number.isInteger(contextTokens) || contextTokens < 0) {
    throw new FieldError('context', `context must be a whole number of tokens ≥ 0, got ${contextTokens}`);
  }
  if (!Number.isInteger(batch) || batch < 1) throw new FieldError('batch', `batch must be a whole number ≥ 1, got ${batch}`);
  let bytes = 0;
  for (let i = 0; i < spec.layers; i++) bytes += kvLayerBytes(spec, i, contextTokens, kvDtype, batch);
  return bytes;
}
