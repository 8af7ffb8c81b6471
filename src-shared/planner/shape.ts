/**
 * A concrete decoder-only transformer for a parameter count (runs anywhere): exact parameters
 * and training FLOPs per token, attention included, counted the way Hoffmann et al. 2022 App. F
 * does (a multiply-accumulate is 2 FLOPs; backward = 2 × forward):
 *   per layer, per token: QKV 2·3·d·(H·d_h) + QKᵀ 2·ctx·(H·d_h) + softmax 3·H·ctx
 *                         + softmax·V 2·ctx·(H·d_h) + output 2·(H·d_h)·d + FFN 2·2·d·d_ff;
 *   final logits 2·d·V.
 * App. F also counts the embedding lookup as a one-hot matmul (2·V·d); a lookup is a gather,
 * so it is counted as 0 FLOPs here. Table A4's "FLOP ratio (ours / 6ND)" column is reproduced
 * by the layer terms alone (shape.test.ts), so the paper evidently left embeddings and logits
 * out of that comparison. Attention over the context uses the full ctx as App. F does (no causal
 * halving).
 *
 * Parameters: per layer 4·d·(H·d_h) (Q, K, V, O; no biases) + 2·d·d_ff (FFN) + 2·d (two norms);
 * a final norm d; input embedding V·d; output projection V·d unless tied. Positions are assumed
 * relative/rotary (no learned position table), as in Chinchilla (Rae et al. 2021).
 *
 * Shape choice: d_ff = 4·d (Chinchilla Table A4), head size 64 below d = 2048 and 128 from there
 * (Table A4 uses both), and the depth whose width-to-depth ratio is nearest to a target that grows
 * slowly with size, 64·(N / 1e9)^0.1 — a heuristic through Table A4 (ratios 51–90) and
 * Chinchilla 70B (8192/80 = 102) — among shapes within 2% of the requested count, preferring head
 * counts divisible by 8 so tensor parallelism can split them.
 */
import type { TransformerShape } from './types.js';

export interface ShapeOptions {
  vocab?: number;
  context?: number;
  tiedEmbeddings?: boolean;
  /** Which count must match the target: all parameters (Chinchilla) or non-embedding (Kaplan). */
  count?: 'all' | 'non-embedding';
}

export const DEFAULT_VOCAB = 32_000;
export const DEFAULT_CONTEXT = 2048;

export interface ShapeSpec {
  layers: number;
  dModel: number;
  heads: number;
  headDim: number;
  ffn: number;
  vocab: number;
  context: number;
  tiedEmbeddings?: boolean;
}

/** Exact parameters and FLOPs of a given shape. */
export function describeShape(spec: ShapeSpec): TransformerShape {
  const { layers, dModel: d, heads, headDim, ffn, vocab, context } = spec;
  const tied = spec.tiedEmbeddings ?? false;
  const inner = heads * headDim;
  const perLayerParams = 4 * d * inner + 2 * d * ffn + 2 * d;
  const nonEmbeddingParams = layers * perLayerParams + d;
  const exactParams = nonEmbeddingParams + vocab * d * (tied ? 1 : 2);
  const attention = layers * (2 * 3 * d * inner + 2 * inner * d);
  const attentionScores = layers * (2 * context * inner + 3 * heads * context + 2 * context * inner);
  const ffnFlops = layers * 2 * 2 * d * ffn;
  const logits = 2 * d * vocab;
  const forward = attention + attentionScores + ffnFlops + logits;
  return {
    layers,
    dModel: d,
    heads,
    headDim,
    ffn,
    vocab,
    context,
    tiedEmbeddings: tied,
    exactParams,
    nonEmbeddingParams,
    flopsPerToken: 3 * forward,
    forwardBreakdown: { attention, attentionScores, ffn: ffnFlops, logits },
  };
}

/** Forward FLOPs per token of the layers only (what Table A4's ratio compares with 6N). */
export function layerForwardFlopsPerToken(shape: TransformerShape): number {
  return shape.forwardBreakdown.attention + shape.forwardBreakdown.attentionScores + shape.forwardBreakdown.ffn;
}

export function targetAspect(N: number): number {
  return Math.min(200, Math.max(32, 64 * (N / 1e9) ** 0.1));
}

/** The shape whose parameter count is nearest to N with a Chinchilla-like width/depth ratio. */
export function shapeForParams(N: number, options: ShapeOptions = {}): { shape: TransformerShape; relativeError: number; warnings: string[] } {
  const vocab = options.vocab ?? DEFAULT_VOCAB;
  const context = options.context ?? DEFAULT_CONTEXT;
  const tied = options.tiedEmbeddings ?? false;
  const count = options.count ?? 'all';
  const warnings: string[] = [];
  const aspect = targetAspect(N);
  let best: { shape: TransformerShape; err: number; score: number } | null = null;
  for (let d = 64; d <= 131_072; d += d < 1024 ? 64 : 128) {
    const headDim = d >= 2048 ? 128 : 64;
    const heads = d / headDim;
    const ffn = 4 * d;
    const perLayer = 4 * d * d + 2 * d * ffn + 2 * d;
    const fixed = d + (count === 'all' ? vocab * d * (tied ? 1 : 2) : 0);
    const layers = Math.round((N - fixed) / perLayer);
    if (layers < 1 || layers > 512) continue;
    const shape = describeShape({ layers, dModel: d, heads, headDim, ffn, vocab, context, tiedEmbeddings: tied });
    const got = count === 'all' ? shape.exactParams : shape.nonEmbeddingParams;
    const err = (got - N) / N;
    // Prefer head counts tensor parallelism can split 8 ways (as in LLaMA's 32/40/64 heads).
    const tpUnfriendly = heads >= 8 && heads % 8 !== 0 ? 0.3 : 0;
    const score = Math.abs(Math.log(d / layers / aspect)) + tpUnfriendly + (Math.abs(err) > 0.02 ? 10 + Math.abs(err) * 100 : 0);
    if (!best || score < best.score) best = { shape, err, score };
  }
  if (!best) {
    // Too small for even one layer beside the embeddings: the smallest shape, with a warning.
    const shape = describeShape({ layers: 1, dModel: 64, heads: 1, headDim: 64, ffn: 256, vocab, context, tiedEmbeddings: tied });
    const got = count === 'all' ? shape.exactParams : shape.nonEmbeddingParams;
    warnings.push(`${fmt(N)} parameters is too few for a ${vocab}-token vocabulary: the embeddings alone need more; showing the smallest shape.`);
    return { shape, relativeError: (got - N) / N, warnings };
  }
  if (Math.abs(best.err) > 0.02) warnings.push(`No shape within 2% of ${fmt(N)} parameters; the nearest is ${(best.err * 100).toFixed(1)}% off.`);
  if (count === 'all' && best.shape.vocab * best.shape.dModel * (tied ? 1 : 2) > 0.3 * best.shape.exactParams) {
    warnings.push('Embeddings are over 30% of the parameters at this size: the vocabulary dominates the model.');
  }
  return { shape: best.shape, relativeError: best.err, warnings };
}

function fmt(n: number): string {
  return n.toPrecision(3);
}
