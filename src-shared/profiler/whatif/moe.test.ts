// MoE accounting on a hand-built graph: E experts found from node names, k read from the
// router TopK's constant input, active = non-expert + k/E × expert params.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, tensorAttr } from '../ir-builder.js';
import { moeAccounting, topKOf } from './moe.js';
import { fakeProfile } from './test-profile.js';

/** One MoE layer: router [d, E] → Softmax → TopK(k), E experts of fc [d, f] + bias [f], and a head [d, 10]. */
function moeGraph(E: number, k: number, d = 8, f = 16, kAsConstant = false) {
  const b = new GraphBuilder().input('x', [1, d]);
  b.init('router.w', [d, E]).node('MatMul', ['x', 'router.w'], ['logits'], {}, { name: 'blocks.0.moe.router' });
  b.node('Softmax', ['logits'], ['probs'], { axis: -1 }, { name: 'blocks.0.moe.softmax' });
  if (kAsConstant) b.node('Constant', [], ['k'], { value: tensorAttr('int64', [1], [k]) }, { name: 'blocks.0.moe.k' });
  else b.init('k', [1], 'int64', [k]);
  b.node('TopK', ['probs', 'k'], ['topv', 'topi'], { axis: -1 }, { name: 'blocks.0.moe.topk' });
  const outs: string[] = [];
  for (let e = 0; e < E; e++) {
    b.init(`e${e}.w`, [d, f]).init(`e${e}.b`, [f]);
    b.node('MatMul', ['x', `e${e}.w`], [`h${e}`], {}, { name: `blocks.0.moe.expert${e}.fc` });
    b.node('Add', [`h${e}`, `e${e}.b`], [`o${e}`], {}, { name: `blocks.0.moe.expert${e}.fc.add_bias` });
    outs.push(`o${e}`);
  }
  b.node('Sum', outs, ['moe'], {}, { name: 'blocks.0.moe.combine' });
  b.init('head.w', [f, 10]).node('MatMul', ['moe', 'head.w'], ['y'], {}, { name: 'head' });
  return b.graph();
}

describe('moeAccounting', () => {
  it('active = non-expert + k/E × expert params', () => {
    const g = moeGraph(4, 2);
    const r = moeAccounting(g)!;
    const expert = 4 * (8 * 16 + 16);
    const nonExpert = 8 * 4 + 16 * 10; // router + head (the int64 k is not a parameter)
    expect(r.expertParams).toBe(expert);
    expect(r.nonExpertParams).toBe(nonExpert);
    expect(r.totalParams).toBe(expert + nonExpert);
    expect(r.layers).toEqual([{ prefix: 'blocks.0.moe', experts: 4, topK: 2, expertParams: expert, activeExpertParams: expert / 2 }]);
    expect(r.activeParamsPerToken).toBe(nonExpert + expert / 2);
    expect(r.warnings).toEqual([]);
  });

  it('reads k from a Constant node too', () => {
    const g = moeGraph(8, 1, 8, 16, true);
    expect(topKOf(g.nodes.find((n) => n.opType === 'TopK')!, g)).toBe(1);
    expect(moeAccounting(g)!.layers[0]!.topK).toBe(1);
  });

  it('scales expert-node FLOPs by k/E with a profile', () => {
    const g = moeGraph(4, 1);
    const p = fakeProfile([
      { name: 'blocks.0.moe.router', opType: 'MatMul', flops: 64 },
      ...[0, 1, 2, 3].map((e) => ({ name: `blocks.0.moe.expert${e}.fc`, opType: 'MatMul', flops: 256 })),
      { name: 'head', opType: 'MatMul', flops: 320 },
    ]);
    expect(moeAccounting(g, p)!.flops).toEqual({ graph: 64 + 4 * 256 + 320, active: 64 + 256 + 320 });
  });

  it('returns null for a graph without experts', () => {
    const g = new GraphBuilder().input('x', [1, 4]).init('w', [4, 4]).node('MatMul', ['x', 'w'], ['y'], {}, { name: 'fc' }).graph();
    expect(moeAccounting(g)).toBeNull();
  });
});
