// Weight readers and axes: output-channel and input axes per consumer layout, followed through
// a Transpose (tied LM head), and an embedding Gather's per-row axis.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../ir-builder.js';
import { weightAxes, weightUsage } from './weights.js';

describe('weightAxes', () => {
  const g = new GraphBuilder().input('x', [1, 3, 8, 8]).input('ids', [1, 4], 'int64')
    .init('conv.w', [16, 3, 3, 3]).node('Conv', ['x', 'conv.w'], ['c'], {}, { name: 'conv' })
    .init('fc.w', [10, 16]).init('fc.b', [10]).node('Gemm', ['p', 'fc.w', 'fc.b'], ['y'], { transB: 1 }, { name: 'fc' })
    .init('kn.w', [16, 10]).node('Gemm', ['p', 'kn.w'], ['y2'], {}, { name: 'fc_kn' })
    .init('mm.w', [16, 32]).node('MatMul', ['h', 'mm.w'], ['z'], {}, { name: 'mm' })
    .init('wte', [100, 16]).node('Gather', ['wte', 'ids'], ['emb'], {}, { name: 'wte' })
    .node('Transpose', ['wte'], ['wteT'], { perm: [1, 0] }, { name: 'lm_head.transpose' })
    .node('MatMul', ['emb', 'wteT'], ['logits'], {}, { name: 'lm_head' })
    .graph();
  const u = weightUsage(g);

  it('Conv [Cout, Cin, k, k]: out 0, in 1', () => {
    expect(weightAxes(u.get('conv.w')!)).toEqual({ channelAxis: 0, inputAxis: 1, products: ['conv'] });
  });
  it('Gemm transB=1 [N, K]: out 0, in 1; transB=0 [K, N]: out 1, in 0', () => {
    expect(weightAxes(u.get('fc.w')!)).toEqual({ channelAxis: 0, inputAxis: 1, products: ['fc'] });
    expect(weightAxes(u.get('kn.w')!)).toEqual({ channelAxis: 1, inputAxis: 0, products: ['fc_kn'] });
  });
  it('MatMul [K, N]: out 1, in 0', () => {
    expect(weightAxes(u.get('mm.w')!)).toEqual({ channelAxis: 1, inputAxis: 0, products: ['mm'] });
  });
  it('a tied head reads Transpose(wte): the product axes map back through the perm', () => {
    // lm_head sees [16, 100]: out axis 1 → wte axis 0 (vocab), in axis 0 → wte axis 1 (d).
    expect(weightAxes(u.get('wte')!)).toEqual({ channelAxis: 0, inputAxis: 1, products: ['lm_head'] });
    expect(u.get('wte')!.readers.map((r) => r.node.name).sort()).toEqual(['lm_head', 'wte']);
  });
  it('biases have readers but no product role', () => {
    expect(weightAxes(u.get('fc.b')!)).toEqual({ channelAxis: 0, inputAxis: null, products: [] });
  });
});
