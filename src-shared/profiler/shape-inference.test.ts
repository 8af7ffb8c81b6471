import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/errors.js';
import { GraphBuilder, tensorAttr } from './ir-builder.js';
import type { Dim } from './ir.js';
import { inferShapes } from './shape-inference.js';

const INT64_MAX = 2 ** 63; // INT64_MAX as the loader hands it over: a double, ~9.22e18
const INT64_MIN = -(2 ** 63);

/** One node with float inputs of the given shapes; returns its output shapes. */
function run1(opType: string, inputs: Array<Dim[] | { const: number[]; dims?: number[]; type?: 'int64' | 'float32' } | null>, attrs: Record<string, unknown> = {}, nOut = 1, domain = ''): Array<number[] | undefined> {
  const b = new GraphBuilder();
  const names = inputs.map((s, i) => {
    if (s === null) return '';
    if (Array.isArray(s)) { b.input(`x${i}`, s); return `x${i}`; }
    b.init(`c${i}`, s.dims ?? [s.const.length], s.type ?? 'int64', s.const);
    return `c${i}`;
  });
  const outs = Array.from({ length: nOut }, (_, i) => `y${i}`);
  b.node(opType, names, outs, attrs as never, { name: 'n', domain });
  const r = inferShapes(b.graph(), {});
  return outs.map((o) => r.shapes.get(o));
}

const shape1 = (...args: Parameters<typeof run1>): number[] | undefined => run1(...args)[0];

function failure(fn: () => unknown): ApiFailure {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    expect((e as ApiFailure).code).toBe('INVALID_REQUEST');
    return e as ApiFailure;
  }
  throw new Error('expected an ApiFailure');
}

describe('Conv shapes', () => {
  it('strided 7×7 stem with pads (ResNet conv1)', () => {
    expect(shape1('Conv', [[1, 3, 224, 224], [64, 3, 7, 7]], { strides: [2, 2], pads: [3, 3, 3, 3] })).toEqual([1, 64, 112, 112]);
  });
  it('grouped and depthwise convolutions', () => {
    expect(shape1('Conv', [[1, 32, 56, 56], [64, 16, 3, 3]], { group: 2, pads: [1, 1, 1, 1] })).toEqual([1, 64, 56, 56]);
    expect(shape1('Conv', [[1, 32, 112, 112], [32, 1, 3, 3]], { group: 32, strides: [2, 2], pads: [1, 1, 1, 1] })).toEqual([1, 32, 56, 56]);
  });
  it('dilation widens the kernel to (k−1)·d+1', () => {
    expect(shape1('Conv', [[1, 8, 32, 32], [8, 8, 3, 3]], { dilations: [2, 2], pads: [2, 2, 2, 2] })).toEqual([1, 8, 32, 32]);
    expect(shape1('Conv', [[1, 8, 32, 32], [8, 8, 3, 3]], { dilations: [2, 2] })).toEqual([1, 8, 28, 28]);
  });
  it('asymmetric pads and auto_pad', () => {
    expect(shape1('Conv', [[1, 1, 15, 15], [1, 1, 3, 3]], { strides: [2, 2], pads: [0, 1, 1, 0] })).toEqual([1, 1, 7, 7]);
    expect(shape1('Conv', [[1, 1, 15, 15], [1, 1, 3, 3]], { strides: [2, 2], auto_pad: 'SAME_UPPER' })).toEqual([1, 1, 8, 8]);
    expect(shape1('Conv', [[1, 1, 15, 15], [1, 1, 3, 3]], { strides: [2, 2], auto_pad: 'SAME_LOWER' })).toEqual([1, 1, 8, 8]);
    expect(shape1('Conv', [[1, 1, 15, 15], [1, 1, 3, 3]], { strides: [2, 2], auto_pad: 'VALID' })).toEqual([1, 1, 7, 7]);
  });
  it('1-D and 3-D', () => {
    expect(shape1('Conv', [[1, 4, 100], [8, 4, 5]], { strides: [3] })).toEqual([1, 8, 32]);
    expect(shape1('Conv', [[1, 2, 8, 16, 16], [4, 2, 3, 3, 3]], { pads: [1, 1, 1, 1, 1, 1] })).toEqual([1, 4, 8, 16, 16]);
  });
  it('rejects a channel mismatch, naming the node and tensors', () => {
    const e = failure(() => run1('Conv', [[1, 3, 8, 8], [4, 2, 3, 3]]));
    expect(e.message).toContain("Conv node 'n'");
    expect(e.message).toContain("'x0' [1,3,8,8] has 3 channels");
    expect(e.message).toContain("'x1' [4,2,3,3]");
  });
  it('rejects a kernel larger than the padded input', () => {
    expect(failure(() => run1('Conv', [[1, 1, 2, 2], [1, 1, 3, 3]])).message).toMatch(/does not fit spatial axis 0/);
  });
});

describe('ConvTranspose shapes', () => {
  it('stride 2 doubles: s·(in−1) + k − pads', () => {
    expect(shape1('ConvTranspose', [[1, 16, 14, 14], [16, 8, 4, 4]], { strides: [2, 2], pads: [1, 1, 1, 1] })).toEqual([1, 8, 28, 28]);
  });
  it('groups and output_padding', () => {
    expect(shape1('ConvTranspose', [[1, 16, 14, 14], [16, 4, 3, 3]], { group: 2, strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] })).toEqual([1, 8, 28, 28]);
  });
  it('output_shape wins, and SAME gives in·stride', () => {
    expect(shape1('ConvTranspose', [[1, 16, 14, 14], [16, 8, 3, 3]], { strides: [2, 2], output_shape: [30, 29] })).toEqual([1, 8, 30, 29]);
    expect(shape1('ConvTranspose', [[1, 16, 14, 14], [16, 8, 3, 3]], { strides: [2, 2], auto_pad: 'SAME_UPPER' })).toEqual([1, 8, 28, 28]);
  });
});

describe('matrix products', () => {
  it('Gemm with transA and transB', () => {
    expect(shape1('Gemm', [[64, 32], [10, 64]], { transA: 1, transB: 1 })).toEqual([32, 10]);
    expect(shape1('Gemm', [[8, 512], [1000, 512], [1000]], { transB: 1 })).toEqual([8, 1000]);
    const e = failure(() => run1('Gemm', [[8, 512], [1000, 512]]));
    expect(e.message).toContain("Gemm node 'n': inner dimensions differ (512 ≠ 1000)");
  });
  it('MatMul broadcasts batch dimensions', () => {
    expect(shape1('MatMul', [[2, 1, 3, 4], [5, 4, 6]])).toEqual([2, 5, 3, 6]);
    expect(shape1('MatMul', [[1, 12, 64, 64], [1, 12, 64, 64]])).toEqual([1, 12, 64, 64]);
  });
  it('MatMul 1-D operands', () => {
    expect(shape1('MatMul', [[4], [4, 6]])).toEqual([6]);
    expect(shape1('MatMul', [[3, 4], [4]])).toEqual([3]);
    expect(shape1('MatMul', [[4], [4]])).toEqual([]);
    expect(shape1('MatMul', [[7, 3, 4], [4]])).toEqual([7, 3]);
  });
  it('MatMul mismatch names the node and both tensors', () => {
    const e = failure(() => run1('MatMul', [[2, 3], [4, 5]]));
    expect(e.message).toBe("MatMul node 'n': inner dimensions differ (3 ≠ 4): input 'x0' [2,3] × input 'x1' [4,5]");
    expect(failure(() => run1('MatMul', [[2, 3, 4], [5, 4, 6]])).message).toMatch(/batch dimensions \[2\] and \[5\] do not broadcast/);
  });
  it('Einsum: attention scores, implicit output, ellipsis broadcasting, trace', () => {
    expect(shape1('Einsum', [[2, 4, 8, 16], [2, 4, 10, 16]], { equation: 'bhqd,bhkd->bhqk' })).toEqual([2, 4, 8, 10]);
    expect(shape1('Einsum', [[3, 4], [4, 5]], { equation: 'ij,jk' })).toEqual([3, 5]);
    expect(shape1('Einsum', [[2, 1, 3, 4], [5, 4, 6]], { equation: '...ij,...jk->...ik' })).toEqual([2, 5, 3, 6]);
    expect(shape1('Einsum', [[5, 5]], { equation: 'ii->' })).toEqual([]);
    expect(shape1('Einsum', [[2, 3, 4]], { equation: 'b i j -> b j i' })).toEqual([2, 4, 3]);
    expect(failure(() => run1('Einsum', [[2, 3], [4, 5]], { equation: 'ij,jk->ik' })).message).toMatch(/index 'j' is 3 in one operand and 4/);
  });
  it('FusedMatMul (com.microsoft) transposes', () => {
    expect(shape1('FusedMatMul', [[2, 8, 4], [2, 6, 8]], { transA: 1, transB: 1 }, 1, 'com.microsoft')).toEqual([2, 4, 6]);
  });
});

describe('pooling', () => {
  it('MaxPool 3×3/2 pad 1 (ResNet) and the indices output', () => {
    expect(run1('MaxPool', [[1, 64, 112, 112]], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, 2)).toEqual([[1, 64, 56, 56], [1, 64, 56, 56]]);
  });
  it('ceil_mode rounds up but drops a window starting in the end padding (PyTorch rule)', () => {
    expect(shape1('MaxPool', [[1, 1, 56, 56]], { kernel_shape: [3, 3], strides: [2, 2] })).toEqual([1, 1, 27, 27]);
    expect(shape1('MaxPool', [[1, 1, 56, 56]], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 })).toEqual([1, 1, 28, 28]);
    // torch.nn.MaxPool2d(2, 2, padding=1, ceil_mode=True) on 5×5 gives 3×3, not 4×4.
    expect(shape1('MaxPool', [[1, 1, 5, 5]], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 })).toEqual([1, 1, 3, 3]);
    expect(shape1('AveragePool', [[1, 1, 7, 7]], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })).toEqual([1, 1, 4, 4]);
  });
  it('global pools keep N and C', () => {
    expect(shape1('GlobalAveragePool', [[2, 2048, 7, 7]])).toEqual([2, 2048, 1, 1]);
    expect(shape1('GlobalMaxPool', [[2, 16, 5]])).toEqual([2, 16, 1]);
  });
});

describe('shape-manipulating ops', () => {
  it('folds the torch Shape → Gather → Unsqueeze → Concat → Reshape chain', () => {
    const b = new GraphBuilder()
      .input('x', ['batch', 3, 4, 4])
      .init('zero', [], 'int64', [0])
      .init('axes0', [1], 'int64', [0])
      .init('minus1', [1], 'int64', [-1])
      .node('Shape', ['x'], ['s'])
      .node('Gather', ['s', 'zero'], ['n'], { axis: 0 })
      .node('Unsqueeze', ['n', 'axes0'], ['n1'])
      .node('Concat', ['n1', 'minus1'], ['target'], { axis: 0 })
      .node('Reshape', ['x', 'target'], ['y'], {}, { name: '/Reshape' });
    const r = inferShapes(b.graph(), { batch: 2 });
    expect(r.consts.get('s')).toEqual([2, 3, 4, 4]);
    expect(r.shapes.get('n')).toEqual([]);
    expect(r.consts.get('target')).toEqual([2, -1]);
    expect(r.shapes.get('y')).toEqual([2, 48]);
    expect(r.types.get('target')).toBe('int64');
    expect(r.warnings).toEqual([]);
  });
  it('folds the Expand shape trick (ConstantOfShape, Mul, Equal, Where) and Constant nodes', () => {
    const b = new GraphBuilder()
      .input('x', [1, 1, 8])
      .node('Constant', [], ['shape'], { value: tensorAttr('int64', [3], [4, -1, 8]) })
      .node('Constant', [], ['len'], { value: tensorAttr('int64', [1], [3]) })
      .node('ConstantOfShape', ['len'], ['ones'], { value: tensorAttr('int64', [1], [1]) })
      .node('Constant', [], ['m1'], { value_int: -1 })
      .node('Mul', ['ones', 'm1'], ['neg'])
      .node('Equal', ['shape', 'neg'], ['isneg'])
      .node('Where', ['isneg', 'ones', 'shape'], ['fixed'])
      .node('Expand', ['x', 'fixed'], ['y']);
    const r = inferShapes(b.graph(), {});
    expect(r.consts.get('fixed')).toEqual([4, 1, 8]);
    expect(r.types.get('isneg')).toBe('bool');
    expect(r.shapes.get('y')).toEqual([4, 1, 8]);
  });
  it('Reshape: 0 copies, −1 infers, allowzero keeps a literal 0', () => {
    expect(shape1('Reshape', [[2, 3, 4], { const: [0, -1] }])).toEqual([2, 12]);
    expect(shape1('Reshape', [[2, 3, 4], { const: [4, 0, 2] }])).toEqual([4, 3, 2]);
    expect(failure(() => run1('Reshape', [[2, 3, 4], { const: [5, -1] }])).message).toBe("Reshape node 'n': cannot reshape input 'x0' [2,3,4] (24 elements) to [5,-1]");
    expect(failure(() => run1('Reshape', [[2, 3, 4], { const: [0, 5] }])).message).toMatch(/to \[0,5\] \(10 elements\)$/);
  });
  it('Flatten, Transpose, Squeeze, Unsqueeze (attribute and input axes)', () => {
    expect(shape1('Flatten', [[2, 3, 4, 5]])).toEqual([2, 60]);
    expect(shape1('Flatten', [[2, 3, 4, 5]], { axis: -1 })).toEqual([24, 5]);
    expect(shape1('Flatten', [[2, 3, 4, 5]], { axis: 0 })).toEqual([1, 120]);
    expect(shape1('Transpose', [[2, 3, 4]], { perm: [0, 2, 1] })).toEqual([2, 4, 3]);
    expect(shape1('Transpose', [[2, 3, 4]])).toEqual([4, 3, 2]);
    expect(shape1('Squeeze', [[1, 3, 1, 4]])).toEqual([3, 4]);
    expect(shape1('Squeeze', [[1, 3, 1, 4], { const: [-2] }])).toEqual([1, 3, 4]);
    expect(shape1('Squeeze', [[1, 3, 1, 4]], { axes: [0] })).toEqual([3, 1, 4]);
    expect(failure(() => run1('Squeeze', [[1, 3], { const: [1] }])).message).toMatch(/cannot squeeze axis 1 .* its size is 3/);
    expect(shape1('Unsqueeze', [[3, 4], { const: [0, -1] }])).toEqual([1, 3, 4, 1]);
    expect(shape1('Unsqueeze', [[3, 4]], { axes: [1] })).toEqual([3, 1, 4]);
  });
  it('Concat checks the other axes', () => {
    expect(shape1('Concat', [[2, 3], [2, 5]], { axis: -1 })).toEqual([2, 8]);
    expect(failure(() => run1('Concat', [[2, 3], [3, 5]], { axis: 1 })).message).toMatch(/Concat node 'n': input 'x1' \[3,5\] does not match input 'x0' \[2,3\] outside axis 1/);
  });
  it('Split by attribute, by input, by num_outputs and evenly', () => {
    expect(run1('Split', [[4, 5]], { axis: 1, split: [2, 3] }, 2)).toEqual([[4, 2], [4, 3]]);
    expect(run1('Split', [[4, 5], { const: [1, 4] }], { axis: 1 }, 2)).toEqual([[4, 1], [4, 4]]);
    expect(run1('Split', [[10]], { num_outputs: 3 }, 3)).toEqual([[4], [4], [2]]);
    expect(run1('Split', [[1, 6, 768]], { axis: 2 }, 3)).toEqual([[1, 6, 256], [1, 6, 256], [1, 6, 256]]);
    expect(failure(() => run1('Split', [[4, 5], { const: [2, 2] }], { axis: 1 }, 2)).message).toMatch(/do not add up to 5/);
  });
  it('Slice clamps INT64_MAX/MIN and handles negative starts and steps', () => {
    expect(shape1('Slice', [[1, 10, 8], { const: [2] }, { const: [INT64_MAX] }, { const: [1] }])).toEqual([1, 8, 8]);
    expect(shape1('Slice', [[1, 10, 8], { const: [-3] }, { const: [INT64_MAX] }, { const: [1] }])).toEqual([1, 3, 8]);
    expect(shape1('Slice', [[1, 10, 8], { const: [-1] }, { const: [INT64_MIN] }, { const: [1] }, { const: [-1] }])).toEqual([1, 10, 8]);
    expect(shape1('Slice', [[1, 10, 8], { const: [0, 1] }, { const: [INT64_MAX, 7] }, { const: [1, 2] }, { const: [3, 2] }])).toEqual([1, 4, 3]);
    expect(shape1('Slice', [[10], { const: [20] }, { const: [30] }])).toEqual([0]);
    // opset < 10 attributes
    expect(shape1('Slice', [[5, 6]], { starts: [1], ends: [-1], axes: [1] })).toEqual([5, 4]);
  });
  it('Slice and Gather fold constants', () => {
    const b = new GraphBuilder()
      .init('v', [5], 'int64', [10, 20, 30, 40, 50])
      .init('i', [2], 'int64', [-1, 0])
      .init('s', [1], 'int64', [1])
      .init('e', [1], 'int64', [INT64_MAX])
      .node('Gather', ['v', 'i'], ['g'])
      .node('Slice', ['v', 's', 'e'], ['sl']);
    const r = inferShapes(b.graph(), {});
    expect(r.consts.get('g')).toEqual([50, 10]);
    expect(r.consts.get('sl')).toEqual([20, 30, 40, 50]);
  });
  it('Gather with scalar and matrix indices (embedding lookup)', () => {
    expect(shape1('Gather', [[30522, 768], [1, 128]])).toEqual([1, 128, 768]);
    expect(shape1('Gather', [[2, 3, 4], { const: [1], dims: [] }], { axis: 1 })).toEqual([2, 4]);
  });
  it('Expand, Tile, Pad, ConstantOfShape, Range', () => {
    expect(shape1('Expand', [[3, 1], { const: [2, 1, 6] }])).toEqual([2, 3, 6]);
    expect(failure(() => run1('Expand', [[3, 2], { const: [4, 5] }])).message).toMatch(/cannot expand/);
    expect(shape1('Tile', [[2, 3], { const: [2, 2] }])).toEqual([4, 6]);
    expect(shape1('Pad', [[1, 3, 4, 4], { const: [0, 0, 1, 2, 0, 0, 1, 2] }])).toEqual([1, 3, 6, 8]);
    expect(shape1('Pad', [[1, 3, 4, 4]], { pads: [0, 0, 1, 1, 0, 0, 1, 1] })).toEqual([1, 3, 6, 6]);
    expect(shape1('ConstantOfShape', [{ const: [2, 3] }])).toEqual([2, 3]);
    expect(shape1('Range', [{ const: [0], dims: [] }, { const: [10], dims: [] }, { const: [3], dims: [] }])).toEqual([4]);
  });
  it('Resize by scales or sizes (opset 10, 11+, 18 axes) and Upsample', () => {
    expect(shape1('Resize', [[1, 3, 10, 10], null, { const: [1, 1, 2, 2], type: 'float32' }])).toEqual([1, 3, 20, 20]);
    expect(shape1('Resize', [[1, 3, 10, 10], null, null, { const: [1, 3, 7, 9] }])).toEqual([1, 3, 7, 9]);
    expect(shape1('Resize', [[1, 3, 10, 10], { const: [1, 1, 1.5, 1.5], type: 'float32' }])).toEqual([1, 3, 15, 15]);
    expect(shape1('Resize', [[1, 3, 10, 10], null, null, { const: [5, 5] }], { axes: [2, 3] })).toEqual([1, 3, 5, 5]);
    expect(shape1('Upsample', [[1, 3, 10, 10], { const: [1, 1, 2, 2], type: 'float32' }])).toEqual([1, 3, 20, 20]);
    expect(shape1('Resize', [[1, 3, 10, 10], { const: [], dims: [0], type: 'float32' }, { const: [], dims: [0], type: 'float32' }, { const: [1, 3, 4, 4] }])).toEqual([1, 3, 4, 4]);
  });
  it('Shape with start/end, Size', () => {
    const b = new GraphBuilder().input('x', [2, 3, 4, 5]).node('Shape', ['x'], ['s'], { start: 1, end: -1 }).node('Size', ['x'], ['n']);
    const r = inferShapes(b.graph(), {});
    expect(r.consts.get('s')).toEqual([3, 4]);
    expect(r.consts.get('n')).toEqual([120]);
  });
});

describe('element-wise, normalisation and reduction ops', () => {
  it('broadcasting binary ops and their mismatch error', () => {
    expect(shape1('Add', [[2, 1, 4], [3, 1]])).toEqual([2, 3, 4]);
    expect(shape1('Where', [[1, 1, 4, 4], [2, 12, 4, 4], []])).toEqual([2, 12, 4, 4]);
    expect(shape1('Max', [[3], [2, 1], [1, 1, 3]])).toEqual([1, 2, 3]);
    expect(failure(() => run1('Add', [[2, 3], [4]])).message).toBe("Add node 'n': cannot broadcast 'x0' [2,3] with 'x1' [4]");
  });
  it('activations and normalisations keep the shape', () => {
    for (const op of ['Relu', 'Sigmoid', 'Tanh', 'Gelu', 'Erf', 'HardSigmoid', 'HardSwish', 'Softplus', 'Elu', 'Selu', 'LeakyRelu', 'Sqrt', 'Exp', 'Log', 'Neg', 'Abs', 'Reciprocal', 'Softmax', 'LogSoftmax', 'CumSum', 'Trilu', 'Not', 'Identity']) {
      expect(shape1(op, [[2, 3, 5]]), op).toEqual([2, 3, 5]);
    }
    expect(shape1('Clip', [[2, 3], { const: [0], dims: [], type: 'float32' }, { const: [6], dims: [], type: 'float32' }])).toEqual([2, 3]);
    expect(shape1('PRelu', [[1, 8, 4, 4], [8, 1, 1]])).toEqual([1, 8, 4, 4]);
    expect(shape1('BatchNormalization', [[1, 8, 4, 4], [8], [8], [8], [8]])).toEqual([1, 8, 4, 4]);
    expect(run1('LayerNormalization', [[2, 5, 8], [8], [8]], { axis: -1 }, 3)).toEqual([[2, 5, 8], [2, 5, 1], [2, 5, 1]]);
    expect(shape1('GroupNormalization', [[2, 8, 4, 4], [8], [8]], { num_groups: 4 })).toEqual([2, 8, 4, 4]);
    expect(shape1('InstanceNormalization', [[2, 8, 4, 4], [8], [8]])).toEqual([2, 8, 4, 4]);
    expect(run1('Dropout', [[2, 3]], {}, 2)).toEqual([[2, 3], [2, 3]]);
  });
  it('Cast sets the element type and folds', () => {
    const b = new GraphBuilder().init('v', [2], 'float32', [2.7, -1.5]).node('Cast', ['v'], ['c'], { to: 7 });
    const r = inferShapes(b.graph(), {});
    expect(r.types.get('c')).toBe('int64');
    expect(r.consts.get('c')).toEqual([2, -1]);
  });
  it('reductions with axes as attribute or input, keepdims, noop', () => {
    expect(shape1('ReduceMean', [[2, 3, 4]], { axes: [-1], keepdims: 1 })).toEqual([2, 3, 1]);
    expect(shape1('ReduceMean', [[2, 3, 4]], { axes: [1, 2], keepdims: 0 })).toEqual([2]);
    expect(shape1('ReduceSum', [[2, 3, 4], { const: [0] }], { keepdims: 0 })).toEqual([3, 4]);
    expect(shape1('ReduceMax', [[2, 3, 4]], { keepdims: 0 })).toEqual([]);
    expect(shape1('ReduceSum', [[2, 3, 4], { const: [], dims: [0] }], { noop_with_empty_axes: 1 })).toEqual([2, 3, 4]);
    expect(run1('TopK', [[2, 10], { const: [3] }], {}, 2)).toEqual([[2, 3], [2, 3]]);
    expect(shape1('ArgMax', [[2, 10]], { axis: 1, keepdims: 0 })).toEqual([2]);
  });
});

describe('contrib (com.microsoft) ops', () => {
  it('Attention packs QKV; MultiHeadAttention takes projected Q, K, V', () => {
    expect(run1('Attention', [[2, 16, 768], [768, 2304], [2304]], { num_heads: 12 }, 1, 'com.microsoft')).toEqual([[2, 16, 768]]);
    expect(shape1('MultiHeadAttention', [[2, 16, 768], [2, 20, 768], [2, 20, 768]], { num_heads: 12 }, 1, 'com.microsoft')).toEqual([2, 16, 768]);
    expect(run1('SkipLayerNormalization', [[2, 16, 768], [2, 16, 768], [768], [768]], {}, 4, 'com.microsoft')[0]).toEqual([2, 16, 768]);
    expect(shape1('BiasGelu', [[2, 16, 3072], [3072]], {}, 1, 'com.microsoft')).toEqual([2, 16, 3072]);
    expect(shape1('FusedConv', [[1, 3, 8, 8], [4, 3, 3, 3]], { activation: 'Relu', pads: [1, 1, 1, 1] }, 1, 'com.microsoft')).toEqual([1, 4, 8, 8]);
  });
});

describe('graph-level errors', () => {
  it('an unbound symbolic dimension says how to bind it', () => {
    const b = new GraphBuilder().input('input_ids', ['batch', 'sequence'], 'int64').node('Identity', ['input_ids'], ['y']);
    const e = failure(() => inferShapes(b.graph(), { batch: 1 }));
    expect(e.message).toBe("input 'input_ids' dimension 'sequence' is symbolic: bind it with --dim sequence=<n>");
    const e2 = failure(() => inferShapes(b.graph(), {}));
    expect(e2.message).toMatch(/dimension 'batch' is symbolic.*\(and 1 more unbound dimension\)/);
    expect(e2.issues).toHaveLength(2);
    expect(inferShapes(b.graph(), { batch: 2, sequence: 7 }).shapes.get('y')).toEqual([2, 7]);
  });
  it('an unnamed dimension is bound as <input>:<axis>', () => {
    const b = new GraphBuilder().input('x', ['', 3]).node('Relu', ['x'], ['y']);
    expect(failure(() => inferShapes(b.graph(), {})).message).toBe("input 'x' dimension 0 has no size or name: bind it with --dim x:0=<n>");
    expect(inferShapes(b.graph(), { 'x:0': 5 }).shapes.get('y')).toEqual([5, 3]);
  });
  it('negative, zero and absurd dimensions', () => {
    const neg = new GraphBuilder().input('x', [-1, 3]).node('Relu', ['x'], ['y']);
    expect(failure(() => inferShapes(neg.graph(), {})).message).toBe("input 'x' dimension 0 is -1: dimensions must be positive integers");
    const zero = new GraphBuilder().input('x', [0, 3]).node('Relu', ['x'], ['y']);
    expect(failure(() => inferShapes(zero.graph(), {})).message).toMatch(/dimension 0 is 0/);
    const sym = new GraphBuilder().input('x', ['batch', 3]).node('Relu', ['x'], ['y']);
    expect(failure(() => inferShapes(sym.graph(), { batch: 0 })).message).toBe('--dim batch=0: a dimension must be an integer from 1 to 2^31');
    expect(failure(() => inferShapes(sym.graph(), { batch: -4 })).message).toMatch(/--dim batch=-4/);
    expect(failure(() => inferShapes(sym.graph(), { batch: 2 ** 32 })).message).toMatch(/--dim batch=4294967296/);
    const huge = new GraphBuilder().input('x', [2 ** 31 + 1]).node('Relu', ['x'], ['y']);
    expect(failure(() => inferShapes(huge.graph(), {})).message).toMatch(/more than 2\^31 is absurd/);
    const many = new GraphBuilder().input('x', [2 ** 26, 2 ** 26]).node('Relu', ['x'], ['y']);
    expect(inferShapes(many.graph(), {}).shapes.get('y')).toEqual([2 ** 26, 2 ** 26]);
    const tooMany = new GraphBuilder().input('x', [2 ** 30, 2 ** 30, 2 ** 30]).node('Relu', ['x'], ['y']);
    expect(failure(() => inferShapes(tooMany.graph(), {})).message).toBe("input 'x' has an absurd shape [1073741824,1073741824,1073741824] (more than 2^53 elements)");
    // An inferred shape that blows up names the node.
    const blow = new GraphBuilder().input('x', [2 ** 20, 1]).input('z', [1, 2 ** 20]).input('w', [2 ** 20, 1, 1]).node('Add', ['x', 'z'], ['a']).node('Add', ['a', 'w'], ['y'], {}, { name: 'boom' });
    expect(failure(() => inferShapes(blow.graph(), {})).message).toMatch(/^Add node 'boom' output 'y' has an absurd shape/);
  });
  it('a cycle names a node on it', () => {
    const b = new GraphBuilder().input('x', [2])
      .node('Add', ['x', 'c'], ['a'], {}, { name: 'A' })
      .node('Relu', ['a'], ['b'], {}, { name: 'B' })
      .node('Neg', ['b'], ['c'], {}, { name: 'C' })
      .node('Relu', ['x'], ['ok'], {}, { name: 'D' });
    const e = failure(() => inferShapes(b.graph(), {}));
    expect(e.message).toMatch(/^the graph has a cycle through \w+ node '[ABC]': /);
    expect(e.message).toContain("'A' (Add)");
    expect(e.message).toContain("'C' (Neg)");
    expect(e.message).not.toContain("'D'");
  });
  it('a node reading a tensor nobody produces', () => {
    const b = new GraphBuilder().input('x', [2]).node('Add', ['x', 'ghost'], ['y'], {}, { name: 'add1' });
    expect(failure(() => inferShapes(b.graph(), {})).message).toBe("Add node 'add1' reads tensor 'ghost', which no node produces and which is neither a graph input nor an initializer");
  });
  it('a tensor with two producers', () => {
    const b = new GraphBuilder().input('x', [2]).node('Relu', ['x'], ['y'], {}, { name: 'p' }).node('Neg', ['x'], ['y'], {}, { name: 'q' });
    expect(failure(() => inferShapes(b.graph(), {})).message).toMatch(/tensor 'y' is produced by both/);
  });
  it('orders an unsorted graph topologically, keeping file order where free', () => {
    const b = new GraphBuilder().input('x', [2])
      .node('Neg', ['a'], ['b'], {}, { name: 'second' })
      .node('Relu', ['x'], ['a'], {}, { name: 'first' })
      .node('Abs', ['x'], ['c'], {}, { name: 'free' });
    expect(inferShapes(b.graph(), {}).order.map((n) => n.name)).toEqual(['first', 'second', 'free']);
  });
});

describe('unknown ops and control flow never throw', () => {
  it('an unknown op leaves its outputs unknown, or takes them from value_info', () => {
    const b = new GraphBuilder().input('x', ['batch', 4])
      .node('MysteryOp', ['x'], ['m'], {}, { name: 'mystery', domain: 'com.example' })
      .node('Relu', ['m'], ['r'])
      .node('MysteryOp', ['x'], ['k'], {}, { name: 'known', domain: 'com.example' })
      .valueInfo('k', ['batch', 8])
      .node('Relu', ['k'], ['r2']);
    const r = inferShapes(b.graph(), { batch: 3 });
    expect(r.shapes.has('m')).toBe(false);
    expect(r.shapes.has('r')).toBe(false);
    expect(r.shapes.get('r2')).toEqual([3, 8]);
    expect(r.unknownOps).toEqual(new Set(['mystery', 'known']));
    expect(r.warnings.join('\n')).toContain('no shape rule for op com.example.MysteryOp (2 nodes): 1 took output shapes');
  });
  it('a non-constant Reshape target makes the output unknown, with a warning', () => {
    const b = new GraphBuilder().input('x', [2, 6]).input('t', [2], 'int64').node('Reshape', ['x', 't'], ['y'], {}, { name: 'r' });
    const r = inferShapes(b.graph(), {});
    expect(r.shapes.has('y')).toBe(false);
    expect(r.warnings).toEqual(["Reshape node 'r': shape 't' is not a constant, so the output shape is unknown"]);
  });
  it('If/Loop/Scan: the subgraph is not entered, with a warning', () => {
    const body = new GraphBuilder().graph();
    const b = new GraphBuilder().input('c', [], 'bool').node('If', ['c'], ['y'], { then_branch: { type: 'graph', value: body }, else_branch: { type: 'graph', value: body } }, { name: 'branch' });
    const r = inferShapes(b.graph(), {});
    expect(r.warnings[0]).toMatch(/^If node 'branch': its subgraph is not entered/);
    // Outputs both branches declare alike are known.
    const then = new GraphBuilder().output('t', ['n', 4]).graph();
    const other = new GraphBuilder().output('e', ['n', 4]).graph();
    const b2 = new GraphBuilder().input('c', [], 'bool').input('x', ['n', 4])
      .node('If', ['c'], ['y'], { then_branch: { type: 'graph', value: then }, else_branch: { type: 'graph', value: other } })
      .node('Relu', ['y'], ['z']);
    expect(inferShapes(b2.graph(), { n: 3 }).shapes.get('z')).toEqual([3, 4]);
  });
  it('a graph input that is also an initializer is a weight, not something to bind', () => {
    const b = new GraphBuilder().input('x', ['n', 4]).input('w', ['rows', 'cols']).init('w', [4, 5]).node('MatMul', ['x', 'w'], ['y']);
    const r = inferShapes(b.graph(), { n: 2 });
    expect(r.shapes.get('y')).toEqual([2, 5]);
    expect(r.inputs.map((i) => i.name)).toEqual(['x']);
  });
});
