// ggml storage: block sizes and bytes per block of ggml-common.h (via gguf-py GGML_QUANT_SIZES), exact tensor bytes, K/V element sizes, file types.
import { describe, expect, it } from 'vitest';
import { FieldError } from '../errors/field-error.js';
import { bitsPerWeight, GGML_TYPES, ggmlType, kvBytesPerElement, resolveQuant, tensorBytes } from './quant.js';

describe('ggml types', () => {
  it('has the block layouts of ggml-common.h', () => {
    const expected: Array<[string, number, number, number]> = [
      ['F32', 0, 1, 4], ['F16', 1, 1, 2], ['Q4_0', 2, 32, 18], ['Q4_1', 3, 32, 20], ['Q5_0', 6, 32, 22], ['Q5_1', 7, 32, 24],
      ['Q8_0', 8, 32, 34], ['Q8_1', 9, 32, 40], ['Q2_K', 10, 256, 84], ['Q3_K', 11, 256, 110], ['Q4_K', 12, 256, 144],
      ['Q5_K', 13, 256, 176], ['Q6_K', 14, 256, 210], ['Q8_K', 15, 256, 292], ['IQ2_XXS', 16, 256, 66], ['IQ2_XS', 17, 256, 74],
      ['IQ3_XXS', 18, 256, 98], ['IQ1_S', 19, 256, 50], ['IQ4_NL', 20, 32, 18], ['IQ3_S', 21, 256, 110], ['IQ2_S', 22, 256, 82],
      ['IQ4_XS', 23, 256, 136], ['I8', 24, 1, 1], ['I16', 25, 1, 2], ['I32', 26, 1, 4], ['I64', 27, 1, 8], ['F64', 28, 1, 8],
      ['IQ1_M', 29, 256, 56], ['BF16', 30, 1, 2], ['TQ1_0', 34, 256, 54], ['TQ2_0', 35, 256, 66], ['MXFP4', 39, 32, 17],
    ];
    expect(GGML_TYPES.map((t) => [t.name, t.id, t.blockSize, t.blockBytes])).toEqual(expected);
  });

  it('bits per weight include the block scales', () => {
    expect(bitsPerWeight('Q4_0')).toBe(4.5);
    expect(bitsPerWeight('Q8_0')).toBe(8.5);
    expect(bitsPerWeight('Q4_K')).toBe(4.5);
    expect(bitsPerWeight('Q6_K')).toBe(6.5625);
    expect(bitsPerWeight('F16')).toBe(16);
  });

  it('finds a type by name in any case or by id', () => {
    expect(ggmlType('q4_k').id).toBe(12);
    expect(ggmlType(30).name).toBe('BF16');
    expect(ggmlType('8').name).toBe('Q8_0');
  });

  it('names the quant field and lists the known types for an unknown one', () => {
    try {
      ggmlType('Q4_9');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FieldError);
      expect((err as FieldError).field).toBe('quant');
      expect((err as FieldError).message).toMatch(/^unknown quant type "Q4_9" \(known: F32, F16, Q4_0/);
    }
  });

  it('tensor bytes are exact per block row and reject partial blocks', () => {
    expect(tensorBytes('Q4_K', 4096 * 14336, 4096)).toBe((4096 * 14336 * 144) / 256);
    expect(tensorBytes('F32', 7)).toBe(28);
    expect(() => tensorBytes('Q4_0', 33)).toThrow(FieldError);
    expect(() => tensorBytes('Q4_K', 768 * 2, 768 / 2)).toThrow(/multiple of 256/);
  });

  it('K/V element bytes count the q8_0/q4_0 scales', () => {
    expect(kvBytesPerElement('f16')).toBe(2);
    expect(kvBytesPerElement('f32')).toBe(4);
    expect(kvBytesPerElement('q8_0')).toBe(34 / 32);
    expect(kvBytesPerElement('q4_0')).toBe(18 / 32);
  });

  it('maps llama.cpp file types to their main tensor type', () => {
    const q = resolveQuant('Q4_K_M');
    expect(q.type.name).toBe('Q4_K');
    expect(q.note).toMatch(/Q6_K/);
    expect(resolveQuant('MOSTLY_Q8_0').type.name).toBe('Q8_0');
    expect(resolveQuant('f16').note).toBe('');
    expect(() => resolveQuant('Q9_K_M')).toThrow(FieldError);
  });
});
