import { describe, expect, it } from 'vitest';
import { MAC_ONLY_OPS, MOVE_OPS, OTHER_OPS, VIEW_OPS } from './count.js';
import { GraphBuilder } from './ir-builder.js';
import type { AttrInput } from './ir-builder.js';
import type { Dim } from './ir.js';
import { knownOpTypes, shapeRuleFor } from './ops/index.js';
import { profileModel } from './profile.js';
import type { ProfileNode } from './types.js';

type In = Dim[] | { w: number[] } | { c: number[]; dims?: number[] } | null;

/** Profiles one node: plain shapes are float inputs, {w} float weights, {c} int64 constants. */
function one(opType: string, inputs: In[], attrs: Record<string, AttrInput> = {}, domain = '', nOut = 1): ProfileNode {
  const b = new GraphBuilder();
  const names = inputs.map((s, i) => {
    if (s === null) return '';
    if (Array.isArray(s)) { b.input(`x${i}`, s); return `x${i}`; }
    if ('w' in s) { b.init(`w${i}`, s.w); return `w${i}`; }
    b.init(`c${i}`, s.dims ?? [s.c.length], 'int64', s.c);
    return `c${i}`;
  });
  b.node(opType, names, Array.from({ length: nOut }, (_, i) => `y${i}`), attrs, { name: 'n', domain });
  return profileModel(b.model(), {}).nodes[0]!;
}

describe('MACs of convolutions', () => {
  it('Conv = N·Cout·Hout·Wout·(Cin/groups)·kH·kW; bias adds go to otherOps', () => {
    const n = one('Conv', [[1, 3, 224, 224], { w: [64, 3, 7, 7] }, { w: [64] }], { strides: [2, 2], pads: [3, 3, 3, 3] });
    expect(n.macs).toBe(118_013_952); // ResNet-50 conv1: 1·64·112·112·3·7·7
    expect(n.flops).toBe(2 * 118_013_952);
    expect(n.otherOps).toBe(64 * 112 * 112);
    expect(n.params).toBe(64 * 3 * 49 + 64);
    expect(n.bytesRead).toBe(4 * (3 * 224 * 224 + 64 * 3 * 49 + 64));
    expect(n.bytesWritten).toBe(4 * 64 * 112 * 112);
  });
  it('grouped, depthwise and dilated', () => {
    expect(one('Conv', [[1, 32, 56, 56], { w: [64, 16, 3, 3] }], { group: 2, pads: [1, 1, 1, 1] }).macs).toBe(64 * 56 * 56 * 16 * 9);
    expect(one('Conv', [[1, 32, 112, 112], { w: [32, 1, 3, 3] }], { group: 32, strides: [2, 2], pads: [1, 1, 1, 1] }).macs).toBe(32 * 56 * 56 * 9);
    expect(one('Conv', [[2, 8, 32, 32], { w: [8, 8, 3, 3] }], { dilations: [2, 2] }).macs).toBe(2 * 8 * 28 * 28 * 8 * 9);
  });
  it('ConvTranspose = N·Cin·H·W·(Cout/groups)·kH·kW, checked against a brute-force scatter count', () => {
    const n = one('ConvTranspose', [[1, 2, 3, 3], { w: [2, 3, 2, 2] }], { strides: [2, 2] });
    expect(n.outputShape).toEqual([1, 3, 6, 6]);
    let scatter = 0;
    for (let ci = 0; ci < 2; ci++) for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) {
      for (let co = 0; co < 3; co++) for (let ky = 0; ky < 2; ky++) for (let kx = 0; kx < 2; kx++) {
        const oy = y * 2 + ky;
        const ox = x * 2 + kx;
        if (oy < 6 && ox < 6) scatter++;
      }
    }
    expect(n.macs).toBe(scatter);
    expect(one('ConvTranspose', [[1, 16, 14, 14], { w: [16, 4, 3, 3] }], { group: 2, strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }).macs).toBe(16 * 14 * 14 * 4 * 9);
  });
});

describe('MACs of matrix products', () => {
  it('Gemm: m·n·k, bias in otherOps', () => {
    const n = one('Gemm', [[8, 512], { w: [1000, 512] }, { w: [1000] }], { transB: 1 });
    expect(n.macs).toBe(8 * 512 * 1000);
    expect(n.otherOps).toBe(8 * 1000);
    expect(one('Gemm', [[64, 32], [10, 64]], { transA: 1, transB: 1, alpha: 0.5 }).otherOps).toBe(32 * 10);
  });
  it('MatMul: broadcast batch × m·n·k, and the 1-D cases', () => {
    expect(one('MatMul', [[2, 1, 3, 4], [5, 4, 6]]).macs).toBe(2 * 5 * 3 * 6 * 4);
    expect(one('MatMul', [[4], [4, 6]]).macs).toBe(24);
    expect(one('MatMul', [[3, 4], [4]]).macs).toBe(12);
    expect(one('MatMul', [[4], [4]]).macs).toBe(4);
    expect(one('MatMul', [[4], [4]]).otherOps).toBe(0);
  });
  it('Einsum "bhqd,bhkd->bhqk" equals the batched MatMul q·kᵀ', () => {
    const e = one('Einsum', [[2, 4, 8, 16], [2, 4, 10, 16]], { equation: 'bhqd,bhkd->bhqk' });
    const m = one('MatMul', [[2, 4, 8, 16], [2, 4, 16, 10]]);
    expect(e.macs).toBe(2 * 4 * 8 * 10 * 16);
    expect(e.macs).toBe(m.macs);
    // three operands contract left to right: (ij,jk)->ik then (ik,kl)->il
    expect(one('Einsum', [[2, 3], [3, 4], [4, 5]], { equation: 'ij,jk,kl->il' }).macs).toBe(2 * 3 * 4 + 2 * 4 * 5);
    // a single-operand sum: no MACs, one add per input element
    const sum = one('Einsum', [[6, 7]], { equation: 'ij->i' });
    expect([sum.macs, sum.otherOps]).toEqual([0, 42]);
    expect(one('Einsum', [[6, 7]], { equation: 'ij->ji' }).otherOps).toBe(0);
  });
  it('com.microsoft FusedMatMul and Attention', () => {
    expect(one('FusedMatMul', [[2, 8, 4], [2, 6, 8]], { transA: 1, transB: 1, alpha: 0.125 }, 'com.microsoft')).toMatchObject({ macs: 2 * 4 * 6 * 8, otherOps: 2 * 4 * 6 });
    const a = one('Attention', [[1, 64, 768], { w: [768, 2304] }, { w: [2304] }], { num_heads: 12 }, 'com.microsoft');
    const scores = 12 * 64 * 64;
    expect(a.macs).toBe(64 * 768 * 2304 + 2 * scores * 64);
    expect(a.otherOps).toBe(scores * 6 + 64 * 2304);
    const mha = one('MultiHeadAttention', [[1, 64, 768], [1, 64, 768], [1, 64, 768]], { num_heads: 12 }, 'com.microsoft');
    expect(mha.macs).toBe(2 * scores * 64);
  });
});

describe('otherOps of the other ops', () => {
  it('element-wise activations per the table', () => {
    const per = (op: string, attrs: Record<string, AttrInput> = {}): number => one(op, [[2, 5]], attrs).otherOps / 10;
    expect(per('Relu')).toBe(1);
    expect(per('Sigmoid')).toBe(4);
    expect(per('Tanh')).toBe(1);
    expect(per('Gelu')).toBe(5);
    expect(per('Gelu', { approximate: 'tanh' })).toBe(8);
    expect(per('HardSwish')).toBe(5);
    expect(per('LeakyRelu')).toBe(2);
    expect(per('Softmax')).toBe(5);
    expect(per('Erf')).toBe(1);
    expect(one('Add', [[2, 5], [5]]).otherOps).toBe(10);
    expect(one('Sum', [[2, 5], [5], [2, 1]]).otherOps).toBe(20);
    expect(one('Mean', [[2, 5], [5]]).otherOps).toBe(20);
  });
  it('Silu exported as Sigmoid then Mul costs 4 + 1 per element', () => {
    const b = new GraphBuilder().input('x', [3, 4]).node('Sigmoid', ['x'], ['s']).node('Mul', ['x', 's'], ['y']);
    expect(profileModel(b.model(), {}).totals.otherOps).toBe(12 * 5);
  });
  it('normalisations: BatchNorm 2/elem; LayerNorm 7/elem + 2/row, as its ONNX decomposition', () => {
    expect(one('BatchNormalization', [[1, 8, 4, 4], { w: [8] }, { w: [8] }, { w: [8] }, { w: [8] }]).otherOps).toBe(2 * 128);
    expect(one('LayerNormalization', [[2, 5, 8], { w: [8] }, { w: [8] }]).otherOps).toBe(7 * 80 + 2 * 10);
    expect(one('LayerNormalization', [[2, 5, 8], { w: [8] }]).otherOps).toBe(6 * 80 + 2 * 10);
    // The decomposition torch exports before opset 17: ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add.
    const b = new GraphBuilder().input('x', [2, 5, 8]).init('two', [], 'float32', [2]).init('eps', [], 'float32', [1e-5]).init('g', [8]).init('bb', [8])
      .node('ReduceMean', ['x'], ['m'], { axes: [-1] })
      .node('Sub', ['x', 'm'], ['d'])
      .node('Pow', ['d', 'two'], ['d2'])
      .node('ReduceMean', ['d2'], ['v'], { axes: [-1] })
      .node('Add', ['v', 'eps'], ['ve'])
      .node('Sqrt', ['ve'], ['sd'])
      .node('Div', ['d', 'sd'], ['nrm'])
      .node('Mul', ['nrm', 'g'], ['sc'])
      .node('Add', ['sc', 'bb'], ['y']);
    expect(profileModel(b.model(), {}).totals.otherOps).toBe(7 * 80 + 2 * 10);
  });
  it('exact Gelu equals its decomposition Div, Erf, Add, Mul, Mul', () => {
    const b = new GraphBuilder().input('x', [4, 6]).init('r2', [], 'float32', [Math.SQRT2]).init('one', [], 'float32', [1]).init('half', [], 'float32', [0.5])
      .node('Div', ['x', 'r2'], ['a']).node('Erf', ['a'], ['e']).node('Add', ['e', 'one'], ['p']).node('Mul', ['x', 'p'], ['q']).node('Mul', ['q', 'half'], ['y']);
    expect(profileModel(b.model(), {}).totals.otherOps).toBe(one('Gelu', [[4, 6]]).otherOps);
  });
  it('pooling: kernel taps per output; global pools and ReduceMean: input elements', () => {
    expect(one('MaxPool', [[1, 64, 112, 112]], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }).otherOps).toBe(64 * 56 * 56 * 9);
    expect(one('AveragePool', [[1, 4, 8, 8]], { kernel_shape: [2, 2], strides: [2, 2] }).otherOps).toBe(4 * 4 * 4 * 4);
    expect(one('GlobalAveragePool', [[2, 2048, 7, 7]]).otherOps).toBe(2 * 2048 * 49);
    expect(one('ReduceMean', [[2, 3, 4]], { axes: [-1] }).otherOps).toBe(24);
  });
  it('Resize: nearest costs nothing, bilinear 7 per output over two resized axes', () => {
    const resize = (mode: string): ProfileNode => {
      const b = new GraphBuilder().input('x', [1, 3, 10, 10]).init('s', [4], 'float32', [1, 1, 2, 2]).node('Resize', ['x', '', 's'], ['y'], { mode });
      return profileModel(b.model(), {}).nodes[0]!;
    };
    expect(resize('nearest')).toMatchObject({ otherOps: 0, counted: true, outputShape: [1, 3, 20, 20] });
    expect(resize('linear').otherOps).toBe(3 * 20 * 20 * 7);
    expect(resize('cubic').otherOps).toBe(3 * 20 * 20 * 31);
  });
  it('views cost nothing and move no bytes; data movement moves bytes only', () => {
    const r = one('Reshape', [[2, 6], { c: [3, 4] }]);
    expect(r).toMatchObject({ macs: 0, otherOps: 0, bytesRead: 0, bytesWritten: 0, counted: true, intensity: 0 });
    const t = one('Transpose', [[2, 6]], { perm: [1, 0] });
    expect(t).toMatchObject({ macs: 0, otherOps: 0, bytesRead: 48, bytesWritten: 48, counted: true, intensity: 0 });
  });
  it('intensity = (flops + otherOps) / bytes moved', () => {
    const n = one('Relu', [[2, 3]]);
    expect(n.intensity).toBeCloseTo(6 / 48);
    const m = one('MatMul', [[64, 64], [64, 64]]);
    expect(m.intensity).toBeCloseTo((2 * 64 ** 3) / (3 * 64 * 64 * 4));
  });
  it('LSTM: 4 gates × hidden × (input + hidden) per step', () => {
    const n = one('LSTM', [[5, 2, 10], { w: [1, 80, 10] }, { w: [1, 80, 20] }], { hidden_size: 20 }, '', 3);
    expect(n.outputShape).toEqual([5, 1, 2, 20]);
    expect(n.macs).toBe(5 * 2 * 4 * 20 * (10 + 20));
  });
});

describe('the cost table', () => {
  it('every op with a cost has a shape rule, and every custom rate has a counter that uses it', () => {
    const ops = [...VIEW_OPS, ...MOVE_OPS, ...MAC_ONLY_OPS, ...Object.keys(OTHER_OPS)];
    for (const op of ops) {
      const known = shapeRuleFor({ domain: '', opType: op }) ?? shapeRuleFor({ domain: 'com.microsoft', opType: op });
      expect(known, op).not.toBeNull();
    }
    const costed = new Set(ops);
    const { standard, contrib } = knownOpTypes();
    for (const op of [...standard, ...contrib]) expect(costed.has(op), `${op} has a shape rule but no cost`).toBe(true);
    for (const [op, rate] of Object.entries(OTHER_OPS)) {
      expect(rate.why.length, op).toBeGreaterThan(0);
      expect(rate.ops, op).toBeGreaterThan(0);
    }
  });
});
