import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../ir-builder.js';
import type { AttrInput } from '../ir-builder.js';
import type { Dim, ElemType } from '../ir.js';
import { profileModel } from '../profile.js';
import { inferShapes } from '../shape-inference.js';
import type { ProfileNode, ProfileResult } from '../types.js';
import { causalKeys } from './contrib-llm.js';

/** Graph input (plain shape: float32), typed graph input, raw weight, or inline constant; null for an absent slot. */
type In = Dim[] | { x: Dim[]; t: ElemType } | { w: number[]; t?: ElemType } | { c: number[]; dims?: number[]; t?: ElemType } | null;

const MS = 'com.microsoft';

function graph(opType: string, inputs: In[], attrs: Record<string, AttrInput>, nOut: number): GraphBuilder {
  const b = new GraphBuilder();
  const names = inputs.map((s, i) => {
    if (s === null) return '';
    if (Array.isArray(s)) { b.input(`x${i}`, s); return `x${i}`; }
    if ('x' in s) { b.input(`x${i}`, s.x, s.t); return `x${i}`; }
    if ('w' in s) { b.init(`w${i}`, s.w, s.t ?? 'float32'); return `w${i}`; }
    b.init(`c${i}`, s.dims ?? [s.c.length], s.t ?? 'int64', s.c);
    return `c${i}`;
  });
  return b.node(opType, names, Array.from({ length: nOut }, (_, i) => `y${i}`), attrs, { name: 'n', domain: MS });
}

function profile(opType: string, inputs: In[], attrs: Record<string, AttrInput> = {}, nOut = 1): ProfileResult {
  return profileModel(graph(opType, inputs, attrs, nOut).model(), {});
}

function one(opType: string, inputs: In[], attrs: Record<string, AttrInput> = {}, nOut = 1): ProfileNode {
  return profile(opType, inputs, attrs, nOut).nodes[0]!;
}

const i32 = (x: Dim[]): In => ({ x, t: 'int32' });
/** total_sequence_length as a constant int32 scalar (rank 0: not a parameter). */
const total = (t: number): In => ({ c: [t], dims: [], t: 'int32' });

describe('GroupQueryAttention', () => {
  it('causal prefill: Σ keys per query = 1+2+3+4; QKᵀ and A·V over them, grouped heads', () => {
    // B=1, S=4, N=4 query heads, Nkv=2, H=8. Per head 10 (query, key) pairs; 4 heads → 40.
    // MACs = 2 · 40 · 8 = 640; otherOps = 40 · 6 (scale + softmax).
    // bytesRead: q 128·4 + k 64·4 + v 64·4 + seqlens_k 4 + total 4 = 1032; written: output 512 + present K/V 2·(2·4·8·4).
    const p = profile('GroupQueryAttention', [[1, 4, 32], [1, 4, 16], [1, 4, 16], null, null, i32([1]), total(4)], { num_heads: 4, kv_num_heads: 2 }, 3);
    const n = p.nodes[0]!;
    expect(n).toMatchObject({ counted: true, outputShape: [1, 4, 32], macs: 640, flops: 1280, otherOps: 240, bytesRead: 1032, bytesWritten: 512 + 2 * 256, params: 0 });
    expect(p.uncounted).toEqual([]);
  });

  it('decode with a past: the new token sees past + 1 keys, or local_window_size', () => {
    // past K/V [1,2,7,8], total 8: one query attends 8 keys; window 3 → 3 keys (ORT 1.30 CPU, measured).
    const inputs: In[] = [[1, 1, 32], [1, 1, 16], [1, 1, 16], [1, 2, 7, 8], [1, 2, 7, 8], i32([1]), total(8)];
    const full = one('GroupQueryAttention', inputs, { num_heads: 4, kv_num_heads: 2 }, 3);
    expect(full.macs).toBe(2 * 4 * 8 * 8); // 2 · (4 heads · 8 keys) · H
    // bytesRead: q 128 + k 64 + v 64 + past K/V 2·(2·7·8·4 = 448) + 4 + 4 = 1160; written: 128 + present 2·(2·8·8·4 = 512).
    expect(full).toMatchObject({ bytesRead: 1160, bytesWritten: 128 + 1024 });
    const windowed = one('GroupQueryAttention', inputs, { num_heads: 4, kv_num_heads: 2, local_window_size: 3 }, 3);
    expect(windowed).toMatchObject({ macs: 2 * 4 * 3 * 8, otherOps: 4 * 3 * 6 });
  });

  it('a shared past/present buffer (max_sequence_length 16): reads the 7 valid past rows, present keeps the buffer size', () => {
    const p = profile('GroupQueryAttention', [[1, 1, 32], [1, 1, 16], [1, 1, 16], [1, 2, 16, 8], [1, 2, 16, 8], i32([1]), total(8)], { num_heads: 4, kv_num_heads: 2 }, 3);
    expect(p.nodes[0]).toMatchObject({ macs: 2 * 4 * 8 * 8, bytesRead: 1160, bytesWritten: 128 + 2 * (2 * 16 * 8 * 4) });
  });

  it('without a constant total_sequence_length the total is past + new', () => {
    const n = one('GroupQueryAttention', [[1, 1, 32], [1, 1, 16], [1, 1, 16], [1, 2, 7, 8], [1, 2, 7, 8], i32([1]), i32([])], { num_heads: 4, kv_num_heads: 2 }, 3);
    expect(n.macs).toBe(2 * 4 * 8 * 8);
  });

  it('packed QKV with rotary: 3 ops per rotated Q and K element; only the cos/sin rows of the new positions are read', () => {
    // query [1,2,(2+2·1)·4]: N=2, Nkv=1, H=4. Pairs: 2 heads · (1+2) = 6 → MACs 2·6·4 = 48.
    // otherOps: 6·6 + rotary 3 · (1·2·(2+1) rows · 4) = 36 + 72 = 108.
    // bytesRead: q 16·2·4 = 128 + seqlens 4 + total 4 + cos/sin 2·(2 rows · 2 · 4) = 168.
    const n = one('GroupQueryAttention', [[1, 2, 16], null, null, null, null, i32([1]), total(2), { w: [10, 2] }, { w: [10, 2] }], { num_heads: 2, kv_num_heads: 1, do_rotary: 1 }, 3);
    expect(n).toMatchObject({ outputShape: [1, 2, 8], macs: 48, otherOps: 108, bytesRead: 168, params: 40 });
  });

  it('present shapes, and malformed heads fail naming the node', () => {
    const inf = inferShapes(graph('GroupQueryAttention', [[2, 3, 32], [2, 3, 16], [2, 3, 16], [2, 2, 5, 8], [2, 2, 5, 8], i32([2]), total(8)], { num_heads: 4, kv_num_heads: 2 }, 4).graph(), {});
    expect(['y0', 'y1', 'y2', 'y3'].map((y) => inf.shapes.get(y))).toEqual([[2, 3, 32], [2, 2, 8, 8], [2, 2, 8, 8], [2, 4, 3, 8]]);
    expect(inf.unknownOps.size).toBe(0);
    expect(() => profile('GroupQueryAttention', [[1, 1, 24], [1, 1, 16], [1, 1, 16], null, null, i32([1]), total(1)], { num_heads: 3, kv_num_heads: 2 }))
      .toThrow(/GroupQueryAttention node 'n': num_heads=3 is not a multiple of kv_num_heads=2/);
  });

  it('causalKeys sums min(position, cap) over the queries', () => {
    expect(causalKeys(4, 0, Infinity)).toBe(10);
    expect(causalKeys(1, 7, 4)).toBe(4);
    expect(causalKeys(3, 2, 4)).toBe(3 + 4 + 4);
    expect(causalKeys(2, 0, 4)).toBe(1 + 2);
  });
});

describe('MultiHeadAttention with a past, bias and key_padding_mask', () => {
  it('keys = past + new (3 + 2); present is [B, N, 5, H]', () => {
    // N=2, dqk = dv = 8; scores 1·2·2·5 = 20 → MACs 20·8 + 20·8 = 320.
    const p = profile('MultiHeadAttention', [[1, 2, 16], [1, 2, 16], [1, 2, 16], { w: [48] }, i32([1, 5]), null, [1, 2, 3, 8], [1, 2, 3, 8]], { num_heads: 2 }, 3);
    expect(p.nodes[0]).toMatchObject({ counted: true, macs: 320, outputShape: [1, 2, 16], params: 48 });
  });
});

describe('RotaryEmbedding', () => {
  it('3 ops per rotated element; rotary_embedding_dim limits the rotated part', () => {
    // [1,3,16], num_heads 2 → head 8, rot 4: 6 head-rows · 4 = 24 rotated → 72 ops.
    // bytesRead: input 192 + position_ids 3·8 + cos/sin 2 · (3 rows · 2 · 4) = 264.
    const n = one('RotaryEmbedding', [[1, 3, 16], { x: [1, 3], t: 'int64' }, { w: [32, 2] }, { w: [32, 2] }], { num_heads: 2, rotary_embedding_dim: 4, interleaved: 1 });
    expect(n).toMatchObject({ counted: true, outputShape: [1, 3, 16], macs: 0, otherOps: 72, bytesRead: 264, bytesWritten: 192 });
  });
  it('without num_heads the cos cache gives the head (whole head rotated); 4-D input [B,N,S,H]', () => {
    expect(one('RotaryEmbedding', [[1, 3, 16], { x: [1, 3], t: 'int64' }, { w: [32, 4] }, { w: [32, 4] }]).otherOps).toBe(48 * 3);
    expect(one('RotaryEmbedding', [[1, 2, 3, 8], { x: [1, 3], t: 'int64' }, { w: [32, 4] }, { w: [32, 4] }]).otherOps).toBe(48 * 3);
  });
});

describe('MatMulNBits', () => {
  // K=64, N=32, 4 bits, block 32: k_blocks 2, blob 16 → B uint8 [32, 2, 16] = 1024 bytes = N·K·4/8.
  const inputs: In[] = [[1, 3, 64], { w: [32, 2, 16], t: 'uint8' }, { w: [64] }, { w: [32, 1], t: 'uint8' }];
  const attrs = { K: 64, N: 32, bits: 4, block_size: 32, accuracy_level: 4 };
  it('MACs = M·N·K; params = N·K logical weights; bytes = A + packed B + scales + zero points', () => {
    const n = one('MatMulNBits', inputs, attrs);
    expect(n).toMatchObject({ counted: true, outputShape: [1, 3, 32], macs: 3 * 32 * 64, flops: 2 * 3 * 32 * 64, params: 32 * 64 });
    expect(n.otherOps).toBe(2 * 32 * 64); // dequantise each weight once
    expect(n.bytesRead).toBe(3 * 64 * 4 + 1024 + 64 * 4 + 32);
    expect(n.bytesWritten).toBe(3 * 32 * 4);
  });
  it('bias adds one op per output; params and totals count the bias; K not a multiple of the block pads B', () => {
    const n = one('MatMulNBits', [...inputs, null, { w: [32] }], attrs);
    expect(n).toMatchObject({ params: 32 * 64 + 32, otherOps: 2 * 32 * 64 + 3 * 32 });
    // K=20, 8 bits, block 16: k_blocks 2, blob 16 → B [4, 2, 16].
    const p = profile('MatMulNBits', [[2, 20], { w: [4, 2, 16], t: 'uint8' }, { w: [8] }], { K: 20, N: 4, bits: 8, block_size: 16 });
    expect(p.nodes[0]).toMatchObject({ macs: 2 * 4 * 20, params: 80 });
    expect(p.totals.params).toBe(80);
    expect(p.totals.weightBytes).toBe(128 + 32);
  });
  it('a B that does not hold N·k_blocks·blob_size bytes, or A not ending in K, fails', () => {
    expect(() => profile('MatMulNBits', [[1, 64], { w: [32, 2, 8], t: 'uint8' }, { w: [64] }], attrs)).toThrow(/must hold .* = 1024 bytes/);
    expect(() => profile('MatMulNBits', [[1, 63], { w: [32, 2, 16], t: 'uint8' }, { w: [64] }], attrs)).toThrow(/must end in K=64/);
  });
});

describe('GatherBlockQuantized', () => {
  it('a gather of rows: bytes = indices + the gathered packed rows + their scales and zero points', () => {
    // data uint8 [100,16] 4-bit → logical [100,32]; indices [2,3] → output [2,3,32] float32.
    // otherOps 2·192; bytesRead 6·8 + 6 rows·16 + 6·4 + 6·1 = 174; params = 100·32 logical.
    const n = one('GatherBlockQuantized', [{ w: [100, 16], t: 'uint8' }, { x: [2, 3], t: 'int64' }, { w: [100, 1] }, { w: [100, 1], t: 'uint8' }], { bits: 4, block_size: 32, gather_axis: 0, quantize_axis: 1 });
    expect(n).toMatchObject({ counted: true, outputShape: [2, 3, 32], otherOps: 384, bytesRead: 174, bytesWritten: 768, params: 3200 });
  });
});

describe('RMSNorm ops (com.microsoft)', () => {
  it('SimplifiedLayerNormalization 4/elem + 2/row; Skip adds 1 (+1 bias); SkipLayerNormalization 8 + 2/row', () => {
    expect(one('SimplifiedLayerNormalization', [[2, 3, 8], { w: [8] }], { axis: -1 }).otherOps).toBe(4 * 48 + 2 * 6);
    const skip = profile('SkipSimplifiedLayerNormalization', [[2, 3, 8], [2, 3, 8], { w: [8] }], {}, 4);
    expect(skip.nodes[0]).toMatchObject({ otherOps: 5 * 48 + 12, outputShape: [2, 3, 8] });
    expect(one('SkipSimplifiedLayerNormalization', [[2, 3, 8], [2, 3, 8], { w: [8] }, { w: [8] }]).otherOps).toBe(6 * 48 + 12);
    expect(one('SkipLayerNormalization', [[2, 3, 8], [2, 3, 8], { w: [8] }, { w: [8] }]).otherOps).toBe(8 * 48 + 12);
  });
});

describe('MoE and QMoE', () => {
  // T tokens, H=8, E=4 experts, fused SwiGLU: fc1 [4, 16, 8] (2·I rows, I=8), fc2 [4, 8, 8].
  // Per token and expert: 8·16 + 8·8 = 192 MACs; SwiGLU 8 ops per intermediate element = 64.
  // Per token routing: softmax + top-k 6·4 = 24, weighted sum (2k−1)·H.
  const swiglu = { k: 2, activation_type: 'swiglu', swiglu_fusion: 1 };
  it('prefill: MACs for the k experts each token uses; params = all experts', () => {
    const n = one('MoE', [[4, 8], [4, 4], { w: [4, 16, 8] }, null, { w: [4, 8, 8] }], swiglu);
    expect(n).toMatchObject({ counted: true, outputShape: [4, 8], macs: 4 * 2 * 192, params: 512 + 256 });
    expect(n.otherOps).toBe(4 * 2 * 64 + 4 * (24 + 3 * 8)); // 704
    expect(n.bytesRead).toBe(128 + 64 + 2048 + 1024); // 8 token-experts reach all 4
  });
  it('decode reads only the k experts it can reach', () => {
    const n = one('MoE', [[1, 8], [1, 4], { w: [4, 16, 8] }, null, { w: [4, 8, 8] }], swiglu);
    expect(n).toMatchObject({ macs: 2 * 192, bytesRead: 32 + 16 + 2048 / 2 + 1024 / 2 });
  });
  it('unfused silu with fc3 (Mixtral): three matmuls, silu 5 + gate mul 1, normalised routing', () => {
    const n = one('MoE', [[1, 8], [1, 4], { w: [4, 8, 8] }, null, { w: [4, 8, 8] }, null, { w: [4, 8, 8] }], { k: 2, activation_type: 'silu', normalize_routing_weights: 1 });
    expect(n.macs).toBe(2 * 3 * 64);
    expect(n.otherOps).toBe(2 * 8 * 6 + (24 + 4 + 3 * 8)); // 148
  });
  it('QMoE: 4-bit packed experts count their logical weights; dequantise the reachable experts', () => {
    // fc1 uint8 [4,16,4] (H/2), fc2 uint8 [4,8,4] (I/2); k=1, one token → 1 expert reached.
    // otherOps = SwiGLU 64 + routing 24 + (2−1)·8 + dequant 2·192 = 480.
    // bytesRead = 32 + 16 + (256 + 256 + 128 + 128)/4 = 240; params = (256 + 128)·2 = 768.
    const n = one('QMoE', [[1, 8], [1, 4], { w: [4, 16, 4], t: 'uint8' }, { w: [4, 16] }, null, { w: [4, 8, 4], t: 'uint8' }, { w: [4, 8] }],
      { ...swiglu, k: 1, expert_weight_bits: 4 });
    expect(n).toMatchObject({ counted: true, outputShape: [1, 8], macs: 192, otherOps: 480, bytesRead: 240, params: 768 });
  });
});

describe('a small quantised decoder step through the IR builder', () => {
  it('embedding → RMSNorm → MatMulNBits: all counted, params are logical weights', () => {
    const b = new GraphBuilder().input('ids', [1, 2], 'int64')
      .init('emb', [50, 8], 'uint8').init('emb_s', [50, 1]).init('g', [16])
      .init('B', [8, 1, 16], 'uint8').init('B_s', [8])
      .node('GatherBlockQuantized', ['emb', 'ids', 'emb_s'], ['e'], { bits: 4, block_size: 16 }, { domain: MS })
      .node('SimplifiedLayerNormalization', ['e', 'g'], ['h'], { axis: -1 })
      .node('MatMulNBits', ['h', 'B', 'B_s'], ['y'], { K: 16, N: 8, bits: 8, block_size: 16 }, { domain: MS });
    const p = profileModel(b.model(), {});
    expect(p.uncounted).toEqual([]);
    expect(p.nodes.map((n) => n.outputShape)).toEqual([[1, 2, 16], [1, 2, 16], [1, 2, 8]]);
    expect(p.totals.params).toBe(50 * 16 + 16 + 8 * 16);
    expect(p.totals.macs).toBe(2 * 8 * 16);
  });
});
