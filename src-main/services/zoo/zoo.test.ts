import { mkdtemp, readdir, readFile, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { decodeModel, TensorDataType } from '../onnx/onnx-schema.js';
import { ZooGraph } from './graph.js';
import { makeDivisible } from './mobilenet-v2.js';
import { buildZooModel, exportZooModel, planZooModel, ZOO } from './zoo.js';

/** Sum of initializer elements, by our own walk of the plan (no weights generated). */
function countParams(name: string, options: Record<string, number | string> = {}): number {
  const { plan } = planZooModel(name, options);
  let n = 0;
  for (const t of plan.graph.initializers) n += t.dims.reduce((a, b) => a * b, 1);
  return n;
}

function failure(fn: () => unknown): ApiFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiFailure) return e;
    throw e;
  }
  throw new Error('expected an ApiFailure');
}

describe('zoo entries', () => {
  it('lists every family with options, help and cited references', () => {
    expect(ZOO.map((e) => e.name)).toEqual([
      'mlp', 'resnet18', 'resnet50', 'mobilenet-v1', 'mobilenet-v2', 'squeezenet1.1', 'efficientnet-b0', 'vit-b16', 'gpt2', 'bert-base', 'moe-transformer', 'llama', 'llama-int4',
    ]);
    for (const e of ZOO) {
      expect(e.title).not.toBe('');
      expect(e.description).not.toBe('');
      expect(e.options.some((o) => o.name === 'seed')).toBe(true);
      for (const o of e.options) {
        expect(o.help).not.toBe('');
        if (o.choices) expect(o.choices).toContain(o.default);
        if (typeof o.default === 'number') {
          if (o.min !== undefined) expect(o.default).toBeGreaterThanOrEqual(o.min);
          if (o.max !== undefined) expect(o.default).toBeLessThanOrEqual(o.max);
        }
      }
      if (e.reference) expect(e.reference.source.length).toBeGreaterThan(20);
    }
    // Plain JSON: what an API method can return as is.
    expect(JSON.parse(JSON.stringify(ZOO))).toEqual(ZOO);
  });

  // Exact where the reference is an exact count (torchvision's table, HF's num_parameters()).
  it.each([
    ['resnet18', 11_689_512],
    ['resnet50', 25_557_032],
    ['mobilenet-v2', 3_504_872],
    ['squeezenet1.1', 1_235_496],
    ['efficientnet-b0', 5_288_548],
    ['vit-b16', 86_567_656],
    ['gpt2', 124_439_808],
    ['bert-base', 109_482_240],
  ])('%s has exactly the reference parameter count at default options', (name, params) => {
    expect(countParams(name)).toBe(params);
    expect(planZooModel(name).params).toBe(params);
    expect(ZOO.find((e) => e.name === name)!.reference!.params).toBe(params);
  });

  it('mobilenet-v1 matches the paper\'s rounded 4.2 M (exact: conv + FC 4,210,088, + BN γ/β 21,888)', () => {
    expect(countParams('mobilenet-v1')).toBe(4_231_976);
    expect(Math.abs(countParams('mobilenet-v1') / 4.2e6 - 1)).toBeLessThan(0.01);
  });

  it('mlp parameters follow Σ (in·out + out)', () => {
    expect(countParams('mlp', { width: 100, depth: 2, features: 10, classes: 3 })).toBe(10 * 100 + 100 + 100 * 100 + 100 + 100 * 3 + 3);
    expect(countParams('mlp', { depth: 0, features: 10, classes: 3 })).toBe(33);
  });

  it('gpt2 ties the LM head by default; separate adds vocab × d_model', () => {
    expect(countParams('gpt2', { lm_head: 'separate' }) - countParams('gpt2')).toBe(50257 * 768);
    const tied = planZooModel('gpt2', { layers: 1 }).plan.graph.nodes.find((n) => n.name === 'lm_head')!;
    expect(tied.inputs[1]).toBe('lm_head.transpose_wte_output_0');
  });

  it('bert-base reference includes the pooler (108,891,648 without it)', () => {
    const plan = planZooModel('bert-base').plan;
    const pooler = plan.graph.initializers.filter((t) => t.name.startsWith('pooler.')).reduce((n, t) => n + t.elements, 0);
    expect(pooler).toBe(590_592);
    expect(plan.graph.params - pooler).toBe(108_891_648);
  });

  it('width multipliers and torchvision rounding', () => {
    expect(makeDivisible(32 * 0.35)).toBe(16);
    expect(makeDivisible(1280)).toBe(1280);
    expect(makeDivisible(96 * 0.5)).toBe(48);
    // mobilenet_v2(width_mult=0.5) by torchvision's rules: channels rounded to 8, last channel kept at 1280.
    expect(countParams('mobilenet-v2', { alpha: 0.5 })).toBe(1_968_680);
    // MobileNet v1 α = 0.5 (paper: 1.3 M parameters).
    expect(Math.abs(countParams('mobilenet-v1', { alpha: 0.5 }) / 1.3e6 - 1)).toBeLessThan(0.05);
    // Resolution does not change CNN parameters; it changes the ViT position embedding.
    expect(countParams('resnet50', { resolution: 160 })).toBe(25_557_032);
    expect(countParams('vit-b16') - countParams('vit-b16', { resolution: 384 })).toBe((197 - 577) * 768);
  });

  it('moe-transformer reports total vs active parameters per token', () => {
    const m = planZooModel('moe-transformer', { experts: 4, top_k: 1, layers: 2, d_model: 64, heads: 4, ffn: 128, vocab: 100, positions: 32, sequence: 16 });
    const expert = 64 * 128 + 128 + 128 * 64 + 64;
    expect(m.moe!.expertParams).toBe(2 * 4 * expert);
    expect(m.moe!.activeParamsPerToken).toBe(m.params - 2 * 4 * expert + 2 * expert);
    const names = m.plan.graph.nodes.map((n) => n.name);
    for (let e = 0; e < 4; e++) {
      expect(names).toContain(`blocks.0.moe.expert${e}.fc1`);
      expect(names).toContain(`blocks.1.moe.expert${e}.fc2`);
    }
    expect(names).toEqual(expect.arrayContaining(['blocks.0.moe.router', 'blocks.0.moe.softmax', 'blocks.0.moe.topk']));
  });

  it('names nodes hierarchically like torch exports', () => {
    const names = planZooModel('resnet18').plan.graph.nodes.map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['conv1', 'bn1', 'layer1.0.conv1', 'layer2.0.downsample.0', 'layer4.1.bn2', 'fc']));
    const vit = planZooModel('vit-b16').plan.graph.nodes.map((n) => n.name);
    expect(vit).toEqual(expect.arrayContaining(['conv_proj', 'blocks.0.attn.qkv', 'blocks.11.mlp.fc2', 'heads.head']));
  });

  it('has symbolic batch (and sequence) dims on the inputs with default bindings', () => {
    const r = planZooModel('resnet50');
    expect(r.inputs).toEqual([{ name: 'input', elemType: TensorDataType.FLOAT, shape: ['batch', 3, 224, 224] }]);
    expect(r.dims).toEqual({ batch: 1 });
    const gpt = planZooModel('gpt2');
    expect(gpt.inputs[0]!.shape).toEqual(['batch', 'sequence']);
    expect(gpt.dims).toEqual({ batch: 1, sequence: 1024 });
    expect(gpt.outputs[0]).toEqual({ name: 'logits', elemType: TensorDataType.FLOAT, shape: ['batch', 'sequence', 50257] });
  });
});

describe('zoo options', () => {
  it('rejects an unknown model, listing the available ones', () => {
    const f = failure(() => buildZooModel('resnet1000', {}));
    expect(f.code).toBe('INVALID_REQUEST');
    expect(f.message).toMatch(/unknown zoo model "resnet1000".*resnet18/);
  });

  it('rejects an unknown option, naming it and the valid ones', () => {
    const f = failure(() => planZooModel('resnet18', { depth: 3 }));
    expect(f.code).toBe('INVALID_REQUEST');
    expect(f.message).toMatch(/resnet18 has no option "depth".*resolution, width, classes, seed/);
  });

  it.each([
    ['resnet18', { resolution: 16 }, /option "resolution" must be an integer from 32 to 1024 \(got 16\)/],
    ['resnet18', { resolution: 100.5 }, /"resolution" must be an integer from 32 to 1024/],
    ['mobilenet-v1', { alpha: 9 }, /option "alpha" must be a number from 0.125 to 4 \(got 9\)/],
    ['gpt2', { lm_head: 'shared' }, /option "lm_head" must be one of "tied", "separate"/],
    ['mlp', { width: 'wide' }, /option "width" must be an integer from 1 to 65536 \(got "wide"\)/],
    ['vit-b16', { heads: 7 }, /option "width" must be a multiple of heads \(7\)/],
    ['vit-b16', { resolution: 200 }, /option "resolution" must be a multiple of patch \(16\)/],
    ['gpt2', { sequence: 2048 }, /option "sequence" must be at most positions \(1024\)/],
    ['moe-transformer', { top_k: 9 }, /option "top_k" must be at most experts \(8\)/],
  ] as const)('%s %j is refused', (name, options, message) => {
    const f = failure(() => planZooModel(name, options));
    expect(f.code).toBe('INVALID_REQUEST');
    expect(f.message).toMatch(message);
    expect(f.issues?.length).toBe(1);
  });

  it('accepts numeric strings (as the CLI passes them) and fills defaults', () => {
    const p = planZooModel('resnet18', { resolution: '160' });
    expect(p.options).toEqual({ resolution: 160, width: 1, classes: 1000, seed: 0 });
    expect(p.inputs[0]!.shape).toEqual(['batch', 3, 160, 160]);
  });
});

describe('zoo encoding', () => {
  it('is deterministic: same options → identical bytes; another seed → other weights, same graph', () => {
    const a = buildZooModel('resnet18', { resolution: 64 }).bytes;
    const b = buildZooModel('resnet18', { resolution: 64 }).bytes;
    expect(Buffer.compare(a, b)).toBe(0);
    const c = buildZooModel('resnet18', { resolution: 64, seed: 7 }).bytes;
    expect(c.length).toBe(a.length);
    expect(Buffer.compare(a, c)).not.toBe(0);
  });

  it('writes a ModelProto whose graph, initializers and raw weights decode as planned', () => {
    const options = { resolution: 64, alpha: 0.5 };
    const model = buildZooModel('mobilenet-v2', options);
    const { plan } = planZooModel('mobilenet-v2', options);
    const decoded = decodeModel(model.bytes);
    expect(decoded.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(decoded.producerName).toBe('flopscope');
    expect(decoded.docString).toMatch(/Random weights/);
    const g = decoded.graph!;
    expect(g.name).toBe('mobilenet-v2');
    expect(g.node.map((n) => n.name)).toEqual(plan.graph.nodes.map((n) => n.name));
    expect(g.input.map((i) => i.name)).toEqual(['input']);
    expect(g.output.map((o) => o.name)).toEqual(['logits']);
    expect(g.initializer.map((t) => [t.name, t.dims])).toEqual(plan.graph.initializers.map((t) => [t.name, t.dims]));
    let params = 0;
    for (const t of g.initializer) {
      expect(t.dataType).toBe(TensorDataType.FLOAT);
      const n = t.dims.reduce((a, b) => a * b, 1);
      expect(t.rawData!.length).toBe(4 * n);
      params += n;
    }
    expect(params).toBe(model.params);
    // Conv weights are He-uniform: within ±√(6 / fan_in), not constant, roughly centred.
    const w = g.initializer.find((t) => t.name === 'features.0.0.weight')!;
    const values = new Float32Array(Uint8Array.from(w.rawData!).buffer);
    const bound = Math.sqrt(6 / 27);
    expect(Math.max(...values)).toBeLessThanOrEqual(bound);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-bound);
    expect(new Set(values).size).toBeGreaterThan(values.length * 0.9);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length)).toBeLessThan(bound / 4);
    // BN running statistics are Constant nodes, not initializers (buffers, not parameters).
    const bn = g.node.find((n) => n.name === 'features.0.1')!;
    expect(bn.opType).toBe('BatchNormalization');
    expect(bn.input.slice(1, 3)).toEqual(['features.0.1.weight', 'features.0.1.bias']);
    expect(g.node.find((n) => n.output[0] === bn.input[3])!.opType).toBe('Constant');
  });

  it('builds resnet50 and vit-b16 at default size in reasonable time and memory', () => {
    for (const [name, params] of [['resnet50', 25_557_032], ['vit-b16', 86_567_656]] as const) {
      const t0 = performance.now();
      const m = buildZooModel(name);
      const ms = performance.now() - t0;
      expect(m.params).toBe(params);
      // Weights dominate; the rest (graph, tensor headers) is small.
      expect(m.bytes.length).toBeGreaterThan(params * 4);
      expect(m.bytes.length).toBeLessThan(params * 4 + 2_000_000);
      // Generation itself is ~2 ns per weight; most of this is the OS mapping fresh pages.
      expect(ms).toBeLessThan(10_000);
    }
  });

  it('refuses duplicate node or value names (a zoo bug, caught at plan time)', () => {
    const g = new ZooGraph();
    const x = g.input('x', ['batch', 4]);
    g.op('Relu', 'a', [x]);
    expect(() => g.op('Relu', 'a', [x])).toThrow(/duplicate node name a/);
    expect(() => g.param('x', [1], { kind: 'constant', value: 0 })).toThrow(/duplicate value name x/);
    expect(() => g.output('nope', [1])).toThrow(/not produced/);
  });
});

describe('exportZooModel', () => {
  let dir = '';
  beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'flopscope-zoo-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('writes the model atomically and leaves no temp file', async () => {
    const out = path.join(dir, 'mlp.onnx');
    const r = await exportZooModel('mlp', { width: 32 }, out);
    expect(r.file).toBe(out);
    const bytes = await readFile(out);
    expect(r.fileBytes).toBe(bytes.length);
    expect(Buffer.compare(bytes, buildZooModel('mlp', { width: 32 }).bytes)).toBe(0);
    expect(await readdir(dir)).toEqual(['mlp.onnx']);
    // Overwrites an existing file in one step.
    await exportZooModel('mlp', { width: 16 }, out);
    expect((await readFile(out)).length).toBeLessThan(bytes.length);
    expect(await readdir(dir)).toEqual(['mlp.onnx']);
  });

  it('names an unwritable path in an ApiFailure and leaves nothing behind', async () => {
    const missing = path.join(dir, 'no-such-folder', 'm.onnx');
    await expect(exportZooModel('mlp', {}, missing)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(`"${missing}": its folder does not exist`),
    });
    // Target is a folder: the rename fails after the temp file was written; the temp file goes.
    const folder = path.join(dir, 'a-folder');
    await mkdir(folder);
    await mkdir(path.join(folder, 'child'));
    await expect(exportZooModel('mlp', {}, folder)).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining(folder) });
    expect((await readdir(dir)).sort()).toEqual(['a-folder', 'mlp.onnx']);
  });

  it('validates options before touching the disk', async () => {
    const out = path.join(dir, 'bad.onnx');
    await expect(exportZooModel('mlp', { width: 0 }, out)).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('"width"') });
    expect(await readdir(dir)).not.toContain('bad.onnx');
  });
});
