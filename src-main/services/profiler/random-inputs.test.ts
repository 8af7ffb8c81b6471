// Random run inputs: shapes bound from dims, token ids inside the embedding table, masks all
// ones, N(0,1) floats, reproducible by seed.
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src-shared/profiler/ir-builder.js';
import { embeddingRows, gaussian, inputSpecs, randomFeeds, seededRandom } from './random-inputs.js';
import { floatToHalf } from '../onnx/read-tensor.js';

const graph = new GraphBuilder()
  .input('input_ids', ['batch', 'sequence'], 'int64')
  .input('token_type_ids', ['batch', 'sequence'], 'int64')
  .input('attention_mask', ['batch', 'sequence'], 'int64')
  .input('pixels', ['batch', 3], 'float32')
  .input('flags', [2], 'bool')
  .init('wte', [1000, 8]).init('tte', [2, 8])
  .node('Cast', ['input_ids'], ['ids32'], { to: 6 }, { name: 'cast' })
  .node('Gather', ['wte', 'ids32'], ['emb'], {}, { name: 'wte' })
  .node('Gather', ['tte', 'token_type_ids'], ['temb'], {}, { name: 'tte' })
  .graph();

describe('inputSpecs', () => {
  it('binds dims and picks a value rule per input', () => {
    const specs = inputSpecs(graph, { batch: 2, sequence: 5 });
    expect(specs.map((s) => [s.name, s.shape, s.fill, s.high])).toEqual([
      ['input_ids', [2, 5], 'token-ids', 1000],
      ['token_type_ids', [2, 5], 'token-ids', 2],
      ['attention_mask', [2, 5], 'ones', undefined],
      ['pixels', [2, 3], 'normal', undefined],
      ['flags', [2], 'bool', undefined],
    ]);
    expect(embeddingRows(graph, 'pixels')).toBeNull();
  });
  it('names the unbound dimension', () => {
    expect(() => inputSpecs(graph, { batch: 2 })).toThrow(/'sequence' is symbolic: bind it with --dim sequence=<n>/);
  });
});

describe('randomFeeds', () => {
  it('fills tensors within their ranges, reproducibly', () => {
    const specs = inputSpecs(graph, { batch: 4, sequence: 64 });
    const a = randomFeeds(ort.Tensor, specs, 3);
    const b = randomFeeds(ort.Tensor, specs, 3);
    const ids = Array.from(a.input_ids!.data as BigInt64Array, Number);
    expect(ids.every((v) => v >= 0 && v < 1000)).toBe(true);
    expect(new Set(ids).size).toBeGreaterThan(100);
    expect(Array.from(a.token_type_ids!.data as BigInt64Array, Number).every((v) => v === 0 || v === 1)).toBe(true);
    expect(Array.from(a.attention_mask!.data as BigInt64Array, Number).every((v) => v === 1)).toBe(true);
    expect(a.pixels!.dims).toEqual([4, 3]);
    expect(Array.from(a.pixels!.data as Float32Array)).toEqual(Array.from(b.pixels!.data as Float32Array));
  });
  it('N(0,1): mean ≈ 0, variance ≈ 1', () => {
    const x = gaussian(100_001, seededRandom(1));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });
  it('float16 bits round to nearest even', () => {
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(1e6)).toBe(0x7c00);
    expect(floatToHalf(2 ** -24)).toBe(1);
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie → even
  });
});
