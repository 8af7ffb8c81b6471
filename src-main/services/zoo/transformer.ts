/**
 * Transformer building blocks shared by vit-b16, gpt2, bert-base and moe-transformer (Node main
 * process / CLI). Everything is written in plain opset-17 ops, as torch.onnx exports it without
 * fusions: attention as MatMul / Reshape / Transpose / Softmax, LayerNormalization (opset 17),
 * GELU expanded into Erf or Tanh arithmetic (the Gelu op only arrives in opset 20).
 *
 * Activations are [batch, sequence, d_model]; heads are split with Reshape [0, 0, H, d/H] (0 =
 * copy that dimension), so the graph works for any bound batch and sequence.
 */
import { constant, uniformStd, type ZooGraph } from './graph.js';
import { linear } from './layers.js';

/** nn.LayerNorm over the last axis → LayerNormalization(x, γ, β). */
export function layerNorm(g: ZooGraph, name: string, x: string, d: number, epsilon: number): string {
  return g.op('LayerNormalization', name, [x, g.param(`${name}.weight`, [d], constant(1)), g.param(`${name}.bias`, [d], constant(0))], [
    { name: 'axis', type: 'int', value: -1 },
    { name: 'epsilon', type: 'float', value: epsilon },
  ]);
}

/** Exact GELU, x · ½ · (1 + erf(x / √2)) — nn.GELU() / HF "gelu" as torch exports it (Div, Erf, Add, Mul, Mul). */
export function geluErf(g: ZooGraph, name: string, x: string): string {
  const d = g.op('Div', `${name}.div`, [x, g.float(Math.SQRT2)]);
  const e = g.op('Erf', `${name}.erf`, [d]);
  const a = g.op('Add', `${name}.add`, [e, g.float(1)]);
  const m = g.op('Mul', `${name}.mul`, [x, a]);
  return g.op('Mul', name, [m, g.float(0.5)]);
}

/** GPT-2's "gelu_new": ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (Hendrycks & Gimpel's tanh approximation). */
export function geluTanh(g: ZooGraph, name: string, x: string): string {
  const cube = g.op('Pow', `${name}.pow`, [x, g.float(3)]);
  const c = g.op('Mul', `${name}.mul_cubic`, [cube, g.float(0.044715)]);
  const inner = g.op('Add', `${name}.add_inner`, [x, c]);
  const scaled = g.op('Mul', `${name}.mul_scale`, [inner, g.float(Math.sqrt(2 / Math.PI))]);
  const t = g.op('Tanh', `${name}.tanh`, [scaled]);
  const one = g.op('Add', `${name}.add_one`, [t, g.float(1)]);
  const m = g.op('Mul', `${name}.mul_x`, [x, one]);
  return g.op('Mul', name, [m, g.float(0.5)]);
}

export interface AttentionOptions {
  d: number;
  heads: number;
  /** 'fused': one qkv Linear(d, 3d) then Split (torchvision ViT in_proj, HF GPT-2 c_attn); 'separate': query/key/value Linears (HF BERT). */
  projection: 'fused' | 'separate';
  /** A bool [S, S] value, true where a position must not attend (causal future). */
  causalMask?: string;
  /** An additive float mask broadcastable to [B, H, S, S] (BERT's (1 - mask) · -10000). */
  additiveMask?: string;
  /** Weight std (GPT-2 / BERT: 0.02); default PyTorch's Linear bound. */
  std?: number;
}

/**
 * Multi-head self-attention: softmax(QKᵀ/√dₕ + mask) V, then the output projection. Node names:
 * <prefix>.qkv (or .query/.key/.value), .scores, .softmax, .context, .out_proj.
 */
export function selfAttention(g: ZooGraph, prefix: string, x: string, o: AttentionOptions): string {
  const { d, heads } = o;
  const dh = d / heads;
  const lin = (name: string, input: string, fin: number, fout: number) => linear(g, name, input, fin, fout, o.std === undefined ? {} : { std: o.std });
  let q: string, k: string, v: string;
  if (o.projection === 'fused') {
    const qkv = lin(`${prefix}.qkv`, x, d, 3 * d);
    [q, k, v] = g.opN('Split', `${prefix}.split`, [qkv, g.ints([d, d, d])], 3, [{ name: 'axis', type: 'int', value: -1 }]) as [string, string, string];
  } else {
    q = lin(`${prefix}.query`, x, d, d);
    k = lin(`${prefix}.key`, x, d, d);
    v = lin(`${prefix}.value`, x, d, d);
  }
  const split = g.ints([0, 0, heads, dh]);
  const headsOf = (t: string, name: string, perm: number[]) => g.op('Transpose', `${prefix}.${name}_transpose`, [g.op('Reshape', `${prefix}.${name}_reshape`, [t, split])], [{ name: 'perm', type: 'ints', value: perm }]);
  const qh = headsOf(q, 'q', [0, 2, 1, 3]); // [B, H, S, dh]
  const kt = headsOf(k, 'k', [0, 2, 3, 1]); // [B, H, dh, S]
  const vh = headsOf(v, 'v', [0, 2, 1, 3]); // [B, H, S, dh]
  let scores = g.op('MatMul', `${prefix}.scores`, [qh, kt]); // [B, H, S, S]
  scores = g.op('Mul', `${prefix}.scale`, [scores, g.float(1 / Math.sqrt(dh))]);
  // -1e9 rather than -inf: a fully masked row stays finite (softmax of equal values), as HF does with finfo.min.
  if (o.causalMask) scores = g.op('Where', `${prefix}.causal_mask`, [o.causalMask, g.float(-1e9), scores]);
  if (o.additiveMask) scores = g.op('Add', `${prefix}.attention_mask`, [scores, o.additiveMask]);
  const probs = g.op('Softmax', `${prefix}.softmax`, [scores], [{ name: 'axis', type: 'int', value: -1 }]);
  const ctx = g.op('MatMul', `${prefix}.context`, [probs, vh]); // [B, H, S, dh]
  const merged = g.op('Reshape', `${prefix}.merge_reshape`, [
    g.op('Transpose', `${prefix}.merge_transpose`, [ctx], [{ name: 'perm', type: 'ints', value: [0, 2, 1, 3] }]),
    g.ints([0, 0, d]),
  ]);
  return lin(`${prefix}.out_proj`, merged, d, d);
}

/** Two-layer MLP: fc1 (d → hidden) → GELU → fc2 (hidden → d). */
export function mlp(g: ZooGraph, prefix: string, x: string, d: number, hidden: number, gelu: 'erf' | 'tanh', std?: number): string {
  const opts = std === undefined ? {} : { std };
  const h = linear(g, `${prefix}.fc1`, x, d, hidden, opts);
  const a = gelu === 'erf' ? geluErf(g, `${prefix}.act`, h) : geluTanh(g, `${prefix}.act`, h);
  return linear(g, `${prefix}.fc2`, a, hidden, d, opts);
}

/** Token embedding lookup: Gather(table [vocab, d], ids) with a N(0, std)-like table. */
export function embedding(g: ZooGraph, name: string, ids: string, rows: number, d: number, std: number): { out: string; table: string } {
  const table = g.param(`${name}.weight`, [rows, d], uniformStd(std));
  return { out: g.op('Gather', name, [table, ids], [{ name: 'axis', type: 'int', value: 0 }]), table };
}

/**
 * Position ids 0..S-1 from the ids input ([batch, sequence]): Shape → Gather(1) → Range. Also
 * returns the causal mask (bool [S, S], true above the diagonal) when asked, built once per graph.
 */
export function positions(g: ZooGraph, ids: string, causal: boolean): { positionIds: string; causalMask?: string } {
  const shape = g.op('Shape', 'positions.shape', [ids]);
  const seq = g.op('Gather', 'positions.sequence', [shape, g.int(1)], [{ name: 'axis', type: 'int', value: 0 }]);
  const positionIds = g.op('Range', 'positions.range', [g.int(0), seq, g.int(1)]);
  if (!causal) return { positionIds };
  const rows = g.op('Unsqueeze', 'causal_mask.rows', [positionIds, g.ints([1])]); // [S, 1]
  const cols = g.op('Unsqueeze', 'causal_mask.cols', [positionIds, g.ints([0])]); // [1, S]
  const causalMask = g.op('Greater', 'causal_mask.future', [cols, rows]); // [S, S]: key index > query index
  return { positionIds, causalMask };
}
