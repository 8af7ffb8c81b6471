/**
 * The kernel attribution (src-shared/profiler/attribution.ts) on graphs ONNX Runtime really
 * optimised: real torch.onnx exports (src-main/services/profiler/fixtures, weights zeroed) loaded
 * into an ORT session at its default level 'all', which writes the graph it runs
 * (optimizedModelFilePath). Each fusion the issue names is checked on the model that has it:
 * Conv+ReLU (ResNet-18), MatMul+bias+GELU (ViT-B/16's MLP → BiasGelu), the attention products
 * (ViT: MatMul with its Transpose → FusedMatMul), SiLU (EfficientNet: Sigmoid·x → QuickGelu), and
 * the NCHWc layout kernels with their reorders; and, on small graphs built here because torch 1.13
 * exports neither, MatMul + bias → Gemm and a written-out LayerNorm → LayerNormalization. No
 * kernel may stay unattributed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { attributeKernels, graphShape, type Attribution } from '../../../src-shared/profiler/attribution.js';
import { deviceModelFromPeaks, graphLinks, predictModel } from '../../../src-shared/profiler/cost-model.js';
import type { ModelIR } from '../../../src-shared/profiler/ir.js';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import { buildModel, TensorDataType } from '../onnx/build-graph.js';
import { loadModel } from '../onnx/load-model.js';
import { tempDir } from '../../testing/fixtures.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const dir = tempDir('flopscope-attribution-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The graph ORT optimises `bytes` into at level 'all' (written by it), and the attribution of its kernels. */
async function attributed(name: string, bytes: Uint8Array): Promise<{ original: ModelIR; optimized: ModelIR; attribution: Attribution }> {
  const file = path.join(dir, `${name}.onnx`);
  fs.writeFileSync(file, bytes);
  const optimizedFile = path.join(dir, `${name}.optimized.onnx`);
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimizedFile, intraOpNumThreads: 1, logSeverityLevel: 3 });
  await session.release();
  const [original, optimized] = await Promise.all([loadModel(file), loadModel(optimizedFile)]);
  return { original, optimized, attribution: attributeKernels(graphShape(original), graphShape(optimized)) };
}

/** A real export from the fixtures, optimised and attributed. */
const optimised = (name: string) => attributed(name, gunzipSync(fs.readFileSync(path.join(FIXTURES, `${name}.onnx.gz`))));

function opTypesOf(model: ModelIR, members: string[]): string[] {
  const byName = new Map(model.graph.nodes.map((n) => [n.name, n.opType] as const));
  return members.map((m) => byName.get(m) ?? '?');
}

/** Every optimised node is attributed, every original node is computed by one kernel at most or folded. */
function checkComplete({ original, optimized, attribution }: Awaited<ReturnType<typeof optimised>>): void {
  for (const n of optimized.graph.nodes) {
    const a = attribution.kernels.get(n.name);
    expect(a, n.name).toBeDefined();
    expect(a!.how, `${n.name} (${n.opType})`).not.toBe('unattributed');
    expect(a!.members.length, n.name).toBeGreaterThan(0);
  }
  const owned = [...attribution.kernels.values()].filter((a) => a.how !== 'helper').flatMap((a) => a.members);
  expect(new Set(owned).size).toBe(owned.length);
  expect(owned.length + attribution.folded.length).toBe(original.graph.nodes.length);
}

describe('kernel attribution on ORT-optimised real exports', () => {
  it('ResNet-18: NCHWc Convs carry their ReLU; the reorders join a Conv; nothing unattributed', async () => {
    const r = await optimised('resnet18');
    checkComplete(r);
    const convs = r.optimized.graph.nodes.filter((n) => n.opType === 'Conv' && n.name.endsWith('_nchwc'));
    expect(convs.length).toBeGreaterThan(10);
    const withRelu = convs.filter((c) => opTypesOf(r.original, r.attribution.kernels.get(c.name)!.members).includes('Relu'));
    expect(withRelu.length).toBeGreaterThan(5);
    for (const c of withRelu) expect(opTypesOf(r.original, r.attribution.kernels.get(c.name)!.members)).toContain('Conv');
    const reorders = r.optimized.graph.nodes.filter((n) => /^Reorder(Input|Output)$/.test(n.opType));
    expect(reorders.length).toBeGreaterThan(0);
    for (const n of reorders) expect(r.attribution.kernels.get(n.name)!.how).toBe('helper');
  });

  it('ViT-B/16: BiasGelu computes the MLP bias Add and the erf-GELU; attention products absorb their Transpose', async () => {
    const r = await optimised('vit_b_16');
    checkComplete(r);
    const gelus = r.optimized.graph.nodes.filter((n) => n.opType === 'BiasGelu' || n.opType === 'Gelu' || n.opType === 'FastGelu');
    expect(gelus.length).toBe(12); // one per encoder layer
    for (const g of gelus) {
      const types = opTypesOf(r.original, r.attribution.kernels.get(g.name)!.members);
      expect(types).toContain('Erf');
      expect(types.filter((t) => t === 'Mul').length).toBeGreaterThanOrEqual(2);
    }
    const fused = r.optimized.graph.nodes.filter((n) => n.opType === 'FusedMatMul');
    expect(fused.length).toBeGreaterThan(0);
    for (const f of fused) {
      const types = opTypesOf(r.original, r.attribution.kernels.get(f.name)!.members);
      expect(types).toContain('MatMul');
      expect(types.length).toBeGreaterThan(1);
    }
  });

  it('EfficientNet-B0: SiLU (Sigmoid·x) runs as QuickGelu and is attributed to both', async () => {
    const r = await optimised('efficientnet_b0');
    checkComplete(r);
    const silu = r.optimized.graph.nodes.filter((n) => n.opType === 'QuickGelu');
    expect(silu.length).toBeGreaterThan(0);
    for (const s of silu) {
      const a = r.attribution.kernels.get(s.name)!;
      expect(a.how).toBe('fused');
      expect(opTypesOf(r.original, a.members).sort()).toEqual(['Mul', 'Sigmoid']);
    }
  });
});

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
const weights = (n: number, v = 0.01) => f32(Array.from({ length: n }, (_, i) => v * ((i % 7) - 3)));

describe('kernel attribution on ORT-optimised built graphs', () => {
  it('MatMul + bias Add on 2-D input becomes one Gemm that computes both', async () => {
    const bytes = buildModel({
      inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: [4, 64] }],
      outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: [4, 32] }],
      nodes: [
        { name: 'fc', opType: 'MatMul', inputs: ['x', 'w'], outputs: ['h'] },
        { name: 'fc_bias', opType: 'Add', inputs: ['h', 'b'], outputs: ['y'] },
      ],
      initializers: [
        { name: 'w', dataType: TensorDataType.FLOAT, dims: [64, 32], raw: weights(64 * 32) },
        { name: 'b', dataType: TensorDataType.FLOAT, dims: [32], raw: weights(32, 0.1) },
      ],
    });
    const r = await attributed('gemm-bias', bytes);
    checkComplete(r);
    expect(r.optimized.graph.nodes).toHaveLength(1);
    const only = r.optimized.graph.nodes[0]!;
    expect(only.opType).toBe('Gemm');
    expect([...r.attribution.kernels.get(only.name)!.members].sort()).toEqual(['fc', 'fc_bias']);
  });

  it('the cost model fuses a bias Add, or an activation, into a MatMul exactly where ORT does', async () => {
    // ORT's MatMulAddFusion reshapes an input of rank 3 to 2-D only when its shape is fully known
    // while it optimises; FLOPscope passes no free-dimension overrides, so a symbolic batch keeps
    // the Add a kernel of its own. There is no MatMul + activation fusion on the CPU provider.
    const device = deviceModelFromPeaks(100, 20, 'test');
    const cases: Array<{ name: string; x: Array<number | string>; tail: 'relu' | 'bias' | 'bias+relu' }> = [
      { name: 'rank3-static', x: [1, 16, 64], tail: 'bias' },
      { name: 'rank3-symbolic', x: ['batch', 16, 64], tail: 'bias' },
      { name: 'rank2-symbolic', x: ['batch', 64], tail: 'bias+relu' },
      { name: 'rank3-symbolic-relu', x: ['batch', 16, 64], tail: 'bias+relu' },
      { name: 'rank2-relu', x: [4, 64], tail: 'relu' },
    ];
    for (const c of cases) {
      const nodes = [{ name: 'fc', opType: 'MatMul', inputs: ['x', 'w'], outputs: ['h'] }];
      if (c.tail !== 'relu') nodes.push({ name: 'fc_bias', opType: 'Add', inputs: ['h', 'b'], outputs: [c.tail === 'bias' ? 'y' : 'hb'] });
      if (c.tail !== 'bias') nodes.push({ name: 'act', opType: 'Relu', inputs: [c.tail === 'relu' ? 'h' : 'hb'], outputs: ['y'] });
      const bytes = buildModel({
        inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: c.x }],
        outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: [...c.x.slice(0, -1), 32] }],
        nodes,
        initializers: [
          { name: 'w', dataType: TensorDataType.FLOAT, dims: [64, 32], raw: weights(64 * 32) },
          { name: 'b', dataType: TensorDataType.FLOAT, dims: [32], raw: weights(32, 0.1) },
        ],
      });
      const r = await attributed(`fuse-${c.name}`, bytes);
      checkComplete(r);
      // What ORT did: the original nodes the MatMul's kernel computes.
      const matmulKernel = [...r.attribution.kernels.values()].find((a) => a.how !== 'helper' && a.members.includes('fc'))!;
      const profile = profileModel(r.original, { batch: 2 });
      const predicted = new Map(predictModel(graphLinks(r.original), profile.nodes, device).nodes.map((p) => [p.name, p.bound] as const));
      for (const other of nodes.slice(1).map((n) => n.name)) {
        const fusedByOrt = matmulKernel.members.includes(other);
        expect(predicted.get(other) === 'epilogue', `${c.name}: ${other} (ORT ran ${r.optimized.graph.nodes.map((n) => n.opType).join(', ')})`).toBe(fusedByOrt);
      }
    }
  });

  it('a LayerNorm written out (mean, sub, pow, mean, add eps, sqrt, div, scale, shift) runs as one LayerNormalization', async () => {
    const c = (name: string, v: number) => ({ name, dataType: TensorDataType.FLOAT, dims: [] as number[], raw: f32([v]) });
    const axes = { name: 'axes', type: 'ints' as const, value: [-1] };
    const bytes = buildModel({
      opset: 17,
      inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape: [2, 8, 64] }],
      outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape: [2, 8, 64] }],
      nodes: [
        { name: 'ln.mean', opType: 'ReduceMean', inputs: ['x'], outputs: ['m'], attributes: [axes] },
        { name: 'ln.sub', opType: 'Sub', inputs: ['x', 'm'], outputs: ['d'] },
        { name: 'ln.pow', opType: 'Pow', inputs: ['d', 'two'], outputs: ['d2'] },
        { name: 'ln.var', opType: 'ReduceMean', inputs: ['d2'], outputs: ['v'], attributes: [axes] },
        { name: 'ln.eps', opType: 'Add', inputs: ['v', 'eps'], outputs: ['ve'] },
        { name: 'ln.sqrt', opType: 'Sqrt', inputs: ['ve'], outputs: ['s'] },
        { name: 'ln.div', opType: 'Div', inputs: ['d', 's'], outputs: ['n'] },
        { name: 'ln.scale', opType: 'Mul', inputs: ['n', 'gamma'], outputs: ['g'] },
        { name: 'ln.shift', opType: 'Add', inputs: ['g', 'beta'], outputs: ['y'] },
      ],
      initializers: [
        c('two', 2),
        c('eps', 1e-5),
        { name: 'gamma', dataType: TensorDataType.FLOAT, dims: [64], raw: weights(64, 0.3) },
        { name: 'beta', dataType: TensorDataType.FLOAT, dims: [64], raw: weights(64, 0.1) },
      ],
    });
    const r = await attributed('layernorm', bytes);
    checkComplete(r);
    const ln = r.optimized.graph.nodes.find((n) => n.opType === 'LayerNormalization');
    expect(ln, r.optimized.graph.nodes.map((n) => n.opType).join(',')).toBeDefined();
    expect(r.attribution.kernels.get(ln!.name)!.members).toHaveLength(9);
  });
});
