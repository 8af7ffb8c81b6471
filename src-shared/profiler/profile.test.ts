import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/errors.js';
import { GraphBuilder } from './ir-builder.js';
import { profileModel } from './profile.js';

describe('whole networks, checked by an independent route', () => {
  it('3-layer MLP: MACs = batch · Σ in·out; params = Σ (in·out + out)', () => {
    const layers = [784, 256, 128, 10];
    const b = new GraphBuilder().input('x', ['batch', 784]);
    let prev = 'x';
    for (let i = 0; i < 3; i++) {
      const [fin, fout] = [layers[i]!, layers[i + 1]!];
      b.init(`fc${i}.weight`, [fout, fin]).init(`fc${i}.bias`, [fout])
        .node('Gemm', [prev, `fc${i}.weight`, `fc${i}.bias`], [`h${i}`], { transB: 1 }, { name: `/fc${i}/Gemm` });
      prev = `h${i}`;
      if (i < 2) {
        b.node('Relu', [prev], [`r${i}`], {}, { name: `/act${i}/Relu` });
        prev = `r${i}`;
      }
    }
    b.output(prev, ['batch', 10]);
    const p = profileModel(b.model(), { batch: 4 });
    let macs = 0;
    let params = 0;
    for (let i = 0; i < 3; i++) { macs += layers[i]! * layers[i + 1]!; params += layers[i]! * layers[i + 1]! + layers[i + 1]!; }
    expect(p.totals.macs).toBe(4 * macs);
    expect(p.totals.flops).toBe(8 * macs);
    expect(p.totals.params).toBe(params);
    expect(p.totals.otherOps).toBe(4 * (256 + 128 + 10) + 4 * (256 + 128)); // bias adds + ReLUs
    expect(p.totals.weightBytes).toBe(4 * params);
    expect(p.model.dims).toEqual({ batch: 4 });
    expect(p.model.inputs).toEqual([{ name: 'x', shape: [4, 784], dtype: 'float32' }]);
    expect(p.uncounted).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(p.nodes.map((n) => n.outputShape)).toEqual([[4, 256], [4, 256], [4, 128], [4, 128], [4, 10]]);
  });

  it('tiny CNN: conv MACs = weight elements × output positions × batch', () => {
    const b = new GraphBuilder().input('img', ['N', 3, 32, 32])
      .init('c1.w', [16, 3, 3, 3]).init('c1.b', [16])
      .init('bn.s', [16]).init('bn.b', [16]).init('bn.m', [16]).init('bn.v', [16])
      .init('c2.w', [32, 16, 3, 3])
      .init('dw.w', [32, 1, 3, 3])
      .init('fc.w', [10, 32]).init('fc.b', [10])
      .node('Conv', ['img', 'c1.w', 'c1.b'], ['a'], { pads: [1, 1, 1, 1] }, { name: '/features/features.0/Conv' })
      .node('BatchNormalization', ['a', 'bn.s', 'bn.b', 'bn.m', 'bn.v'], ['bn'], {}, { name: '/features/features.1/BatchNormalization' })
      .node('Relu', ['bn'], ['r1'], {}, { name: '/features/features.2/Relu' })
      .node('MaxPool', ['r1'], ['p1'], { kernel_shape: [2, 2], strides: [2, 2] }, { name: '/features/features.3/MaxPool' })
      .node('Conv', ['p1', 'c2.w'], ['c2'], { pads: [1, 1, 1, 1] }, { name: '/features/features.4/Conv' })
      .node('Relu', ['c2'], ['r2'], {}, { name: '/features/features.5/Relu' })
      .node('Conv', ['r2', 'dw.w'], ['dw'], { group: 32, strides: [2, 2], pads: [1, 1, 1, 1] }, { name: '/features/features.6/Conv' })
      .node('GlobalAveragePool', ['dw'], ['gap'], {}, { name: '/pool/GlobalAveragePool' })
      .node('Flatten', ['gap'], ['flat'], {}, { name: '/Flatten' })
      .node('Gemm', ['flat', 'fc.w', 'fc.b'], ['logits'], { transB: 1 }, { name: '/classifier/Gemm' })
      .output('logits', ['N', 10]);
    const p = profileModel(b.model(), { N: 2 });
    // Spatial sizes worked out by hand: 32 → 32 (3×3 pad 1) → 16 (pool) → 16 → 8 (stride 2).
    const expected = 2 * (16 * 3 * 9 * 32 * 32 + 32 * 16 * 9 * 16 * 16 + 32 * 1 * 9 * 8 * 8 + 10 * 32);
    expect(p.totals.macs).toBe(expected);
    expect(p.nodes.find((n) => n.name === '/features/features.6/Conv')!.outputShape).toEqual([2, 32, 8, 8]);
    expect(p.totals.params).toBe(16 * 27 + 16 + 4 * 16 + 32 * 16 * 9 + 32 * 9 + 10 * 32 + 10);
    expect(p.nodes.map((n) => n.block)).toEqual(['features.0', 'features.1', 'features.2', 'features.3', 'features.4', 'features.5', 'features.6', 'pool', null, 'classifier']);
    // Activation peak: the stem at step 0 holds img (3·32·32) and its output (16·32·32); at BN, a and bn (2 × 16·32·32).
    expect(p.totals.activationBytes).toBe(4 * 2 * Math.max(3 * 1024 + 16 * 1024, 2 * 16 * 1024));
  });

  it('scaled-dot-product attention on (1,12,64,64): the two matmuls give 12,582,912 FLOPs = 4·b·h·n²·d', () => {
    const [bsz, h, n, d] = [1, 12, 64, 64];
    const b = new GraphBuilder().input('q', [bsz, h, n, d]).input('k', [bsz, h, n, d]).input('v', [bsz, h, n, d])
      .init('scale', [], 'float32', [8])
      .node('Transpose', ['k'], ['kt'], { perm: [0, 1, 3, 2] })
      .node('MatMul', ['q', 'kt'], ['s'])
      .node('Div', ['s', 'scale'], ['ss'])
      .node('Softmax', ['ss'], ['a'], { axis: -1 })
      .node('MatMul', ['a', 'v'], ['o'])
      .output('o', [bsz, h, n, d]);
    const p = profileModel(b.model(), {});
    expect(p.totals.flops).toBe(12_582_912);
    expect(p.totals.flops).toBe(4 * bsz * h * n * n * d);
    expect(p.totals.otherOps).toBe(h * n * n * (1 + 5)); // scale + softmax per score
    expect(p.totals.params).toBe(0); // a scalar is a constant, not a parameter
  });

  it('a transformer attention block costs the same fused (com.microsoft Attention) and unfused', () => {
    const [S, H, heads] = [32, 96, 4];
    const dh = H / heads;
    const fused = new GraphBuilder().input('x', [1, S, H]).init('w', [H, 3 * H]).init('bias', [3 * H])
      .node('Attention', ['x', 'w', 'bias'], ['o'], { num_heads: heads }, { domain: 'com.microsoft' });
    const unfused = new GraphBuilder().input('x', [1, S, H]).init('w', [H, 3 * H]).init('bias', [3 * H])
      .init('split', [3], 'int64', [H, H, H]).init('hs', [4], 'int64', [1, S, heads, dh]).init('back', [3], 'int64', [1, S, H]).init('scale', [], 'float32', [Math.sqrt(dh)])
      .node('MatMul', ['x', 'w'], ['qkv0']).node('Add', ['qkv0', 'bias'], ['qkv'])
      .node('Split', ['qkv', 'split'], ['q0', 'k0', 'v0'], { axis: 2 });
    for (const t of ['q', 'k', 'v']) {
      unfused.node('Reshape', [`${t}0`, 'hs'], [`${t}1`]).node('Transpose', [`${t}1`], [`${t}2`], { perm: t === 'k' ? [0, 2, 3, 1] : [0, 2, 1, 3] });
    }
    unfused.node('MatMul', ['q2', 'k2'], ['s']).node('Div', ['s', 'scale'], ['ss']).node('Softmax', ['ss'], ['a'], { axis: -1 })
      .node('MatMul', ['a', 'v2'], ['o0']).node('Transpose', ['o0'], ['o1'], { perm: [0, 2, 1, 3] }).node('Reshape', ['o1', 'back'], ['o']);
    const pf = profileModel(fused.model(), {});
    const pu = profileModel(unfused.model(), {});
    expect(pu.nodes.at(-1)!.outputShape).toEqual([1, S, H]);
    expect(pf.totals.macs).toBe(pu.totals.macs);
    expect(pf.totals.macs).toBe(S * H * 3 * H + 2 * heads * S * S * dh);
    expect(pf.totals.otherOps).toBe(pu.totals.otherOps);
    expect(pf.totals.params).toBe(pu.totals.params);
  });
});

describe('totals and reporting', () => {
  it('a weight read by two nodes is counted once in totals, and shape data is not a parameter', () => {
    const b = new GraphBuilder().input('x', [2, 8]).init('W', [8, 8]).init('shape', [2], 'int64', [4, 4])
      .node('MatMul', ['x', 'W'], ['a']).node('MatMul', ['a', 'W'], ['y']).node('Reshape', ['y', 'shape'], ['z']);
    const p = profileModel(b.model(), {});
    expect(p.nodes.map((n) => n.params)).toEqual([64, 64, 0]);
    expect(p.totals.params).toBe(64);
    expect(p.totals.weightBytes).toBe(64 * 4 + 2 * 8);
  });

  it('parameters pass through a transposed (tied) weight to the node that uses it', () => {
    const b = new GraphBuilder().input('ids', [1, 5], 'int64').init('wte', [50, 16])
      .node('Gather', ['wte', 'ids'], ['e'], {}, { name: '/wte/Gather' })
      .node('Transpose', ['wte'], ['wteT'], { perm: [1, 0] }, { name: '/Transpose' })
      .node('MatMul', ['e', 'wteT'], ['logits'], {}, { name: '/lm_head/MatMul' });
    const p = profileModel(b.model(), {});
    expect(p.nodes.map((n) => [n.name, n.params])).toEqual([['/wte/Gather', 800], ['/Transpose', 0], ['/lm_head/MatMul', 800]]);
    expect(p.totals.params).toBe(800);
    expect(p.totals.macs).toBe(5 * 16 * 50);
  });

  it('an unknown op is listed in uncounted, its dependants as unknown-shape, and nothing throws', () => {
    const b = new GraphBuilder().input('x', [1, 4]).init('W', [4, 4])
      .node('MatMul', ['x', 'W'], ['a'])
      .node('LinearAttention', ['a'], ['g'], {}, { name: 'gqa', domain: 'com.microsoft' })
      .node('MatMul', ['g', 'W'], ['b'], {}, { name: 'after' })
      .node('Relu', ['b'], ['c'])
      .node('Custom', ['a'], ['d'], {}, { domain: 'org.example' })
      .node('Custom', ['a'], ['e'], {}, { domain: 'org.example' });
    const p = profileModel(b.model(), {});
    expect(p.uncounted).toEqual([
      { opType: 'Custom', count: 2, reason: 'no-counter' },
      { opType: 'LinearAttention', count: 1, reason: 'no-counter' },
      { opType: 'MatMul', count: 1, reason: 'unknown-shape' },
      { opType: 'Relu', count: 1, reason: 'unknown-shape' },
    ]);
    expect(p.nodes.find((n) => n.name === 'gqa')).toMatchObject({ counted: false, outputShape: null, macs: 0 });
    expect(p.nodes.find((n) => n.name === 'after')).toMatchObject({ counted: false, macs: 0 });
    expect(p.totals.macs).toBe(16);
    expect(p.warnings.join('\n')).toContain('not counted, no counter for: Custom ×2, LinearAttention ×1');
    expect(p.warnings.join('\n')).toContain("not counted, shapes unknown: 2 nodes (first: 'after'");
  });

  it('an unknown op whose output the file records lets the rest be counted', () => {
    const b = new GraphBuilder().input('x', ['batch', 4]).init('W', [4, 4])
      .node('Mystery', ['x'], ['m'], {}, { domain: 'org.example' })
      .valueInfo('m', ['batch', 4])
      .node('MatMul', ['m', 'W'], ['y']);
    const p = profileModel(b.model(), { batch: 3 });
    expect(p.totals.macs).toBe(3 * 16);
    expect(p.uncounted).toEqual([{ opType: 'Mystery', count: 1, reason: 'no-counter' }]);
  });

  it('If/Loop/Scan are reported as subgraphs', () => {
    const body = new GraphBuilder().graph();
    const b = new GraphBuilder().input('n', [], 'int64').input('c', [], 'bool')
      .node('Loop', ['n', 'c'], ['out'], { body: { type: 'graph', value: body } }, { name: 'loop' });
    const p = profileModel(b.model(), {});
    expect(p.uncounted).toEqual([{ opType: 'Loop', count: 1, reason: 'subgraph' }]);
    expect(p.warnings[0]).toMatch(/^Loop node 'loop': its subgraph is not entered/);
  });

  it('activation memory: inputs count, initializers do not, views alias, tensors die after their last use', () => {
    const elems = 1000;
    const bytes = 4 * elems;
    const chain = new GraphBuilder().input('x', [1, elems]).init('W', [elems, elems]).init('t', [2], 'int64', [elems, 1])
      .node('Relu', ['x'], ['a']).node('Reshape', ['a', 't'], ['b']).node('Neg', ['b'], ['c']).node('Abs', ['c'], ['d']).output('d', [elems, 1]);
    expect(profileModel(chain.model(), {}).totals.activationBytes).toBe(2 * bytes);
    // x feeds two branches that meet again: x, p, q are live together when q is made.
    const branch = new GraphBuilder().input('x', [1, elems])
      .node('Relu', ['x'], ['p']).node('Neg', ['x'], ['q']).node('Add', ['p', 'q'], ['y']).output('y', [1, elems]);
    expect(profileModel(branch.model(), {}).totals.activationBytes).toBe(3 * bytes);
    // A transpose of a weight is a weight, not an activation.
    const weights = new GraphBuilder().input('x', [1, 10]).init('W', [1000, 10])
      .node('Transpose', ['W'], ['Wt'], { perm: [1, 0] }).node('MatMul', ['x', 'Wt'], ['y']).output('y', [1, 1000]);
    expect(profileModel(weights.model(), {}).totals.activationBytes).toBe(4 * (10 + 1000));
    // Element types matter: float16 halves it.
    const half = new GraphBuilder().input('x', [1, elems], 'float16').node('Relu', ['x'], ['y']).output('y', [1, elems], 'float16');
    expect(profileModel(half.model(), {}).totals.activationBytes).toBe(2 * 2 * elems);
  });

  it('model info, opset and an unused binding warning; errors come out as ApiFailure', () => {
    const b = new GraphBuilder().input('x', ['batch', 3]).node('Relu', ['x'], ['y']);
    const p = profileModel(b.model({ opset: 13, source: 'tiny.onnx' }), { batch: 2, extra: 5 });
    expect(p.model).toMatchObject({ name: 'tiny.onnx', opset: 13, producer: 'hand-built', dims: { batch: 2 } });
    expect(p.warnings).toEqual(["--dim extra=5 matches no symbolic dimension of the model's inputs"]);
    expect(p).not.toHaveProperty('measured');
    expect(() => profileModel(b.model(), {})).toThrow(ApiFailure);
  });
});
