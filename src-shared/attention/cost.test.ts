// Unit tests for the attention cost models: hand counts, torch SDPA's FLOP number, Korthikanti's activation formula, every variant's limits (w ≥ N, r = 0, keep = 1, kvHeads = heads), FlashAttention's IO, the roofline time, field-named errors and no NaN anywhere.
import { describe, expect, it } from 'vitest';
import {
  attendedPairs,
  attentionCost,
  DeviceError,
  flashIo,
  ShapeError,
  standardIoElements,
  tokensPerLayer,
  validateShape,
} from './cost.js';
import type { AttentionDevice, AttentionPoint, AttentionShape, AttentionVariant } from './types.js';
import { parseVariant, VariantError } from './variants.js';

const gpu: AttentionDevice = { name: 'test GPU', peakGflops: 100_000, bandwidthGBs: 2_000, memoryBytes: 80e9, sramBytes: 192 * 1024, source: 'test' };
const bert: AttentionShape = { dModel: 768, heads: 12, layers: 12, batch: 2 };
const v = (text: string) => parseVariant(text);

/** The point without its variant name, to compare two variants' numbers. */
function numbers(p: AttentionPoint): Omit<AttentionPoint, 'variant'> {
  const { variant: _variant, ...rest } = p;
  return rest;
}

function shapeError(f: () => unknown): ShapeError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ShapeError);
    return err as ShapeError;
  }
  throw new Error('expected a ShapeError');
}

describe('full attention', () => {
  it("matches torch SDPA's flop counter: q, k, v of shape (1, 12, 64, 64) → 12,582,912", () => {
    expect(attentionCost({ dModel: 768, heads: 12 }, { kind: 'full' }, 64).attentionFlops).toBe(12_582_912);
  });

  it('counts a tiny layer by hand', () => {
    // h = 8, H = 2, d = 4, F = 16, N = 4, fp32.
    const p = attentionCost({ dModel: 8, heads: 2, ffn: 16 }, { kind: 'full' }, 4);
    // Q, K, V, O: 2·4·8·8 = 512 each; FFN 2·(2·4·8·16) = 2048; attention 4·N²·d·H = 4·16·4·2 = 512.
    expect(p.attentionFlops).toBe(512);
    expect(p.flops).toBe(4 * 512 + 2048 + 512);
    // Algorithm 0: 4·N·d + 4·N² per head = 64 + 64, × 2 heads × 4 bytes.
    expect(p.bytesMoved).toBe(2 * (64 + 64) * 4);
    expect(p.intensity).toBe(512 / 1024);
    // Korthikanti terms at e = 4: s·b·[e·(4h + 2Hd + 2H_kv·d + 2F) + 2h] + a·s²·b·(2e + 1).
    expect(p.activationBytes).toBe(4 * (4 * (32 + 16 + 16 + 32) + 16) + 2 * 16 * 9);
    // 2 · L · B · N · H_kv · d · e.
    expect(p.kvCacheBytes).toBe(2 * 4 * 2 * 4 * 4);
    expect(p.predictedSeconds).toBe(0);
    expect(p.predictedOn).toBeUndefined();
  });

  it('is exactly Korthikanti et al. 34·s·b·h + 5·a·s²·b per layer at fp16 with F = 4h', () => {
    const s = 512;
    const b = 2;
    const h = 1024;
    const a = 16;
    const p = attentionCost({ dModel: h, heads: a, layers: 3, batch: b, bytesPerElement: 2 }, { kind: 'full' }, s);
    expect(p.activationBytes).toBe(3 * (34 * s * b * h + 5 * a * s * s * b));
  });

  it('scales with layers and batch', () => {
    const one = attentionCost({ dModel: 768, heads: 12 }, { kind: 'full' }, 256);
    const many = attentionCost({ dModel: 768, heads: 12, layers: 6, batch: 3 }, { kind: 'full' }, 256);
    for (const k of ['flops', 'attentionFlops', 'bytesMoved', 'activationBytes', 'kvCacheBytes'] as const) expect(many[k]).toBe(18 * one[k]);
  });

  it('uses H·d for the projections when headDim is given', () => {
    const p = attentionCost({ dModel: 10, heads: 3, headDim: 4, ffn: 8 }, { kind: 'full' }, 2);
    // Q, K, V: 2·2·10·12 = 480 each, O 480, FFN 2·(2·2·10·8) = 640, attention 4·4·4·3 = 192.
    expect(p.flops).toBe(4 * 480 + 640 + 192);
  });
});

describe('causal', () => {
  it('is half of full attention FLOPs; bytes and memory as full (the matrix is materialised)', () => {
    for (const n of [64, 1000, 4096]) {
      const full = attentionCost(bert, v('full'), n, gpu);
      const causal = attentionCost(bert, v('causal'), n, gpu);
      expect(causal.attentionFlops).toBe(full.attentionFlops / 2);
      expect(full.flops - causal.flops).toBe(full.attentionFlops / 2);
      expect(causal.bytesMoved).toBe(full.bytesMoved);
      expect(causal.activationBytes).toBe(full.activationBytes);
      expect(causal.kvCacheBytes).toBe(full.kvCacheBytes);
    }
  });
});

describe('sliding, dilated, global, BigBird', () => {
  it('sliding: 4·N·w·d per head, and w ≥ N equals full', () => {
    const full = attentionCost(bert, v('full'), 4096, gpu);
    expect(attentionCost(bert, v('sliding:1024'), 4096, gpu).attentionFlops).toBe(full.attentionFlops / 4);
    expect(numbers(attentionCost(bert, v('sliding:4096'), 4096, gpu))).toEqual(numbers(full));
    expect(numbers(attentionCost(bert, v('sliding:100000'), 4096, gpu))).toEqual(numbers(full));
    const p = attentionCost({ dModel: 64, heads: 1 }, v('sliding:8'), 100);
    expect(p.attentionFlops).toBe(4 * 100 * 8 * 64);
    // Banded scores: 4·N·d + 4·N·w elements.
    expect(p.bytesMoved).toBe((4 * 100 * 64 + 4 * 100 * 8) * 4);
    // The decoding cache keeps only the window (a rolling buffer).
    expect(p.kvCacheBytes).toBe(2 * 8 * 64 * 4);
  });

  it('sliding attention grows linearly in N once N > w', () => {
    const a = attentionCost(bert, v('sliding:512'), 8192);
    const b = attentionCost(bert, v('sliding:512'), 16384);
    expect(b.attentionFlops).toBe(2 * a.attentionFlops);
    expect(b.bytesMoved).toBe(2 * a.bytesMoved);
  });

  it('dilated: the same keys and FLOPs as sliding while the span fits; dilation 1 is sliding', () => {
    const sliding = attentionCost(bert, v('sliding:256'), 4096, gpu);
    const dilated = attentionCost(bert, v('dilated:256:4'), 4096, gpu);
    expect(dilated.attentionFlops).toBe(sliding.attentionFlops);
    expect(dilated.bytesMoved).toBe(sliding.bytesMoved);
    expect(dilated.kvCacheBytes).toBeGreaterThan(sliding.kvCacheBytes);
    expect(numbers(attentionCost(bert, v('dilated:256:1'), 4096, gpu))).toEqual(numbers(sliding));
    // Span wider than N: each query sees its whole residue class, ⌈N/dil⌉ or ⌊N/dil⌋ keys.
    expect(attendedPairs(v('dilated:100:4'), 10)).toBe(2 * 3 * 3 + 2 * 2 * 2);
  });

  it('global + sliding counts each pair once (Longformer)', () => {
    // n = 8, w = 2, g = 1: row 0 sees 8; row 1 sees {0, 1}; rows 2…7 see their 2 keys and key 0.
    expect(attendedPairs(v('global:2:1'), 8)).toBe(8 + 2 + 6 * 3);
    // Large N: ≈ N·(w + 2g) pairs.
    expect(attendedPairs(v('global:512:4'), 65536) / 65536).toBeCloseTo(512 + 8, 0);
    const full = attentionCost(bert, v('full'), 2048, gpu);
    expect(numbers(attentionCost(bert, v('global:2048:3'), 2048, gpu))).toEqual(numbers(full));
    expect(attentionCost(bert, v('global:2048:3'), 2048, gpu).kvCacheBytes).toBe(full.kvCacheBytes);
  });

  it('BigBird: (3 + r + g) key blocks per query block, global blocks see everything, capped at full', () => {
    const n = 4096;
    const b = 64;
    // G = 2 blocks of 64 global queries see N; the rest see (3 + 3 + 2)·64 = 512 keys.
    expect(attendedPairs(v('bigbird:64:3:2'), n)).toBe(2 * b * n + (n - 2 * b) * 8 * b);
    const p = attentionCost({ dModel: 768, heads: 12 }, v('bigbird:64:3:2'), n);
    expect(p.attentionFlops).toBe(12 * 4 * 64 * (2 * b * n + (n - 2 * b) * 8 * b));
    const full = attentionCost(bert, v('full'), 512, gpu);
    expect(numbers(attentionCost(bert, v('bigbird:64:3:2'), 512, gpu))).toEqual(numbers(full));
    expect(attendedPairs(v('bigbird:64:0:0'), n)).toBe(n * 192);
  });
});

describe('linear attention', () => {
  it('costs 4·N·d² + 2·N·d per head (Katharopoulos et al. eq. 6)', () => {
    const p = attentionCost({ dModel: 768, heads: 12, layers: 2 }, v('linear'), 1000);
    expect(p.attentionFlops).toBe(2 * 12 * (4 * 1000 * 64 * 64 + 2 * 1000 * 64));
    // K, V read, S and z written and read, Q read, O written: 4·N·d + 2·d² + 2·d per head.
    expect(p.bytesMoved).toBe(2 * 12 * (4 * 1000 * 64 + 2 * 64 * 64 + 2 * 64) * 4);
  });

  it('beats full attention in FLOPs beyond N ≈ d', () => {
    const shape = { dModel: 768, heads: 12 };
    const ratio = (n: number) => attentionCost(shape, v('linear'), n).attentionFlops / attentionCost(shape, v('full'), n).attentionFlops;
    expect(ratio(32)).toBeGreaterThan(1);
    expect(ratio(64)).toBeGreaterThan(1); // 4Nd² + 2Nd > 4N²d at N = d
    expect(ratio(65)).toBeLessThan(1);
    expect(ratio(4096)).toBeLessThan(0.02);
  });

  it('keeps a constant recurrent state instead of a K/V cache', () => {
    const a = attentionCost({ dModel: 768, heads: 12, layers: 12 }, v('linear'), 1024);
    const b = attentionCost({ dModel: 768, heads: 12, layers: 12 }, v('linear'), 1_048_576);
    expect(a.kvCacheBytes).toBe(b.kvCacheBytes);
    expect(a.kvCacheBytes).toBe(12 * 12 * (64 * 64 + 64) * 4);
  });
});

describe('GQA / MQA', () => {
  it('kvHeads = heads equals full attention', () => {
    expect(numbers(attentionCost(bert, v('gqa:12'), 2048, gpu))).toEqual(numbers(attentionCost(bert, v('full'), 2048, gpu)));
  });

  it('keeps attention FLOPs, shrinks the K/V projections and the cache', () => {
    const n = 1024;
    const full = attentionCost({ dModel: 768, heads: 12 }, v('full'), n);
    const mqa = attentionCost({ dModel: 768, heads: 12 }, v('gqa:1'), n);
    expect(mqa.attentionFlops).toBe(full.attentionFlops);
    // K and V: 2·N·h·(H·d) → 2·N·h·d each.
    expect(full.flops - mqa.flops).toBe(2 * 2 * n * 768 * (768 - 64));
    expect(mqa.kvCacheBytes).toBe(full.kvCacheBytes / 12);
    expect(mqa.bytesMoved).toBeLessThan(full.bytesMoved);
    expect(mqa.activationBytes).toBeLessThan(full.activationBytes);
    // The shape's kvHeads is the same thing as a gqa variant.
    expect(numbers(attentionCost({ dModel: 768, heads: 12, kvHeads: 4 }, v('full'), n))).toEqual(numbers(attentionCost({ dModel: 768, heads: 12 }, v('gqa:4'), n)));
  });

  it('rejects K/V heads that do not divide the heads', () => {
    expect(() => attentionCost(bert, v('gqa:5'), 128)).toThrow(VariantError);
    expect(() => attentionCost(bert, v('gqa:5'), 128)).toThrow('"gqa:5": 5 K/V heads do not divide the 12 query heads (use one of 1, 2, 3, 4, 6, 12)');
    expect(() => attentionCost(bert, v('gqa:24'), 128)).toThrow('do not divide');
  });
});

describe('FlashAttention', () => {
  it("has full attention's FLOPs and Algorithm 1's HBM accesses", () => {
    // M = 64 KiB / 4 = 16384 elements, B_c = ⌈16384 / 256⌉ = 64, T_c = 1024 / 64 = 16.
    const io = flashIo(1024, 64, 64 * 1024, 4);
    expect(io).toEqual({ sramElements: 16384, blockCols: 64, passes: 16, elements: 3 * 1024 * 64 + 2 * 1024 + 16 * (3 * 1024 * 64 + 4 * 1024) });
    const device = { ...gpu, sramBytes: 64 * 1024 };
    const shape = { dModel: 768, heads: 12 };
    const flash = attentionCost(shape, v('flash'), 1024, device);
    const full = attentionCost(shape, v('full'), 1024, device);
    expect(flash.attentionFlops).toBe(full.attentionFlops);
    expect(flash.flops).toBe(full.flops);
    expect(flash.bytesMoved).toBe(12 * io.elements * 4);
    expect(full.bytesMoved).toBe(12 * standardIoElements(1024, 64) * 4);
    expect(flash.bytesMoved).toBeLessThan(full.bytesMoved);
    expect(flash.kvCacheBytes).toBe(full.kvCacheBytes);
  });

  it('moves Θ(N²·d²/M) (Theorem 2): ×4 for 2× N, ≈ ÷2 for 2× M', () => {
    const at = (n: number, sram: number) => flashIo(n, 64, sram, 2).elements;
    expect(at(65536, 128 * 1024) / at(32768, 128 * 1024)).toBeCloseTo(4, 1);
    expect(at(65536, 128 * 1024) / at(65536, 256 * 1024)).toBeCloseTo(2, 1);
    // A bigger on-chip memory never moves more.
    expect(at(4096, 1 << 20)).toBeLessThanOrEqual(at(4096, 1 << 16));
  });

  it('drops the N² activations, keeping the logsumexp', () => {
    const shape = { dModel: 768, heads: 12, batch: 2 };
    const n = 2048;
    const full = attentionCost(shape, v('full'), n, gpu);
    const flash = attentionCost(shape, v('flash'), n, gpu);
    expect(full.activationBytes - flash.activationBytes).toBe(2 * 12 * n * n * 9 - 2 * 12 * n * 4);
  });

  it('is faster than standard attention on the roofline at long N', () => {
    expect(attentionCost(bert, v('flash'), 16384, gpu).predictedSeconds).toBeLessThan(attentionCost(bert, v('full'), 16384, gpu).predictedSeconds);
  });
});

describe('ToMe and token pruning', () => {
  it('ToMe runs layer l on max(N − r·l, 1) tokens; r = 0 is no merging', () => {
    expect(tokensPerLayer(v('tome:8'), 100, 4)).toEqual([100, 92, 84, 76]);
    expect(tokensPerLayer(v('tome:60'), 100, 4)).toEqual([100, 40, 1, 1]);
    expect(numbers(attentionCost(bert, v('tome:0'), 1024, gpu))).toEqual(numbers(attentionCost(bert, v('full'), 1024, gpu)));
  });

  it('ToMe sums attention over the layers and adds its matching', () => {
    const shape = { dModel: 64, heads: 1, layers: 3 };
    const p = attentionCost(shape, v('tome:10'), 50);
    expect(p.attentionFlops).toBe(4 * 64 * (50 * 50 + 40 * 40 + 30 * 30));
    const full = (n: number) => attentionCost({ dModel: 64, heads: 1 }, v('full'), n).flops;
    // Matching in the two layers whose output shrinks: 2·⌈n/2⌉·⌊n/2⌋·d.
    expect(p.flops).toBe(full(50) + full(40) + full(30) + 2 * 25 * 25 * 64 + 2 * 20 * 20 * 64);
  });

  it('pruning runs layer l on ⌈N·keep^l⌉ tokens; keep = 1 is no pruning', () => {
    expect(tokensPerLayer(v('prune:0.5'), 100, 4)).toEqual([100, 50, 25, 13]);
    expect(tokensPerLayer(v('prune:0.7'), 100, 4)).toEqual([100, 70, 49, 35]);
    expect(numbers(attentionCost(bert, v('prune:1'), 1024, gpu))).toEqual(numbers(attentionCost(bert, v('full'), 1024, gpu)));
    const p = attentionCost({ dModel: 64, heads: 1, layers: 2 }, v('prune:0.5'), 100);
    expect(p.attentionFlops).toBe(4 * 64 * (100 * 100 + 50 * 50));
    expect(p.kvCacheBytes).toBe(2 * 64 * 4 * (100 + 50));
  });
});

describe('roofline time', () => {
  const shape = { dModel: 512, heads: 8, layers: 4 };
  it('is FLOPs / peak when bandwidth is unlimited', () => {
    const fast = { ...gpu, bandwidthGBs: 1e15 };
    for (const text of ['full', 'sliding:128', 'linear', 'flash', 'tome:16']) {
      const p = attentionCost(shape, v(text), 1024, fast);
      expect(p.predictedSeconds / (p.flops / (fast.peakGflops * 1e9))).toBeCloseTo(1, 6);
      expect(p.attentionBound).toBe('compute');
    }
  });

  it("is attention's bytes / bandwidth for attention when compute is unlimited", () => {
    const wide = { ...gpu, peakGflops: 1e15 };
    const p = attentionCost(shape, v('full'), 1024, wide);
    expect(p.attentionSeconds! / (p.bytesMoved / (wide.bandwidthGBs * 1e9))).toBeCloseTo(1, 9);
    expect(p.attentionBound).toBe('memory');
    expect(p.predictedOn).toBe('test GPU');
  });

  it('adds every kernel: attention is part of the total', () => {
    const p = attentionCost(shape, v('full'), 4096, gpu);
    expect(p.attentionSeconds).toBeGreaterThan(0);
    expect(p.attentionSeconds).toBeLessThan(p.predictedSeconds);
  });
});

describe('validation', () => {
  it('names the field and says what is wrong', () => {
    expect(shapeError(() => validateShape({ dModel: 1000, heads: 12 })).message).toBe('heads: 12 does not divide d_model 1000 (pick a divisor of 1000, or give headDim)');
    expect(shapeError(() => validateShape({ dModel: 768, heads: 12, kvHeads: 5 })).message).toBe('kvHeads: 5 does not divide heads 12 (divisors: 1, 2, 3, 4, 6, 12)');
    expect(shapeError(() => validateShape({ dModel: 768, heads: 12, kvHeads: 24 })).field).toBe('kvHeads');
    expect(shapeError(() => validateShape({ dModel: 0, heads: 12 })).message).toBe('dModel: must be a positive whole number (got 0)');
    expect(shapeError(() => validateShape({ dModel: 768, heads: 12, layers: 1.5 })).field).toBe('layers');
    expect(shapeError(() => validateShape({ dModel: 768, heads: 12, batch: -1 })).field).toBe('batch');
    expect(shapeError(() => validateShape({ dModel: 768, heads: 12, ffn: Number.NaN })).field).toBe('ffn');
    expect(shapeError(() => validateShape({ dModel: 768, heads: 12, bytesPerElement: 0 })).field).toBe('bytesPerElement');
    expect(shapeError(() => validateShape({ dModel: 768, heads: '12' } as unknown as AttentionShape)).message).toBe('heads: must be a positive whole number (got "12")');
    expect(shapeError(() => validateShape({ dModel: 1e9, heads: 1 })).message).toContain('beyond any model');
    expect(validateShape({ dModel: 1000, heads: 12, headDim: 80 })).toMatchObject({ headDim: 80, kvHeads: 12, ffn: 4000, layers: 1, batch: 1, bytesPerElement: 4 });
  });

  it('checks the sequence length and the device', () => {
    expect(shapeError(() => attentionCost(bert, v('full'), 0)).field).toBe('seq');
    expect(shapeError(() => attentionCost(bert, v('full'), 1.5)).field).toBe('seq');
    expect(shapeError(() => attentionCost(bert, v('full'), 2 ** 20 + 1)).message).toContain('at most 1048576');
    expect(() => attentionCost(bert, v('full'), 128, { ...gpu, sramBytes: 0 })).toThrow(DeviceError);
    expect(() => attentionCost(bert, v('full'), 128, { ...gpu, bandwidthGBs: Number.NaN })).toThrow('device.bandwidthGBs: must be a positive GB/s');
    expect(() => attentionCost(bert, { kind: 'sliding', window: -1 } as AttentionVariant, 128)).toThrow(VariantError);
  });
});

describe('every variant, 128 … 1,048,576 tokens', () => {
  it('gives finite, positive numbers (no NaN)', () => {
    const variants = ['full', 'causal', 'sliding:512', 'dilated:512:4', 'global:512:2', 'bigbird:64:3:2', 'linear', 'gqa:4', 'gqa:1', 'flash', 'tome:8', 'tome:100000', 'prune:0.5', 'prune:1'];
    const shape = { dModel: 4096, heads: 32, kvHeads: 8, layers: 32, batch: 4, bytesPerElement: 2 };
    for (const text of variants) {
      for (let n = 128; n <= 1_048_576; n *= 2) {
        const p = attentionCost(shape, v(text), n, gpu);
        for (const [k, value] of Object.entries(p)) {
          if (typeof value === 'number') expect(Number.isFinite(value) && value > 0, `${text} at ${n}: ${k} = ${value}`).toBe(true);
        }
      }
    }
  });
});
