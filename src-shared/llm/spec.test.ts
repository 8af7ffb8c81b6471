// Specs from config.json (defaults, field-named errors, sliding-window patterns) and from GGUF metadata (the same counts as the config).
import { describe, expect, it } from 'vitest';
import gemma2 from '../../resources/llm-models/gemma-2-9b.json';
import llama3 from '../../resources/llm-models/meta-llama-3-8b.json';
import mixtral from '../../resources/llm-models/mixtral-8x7b-v0.1.json';
import phi3 from '../../resources/llm-models/phi-3-mini-4k-instruct.json';
import qwen25 from '../../resources/llm-models/qwen2.5-7b.json';
import { FieldError } from '../errors/field-error.js';
import { countParams } from './params.js';
import { specFromGgufMetadata, specFromHfConfig, type GgufTensorInfo } from './spec.js';

function fieldError(f: () => unknown): FieldError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(FieldError);
    return err as FieldError;
  }
  throw new Error('expected a FieldError');
}

describe('specFromHfConfig', () => {
  it('reads Llama-3-8B', () => {
    const s = specFromHfConfig(llama3.config, 'config.json');
    expect(s).toMatchObject({ architecture: 'llama', layers: 32, hiddenSize: 4096, heads: 32, kvHeads: 8, headDim: 128, intermediateSize: 14336, vocab: 128256, contextMax: 8192, tiedEmbeddings: false, bias: 'none', slidingWindow: null, moe: null, mla: null });
  });

  it('names the file and the key when kv heads do not divide heads', () => {
    const e = fieldError(() => specFromHfConfig({ ...llama3.config, num_key_value_heads: 3 }, 'config.json'));
    expect(e.field).toBe('num_key_value_heads');
    expect(e.message).toBe('config.json: num_key_value_heads 3 does not divide num_attention_heads 32');
  });

  it('lists the supported model types for an unknown one', () => {
    const e = fieldError(() => specFromHfConfig({ model_type: 'bert' }, 'x/config.json'));
    expect(e.field).toBe('model_type');
    expect(e.message).toMatch(/x\/config.json: model_type "bert" is not supported \(supported: llama, mistral/);
  });

  it('names a wrong-typed field', () => {
    const e = fieldError(() => specFromHfConfig({ ...llama3.config, hidden_size: '4096' }, 'config.json'));
    expect(e.field).toBe('hidden_size');
    expect(fieldError(() => specFromHfConfig([], 'c.json')).field).toBe('config');
  });

  it("fills omitted fields with transformers' defaults (LlamaConfig: num_key_value_heads = num_attention_heads)", () => {
    const { num_key_value_heads: _kv, ...rest } = llama3.config;
    expect(specFromHfConfig(rest, 'config.json').kvHeads).toBe(32);
  });

  it('Qwen2.5 has q/k/v biases and no window (use_sliding_window false); Phi-3 has no window in llama.cpp', () => {
    const q = specFromHfConfig(qwen25.config, 'config.json');
    expect(q.bias).toBe('qkv');
    expect(q.slidingWindow).toBeNull();
    expect(specFromHfConfig(phi3.config, 'config.json').slidingWindow).toBeNull();
  });

  it('Gemma 2 alternates local (even) and global (odd) layers; it ties embeddings', () => {
    const s = specFromHfConfig(gemma2.config, 'config.json');
    expect(s.tiedEmbeddings).toBe(true);
    expect(s.slidingWindow?.window).toBe(4096);
    expect(s.slidingWindow?.localLayers.slice(0, 4)).toEqual([true, false, true, false]);
  });

  it('Gemma 3 reads text_config and keeps 5 local : 1 global', () => {
    const config = { model_type: 'gemma3', text_config: { hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, sliding_window: 1024, vocab_size: 262208 } };
    const s = specFromHfConfig(config, 'config.json');
    expect(s.architecture).toBe('gemma3');
    expect(s.qkNorm).toBe(true);
    expect(s.slidingWindow?.window).toBe(1024);
    expect(s.slidingWindow?.localLayers.slice(0, 12)).toEqual([true, true, true, true, true, false, true, true, true, true, true, false]);
    expect(s.slidingWindow?.localLayers.filter((l) => !l)).toHaveLength(5);
  });

  it('Falcon: multi-query with one shared LayerNorm (7B), grouped K/V with two norms (new decoder architecture)', () => {
    const base = { model_type: 'falcon', hidden_size: 4544, num_attention_heads: 71, num_hidden_layers: 32, vocab_size: 65024 };
    const f7 = specFromHfConfig(base, 'falcon-7b/config.json');
    expect(f7).toMatchObject({ kvHeads: 1, headDim: 64, intermediateSize: 4 * 4544, normsPerLayer: 1, tiedEmbeddings: true, bias: 'none' });
    const f40 = specFromHfConfig({ ...base, hidden_size: 8192, num_attention_heads: 128, num_kv_heads: 8, new_decoder_architecture: true }, 'c.json');
    expect(f40).toMatchObject({ kvHeads: 8, normsPerLayer: 2 });
    expect(specFromHfConfig({ ...base, new_decoder_architecture: true, num_kv_heads: 71, num_ln_in_parallel_attn: 1 }, 'c.json').normsPerLayer).toBe(1);
  });

  it('Mixtral has 8 experts, 2 per token', () => {
    expect(specFromHfConfig(mixtral.config, 'config.json').moe).toMatchObject({ experts: 8, expertsPerToken: 2, expertIntermediate: 14336 });
  });
});

/** GGUF metadata and tensor names of a llama-family model as convert_hf_to_gguf.py writes them. */
function llamaGguf(extra: Record<string, unknown>, output: boolean): [Record<string, unknown>, GgufTensorInfo[]] {
  const meta = {
    'general.architecture': 'llama', 'llama.block_count': 32, 'llama.embedding_length': 4096, 'llama.feed_forward_length': 14336,
    'llama.attention.head_count': 32, 'llama.attention.head_count_kv': 8, 'llama.context_length': 8192,
    'tokenizer.ggml.tokens': { kind: 'array', itemType: 'string', length: 128256 }, ...extra,
  };
  const tensors: GgufTensorInfo[] = [{ name: 'token_embd.weight', shape: [4096, 128256], type: 'Q4_K' }, { name: 'blk.0.attn_q.weight', shape: [4096, 4096], type: 'Q4_K' }];
  if (output) tensors.push({ name: 'output.weight', shape: [4096, 128256], type: 'Q6_K' });
  return [meta, tensors];
}

describe('specFromGgufMetadata', () => {
  it('Llama-3-8B from GGUF keys counts the same parameters as from config.json', () => {
    const [meta, tensors] = llamaGguf({}, true);
    const s = specFromGgufMetadata(meta, tensors, 'model.gguf');
    expect(s).toMatchObject({ architecture: 'llama', kvHeads: 8, headDim: 128, vocab: 128256, tiedEmbeddings: false });
    expect(countParams(s).total).toBe(8_030_261_248);
  });

  it('ties embeddings without output.weight and reads the vocab from token_embd when there are no tokens', () => {
    const [meta, tensors] = llamaGguf({ 'tokenizer.ggml.tokens': undefined }, false);
    const s = specFromGgufMetadata(meta, tensors, 'model.gguf');
    expect(s.tiedEmbeddings).toBe(true);
    expect(s.vocab).toBe(128256);
  });

  it('Mixtral is llama with experts', () => {
    const [meta, tensors] = llamaGguf({ 'llama.expert_count': 8, 'llama.expert_used_count': 2, 'llama.context_length': 32768, 'tokenizer.ggml.tokens': { kind: 'array', length: 32000 } }, true);
    const s = specFromGgufMetadata(meta, tensors, 'mixtral.gguf');
    expect(s.architecture).toBe('mixtral');
    const p = countParams(s);
    expect(p.total).toBe(46_702_792_704);
    expect(p.active).toBe(12_879_925_248);
  });

  it('Gemma 2 GGUF alternates the window like llama.cpp (set_swa_pattern(2))', () => {
    const meta = { 'general.architecture': 'gemma2', 'gemma2.block_count': 4, 'gemma2.embedding_length': 3584, 'gemma2.feed_forward_length': 14336, 'gemma2.attention.head_count': 16, 'gemma2.attention.head_count_kv': 8, 'gemma2.attention.key_length': 256, 'gemma2.context_length': 8192, 'gemma2.attention.sliding_window': 4096, 'tokenizer.ggml.tokens': { kind: 'array', length: 256000 } };
    const s = specFromGgufMetadata(meta, [], 'g.gguf');
    expect(s.headDim).toBe(256);
    expect(s.slidingWindow).toEqual({ window: 4096, localLayers: [true, false, true, false] });
  });

  it('names the key for an unsupported architecture and bad numbers', () => {
    expect(fieldError(() => specFromGgufMetadata({ 'general.architecture': 'mamba' }, [], 'm.gguf')).message).toMatch(/m.gguf: general.architecture "mamba" is not supported/);
    const [meta, tensors] = llamaGguf({ 'llama.attention.head_count_kv': 5 }, true);
    expect(fieldError(() => specFromGgufMetadata(meta, tensors, 'x.gguf')).field).toBe('llama.attention.head_count_kv');
    const [meta2] = llamaGguf({ 'llama.block_count': undefined }, true);
    expect(fieldError(() => specFromGgufMetadata(meta2, tensors, 'x.gguf')).message).toBe('x.gguf: llama.block_count is missing');
  });
});
