/**
 * Zoo family: a Llama-style decoder (Node main process / CLI), in plain opset-17 ops with a K/V
 * cache, so one graph family serves prefill (past 0, sequence P) and decode (past D, sequence 1).
 *
 * Sources: Touvron et al. 2023, "Llama 2: Open Foundation and Fine-Tuned Chat Models" (pre-norm
 * RMSNorm, SwiGLU FFN, RoPE, grouped-query attention, untied LM head); Ainslie et al. 2023, "GQA:
 * Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints" (kv_heads K/V
 * heads shared by heads / kv_heads query heads each); Su et al. 2021, "RoFormer: Enhanced
 * Transformer with Rotary Position Embedding" (RoPE, here in the rotate-half form of Hugging Face
 * transformers' modeling_llama.py, θ = 10000); Jiang et al. 2024, "Mixtral of Experts" (experts > 0:
 * softmax router, top-2, renormalised gates, SwiGLU experts); Jiang et al. 2023, "Mistral 7B"
 * (window > 0: sliding-window attention).
 *
 * Graph: Gather(embed_tokens) → depth × [x + attn(rms(x)), x + ffn(rms(x))] → rms → lm_head.
 * - RMSNorm: x · 1/√(mean(x²) + 1e-5) · w as Pow, ReduceMean, Add, Sqrt, Div, Mul (the fused
 *   SimplifiedLayerNormalization is an ONNX Runtime contrib op; llama-int4 uses it).
 * - Attention: q/k/v projections without bias; RoPE on q and k at absolute positions past..past+S-1
 *   (cos/sin tables of `context` rows, Gathered by position; they are Constant nodes, not
 *   initializers — HF keeps them as buffers, not parameters); k and v (after RoPE) are appended to
 *   the cache (Concat on axis 2) and returned as present_key.i / present_value.i; then repeated to
 *   the query heads (Unsqueeze → Expand → Reshape, HF's repeat_kv); softmax(q·kᵀ/√hd + mask)·v with
 *   a causal mask over absolute positions (key j > query i is masked) and, with window W > 0, keys
 *   j ≤ i − W masked too (each query sees its last W tokens, itself included); o_proj.
 * - FFN: down(silu(gate(x)) ⊙ up(x)); with experts E > 0 a Mixtral MoE: router → Softmax → TopK(2)
 *   → gates renormalised to sum 1; the graph computes all E experts and gates them (as in
 *   moe-transformer: ONNX has no sparse dispatch).
 * Inputs: input_ids [batch, sequence] int64 and, when past > 0, past_key.i / past_value.i
 * [batch, kv_heads, past, head_dim] with a SYMBOLIC "past" dim, so one session runs every decode
 * step (and past length 0 for the first prompt). Outputs: logits [batch, sequence, vocab] and
 * present_key.i / present_value.i [batch, kv_heads, past + sequence, head_dim].
 *
 * Parameters (d = width, L = depth, hd = d / heads, kv = kv_heads · hd, f = ffn, V = vocab):
 *   2·V·d + d + L·(2·d + 2·d² + 2·d·kv + 3·d·f)       dense
 *   2·V·d + d + L·(2·d + 2·d² + 2·d·kv + E·3·d·f + d·E)  experts = E > 0
 * At Llama-2-7B's shape (d 4096, L 32, heads = kv_heads 32, f 11008, V 32000) this gives
 * 6,738,415,616 = HF LlamaForCausalLM num_parameters(); at Mixtral-8x7B's (kv_heads 8, f 14336,
 * E 8) 46,702,792,704 (HF MixtralForCausalLM). Module names map to HF's as blocks.N ↔
 * model.layers.N, attn ↔ self_attn, attn_norm ↔ input_layernorm, ffn_norm ↔
 * post_attention_layernorm, mlp.{gate,up,down}_proj ↔ mlp.{gate,up,down}_proj (Mixtral:
 * block_sparse_moe.experts.e.{w1,w3,w2}), norm ↔ model.norm; weights are stored [in, out].
 */
import { TensorDataType } from '../onnx/onnx-schema.js';
import { constant, uniformStd, ZooGraph } from './graph.js';
import { invalidOption, num, SEED_OPTION } from './options.js';
import type { MoeAccounting, ResolvedOptions, ZooDefinition, ZooOption } from './types.js';

export const RMS_EPSILON = 1e-5;
export const ROPE_THETA = 10000;
/** Weight std, HF LlamaConfig.initializer_range. */
export const INIT_STD = 0.02;

/** Options shared by llama and llama-int4 (llama-int4 leaves out experts). */
export function llamaOptions(withExperts: boolean): ZooOption[] {
  const options: ZooOption[] = [
    { name: 'width', default: 512, min: 8, max: 16384, integer: true, help: 'Hidden size d (hidden_size); a multiple of heads, with an even head dim.' },
    { name: 'depth', default: 4, min: 1, max: 128, integer: true, help: 'Decoder layers (num_hidden_layers).' },
    { name: 'heads', default: 8, min: 1, max: 256, integer: true, help: 'Query heads (num_attention_heads).' },
    { name: 'kv_heads', default: 2, min: 1, max: 256, integer: true, help: 'K/V heads (num_key_value_heads); must divide heads (grouped-query attention; = heads is multi-head).' },
    { name: 'ffn', default: 1408, min: 1, max: 131072, integer: true, help: 'SwiGLU hidden size (intermediate_size).' },
    { name: 'vocab', default: 4096, min: 2, max: 1_000_000, integer: true, help: 'Vocabulary size (embedding and untied LM head).' },
    { name: 'sequence', default: 128, min: 1, max: 131072, integer: true, help: 'New tokens per call: default binding of the symbolic "sequence" dim (a prompt length, or 1 for decode).' },
    { name: 'past', default: 0, min: 0, max: 131072, integer: true, help: 'K/V cache tokens. 0: no past inputs (a prefill graph). > 0: past_key.i / past_value.i inputs with a symbolic "past" dim bound to this value; the graph then accepts any cache length (0 included).' },
    { name: 'context', default: 4096, min: 1, max: 131072, integer: true, help: 'Longest past + sequence: rows of the RoPE cos/sin tables (max_position_embeddings).' },
  ];
  if (withExperts) options.push({ name: 'experts', default: 0, min: 0, max: 256, integer: true, help: '0: dense SwiGLU FFN. E > 0: Mixtral-style MoE with E SwiGLU experts and top-2 routing (top-1 when E = 1).' });
  options.push(
    { name: 'window', default: 0, min: 0, max: 131072, integer: true, help: '0: full causal attention. W > 0: sliding window, each token attends to its last W tokens (itself included).' },
    SEED_OPTION,
  );
  return options;
}

export interface LlamaShape {
  d: number; layers: number; heads: number; kvHeads: number; headDim: number; ffn: number; vocab: number;
  sequence: number; past: number; context: number; experts: number; window: number;
}

/** Reads and cross-checks the options shared by both forms. */
export function llamaShape(model: string, o: ResolvedOptions): LlamaShape {
  const d = num(o, 'width');
  const heads = num(o, 'heads');
  const kvHeads = num(o, 'kv_heads');
  const sequence = num(o, 'sequence');
  const past = num(o, 'past');
  const context = num(o, 'context');
  if (d % heads !== 0) throw invalidOption(model, 'width', `must be a multiple of heads (${heads}); got ${d}`);
  if ((d / heads) % 2 !== 0) throw invalidOption(model, 'width', `/ heads (the head dim) must be even for RoPE; got ${d} / ${heads}`);
  if (heads % kvHeads !== 0) throw invalidOption(model, 'kv_heads', `must divide heads (${heads}); got ${kvHeads}`);
  if (past + sequence > context) throw invalidOption(model, 'context', `must be at least past + sequence (${past + sequence}); got ${context}`);
  return {
    d, layers: num(o, 'depth'), heads, kvHeads, headDim: d / heads, ffn: num(o, 'ffn'), vocab: num(o, 'vocab'),
    sequence, past, context, experts: o['experts'] === undefined ? 0 : num(o, 'experts'), window: num(o, 'window'),
  };
}

/** The closed-form parameter count (see the header); both forms have exactly this many weights. */
export function llamaParams(s: Pick<LlamaShape, 'd' | 'layers' | 'headDim' | 'kvHeads' | 'ffn' | 'vocab' | 'experts'>): number {
  const kv = s.kvHeads * s.headDim;
  const ffn = s.experts > 0 ? s.experts * 3 * s.d * s.ffn + s.d * s.experts : 3 * s.d * s.ffn;
  return 2 * s.vocab * s.d + s.d + s.layers * (2 * s.d + 2 * s.d * s.d + 2 * s.d * kv + ffn);
}

/** RoPE tables cos/sin(p · θ^(−2i/hd)), p < rows, i < hd/2, as [rows, hd/2] Constant nodes (not parameters). */
export function ropeTables(g: ZooGraph, rows: number, headDim: number): { cos: string; sin: string } {
  const half = headDim / 2;
  const cos = new Array<number>(rows * half);
  const sin = new Array<number>(rows * half);
  for (let i = 0; i < half; i++) {
    const invFreq = Math.fround(1 / ROPE_THETA ** ((2 * i) / headDim));
    for (let p = 0; p < rows; p++) {
      cos[p * half + i] = Math.cos(p * invFreq);
      sin[p * half + i] = Math.sin(p * invFreq);
    }
  }
  const table = (name: string, values: number[]) => g.op('Reshape', `rope.${name}_table`, [
    g.op('Constant', `rope.${name}_values`, [], [{ name: 'value_floats', type: 'floats', value: values }]),
    g.ints([rows, half]),
  ]);
  return { cos: table('cos', cos), sin: table('sin', sin) };
}

/** RMSNorm from plain ops: x / √(mean(x²) + ε) · w. */
function rmsNorm(g: ZooGraph, name: string, x: string, d: number): string {
  const sq = g.op('Pow', `${name}.pow`, [x, g.float(2)]);
  const mean = g.op('ReduceMean', `${name}.mean`, [sq], [{ name: 'axes', type: 'ints', value: [-1] }, { name: 'keepdims', type: 'int', value: 1 }]);
  const rms = g.op('Sqrt', `${name}.sqrt`, [g.op('Add', `${name}.add_eps`, [mean, g.float(RMS_EPSILON)])]);
  const normed = g.op('Div', `${name}.div`, [x, rms]);
  return g.op('Mul', name, [normed, g.param(`${name}.weight`, [d], constant(1))]);
}

/** A bias-free Linear, weight [in, out] drawn N(0, 0.02)-like. */
function proj(g: ZooGraph, name: string, x: string, fin: number, fout: number, output?: string): string {
  return g.op('MatMul', name, [x, g.param(`${name}.weight`, [fin, fout], uniformStd(INIT_STD))], [], output);
}

interface Positions {
  /** cos / sin of each new token's position, [S, hd] (each half-table repeated twice). */
  cos: string;
  sin: string;
  /** Additive mask [S, past + S]: 0 where a query may attend, −1e9 where not. */
  mask: string;
}

/** Absolute positions past..past+S−1, their RoPE rows and the causal (+ window) mask, built once. */
function positions(g: ZooGraph, ids: string, pastKey: string | null, s: LlamaShape): Positions {
  const seq = g.op('Gather', 'positions.sequence', [g.op('Shape', 'positions.ids_shape', [ids]), g.int(1)], [{ name: 'axis', type: 'int', value: 0 }]);
  const past = pastKey
    ? g.op('Gather', 'positions.past', [g.op('Shape', 'positions.past_shape', [pastKey]), g.int(2)], [{ name: 'axis', type: 'int', value: 0 }])
    : g.int(0);
  const total = g.op('Add', 'positions.total', [past, seq]);
  const q = g.op('Range', 'positions.query', [past, total, g.int(1)]); // [S]
  const k = g.op('Range', 'positions.key', [g.int(0), total, g.int(1)]); // [T]
  const rows = g.op('Unsqueeze', 'positions.query_rows', [q, g.ints([1])]); // [S, 1]
  const cols = g.op('Unsqueeze', 'positions.key_cols', [k, g.ints([0])]); // [1, T]
  let masked = g.op('Greater', 'mask.future', [cols, rows]);
  if (s.window > 0) {
    const oldest = g.op('Sub', 'mask.window_start', [rows, g.int(s.window)]);
    masked = g.op('Or', 'mask.or_window', [masked, g.op('LessOrEqual', 'mask.outside_window', [cols, oldest])]);
  }
  const mask = g.op('Where', 'mask.additive', [masked, g.float(-1e9), g.float(0)]);
  const tables = ropeTables(g, s.context, s.headDim);
  const rope = (name: 'cos' | 'sin') => {
    const half = g.op('Gather', `rope.${name}`, [tables[name], q], [{ name: 'axis', type: 'int', value: 0 }]); // [S, hd/2]
    return g.op('Concat', `rope.${name}_full`, [half, half], [{ name: 'axis', type: 'int', value: -1 }]);
  };
  return { cos: rope('cos'), sin: rope('sin'), mask };
}

/** x · cos + rotate_half(x) · sin, rotate_half(x) = [−x₂, x₁] (HF apply_rotary_pos_emb). */
function applyRope(g: ZooGraph, name: string, x: string, p: Positions, headDim: number, output?: string): string {
  const [x1, x2] = g.opN('Split', `${name}.split`, [x, g.ints([headDim / 2, headDim / 2])], 2, [{ name: 'axis', type: 'int', value: -1 }]) as [string, string];
  const rotated = g.op('Concat', `${name}.rotate_half`, [g.op('Neg', `${name}.neg`, [x2]), x1], [{ name: 'axis', type: 'int', value: -1 }]);
  return g.op('Add', name, [g.op('Mul', `${name}.mul_cos`, [x, p.cos]), g.op('Mul', `${name}.mul_sin`, [rotated, p.sin])], [], output);
}

/** Grouped-query self-attention with the K/V cache; returns the o_proj output. */
function attention(g: ZooGraph, prefix: string, x: string, i: number, past: { key: string; value: string } | null, p: Positions, s: LlamaShape): string {
  const { d, heads, kvHeads, headDim } = s;
  const kvd = kvHeads * headDim;
  const split = (t: string, name: string, h: number, output?: string) => g.op('Transpose', `${prefix}.${name}_transpose`, [
    g.op('Reshape', `${prefix}.${name}_reshape`, [t, g.ints([0, 0, h, headDim])]),
  ], [{ name: 'perm', type: 'ints', value: [0, 2, 1, 3] }], output);
  const q = applyRope(g, `${prefix}.q_rope`, split(proj(g, `${prefix}.q_proj`, x, d, d), 'q', heads), p, headDim); // [B, H, S, hd]
  const kNew = split(proj(g, `${prefix}.k_proj`, x, d, kvd), 'k', kvHeads);
  const vNew = split(proj(g, `${prefix}.v_proj`, x, d, kvd), 'v', kvHeads, past ? undefined : `present_value.${i}`);
  const kRope = applyRope(g, `${prefix}.k_rope`, kNew, p, headDim, past ? undefined : `present_key.${i}`);
  const cat = (cache: string, fresh: string, name: string) => g.op('Concat', `${prefix}.${name}_cache`, [cache, fresh], [{ name: 'axis', type: 'int', value: 2 }], `present_${name}.${i}`);
  const k = past ? cat(past.key, kRope, 'key') : kRope; // [B, KVH, T, hd]
  const v = past ? cat(past.value, vNew, 'value') : vNew;
  const rep = heads / kvHeads;
  const repeat = (t: string, name: string) => rep === 1 ? t : g.op('Reshape', `${prefix}.${name}_repeat`, [
    g.op('Expand', `${prefix}.${name}_expand`, [g.op('Unsqueeze', `${prefix}.${name}_unsqueeze`, [t, g.ints([2])]), g.ints([1, 1, rep, 1, 1])]),
    g.ints([0, heads, -1, headDim]),
  ]);
  const kt = g.op('Transpose', `${prefix}.k_transpose_t`, [repeat(k, 'k')], [{ name: 'perm', type: 'ints', value: [0, 1, 3, 2] }]);
  let scores = g.op('MatMul', `${prefix}.scores`, [q, kt]); // [B, H, S, T]
  scores = g.op('Mul', `${prefix}.scale`, [scores, g.float(1 / Math.sqrt(headDim))]);
  scores = g.op('Add', `${prefix}.mask`, [scores, p.mask]);
  const probs = g.op('Softmax', `${prefix}.softmax`, [scores], [{ name: 'axis', type: 'int', value: -1 }]);
  const ctx = g.op('MatMul', `${prefix}.context`, [probs, repeat(v, 'v')]); // [B, H, S, hd]
  const merged = g.op('Reshape', `${prefix}.merge_reshape`, [
    g.op('Transpose', `${prefix}.merge_transpose`, [ctx], [{ name: 'perm', type: 'ints', value: [0, 2, 1, 3] }]),
    g.ints([0, 0, d]),
  ]);
  return proj(g, `${prefix}.o_proj`, merged, d, d);
}

/** SwiGLU: down(silu(gate(x)) ⊙ up(x)). */
function swiglu(g: ZooGraph, prefix: string, x: string, d: number, f: number, names = { gate: 'gate_proj', up: 'up_proj', down: 'down_proj' }): string {
  const gate = proj(g, `${prefix}.${names.gate}`, x, d, f);
  const act = g.op('Mul', `${prefix}.act`, [gate, g.op('Sigmoid', `${prefix}.act.sigmoid`, [gate])]);
  const up = proj(g, `${prefix}.${names.up}`, x, d, f);
  return proj(g, `${prefix}.${names.down}`, g.op('Mul', `${prefix}.mul`, [act, up]), f, d);
}

/** Mixtral sparse MoE block, all experts computed and gated; returns the output and the expert weights added. */
function moe(g: ZooGraph, prefix: string, x: string, s: LlamaShape): { out: string; expertParams: number } {
  const E = s.experts;
  const k = Math.min(2, E);
  const probs = g.op('Softmax', `${prefix}.softmax`, [proj(g, `${prefix}.router`, x, s.d, E)], [{ name: 'axis', type: 'int', value: -1 }]);
  const [topv, topi] = g.opN('TopK', `${prefix}.topk`, [probs, g.ints([k])], 2, [
    { name: 'axis', type: 'int', value: -1 }, { name: 'largest', type: 'int', value: 1 }, { name: 'sorted', type: 'int', value: 1 },
  ]) as [string, string];
  const norm = g.op('ReduceSum', `${prefix}.topk_sum`, [topv, g.ints([-1])], [{ name: 'keepdims', type: 'int', value: 1 }]);
  const weights = g.op('Div', `${prefix}.topk_normalize`, [topv, norm]);
  const zeros = g.op('ConstantOfShape', `${prefix}.gates_zeros`, [g.op('Shape', `${prefix}.gates_shape`, [probs])]);
  const gates = g.op('ScatterElements', `${prefix}.gates`, [zeros, topi, weights], [{ name: 'axis', type: 'int', value: -1 }]); // [B, S, E]
  const before = g.params;
  const outs: string[] = [];
  for (let e = 0; e < E; e++) {
    const xp = `${prefix}.expert${e}`;
    const gate = g.op('Slice', `${xp}.gate_select`, [gates, g.ints([e]), g.ints([e + 1]), g.ints([-1])]);
    outs.push(g.op('Mul', `${xp}.gate`, [swiglu(g, xp, x, s.d, s.ffn, { gate: 'w1', up: 'w3', down: 'w2' }), gate]));
  }
  return { out: E === 1 ? outs[0]! : g.op('Sum', `${prefix}.combine`, outs), expertParams: g.params - before };
}

/** Each layer's K/V cache inputs ([batch, kv_heads, past, head_dim], past symbolic) when the model takes a cache; none for a prefill-only graph. */
export function pastInputs(g: ZooGraph, s: Pick<LlamaShape, 'past' | 'layers' | 'kvHeads' | 'headDim'>): Array<{ key: string; value: string }> {
  if (s.past <= 0) return [];
  return Array.from({ length: s.layers }, (_, i) => ({
    key: g.input(`past_key.${i}`, ['batch', s.kvHeads, 'past', s.headDim]),
    value: g.input(`past_value.${i}`, ['batch', s.kvHeads, 'past', s.headDim]),
  }));
}

function planLlama(o: ResolvedOptions): { graph: ZooGraph; dims: Record<string, number>; moe?: MoeAccounting } {
  const s = llamaShape('llama', o);
  const g = new ZooGraph();
  const ids = g.input('input_ids', ['batch', 'sequence'], TensorDataType.INT64);
  const pasts = pastInputs(g, s);
  const p = positions(g, ids, pasts[0]?.key ?? null, s);
  let x = g.op('Gather', 'embed_tokens', [g.param('embed_tokens.weight', [s.vocab, s.d], uniformStd(INIT_STD)), ids], [{ name: 'axis', type: 'int', value: 0 }]);
  let expertParams = 0;
  for (let i = 0; i < s.layers; i++) {
    const b = `blocks.${i}`;
    const a = attention(g, `${b}.attn`, rmsNorm(g, `${b}.attn_norm`, x, s.d), i, pasts[i] ?? null, p, s);
    x = g.op('Add', `${b}.add_attn`, [x, a]);
    const h = rmsNorm(g, `${b}.ffn_norm`, x, s.d);
    let f: string;
    if (s.experts > 0) {
      const m = moe(g, `${b}.moe`, h, s);
      f = m.out;
      expertParams += m.expertParams;
    } else {
      f = swiglu(g, `${b}.mlp`, h, s.d, s.ffn);
    }
    x = g.op('Add', `${b}.add_ffn`, [x, f]);
  }
  proj(g, 'lm_head', rmsNorm(g, 'norm', x, s.d), s.d, s.vocab, 'logits');
  g.output('logits', ['batch', 'sequence', s.vocab]);
  const total: string = s.past > 0 ? 'total_sequence' : 'sequence';
  for (let i = 0; i < s.layers; i++) {
    g.output(`present_key.${i}`, ['batch', s.kvHeads, total, s.headDim]);
    g.output(`present_value.${i}`, ['batch', s.kvHeads, total, s.headDim]);
  }
  const dims: Record<string, number> = s.past > 0 ? { batch: 1, sequence: s.sequence, past: s.past } : { batch: 1, sequence: s.sequence };
  if (s.experts === 0) return { graph: g, dims };
  const k = Math.min(2, s.experts);
  return {
    graph: g,
    dims,
    moe: {
      experts: s.experts, topK: k, expertParams,
      activeParamsPerToken: g.params - expertParams + Math.round((expertParams * k) / s.experts),
      expertNodePattern: 'blocks.<layer>.moe.expert<e>.<w1|act|w3|mul|w2|gate>',
    },
  };
}

export const LLAMA: ZooDefinition = {
  name: 'llama',
  title: 'Llama-style decoder',
  family: 'llama',
  description: 'Llama 2-style decoder in plain ONNX ops: RMSNorm, RoPE, grouped-query attention with a K/V cache (past_key.i / past_value.i in, present_key.i / present_value.i out), SwiGLU FFN (or a Mixtral top-2 MoE), untied LM head. Input ids [batch, sequence] (int64).',
  options: llamaOptions(true),
  reference: {
    params: llamaParams({ d: 512, layers: 4, headDim: 64, kvHeads: 2, ffn: 1408, vocab: 4096, experts: 0 }),
    source: 'Closed form 2·V·d + d + L·(2d + 2d² + 2d·kv + 3d·f) (Touvron et al. 2023 architecture; kv = kv_heads · d/heads): 15,471,104 at the defaults; at Llama-2-7B\'s shape it gives 6,738,415,616, HF LlamaForCausalLM("meta-llama/Llama-2-7b-hf").num_parameters()',
  },
  plan: planLlama,
};
