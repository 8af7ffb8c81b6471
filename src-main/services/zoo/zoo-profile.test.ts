// Cross-check of the zoo against the profiler: each default model is built, read back by the ONNX
// loader (src-main/services/onnx/load-model.ts) and profiled (src-shared/profiler/profile.ts).
// Parameters must equal ours and the published count exactly; MACs must be within 1 % of the
// published figure for every CNN and ViT, and equal the closed-form count for the transformers.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileModel } from '../../../src-shared/profiler/profile.js';
import type { ProfileResult } from '../../../src-shared/profiler/types.js';
import { loadModel, loadModelFromBytes } from '../onnx/load-model.js';
import { buildZooModel, exportZooModel, planZooModel, ZOO, type ZooOptionValues } from './zoo.js';

async function profile(name: string, options: ZooOptionValues = {}, dims?: Record<string, number>): Promise<{ p: ProfileResult; params: number }> {
  const model = buildZooModel(name, options);
  const ir = await loadModelFromBytes(model.bytes, name);
  return { p: profileModel(ir, dims ?? model.dims), params: model.params };
}

/** Decoder-only MACs: per layer S·12d² (qkv, out, 4× MLP) + 2·S²·d (QKᵀ and AV), plus the LM head S·d·V. */
function decoderMacs(layers: number, d: number, s: number, vocab: number): number {
  return layers * (s * 12 * d * d + 2 * s * s * d) + s * d * vocab;
}

describe('zoo × profiler', () => {
  const withMacs = ZOO.filter((e) => e.reference?.macs !== undefined);

  it('covers every CNN and the ViT', () => {
    expect(withMacs.map((e) => e.name)).toEqual(['resnet18', 'resnet50', 'mobilenet-v1', 'mobilenet-v2', 'squeezenet1.1', 'efficientnet-b0', 'vit-b16']);
  });

  it.each(withMacs.map((e) => [e.name, e] as const))('%s: params exact, MACs within 1 % of the reference', async (_name, entry) => {
    const { p, params } = await profile(entry.name);
    expect(p.totals.params).toBe(params);
    // MobileNet v1's 4.2 M is the paper's rounded figure; the others are exact counts.
    if (entry.name === 'mobilenet-v1') expect(Math.abs(p.totals.params / entry.reference!.params! - 1)).toBeLessThan(0.01);
    else expect(p.totals.params).toBe(entry.reference!.params);
    expect(Math.abs(p.totals.macs / entry.reference!.macs! - 1)).toBeLessThan(0.01);
    expect(p.totals.flops).toBe(2 * p.totals.macs);
    expect(p.uncounted).toEqual([]);
    expect(p.model.dims).toEqual({ batch: 1 });
  });

  it('groups nodes by torch-style block names', async () => {
    const { p } = await profile('resnet18', { resolution: 64 });
    const blocks = new Set(p.nodes.map((n) => n.block));
    for (const b of ['layer1.0', 'layer1.1', 'layer4.1']) expect(blocks.has(b)).toBe(true);
    const vit = await profile('vit-b16', { depth: 2, resolution: 32 });
    expect(vit.p.nodes.find((n) => n.name === 'blocks.1.attn.scores')!.block).toBe('blocks.1');
  });

  it('gpt2: params exact (tied head counted once), MACs match the closed form at sequence 1024', async () => {
    const { p } = await profile('gpt2');
    expect(p.totals.params).toBe(124_439_808);
    expect(p.totals.macs).toBe(decoderMacs(12, 768, 1024, 50257));
    expect(p.model.dims).toEqual({ batch: 1, sequence: 1024 });
    expect(p.uncounted).toEqual([]);
  });

  it('bert-base: params exact (pooler included)', async () => {
    const { p } = await profile('bert-base');
    expect(p.totals.params).toBe(109_482_240);
    // Encoder at S = 512: 12 layers × (S·12d² + 2S²d), plus the pooler's d² on the [CLS] row.
    expect(p.totals.macs).toBe(12 * (512 * 12 * 768 * 768 + 2 * 512 * 512 * 768) + 768 * 768);
    expect(p.uncounted).toEqual([]);
  });

  it('moe-transformer: the profile counts all experts; expert nodes carry exactly the expert params', async () => {
    const options = { layers: 2, experts: 4, top_k: 1, d_model: 64, heads: 4, ffn: 256, vocab: 500, positions: 64, sequence: 32 };
    const { p, params } = await profile('moe-transformer', options);
    const moe = planZooModel('moe-transformer', options).moe!;
    expect(p.totals.params).toBe(params);
    const expertNodes = p.nodes.filter((n) => /^blocks\.\d+\.moe\.expert\d+\./.test(n.name));
    expect(expertNodes.reduce((a, n) => a + n.params, 0)).toBe(moe.expertParams);
    const expertMacs = expertNodes.reduce((a, n) => a + n.macs, 0);
    // All E experts run on every token: 2 layers × E × S × 2·d·ffn.
    expect(expertMacs).toBe(2 * 4 * 32 * 2 * 64 * 256);
    // Active per token: non-expert params + k/E of the expert params.
    expect(moe.activeParamsPerToken).toBe(params - moe.expertParams + moe.expertParams / 4);
    expect(p.uncounted).toEqual([]);
  });

  it('an exported file loads from disk and profiles like the in-memory bytes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'flopscope-zoo-profile-'));
    try {
      const out = path.join(dir, 'squeezenet.onnx');
      const written = await exportZooModel('squeezenet1.1', {}, out);
      const p = profileModel(await loadModel(out), written.dims);
      expect(p.totals.params).toBe(1_235_496);
      expect(p.model.fileBytes).toBe(written.fileBytes);
      expect(p.totals.macs).toBe((await profile('squeezenet1.1')).p.totals.macs);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
