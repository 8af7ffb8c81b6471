// Training what-if against hand-computed values: bytes per parameter (ZeRO §3.1), backward =
// 2× forward for products with the first-layer / frozen / attention exceptions, the 6N rule,
// batch scaling, and √n checkpointing memory (Chen et al. 2016).
import { describe, expect, it } from 'vitest';
import { fakeProfile } from './test-profile.js';
import { bytesPerParam, checkpointPlan, largestBatchThatFits, memoryVsBatch, trainingFlops, trainingMemory } from './training.js';

describe('bytes per parameter (ZeRO, Rajbhandari et al. 2020, §3.1)', () => {
  it('Adam with mixed precision is 2 + 2 + 12 = 16 bytes per parameter', () => {
    const b = bytesPerParam('adam', 'mixed-fp16');
    expect(b).toEqual({ weights: 2, gradients: 2, master: 4, optimizer: 8, total: 16 });
    expect(bytesPerParam('adamw', 'mixed-bf16').total).toBe(16);
  });
  it('fp32: SGD 8, momentum 12, Adam 16', () => {
    expect(bytesPerParam('sgd', 'fp32').total).toBe(8);
    expect(bytesPerParam('momentum', 'fp32').total).toBe(12);
    expect(bytesPerParam('adam', 'fp32').total).toBe(16);
    expect(bytesPerParam('momentum', 'mixed-fp16').total).toBe(12); // 2 + 2 + 4 master + 4
    expect(bytesPerParam('sgd', 'mixed-fp16').total).toBe(8);
  });
  it('a 1,000,000-parameter model under Adam mixed needs 16 MB of model state', () => {
    const p = fakeProfile([{ name: 'fc', opType: 'Gemm', params: 1_000_000, macs: 1_000_000, flops: 2_000_000 }], { inputs: [] });
    const m = trainingMemory(p, { optimizer: 'adam', precision: 'mixed-fp16' }, 1);
    expect(m.weights + m.gradients + m.master + m.optimizer).toBe(16_000_000);
    expect(m.weights).toBe(2_000_000);
    expect(m.master).toBe(4_000_000);
    expect(m.optimizer).toBe(8_000_000);
  });
});

describe('FLOPs per training step', () => {
  // linear1 (F=100) → relu → linear2 (F=200); other ops 10 / 5 / 20.
  const chain = fakeProfile([
    { name: 'l1', opType: 'Gemm', params: 50, macs: 50, flops: 100, otherOps: 10, bytesWritten: 40 },
    { name: 'act', opType: 'Relu', otherOps: 5, bytesWritten: 40 },
    { name: 'l2', opType: 'Gemm', params: 100, macs: 100, flops: 200, otherOps: 20, bytesWritten: 80 },
  ]);

  it('backward = dW + dX per product, and the first layer has no dX', () => {
    const f = trainingFlops(chain, { optimizer: 'sgd', precision: 'fp32' }, 1);
    expect(f.forward).toEqual({ flops: 300, otherOps: 35 });
    // l1: dW 100 (no dX: its input is data); act: 5; l2: dW 200 + dX 200.
    expect(f.backward).toEqual({ flops: 500, otherOps: 35 });
    expect(f.total).toEqual({ flops: 800, otherOps: 70 });
    expect(f.recompute).toEqual({ flops: 0, otherOps: 0 });
  });

  it('frozen layers compute no weight gradient, and nothing upstream of the first trainable layer', () => {
    const f = trainingFlops(chain, { optimizer: 'sgd', precision: 'fp32', frozen: ['l1'] }, 1);
    // l1 frozen and first: no backward; act: nothing upstream trainable; l2: dW only.
    expect(f.backward).toEqual({ flops: 200, otherOps: 20 });
    const g = trainingFlops(chain, { optimizer: 'sgd', precision: 'fp32', frozen: ['l2'] }, 1);
    // l1: dW 100; act 5; l2 frozen: dX 200 only (its input needs a gradient for l1).
    expect(g.backward).toEqual({ flops: 300, otherOps: 35 });
  });

  it('a product of two activations (attention) has two input gradients', () => {
    const p = fakeProfile([
      { name: 'qkv', opType: 'MatMul', params: 10, macs: 10, flops: 20 },
      { name: 'scores', opType: 'MatMul', macs: 30, flops: 60 },
    ]);
    const f = trainingFlops(p, { optimizer: 'adam', precision: 'fp32' }, 1);
    expect(f.backward.flops).toBe(20 + 2 * 60);
  });

  it('reproduces the 6N rule (Kaplan et al. 2020): forward 2N, backward 4N per token', () => {
    const tokens = 128;
    const layers = [4096, 16384, 16384, 4096]; // parameter counts of weight matrices
    const p = fakeProfile([
      { name: 'embed', opType: 'Gather', params: 50_000 }, // trainable, no FLOPs: everything after needs dX
      ...layers.map((n, i) => ({ name: `mm${i}`, opType: 'MatMul', params: n, macs: n * tokens, flops: 2 * n * tokens })),
    ]);
    const N = layers.reduce((a, b) => a + b, 0);
    const f = trainingFlops(p, { optimizer: 'adam', precision: 'fp32' }, 1);
    expect(f.forward.flops).toBe(2 * N * tokens);
    expect(f.backward.flops).toBe(4 * N * tokens);
    expect(f.total.flops).toBe(6 * N * tokens);
    expect(f.ratio).toBe(3);
  });

  it('scales linearly from the profiled batch and adds one forward with checkpointing', () => {
    const p2 = fakeProfile([{ name: 'l1', opType: 'Gemm', params: 50, macs: 50, flops: 100, otherOps: 10 }], { batch: 2 });
    const f = trainingFlops(p2, { optimizer: 'sgd', precision: 'fp32', checkpointing: true }, 8);
    expect(f.forward).toEqual({ flops: 400, otherOps: 40 });
    expect(f.backward).toEqual({ flops: 400, otherOps: 40 });
    expect(f.recompute).toEqual({ flops: 400, otherOps: 40 });
    expect(f.total.flops).toBe(1200);
  });
});

describe('activation memory and √n checkpointing (Chen et al. 2016)', () => {
  const layer = (i: number) => ({ name: `l${i}`, opType: 'Gemm', params: 1, macs: 1, flops: 2, bytesWritten: 100 });

  it('n equal layers: without checkpointing n·a; with it √n boundaries + one segment', () => {
    const p = fakeProfile(Array.from({ length: 16 }, (_, i) => layer(i)), { inputs: [{ name: 'x', shape: [1], dtype: 'float32' }] });
    const plain = trainingMemory(p, { optimizer: 'sgd', precision: 'fp32' }, 1);
    expect(plain.activations).toBe(4 + 16 * 100);
    const ck = trainingMemory(p, { optimizer: 'sgd', precision: 'fp32', checkpointing: true }, 1);
    // k = 4 segments of 4: 3 stored boundaries + 4 layers of the segment being recomputed.
    expect(ck.checkpoint).toEqual({ saving: 16, segments: 4, boundaryBytes: 300, largestSegmentBytes: 400 });
    expect(ck.activations).toBe(4 + 300 + 400);
  });

  it('uneven split: 10 layers → ⌈√10⌉ = 4 segments of ⌈10/4⌉ = 3 (3, 3, 3, 1)', () => {
    const plan = checkpointPlan(Array.from({ length: 10 }, () => ({ bytes: 100 })));
    expect(plan).toEqual({ saving: 10, segments: 4, boundaryBytes: 300, largestSegmentBytes: 300 });
    expect(checkpointPlan([])).toEqual({ saving: 0, segments: 0, boundaryBytes: 0, largestSegmentBytes: 0 });
  });

  it('activations scale with batch / profiled batch and halve under mixed precision', () => {
    const p = fakeProfile([layer(0), layer(1)], { batch: 2, inputs: [{ name: 'x', shape: [2, 3], dtype: 'float32' }] });
    const m = trainingMemory(p, { optimizer: 'sgd', precision: 'fp32' }, 8);
    expect(m.activations).toBe((24 + 200) * 4);
    const h = trainingMemory(p, { optimizer: 'sgd', precision: 'mixed-bf16' }, 8);
    expect(h.activations).toBe((24 + 200) * 2);
  });

  it('nodes before the first trainable node save nothing; frozen params keep only their weights', () => {
    const p = fakeProfile([
      { name: 'pre', opType: 'Mul', otherOps: 1, bytesWritten: 1000 },
      { name: 'l1', opType: 'Gemm', params: 10, macs: 1, flops: 2, bytesWritten: 100 },
      { name: 'l2', opType: 'Gemm', params: 20, macs: 1, flops: 2, bytesWritten: 100 },
    ], { inputs: [] });
    const m = trainingMemory(p, { optimizer: 'adam', precision: 'fp32', frozen: ['l1'] }, 1);
    expect(m.activations).toBe(100); // l1 frozen and first → not in backward; l2 saves 100
    expect(m.frozenParams).toBe(10);
    expect(m.trainableParams).toBe(20);
    expect(m.weights).toBe(30 * 4);
    expect(m.gradients).toBe(20 * 4);
    expect(m.optimizer).toBe(20 * 8);
  });

  it('memoryVsBatch gives one point per batch, growing only in activations', () => {
    const p = fakeProfile([layer(0), layer(1)], { inputs: [] });
    const pts = memoryVsBatch(p, { optimizer: 'adam', precision: 'fp32' }, [1, 2, 4]);
    expect(pts.map((x) => x.batch)).toEqual([1, 2, 4]);
    expect(pts.map((x) => x.activations)).toEqual([200, 400, 800]);
    expect(new Set(pts.map((x) => x.weights + x.gradients + x.optimizer)).size).toBe(1);
    expect(pts[2]!.total).toBe(2 * 16 + 800);
    expect(largestBatchThatFits(p, { optimizer: 'adam', precision: 'fp32' }, 500, [1, 2, 4])).toBe(2);
  });
});
