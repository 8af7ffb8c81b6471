/**
 * Cost models of the efficient-transformer lab (pure; runs anywhere): FLOPs, attention's
 * main-memory traffic, training activations, the decoding K/V cache and a roofline time for one
 * forward pass of a transformer stack, for every AttentionVariant at one sequence length.
 *
 * Notation: N = sequence length (n_l at layer l), d = head size, H = heads, H_kv = K/V heads,
 * h = d_model, F = FFN width, L = layers, B = batch, e = bytes per element, w = window.
 *
 * FLOPs. 2 FLOPs per multiply-add of a matrix product, and nothing else: softmax, scaling, masks,
 * φ, LayerNorm, GeLU and residual adds are not FLOPs here (the profiler's convention). Forward only.
 *   - Full attention, per head: QKᵀ 2·N²·d + P·V 2·N²·d = 4·N²·d (Dao et al. 2022, FlashAttention,
 *     the benchmark's FLOP count; torch's SDPA flop counter agrees: q, k, v of shape (1, 12, 64, 64)
 *     → 12,582,912). Generally 4·pairs·d, pairs = the (query, key) pairs the pattern scores.
 *   - Causal: half of full, 2·N²·d (the convention FlashAttention's benchmarks use; the exact lower
 *     triangle with the diagonal is N(N+1)/2 pairs).
 *   - Projections per layer: Q 2·N·h·(H·d), K and V 2·N·h·(H_kv·d) each, O 2·N·(H·d)·h (H·d = h
 *     unless headDim is given); FFN 2 · 2·N·h·F. Everything × B, summed over the L layers.
 *   - Sliding window (Beltagy et al. 2020, Longformer §3.1): each query scores min(w, N) keys, the w
 *     around it, shifted inward at the sequence ends (so every query has exactly min(w, N); Longformer
 *     pads instead, the count is the same) → 4·N·min(w, N)·d; w ≥ N is full attention.
 *   - Dilated (Longformer §3.1): w keys spaced `dilation` apart, within the query's residue class
 *     (i mod dilation), shifted inward at the ends: the same w keys per query as sliding (a receptive
 *     field w·dilation wide) while the class has ≥ w members, else the whole class. Counted exactly:
 *     with N = q·dil + ρ, pairs = ρ·(q+1)·min(w, q+1) + (dil−ρ)·q·min(w, q).
 *   - Global + sliding (Longformer §3.1, "global attention"): the g global queries score all N keys,
 *     every other query scores its window plus the g global keys; a global key already inside the
 *     window is counted once (exact count of the distinct pairs, so no double counting of the g×g
 *     corner or of window/global overlap).
 *   - BigBird (Zaheer et al. 2020 §2 and App. D, ITC): per query block of b tokens, 3 sliding +
 *     r random + g global key blocks, each a distinct block → min(N, (3+r+g)·b) keys per query; the
 *     first g blocks are global queries scoring all N. pairs = G·N + (N−G)·min(N, (3+r+g)·b),
 *     G = min(g·b, N). Exact when b divides N.
 *   - Linear (Katharopoulos et al. 2020 eq. 6, φ(x) = elu(x) + 1 with d features): S = φ(K)ᵀV is
 *     2·N·d² per K/V head, φ(Q)·S is 2·N·d² and the normaliser φ(Q)·z is 2·N·d per head
 *     (z = Σ φ(K_j) is a reduction, not counted) → 4·N·d² + 2·N·d per head when H_kv = H.
 *   - GQA/MQA (Ainslie et al. 2023; Shazeer 2019): attention as full; K and V projections shrink to
 *     H_kv·d outputs, and so do the K/V cache and K/V traffic.
 *   - Flash (Dao et al. 2022): full bidirectional attention's FLOPs (the causal variant is separate);
 *     the backward's recomputation is not in a forward count.
 *   - ToMe (Bolya et al. 2023 §3): layer l = 0…L−1 runs attention, projections and FFN on
 *     n_l = max(N − r·l, 1) tokens (ToMe merges between attention and MLP, so its MLP would see
 *     n_{l+1}: this model is slightly conservative), plus the bipartite matching that merges: a
 *     similarity ⌈n_l/2⌉×⌊n_l/2⌋ over the head-averaged keys, 2·⌈n_l/2⌉·⌊n_l/2⌋·d FLOPs in every layer
 *     whose output has fewer tokens (in `flops`, not `attentionFlops`). ToMe itself merges at most
 *     half the tokens per layer; this model does not cap r (sweep warns). r = 0 is exactly no merging.
 *   - Token pruning: n_l = ⌈N · keep^l⌉; the scoring that picks the kept tokens is not counted.
 *     keep = 1 is exactly no pruning.
 *
 * Bytes moved (attention only, forward, every element e bytes, compulsory traffic: each operand read
 * once per kernel as the algorithm states it, no reuse between kernels):
 *   - Standard attention (Dao et al. 2022, Algorithm 0): read Q, K (2·N·d), write S (N²), read S,
 *     write P (softmax: 2·N²), read P and V (N² + N·d), write O (N·d) → 4·N·d + 4·N² per head. With
 *     H_kv K/V heads, K and V are read once per K/V head: per layer N·d·(2H + 2H_kv) + 4·H·N².
 *     Causal uses this too: an unfused causal attention materialises and masks the whole N×N matrix,
 *     so only its FLOPs are halved.
 *   - Sparse patterns (sliding, dilated, global, bigbird): the same with the banded/blocked score
 *     matrix in place of N²: N·d·(2H + 2H_kv) + 4·H·pairs. Dilated: the same compulsory traffic as
 *     sliding (each K/V row is a whole head vector, so a strided gather reads no extra cache lines);
 *     a tiled kernel whose query tile is narrower than w·dilation re-reads K/V more often, which
 *     depends on the kernel and is not modelled.
 *   - FlashAttention (Dao et al. 2022, Algorithm 1 and the proof of Theorem 2): M = on-chip memory
 *     in elements (device.sramBytes / e), column block B_c = ⌈M / (4d)⌉, T_c = ⌈N / B_c⌉ passes.
 *     Per head: initialise O, ℓ, m in HBM (N·d + 2N), load every K_j, V_j once (2·N·d), and in each
 *     of the T_c passes load Q_i, O_i, ℓ_i, m_i and write O_i, ℓ_i, m_i (3·N·d + 4·N):
 *       flashElements = 3·N·d + 2·N + T_c·(3·N·d + 4·N) = Θ(N²·d²/M) (Theorem 2).
 *     ℓ and m are counted at e bytes (kernels keep them in fp32; a small difference). Without a
 *     device, M is DEFAULT_SRAM_BYTES (the A100's 192 KB per SM, the paper's §2.1).
 *   - Linear: read K, V (2·N·d per K/V head), write S, z (d² + d per K/V head); read Q, S, z and
 *     write O (2·N·d + d² + d per head); φ is fused into the loads.
 *
 * Activation memory (training, bytes kept for backward), Korthikanti et al. 2022 §4.1 eq. 1:
 * s·b·h·(34 + 5·a·s/h) per layer for fp16 activations with 1-byte dropout masks and F = 4h. We keep
 * its terms with e-byte elements, H_kv, F and headDim:
 *   s·b·[e·(4h + 2·H·d + 2·H_kv·d + 2F) + 2h]          (LayerNorm inputs 2h, QKV input h, Q and the
 *                                                      out-projection input H·d each, K and V H_kv·d
 *                                                      each, MLP input h, GeLU input and output F
 *                                                      each; two 1-byte dropout masks h each)
 *   + a·b·(scores)·(2e + 1)                           (softmax output, its 1-byte dropout mask, the
 *                                                      dropout output: 5·a·s²·b at e = 2)
 * which is exactly 34·s·b·h + 5·a·s²·b at e = 2, H·d = H_kv·d = h, F = 4h. Variants replace the s²
 * scores by what they store: N·min(w, N) for sliding, the exact pairs for dilated/global/bigbird,
 * N² for causal (materialised). Flash drops them and keeps only the logsumexp, 4 bytes per query
 * and head (O itself is already the out-projection input); the dropout mask is regenerated from the
 * RNG state. Linear keeps φ(Q), φ(K) (e·s·b·(H·d + H_kv·d)) and S, z (e·b·H_kv·(d² + d)).
 *
 * K/V cache (decoding at context N): 2 · L · B · N · H_kv · d · e (Pope et al. 2022, "Efficiently
 * Scaling Transformer Inference"; common practice). Windowed variants only keep what a new token can attend to (Mistral's rolling buffer,
 * Jiang et al. 2023 §2): min(N, w) for sliding, min(N, (w−1)·dil + 1) for dilated, min(N, w + g)
 * for global + sliding; BigBird's random blocks can land anywhere, so it keeps N. ToMe/pruning keep
 * n_l tokens in layer l. Linear attention's recurrent state is L · B · H_kv · (d² + d) · e, constant
 * in N (Katharopoulos et al. 2020 §3.4, the RNN view).
 *
 * Predicted time (needs a device): the sum over kernels of max(FLOPs / peak, bytes / bandwidth),
 * i.e. FLOPs / attainable(intensity) (Williams, Waterman & Patterson 2009; ../bench/roofline.ts).
 * Kernels per layer: the Q, K, V and O projections and the two FFN matrix products (each a GEMM
 * reading its input and weight and writing its output once), the attention with bytesMoved above,
 * and ToMe's matching. Elementwise kernels outside attention (LayerNorm, GeLU, residuals) are left
 * out: the same for every variant at the same token count. Without a device, attentionCost returns
 * predictedSeconds = 0 and no `predictedOn`: not a prediction, do not plot it.
 */
import { FieldError } from '../errors/field-error.js';
import { attainable } from '../bench/roofline.js';
import { kernelMs } from '../profiler/cost-model.js';
import type { AttentionDevice, AttentionPoint, AttentionShape, AttentionVariant } from './types.js';
import { formatVariant, validateVariant, VariantError } from './variants.js';

/** The longest sequence the lab models (2^20 tokens). */
export const MAX_SEQ = 1_048_576;

/**
 * On-chip memory assumed for FlashAttention's IO when no device is given: 192 KB, the A100's SRAM
 * per streaming multiprocessor (Dao et al. 2022 §2.1).
 */
export const DEFAULT_SRAM_BYTES = 192 * 1024;

/** Sanity bounds on a shape: beyond these the input is a typo, not a model. */
export const SHAPE_LIMITS = {
  dModel: 1_048_576,
  heads: 65_536,
  headDim: 65_536,
  ffn: 4_194_304,
  layers: 10_000,
  batch: 1_048_576,
  bytesPerElement: 16,
} as const;

/** A bad shape or sequence length; `field` is the shape's key (or 'seq'), also the message's prefix. */
export class ShapeError extends FieldError {
  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
    this.name = 'ShapeError';
  }
}

/** A bad device; `field` is e.g. 'device.sramBytes', also the message's prefix. */
export class DeviceError extends FieldError {
  constructor(field: string, message: string) {
    super(field, `${field}: ${message}`);
    this.name = 'DeviceError';
  }
}

export type ResolvedShape = Required<AttentionShape>;

function whole(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ShapeError(field, `must be a positive whole number (got ${JSON.stringify(value) ?? String(value)})`);
  }
  if (value > max) throw new ShapeError(field, `${value} is beyond any model (at most ${max})`);
  return value;
}

/** Fills the defaults and checks every field; throws ShapeError naming the field. */
export function validateShape(shape: AttentionShape): ResolvedShape {
  if (typeof shape !== 'object' || shape === null) throw new ShapeError('shape', 'missing (give at least dModel and heads)');
  const dModel = whole('dModel', shape.dModel, SHAPE_LIMITS.dModel);
  const heads = whole('heads', shape.heads, SHAPE_LIMITS.heads);
  let headDim: number;
  if (shape.headDim === undefined) {
    if (dModel % heads !== 0) {
      throw new ShapeError('heads', `${heads} does not divide d_model ${dModel} (pick a divisor of ${dModel}, or give headDim)`);
    }
    headDim = dModel / heads;
  } else headDim = whole('headDim', shape.headDim, SHAPE_LIMITS.headDim);
  const kvHeads = shape.kvHeads === undefined ? heads : whole('kvHeads', shape.kvHeads, SHAPE_LIMITS.heads);
  if (kvHeads > heads) throw new ShapeError('kvHeads', `${kvHeads} is more than heads ${heads}`);
  if (heads % kvHeads !== 0) throw new ShapeError('kvHeads', `${kvHeads} does not divide heads ${heads} (divisors: ${divisors(heads).join(', ')})`);
  const ffn = shape.ffn === undefined ? 4 * dModel : whole('ffn', shape.ffn, SHAPE_LIMITS.ffn);
  const layers = shape.layers === undefined ? 1 : whole('layers', shape.layers, SHAPE_LIMITS.layers);
  const batch = shape.batch === undefined ? 1 : whole('batch', shape.batch, SHAPE_LIMITS.batch);
  const e = shape.bytesPerElement ?? 4;
  if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0) {
    throw new ShapeError('bytesPerElement', `must be a positive number of bytes (got ${JSON.stringify(e) ?? String(e)})`);
  }
  if (e > SHAPE_LIMITS.bytesPerElement) throw new ShapeError('bytesPerElement', `${e} bytes per element is beyond any dtype (at most ${SHAPE_LIMITS.bytesPerElement})`);
  return { dModel, heads, headDim, kvHeads, ffn, layers, batch, bytesPerElement: e };
}

/** Checks the numbers a prediction uses; throws DeviceError naming the field. */
export function validateDevice(device: AttentionDevice): AttentionDevice {
  if (typeof device !== 'object' || device === null) throw new DeviceError('device', 'missing: a prediction needs a device (peak, bandwidth, on-chip memory)');
  const check = (key: 'peakGflops' | 'bandwidthGBs' | 'memoryBytes' | 'sramBytes', what: string) => {
    const v = device[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new DeviceError(`device.${key}`, `must be a positive ${what} (got ${JSON.stringify(v) ?? String(v)})`);
    }
  };
  check('peakGflops', 'GFLOP/s');
  check('bandwidthGBs', 'GB/s');
  check('memoryBytes', 'number of bytes');
  check('sramBytes', 'number of bytes');
  return device;
}

/** The seq a model runs at: a whole number from 1 to MAX_SEQ. */
export function validateSeq(seq: unknown, field = 'seq'): number {
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
    throw new ShapeError(field, `must be a positive whole number of tokens (got ${JSON.stringify(seq) ?? String(seq)})`);
  }
  if (seq > MAX_SEQ) throw new ShapeError(field, `${seq} is longer than the lab models (at most ${MAX_SEQ} = 2^20)`);
  return seq;
}

/** The K/V heads a variant runs with: a gqa variant's own, else the shape's. Throws VariantError. */
export function effectiveKvHeads(shape: ResolvedShape, variant: AttentionVariant): number {
  if (variant.kind !== 'gqa') return shape.kvHeads;
  const kv = variant.kvHeads;
  if (kv > shape.heads || shape.heads % kv !== 0) {
    throw new VariantError(
      `"${formatVariant(variant)}": ${kv} K/V heads do not divide the ${shape.heads} query heads (use one of ${divisors(shape.heads).join(', ')})`,
    );
  }
  return kv;
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (n % i === 0) out.push(i);
  return out;
}

/** Tokens each layer runs on: n_l = max(N − r·l, 1) for ToMe, ⌈N·keep^l⌉ for pruning, else N. */
export function tokensPerLayer(variant: AttentionVariant, seq: number, layers: number): number[] {
  return Array.from({ length: layers }, (_, l) => layerTokens(variant, seq, l));
}

function layerTokens(variant: AttentionVariant, seq: number, l: number): number {
  if (variant.kind === 'tome') return Math.max(seq - variant.r * l, 1);
  // The 1e-6 absorbs rounding in N·keep^l (N ≤ 2^20): ⌈100 · 0.7²⌉ is 49, not 50.
  if (variant.kind === 'prune') return Math.max(Math.ceil(seq * variant.keep ** l - 1e-6), 1);
  return seq;
}

/**
 * The (query, key) pairs one head scores at n tokens, the quantity attention FLOPs are 4·pairs·d
 * of: n² for full (and gqa, flash, tome, prune at their n), n²/2 for causal (the convention), and
 * the exact count of the sparse patterns (patterns.ts draws the same sets). Linear attention never
 * forms pairs; it returns n² (every pair interacts through φ(K)ᵀV), not what its FLOPs follow.
 */
export function attendedPairs(variant: AttentionVariant, n: number): number {
  switch (variant.kind) {
    case 'causal':
      return (n * n) / 2;
    case 'sliding':
      return n * Math.min(variant.window, n);
    case 'dilated':
      return dilatedPairs(n, variant.window, variant.dilation);
    case 'global':
      return globalPairs(n, variant.window, variant.globalTokens);
    case 'bigbird': {
      const b = variant.block;
      const globalQueries = Math.min(variant.globalBlocks * b, n);
      const keys = Math.min(n, (3 + variant.randomBlocks + variant.globalBlocks) * b);
      return globalQueries * n + (n - globalQueries) * keys;
    }
    default:
      return n * n;
  }
}

/** Score elements one head materialises in main memory (0 for flash and linear). */
function storedScores(variant: AttentionVariant, n: number): number {
  if (variant.kind === 'flash' || variant.kind === 'linear') return 0;
  if (variant.kind === 'causal') return n * n;
  return attendedPairs(variant, n);
}

/** Queries in residue class ρ number ⌈(n−ρ)/dil⌉; each sees min(w, class size) keys of its class. */
function dilatedPairs(n: number, w: number, dil: number): number {
  const q = Math.floor(n / dil);
  const rem = n % dil;
  return rem * (q + 1) * Math.min(w, q + 1) + (dil - rem) * q * Math.min(w, q);
}

/**
 * Global rows score all n keys; row i ≥ g scores its clamped window [s_i, s_i + w') plus the global
 * keys [0, g), the overlap counted once. s_i is nondecreasing, so the loop stops at the first
 * window clear of the globals (at most n iterations).
 */
function globalPairs(n: number, w: number, g: number): number {
  const gg = Math.min(g, n);
  const ww = Math.min(w, n);
  let pairs = gg * n + (n - gg) * (ww + gg);
  for (let i = gg; i < n; i++) {
    const s = windowStart(i, ww, n);
    if (s >= gg) break;
    pairs -= Math.min(gg - s, ww);
  }
  return pairs;
}

/** First key of query i's window of w keys: centred (i − ⌊w/2⌋ … i + ⌈w/2⌉ − 1), shifted inside [0, n). */
export function windowStart(i: number, w: number, n: number): number {
  return Math.min(Math.max(i - Math.floor(w / 2), 0), n - w);
}

/** FlashAttention's Algorithm 1 tiling and its HBM accesses (elements) for one head. */
export interface FlashIo {
  /** On-chip memory in elements, M. */
  sramElements: number;
  /** Column block size B_c = ⌈M / (4d)⌉. */
  blockCols: number;
  /** Passes over Q and O, T_c = ⌈N / B_c⌉. */
  passes: number;
  /** 3·N·d + 2·N + T_c·(3·N·d + 4·N). */
  elements: number;
}

/** Dao et al. 2022, Algorithm 1 and the proof of Theorem 2 (see the header for the count). */
export function flashIo(n: number, d: number, sramBytes: number, bytesPerElement: number): FlashIo {
  const sramElements = Math.max(Math.floor(sramBytes / bytesPerElement), 1);
  const blockCols = Math.max(Math.ceil(sramElements / (4 * d)), 1);
  const passes = Math.ceil(n / blockCols);
  return { sramElements, blockCols, passes, elements: 3 * n * d + 2 * n + passes * (3 * n * d + 4 * n) };
}

/** Standard attention's HBM accesses (elements) for one head (Dao et al. 2022, Algorithm 0). */
export function standardIoElements(n: number, d: number): number {
  return 4 * n * d + 4 * n * n;
}

/** K/V tokens a decoder keeps for a new token at context n. */
function cacheTokens(variant: AttentionVariant, n: number): number {
  switch (variant.kind) {
    case 'sliding':
      return Math.min(n, variant.window);
    case 'dilated':
      return Math.min(n, (variant.window - 1) * variant.dilation + 1);
    case 'global':
      return Math.min(n, variant.window + variant.globalTokens);
    default:
      return n;
  }
}

interface LayerCost {
  attnFlops: number;
  /** Elements. */
  attnElements: number;
  otherFlops: number;
  activationBytes: number;
  kvCacheBytes: number;
  seconds: number;
  attnSeconds: number;
}

/** Roofline time of a kernel: FLOPs / attainable(FLOPs / bytes) (../bench/roofline.ts). */
function kernelSeconds(flops: number, bytes: number, device: AttentionDevice | undefined): number {
  if (!device || flops === 0) return 0;
  return flops / (attainable(flops / bytes, device.peakGflops, device.bandwidthGBs) * 1e9);
}

/** A GEMM (m×k)·(k×o): 2·m·k·o FLOPs, reading both operands and writing the result once. */
function gemm(m: number, k: number, o: number, e: number, device: AttentionDevice | undefined): { flops: number; seconds: number } {
  const flops = 2 * m * k * o;
  const bytes = e * (m * k + k * o + m * o);
  if (device?.costModel) return { flops, seconds: kernelMs(device.costModel, { kind: 'product', rows: m, n: o, k, bytes }) / 1000 };
  return { flops, seconds: kernelSeconds(flops, bytes, device) };
}

/**
 * The attention core on the calibrated cost model: QKᵀ and P·V as batched products over the
 * keys each query attends (`attnFlops` / (4·B·H·n·d) of them on average), and the rest of its
 * traffic (the scores' softmax, masks) as one memory kernel with an exp per score.
 */
function coreSeconds(device: AttentionDevice & { costModel: NonNullable<AttentionDevice['costModel']> }, attnFlops: number, attnBytes: number, B: number, H: number, n: number, d: number, e: number): number {
  const rows = B * H * n;
  const keys = Math.max(1, attnFlops / (4 * rows * d));
  const operands = e * B * H * (n * d + keys * d + n * keys);
  const qk = kernelMs(device.costModel, { kind: 'product', rows, n: keys, k: d, bytes: operands });
  const pv = kernelMs(device.costModel, { kind: 'product', rows, n: d, k: keys, bytes: operands });
  const rest = kernelMs(device.costModel, { kind: 'memory', bytes: Math.max(0, attnBytes - 2 * operands), ops: 5 * rows * keys, transcendental: true });
  return (qk + pv + rest) / 1000;
}

function layerCost(s: ResolvedShape, variant: AttentionVariant, kv: number, n: number, nextN: number, device: AttentionDevice | undefined): LayerCost {
  const { dModel: h, heads: H, headDim: d, ffn: F, batch: B, bytesPerElement: e } = s;
  const m = B * n;
  const gemms = [
    gemm(m, h, H * d, e, device), // Q
    gemm(m, h, kv * d, e, device), // K
    gemm(m, h, kv * d, e, device), // V
    gemm(m, H * d, h, e, device), // O
    gemm(m, h, F, e, device), // FFN up
    gemm(m, F, h, e, device), // FFN down
  ];
  let otherFlops = gemms.reduce((a, g) => a + g.flops, 0);
  let seconds = gemms.reduce((a, g) => a + g.seconds, 0);

  let attnFlops: number;
  let attnElements: number;
  let scoreBytes: number;
  if (variant.kind === 'linear') {
    attnFlops = B * (kv * 2 * n * d * d + H * (2 * n * d * d + 2 * n * d));
    attnElements = B * (kv * (2 * n * d + d * d + d) + H * (2 * n * d + d * d + d));
    scoreBytes = e * B * (kv * (d * d + d) + n * (H * d + kv * d));
  } else {
    attnFlops = B * H * 4 * attendedPairs(variant, n) * d;
    if (variant.kind === 'flash') {
      attnElements = B * H * flashIo(n, d, device?.sramBytes ?? DEFAULT_SRAM_BYTES, e).elements;
      scoreBytes = B * H * n * 4;
    } else {
      const stored = storedScores(variant, n);
      attnElements = B * (n * d * (2 * H + 2 * kv) + 4 * H * stored);
      scoreBytes = B * H * stored * (2 * e + 1);
    }
  }
  const attnSeconds = device?.costModel
    ? coreSeconds({ ...device, costModel: device.costModel }, attnFlops, attnElements * e, B, H, n, d, e)
    : kernelSeconds(attnFlops, attnElements * e, device);
  seconds += attnSeconds;

  if (variant.kind === 'tome' && nextN < n) {
    // Bipartite soft matching (Bolya et al. 2023 §3): similarity of the ⌈n/2⌉ "A" tokens to the
    // ⌊n/2⌋ "B" tokens over head-averaged keys; keys read once, scores written and read back.
    const a = Math.ceil(n / 2);
    const b = Math.floor(n / 2);
    const flops = 2 * B * a * b * d;
    otherFlops += flops;
    const bytes = e * B * (n * d + 2 * a * b);
    seconds += device?.costModel ? kernelMs(device.costModel, { kind: 'product', rows: B * a, n: b, k: d, bytes }) / 1000 : kernelSeconds(flops, bytes, device);
  }

  const activationBytes = B * n * (e * (4 * h + 2 * H * d + 2 * kv * d + 2 * F) + 2 * h) + scoreBytes;
  const kvCacheBytes = variant.kind === 'linear' ? B * kv * (d * d + d) * e : 2 * B * kv * d * e * cacheTokens(variant, n);
  return { attnFlops, attnElements, otherFlops, activationBytes, kvCacheBytes, seconds, attnSeconds };
}

/**
 * One variant at one sequence length: FLOPs, bytes, memory and (with a device) the roofline time.
 * Without a device predictedSeconds is 0 and `predictedOn` is absent. Throws ShapeError,
 * VariantError or DeviceError naming what is wrong.
 */
export function attentionCost(shape: AttentionShape, variant: AttentionVariant, seq: number, device?: AttentionDevice): AttentionPoint {
  const s = validateShape(shape);
  validateVariant(variant);
  const n0 = validateSeq(seq);
  if (device !== undefined) validateDevice(device);
  return costOfValid(s, variant, effectiveKvHeads(s, variant), n0, device);
}

/**
 * attentionCost for input that is already valid: the shape resolved by validateShape, a variant
 * that passed validateVariant, `kv` from effectiveKvHeads, a seq that passed validateSeq and a
 * validated device. It checks nothing: a sweep validates its input once, then costs every point.
 */
export function costOfValid(s: ResolvedShape, variant: AttentionVariant, kv: number, n0: number, device: AttentionDevice | undefined): AttentionPoint {
  const perLayerVaries = variant.kind === 'tome' || variant.kind === 'prune';

  let attentionFlops = 0;
  let elements = 0;
  let flops = 0;
  let activationBytes = 0;
  let kvCacheBytes = 0;
  let seconds = 0;
  let attnSeconds = 0;
  const add = (c: LayerCost, times: number) => {
    attentionFlops += c.attnFlops * times;
    elements += c.attnElements * times;
    flops += (c.attnFlops + c.otherFlops) * times;
    activationBytes += c.activationBytes * times;
    kvCacheBytes += c.kvCacheBytes * times;
    seconds += c.seconds * times;
    attnSeconds += c.attnSeconds * times;
  };
  if (!perLayerVaries) add(layerCost(s, variant, kv, n0, n0, device), s.layers);
  else {
    // Runs of layers with the same tokens (and the same tokens after them) are costed once and
    // multiplied, so tome:0 and prune:1 give exactly full attention's numbers.
    let run = { n: n0, next: n0, count: 0 };
    for (let l = 0; l < s.layers; l++) {
      const n = layerTokens(variant, n0, l);
      const next = l + 1 < s.layers ? layerTokens(variant, n0, l + 1) : n;
      if (run.count > 0 && (n !== run.n || next !== run.next)) {
        add(layerCost(s, variant, kv, run.n, run.next, device), run.count);
        run = { n, next, count: 0 };
      }
      run = { n, next, count: run.count + 1 };
    }
    add(layerCost(s, variant, kv, run.n, run.next, device), run.count);
  }
  const bytesMoved = elements * s.bytesPerElement;
  const intensity = attentionFlops / bytesMoved;
  const point: AttentionPoint = {
    variant: formatVariant(variant),
    seq: n0,
    flops,
    attentionFlops,
    activationBytes,
    bytesMoved,
    intensity,
    kvCacheBytes,
    predictedSeconds: device ? seconds : 0,
  };
  if (device) {
    point.predictedOn = device.name;
    point.attentionSeconds = attnSeconds;
    point.attentionBound = intensity >= device.peakGflops / device.bandwidthGBs ? 'compute' : 'memory';
  }
  return point;
}
