// Predictions on a roofline test device: decode is the bytes of the active weights + K/V over bandwidth, MoE reads only active experts, prefill FLOPs ≈ 2·N per token + attention, windows cap the K/V read.
import { describe, expect, it } from 'vitest';
import llama3 from '../../resources/llm-models/meta-llama-3-8b.json';
import mistral from '../../resources/llm-models/mistral-7b-v0.1.json';
import mixtral from '../../resources/llm-models/mixtral-8x7b-v0.1.json';
import { FieldError } from '../errors/field-error.js';
import { kvCacheBytes } from './kv-cache.js';
import { countParams } from './params.js';
import { causalPairs, decodeCurve, expertsTouched, predictLlm } from './predict.js';
import { specFromHfConfig } from './spec.js';
import type { LlmDevice, LlmSettings } from './types.js';

const PEAK = 100e12;
const BW = 1e12;
/** Roofline: the slower of FLOPs at PEAK and the weight operand at BW. */
const device: LlmDevice = {
  name: 'test roofline',
  productSeconds: (rows, n, k, weightBytes) => Math.max((2 * rows * n * k) / PEAK, weightBytes / BW),
  streamSeconds: (bytes) => bytes / BW,
  memoryBytes: 80e9,
  basis: 'test',
};
const settings: LlmSettings = { quant: 'F16', context: 8192, batch: 1, prompt: 1024, gen: 256, kvDtype: 'f16' };
const spec = specFromHfConfig(llama3.config, 'config.json');
/** Matrix weights a token reads past the embedding (norms are not products). */
function productWeights(s: typeof spec, which: 'total' | 'active'): number {
  const p = countParams(s);
  return p[which] - p.embedding - p.vectors;
}

describe('predictLlm', () => {
  it('decode at batch 1 reads every non-embedding weight and the K/V at depth, bandwidth-bound', () => {
    const r = predictLlm(spec, settings, device, 2);
    expect(r.decode.contextDepth).toBe(1024 + 128);
    const bytes = productWeights(spec, 'total') * 2 + kvCacheBytes(spec, 1152, 'f16');
    expect(r.decode.bytesPerToken).toBe(bytes);
    expect(r.decode.seconds).toBeCloseTo(bytes / BW, 12);
    expect(r.decode.tokensPerSecond).toBeCloseTo(BW / bytes, 6);
    // Kaplan: 2 FLOPs per weight, plus QKᵀ and PV: 2 · 32 heads · 1152 · (128 + 128) per layer.
    expect(r.decode.flopsPerToken).toBe(2 * productWeights(spec, 'total') + 32 * 2 * 32 * 1152 * 256);
  });

  it('Mixtral decode reads only the 2 active experts of 8', () => {
    const m = specFromHfConfig(mixtral.config, 'config.json');
    const r = predictLlm(m, { ...settings, prompt: 1, gen: 0 }, device, 2);
    expect(r.decode.bytesPerToken).toBe(productWeights(m, 'active') * 2 + kvCacheBytes(m, 1, 'f16'));
  });

  it('prefill: 2·N FLOPs per prompt token plus causal attention, compute-bound, TTFT its time', () => {
    const r = predictLlm(spec, settings, device, 2);
    const n = 1024;
    const expected = 2 * (productWeights(spec, 'total') - 128256 * 4096) * n + 2 * 128256 * 4096 + 32 * 2 * 32 * causalPairs(n, n) * 256;
    expect(r.prefill.tokens).toBe(n);
    expect(r.prefill.flops).toBe(expected);
    expect(r.prefill.ttftMs).toBeCloseTo(r.prefill.seconds * 1000, 9);
    expect(r.prefill.tokensPerSecond).toBeCloseTo(n / r.prefill.seconds, 6);
    expect(r.prefill.seconds).toBeGreaterThan(r.prefill.flops / PEAK * 0.99);
  });

  it('decode slows with depth; Mistral stops slowing past its 4096 window', () => {
    const curve = decodeCurve(spec, settings, device, [0, 4096, 8192], 2);
    expect(curve[0]!.tokensPerSecond).toBeGreaterThan(curve[1]!.tokensPerSecond);
    expect(curve[1]!.tokensPerSecond).toBeGreaterThan(curve[2]!.tokensPerSecond);
    const m = specFromHfConfig(mistral.config, 'config.json');
    const [a, b] = decodeCurve(m, settings, device, [8192, 16384], 2);
    expect(a!.seconds).toBe(b!.seconds);
  });

  it('helpers: causal pairs with a window, experts a batch touches', () => {
    expect(causalPairs(4, 4)).toBe(10);
    expect(causalPairs(6, 2)).toBe(3 + 4 * 2);
    expect(expertsTouched(8, 2, 1)).toBeCloseTo(2, 12);
    expect(expertsTouched(8, 2, 1000)).toBeCloseTo(8, 6);
  });

  it('rejects a zero prompt or batch and a bad bytes per weight, naming the field', () => {
    expect(() => predictLlm(spec, { ...settings, prompt: 0 }, device, 2)).toThrow(FieldError);
    expect(() => predictLlm(spec, { ...settings, batch: 1.5 }, device, 2)).toThrow(/batch/);
    expect(() => predictLlm(spec, settings, device, 0)).toThrow(/bytes per weight/);
  });
});
