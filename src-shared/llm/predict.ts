/**
 * Predicted prefill and decode speed. Every weight product is timed by the device
 * (LlmDevice.productSeconds: the calibrated cost model on this machine, a roofline on a catalog GPU),
 * every K/V read by LlmDevice.streamSeconds. FLOPs: 2 per weight per token (Kaplan et al. 2020,
 * "Scaling Laws for Neural Language Models", §2.1: C_forward ≈ 2N) plus attention's QKᵀ and PV.
 */
import { FieldError } from '../errors/field-error.js';
import { cachedTokens, kvLayerBytes } from './kv-cache.js';
import { isMoeLayer } from './params.js';
import type { LlmDevice, LlmSettings, LlmSpec } from './types.js';

/** One weight product: an n × k weight matrix. */
interface Product {
  n: number;
  k: number;
  /** Fraction of the tokens that go through it (a routed expert sees some of them). */
  share: number;
}

export interface PrefillPrediction {
  tokens: number;
  flops: number;
  seconds: number;
  tokensPerSecond: number;
  /** Time to first token: the prefill (its last logits give the first token). */
  ttftMs: number;
}

export interface DecodePrediction {
  /** Tokens already in the cache when a token is generated (prompt + half the generation). */
  contextDepth: number;
  flopsPerToken: number;
  /** Weights and K/V read per generated token (one decode step / batch). */
  bytesPerToken: number;
  /** Seconds of one decode step (batch tokens). */
  seconds: number;
  tokensPerSecond: number;
}

export interface LlmPrediction {
  device: string;
  basis: string;
  prefill: PrefillPrediction;
  decode: DecodePrediction;
}

function attentionProducts(spec: LlmSpec): Product[] {
  const h = spec.hiddenSize;
  const p = (n: number, k: number): Product => ({ n, k, share: 1 });
  if (spec.mla) {
    // DeepSeek MLA projections (DeepSeek-V2 paper §2.1; modeling_deepseek.py DeepseekV2Attention).
    const m = spec.mla;
    const qHead = spec.heads * (m.qkNopeHeadDim + m.qkRopeHeadDim);
    const q = m.qLoraRank === null ? [p(qHead, h)] : [p(m.qLoraRank, h), p(qHead, m.qLoraRank)];
    return [...q, p(m.kvLoraRank + m.qkRopeHeadDim, h), p(spec.heads * (m.qkNopeHeadDim + m.vHeadDim), m.kvLoraRank), p(h, spec.heads * m.vHeadDim)];
  }
  const qDim = spec.heads * spec.headDim;
  const kvDim = spec.kvHeads * spec.headDim;
  return [p(qDim, h), p(kvDim, h), p(kvDim, h), p(h, qDim)];
}

/** Expected distinct experts `tokens` tokens touch, each picking k of E uniformly: E·(1 − (1 − k/E)^tokens). */
export function expertsTouched(experts: number, perToken: number, tokens: number): number {
  return experts * (1 - Math.pow(1 - perToken / experts, tokens));
}

function ffnProducts(spec: LlmSpec, layer: number, tokens: number): Product[] {
  const h = spec.hiddenSize;
  const gated = (i: number, share: number): Product[] => [{ n: i, k: h, share }, { n: i, k: h, share }, { n: h, k: i, share }];
  const moe = spec.moe;
  if (!moe || !isMoeLayer(spec, layer)) {
    if (spec.architecture === 'gpt2' || spec.architecture === 'gpt_neox' || spec.architecture === 'falcon') {
      return [{ n: spec.intermediateSize, k: h, share: 1 }, { n: h, k: spec.intermediateSize, share: 1 }];
    }
    return gated(spec.intermediateSize, 1);
  }
  // Only routed experts the tokens pick are read; each sees its share of the tokens.
  const touched = Math.ceil(expertsTouched(moe.experts, moe.expertsPerToken, tokens));
  const experts = Array.from({ length: touched }, () => gated(moe.expertIntermediate, moe.expertsPerToken / touched)).flat();
  const shared = moe.sharedIntermediate > 0 ? gated(moe.sharedIntermediate, 1) : [];
  return [{ n: moe.experts, k: h, share: 1 }, ...experts, ...shared];
}

/** Product seconds, FLOPs and weight bytes of `rows` tokens through one layer's (or the head's) products. */
function runProducts(products: Product[], rows: number, device: LlmDevice, bpp: number): { seconds: number; flops: number; bytes: number } {
  let seconds = 0;
  let flops = 0;
  let bytes = 0;
  for (const p of products) {
    const r = Math.max(1, Math.round(rows * p.share));
    const w = p.n * p.k * bpp;
    seconds += device.productSeconds(r, p.n, p.k, w);
    flops += 2 * rows * p.share * p.n * p.k;
    bytes += w;
  }
  return { seconds, flops, bytes };
}

/** Per head and token pair: QKᵀ over the key dims and PV over the value dims (MLA: latent + rope, latent). */
function attentionDims(spec: LlmSpec): { qk: number; v: number } {
  if (spec.mla) return { qk: spec.mla.kvLoraRank + spec.mla.qkRopeHeadDim, v: spec.mla.kvLoraRank };
  return { qk: spec.headDim, v: spec.headDim };
}

/** Query–key pairs of a causal prompt of `n` tokens with a window `w`: Σ_i min(i, w). */
export function causalPairs(n: number, w: number): number {
  if (n <= w) return (n * (n + 1)) / 2;
  return (w * (w + 1)) / 2 + (n - w) * w;
}

function check(settings: LlmSettings, weightBytesPerParam: number): void {
  for (const key of ['prompt', 'gen', 'batch'] as const) {
    const v = settings[key];
    if (!Number.isInteger(v) || v < (key === 'gen' ? 0 : 1)) throw new FieldError(key, `${key} must be a whole number ≥ ${key === 'gen' ? 0 : 1}, got ${v}`);
  }
  if (!(weightBytesPerParam > 0)) throw new FieldError('quant', `bytes per weight must be > 0, got ${weightBytesPerParam}`);
}

/** Attention FLOPs of one decode step per token at `depth` cached tokens (QKᵀ and ·V over the kept keys, all layers). */
export function decodeAttentionFlops(spec: LlmSpec, depth: number): number {
  const dims = attentionDims(spec);
  let flops = 0;
  for (let i = 0; i < spec.layers; i++) flops += 2 * spec.heads * cachedTokens(spec, i, depth) * (dims.qk + dims.v);
  return flops;
}

/** Keys the n prompt tokens attend after `past` cached ones, each at most `w`: Σ_{i=1..n} min(past + i, w). */
export function pairsWithPast(n: number, past: number, w: number): number {
  return causalPairs(past + n, w) - causalPairs(past, w);
}

/** Attention FLOPs of a prompt of settings.prompt tokens (× batch) after `past` cached tokens, all layers. */
export function prefillAttentionFlops(spec: LlmSpec, settings: LlmSettings, past = 0): number {
  const dims = attentionDims(spec);
  let flops = 0;
  for (let i = 0; i < spec.layers; i++) {
    const w = spec.slidingWindow?.localLayers[i] === true ? spec.slidingWindow.window : past + settings.prompt;
    flops += 2 * settings.batch * spec.heads * pairsWithPast(settings.prompt, past, w) * (dims.qk + dims.v);
  }
  return flops;
}

/** One decode step at `depth` cached tokens: products at rows = batch, K/V streamed, attention FLOPs. */
export function decodeStep(spec: LlmSpec, settings: LlmSettings, device: LlmDevice, bpp: number, depth: number): DecodePrediction {
  const b = settings.batch;
  const dims = attentionDims(spec);
  let seconds = 0;
  let flops = 0;
  let bytes = 0;
  for (let i = 0; i < spec.layers; i++) {
    const prods = runProducts([...attentionProducts(spec), ...ffnProducts(spec, i, b)], b, device, bpp);
    const kv = kvLayerBytes(spec, i, depth, settings.kvDtype, b);
    const kept = cachedTokens(spec, i, depth);
    const attnFlops = 2 * b * spec.heads * kept * (dims.qk + dims.v);
    seconds += prods.seconds + (device.attentionSeconds ? device.attentionSeconds(attnFlops, 'decode') : device.streamSeconds(kv));
    flops += prods.flops + attnFlops;
    bytes += prods.bytes + kv;
  }
  const head = runProducts([{ n: spec.vocab, k: spec.hiddenSize, share: 1 }], b, device, bpp);
  seconds += head.seconds + (device.stepSeconds ?? 0);
  flops += head.flops;
  bytes += head.bytes;
  return { contextDepth: depth, flopsPerToken: flops / b, bytesPerToken: bytes / b, seconds, tokensPerSecond: b / seconds };
}

/**
 * Prefill of the prompt after `past` cached tokens (0: a fresh prompt): products at rows =
 * prompt × batch; the causal QKᵀ and PV per head timed as products, or by the device's measured
 * attention rate where it has one.
 */
export function prefill(spec: LlmSpec, settings: LlmSettings, device: LlmDevice, bpp: number, past = 0): PrefillPrediction {
  const n = settings.prompt;
  const rows = n * settings.batch;
  const dims = attentionDims(spec);
  let seconds = 0;
  let flops = 0;
  for (let i = 0; i < spec.layers; i++) {
    const prods = runProducts([...attentionProducts(spec), ...ffnProducts(spec, i, rows)], rows, device, bpp);
    const w = spec.slidingWindow?.localLayers[i] === true ? spec.slidingWindow.window : past + n;
    const pairs = pairsWithPast(n, past, w);
    const own = causalPairs(n, Math.min(w, n));
    const attnFlops = 2 * settings.batch * spec.heads * pairs * (dims.qk + dims.v);
    // The prompt's own causal scores as products: one head's n × n score product scaled to the
    // causal (windowed) pairs, K/V operands at f16.
    const qk = device.productSeconds(n, n, dims.qk, n * dims.qk * 2);
    const pv = device.productSeconds(n, dims.v, n, n * dims.v * 2);
    const ownSeconds = spec.heads * settings.batch * (qk + pv) * (own / (n * n));
    // The keys already cached: at the device's measured attention rate where it has one.
    const pastFlops = 2 * settings.batch * spec.heads * Math.max(0, pairs - own) * (dims.qk + dims.v);
    const pastSeconds = pastFlops === 0 ? 0 : device.attentionSeconds ? device.attentionSeconds(pastFlops, 'prefill') : ownSeconds * ((pairs - own) / Math.max(1, own));
    seconds += prods.seconds + ownSeconds + pastSeconds;
    flops += prods.flops + attnFlops;
  }
  const head = runProducts([{ n: spec.vocab, k: spec.hiddenSize, share: 1 }], settings.batch, device, bpp);
  seconds += head.seconds;
  flops += head.flops;
  return { tokens: rows, flops, seconds, tokensPerSecond: rows / seconds, ttftMs: seconds * 1000 };
}

/** Prefill of settings.prompt, then decode at the mean depth of the generation (prompt + gen/2). */
export function predictLlm(spec: LlmSpec, settings: LlmSettings, device: LlmDevice, weightBytesPerParam: number): LlmPrediction {
  check(settings, weightBytesPerParam);
  const depth = Math.min(settings.prompt + Math.floor(settings.gen / 2), Math.max(settings.context, 1));
  return {
    device: device.name,
    basis: `${device.basis}; ${weightBytesPerParam.toFixed(3)} bytes/weight; only the head's logits of the last token are computed`,
    prefill: prefill(spec, settings, device, weightBytesPerParam),
    decode: decodeStep(spec, settings, device, weightBytesPerParam, depth),
  };
}

/** Decode tokens/s against context depth, for a chart. */
export function decodeCurve(
  spec: LlmSpec,
  settings: LlmSettings,
  device: LlmDevice,
  depths: number[],
  weightBytesPerParam: number,
): Array<{ depth: number; seconds: number; tokensPerSecond: number }> {
  check(settings, weightBytesPerParam);
  return depths.map((depth) => {
    const d = decodeStep(spec, settings, device, weightBytesPerParam, depth);
    return { depth, seconds: d.seconds, tokensPerSecond: d.tokensPerSecond };
  });
}
