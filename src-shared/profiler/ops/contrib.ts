/**
 * Shape rules for the com.microsoft contrib ops that ONNX Runtime's transformer optimiser
 * writes (pure; runs anywhere): Attention (packed QKV projection + attention),
 * MultiHeadAttention (already-projected Q, K, V), SkipLayerNormalization,
 * SkipSimplifiedLayerNormalization, EmbedLayerNormalization, BiasGelu, FastGelu, QuickGelu,
 * Gelu, BiasAdd, FusedConv and FusedMatMul. Layouts per onnxruntime/docs/ContribOperators.md.
 * The LLM ops (GroupQueryAttention, RotaryEmbedding, MatMulNBits, GatherBlockQuantized, MoE,
 * QMoE) are in contrib-llm.ts. Other contrib ops have no rule: their outputs come from
 * value_info when present, and they are reported as uncounted.
 */
import type { OpContext, ShapeRule } from './context.js';
import { fusedConvRule } from './conv.js';
import { broadcasting, unary } from './elementwise.js';
import { fusedMatMulRule } from './matmul.js';

/** The sizes that fix an attention block's cost. */
export interface AttentionDims {
  batch: number;
  /** Query length. */
  s: number;
  /** Key/value length, past included. */
  l: number;
  heads: number;
  /** Per-head size of Q and K, and of V. */
  dqk: number;
  dv: number;
  /** Attention's packed input projection: input hidden size and total Q+K+V width (0 for MultiHeadAttention). */
  projIn: number;
  projOut: number;
  /** Present-state (KV cache) length output, or null when no present output. */
  present: number | null;
}

function heads(ctx: OpContext): number {
  const n = ctx.int('num_heads', 0);
  if (n < 1) return ctx.fail('num_heads must be ≥ 1');
  return n;
}

/** com.microsoft Attention: input [B,S,Hin] · weights [Hin, Hq+Hk+Hv] (+bias), past [2,B,N,P,H]. */
export function attentionDims(ctx: OpContext): AttentionDims {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  const n = heads(ctx);
  if (x.length !== 3) return ctx.fail(`input ${ctx.desc(0)} must be [batch, sequence, hidden]`);
  if (w.length !== 2 || w[0] !== x[2]) return ctx.fail(`weights ${ctx.desc(1)} must be [${x[2]}, q+k+v hidden]`);
  const sizes = ctx.ints('qkv_hidden_sizes') ?? [w[1]! / 3, w[1]! / 3, w[1]! / 3];
  const [hq, hk, hv] = sizes as [number, number, number];
  if (sizes.length !== 3 || hq + hk + hv !== w[1] || hq % n || hv % n || hq !== hk) {
    ctx.fail(`weights ${ctx.desc(1)} do not split into Q, K, V for ${n} heads (qkv_hidden_sizes ${sizes.join(',')})`);
  }
  const past = ctx.maybeShape(4);
  const p = past && past.length === 5 ? past[3]! : 0;
  return {
    batch: x[0]!, s: x[1]!, l: x[1]! + p, heads: n, dqk: hq / n, dv: hv / n, projIn: x[2]!, projOut: w[1]!,
    present: ctx.node.outputs.length > 1 && ctx.node.outputs[1] ? x[1]! + p : null,
  };
}

/** com.microsoft MultiHeadAttention: query [B,S,D] or packed [B,S,N,3,H]; key [B,L,D], [B,N,L,H] or packed [B,L,N,2,H]. */
export function mhaDims(ctx: OpContext): AttentionDims {
  const q = ctx.shape(0);
  const n = heads(ctx);
  let b: number, s: number, dqk: number, dv: number, l: number;
  let kvPast = true;
  if (q.length === 5) {
    [b, s] = [q[0]!, q[1]!];
    dqk = q[4]!;
    dv = q[4]!;
    l = s;
  } else if (q.length === 3) {
    [b, s] = [q[0]!, q[1]!];
    if (q[2]! % n) return ctx.fail(`query ${ctx.desc(0)} hidden size is not divisible by num_heads=${n}`);
    dqk = q[2]! / n;
    const k = ctx.shape(1);
    if (k.length === 3) l = k[1]!;
    else if (k.length === 4) { l = k[2]!; kvPast = false; }
    else if (k.length === 5) l = k[1]!;
    else return ctx.fail(`key ${ctx.desc(1)} has an unsupported layout`);
    const v = ctx.maybeShape(2);
    dv = v && v.length === 3 ? v[2]! / n : v && v.length === 4 ? v[3]! : dqk;
  } else return ctx.fail(`query ${ctx.desc(0)} has an unsupported layout`);
  const past = ctx.maybeShape(6);
  if (kvPast && past && past.length === 4) l += past[2]!;
  return {
    batch: b, s, l, heads: n, dqk, dv, projIn: 0, projOut: 0,
    present: ctx.node.outputs.length > 1 && ctx.node.outputs[1] ? l : null,
  };
}

const attentionRule = (dimsOf: (ctx: OpContext) => AttentionDims): ShapeRule => (ctx) => {
  const d = dimsOf(ctx);
  const out = [{ shape: [d.batch, d.s, d.heads * d.dv] }];
  if (d.present === null) return out;
  if (ctx.node.opType === 'Attention') return [...out, { shape: [2, d.batch, d.heads, d.present, d.dqk] }];
  return [...out, { shape: [d.batch, d.heads, d.present, d.dqk] }, { shape: [d.batch, d.heads, d.present, d.dv] }];
};

/** Skip(Simplified)LayerNormalization: output, mean, inv_std_var, input_skip_bias_sum. */
const skipLayerNormRule: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const skip = ctx.shape(1);
  if (skip.length > x.length || skip.some((d, i) => d !== x[x.length - skip.length + i] && d !== 1)) {
    ctx.fail(`skip ${ctx.desc(1)} does not match input ${ctx.desc(0)}`);
  }
  const stats = x.map((d, i) => (i === x.length - 1 ? 1 : d));
  return [{ shape: x }, { shape: stats, type: 'float32' }, { shape: stats, type: 'float32' }, { shape: x }];
};

/** EmbedLayerNormalization: input_ids [B,S] → [B,S,H] (word_embedding [V,H]), mask_index [B], embedding_sum. */
const embedLayerNormRule: ShapeRule = (ctx) => {
  const ids = ctx.shape(0);
  const we = ctx.shape(2);
  if (ids.length !== 2 || we.length !== 2) return ctx.fail(`input_ids ${ctx.desc(0)} and word_embedding ${ctx.desc(2)} must be 2-D`);
  const out = [ids[0]!, ids[1]!, we[1]!];
  return [{ shape: out, type: ctx.type(2) }, { shape: [ids[0]!], type: 'int32' }, { shape: out, type: ctx.type(2) }];
};

export const contribRules: Record<string, ShapeRule> = {
  Attention: attentionRule(attentionDims),
  MultiHeadAttention: attentionRule(mhaDims),
  SkipLayerNormalization: skipLayerNormRule,
  SkipSimplifiedLayerNormalization: skipLayerNormRule,
  EmbedLayerNormalization: embedLayerNormRule,
  BiasGelu: broadcasting(),
  FastGelu: broadcasting(),
  BiasAdd: broadcasting(),
  QuickGelu: unary(),
  Gelu: unary(),
  FusedConv: fusedConvRule,
  FusedMatMul: fusedMatMulRule,
};
