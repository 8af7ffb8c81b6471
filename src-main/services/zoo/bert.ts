/**
 * Zoo family: BERT-base encoder after Hugging Face transformers' BertModel (Node main process / CLI).
 *
 * Source: transformers/models/bert/modeling_bert.py and Devlin et al. 2019. Embeddings: word
 * (vocab × d) + position (max_position × d) + token type (2 × d), summed → LayerNorm (eps 1e-12);
 * `layers` POST-norm blocks: h = LN(x + attn(x)), out = LN(h + fc2(GELU(fc1(h)))) with separate
 * query/key/value Linears, exact (Erf) GELU and intermediate 4d; the attention mask input becomes
 * HF's additive (1 − mask) · −10000 on the scores. Pooler: tanh(Linear(d, d)) of the [CLS] row,
 * as BertModel (add_pooling_layer=True). No MLM/NSP heads.
 * HF bert-base-uncased as BertModel has 109,482,240 parameters — that count INCLUDES the pooler
 * (590,592); without it 108,891,648. (Devlin et al. quote 110M.)
 *
 * Module names map to HF's as blocks.N ↔ encoder.layer.N, attn.query ↔ attention.self.query,
 * attn.out_proj ↔ attention.output.dense, ln_1 ↔ attention.output.LayerNorm, mlp.fc1 ↔
 * intermediate.dense, mlp.fc2 ↔ output.dense, ln_2 ↔ output.LayerNorm.
 */
import { TensorDataType } from '../onnx/onnx-schema.js';
import { ZooGraph } from './graph.js';
import { gemm } from './layers.js';
import { invalidOption, num, SEED_OPTION } from './options.js';
import { embedding, layerNorm, mlp, positions, selfAttention } from './transformer.js';
import type { ZooDefinition } from './types.js';

export const BERT_BASE: ZooDefinition = {
  name: 'bert-base',
  title: 'BERT-base (uncased)',
  family: 'bert',
  description: 'HF BertModel (bert-base-uncased): word + position + token-type embeddings, post-norm encoder blocks with Erf GELU, and the tanh pooler. Inputs input_ids, token_type_ids, attention_mask [batch, sequence] (int64).',
  options: [
    { name: 'layers', default: 12, min: 1, max: 128, integer: true, help: 'Encoder blocks (num_hidden_layers).' },
    { name: 'd_model', default: 768, min: 8, max: 16384, integer: true, help: 'Hidden size; must divide by heads. Intermediate size is 4 × d_model.' },
    { name: 'heads', default: 12, min: 1, max: 256, integer: true, help: 'Attention heads.' },
    { name: 'vocab', default: 30522, min: 2, max: 1_000_000, integer: true, help: 'Vocabulary size (bert-base-uncased: 30522).' },
    { name: 'positions', default: 512, min: 1, max: 65536, integer: true, help: 'Rows of the position embedding (max_position_embeddings).' },
    { name: 'sequence', default: 512, min: 1, max: 65536, integer: true, help: 'Default binding of the symbolic "sequence" dim for profiling (≤ positions).' },
    SEED_OPTION,
  ],
  reference: {
    params: 109_482_240,
    source: 'Hugging Face transformers BertModel.from_pretrained("bert-base-uncased").num_parameters() = 109,482,240, pooler included (Devlin et al. 2019: 110M)',
  },
  plan(o) {
    const layers = num(o, 'layers');
    const d = num(o, 'd_model');
    const heads = num(o, 'heads');
    const vocab = num(o, 'vocab');
    const nPositions = num(o, 'positions');
    const sequence = num(o, 'sequence');
    if (d % heads !== 0) throw invalidOption('bert-base', 'd_model', `must be a multiple of heads (${heads}); got ${d}`);
    if (sequence > nPositions) throw invalidOption('bert-base', 'sequence', `must be at most positions (${nPositions}); got ${sequence}`);

    const g = new ZooGraph();
    const ids = g.input('input_ids', ['batch', 'sequence'], TensorDataType.INT64);
    const types = g.input('token_type_ids', ['batch', 'sequence'], TensorDataType.INT64);
    const mask = g.input('attention_mask', ['batch', 'sequence'], TensorDataType.INT64);
    const { positionIds } = positions(g, ids, false);
    const word = embedding(g, 'embeddings.word_embeddings', ids, vocab, d, 0.02);
    const pos = embedding(g, 'embeddings.position_embeddings', positionIds, nPositions, d, 0.02);
    const typ = embedding(g, 'embeddings.token_type_embeddings', types, 2, d, 0.02);
    let x = g.op('Add', 'embeddings.add_position', [word.out, pos.out]);
    x = g.op('Add', 'embeddings.add_token_type', [x, typ.out]);
    x = layerNorm(g, 'embeddings.LayerNorm', x, d, 1e-12);

    // HF get_extended_attention_mask: [B, S] → [B, 1, 1, S], 0 where attended, -10000 where masked.
    const maskF = g.op('Cast', 'extended_mask.cast', [mask], [{ name: 'to', type: 'int', value: TensorDataType.FLOAT }]);
    const inverted = g.op('Sub', 'extended_mask.invert', [g.float(1), maskF]);
    const additive = g.op('Mul', 'extended_mask.scale', [inverted, g.float(-10000)]);
    const extended = g.op('Unsqueeze', 'extended_mask.unsqueeze', [additive, g.ints([1, 2])]);

    for (let i = 0; i < layers; i++) {
      const p = `blocks.${i}`;
      const a = selfAttention(g, `${p}.attn`, x, { d, heads, projection: 'separate', additiveMask: extended, std: 0.02 });
      x = layerNorm(g, `${p}.ln_1`, g.op('Add', `${p}.add_1`, [x, a]), d, 1e-12);
      const m = mlp(g, `${p}.mlp`, x, d, 4 * d, 'erf', 0.02);
      x = layerNorm(g, `${p}.ln_2`, g.op('Add', `${p}.add_2`, [x, m]), d, 1e-12);
    }
    g.op('Identity', 'last_hidden_state', [x], [], 'last_hidden_state');
    const cls = g.op('Gather', 'pooler.select', [x, g.int(0)], [{ name: 'axis', type: 'int', value: 1 }]); // [B, d]
    const pooled = gemm(g, 'pooler.dense', cls, d, d);
    g.op('Tanh', 'pooler.activation', [pooled], [], 'pooler_output');
    g.output('last_hidden_state', ['batch', 'sequence', d]);
    g.output('pooler_output', ['batch', d]);
    return { graph: g, dims: { batch: 1, sequence } };
  },
};
