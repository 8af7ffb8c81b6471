// What-ifs on real zoo weights: quantizing the MLP (per-channel SQNR ≥ per-tensor on every layer,
// sizes), pruning ResNet-18 (50 % global leaves ≈ 50 % of the prunable weights; 2:4 exactly half
// of the eligible ones), ReLU activation sparsity of an MLP on random input (≈ 0.5), and the MoE
// accounting against the zoo's own.
import { describe, expect, it } from 'vitest';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import { moeAccounting } from '../../../src-shared/profiler/whatif/moe.js';
import { trainingMemory } from '../../../src-shared/profiler/whatif/training.js';
import { buildModel, TensorDataType, type InitializerSpec, type NodeSpec } from '../onnx/build-graph.js';
import { loadModelFromBytes } from '../onnx/load-model.js';
import { buildZooModel } from '../zoo/zoo.js';
import { activationSparsity } from './activation-sparsity.js';
import { pruneModel } from './prune-model.js';
import { quantizeModel } from './quantize-model.js';
import { gaussian, seededRandom } from './random-inputs.js';

/** A float32 tensor as raw little-endian bytes. */
function raw(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * The zoo MLP's architecture with trained-like weights: N(0, 1/in) rows whose scales spread
 * log-uniformly over 25× (trained layers' output channels differ in range; the zoo's i.i.d.
 * uniform init makes every channel span almost the same range).
 */
function trainedLikeMlp(): Uint8Array {
  const rand = seededRandom(42);
  const sizes = [784, 512, 512, 512, 10];
  const nodes: NodeSpec[] = [];
  const initializers: InitializerSpec[] = [];
  let x = 'input';
  for (let i = 0; i < 4; i++) {
    const [fin, fout] = [sizes[i]!, sizes[i + 1]!];
    const w = gaussian(fin * fout, rand);
    for (let o = 0; o < fout; o++) {
      const scale = Math.exp((rand() - 0.5) * Math.log(25)) / Math.sqrt(fin);
      for (let j = 0; j < fin; j++) w[o * fin + j]! *= scale;
    }
    const name = i < 3 ? `layers.${i}.fc` : 'head';
    initializers.push({ name: `${name}.weight`, dataType: TensorDataType.FLOAT, dims: [fout, fin], raw: raw(w) });
    initializers.push({ name: `${name}.bias`, dataType: TensorDataType.FLOAT, dims: [fout], raw: raw(new Float32Array(fout)) });
    const out = i < 3 ? `${name}.out` : 'logits';
    nodes.push({ opType: 'Gemm', name, inputs: [x, `${name}.weight`, `${name}.bias`], outputs: [out], attributes: [{ name: 'transB', type: 'int', value: 1 }] });
    x = out;
    if (i < 3) { nodes.push({ opType: 'Relu', name: `layers.${i}.relu`, inputs: [out], outputs: [`layers.${i}.act`] }); x = `layers.${i}.act`; }
  }
  return buildModel({
    inputs: [{ name: 'input', elemType: TensorDataType.FLOAT, shape: ['batch', 784] }],
    outputs: [{ name: 'logits', elemType: TensorDataType.FLOAT, shape: ['batch', 10] }],
    nodes, initializers,
  });
}

type Report = Awaited<ReturnType<typeof quantizeModel>>;
const sqnr = (t: Report['tensors'][number], bits: number, symmetric: boolean, g: string) =>
  t.results.find((x) => x.bits === bits && x.symmetric === symmetric && x.granularity === g)!.sqnrDb!;

describe('quantizeModel on the MLP', () => {
  it('zoo MLP: per-channel SQNR ≥ per-tensor on every layer (symmetric); sizes per format', async () => {
    const zoo = buildZooModel('mlp');
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const r = await quantizeModel(zoo.bytes, model, { bits: [8, 4] });
    expect(r.tensors.map((t) => t.name).sort()).toEqual(['head.weight', 'layers.0.fc.weight', 'layers.1.fc.weight', 'layers.2.fc.weight']);
    expect(r.tensors.every((t) => t.channelAxis === 0)).toBe(true); // Gemm transB=1: [out, in]
    for (const t of r.tensors) {
      for (const bits of [8, 4]) {
        expect(sqnr(t, bits, true, 'per-channel'), `${t.name} ${bits}-bit symmetric`).toBeGreaterThanOrEqual(sqnr(t, bits, true, 'per-tensor'));
        // i.i.d. uniform init: every channel spans ≈ the tensor's range, so asymmetric per-channel
        // gains ≈ 0 and the zero-point rounding can cost a few hundredths of a dB on the 10-row head.
        expect(sqnr(t, bits, false, 'per-channel'), `${t.name} ${bits}-bit asymmetric`).toBeGreaterThanOrEqual(sqnr(t, bits, false, 'per-tensor') - 0.05);
      }
    }
    const mean = (bits: number) => r.summary.find((s) => s.bits === bits && s.symmetric && s.granularity === 'per-channel')!.meanSqnrDb!;
    expect(mean(8)).toBeGreaterThan(40);
    expect(mean(8) - mean(4)).toBeGreaterThan(4 * 6.02 - 1.5);
    expect(r.skipped.map((s) => s.name).sort()).toEqual(['head.bias', 'layers.0.fc.bias', 'layers.1.fc.bias', 'layers.2.fc.bias']);
    const weights = 784 * 512 + 512 * 512 * 2 + 512 * 10;
    const biases = 512 * 3 + 10;
    expect(r.sizes.fp32).toBe(4 * (weights + biases));
    expect(r.sizes.int8).toBe(weights + 4 * (512 * 3 + 10) + 4 * biases);
    expect(r.sizes.int4).toBe(weights / 2 + 4 * (512 * 3 + 10) + 4 * biases);
  });

  it('trained-like MLP (channel ranges differ): per-channel wins on every layer under every scheme', async () => {
    const bytes = trainedLikeMlp();
    const model = await loadModelFromBytes(bytes, 'mlp-trained-like');
    const r = await quantizeModel(bytes, model, { bits: [8, 4] });
    expect(r.tensors.length).toBe(4);
    for (const t of r.tensors) for (const bits of [8, 4]) for (const symmetric of [true, false]) {
      expect(sqnr(t, bits, symmetric, 'per-channel') - sqnr(t, bits, symmetric, 'per-tensor'), `${t.name} ${bits} ${symmetric}`).toBeGreaterThan(1);
    }
  });

  it('adds per-layer roofline speed-ups given a device', async () => {
    const zoo = buildZooModel('mlp', { width: 64, depth: 1 });
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const profile = profileModel(model, { batch: 1 });
    const r = await quantizeModel(zoo.bytes, model, { bits: [8], profile, device: { peakGflops: { fp32: 100 }, bandwidthGBs: 10 } });
    const int8 = r.speedups!.find((s) => s.format === 'int8')!;
    // Batch 1: every Gemm is a GEMV, memory-bound, and its bytes are almost all weights.
    for (const l of int8.layers.filter((x) => x.opType === 'Gemm')) {
      expect(l.bound).toBe('memory');
      expect(l.speedup).toBeGreaterThan(3);
      expect(l.speedup).toBeLessThanOrEqual(4);
    }
  });
});

describe('pruneModel on ResNet-18', () => {
  it('50 % global magnitude pruning leaves ≈ 50 % of the prunable weights; FLOPs drop per layer density', async () => {
    const zoo = buildZooModel('resnet18', { resolution: 64 });
    const model = await loadModelFromBytes(zoo.bytes, 'resnet18');
    const profile = profileModel(model, { batch: 1 });
    const r = await pruneModel(zoo.bytes, model, { method: 'global', sparsity: 0.5, profile });
    expect(r.tensors.length).toBe(21); // 20 convs + fc
    expect(Math.abs(r.achievedSparsity - 0.5)).toBeLessThan(0.001);
    expect(r.cost.params.prunable).toBe(11_678_912); // every conv and fc weight; BN and fc bias stay dense
    expect(r.cost.params.prunableKept / r.cost.params.prunable).toBeCloseTo(0.5, 2);
    expect(r.cost.params.before - r.cost.params.after).toBe(r.cost.params.prunable - r.cost.params.prunableKept);
    expect(r.cost.flops.after).toBeLessThan(r.cost.flops.before);
    expect(r.cost.flops.after).toBeGreaterThan(0.3 * r.cost.flops.before);
    for (const t of r.tensors) expect(t.energyKept).toBeGreaterThan(1 - (t.elements - t.kept) / t.elements); // big weights carry more energy
  });

  it('2:4 keeps exactly half of every eligible tensor and skips the 3-channel stem', async () => {
    const zoo = buildZooModel('resnet18', { resolution: 64 });
    const model = await loadModelFromBytes(zoo.bytes, 'resnet18');
    const r = await pruneModel(zoo.bytes, model, { method: '2:4', dims: { batch: 1 } });
    expect(r.tensors.filter((t) => !t.eligible).map((t) => t.name)).toEqual(['conv1.weight']);
    for (const t of r.tensors.filter((x) => x.eligible)) expect(t.kept).toBe(t.elements / 2);
    const layer = await pruneModel(zoo.bytes, model, { method: 'layerwise', sparsity: 0.3, dims: { batch: 1 } });
    for (const t of layer.tensors) expect(t.kept).toBe(t.elements - Math.floor(0.3 * t.elements));
  });
});

describe('activation sparsity from a real run', () => {
  it('a ReLU MLP on N(0,1) input outputs ≈ 50 % zeros per ReLU', async () => {
    const zoo = buildZooModel('mlp');
    const model = await loadModelFromBytes(zoo.bytes, 'mlp');
    const r = await activationSparsity({ bytes: zoo.bytes, name: 'mlp' }, model, { batch: 64 });
    expect(r.nodes.map((n) => n.name)).toEqual(['layers.0.relu', 'layers.1.relu', 'layers.2.relu']);
    for (const n of r.nodes) {
      expect(n.elements).toBe(64 * 512);
      expect(Math.abs(n.fraction - 0.5)).toBeLessThan(0.05);
    }
    expect(Math.abs(r.overall.fraction - 0.5)).toBeLessThan(0.03);
    expect(r.byOpType).toEqual([expect.objectContaining({ opType: 'Relu', nodes: 3 })]);
  });

  it('measures MobileNet-V2\'s ReLU6 (Clip) nodes', async () => {
    const zoo = buildZooModel('mobilenet-v2', { resolution: 64 });
    const model = await loadModelFromBytes(zoo.bytes, 'mobilenet-v2');
    const r = await activationSparsity({ bytes: zoo.bytes, name: 'mobilenet-v2' }, model, { batch: 1 });
    expect(r.nodes.length).toBe(model.graph.nodes.filter((n) => n.opType === 'Clip').length);
    expect(r.nodes.length).toBeGreaterThan(30);
    expect(r.overall.fraction).toBeGreaterThan(0.2);
    expect(r.overall.fraction).toBeLessThan(0.8);
  });
});

describe('MoE accounting on the zoo moe-transformer', () => {
  it('matches the zoo\'s own expert and active parameter counts', async () => {
    const zoo = buildZooModel('moe-transformer', { layers: 2, d_model: 64, heads: 4, vocab: 1000, positions: 64, sequence: 16, ffn: 128, experts: 4, top_k: 1 });
    const model = await loadModelFromBytes(zoo.bytes, 'moe');
    const profile = profileModel(model, { batch: 1, sequence: 16 });
    const r = moeAccounting(model.graph, profile)!;
    expect(r.totalParams).toBe(zoo.params);
    expect(r.expertParams).toBe(zoo.moe!.expertParams);
    expect(Math.round(r.activeParamsPerToken)).toBe(zoo.moe!.activeParamsPerToken);
    expect(r.layers.map((l) => [l.experts, l.topK])).toEqual([[4, 1], [4, 1]]);
    expect(r.flops!.active).toBeLessThan(r.flops!.graph);
  });
});

describe('training memory on ResNet-18', () => {
  it('Adam mixed: 16 bytes per parameter of model state; checkpointing cuts activations', async () => {
    const zoo = buildZooModel('resnet18', { resolution: 64 });
    const model = await loadModelFromBytes(zoo.bytes, 'resnet18');
    const profile = profileModel(model, { batch: 1 });
    const plain = trainingMemory(profile, { optimizer: 'adam', precision: 'mixed-fp16' }, 32);
    const ck = trainingMemory(profile, { optimizer: 'adam', precision: 'mixed-fp16', checkpointing: true }, 32);
    expect(plain.weights + plain.gradients + plain.master + plain.optimizer).toBe(16 * profile.totals.params);
    expect(ck.activations).toBeLessThan(0.7 * plain.activations);
    expect(ck.total).toBeLessThan(plain.total);
  });
});
