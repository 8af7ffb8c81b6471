import { describe, expect, it } from 'vitest';
import { blockOf } from './block.js';

describe('blockOf', () => {
  it('finds the repeated unit in torch.onnx scope names', () => {
    expect(blockOf('/layer1/layer1.0/conv1/Conv')).toBe('layer1.0');
    expect(blockOf('/layer1/layer1.0/downsample/downsample.0/Conv')).toBe('layer1.0');
    expect(blockOf('/features/features.1/conv/conv.0/conv.0.0/Conv')).toBe('features.1');
    expect(blockOf('/bert/encoder/layer.0/attention/self/query/MatMul')).toBe('layer.0');
    expect(blockOf('/transformer/h.11/attn/c_attn/Gemm')).toBe('h.11');
    expect(blockOf('/encoder/layers/encoder_layer_3/self_attention/MatMul_1')).toBe('encoder_layer_3');
  });
  it('falls back to the enclosing module, or null at the top level', () => {
    expect(blockOf('/bert/embeddings/word_embeddings/Gather')).toBe('embeddings');
    expect(blockOf('/fc/Gemm')).toBe('fc');
    expect(blockOf('/Flatten')).toBeNull();
  });
  it('dotted module paths', () => {
    expect(blockOf('layer1.0.conv1')).toBe('layer1.0');
    expect(blockOf('bert.encoder.layer.3.attention.self.query')).toBe('bert.encoder.layer.3');
    expect(blockOf('encoder.norm')).toBe('encoder');
  });
  it('unstructured names have no block', () => {
    expect(blockOf('Conv_12')).toBeNull();
    expect(blockOf('node_5')).toBeNull();
    expect(blockOf('')).toBeNull();
  });
});
