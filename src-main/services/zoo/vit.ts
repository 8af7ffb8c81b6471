/**
 * Zoo family: Vision Transformer ViT-B/16 in torchvision's layout (Node main process / CLI).
 *
 * Source: torchvision/models/vision_transformer.py (Dosovitskiy et al. 2021, "An Image is Worth
 * 16×16 Words"). conv_proj = Conv 16×16/16 (3 → 768, bias) → flatten → [B, 196, 768]; a learned
 * class token is prepended (197 tokens) and a learned position embedding [1, 197, 768] added;
 * 12 pre-norm encoder blocks: x + MHA(LN(x)), x + MLP(LN(x)) with MLP 768 → 3072 → 768 and exact
 * (Erf) GELU, LayerNorm eps 1e-6; a final LayerNorm; the class token's row → heads.head Linear(768,
 * 1000). The attention in-projection is one Linear(768, 2304) split into q, k, v, as nn.
 * MultiheadAttention's in_proj_weight. Dropouts are identity at inference.
 * torchvision's weights meta: 86,567,656 parameters, _ops 17.564 G multiply-adds at 224, attention
 * matmuls included (docs: 17.56 "GFLOPS").
 */
import { uniformStd, ZooGraph } from './graph.js';
import { conv, gemm } from './layers.js';
import { invalidOption, num, SEED_OPTION } from './options.js';
import { layerNorm, mlp, selfAttention } from './transformer.js';
import type { ZooDefinition } from './types.js';

export const VIT_B16: ZooDefinition = {
  name: 'vit-b16',
  title: 'ViT-B/16',
  family: 'vit',
  description: 'torchvision vit_b_16: 16×16 patch embedding, class token, learned position embedding, pre-norm encoder blocks (attention as MatMul/Softmax, Erf GELU MLP), final LayerNorm and a Linear head. Input [batch, 3, R, R].',
  options: [
    { name: 'depth', default: 12, min: 1, max: 64, integer: true, help: 'Encoder blocks.' },
    { name: 'width', default: 768, min: 8, max: 8192, integer: true, help: 'Hidden size d_model (must divide by heads).' },
    { name: 'heads', default: 12, min: 1, max: 128, integer: true, help: 'Attention heads.' },
    { name: 'mlp', default: 3072, min: 1, max: 65536, integer: true, help: 'MLP hidden size (ViT-B: 4 × width).' },
    { name: 'patch', default: 16, min: 1, max: 64, integer: true, help: 'Patch size (must divide the resolution).' },
    { name: 'resolution', default: 224, min: 16, max: 1024, integer: true, help: 'Input height and width; tokens = (resolution / patch)² + 1.' },
    { name: 'classes', default: 1000, min: 1, max: 100_000, integer: true, help: 'Head outputs.' },
    SEED_OPTION,
  ],
  reference: {
    params: 86_567_656,
    macs: 17.564e9,
    source: 'torchvision/models/vision_transformer.py ViT_B_16_Weights.IMAGENET1K_V1 meta: num_params 86,567,656, _ops 17.564 G multiply-adds at 224, attention matmuls included (docs table: 17.56 "GFLOPS")',
  },
  plan(o) {
    const depth = num(o, 'depth');
    const d = num(o, 'width');
    const heads = num(o, 'heads');
    const hidden = num(o, 'mlp');
    const patch = num(o, 'patch');
    const res = num(o, 'resolution');
    const classes = num(o, 'classes');
    if (d % heads !== 0) throw invalidOption('vit-b16', 'width', `must be a multiple of heads (${heads}); got ${d}`);
    if (res % patch !== 0) throw invalidOption('vit-b16', 'resolution', `must be a multiple of patch (${patch}); got ${res}`);
    const tokens = (res / patch) ** 2 + 1;

    const g = new ZooGraph();
    const input = g.input('input', ['batch', 3, res, res]);
    let x = conv(g, 'conv_proj', input, { cin: 3, cout: d, kernel: patch, stride: patch, pad: 0, bias: true });
    x = g.op('Reshape', 'patches.reshape', [x, g.ints([0, d, -1])]); // [B, d, N]
    x = g.op('Transpose', 'patches.transpose', [x], [{ name: 'perm', type: 'ints', value: [0, 2, 1] }]); // [B, N, d]
    // class_token.expand(B, -1, -1): Expand to [B, 1, d] with B taken from the input's shape.
    const batch = g.op('Shape', 'class_token.batch', [input], [{ name: 'end', type: 'int', value: 1 }, { name: 'start', type: 'int', value: 0 }]);
    const clsShape = g.op('Concat', 'class_token.shape', [batch, g.ints([1, d])], [{ name: 'axis', type: 'int', value: 0 }]);
    const cls = g.op('Expand', 'class_token.expand', [g.param('class_token', [1, 1, d], uniformStd(0.02)), clsShape]);
    x = g.op('Concat', 'class_token.concat', [cls, x], [{ name: 'axis', type: 'int', value: 1 }]); // [B, tokens, d]
    x = g.op('Add', 'encoder.pos_embedding.add', [x, g.param('encoder.pos_embedding', [1, tokens, d], uniformStd(0.02))]);

    for (let i = 0; i < depth; i++) {
      const p = `blocks.${i}`;
      const a = selfAttention(g, `${p}.attn`, layerNorm(g, `${p}.ln_1`, x, d, 1e-6), { d, heads, projection: 'fused' });
      x = g.op('Add', `${p}.add_1`, [x, a]);
      const m = mlp(g, `${p}.mlp`, layerNorm(g, `${p}.ln_2`, x, d, 1e-6), d, hidden, 'erf');
      x = g.op('Add', `${p}.add_2`, [x, m]);
    }
    x = layerNorm(g, 'encoder.ln', x, d, 1e-6);
    x = g.op('Gather', 'class_token.select', [x, g.int(0)], [{ name: 'axis', type: 'int', value: 1 }]); // x[:, 0] → [B, d]
    gemm(g, 'heads.head', x, d, classes, 'logits');
    g.output('logits', ['batch', classes]);
    return { graph: g, dims: { batch: 1 } };
  },
};

