/**
 * Zoo family: a decoder-only transformer with top-k routed mixture-of-experts FFNs (Node main
 * process / CLI), in the style of Switch Transformer / Mixtral (Fedus et al. 2021; Jiang et al.
 * 2024): router Linear(d, E) → Softmax → TopK(k), the k gate values renormalised to sum to 1.
 *
 * ONNX has no sparse dispatch, so the graph computes ALL E experts for every token and multiplies
 * each expert's output by its gate (zero for unselected experts): gates = ScatterElements(zeros,
 * topk indices, renormalised topk values), expert e's output × gates[..., e:e+1], then Sum. A
 * static profile therefore counts E experts' MACs; the compute a token really needs is k / E of
 * the expert part. Per-expert nodes are named "blocks.<l>.moe.expert<e>.<fc1|act|fc2|gate>" so
 * the profiler or a what-if can separate them, and `buildZooModel` returns the accounting
 * (expert params, active params per token = non-expert + k/E × expert params).
 *
 * Simplifications vs Mixtral: learned absolute position embeddings (no RoPE), LayerNorm (not
 * RMSNorm), GELU MLP experts (not SwiGLU), multi-head (not grouped-query) attention, no load-
 * balancing loss (training only). The LM head is a separate (untied) Linear without bias.
 */
import { TensorDataType } from '../onnx/onnx-schema.js';
import { ZooGraph } from './graph.js';
import { linear } from './layers.js';
import { invalidOption, num, SEED_OPTION } from './options.js';
import { embedding, geluErf, layerNorm, positions, selfAttention } from './transformer.js';
import type { ZooDefinition } from './types.js';

export const MOE_TRANSFORMER: ZooDefinition = {
  name: 'moe-transformer',
  title: 'MoE transformer (top-k routed)',
  family: 'moe',
  description: 'Decoder-only transformer whose FFNs are mixtures of experts with a Softmax → TopK router. The graph computes all experts and gates them (ONNX has no sparse dispatch); active params per token = non-expert + top_k/experts × expert params. Input ids [batch, sequence] (int64).',
  options: [
    { name: 'experts', default: 8, min: 1, max: 256, integer: true, help: 'Experts per MoE layer (E).' },
    { name: 'top_k', default: 2, min: 1, max: 256, integer: true, help: 'Experts each token is routed to (k ≤ experts).' },
    { name: 'layers', default: 4, min: 1, max: 128, integer: true, help: 'Transformer blocks, each with an MoE FFN.' },
    { name: 'd_model', default: 512, min: 8, max: 16384, integer: true, help: 'Hidden size; must divide by heads.' },
    { name: 'heads', default: 8, min: 1, max: 256, integer: true, help: 'Attention heads.' },
    { name: 'ffn', default: 2048, min: 1, max: 131072, integer: true, help: 'Hidden size of each expert MLP.' },
    { name: 'vocab', default: 32000, min: 2, max: 1_000_000, integer: true, help: 'Vocabulary size.' },
    { name: 'positions', default: 2048, min: 1, max: 65536, integer: true, help: 'Rows of the position embedding: the longest sequence accepted.' },
    { name: 'sequence', default: 512, min: 1, max: 65536, integer: true, help: 'Default binding of the symbolic "sequence" dim for profiling (≤ positions).' },
    SEED_OPTION,
  ],
  plan(o) {
    const E = num(o, 'experts');
    const k = num(o, 'top_k');
    const layers = num(o, 'layers');
    const d = num(o, 'd_model');
    const heads = num(o, 'heads');
    const ffn = num(o, 'ffn');
    const vocab = num(o, 'vocab');
    const nPositions = num(o, 'positions');
    const sequence = num(o, 'sequence');
    if (k > E) throw invalidOption('moe-transformer', 'top_k', `must be at most experts (${E}); got ${k}`);
    if (d % heads !== 0) throw invalidOption('moe-transformer', 'd_model', `must be a multiple of heads (${heads}); got ${d}`);
    if (sequence > nPositions) throw invalidOption('moe-transformer', 'sequence', `must be at most positions (${nPositions}); got ${sequence}`);

    const g = new ZooGraph();
    const ids = g.input('input_ids', ['batch', 'sequence'], TensorDataType.INT64);
    const { positionIds, causalMask } = positions(g, ids, true);
    const tok = embedding(g, 'tok_embeddings', ids, vocab, d, 0.02);
    const pos = embedding(g, 'pos_embeddings', positionIds, nPositions, d, 0.01);
    let x = g.op('Add', 'embeddings.add', [tok.out, pos.out]);
    let expertParams = 0;
    for (let i = 0; i < layers; i++) {
      const p = `blocks.${i}`;
      const a = selfAttention(g, `${p}.attn`, layerNorm(g, `${p}.ln_1`, x, d, 1e-5), { d, heads, projection: 'fused', causalMask: causalMask!, std: 0.02 });
      x = g.op('Add', `${p}.add_1`, [x, a]);
      const h = layerNorm(g, `${p}.ln_2`, x, d, 1e-5);
      const m = `${p}.moe`;
      const logits = linear(g, `${m}.router`, h, d, E, { bias: false, std: 0.02 });
      const probs = g.op('Softmax', `${m}.softmax`, [logits], [{ name: 'axis', type: 'int', value: -1 }]);
      const [topv, topi] = g.opN('TopK', `${m}.topk`, [probs, g.ints([k])], 2, [
        { name: 'axis', type: 'int', value: -1 }, { name: 'largest', type: 'int', value: 1 }, { name: 'sorted', type: 'int', value: 1 },
      ]) as [string, string];
      const norm = g.op('ReduceSum', `${m}.topk_sum`, [topv, g.ints([-1])], [{ name: 'keepdims', type: 'int', value: 1 }]);
      const weights = g.op('Div', `${m}.topk_normalize`, [topv, norm]);
      const zeros = g.op('ConstantOfShape', `${m}.gates_zeros`, [g.op('Shape', `${m}.gates_shape`, [probs])]);
      const gates = g.op('ScatterElements', `${m}.gates`, [zeros, topi, weights], [{ name: 'axis', type: 'int', value: -1 }]); // [B, S, E]
      const outs: string[] = [];
      const before = g.params;
      for (let e = 0; e < E; e++) {
        const xp = `${m}.expert${e}`;
        const gate = g.op('Slice', `${xp}.gate_select`, [gates, g.ints([e]), g.ints([e + 1]), g.ints([-1])]); // [B, S, 1]
        const f1 = linear(g, `${xp}.fc1`, h, d, ffn, { std: 0.02 });
        const f2 = linear(g, `${xp}.fc2`, geluErf(g, `${xp}.act`, f1), ffn, d, { std: 0.02 });
        outs.push(g.op('Mul', `${xp}.gate`, [f2, gate]));
      }
      expertParams += g.params - before;
      const moe = E === 1 ? outs[0]! : g.op('Sum', `${m}.combine`, outs);
      x = g.op('Add', `${p}.add_2`, [x, moe]);
    }
    x = layerNorm(g, 'ln_f', x, d, 1e-5);
    linear(g, 'lm_head', x, d, vocab, { bias: false, std: 0.02, output: 'logits' });
    g.output('logits', ['batch', 'sequence', vocab]);
    const total = g.params;
    return {
      graph: g,
      dims: { batch: 1, sequence },
      moe: {
        experts: E,
        topK: k,
        expertParams,
        activeParamsPerToken: total - expertParams + Math.round((expertParams * k) / E),
        expertNodePattern: 'blocks.<layer>.moe.expert<e>.<fc1|act|fc2|gate>',
      },
    };
  },
};
