// Memory: weights from params at a quant (or a file's sum), the K/V cache, the estimated compute buffer and overhead, and field-named errors.
import { describe, expect, it } from 'vitest';
import llama3 from '../../resources/llm-models/meta-llama-3-8b.json';
import { FieldError } from '../errors/field-error.js';
import { computeBufferBytes, DEFAULT_OVERHEAD_BYTES, llmMemory, weightsFromParams } from './memory.js';
import { specFromHfConfig } from './spec.js';
import type { LlmSettings } from './types.js';

const spec = specFromHfConfig(llama3.config, 'config.json');
const settings: LlmSettings = { quant: 'F16', context: 8192, batch: 1, prompt: 512, gen: 128, kvDtype: 'f16' };
// Llama-3-8B: 8,030,261,248 parameters, of which 32 · 2 · 4096 + 4096 = 266,240 are norm weights.
const VECTORS = 266_240;
const TOTAL = 8_030_261_248;

describe('llmMemory', () => {
  it('weights from params: 2-d tensors at the quant (embedding and output too), norms F32', () => {
    expect(weightsFromParams(spec, 'F16')).toMatchObject({ bytes: (TOTAL - VECTORS) * 2 + VECTORS * 4, kind: 'exact' });
    const q4 = weightsFromParams(spec, 'Q4_K');
    expect(q4.bytes).toBe(((TOTAL - VECTORS) * 4.5) / 8 + VECTORS * 4);
    expect(q4.basis).toMatch(/token embedding and output kept at the same type/);
    const m = weightsFromParams(spec, 'Q4_K_M');
    expect(m.kind).toBe('estimated');
    expect(m.basis).toMatch(/Q4_K_M/);
  });

  it("uses a file's weights as given and adds the parts", () => {
    const m = llmMemory(spec, settings, { bytes: 4_920_000_000, basis: 'tensors of model.gguf' });
    expect(m.weights).toEqual({ bytes: 4_920_000_000, basis: 'tensors of model.gguf', kind: 'exact' });
    expect(m.kvCache.bytes).toBe(1024 ** 3);
    expect(m.kvCache.kind).toBe('exact');
    expect(m.compute.kind).toBe('estimated');
    expect(m.overhead).toMatchObject({ bytes: DEFAULT_OVERHEAD_BYTES, kind: 'estimated' });
    expect(m.totalBytes).toBe(m.weights.bytes + m.kvCache.bytes + m.compute.bytes + m.overhead.bytes);
  });

  it('compute buffer: logits of 512 tokens × vocab F32 dominate with flash attention; scores without it', () => {
    expect(computeBufferBytes(spec, settings).bytes).toBe(512 * (128256 + 4096) * 4);
    // llama.cpp logs "compute buffer size = 258.50 MiB" for Llama-3/3.1-8B at n_ubatch 512 (CUDA, Metal and
    // CPU logs quoted in llama.cpp and llama-cpp-python issues, e.g. abetlen/llama-cpp-python's Metal M3 log).
    expect(computeBufferBytes(spec, settings).bytes / 1024 ** 2).toBe(258.5);
    expect(computeBufferBytes(spec, { ...settings, context: 100 }).bytes).toBe(100 * (128256 + 4096) * 4);
    const noFa = computeBufferBytes(spec, settings, { flashAttention: false });
    expect(noFa.bytes).toBeGreaterThan(512 * 8192 * 32 * 4);
  });

  it('rejects a bad context, batch or quant, naming the field', () => {
    expect(() => llmMemory(spec, { ...settings, context: 0 }, null)).toThrow(FieldError);
    expect(() => llmMemory(spec, { ...settings, batch: 0 }, null)).toThrow(/batch/);
    try {
      llmMemory(spec, { ...settings, quant: 'Q3_X' }, null);
      expect.unreachable();
    } catch (err) {
      expect((err as FieldError).field).toBe('quant');
    }
  });
});
