import { describe, expect, it } from 'vitest';
import { describeShape, layerForwardFlopsPerToken, shapeForParams } from './shape.js';

describe('transformer shape (Hoffmann et al. 2022 App. F conventions)', () => {
  // Table A4: parameters, layers, d_model, ffw, heads, k/q size, FLOP ratio (ours / 6ND).
  const TABLE_A4 = [
    [73e6, 10, 640, 2560, 10, 64, 1.03],
    [305e6, 20, 1024, 4096, 16, 64, 1.1],
    [552e6, 24, 1280, 5120, 10, 128, 1.08],
    [1.1e9, 26, 1792, 7168, 14, 128, 1.04],
    [1.6e9, 28, 2048, 8192, 16, 128, 1.03],
    [6.8e9, 40, 3584, 14336, 28, 128, 0.99],
  ] as const;

  it("reproduces Table A4's FLOP ratio from the layer terms (the 1.1B row within 5%, the rest within 1%)", () => {
    for (const [n, layers, dModel, ffn, heads, headDim, ratio] of TABLE_A4) {
      const s = describeShape({ layers, dModel, heads, headDim, ffn, vocab: 32_000, context: 2048 });
      const got = (3 * layerForwardFlopsPerToken(s)) / (6 * n);
      expect(Math.abs(got / ratio - 1), `${n}`).toBeLessThan(n === 1.1e9 ? 0.05 : 0.01);
    }
  });

  it('counts parameters exactly: embeddings, untied output, 4d² attention, 2·d·ffn FFN, norms', () => {
    const s = describeShape({ layers: 2, dModel: 64, heads: 2, headDim: 32, ffn: 256, vocab: 100, context: 16 });
    const perLayer = 4 * 64 * 64 + 2 * 64 * 256 + 2 * 64;
    expect(s.nonEmbeddingParams).toBe(2 * perLayer + 64);
    expect(s.exactParams).toBe(2 * perLayer + 64 + 2 * 100 * 64);
    const tied = describeShape({ layers: 2, dModel: 64, heads: 2, headDim: 32, ffn: 256, vocab: 100, context: 16, tiedEmbeddings: true });
    expect(s.exactParams - tied.exactParams).toBe(100 * 64);
    // Training FLOPs per token = 3 × forward; attention scores grow with the context.
    const longer = describeShape({ layers: 2, dModel: 64, heads: 2, headDim: 32, ffn: 256, vocab: 100, context: 32 });
    expect(longer.forwardBreakdown.attentionScores).toBeCloseTo(2 * s.forwardBreakdown.attentionScores, 6);
    const f = s.forwardBreakdown;
    expect(s.flopsPerToken).toBe(3 * (f.attention + f.attentionScores + f.ffn + f.logits));
  });

  it('finds a shape within 2% of the target for sizes from 10M to 1T', () => {
    for (const n of [1e7, 1.2e8, 1e9, 7e9, 7e10, 4e11, 1e12]) {
      const { shape, relativeError } = shapeForParams(n);
      expect(Math.abs(relativeError), `${n}`).toBeLessThan(0.02);
      expect(Math.abs(shape.exactParams / n - 1)).toBeLessThan(0.02);
      expect(shape.dModel % shape.heads).toBe(0);
      expect(shape.heads * shape.headDim).toBe(shape.dModel);
      expect(shape.dModel / shape.layers).toBeGreaterThan(8);
      expect(shape.dModel / shape.layers).toBeLessThan(400);
    }
  });

  it('matches the non-embedding count for Kaplan-style fits', () => {
    const { shape } = shapeForParams(5e9, { count: 'non-embedding' });
    expect(Math.abs(shape.nonEmbeddingParams / 5e9 - 1)).toBeLessThan(0.02);
    expect(shape.exactParams).toBeGreaterThan(shape.nonEmbeddingParams);
  });

  it('warns instead of failing when the vocabulary alone is bigger than the target', () => {
    const r = shapeForParams(1e6, { vocab: 50_000 });
    expect(r.warnings.join(' ')).toMatch(/embeddings/);
    expect(Number.isFinite(r.shape.exactParams)).toBe(true);
  });
});
