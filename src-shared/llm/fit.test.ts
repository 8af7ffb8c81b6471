// Fit: fits or not, the longest fitting context (binary search, checked at its edge), Apple's unified share, GPU layers of a partial offload.
import { describe, expect, it } from 'vitest';
import llama3 from '../../resources/llm-models/meta-llama-3-8b.json';
import { fitDevice, maxFittingContext, unifiedUsableShare } from './fit.js';
import { llmMemory } from './memory.js';
import { specFromHfConfig } from './spec.js';
import type { LlmSettings } from './types.js';

const GiB = 1024 ** 3;
const spec = specFromHfConfig(llama3.config, 'config.json');
const settings: LlmSettings = { quant: 'Q4_K', context: 8192, batch: 1, prompt: 512, gen: 128, kvDtype: 'f16' };
const memoryFn = (s: LlmSettings) => llmMemory(spec, s, null);

describe('fitDevice', () => {
  it('Llama-3-8B Q4_K at 8192 tokens fits a 24 GiB GPU up to its maximum context', () => {
    const f = fitDevice(spec, settings, memoryFn, { name: 'RTX 4090', memoryBytes: 24 * GiB, kind: 'gpu' });
    expect(f.fits).toBe(true);
    expect(f.maxContext).toBe(8192);
    expect(f.gpuLayers).toBeUndefined();
  });

  it('the longest context is the edge: it fits and one more token does not', () => {
    const long = { ...spec, contextMax: 1_000_000 };
    const fn = (s: LlmSettings) => llmMemory(long, s, null);
    const budget = 12 * GiB;
    const max = maxFittingContext(long, settings, fn, budget);
    expect(max).toBeGreaterThan(8192);
    expect(fn({ ...settings, context: max }).totalBytes).toBeLessThanOrEqual(budget);
    expect(fn({ ...settings, context: max + 1 }).totalBytes).toBeGreaterThan(budget);
  });

  it('F16 weights do not fit 8 GiB: no context fits, some layers offload', () => {
    const f = fitDevice(spec, { ...settings, quant: 'F16' }, (s) => llmMemory(spec, s, null), { name: 'small', memoryBytes: 8 * GiB, kind: 'gpu' });
    expect(f.fits).toBe(false);
    expect(f.maxContext).toBe(0);
    // Each layer: 218,112,000 params · 2 B + 1 GiB / 32 of K/V.
    expect(f.gpuLayers).toBeGreaterThan(10);
    expect(f.gpuLayers).toBeLessThan(32);
    expect(f.note).toMatch(/layers fit on the GPU .*-ngl/);
    // At the edge: the output layer and n layers fit, one more does not (all layers alike here).
    const m = llmMemory(spec, { ...settings, quant: 'F16' }, null);
    const perParam = m.weights.bytes / 8_030_261_248;
    const layer = 218_112_000 * perParam + 1024 ** 3 / 32;
    const free = 8 * GiB - m.compute.bytes - m.overhead.bytes - 128256 * 4096 * perParam;
    const n = f.gpuLayers ?? -1;
    expect(n * layer).toBeLessThanOrEqual(free);
    expect((n + 1) * layer).toBeGreaterThan(free);
  });

  it('Apple unified memory counts 2/3 below 36 GiB and 3/4 above', () => {
    expect(unifiedUsableShare(16 * GiB)).toBe(2 / 3);
    expect(unifiedUsableShare(64 * GiB)).toBe(3 / 4);
    const f = fitDevice(spec, settings, memoryFn, { name: 'M2 16 GB', memoryBytes: 16 * GiB, kind: 'unified' });
    expect(f.memoryBytes).toBe(Math.floor((16 * GiB * 2) / 3));
    expect(f.note).toMatch(/recommendedMaxWorkingSetSize/);
    expect(fitDevice(spec, settings, memoryFn, { name: 'M', memoryBytes: 16 * GiB, kind: 'unified' }, { usableBytes: GiB }).fits).toBe(false);
  });
});
