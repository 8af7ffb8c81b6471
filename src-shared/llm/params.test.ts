// Exact parameter counts of the shipped configs against published totals (each source beside its number).
import { describe, expect, it } from 'vitest';
import deepseekV3 from '../../resources/llm-models/deepseek-v3.json';
import gemma2 from '../../resources/llm-models/gemma-2-9b.json';
import gpt2 from '../../resources/llm-models/gpt2.json';
import llama3 from '../../resources/llm-models/meta-llama-3-8b.json';
import mistral from '../../resources/llm-models/mistral-7b-v0.1.json';
import mixtral from '../../resources/llm-models/mixtral-8x7b-v0.1.json';
import phi3 from '../../resources/llm-models/phi-3-mini-4k-instruct.json';
import qwen25 from '../../resources/llm-models/qwen2.5-7b.json';
import qwen3 from '../../resources/llm-models/qwen3-8b.json';
import { KNOWN_MODEL_IDS } from './known-models.js';
import { countParams } from './params.js';
import { specFromHfConfig } from './spec.js';

const count = (file: { id: string; config: unknown }) => countParams(specFromHfConfig(file.config, `${file.id}/config.json`));

describe('countParams on the shipped configs', () => {
  it('Llama-3-8B: 8,030,261,248 (Hugging Face model page "Model size 8.03B params", safetensors index total_size 16,060,522,496 B / 2 at BF16)', () => {
    expect(count(llama3).total).toBe(8_030_261_248);
  });

  it('Mixtral-8x7B: 46,702,792,704 total, 12,879,925,248 active (Mistral AI "Mixtral of experts": 46.7B total, 12.9B active)', () => {
    const p = count(mixtral);
    expect(p.total).toBe(46_702_792_704);
    expect(p.active).toBe(12_879_925_248);
  });

  it('Qwen2.5-7B: 7,615,616,512 (Qwen2.5 model card: "Number of Parameters: 7.61B", HF page 7.62B)', () => {
    expect(count(qwen25).total).toBe(7_615_616_512);
  });

  it('Gemma-2-9B: 9,241,705,984 (HF model page "9.24B params")', () => {
    expect(count(gemma2).total).toBe(9_241_705_984);
  });

  it('Mistral-7B-v0.1: 7,241,732,096 (HF model page "7.24B params")', () => {
    expect(count(mistral).total).toBe(7_241_732_096);
  });

  it('Qwen3-8B: 8,190,735,360 (Qwen3-8B model card: "Number of Parameters: 8.2B", HF page 8.19B)', () => {
    expect(count(qwen3).total).toBe(8_190_735_360);
  });

  it('Phi-3-mini-4k: 3,821,079,552 (HF model page "3.82B params"; Phi-3 report: 3.8B)', () => {
    expect(count(phi3).total).toBe(3_821_079_552);
  });

  it('GPT-2 small: 124,439,808 (sum of GPT2LMHeadModel parameters; nanoGPT prints 123.65M = this minus the 786,432 position embeddings)', () => {
    const p = count(gpt2);
    expect(p.total).toBe(124_439_808);
    expect(p.total - 1024 * 768).toBe(123_653_376);
  });

  it('DeepSeek-V3: 671B total, 37B activated (DeepSeek-V3 technical report, arXiv:2412.19437; the MTP module is not counted)', () => {
    const p = count(deepseekV3);
    expect(p.total / 1e9).toBeCloseTo(671, 0);
    expect(p.active / 1e9).toBeGreaterThan(36.5);
    expect(p.active / 1e9).toBeLessThan(38);
  });

  it('Qwen1.5-MoE-A2.7B: 14.3B total, 2.7B activated (Qwen/Qwen1.5-MoE-A2.7B model card)', () => {
    // config.json of Qwen/Qwen1.5-MoE-A2.7B (the fields the count needs).
    const config = {
      model_type: 'qwen2_moe', hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 24, num_attention_heads: 16,
      num_key_value_heads: 16, max_position_embeddings: 8192, vocab_size: 151936, tie_word_embeddings: false,
      num_experts: 60, num_experts_per_tok: 4, moe_intermediate_size: 1408, shared_expert_intermediate_size: 5632,
      decoder_sparse_step: 1,
    };
    const p = countParams(specFromHfConfig(config, 'Qwen1.5-MoE-A2.7B/config.json'));
    expect(p.total / 1e9).toBeCloseTo(14.3, 1);
    expect(p.active / 1e9).toBeCloseTo(2.7, 1);
  });

  it('Pythia-70M (GPT-NeoX): 70,426,624 total, 18,915,328 non-embedding (EleutherAI/pythia README, models table)', () => {
    // config.json of EleutherAI/pythia-70m (the fields the count needs).
    const config = {
      model_type: 'gpt_neox', hidden_size: 512, intermediate_size: 2048, num_hidden_layers: 6, num_attention_heads: 8,
      max_position_embeddings: 2048, vocab_size: 50304, tie_word_embeddings: false,
    };
    const p = countParams(specFromHfConfig(config, 'pythia-70m/config.json'));
    expect(p.total).toBe(70_426_624);
    expect(p.total - p.embedding - p.output).toBe(18_915_328);
  });

  it('Gemma 7B: 7,751,248,896 non-embedding parameters (Gemma technical report, arXiv:2403.08295, Table 2)', () => {
    // config.json of google/gemma-7b (the fields the count needs); the report's embedding count uses a 256,128 vocabulary.
    const config = {
      model_type: 'gemma', hidden_size: 3072, intermediate_size: 24576, num_hidden_layers: 28, num_attention_heads: 16,
      num_key_value_heads: 16, head_dim: 256, max_position_embeddings: 8192, vocab_size: 256000,
    };
    const p = countParams(specFromHfConfig(config, 'gemma-7b/config.json'));
    expect(p.total - p.embedding - p.output).toBe(7_751_248_896);
    expect(p.output).toBe(0);
  });

  it('every layer adds up and the ids list matches the files', () => {
    const p = count(llama3);
    expect(p.perLayer).toHaveLength(32);
    const layers = p.perLayer.reduce((s, l) => s + l.total, 0);
    expect(p.embedding + p.output + layers + 4096).toBe(p.total);
    expect(KNOWN_MODEL_IDS).toContain(llama3.id);
    expect(KNOWN_MODEL_IDS).toHaveLength(9);
  });
});
