/**
 * Zoo family: GPT-2 (decoder-only transformer) after Hugging Face transformers' GPT2LMHeadModel
 * (Node main process / CLI).
 *
 * Source: transformers/models/gpt2/modeling_gpt2.py and Radford et al. 2019. wte (vocab × d) and
 * wpe (n_positions × d) embeddings gathered and summed; `layers` pre-norm blocks: x + attn(ln_1(x))
 * with a causal mask, x + mlp(ln_2(x)) with c_fc d → 4d, gelu_new (tanh GELU), c_proj 4d → d;
 * ln_f; LM head. LayerNorm eps 1e-5. The attention projection is HF's fused c_attn (d → 3d).
 * The LM head is TIED by default, as in HF gpt2: logits = h · wteᵀ (a Transpose of the embedding
 * initializer feeding a MatMul; no extra parameters). `lm_head=separate` adds an untied
 * Linear(d, vocab, bias=False) instead.
 * HF gpt2 (small) has 124,439,808 parameters with the tied head (wte 38,597,376 + wpe 786,432 +
 * 12 × 7,087,872 + ln_f 1,536).
 *
 * Module names map to HF's as blocks.N ↔ h.N, attn.qkv ↔ attn.c_attn, attn.out_proj ↔
 * attn.c_proj, mlp.fc1/fc2 ↔ mlp.c_fc/c_proj (HF stores Conv1D weights [in, out], as here).
 */
import { TensorDataType } from '../onnx/onnx-schema.js';
import { ZooGraph } from './graph.js';
import { linear } from './layers.js';
import { invalidOption, num, SEED_OPTION, str } from './options.js';
import { embedding, layerNorm, mlp, positions, selfAttention } from './transformer.js';
import type { ZooDefinition } from './types.js';

export const GPT2: ZooDefinition = {
  name: 'gpt2',
  title: 'GPT-2 (small)',
  family: 'gpt',
  description: 'HF gpt2: token + position embeddings (Gather), causal pre-norm blocks, tanh-GELU MLP, final LayerNorm, LM head tied to the token embedding. Input ids [batch, sequence] (int64).',
  options: [
    { name: 'layers', default: 12, min: 1, max: 128, integer: true, help: 'Transformer blocks (n_layer).' },
    { name: 'd_model', default: 768, min: 8, max: 16384, integer: true, help: 'Hidden size (n_embd); must divide by heads. MLP is 4 × d_model.' },
    { name: 'heads', default: 12, min: 1, max: 256, integer: true, help: 'Attention heads (n_head).' },
    { name: 'vocab', default: 50257, min: 2, max: 1_000_000, integer: true, help: 'Vocabulary size.' },
    { name: 'positions', default: 1024, min: 1, max: 65536, integer: true, help: 'Rows of the position embedding (n_positions): the longest sequence the model accepts.' },
    { name: 'sequence', default: 1024, min: 1, max: 65536, integer: true, help: 'Default binding of the symbolic "sequence" dim for profiling (≤ positions). The graph itself accepts any length up to positions.' },
    { name: 'lm_head', default: 'tied', choices: ['tied', 'separate'], help: 'tied: logits = h · wteᵀ (HF gpt2); separate: an untied Linear(d_model, vocab, bias=False).' },
    SEED_OPTION,
  ],
  reference: {
    params: 124_439_808,
    source: 'Hugging Face transformers GPT2LMHeadModel.from_pretrained("gpt2").num_parameters() = 124,439,808 (tied LM head; Radford et al. 2019 list it as 117M)',
  },
  plan(o) {
    const layers = num(o, 'layers');
    const d = num(o, 'd_model');
    const heads = num(o, 'heads');
    const vocab = num(o, 'vocab');
    const nPositions = num(o, 'positions');
    const sequence = num(o, 'sequence');
    if (d % heads !== 0) throw invalidOption('gpt2', 'd_model', `must be a multiple of heads (${heads}); got ${d}`);
    if (sequence > nPositions) throw invalidOption('gpt2', 'sequence', `must be at most positions (${nPositions}); got ${sequence}`);

    const g = new ZooGraph();
    const ids = g.input('input_ids', ['batch', 'sequence'], TensorDataType.INT64);
    const { positionIds, causalMask } = positions(g, ids, true);
    const tok = embedding(g, 'wte', ids, vocab, d, 0.02);
    const pos = embedding(g, 'wpe', positionIds, nPositions, d, 0.01);
    let x = g.op('Add', 'embeddings.add', [tok.out, pos.out]);
    for (let i = 0; i < layers; i++) {
      const p = `blocks.${i}`;
      const a = selfAttention(g, `${p}.attn`, layerNorm(g, `${p}.ln_1`, x, d, 1e-5), { d, heads, projection: 'fused', causalMask: causalMask!, std: 0.02 });
      x = g.op('Add', `${p}.add_1`, [x, a]);
      const m = mlp(g, `${p}.mlp`, layerNorm(g, `${p}.ln_2`, x, d, 1e-5), d, 4 * d, 'tanh', 0.02);
      x = g.op('Add', `${p}.add_2`, [x, m]);
    }
    x = layerNorm(g, 'ln_f', x, d, 1e-5);
    if (str(o, 'lm_head') === 'tied') {
      const wteT = g.op('Transpose', 'lm_head.transpose_wte', [tok.table], [{ name: 'perm', type: 'ints', value: [1, 0] }]);
      g.op('MatMul', 'lm_head', [x, wteT], [], 'logits');
    } else {
      linear(g, 'lm_head', x, d, vocab, { bias: false, std: 0.02, output: 'logits' });
    }
    g.output('logits', ['batch', 'sequence', vocab]);
    return { graph: g, dims: { batch: 1, sequence } };
  },
};
