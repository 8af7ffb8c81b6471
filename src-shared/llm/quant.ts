/**
 * ggml tensor storage: every ggml_type with its block size and bytes per block, so a tensor's
 * bytes are exact. Source: ggml/src/ggml-common.h (the block_* structs) as summarised by
 * gguf-py/gguf/constants.py GGML_QUANT_SIZES (llama.cpp); ids from ggml/include/ggml.h enum ggml_type.
 */
import { FieldError } from '../errors/field-error.js';
import type { KvDtype } from './types.js';

/** Super-block size of the k-quants and i-quants (ggml-common.h QK_K). */
const QK_K = 256;

export interface GgmlTypeInfo {
  name: string;
  /** enum ggml_type value (ggml.h). */
  id: number;
  /** Elements per block. */
  blockSize: number;
  /** Bytes per block (ggml-common.h block struct size). */
  blockBytes: number;
}

/** [name, id, block size, bytes per block]: the block layouts are those of ggml-common.h. */
const TABLE: ReadonlyArray<readonly [string, number, number, number]> = [
  ['F32', 0, 1, 4],
  ['F16', 1, 1, 2],
  ['Q4_0', 2, 32, 2 + 16], // block_q4_0: fp16 d + 32 nibbles
  ['Q4_1', 3, 32, 2 + 2 + 16], // block_q4_1: d, m + nibbles
  ['Q5_0', 6, 32, 2 + 4 + 16], // block_q5_0: d, qh[4], qs[16]
  ['Q5_1', 7, 32, 2 + 2 + 4 + 16],
  ['Q8_0', 8, 32, 2 + 32], // block_q8_0: d + 32 int8
  ['Q8_1', 9, 32, 4 + 4 + 32],
  ['Q2_K', 10, QK_K, 2 + 2 + QK_K / 16 + QK_K / 4], // 84
  ['Q3_K', 11, QK_K, 2 + QK_K / 4 + QK_K / 8 + 12], // 110
  ['Q4_K', 12, QK_K, 2 + 2 + QK_K / 2 + 12], // 144
  ['Q5_K', 13, QK_K, 2 + 2 + QK_K / 2 + QK_K / 8 + 12], // 176
  ['Q6_K', 14, QK_K, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16], // 210
  ['Q8_K', 15, QK_K, 4 + QK_K + QK_K / 8], // 292
  ['IQ2_XXS', 16, QK_K, 2 + QK_K / 4], // 66
  ['IQ2_XS', 17, QK_K, 2 + QK_K / 4 + QK_K / 32], // 74
  ['IQ3_XXS', 18, QK_K, 2 + QK_K / 4 + QK_K / 8], // 98
  ['IQ1_S', 19, QK_K, 2 + QK_K / 8 + QK_K / 16], // 50
  ['IQ4_NL', 20, 32, 2 + 16], // 18
  ['IQ3_S', 21, QK_K, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4], // 110
  ['IQ2_S', 22, QK_K, 2 + QK_K / 4 + QK_K / 16], // 82
  ['IQ4_XS', 23, QK_K, 2 + 2 + QK_K / 2 + QK_K / 64], // 136
  ['I8', 24, 1, 1],
  ['I16', 25, 1, 2],
  ['I32', 26, 1, 4],
  ['I64', 27, 1, 8],
  ['F64', 28, 1, 8],
  ['IQ1_M', 29, QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32], // 56
  ['BF16', 30, 1, 2],
  ['TQ1_0', 34, QK_K, 2 + 4 * 13], // 54
  ['TQ2_0', 35, QK_K, 2 + 64], // 66
  ['MXFP4', 39, 32, 1 + 16], // block_mxfp4: e8m0 scale + 16 nibbles
];

export const GGML_TYPES: readonly GgmlTypeInfo[] = TABLE.map(([name, id, blockSize, blockBytes]) => ({
  name,
  id,
  blockSize,
  blockBytes,
}));

const BY_NAME = new Map(GGML_TYPES.map((t) => [t.name, t]));
const BY_ID = new Map(GGML_TYPES.map((t) => [t.id, t]));

/** A ggml type by name (any case) or enum id; FieldError('quant') for an unknown one. */
export function ggmlType(nameOrId: string | number, field = 'quant'): GgmlTypeInfo {
  const found =
    typeof nameOrId === 'number' ? BY_ID.get(nameOrId) : (BY_NAME.get(nameOrId.trim().toUpperCase()) ?? byNumericName(nameOrId));
  if (found) return found;
  throw new FieldError(
    field,
    `unknown quant type "${String(nameOrId)}" (known: ${GGML_TYPES.map((t) => t.name).join(', ')})`,
  );
}

function byNumericName(text: string): GgmlTypeInfo | undefined {
  return /^\d+$/.test(text.trim()) ? BY_ID.get(Number(text)) : undefined;
}

/**
 * Exact bytes of a tensor of `elements` values stored as `type`, given its row length (ggml
 * quantizes along rows: ne[0] must be a multiple of the block size). Without a row length the
 * element count itself must be a multiple of the block size.
 */
export function tensorBytes(type: string | number, elements: number, rowLength = elements): number {
  const t = ggmlType(type);
  if (!Number.isInteger(elements) || elements < 0) throw new FieldError('elements', `elements must be a whole number ≥ 0, got ${elements}`);
  if (rowLength <= 0) return 0;
  if (rowLength % t.blockSize !== 0 || elements % rowLength !== 0) {
    throw new FieldError(
      'elements',
      `a ${t.name} row must be a multiple of ${t.blockSize} elements (row ${rowLength}, ${elements} elements)`,
    );
  }
  return (elements / t.blockSize) * t.blockBytes;
}

/** Bits per weight, block scales included (Q4_0: 18·8/32 = 4.5). */
export function bitsPerWeight(type: string | number): number {
  const t = ggmlType(type);
  return (t.blockBytes * 8) / t.blockSize;
}

/** Bytes per weight, block scales included. */
export function bytesPerWeight(type: string | number): number {
  return bitsPerWeight(type) / 8;
}

/** Bytes per cached K/V element, block scales included (llama.cpp `--cache-type-k/-v`). */
export function kvBytesPerElement(dtype: KvDtype): number {
  return bytesPerWeight(dtype.toUpperCase());
}

/** llama.cpp's file types (include/llama.h enum llama_ftype): main tensor type and what else differs. */
export interface FileType {
  name: string;
  id: number;
  mainType: string;
  note: string;
}

// llama-quantize's choices (src/llama-quant.cpp, tensor type selection): output.weight goes to Q6_K
// (Q5_K for the 1–2-bit i-quants, Q8_0 when its rows are not whole blocks), attn_v / ffn_down get more
// bits in the _M/_L mixes, 1-d tensors stay F32.
const MIXED = 'output.weight Q6_K, some attn_v/ffn_down at higher types, 1-d tensors F32 (llama-quant.cpp)';
const LOW_IQ = 'output.weight Q5_K, some attn_v/ffn_down at higher types, 1-d tensors F32 (llama-quant.cpp)';
const FILE_TYPES: ReadonlyArray<readonly [string, number, string, string]> = [
  ['F32', 0, 'F32', 'all tensors F32'],
  ['F16', 1, 'F16', '1-d tensors (norms) F32'],
  ['Q4_0', 2, 'Q4_0', MIXED],
  ['Q4_1', 3, 'Q4_1', MIXED],
  ['Q8_0', 7, 'Q8_0', '1-d tensors F32'],
  ['Q5_0', 8, 'Q5_0', MIXED],
  ['Q5_1', 9, 'Q5_1', MIXED],
  ['Q2_K', 10, 'Q2_K', MIXED],
  ['Q3_K_S', 11, 'Q3_K', MIXED],
  ['Q3_K_M', 12, 'Q3_K', MIXED],
  ['Q3_K_L', 13, 'Q3_K', MIXED],
  ['Q4_K_S', 14, 'Q4_K', MIXED],
  ['Q4_K_M', 15, 'Q4_K', MIXED],
  ['Q5_K_S', 16, 'Q5_K', MIXED],
  ['Q5_K_M', 17, 'Q5_K', MIXED],
  ['Q6_K', 18, 'Q6_K', '1-d tensors F32'],
  ['IQ2_XXS', 19, 'IQ2_XXS', LOW_IQ],
  ['IQ2_XS', 20, 'IQ2_XS', LOW_IQ],
  ['Q2_K_S', 21, 'Q2_K', MIXED],
  ['IQ3_XS', 22, 'IQ3_S', MIXED],
  ['IQ3_XXS', 23, 'IQ3_XXS', LOW_IQ],
  ['IQ1_S', 24, 'IQ1_S', LOW_IQ],
  ['IQ4_NL', 25, 'IQ4_NL', MIXED],
  ['IQ3_S', 26, 'IQ3_S', MIXED],
  ['IQ3_M', 27, 'IQ3_S', MIXED],
  ['IQ2_S', 28, 'IQ2_S', LOW_IQ],
  ['IQ2_M', 29, 'IQ2_S', LOW_IQ],
  ['IQ4_XS', 30, 'IQ4_XS', MIXED],
  ['IQ1_M', 31, 'IQ1_M', LOW_IQ],
  ['BF16', 32, 'BF16', '1-d tensors F32'],
  ['TQ1_0', 36, 'TQ1_0', MIXED],
  ['TQ2_0', 37, 'TQ2_0', MIXED],
  ['MXFP4_MOE', 38, 'MXFP4', 'expert tensors MXFP4, the rest Q8_0/F16'],
];

export const FILE_TYPES_LIST: readonly FileType[] = FILE_TYPES.map(([name, id, mainType, note]) => ({ name, id, mainType, note }));

/**
 * A quant setting as a ggml tensor type: a tensor type name ('Q4_K') or a file type ('Q4_K_M',
 * 'MOSTLY_Q4_K_M'), the latter mapped to its main tensor type with a note.
 */
export function resolveQuant(text: string, field = 'quant'): { type: GgmlTypeInfo; note: string } {
  const name = text.trim().toUpperCase().replace(/^(LLAMA_FTYPE_)?MOSTLY_/, '');
  const direct = BY_NAME.get(name);
  if (direct) return { type: direct, note: '' };
  const ftype = FILE_TYPES_LIST.find((f) => f.name === name);
  if (ftype) return { type: ggmlType(ftype.mainType), note: `${ftype.name}: main type ${ftype.mainType}; ${ftype.note}` };
  throw new FieldError(
    field,
    `unknown quant type "${text}" (known: ${GGML_TYPES.map((t) => t.name).join(', ')}; file types ${FILE_TYPES_LIST.map((f) => f.name).join(', ')})`,
  );
}
