/**
 * Comparing model runs of different architectures: rows line up only where two runs or more have
 * the block (or, when no blocks are shared, the op class); no row holds one run's value beside
 * dashes.
 */
import { describe, expect, it } from 'vitest';
import type { Run } from '../../api/types.js';
import type { ReportBlock } from '../../reports/report-parts.js';
import { kindOf } from './index.js';
import { profileKind } from './profile.js';

function run(id: number, nodes: Array<{ name: string; opType: string; block: string | null; flops: number }>, measured: Record<string, number> = {}): Run & { kind: 'profile' } {
  return {
    id,
    kind: 'profile',
    machineId: 'm',
    appVersion: 't',
    createdAt: '2026-12-07T00:00:00.000Z',
    params: {},
    uid: `u${id}`,
    tags: [],
    note: '',
    result: {
      model: { name: `model${id}` },
      totals: { params: 1, macs: 1, flops: nodes.reduce((s, n) => s + n.flops, 0), otherOps: 0, weightBytes: 1, activationBytes: 1 },
      nodes,
      ...(Object.keys(measured).length ? { measured: { latencyMs: { median: 1 }, nodes: Object.entries(measured).map(([name, ms]) => ({ name, ms })) } } : {}),
    },
  };
}

const compare = (runs: Array<Run & { kind: 'profile' }>): ReportBlock[] => profileKind.compare!(runs.map((r) => kindOf(r)));
const rowsOf = (blocks: ReportBlock[], id: string) => {
  const b = blocks.find((x) => x.id === id);
  return b && b.type === 'comparison' ? b.rows : null;
};

describe('profile comparison of different models', () => {
  it('compares per op class, never one value beside dashes, when the models share no blocks', () => {
    const cnn = run(1, [
      { name: 'conv1', opType: 'Conv', block: 'layer1.0', flops: 100 },
      { name: 'relu1', opType: 'Relu', block: 'layer1.0', flops: 0 },
      { name: 'fc', opType: 'MatMul', block: null, flops: 10 },
      { name: 'conv2', opType: 'Conv', block: 'layer2.0', flops: 50 },
    ]);
    const transformer = run(2, [
      { name: 'q', opType: 'MatMul', block: 'encoder.0', flops: 40 },
      { name: 'sm', opType: 'Softmax', block: 'encoder.0', flops: 5 },
      { name: 'k', opType: 'MatMul', block: 'encoder.1', flops: 40 },
    ]);
    const blocks = compare([cnn, transformer]);
    expect(rowsOf(blocks, 'per-block')).toBeNull();
    const rows = rowsOf(blocks, 'per-op')!;
    expect(rows.map((r) => r.key)).toEqual(['op.MatMul.flops']);
    expect(rows[0]!.values).toEqual([10, 80]);
    for (const r of rows) expect(r.values.filter((v) => v !== null).length).toBeGreaterThanOrEqual(2);
  });

  it('compares the blocks two models share, with measured time where both were run', () => {
    const a = run(1, [
      { name: 'a1', opType: 'MatMul', block: 'encoder.0', flops: 10 },
      { name: 'a2', opType: 'MatMul', block: 'encoder.1', flops: 20 },
      { name: 'a3', opType: 'MatMul', block: 'pooler', flops: 1 },
    ], { a1: 1, a2: 2 });
    const b = run(2, [
      { name: 'b1', opType: 'MatMul', block: 'encoder.0', flops: 30 },
      { name: 'b2', opType: 'MatMul', block: 'encoder.1', flops: 40 },
      { name: 'b3', opType: 'Gemm', block: 'classifier', flops: 2 },
    ], { b1: 3, b2: 4 });
    const rows = rowsOf(compare([a, b]), 'per-block')!;
    expect(rows.map((r) => r.key)).toEqual(['block.encoder.0.flops', 'block.encoder.0.ms', 'block.encoder.1.flops', 'block.encoder.1.ms']);
    expect(rows.find((r) => r.key === 'block.encoder.1.ms')!.values).toEqual([2, 4]);
  });
});
