import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../gpu/cpu-reference.js';
import { findGpu } from '../hardware/gpu-catalog.js';
import {
  activationBytesPerLayer,
  analyzeParallelism,
  deviceFromGpu,
  modelStateBytes,
  pipelineBubbleFraction,
  ringAllReduceBytes,
  smallestFit,
  type ParallelismInput,
  type ParallelismResult,
  type ParallelismShape,
  type SmallestFitInput,
  type TrainingConfig,
  type ZeroStage,
} from './parallelism.js';

/** A decoder shape counted as shape.ts counts it: per layer 4d² + 2·d·ffn + 2d, final norm d, untied embeddings 2·V·d. */
function shapeOf(layers: number, d: number, heads: number, ffn = 4 * d, vocab = 32_000, context = 2048): ParallelismShape {
  const nonEmbeddingParams = layers * (4 * d * d + 2 * d * ffn + 2 * d) + d;
  return { layers, dModel: d, heads, headDim: d / heads, ffn, vocab, context, nonEmbeddingParams, exactParams: nonEmbeddingParams + 2 * vocab * d };
}

const GPT3 = shapeOf(96, 12288, 96, 4 * 12288, 51_200, 2048);
const H100 = { name: 'H100 SXM', memGB: 80, peakTflops: 989.4 };
const LINKS = { intraNode: 'nvlink-4', interNode: 'ib-ndr-400' } as const;

function input(shape: ParallelismShape, training: Partial<TrainingConfig>, extra: Partial<ParallelismInput> = {}): ParallelismInput {
  return {
    shape,
    training: {
      globalBatchTokens: 1024 * (training.seqLen ?? shape.context),
      microBatchSize: 1,
      dp: 1,
      tp: 1,
      pp: 1,
      zeroStage: 0,
      recompute: 'none',
      optimizer: 'adam',
      ...training,
    },
    device: H100,
    links: LINKS,
    ...extra,
  };
}

/** mulberry32 (shared with the GPU reference), so the property tests are reproducible. */
const rng = mulberry32;

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

describe('model states: ZeRO (Rajbhandari et al. 2020, Figure 1: Ψ = 7.5B, Nd = 64, K = 12)', () => {
  it.each<[ZeroStage, number]>([
    [0, 120],
    [1, 31.4],
    [2, 16.6],
    [3, 1.9],
  ])('stage %i: %f GB per device', (zeroStage, expected) => {
    const m = modelStateBytes({ params: 7.5e9, dp: 64, zeroStage });
    expect(m.total / 1e9).toBeCloseTo(expected, 1);
  });

  it('exact split: 2Ψ + 2Ψ + 12Ψ, sharded by stage', () => {
    expect(modelStateBytes({ params: 7.5e9, dp: 64, zeroStage: 1 })).toEqual({ weights: 15e9, grads: 15e9, optimizer: 12 * 7.5e9 / 64, total: 30e9 + 1.40625e9 });
    expect(modelStateBytes({ params: 7.5e9, dp: 64, zeroStage: 3 }).total).toBe(1.875e9);
    // fp32 training: 4 + 4 + 8 bytes per parameter.
    expect(modelStateBytes({ params: 1e9, dp: 1, zeroStage: 0, weightBytes: 4 }).total).toBe(16e9);
  });

  it('analyzeParallelism reproduces the same model states for a 7.5B dense shape on dp = 64', () => {
    const shape: ParallelismShape = { layers: 32, dModel: 4096, heads: 32, headDim: 128, ffn: 16384, vocab: 32000, context: 2048, exactParams: 7.5e9, nonEmbeddingParams: 7.5e9 };
    for (const [stage, gb] of [[0, 120], [1, 31.4], [2, 16.6], [3, 1.9]] as const) {
      const r = analyzeParallelism(input(shape, { dp: 64, zeroStage: stage, globalBatchTokens: 64 * 2048 }));
      const states = r.memory.weights + r.memory.grads + r.memory.optimizer;
      expect(states / 1e9).toBeCloseTo(gb, 1);
      expect(r.memory.total).toBeCloseTo(states + r.memory.activations, 0);
    }
  });
});

describe('activations per layer (Korthikanti et al. 2022, eq. 2 and Table 2), GPT-3 175B: h = 12288, a = 96, s = 2048, b = 1', () => {
  const base = { seqLen: 2048, microBatch: 1, hidden: 12288, heads: 96 };
  const sbh = 2048 * 12288; // 25,165,824

  it('no parallelism: sbh(34 + 5as/h) = sbh · 114', () => {
    expect(sbh * (34 + (5 * 96 * 2048) / 12288)).toBe(2_868_903_936);
    expect(activationBytesPerLayer({ ...base, recompute: 'none' })).toBe(2_868_903_936);
  });

  it('t = 8, tensor parallel only: sbh(10 + 24/t + 5as/(ht)) = sbh · 23', () => {
    expect(activationBytesPerLayer({ ...base, tp: 8, sequenceParallel: false, recompute: 'none' })).toBe(578_813_952);
  });

  it('t = 8, tensor + sequence parallel: sbh(34/t + 5as/(ht)) = sbh · 14.25', () => {
    expect(activationBytesPerLayer({ ...base, tp: 8, sequenceParallel: true, recompute: 'none' })).toBe(358_612_992);
  });

  it('t = 8, selective recomputation drops 5as/(ht): sbh · 13 (TP) and sbh · 4.25 (TP + SP)', () => {
    expect(activationBytesPerLayer({ ...base, tp: 8, sequenceParallel: false, recompute: 'selective' })).toBe(327_155_712);
    expect(activationBytesPerLayer({ ...base, tp: 8, sequenceParallel: true, recompute: 'selective' })).toBe(106_954_752);
  });

  it('full recomputation keeps the layer input: 2sbh', () => {
    expect(activationBytesPerLayer({ ...base, tp: 8, recompute: 'full' })).toBe(50_331_648);
  });

  it('ffn = 4h is the default; fp32 activations double it', () => {
    const a = activationBytesPerLayer({ ...base, recompute: 'none' });
    expect(activationBytesPerLayer({ ...base, ffn: 4 * 12288, recompute: 'none' })).toBe(a);
    expect(activationBytesPerLayer({ ...base, recompute: 'none', bytesScale: 2 })).toBe(2 * a);
  });

  it('the first pipeline stage holds pp micro-batches of L/pp layers (1F1B)', () => {
    const r = analyzeParallelism(input(GPT3, { tp: 8, pp: 8, dp: 1, recompute: 'selective' }));
    expect(r.activationsPerLayer).toBe(106_954_752);
    expect(r.inFlightMicroBatches).toBe(8);
    expect(r.memoryStage).toBe('first');
    // 8 in flight × 12 layers × per layer + 8 embedding-dropout masks of sbh/t.
    expect(r.stages.first.activations).toBe(8 * 12 * 106_954_752 + (8 * sbh) / 8);
    // The last stage: one micro-batch + the output layer 4sbh/t·(1 + v/h).
    expect(r.stages.last.activations).toBeCloseTo(12 * 106_954_752 + (4 * sbh * (1 + 51_200 / 12_288)) / 8, 3);
  });
});

describe('pipeline bubble (Narayanan et al. 2021 §2.2)', () => {
  it('(p − 1)/(m + p − 1)', () => {
    expect(pipelineBubbleFraction(1, 8)).toBe(0);
    expect(pipelineBubbleFraction(4, 8)).toBeCloseTo(3 / 11, 15);
    expect(pipelineBubbleFraction(8, 1)).toBeCloseTo(7 / 8, 15);
    // Narayanan's form: bubble time / ideal time = (p − 1)/m.
    const f = pipelineBubbleFraction(4, 12);
    expect(f / (1 - f)).toBeCloseTo(3 / 12, 15);
  });

  it('stretches the compute time by (m + p − 1)/m', () => {
    const r = analyzeParallelism(input(shapeOf(32, 4096, 32), { pp: 4, dp: 2, globalBatchTokens: 16 * 2048 }));
    expect(r.config.microBatches).toBe(8);
    expect(r.bubbleFraction).toBeCloseTo(3 / 11, 15);
    expect(r.time.computeWithBubbleSeconds).toBeCloseTo((r.time.computeSeconds * 11) / 8, 12);
  });
});

describe('time per step and MFU (Chowdhery et al. 2022 App. B)', () => {
  const small = shapeOf(24, 2048, 16);

  it('one device, no communication, no recomputation: MFU = kernelEfficiency', () => {
    const r = analyzeParallelism(input(small, { globalBatchTokens: 8 * 2048 }, { kernelEfficiency: 0.4 }));
    expect(r.communication.totalSeconds).toBe(0);
    expect(r.mfu).toBeCloseTo(0.4, 12);
    expect(r.hfu).toBeCloseTo(0.4, 12);
    // compute = 6·N_active·tokens / (peak · efficiency), N_active = non-embedding + output projection.
    const nActive = small.nonEmbeddingParams + small.vocab * small.dModel;
    expect(r.params.active).toBe(nActive);
    expect(r.time.computeSeconds).toBeCloseTo((6 * nActive * 8 * 2048) / (989.4e12 * 0.4), 12);
  });

  it('default kernel efficiency is 0.5; full recomputation adds a forward: HFU > MFU', () => {
    const r = analyzeParallelism(input(small, { globalBatchTokens: 8 * 2048, recompute: 'full' }));
    expect(r.config.kernelEfficiency).toBe(0.5);
    const attn = 12 * 24 * 16 * 128 * 2048;
    expect(r.flops.hardwarePerToken).toBeCloseTo(8 * r.params.active + attn / 3, 0);
    expect(r.mfu).toBeCloseTo((0.5 * r.flops.modelPerToken) / r.flops.hardwarePerToken, 12);
    expect(r.hfu).toBeCloseTo(0.5, 12);
  });

  it('includeAttentionFlops adds 12·L·H·Q·T per token', () => {
    const a = analyzeParallelism(input(small, { globalBatchTokens: 8 * 2048 }));
    const b = analyzeParallelism(input(small, { globalBatchTokens: 8 * 2048, includeAttentionFlops: true }));
    expect(b.flops.modelPerToken - a.flops.modelPerToken).toBe(12 * 24 * 16 * 128 * 2048);
  });

  it('no-overlap step = compute/(1 − bubble) + communication; overlapped = max of the two', () => {
    const r = analyzeParallelism(input(GPT3, { dp: 4, tp: 8, pp: 8, zeroStage: 1, recompute: 'selective', globalBatchTokens: 512 * 2048 }));
    expect(r.time.stepSeconds).toBeCloseTo(r.time.computeWithBubbleSeconds + r.communication.totalSeconds, 12);
    expect(r.time.stepSecondsOverlapped).toBe(Math.max(r.time.computeWithBubbleSeconds, r.communication.totalSeconds));
    expect(r.mfu).toBeLessThan(r.mfuOverlapped);
    expect(r.mfu).toBeCloseTo(r.flops.modelPerStep / (r.time.stepSeconds * 256 * 989.4e12), 12);
    expect(r.fits).toBe(true);
  });
});

describe('communication per step', () => {
  const shape = shapeOf(32, 4096, 32);
  const N = shape.exactParams;

  it('DP ring all-reduce 2·(n−1)/n·Ψ·2 bytes over NVLink inside a node', () => {
    const r = analyzeParallelism(input(shape, { dp: 8, globalBatchTokens: 8 * 2048 }));
    expect(r.communication.dp.bytes).toBeCloseTo(ringAllReduceBytes(8, 2 * N), 0);
    expect(r.communication.dp.bytes).toBeCloseTo(2 * (7 / 8) * N * 2, 0);
    expect(r.communication.dp.linkId).toBe('nvlink-4');
    expect(r.communication.dp.seconds).toBeCloseTo(r.communication.dp.bytes / 450e9, 12);
    expect(r.communication.tp.bytes).toBe(0);
    expect(r.communication.tp.linkId).toBeNull();
  });

  it('ZeRO-1 moves what DP moves; ZeRO-3 moves 1.5× (3Ψ vs 2Ψ, ZeRO §7) with one micro-batch', () => {
    const dp = (zeroStage: ZeroStage, mb = 1): number =>
      analyzeParallelism(input(shape, { dp: 8, zeroStage, globalBatchTokens: 8 * mb * 2048 })).communication.dp.bytes;
    expect(dp(1)).toBeCloseTo(dp(0), 0);
    expect(dp(2)).toBeCloseTo(dp(0), 0);
    expect(dp(3)).toBeCloseTo(1.5 * dp(0), 0);
    // With 4 micro-batches ZeRO-3 gathers for each; ZeRO-0 reduces once.
    expect(dp(0, 4)).toBeCloseTo(dp(0), 0);
    expect(dp(3, 4)).toBeCloseTo(4 * 1.5 * dp(0), 0);
  });

  it('DP beyond one node uses the inter-node link', () => {
    const r = analyzeParallelism(input(shape, { dp: 16, globalBatchTokens: 16 * 2048 }));
    expect(r.communication.dp.linkId).toBe('ib-ndr-400');
    expect(r.communication.dp.crossesNodes).toBe(true);
    expect(r.config.nodes).toBe(2);
  });

  it('TP: 4 all-reduces of b·s·h per layer per micro-batch (Megatron-LM §3); full recomputation 6', () => {
    const r = analyzeParallelism(input(shape, { tp: 8, globalBatchTokens: 2 * 2048 }));
    const one = ringAllReduceBytes(8, 1 * 2048 * 4096 * 2);
    expect(r.config.microBatches).toBe(2);
    expect(r.communication.tp.bytes).toBeCloseTo(32 * 2 * 4 * one, 0);
    expect(r.communication.tp.linkId).toBe('nvlink-4');
    const full = analyzeParallelism(input(shape, { tp: 8, globalBatchTokens: 2 * 2048, recompute: 'full' }));
    expect(full.communication.tp.bytes).toBeCloseTo(32 * 2 * 6 * one, 0);
  });

  it('PP: b·s·h forward + backward per micro-batch, ÷ tp; tp·dp fills the node so PP crosses nodes', () => {
    const r = analyzeParallelism(input(shape, { tp: 2, dp: 4, pp: 2, globalBatchTokens: 4 * 8 * 2048 }));
    expect(r.config.microBatches).toBe(8);
    expect(r.communication.pp.bytes).toBeCloseTo((8 * 2 * 2048 * 4096 * 2) / 2, 0);
    expect(r.communication.pp.linkId).toBe('ib-ndr-400');
    expect(r.communication.dp.linkId).toBe('nvlink-4');
    expect(r.communication.tp.linkId).toBe('nvlink-4');
  });

  it('EP: 4 all-to-alls of topK·b·s·h per MoE layer per micro-batch, (ep−1)/ep of it leaves the device', () => {
    const r = analyzeParallelism(input(shape, { dp: 8, ep: 8, experts: 8, topK: 2, globalBatchTokens: 8 * 2048 }));
    expect(r.communication.ep.bytes).toBeCloseTo(32 * 1 * 4 * (7 / 8) * 2 * 2048 * 4096 * 2, 0);
    expect(r.communication.ep.linkId).toBe('nvlink-4');
    // Experts are split by ep: each device holds one expert per layer.
    const dense = analyzeParallelism(input(shape, { dp: 8, globalBatchTokens: 8 * 2048 }));
    expect(r.params.perDevice).toBeCloseTo(dense.params.perDevice + 32 * 4096 * 8, 0);
    // Active parameters count topK experts; total counts all of them.
    expect(r.params.active - dense.params.active).toBeCloseTo(32 * (2 * 4096 * 16384 + 4096 * 8), 0);
    expect(r.params.total - dense.params.total).toBeCloseTo(32 * (7 * 2 * 4096 * 16384 + 4096 * 8), 0);
  });
});

describe('validation', () => {
  const shape = shapeOf(32, 4096, 32);
  const bad = (training: Partial<TrainingConfig>, extra: Partial<ParallelismInput> = {}): (() => ParallelismResult) =>
    () => analyzeParallelism(input(shape, training, extra));

  it.each([
    [{ globalBatchTokens: Number.NaN }, 'training.globalBatchTokens'],
    [{ globalBatchTokens: 0 }, 'training.globalBatchTokens'],
    [{ globalBatchTokens: -1 }, 'training.globalBatchTokens'],
    [{ globalBatchTokens: Number.POSITIVE_INFINITY }, 'training.globalBatchTokens'],
    [{ microBatchSize: 0 }, 'training.microBatchSize'],
    [{ microBatchSize: 1.5 }, 'training.microBatchSize'],
    [{ seqLen: -2048, globalBatchTokens: 2048 }, 'training.seqLen'],
    [{ dp: 0 }, 'training.dp'],
    [{ tp: 3 }, 'training.tp'],
    [{ pp: 3 }, 'training.pp'],
    [{ tp: 2, devices: 4 }, 'training.devices'],
    [{ zeroStage: 4 as ZeroStage }, 'training.zeroStage'],
    [{ ep: 2 }, 'training.ep'],
    [{ experts: 8, ep: 3, dp: 3 }, 'training.ep'],
    [{ experts: 8, ep: 4, dp: 2 }, 'training.ep'],
    [{ experts: 4, topK: 5 }, 'training.topK'],
    [{ experts: -1 }, 'training.experts'],
    [{ weightBytes: 3 }, 'training.weightBytes'],
    [{ dp: 2048 }, 'training.globalBatchTokens'],
  ])('%o → RangeError naming %s', (training, field) => {
    expect(bad(training)).toThrow(RangeError);
    expect(bad(training)).toThrow(field);
  });

  it('names shape, device, link and efficiency fields', () => {
    expect(() => analyzeParallelism(input({ ...shape, layers: 0 }, {}))).toThrow(/shape\.layers/);
    expect(() => analyzeParallelism(input({ ...shape, exactParams: Number.NaN }, {}))).toThrow(/shape\.exactParams/);
    expect(bad({}, { device: { name: 'x', memGB: 0, peakTflops: 1 } })).toThrow(/device\.memGB/);
    expect(bad({}, { device: { name: 'x', memGB: 80, peakTflops: -1 } })).toThrow(/device\.peakTflops/);
    expect(bad({}, { links: { intraNode: 'nvlink-9' as 'nvlink-4', interNode: 'ib-ndr-400' } })).toThrow(/links\.intraNode/);
    expect(bad({}, { links: { ...LINKS, devicesPerNode: 0 } })).toThrow(/links\.devicesPerNode/);
    expect(bad({}, { links: { ...LINKS, efficiency: 1.5 } })).toThrow(/links\.efficiency/);
    expect(bad({}, { kernelEfficiency: 0 })).toThrow(/kernelEfficiency/);
    expect(bad({}, { kernelEfficiency: 2 })).toThrow(RangeError);
  });
});

describe('warnings', () => {
  const shape = shapeOf(32, 4096, 32);

  it('tp beyond one node', () => {
    const r = analyzeParallelism(input(shape, { tp: 16 }));
    expect(r.warnings.join('\n')).toMatch(/spans more than one node/);
    expect(r.communication.tp.linkId).toBe('ib-ndr-400');
  });

  it('fewer micro-batches than stages', () => {
    const r = analyzeParallelism(input(shape, { pp: 4, globalBatchTokens: 2 * 2048 }));
    expect(r.inFlightMicroBatches).toBe(2);
    expect(r.warnings.join('\n')).toMatch(/Only 2 micro-batches per step for 4 pipeline stages/);
  });

  it('global batch not divisible', () => {
    const r = analyzeParallelism(input(shape, { dp: 4, globalBatchTokens: 10 * 2048 }));
    expect(r.config.microBatches).toBe(3);
    expect(r.config.tokensPerStep).toBe(12 * 2048);
    expect(r.warnings.join('\n')).toMatch(/not divisible/);
    const odd = analyzeParallelism(input(shape, { globalBatchTokens: 1000 * 2048 + 5 }));
    expect(odd.warnings.join('\n')).toMatch(/not a multiple of seqLen/);
  });

  it('does not fit', () => {
    const r = analyzeParallelism(input(GPT3, {}));
    expect(r.fits).toBe(false);
    expect(r.headroomBytes).toBeLessThan(0);
    expect(r.warnings.join('\n')).toMatch(/Does not fit/);
  });
});

describe('properties', () => {
  const shapes = [shapeOf(24, 2048, 16), shapeOf(32, 4096, 32), shapeOf(40, 5120, 40), shapeOf(48, 6144, 48), shapeOf(80, 8192, 64)];

  it('more dp never increases per-device memory under ZeRO ≥ 1', () => {
    const r = rng(1);
    for (let i = 0; i < 300; i++) {
      const shape = pick(r, shapes);
      const tp = pick(r, [1, 2, 4, 8].filter((t) => shape.heads % t === 0));
      const pp = pick(r, [1, 2, 4, 8].filter((p) => shape.layers % p === 0));
      const dp = pick(r, [1, 2, 4, 8, 16]);
      const training: Partial<TrainingConfig> = {
        tp, pp, dp,
        zeroStage: pick(r, [1, 2, 3] as const),
        recompute: pick(r, ['none', 'selective', 'full'] as const),
        microBatchSize: pick(r, [1, 2, 4]),
        globalBatchTokens: 256 * 2048,
      };
      const a = analyzeParallelism(input(shape, training));
      const b = analyzeParallelism(input(shape, { ...training, dp: 2 * dp }));
      expect(b.memory.total).toBeLessThanOrEqual(a.memory.total);
    }
  });

  it('more tp never increases weights per device', () => {
    const r = rng(2);
    for (let i = 0; i < 300; i++) {
      const shape = pick(r, shapes);
      const tp = pick(r, [1, 2, 4, 8].filter((t) => shape.heads % (2 * t) === 0));
      const training: Partial<TrainingConfig> = {
        tp,
        pp: pick(r, [1, 2, 4].filter((p) => shape.layers % p === 0)),
        dp: pick(r, [1, 2, 4]),
        zeroStage: pick(r, [0, 1, 2, 3] as const),
        recompute: pick(r, ['none', 'selective', 'full'] as const),
        globalBatchTokens: 64 * 2048,
      };
      const a = analyzeParallelism(input(shape, training));
      const b = analyzeParallelism(input(shape, { ...training, tp: 2 * tp }));
      expect(b.memory.weights).toBeLessThanOrEqual(a.memory.weights);
      expect(b.activationsPerLayer).toBeLessThanOrEqual(a.activationsPerLayer);
    }
  });

  /** Every layout of `devices` devices in smallestFit's search space, independently enumerated. */
  function anyFits(fit: SmallestFitInput, devices: number): boolean {
    for (let tp = 1; tp <= Math.min(devices, 8); tp *= 2) {
      for (let pp = 1; tp * pp <= devices; pp *= 2) {
        const dp = devices / (tp * pp);
        for (const zeroStage of [0, 1, 2, 3] as const) {
          try {
            if (analyzeParallelism({ ...fit, training: { ...fit.training, dp, tp, pp, zeroStage } }).fits) return true;
          } catch (e) {
            if (!(e instanceof RangeError)) throw e;
          }
        }
      }
    }
    return false;
  }

  it.each([
    ['1.3B on an RTX 4090', shapeOf(24, 2048, 16), { name: 'RTX 4090', memGB: 24, peakTflops: 165.2 }],
    ['6.7B on an A100 40GB', shapeOf(32, 4096, 32), { name: 'A100 40GB', memGB: 40, peakTflops: 312 }],
    ['30B on an H100', shapeOf(48, 6656, 52), H100],
    ['70B on an H100', shapeOf(80, 8192, 64), H100],
    ['175B on an H100', GPT3, H100],
  ])('smallestFit (%s) fits, and no smaller device count does', (_label, shape, device) => {
    const fit: SmallestFitInput = {
      shape, device, links: LINKS,
      training: { globalBatchTokens: 1024 * 2048, microBatchSize: 1, recompute: 'selective', optimizer: 'adam' },
    };
    const best = smallestFit(fit);
    expect(best).not.toBeNull();
    if (!best) return;
    const { dp, tp, pp, zeroStage } = best.config;
    expect(dp * tp * pp).toBe(best.devices);
    expect(tp).toBeLessThanOrEqual(8);
    expect(shape.layers % pp).toBe(0);
    const again = analyzeParallelism({ ...fit, training: { ...fit.training, dp, tp, pp, zeroStage } });
    expect(again.fits).toBe(true);
    expect(again.memory.total).toBe(best.result.memory.total);
    expect(best.fittingLayouts).toBeGreaterThanOrEqual(1);
    for (let d = best.devices / 2; d >= 1; d /= 2) expect(anyFits(fit, d)).toBe(false);
  });

  it('smallestFit returns null when nothing fits within maxDevices, and validates', () => {
    const fit: SmallestFitInput = {
      shape: GPT3, device: H100, links: LINKS,
      training: { globalBatchTokens: 1024 * 2048, microBatchSize: 1, recompute: 'none', optimizer: 'adam' },
    };
    expect(smallestFit(fit, { maxDevices: 2 })).toBeNull();
    expect(() => smallestFit({ ...fit, device: { ...H100, memGB: -1 } })).toThrow(/device\.memGB/);
    expect(() => smallestFit(fit, { maxDevices: 0 })).toThrow(/options\.maxDevices/);
  });

  it('smallestFit searches ep for MoE', () => {
    const fit: SmallestFitInput = {
      shape: shapeOf(32, 4096, 32), device: H100, links: LINKS,
      training: { globalBatchTokens: 1024 * 2048, microBatchSize: 1, recompute: 'selective', optimizer: 'adam', experts: 64, topK: 2 },
    };
    const best = smallestFit(fit);
    expect(best).not.toBeNull();
    expect(best?.result.fits).toBe(true);
    expect(best && best.config.dp % best.config.ep).toBe(0);
  });
});

describe('deviceFromGpu', () => {
  it('takes the dense bf16 peak and memory from the catalog; splits multi-device boards', () => {
    const h100 = findGpu('NVIDIA H100 80GB HBM3');
    expect(h100 && deviceFromGpu(h100)).toEqual({ name: 'NVIDIA H100 SXM5 80GB', memGB: 80, peakTflops: 989.4 });
    expect(h100 && deviceFromGpu(h100, 'fp8')?.peakTflops).toBe(1978.9);
    const mi250x = findGpu('AMD Instinct MI250X');
    expect(mi250x && deviceFromGpu(mi250x)).toEqual({ name: 'AMD Instinct MI250X', memGB: 64, peakTflops: 191.5 });
    const v100 = findGpu('Tesla V100-SXM2-32GB');
    expect(v100 && deviceFromGpu(v100)).toBeNull();
  });
});
