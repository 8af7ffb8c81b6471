/**
 * ONNX graphs of one attention layer's core, fp32, no projections (Node main process / CLI; built
 * with ../onnx/build-graph.ts): inputs Q [B, H, N, d], K and V [B, Hkv, N, d], output
 * O [B, H, N, d]. Hkv (kvHeads) divides H: query head h reads K/V head ⌊h / (H/Hkv)⌋ (GQA, the
 * repeat_kv order of Hugging Face transformers); Hkv = H is ordinary multi-head attention. The
 * group axis G = H/Hkv is made explicit with a Reshape and MatMul broadcasts K/V over it, so K/V
 * are never copied per query head.
 *
 * Full (and causal) attention, buildFullAttentionGraph:
 *   Qg = Reshape(Q, [B,Hkv,G,N,d]); Kt = Transpose(Reshape(K, [B,Hkv,1,N,d])) → [B,Hkv,1,d,N]
 *   S = MatMul(Qg, Kt) · 1/√d                                       [B,Hkv,G,N,N]
 *   causal: S += Trilu(Expand(−inf, [N,N]), k = 1, upper)            (−inf where j > i)
 *   O = Reshape(MatMul(Softmax(S, −1), Reshape(V, [B,Hkv,1,N,d])), [B,H,N,d])
 *   FLOPs (2 × MACs of the two MatMuls) = 4·B·H·N²·d, causal included: the graph computes every
 *   score and masks half of them, as a dense SDPA kernel does.
 *
 * Sliding window, buildSlidingWindowGraph, REAL banded compute: query i attends to the keys j with
 * |i − j| ≤ w/2 (Longformer's window w, w/2 on each side, so w + 1 keys away from the edges).
 * The sequence is cut into M = N/c chunks of c = w/2 tokens: c = w/2 is the smallest chunk for
 * which the previous, own and next chunk together hold every key of every query of the chunk
 * (a query at offset p needs keys from p − c to p + c). Per chunk m:
 *   Qc = Reshape(Q, [B,Hkv,G,M,c,d])
 *   Kx = Gather(Reshape(K, [B,Hkv,M,c,d]), [[m−1, m, m+1] for each m], axis 2) → [B,Hkv,M,3c,d]
 *        (one copy of 3× K; the neighbour index is clamped at the ends and masked; V the same)
 *   S = MatMul(Qc, Transpose(Kx)) · 1/√d                            [B,Hkv,G,M,c,3c]
 *   S += mask [M,c,3c], one constant, the sum of
 *        band [c,3c]: −inf where key offset q < p or q > p + 2c, i.e. |i − j| > w/2, and
 *        edge [M,1,3c]: −inf on the (clamped) chunk before chunk 0 and after chunk M − 1
 *   O = Reshape(MatMul(Softmax(S, −1), Vx), [B,H,N,d])
 * So each query scores 3c = 1.5·w keys of which w + 1 are inside the window (fewer at the ends).
 * FLOPs per head: QKᵀ N·3c·d MACs + PV N·3c·d MACs, so
 *   flops = 2·2·B·H·N·(3c)·d = 12·B·H·N·c·d = 6·B·H·N·w·d,
 * against 4·B·H·N·(w+1)·d for the window's keys alone (≈ 1.5× that: the price of dense chunks).
 * Requires w even, w ≥ 2, N a multiple of c = w/2 (the caller picks sequence lengths that are).
 *
 * Masks are built in the graph from a −inf scalar (Expand + Trilu; the sliding edge mask is a
 * 3N-float initializer), so the model bytes stay small at any N; every mask input is constant, so
 * ONNX Runtime folds them into one initializer at session creation (N² floats causal, 3·N·c
 * sliding; checked with an optimized-model dump: FusedMatMul(transB, alpha) → Add → Softmax →
 * MatMul, the sliding graph with one Gather each for K and V). graphAttentionFlops gives the FLOPs of exactly these graphs, which the
 * profiler (src-shared/profiler, FLOPs = 2 × MACs of matrix products) reproduces.
 */
import { buildModel, TensorDataType, type InitializerSpec, type NodeSpec, type ValueSpec } from '../onnx/build-graph.js';

export type AttentionKernel = 'full' | 'causal' | 'sliding';

export interface AttentionGraphShape {
  batch: number;
  /** Query heads H. */
  heads: number;
  /** Sequence length N (queries = keys). */
  seq: number;
  /** Per-head size d. */
  headDim: number;
  /** K/V heads, a divisor of heads (1 = MQA); default heads. */
  kvHeads?: number;
  /**
   * Add a second output, O_corner = O[0, 0, 0, 0:1] ([1, 1, 1, 1], a Slice), for timed runs that
   * fetch only it: handing O (B·H·N·d floats) back to JS costs a fresh buffer per run, ~0.2 s at
   * 50 MiB on the dev VM (page faults: glibc maps allocations over 32 MiB afresh every time), more
   * than the banded attention itself. Not fetched, O stays in ORT's arena like any intermediate.
   */
  cornerOutput?: boolean;
}

export interface FullAttentionSpec extends AttentionGraphShape {
  /** Mask the scores above the diagonal (j > i); the FLOPs stay those of full attention. */
  causal?: boolean;
}

export interface SlidingWindowSpec extends AttentionGraphShape {
  /** Keys within w/2 on each side of the query; even, ≥ 2, and seq must be a multiple of w/2. */
  window: number;
}

export interface AttentionGraphSpec extends AttentionGraphShape {
  kind: AttentionKernel;
  /** Required for 'sliding'. */
  window?: number;
}

/** Largest dimension accepted for any size (keeps every product exact and tensors addressable). */
export const MAX_DIM = 2 ** 24;

function whole(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${field} must be a whole number from ${lo} to ${hi}, got ${String(v)}`);
  }
  return v;
}

/** Validates the shape; returns kvHeads (defaulted) and the group size G = heads / kvHeads. */
export function checkShape(s: AttentionGraphShape): { kvHeads: number; groups: number } {
  whole('batch', s.batch, 1, MAX_DIM);
  whole('heads', s.heads, 1, 65_536);
  whole('seq', s.seq, 1, MAX_DIM);
  whole('headDim', s.headDim, 1, 65_536);
  const kvHeads = whole('kvHeads', s.kvHeads ?? s.heads, 1, s.heads);
  if (s.heads % kvHeads !== 0) throw new RangeError(`kvHeads must divide heads (${s.heads}), got ${kvHeads}`);
  return { kvHeads, groups: s.heads / kvHeads };
}

/** The chunk size c = window / 2 of the banded graph, after checking window and seq. */
export function slidingChunk(window: number, seq: number): number {
  whole('window', window, 2, 2 * MAX_DIM);
  if (window % 2 !== 0) throw new RangeError(`window must be even (w/2 keys on each side), got ${window}`);
  const c = window / 2;
  if (seq < c) throw new RangeError(`seq (${seq}) is shorter than the chunk window/2 = ${c}: the window covers the whole sequence, which is full attention`);
  if (seq % c !== 0) throw new RangeError(`seq (${seq}) must be a multiple of the chunk window/2 = ${c}`);
  return c;
}

/** Why `seq` cannot run the banded graph with `window`, or null when it can. */
export function slidingUnsupported(window: number, seq: number): string | null {
  try {
    slidingChunk(window, seq);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// ---- graph pieces ------------------------------------------------------------------------------

const F32 = TensorDataType.FLOAT;
const value = (name: string, shape: number[]): ValueSpec => ({ name, elemType: F32, shape });
const int64 = (name: string, v: number[], dims: number[] = [v.length]): InitializerSpec => ({
  name,
  dataType: TensorDataType.INT64,
  dims,
  raw: new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer),
});
const scalar = (name: string, v: number): InitializerSpec => ({ name, dataType: F32, dims: [], raw: new Uint8Array(new Float32Array([v]).buffer) });
const floats = (name: string, dims: number[], v: Float32Array): InitializerSpec => ({ name, dataType: F32, dims, raw: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) });

/** The graph outputs, with O_corner (and the Slice that makes it) when asked. */
function outputs(spec: AttentionGraphShape, nodes: NodeSpec[], inits: InitializerSpec[]): ValueSpec[] {
  const o = value('O', [spec.batch, spec.heads, spec.seq, spec.headDim]);
  if (!spec.cornerOutput) return [o];
  inits.push(int64('corner_start', [0, 0, 0, 0]), int64('corner_end', [1, 1, 1, 1]));
  nodes.push({ opType: 'Slice', inputs: ['O', 'corner_start', 'corner_end'], outputs: ['O_corner'] });
  return [o, value('O_corner', [1, 1, 1, 1])];
}

/** Nodes that make `out` = −inf where the triangle Trilu(k, upper) keeps, 0 elsewhere, shape [rows, cols]. */
function triangleMask(out: string, rows: number, cols: number, k: number, upper: boolean, inits: InitializerSpec[]): NodeSpec[] {
  const tag = out;
  inits.push(int64(`${tag}_shape`, [rows, cols]), int64(`${tag}_k`, [k], []));
  return [
    { opType: 'Expand', inputs: ['neg_inf', `${tag}_shape`], outputs: [`${tag}_full`] },
    { opType: 'Trilu', inputs: [`${tag}_full`, `${tag}_k`], outputs: [out], attributes: [{ name: 'upper', type: 'int', value: upper ? 1 : 0 }] },
  ];
}

/** Full (optionally causal) attention: see the module header. */
export function buildFullAttentionGraph(spec: FullAttentionSpec): Uint8Array {
  const { kvHeads, groups } = checkShape(spec);
  const { batch: B, heads: H, seq: N, headDim: d } = spec;
  const inits: InitializerSpec[] = [
    int64('q_shape', [B, kvHeads, groups, N, d]),
    int64('kv_shape', [B, kvHeads, 1, N, d]),
    int64('o_shape', [B, H, N, d]),
    scalar('scale', 1 / Math.sqrt(d)),
  ];
  const nodes: NodeSpec[] = [
    { opType: 'Reshape', inputs: ['Q', 'q_shape'], outputs: ['Qg'] },
    { opType: 'Reshape', inputs: ['K', 'kv_shape'], outputs: ['Kg'] },
    { opType: 'Reshape', inputs: ['V', 'kv_shape'], outputs: ['Vg'] },
    { opType: 'Transpose', inputs: ['Kg'], outputs: ['Kt'], attributes: [{ name: 'perm', type: 'ints', value: [0, 1, 2, 4, 3] }] },
    { opType: 'MatMul', inputs: ['Qg', 'Kt'], outputs: ['S_raw'] },
    { opType: 'Mul', inputs: ['S_raw', 'scale'], outputs: [spec.causal ? 'S_scaled' : 'S'] },
  ];
  if (spec.causal) {
    inits.push(scalar('neg_inf', -Infinity));
    nodes.push(...triangleMask('causal_mask', N, N, 1, true, inits));
    nodes.push({ opType: 'Add', inputs: ['S_scaled', 'causal_mask'], outputs: ['S'] });
  }
  nodes.push(
    { opType: 'Softmax', inputs: ['S'], outputs: ['P'], attributes: [{ name: 'axis', type: 'int', value: -1 }] },
    { opType: 'MatMul', inputs: ['P', 'Vg'], outputs: ['Og'] },
    { opType: 'Reshape', inputs: ['Og', 'o_shape'], outputs: ['O'] },
  );
  const outs = outputs(spec, nodes, inits);
  return buildModel({
    graphName: `attention_${spec.causal ? 'causal' : 'full'}_b${B}_h${H}_kv${kvHeads}_n${N}_d${d}`,
    inputs: [value('Q', [B, H, N, d]), value('K', [B, kvHeads, N, d]), value('V', [B, kvHeads, N, d])],
    outputs: outs,
    nodes,
    initializers: inits,
  });
}

/** The edge mask [M, 1, 3c]: −inf on the neighbour slots of chunk 0 (before) and chunk M − 1 (after), which hold clamped duplicates. */
export function edgeMask(chunks: number, c: number): Float32Array {
  const m = new Float32Array(chunks * 3 * c);
  for (let q = 0; q < c; q++) m[q] = -Infinity;
  const last = (chunks - 1) * 3 * c;
  for (let q = 2 * c; q < 3 * c; q++) m[last + q] = -Infinity;
  return m;
}

/** Sliding-window attention as banded chunks: see the module header. */
export function buildSlidingWindowGraph(spec: SlidingWindowSpec): Uint8Array {
  const { kvHeads, groups } = checkShape(spec);
  const { batch: B, heads: H, seq: N, headDim: d } = spec;
  const c = slidingChunk(spec.window, N);
  const M = N / c;
  const idx: number[] = [];
  for (let m = 0; m < M; m++) idx.push(Math.max(0, m - 1), m, Math.min(M - 1, m + 1));
  const inits: InitializerSpec[] = [
    int64('q_shape', [B, kvHeads, groups, M, c, d]),
    int64('chunk_shape', [B, kvHeads, M, c, d]),
    int64('ext_shape', [B, kvHeads, 1, M, 3 * c, d]),
    int64('o_shape', [B, H, N, d]),
    // Chunks m − 1, m, m + 1 for each chunk m, clamped at the ends (the edge mask hides those).
    int64('neighbours', idx, [M, 3]),
    scalar('scale', 1 / Math.sqrt(d)),
    scalar('neg_inf', -Infinity),
    floats('edge_mask', [M, 1, 3 * c], edgeMask(M, c)),
  ];
  const nodes: NodeSpec[] = [{ opType: 'Reshape', inputs: ['Q', 'q_shape'], outputs: ['Qc'] }];
  for (const X of ['K', 'V']) {
    nodes.push(
      { opType: 'Reshape', inputs: [X, 'chunk_shape'], outputs: [`${X}c`] },
      // [B, Hkv, M, c, d] gathered on the chunk axis with [M, 3] → [B, Hkv, M, 3, c, d]: one copy.
      { opType: 'Gather', inputs: [`${X}c`, 'neighbours'], outputs: [`${X}g`], attributes: [{ name: 'axis', type: 'int', value: 2 }] },
      { opType: 'Reshape', inputs: [`${X}g`, 'ext_shape'], outputs: [`${X}x`] },
    );
  }
  // band: −inf where q < p (Trilu lower, k = −1) or q > p + 2c (Trilu upper, k = 2c + 1); plus
  // the edge mask → one [M, c, 3c] constant (1/(B·H) of the scores), folded by ORT, added once.
  nodes.push(
    ...triangleMask('band_low', c, 3 * c, -1, false, inits),
    ...triangleMask('band_high', c, 3 * c, 2 * c + 1, true, inits),
    { opType: 'Add', inputs: ['band_low', 'band_high'], outputs: ['band_mask'] },
    { opType: 'Add', inputs: ['band_mask', 'edge_mask'], outputs: ['window_mask'] },
    { opType: 'Transpose', inputs: ['Kx'], outputs: ['Kxt'], attributes: [{ name: 'perm', type: 'ints', value: [0, 1, 2, 3, 5, 4] }] },
    { opType: 'MatMul', inputs: ['Qc', 'Kxt'], outputs: ['S_raw'] },
    { opType: 'Mul', inputs: ['S_raw', 'scale'], outputs: ['S_scaled'] },
    { opType: 'Add', inputs: ['S_scaled', 'window_mask'], outputs: ['S'] },
    { opType: 'Softmax', inputs: ['S'], outputs: ['P'], attributes: [{ name: 'axis', type: 'int', value: -1 }] },
    { opType: 'MatMul', inputs: ['P', 'Vx'], outputs: ['Oc'] },
    { opType: 'Reshape', inputs: ['Oc', 'o_shape'], outputs: ['O'] },
  );
  const outs = outputs(spec, nodes, inits);
  return buildModel({
    graphName: `attention_sliding_w${spec.window}_b${B}_h${H}_kv${kvHeads}_n${N}_d${d}`,
    inputs: [value('Q', [B, H, N, d]), value('K', [B, kvHeads, N, d]), value('V', [B, kvHeads, N, d])],
    outputs: outs,
    nodes,
    initializers: inits,
  });
}

/** The graph for a kind: full, causal or sliding (window required). */
export function buildAttentionGraph(spec: AttentionGraphSpec): Uint8Array {
  if (spec.kind === 'sliding') {
    if (spec.window === undefined) throw new RangeError('window is required for sliding attention');
    return buildSlidingWindowGraph({ ...spec, window: spec.window });
  }
  return buildFullAttentionGraph({ ...spec, causal: spec.kind === 'causal' });
}

/**
 * FLOPs (2 × MACs of the two MatMuls) of exactly the graph buildAttentionGraph builds:
 * full and causal 4·B·H·N²·d; sliding 4·B·H·N·(3c)·d with c = window/2, i.e. 6·B·H·N·w·d.
 */
export function graphAttentionFlops(spec: AttentionGraphSpec): number {
  checkShape(spec);
  const { batch: B, heads: H, seq: N, headDim: d } = spec;
  if (spec.kind === 'sliding') {
    if (spec.window === undefined) throw new RangeError('window is required for sliding attention');
    const c = slidingChunk(spec.window, N);
    return 4 * B * H * N * 3 * c * d;
  }
  return 4 * B * H * N * N * d;
}

/** Keys query i attends to: [lo, hi] inclusive. */
export function keyRange(kind: AttentionKernel, i: number, seq: number, window?: number): [number, number] {
  if (kind === 'full') return [0, seq - 1];
  if (kind === 'causal') return [0, i];
  const half = (window ?? 0) / 2;
  return [Math.max(0, i - half), Math.min(seq - 1, i + half)];
}

/**
 * Plain float64 attention for the given query rows of every (batch, head) in `pairs`
 * (default all): softmax(q·kⱼ/√d over the keys of keyRange) · V. Returns rows in the order
 * pairs × rows, d values each. Sliding: true sliding window, |i − j| ≤ window/2.
 */
export function referenceAttention(
  spec: AttentionGraphSpec,
  Q: Float32Array,
  K: Float32Array,
  V: Float32Array,
  rows?: readonly number[],
  pairs?: ReadonlyArray<readonly [number, number]>,
): Float64Array {
  const { kvHeads, groups } = checkShape(spec);
  const { batch: B, heads: H, seq: N, headDim: d } = spec;
  const rowList = rows ?? Array.from({ length: N }, (_, i) => i);
  const pairList = pairs ?? Array.from({ length: B * H }, (_, i) => [Math.floor(i / H), i % H] as const);
  const out = new Float64Array(pairList.length * rowList.length * d);
  const scale = 1 / Math.sqrt(d);
  const scores = new Float64Array(N);
  let o = 0;
  for (const [b, h] of pairList) {
    const qBase = (b * H + h) * N * d;
    const kvBase = (b * kvHeads + Math.floor(h / groups)) * N * d;
    for (const i of rowList) {
      const [lo, hi] = keyRange(spec.kind, i, N, spec.window);
      let max = -Infinity;
      for (let j = lo; j <= hi; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += Q[qBase + i * d + t]! * K[kvBase + j * d + t]!;
        s *= scale;
        scores[j] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let j = lo; j <= hi; j++) {
        const e = Math.exp(scores[j]! - max);
        scores[j] = e;
        sum += e;
      }
      for (let j = lo; j <= hi; j++) {
        const p = scores[j]! / sum;
        for (let t = 0; t < d; t++) out[o + t]! += p * V[kvBase + j * d + t]!;
      }
      o += d;
    }
  }
  return out;
}
