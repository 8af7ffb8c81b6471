/**
 * Shape rules and costs for ONNX Runtime's LLM contrib ops (com.microsoft; pure; runs anywhere):
 * GroupQueryAttention, RotaryEmbedding, MatMulNBits, GatherBlockQuantized, MoE and QMoE, the ops
 * onnxruntime-genai's model builder writes. Layouts, attributes and defaults follow
 * microsoft/onnxruntime docs/ContribOperators.md (the section named at each op). The counting
 * convention is count.ts's: MACs for the matrix products, otherOps per docs/profiler.md's table
 * ("ONNX Runtime LLM ops"), and where a counter knows better than "every input tensor in full"
 * it returns `bytesRead` (only the KV rows, cache rows, gathered rows or experts it touches) and
 * `weightElems` (the logical number of weights behind a packed initializer, for `params`).
 */
import { tensorBytes } from '../dtype.js';
import { normAxis, numel } from '../tensor-math.js';
import type { OpContext, ShapeRule } from './context.js';

/** A counter's result; `bytesRead` replaces "every distinct input in full", `weightElems` (initializer name → elements) the stored element count in params. */
export interface LlmCost {
  macs: number;
  otherOps: number;
  bytesRead?: number;
  weightElems?: Record<string, number>;
}

/** The per-element rates these ops use (docs/profiler.md mirrors them; count.ts's OTHER_OPS quotes them). */
export const LLM_RATES = {
  /** Per attention score: scale 1 + softmax 5, as com.microsoft Attention. */
  score: 6,
  /** softcap·tanh(x/softcap) per score: div, tanh, mul. */
  softcap: 3,
  /** RoPE per rotated element: x1·cos − x2·sin (or x1·sin + x2·cos): 2 mul + 1 add. */
  rotary: 3,
  /** Dequantisation per weight: (q − zero_point) · scale, as DequantizeLinear. */
  dequant: 2,
  /** RMSNorm per element: square, sum, ×rstd, ×γ (+2 per row), as SimplifiedLayerNormalization. */
  rmsNorm: 4,
} as const;

// ---- helpers ------------------------------------------------------------------------------

function positiveAttr(ctx: OpContext, name: string, def = 0): number {
  const v = ctx.int(name, def);
  if (!Number.isInteger(v) || v < 1) return ctx.fail(`${name} must be ≥ 1 (got ${v})`);
  return v;
}

function bytesOf(ctx: OpContext, i: number, elements?: number): number {
  if (!ctx.has(i)) return 0;
  return tensorBytes(ctx.type(i), elements ?? numel(ctx.shape(i)));
}

/** Bytes of each distinct present input except the slots in `skip`. */
function readExcept(ctx: OpContext, skip: ReadonlySet<number>): number {
  const seen = new Set<string>();
  let total = 0;
  ctx.node.inputs.forEach((name, i) => {
    if (!name || skip.has(i) || seen.has(name)) return;
    seen.add(name);
    total += bytesOf(ctx, i);
  });
  return total;
}

/** Bytes of the first `rows` rows of a 2-D cos/sin cache (absent: 0). */
function cacheRowBytes(ctx: OpContext, i: number, rows: number): number {
  const s = ctx.maybeShape(i);
  if (!s || s.length !== 2) return bytesOf(ctx, i);
  return bytesOf(ctx, i, Math.min(s[0]!, rows) * s[1]!);
}

/** Rotated width: rotary_embedding_dim, else twice the cos cache's width (cache is [max_seq, rot/2]), at most the head. */
function rotaryDim(ctx: OpContext, cosIndex: number, headSize: number): number {
  const attr = ctx.int('rotary_embedding_dim', 0);
  if (attr > 0) return Math.min(attr, headSize);
  const cos = ctx.maybeShape(cosIndex);
  return cos && cos.length === 2 ? Math.min(2 * cos[1]!, headSize) : headSize;
}

// ---- GroupQueryAttention (ContribOperators.md, com.microsoft.GroupQueryAttention) ----------

export interface GqaDims {
  batch: number;
  /** New query tokens. */
  s: number;
  heads: number;
  kvHeads: number;
  headSize: number;
  /** Keys and values in the past cache that are valid (total − new). */
  past: number;
  /** Sequence length of the past_key buffer (max_sequence_length with a shared buffer). */
  pastCap: number;
  /** past + new: total_sequence_length when it is a constant, else pastCap + new. */
  total: number;
  /** present_key/present_value length: max(total, pastCap), as ORT's contrib_ops/cpu/bert/group_query_attention_helper.h computes present_sequence_length. */
  present: number;
}

function gqaHeads(ctx: OpContext, q: number[]): { n: number; nkv: number; headSize: number; kvSeq: number } {
  const n = positiveAttr(ctx, 'num_heads');
  const nkv = positiveAttr(ctx, 'kv_num_heads');
  if (n % nkv) return ctx.fail(`num_heads=${n} is not a multiple of kv_num_heads=${nkv}`);
  const packed = !ctx.has(1);
  const width = packed ? n + 2 * nkv : n;
  if (q[2]! % width) return ctx.fail(`query ${ctx.desc(0)} does not split into ${packed ? `${n}+2·${nkv}` : n} heads`);
  const headSize = q[2]! / width;
  if (packed) return { n, nkv, headSize, kvSeq: q[1]! };
  const k = ctx.shape(1);
  if (k.length !== 3 || k[2] !== nkv * headSize) return ctx.fail(`key ${ctx.desc(1)} must be [batch, kv_sequence, ${nkv * headSize}]`);
  return { n, nkv, headSize, kvSeq: k[1]! };
}

/** query [B,S,N·H] (or packed [B,S,(N+2·Nkv)·H]), key/value [B,L,Nkv·H], past_key/value [B,Nkv,P,H]. */
export function gqaDims(ctx: OpContext): GqaDims {
  const q = ctx.shape(0);
  if (q.length !== 3) return ctx.fail(`query ${ctx.desc(0)} must be [batch, sequence, hidden]`);
  const { n, nkv, headSize, kvSeq } = gqaHeads(ctx, q);
  const pk = ctx.maybeShape(3);
  const pastCap = pk && pk.length === 4 ? pk[2]! : 0;
  const tv = ctx.maybeValue(6);
  const total = tv && tv.length === 1 ? tv[0]! : pastCap + kvSeq;
  if (total < kvSeq) return ctx.fail(`total_sequence_length ${total} is less than the ${kvSeq} new tokens`);
  return { batch: q[0]!, s: q[1]!, heads: n, kvHeads: nkv, headSize, past: total - kvSeq, pastCap, total, present: Math.max(total, pastCap) };
}

/** Σ over j = from+1 … from+count of min(j, cap): the keys each causal query sees (cap: the window). */
export function causalKeys(count: number, from: number, cap: number): number {
  const a = from + 1;
  const b = from + count;
  if (b <= cap) return ((a + b) * count) / 2;
  if (a > cap) return count * cap;
  return ((a + cap) * (cap - a + 1)) / 2 + (b - cap) * cap;
}

/**
 * Keys attended, summed over one head's queries: causal (default `causal=1`) from position
 * total − S, limited to local_window_size keys (itself included) when ≥ 0. Measured on
 * onnxruntime-node 1.30's CPU kernel (src-main/services/zoo/llama.test.ts builds both zoo forms
 * with the same weights): with local_window_size = W, query row W is the first whose output
 * changes, so each query sees W keys, not the W + 1 a reading of gqa_attention_base.h suggests.
 */
export function gqaAttended(ctx: OpContext, d: GqaDims): number {
  if (ctx.int('causal', 1) === 0) return d.s * d.total;
  const w = ctx.int('local_window_size', -1);
  return causalKeys(d.s, d.total - d.s, w >= 0 ? w : d.total);
}

const gqaRule: ShapeRule = (ctx) => {
  const d = gqaDims(ctx);
  const cacheType = ctx.has(3) ? ctx.type(3) : ctx.type(0);
  const present = [d.batch, d.kvHeads, d.present, d.headSize];
  return [
    { shape: [d.batch, d.s, d.heads * d.headSize] },
    { shape: present, type: cacheType },
    { shape: present, type: cacheType },
    { shape: [d.batch, d.heads, d.s, d.total] },
  ];
};

/** Reads q/k/v and the small inputs in full, the valid past K/V rows, and the cos/sin rows of the new positions. */
function gqaBytes(ctx: OpContext, d: GqaDims): number {
  const pastElems = d.batch * d.kvHeads * Math.min(d.past, d.pastCap) * d.headSize;
  const rows = d.batch * d.s;
  return readExcept(ctx, new Set([3, 4, 7, 8])) + bytesOf(ctx, 3, pastElems) + bytesOf(ctx, 4, pastElems)
    + cacheRowBytes(ctx, 7, rows) + cacheRowBytes(ctx, 8, rows);
}

function gqaCost(ctx: OpContext): LlmCost {
  const d = gqaDims(ctx);
  const pairs = d.batch * d.heads * gqaAttended(ctx, d);
  const perScore = LLM_RATES.score + (ctx.has(10) ? 1 : 0) + (ctx.float('softcap', 0) > 0 ? LLM_RATES.softcap : 0);
  const qkRows = d.batch * d.s * (d.heads + d.kvHeads);
  const rotary = ctx.int('do_rotary', 0) ? qkRows * rotaryDim(ctx, 7, d.headSize) * LLM_RATES.rotary : 0;
  const qkNorm = ctx.has(14) && ctx.has(15) ? qkRows * (d.headSize * LLM_RATES.rmsNorm + 2) : 0;
  return { macs: 2 * pairs * d.headSize, otherOps: pairs * perScore + rotary + qkNorm, bytesRead: gqaBytes(ctx, d) };
}

// ---- RotaryEmbedding (ContribOperators.md, com.microsoft.RotaryEmbedding) ------------------

/** input [B,S,hidden] (num_heads, else the cos cache, fixes the head) or [B,N,S,H]; position_ids [B,S] or [1]; cos/sin [max_seq, rot/2]. */
function ropeHead(ctx: OpContext): { headSize: number; s: number } {
  const x = ctx.shape(0);
  if (x.length === 4) return { headSize: x[3]!, s: x[2]! };
  if (x.length !== 3) return ctx.fail(`input ${ctx.desc(0)} must be [batch, sequence, hidden] or [batch, heads, sequence, head]`);
  const n = ctx.int('num_heads', 0);
  const cos = ctx.shape(2);
  const headSize = n > 0 ? x[2]! / n : 2 * cos[1]!;
  if (!Number.isInteger(headSize) || headSize < 1 || x[2]! % headSize) return ctx.fail(`input ${ctx.desc(0)} does not split into heads of ${headSize}`);
  return { headSize, s: x[1]! };
}

const ropeRule: ShapeRule = (ctx) => {
  ropeHead(ctx);
  return [{ shape: ctx.shape(0) }];
};

function ropeCost(ctx: OpContext): LlmCost {
  const x = ctx.shape(0);
  const { headSize, s } = ropeHead(ctx);
  const rotated = (numel(x) / headSize) * rotaryDim(ctx, 2, headSize);
  const pos = ctx.maybeShape(1);
  const rows = pos && numel(pos) > 1 ? numel(pos) : s;
  const bytesRead = readExcept(ctx, new Set([2, 3])) + cacheRowBytes(ctx, 2, rows) + cacheRowBytes(ctx, 3, rows);
  return { macs: 0, otherOps: rotated * LLM_RATES.rotary, bytesRead };
}

// ---- MatMulNBits (ContribOperators.md, com.microsoft.MatMulNBits) ---------------------------

export interface NBitsDims {
  /** Rows of A: every dimension but the last. */
  m: number;
  n: number;
  k: number;
  bits: number;
  blockSize: number;
  out: number[];
}

/** A [..., K]; B uint8 [N, ceil(K/block_size), block_size·bits/8]; scales [N·k_blocks]; zero_points, g_idx, bias [N] optional. */
export function nbitsDims(ctx: OpContext): NBitsDims {
  const k = positiveAttr(ctx, 'K');
  const n = positiveAttr(ctx, 'N');
  const bits = ctx.int('bits', 4);
  const blockSize = ctx.int('block_size', 0);
  if (bits < 2 || bits > 8) return ctx.fail(`bits must be 2 to 8 (got ${bits})`);
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) return ctx.fail(`block_size must be a power of 2 and ≥ 16 (got ${blockSize})`);
  const a = ctx.shape(0);
  if (a.length < 1 || a[a.length - 1] !== k) return ctx.fail(`A ${ctx.desc(0)} must end in K=${k}`);
  const packed = n * Math.ceil(k / blockSize) * ((blockSize * bits) / 8);
  if (numel(ctx.shape(1)) !== packed) return ctx.fail(`B ${ctx.desc(1)} must hold N·ceil(K/block_size)·block_size·bits/8 = ${packed} bytes`);
  return { m: numel(a) / k, n, k, bits, blockSize, out: [...a.slice(0, -1), n] };
}

const nbitsRule: ShapeRule = (ctx) => [{ shape: nbitsDims(ctx).out }];

/** Logical weight count for the packed B; scales, zero points and g_idx are quantisation data, not parameters. */
function zeroParams(ctx: OpContext, slots: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of slots) if (ctx.has(i)) out[ctx.inputName(i)] = 0;
  return out;
}

/**
 * M·N·K MACs; dequantisation 2 per weight, once per call (as DequantizeLinear + MatMul, its
 * unfused form); +1 per output with bias. bits and block_size only shape B (its bytes are its
 * stored uint8 size) — ProfileNode has no field to carry them.
 */
function nbitsCost(ctx: OpContext): LlmCost {
  const d = nbitsDims(ctx);
  const otherOps = d.n * d.k * LLM_RATES.dequant + (ctx.has(5) ? d.m * d.n : 0);
  return { macs: d.m * d.n * d.k, otherOps, weightElems: { ...zeroParams(ctx, [2, 3, 4]), [ctx.inputName(1)]: d.n * d.k } };
}

// ---- GatherBlockQuantized (ContribOperators.md, com.microsoft.GatherBlockQuantized) ---------

interface GbqDims {
  gatherAxis: number;
  /** data's shape with uint8's packed last axis unpacked (8/bits values per byte). */
  logical: number[];
  out: number[];
  gathered: number;
}

/** data [.., V, .., D/pack] (uint8 packs along the last axis), indices any shape, scales like data with blocks on quantize_axis. */
function gbqDims(ctx: OpContext): GbqDims {
  const data = ctx.shape(0);
  const idx = ctx.shape(1);
  const g = normAxis(ctx.int('gather_axis', 0), data.length);
  if (g === null) return ctx.fail(`gather_axis ${ctx.int('gather_axis', 0)} is out of range for data ${ctx.desc(0)}`);
  const bits = ctx.int('bits', 4);
  if (ctx.type(0) === 'uint8' && bits !== 2 && bits !== 4 && bits !== 8) return ctx.fail(`bits must be 2, 4 or 8 (got ${bits})`);
  const pack = ctx.type(0) === 'uint8' ? 8 / bits : 1;
  const logical = data.map((d, i) => (i === data.length - 1 ? d * pack : d));
  return { gatherAxis: g, logical, out: [...logical.slice(0, g), ...idx, ...logical.slice(g + 1)], gathered: numel(idx) };
}

const gbqRule: ShapeRule = (ctx) => [{ shape: gbqDims(ctx).out, type: ctx.type(2) }];

/** Bytes of the slices of input i gathered along the axis (a scale dimension of 1 broadcasts: read whole). */
function gatheredBytes(ctx: OpContext, i: number, d: GbqDims): number {
  if (!ctx.has(i)) return 0;
  const s = ctx.shape(i);
  const along = s[d.gatherAxis] ?? 1;
  if (along <= 1) return bytesOf(ctx, i);
  return bytesOf(ctx, i, (numel(s) / along) * Math.min(d.gathered, along));
}

/** Dequantises each gathered element (2 ops); reads the indices and the gathered packed rows, scales and zero points. */
function gbqCost(ctx: OpContext): LlmCost {
  const d = gbqDims(ctx);
  const bytesRead = bytesOf(ctx, 1) + gatheredBytes(ctx, 0, d) + gatheredBytes(ctx, 2, d) + gatheredBytes(ctx, 3, d);
  return { macs: 0, otherOps: numel(d.out) * LLM_RATES.dequant, bytesRead, weightElems: { ...zeroParams(ctx, [2, 3]), [ctx.inputName(0)]: numel(d.logical) } };
}

// ---- MoE / QMoE (ContribOperators.md, com.microsoft.MoE and com.microsoft.QMoE) -------------

interface MoeSlots { fc1: number; fc2: number; fc3: number; biases: [number, number, number]; quant: number[] }
const MOE: MoeSlots = { fc1: 2, fc2: 4, fc3: 6, biases: [3, 5, 7], quant: [] };
/** QMoE: fc*_scales at 3, 6, 9 and fc*_zero_points at 11–13 are quantisation data. */
const QMOE: MoeSlots = { fc1: 2, fc2: 5, fc3: 8, biases: [4, 7, 10], quant: [3, 6, 9, 11, 12, 13] };

interface MoeDims { tokens: number; hidden: number; inter: number; fc1Rows: number; experts: number; k: number; fc3: boolean; pack: number }

/** Weights stored per byte: QMoE uint8 holds 8/expert_weight_bits (fp4 modes 2); float weights 1. */
function moePack(ctx: OpContext, slots: MoeSlots): number {
  if (slots === MOE || ctx.type(slots.fc1) !== 'uint8') return 1;
  const q = ctx.string('quant_type', 'int');
  if (q === 'fp4' || q === 'nvfp4' || q === 'wfp4afp8') return 2;
  const bits = ctx.int('expert_weight_bits', 4);
  return bits === 2 || bits === 4 || bits === 8 ? 8 / bits : ctx.fail(`expert_weight_bits must be 2, 4 or 8 (got ${bits})`);
}

/** input [T,H] or [B,S,H]; router_probs [T,E]; fc1 [E, fusion·I, H/pack], fc2 [E, H, I/pack], fc3 [E, I, H/pack] optional. */
function moeDims(ctx: OpContext, slots: MoeSlots): MoeDims {
  const x = ctx.shape(0);
  const hidden = x[x.length - 1] ?? 0;
  const fc1 = ctx.shape(slots.fc1);
  const fc2 = ctx.shape(slots.fc2);
  const pack = moePack(ctx, slots);
  const experts = fc1[0] ?? 0;
  if (fc1.length !== 3 || fc2.length !== 3 || fc1[2]! * pack !== hidden || fc2[1] !== hidden || fc2[0] !== experts) {
    return ctx.fail(`expert weights ${ctx.desc(slots.fc1)} and ${ctx.desc(slots.fc2)} do not fit hidden size ${hidden}`);
  }
  const k = ctx.int('k', 1);
  if (k < 1 || k > experts) return ctx.fail(`k=${k} must be from 1 to the ${experts} experts`);
  return { tokens: numel(x) / hidden, hidden, inter: fc2[2]! * pack, fc1Rows: fc1[1]!, experts, k, fc3: ctx.has(slots.fc3), pack };
}

const moeRule = (slots: MoeSlots): ShapeRule => (ctx) => {
  moeDims(ctx, slots);
  return [{ shape: ctx.shape(0) }];
};

/** Per intermediate element: relu 1, gelu 5 (exact), silu 5 (sigmoid 4 + mul), swiglu 8 (αG, sigmoid 4, ×G, L+β, ×) +3 clamps with swiglu_limit, identity 0. */
function moeActivation(ctx: OpContext, fc3: boolean): number {
  const type = ctx.string('activation_type', 'relu');
  const rates: Record<string, number> = { relu: 1, gelu: 5, silu: 5, swiglu: 8, identity: 0 };
  const rate = rates[type] ?? 1;
  if (type === 'swiglu') return rate + (ctx.attr('swiglu_limit') ? 3 : 0);
  return rate + (fc3 ? 1 : 0); // act(fc1)·fc3: the gate multiply
}

/** Per token: softmax 5 + top-k pass 1 per expert, normalise 2 per chosen expert, and the weighted sum of k outputs (k muls, k−1 adds per hidden). */
function moeRouting(ctx: OpContext, d: MoeDims): number {
  const normalize = ctx.int('normalize_routing_weights', 0) ? 2 * d.k : 0;
  return d.experts * 6 + normalize + (2 * d.k - 1) * d.hidden;
}

/** Reads the input and router in full and, of each expert-indexed tensor, the experts the tokens can reach: min(E, tokens·k). */
function moeBytes(ctx: OpContext, d: MoeDims): number {
  const used = Math.min(d.experts, d.tokens * d.k);
  const seen = new Set<string>();
  let total = 0;
  ctx.node.inputs.forEach((name, i) => {
    if (!name || seen.has(name)) return;
    seen.add(name);
    const b = bytesOf(ctx, i);
    total += i >= 2 && ctx.shape(i)[0] === d.experts ? Math.ceil((b * used) / d.experts) : b;
  });
  return total;
}

function moeWeights(ctx: OpContext, slots: MoeSlots, pack: number): Record<string, number> | undefined {
  if (slots === MOE) return undefined;
  const out = zeroParams(ctx, slots.quant);
  for (const i of [slots.fc1, slots.fc2, slots.fc3]) if (ctx.has(i)) out[ctx.inputName(i)] = numel(ctx.shape(i)) * pack;
  return out;
}

/**
 * MACs: each token through its k experts: H·fc1Rows (fc1, both SwiGLU halves when fused) +
 * I·H (fc2) + H·I (fc3 when present). The router logits are the MatMul before the op (counted
 * there). otherOps: activation and bias adds per token and expert, routing per token, and for
 * QMoE dequantisation (2 per weight) of each reachable expert once.
 */
const moeCost = (slots: MoeSlots) => (ctx: OpContext): LlmCost => {
  const d = moeDims(ctx, slots);
  const perExpert = d.hidden * d.fc1Rows + d.inter * d.hidden + (d.fc3 ? d.hidden * d.inter : 0);
  const [b1, b2, b3] = slots.biases.map((i) => ctx.has(i));
  const bias = (b1 ? d.fc1Rows : 0) + (b2 ? d.hidden : 0) + (b3 ? d.inter : 0);
  const expertOps = d.tokens * d.k * (d.inter * moeActivation(ctx, d.fc3) + bias);
  const dequant = slots === MOE ? 0 : Math.min(d.experts, d.tokens * d.k) * perExpert * LLM_RATES.dequant;
  const otherOps = expertOps + d.tokens * moeRouting(ctx, d) + dequant;
  return { macs: d.tokens * d.k * perExpert, otherOps, bytesRead: moeBytes(ctx, d), weightElems: moeWeights(ctx, slots, d.pack) };
};

// ---- registries ----------------------------------------------------------------------------

export const llmRules: Record<string, ShapeRule> = {
  GroupQueryAttention: gqaRule,
  RotaryEmbedding: ropeRule,
  MatMulNBits: nbitsRule,
  GatherBlockQuantized: gbqRule,
  MoE: moeRule(MOE),
  QMoE: moeRule(QMOE),
};

export const llmCounters: Record<string, (ctx: OpContext) => LlmCost> = {
  GroupQueryAttention: gqaCost,
  RotaryEmbedding: ropeCost,
  MatMulNBits: nbitsCost,
  GatherBlockQuantized: gbqCost,
  MoE: moeCost(MOE),
  QMoE: moeCost(QMOE),
};
