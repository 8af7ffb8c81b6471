import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './ir-builder.js';
import { profileModel } from './profile.js';

const INT64_MAX = 2 ** 63; // INT64_MAX as the loader hands it over: a double, ~9.22e18

/**
 * A GPT-2 block written the way torch.onnx (TorchScript exporter) writes HF's GPT2Model: shapes
 * computed at run time from Shape/Gather/Slice/Concat, Conv1D as Reshape → Gemm → Reshape, the
 * causal mask sliced from a bool buffer with computed bounds, NewGELU decomposed.
 */
function gpt2Block(d: number, heads: number, vocab: number, ctx: number): GraphBuilder {
  const dh = d / heads;
  const b = new GraphBuilder()
    .input('input_ids', ['batch', 'sequence'], 'int64')
    .init('wte', [vocab, d]).init('wpe', [ctx, d])
    .init('ln1.g', [d]).init('ln1.b', [d]).init('ln2.g', [d]).init('ln2.b', [d])
    .init('c_attn.w', [d, 3 * d]).init('c_attn.b', [3 * d])
    .init('attn.c_proj.w', [d, d]).init('attn.c_proj.b', [d])
    .init('c_fc.w', [d, 4 * d]).init('c_fc.b', [4 * d])
    .init('mlp.c_proj.w', [4 * d, d]).init('mlp.c_proj.b', [d])
    .init('attn.bias', [1, 1, ctx, ctx], 'bool')
    // small constants, as torch hoists them
    .init('i0', [], 'int64', [0]).init('i1', [], 'int64', [1]).init('im1', [], 'int64', [-1]).init('im2', [], 'int64', [-2])
    .init('ax0', [1], 'int64', [0]).init('s0', [1], 'int64', [0]).init('sm1', [1], 'int64', [-1]).init('sm2', [1], 'int64', [-2])
    .init('flat', [2], 'int64', [-1, d]).init('flat4', [2], 'int64', [-1, 4 * d]).init('nf3', [1], 'int64', [3 * d]).init('nf', [1], 'int64', [d]).init('nf4', [1], 'int64', [4 * d])
    .init('split', [3], 'int64', [d, d, d]).init('hd', [2], 'int64', [heads, dh]).init('merge', [1], 'int64', [d])
    .init('ax2', [1], 'int64', [2]).init('ax3', [1], 'int64', [3])
    .init('scale', [], 'float32', [Math.sqrt(dh)]).init('maskv', [], 'float32', [-1e4])
    .init('half', [], 'float32', [0.5]).init('one', [], 'float32', [1]).init('three', [], 'float32', [3])
    .init('c044', [], 'float32', [0.044715]).init('c079', [], 'float32', [Math.sqrt(2 / Math.PI)]);
  // position ids: Range(0, input_ids.size(-1)) → Unsqueeze
  b.node('Shape', ['input_ids'], ['ids.shape'], {}, { name: '/transformer/Shape' })
    .node('Gather', ['ids.shape', 'im1'], ['T'], { axis: 0 }, { name: '/transformer/Gather' })
    .node('Range', ['i0', 'T', 'i1'], ['pos'], {}, { name: '/transformer/Range' })
    .node('Unsqueeze', ['pos', 'ax0'], ['pos2'], {}, { name: '/transformer/Unsqueeze' })
    .node('Gather', ['wte', 'input_ids'], ['tok'], {}, { name: '/transformer/wte/Gather' })
    .node('Gather', ['wpe', 'pos2'], ['pe'], {}, { name: '/transformer/wpe/Gather' })
    .node('Add', ['tok', 'pe'], ['h0'], {}, { name: '/transformer/Add' })
    .node('LayerNormalization', ['h0', 'ln1.g', 'ln1.b'], ['ln1'], { axis: -1, epsilon: 1e-5 }, { name: '/transformer/h.0/ln_1/LayerNormalization' });
  // Conv1D: size_out = x.size()[:-1] + (nf,); x = addmm(b, x.view(-1, nx), w).view(size_out)
  const conv1d = (scope: string, x: string, w: string, bias: string, nf: string, out: string, flat = 'flat'): void => {
    b.node('Shape', [x], [`${scope}.shape`], {}, { name: `${scope}/Shape` })
      .node('Slice', [`${scope}.shape`, 's0', 'sm1', 'ax0'], [`${scope}.lead`], {}, { name: `${scope}/Slice` })
      .node('Concat', [`${scope}.lead`, nf], [`${scope}.size_out`], { axis: 0 }, { name: `${scope}/Concat` })
      .node('Reshape', [x, flat], [`${scope}.x2`], {}, { name: `${scope}/Reshape` })
      .node('Gemm', [`${scope}.x2`, w, bias], [`${scope}.y2`], {}, { name: `${scope}/Gemm` })
      .node('Reshape', [`${scope}.y2`, `${scope}.size_out`], [out], {}, { name: `${scope}/Reshape_1` });
  };
  conv1d('/transformer/h.0/attn/c_attn', 'ln1', 'c_attn.w', 'c_attn.b', 'nf3', 'qkv');
  b.node('Split', ['qkv', 'split'], ['q', 'k', 'v'], { axis: 2 }, { name: '/transformer/h.0/attn/Split' });
  // _split_heads: x.view(x.size()[:-1] + (heads, dh)).permute(0, 2, 1, 3)
  for (const t of ['q', 'k', 'v']) {
    b.node('Shape', [t], [`${t}.shape`], {}, { name: `/transformer/h.0/attn/Shape_${t}` })
      .node('Slice', [`${t}.shape`, 's0', 'sm1', 'ax0'], [`${t}.lead`], {}, { name: `/transformer/h.0/attn/Slice_${t}` })
      .node('Concat', [`${t}.lead`, 'hd'], [`${t}.hs`], { axis: 0 }, { name: `/transformer/h.0/attn/Concat_${t}` })
      .node('Reshape', [t, `${t}.hs`], [`${t}.r`], {}, { name: `/transformer/h.0/attn/Reshape_${t}` })
      .node('Transpose', [`${t}.r`], [`${t}h`], { perm: [0, 2, 1, 3] }, { name: `/transformer/h.0/attn/Transpose_${t}` });
  }
  b.node('Transpose', ['kh'], ['khT'], { perm: [0, 1, 3, 2] }, { name: '/transformer/h.0/attn/Transpose_kT' })
    .node('MatMul', ['qh', 'khT'], ['w'], {}, { name: '/transformer/h.0/attn/MatMul' })
    .node('Div', ['w', 'scale'], ['ws'], {}, { name: '/transformer/h.0/attn/Div' })
    // causal_mask = bias[:, :, key_length - query_length : key_length, :key_length]
    .node('Shape', ['qh'], ['qh.shape'], {}, { name: '/transformer/h.0/attn/Shape_ql' })
    .node('Gather', ['qh.shape', 'im2'], ['ql'], { axis: 0 }, { name: '/transformer/h.0/attn/Gather_ql' })
    .node('Shape', ['kh'], ['kh.shape'], {}, { name: '/transformer/h.0/attn/Shape_kl' })
    .node('Gather', ['kh.shape', 'im2'], ['kl'], { axis: 0 }, { name: '/transformer/h.0/attn/Gather_kl' })
    .node('Sub', ['kl', 'ql'], ['start'], {}, { name: '/transformer/h.0/attn/Sub' })
    .node('Unsqueeze', ['start', 'ax0'], ['start1'], {}, { name: '/transformer/h.0/attn/Unsqueeze_s' })
    .node('Unsqueeze', ['kl', 'ax0'], ['kl1'], {}, { name: '/transformer/h.0/attn/Unsqueeze_k' })
    .node('Slice', ['attn.bias', 'start1', 'kl1', 'ax2'], ['mask_rows'], {}, { name: '/transformer/h.0/attn/Slice_rows' })
    .node('Slice', ['mask_rows', 's0', 'kl1', 'ax3'], ['mask'], {}, { name: '/transformer/h.0/attn/Slice_cols' })
    .node('Where', ['mask', 'ws', 'maskv'], ['wm'], {}, { name: '/transformer/h.0/attn/Where' })
    .node('Softmax', ['wm'], ['p'], { axis: -1 }, { name: '/transformer/h.0/attn/Softmax' })
    .node('MatMul', ['p', 'vh'], ['ctx'], {}, { name: '/transformer/h.0/attn/MatMul_1' })
    // _merge_heads: permute(0, 2, 1, 3).view(x.size()[:-2] + (heads * dh,))
    .node('Transpose', ['ctx'], ['ctxT'], { perm: [0, 2, 1, 3] }, { name: '/transformer/h.0/attn/Transpose_m' })
    .node('Shape', ['ctxT'], ['ctxT.shape'], {}, { name: '/transformer/h.0/attn/Shape_m' })
    .node('Slice', ['ctxT.shape', 's0', 'sm2', 'ax0'], ['ctxT.lead'], {}, { name: '/transformer/h.0/attn/Slice_m' })
    .node('Concat', ['ctxT.lead', 'merge'], ['merged.shape'], { axis: 0 }, { name: '/transformer/h.0/attn/Concat_m' })
    .node('Reshape', ['ctxT', 'merged.shape'], ['merged'], {}, { name: '/transformer/h.0/attn/Reshape_m' });
  conv1d('/transformer/h.0/attn/c_proj', 'merged', 'attn.c_proj.w', 'attn.c_proj.b', 'nf', 'attn_out');
  b.node('Add', ['attn_out', 'h0'], ['h1'], {}, { name: '/transformer/h.0/Add' })
    .node('LayerNormalization', ['h1', 'ln2.g', 'ln2.b'], ['ln2'], { axis: -1, epsilon: 1e-5 }, { name: '/transformer/h.0/ln_2/LayerNormalization' });
  conv1d('/transformer/h.0/mlp/c_fc', 'ln2', 'c_fc.w', 'c_fc.b', 'nf4', 'fc');
  // NewGELU: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
  b.node('Mul', ['half', 'fc'], ['g1'], {}, { name: '/transformer/h.0/mlp/act/Mul' })
    .node('Pow', ['fc', 'three'], ['g2'], {}, { name: '/transformer/h.0/mlp/act/Pow' })
    .node('Mul', ['c044', 'g2'], ['g3'], {}, { name: '/transformer/h.0/mlp/act/Mul_1' })
    .node('Add', ['fc', 'g3'], ['g4'], {}, { name: '/transformer/h.0/mlp/act/Add' })
    .node('Mul', ['c079', 'g4'], ['g5'], {}, { name: '/transformer/h.0/mlp/act/Mul_2' })
    .node('Tanh', ['g5'], ['g6'], {}, { name: '/transformer/h.0/mlp/act/Tanh' })
    .node('Add', ['one', 'g6'], ['g7'], {}, { name: '/transformer/h.0/mlp/act/Add_1' })
    .node('Mul', ['g1', 'g7'], ['gelu'], {}, { name: '/transformer/h.0/mlp/act/Mul_3' });
  conv1d('/transformer/h.0/mlp/c_proj', 'gelu', 'mlp.c_proj.w', 'mlp.c_proj.b', 'nf', 'mlp_out', 'flat4');
  b.node('Add', ['mlp_out', 'h1'], ['h2'], {}, { name: '/transformer/h.0/Add_1' })
    .output('h2', ['batch', 'sequence', d]);
  return b;
}

describe('torch-exported patterns', () => {
  it('a GPT-2 block folds every run-time shape and counts 12·d²·T + 2·T²·d MACs per sequence', () => {
    const [d, heads, vocab, ctx] = [64, 4, 100, 32];
    const p = profileModel(gpt2Block(d, heads, vocab, ctx).model(), { batch: 2, sequence: 16 });
    expect(p.warnings).toEqual([]);
    expect(p.uncounted).toEqual([]);
    const [B, T] = [2, 16];
    expect(p.totals.macs).toBe(B * (12 * d * d * T + 2 * T * T * d));
    // Parameters: embeddings, 12·d² + 9·d in the linear layers, 4·d in the two LayerNorms (the bool mask and scalars are not parameters).
    expect(p.totals.params).toBe(vocab * d + ctx * d + 12 * d * d + 9 * d + 4 * d);
    expect(p.nodes.find((n) => n.name === '/transformer/h.0/attn/Where')!.outputShape).toEqual([B, heads, T, T]);
    expect(p.nodes.find((n) => n.name === '/transformer/h.0/mlp/c_proj/Reshape_1')!.outputShape).toEqual([B, T, d]);
    // NewGELU in the decomposed form costs the 8 ops per element the table gives fused Gelu(approximate='tanh').
    const gelu = p.nodes.filter((n) => n.name.startsWith('/transformer/h.0/mlp/act/')).reduce((a, n) => a + n.otherOps, 0);
    expect(gelu).toBe(8 * B * T * 4 * d);
    const blocks = new Set(p.nodes.map((n) => n.block));
    expect(blocks).toEqual(new Set(['transformer', 'h.0']));
  });

  it('Slice to INT64_MAX with a shape-derived start (x[:, 1:] on tokens)', () => {
    const b = new GraphBuilder().input('x', ['batch', 197, 768])
      .init('one', [1], 'int64', [1]).init('end', [1], 'int64', [INT64_MAX]).init('ax', [1], 'int64', [1])
      .node('Slice', ['x', 'one', 'end', 'ax'], ['y']);
    expect(profileModel(b.model(), { batch: 1 }).nodes[0]!.outputShape).toEqual([1, 196, 768]);
  });
});
