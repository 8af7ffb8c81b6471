import { describe, expect, it } from 'vitest';
import { attributeKernels, splitByWeight } from './attribution.js';

const n = (name: string, opType: string, inputs: string[], outputs: string[]) => ({ name, opType, inputs, outputs });

describe('attributeKernels (synthetic graphs)', () => {
  const original = {
    nodes: [
      n('conv', 'Conv', ['x', 'w'], ['c']),
      n('bn', 'BatchNormalization', ['c', 's', 'b', 'm', 'v'], ['d']),
      n('relu', 'Relu', ['d'], ['r']),
      n('fc', 'MatMul', ['r', 'w2'], ['f']),
      n('bias', 'Add', ['f', 'b2'], ['y']),
      n('shape', 'Shape', ['x'], ['sh']),
    ],
    sources: ['x', 'w', 's', 'b', 'm', 'v', 'w2', 'b2'],
  };

  it('maps kept, renamed-output and derived-name kernels; a reorder is a helper; shape arithmetic is folded', () => {
    const optimized = {
      nodes: [
        n('ReorderInput', 'ReorderInput', ['x'], ['x_nchwc']),
        n('r_nchwc', 'Conv', ['x_nchwc', 'w_folded'], ['t0']),
        n('ReorderOutput', 'ReorderOutput', ['t0'], ['r']),
        n('fc', 'Gemm', ['r', 'w2', 'b2'], ['y']),
      ],
      sources: ['x', 'w_folded', 'w2', 'b2'],
    };
    const a = attributeKernels(original, optimized);
    const sorted = (k: string) => ({ ...a.kernels.get(k)!, members: [...a.kernels.get(k)!.members].sort() });
    expect(sorted('r_nchwc')).toEqual({ members: ['bn', 'conv', 'relu'], how: 'fused' });
    expect(a.kernels.get('ReorderOutput')).toMatchObject({ how: 'helper', helperOf: 'r_nchwc' });
    expect(a.kernels.get('ReorderInput')).toMatchObject({ how: 'helper', helperOf: 'r_nchwc' });
    expect(sorted('fc')).toEqual({ members: ['bias', 'fc'], how: 'fused' });
    expect(a.folded).toEqual(['shape']);
  });

  it('a kernel nothing explains stays unattributed', () => {
    const a = attributeKernels(original, { nodes: [n('alien', 'Foo', ['q'], ['z'])], sources: [] });
    expect(a.kernels.get('alien')).toEqual({ members: [], how: 'unattributed' });
  });

  it('splits a fused kernel by the members\' predicted times, equally when none is known', () => {
    expect([...splitByWeight(10, ['a', 'b'], (m) => (m === 'a' ? 3 : 1))]).toEqual([['a', 7.5], ['b', 2.5]]);
    expect([...splitByWeight(10, ['a', 'b'], () => 0)]).toEqual([['a', 5], ['b', 5]]);
  });
});
