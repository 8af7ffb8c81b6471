// K/V cache sizes: GQA, sliding windows (Mistral, Gemma 2), MLA, quantized caches, batch.
import { describe, expect, it } from 'vitest';
import deepseekV3 from '../../resources/llm-models/deepseek-v3.json';
import gemma2 from '../../resources/llm-models/gemma-2-9b.json';
import llama3 from '../../resources/llm-models/meta-llama-3-8b.json';
import mistral from '../../resources/llm-models/mistral-7b-v0.1.json';
import { FieldError } from '../errors/field-error.js';
import { kvCacheBytes } from './kv-cache.js';
import { specFromHfConfig } from './spec.js';

const spec = (file: { id: string; config: unknown }) => specFromHfConfig(file.config, `${file.id}/config.json`);
const GiB = 1024 ** 3;

describe('kvCacheBytes', () => {
  it('Llama-3-8B at 8192 tokens in f16 is 1 GiB: 2 · 32 layers · 8 heads · 128 · 8192 · 2 B', () => {
    expect(kvCacheBytes(spec(llama3), 8192, 'f16')).toBe(GiB);
  });

  it('counts the q8_0 / q4_0 block scales and the batch', () => {
    expect(kvCacheBytes(spec(llama3), 8192, 'q8_0')).toBe((GiB * 34) / 64);
    expect(kvCacheBytes(spec(llama3), 8192, 'q4_0')).toBe((GiB * 18) / 64);
    expect(kvCacheBytes(spec(llama3), 8192, 'f16', 3)).toBe(3 * GiB);
  });

  it('Mistral-7B-v0.1 keeps at most its 4096-token window on every layer', () => {
    const m = spec(mistral);
    expect(kvCacheBytes(m, 32768, 'f16')).toBe(kvCacheBytes(m, 4096, 'f16'));
    expect(kvCacheBytes(m, 4096, 'f16')).toBe(GiB / 2);
  });

  it('Gemma-2-9B: 21 local layers keep 4096 tokens, 21 global ones the whole context', () => {
    // 2 · 8 kv heads · 256 head dim · 2 B = 8192 B per token per layer.
    expect(kvCacheBytes(spec(gemma2), 8192, 'f16')).toBe(21 * (4096 + 8192) * 8192);
  });

  it('DeepSeek-V3 (MLA) caches one latent of 512 + 64 per token per layer', () => {
    expect(kvCacheBytes(spec(deepseekV3), 4096, 'f16')).toBe(61 * 576 * 4096 * 2);
  });

  it('rejects a negative or fractional context and a zero batch, naming the field', () => {
    expect(() => kvCacheBytes(spec(llama3), -1, 'f16')).toThrow(FieldError);
    expect(() => kvCacheBytes(spec(llama3), 1.5, 'f16')).toThrow(/context/);
    expect(() => kvCacheBytes(spec(llama3), 10, 'f16', 0)).toThrow(/batch/);
  });
});
