/**
 * Memory of an LLM under llama.cpp: weights (from the file's tensors, or from the parameter count
 * at the chosen quant), the K/V cache (kv-cache.ts), the compute buffer llama.cpp reserves for its
 * worst-case graph (estimated) and runtime overhead (estimated).
 */
import { FieldError } from '../errors/field-error.js';
import { kvCacheBytes } from './kv-cache.js';
import { countParams } from './params.js';
import { bitsPerWeight, resolveQuant } from './quant.js';
import type { LlmMemory, LlmSettings, LlmSpec, MemoryPart } from './types.js';

const MiB = 1024 * 1024;

/** llama.cpp's default physical batch (common/common.h n_ubatch = 512). */
export const DEFAULT_UBATCH = 512;
/** Runtime overhead assumed: GPU context (CUDA/Metal), cuBLAS workspace, llama.cpp's own small buffers. */
export const DEFAULT_OVERHEAD_BYTES = 512 * MiB;

export interface MemoryOptions {
  /** Physical batch llama.cpp reserves its compute graph for (default 512). */
  ubatch?: number;
  /** Flash attention (llama.cpp's default flash_attn_type AUTO turns it on where the backend has it). */
  flashAttention?: boolean;
  overheadBytes?: number;
}

/** Weights from the parameter count: every 2-d tensor at the quant (embedding and output included), 1-d tensors F32. */
export function weightsFromParams(spec: LlmSpec, quant: string): MemoryPart {
  const { type, note } = resolveQuant(quant);
  const p = countParams(spec);
  const matrices = p.total - p.vectors;
  const bytes = Math.ceil((matrices * bitsPerWeight(type.name)) / 8) + p.vectors * 4;
  const basis =
    `${p.total.toLocaleString('en-US')} parameters: 2-d tensors at ${type.name} (${bitsPerWeight(type.name)} bits/weight, ` +
    `token embedding and output kept at the same type), ${p.vectors.toLocaleString('en-US')} norm/bias values F32` +
    (note ? `; ${note}` : '');
  return { bytes, basis, kind: note ? 'estimated' : 'exact' };
}

/**
 * llama.cpp reserves one compute buffer for the worst-case graph: n_tokens = min(n_ctx, n_ubatch)
 * with every token an output (src/llama-context.cpp, sched_reserve → graph_reserve). ggml-alloc
 * reuses memory between nodes, so the peak is the larger of: the output stage (logits
 * vocab × n_tokens F32 + the final hidden state) and one layer's live activations (hidden, q, k,
 * v, two FFN intermediates, F32), plus without flash attention the K·Qᵀ scores n_tokens × context
 * × heads F32.
 */
export function computeBufferBytes(spec: LlmSpec, settings: LlmSettings, opts: MemoryOptions = {}): MemoryPart {
  const ubatch = opts.ubatch ?? DEFAULT_UBATCH;
  const fa = opts.flashAttention ?? true;
  const tokens = Math.min(settings.context, ubatch) * settings.batch;
  const h = spec.hiddenSize;
  const logits = tokens * (spec.vocab + h) * 4;
  const ffn = spec.moe ? Math.max(spec.intermediateSize, spec.moe.expertIntermediate * spec.moe.expertsPerToken + spec.moe.sharedIntermediate) : spec.intermediateSize;
  const qkv = spec.heads * spec.headDim + 2 * spec.kvHeads * spec.headDim;
  const scores = fa ? 0 : tokens * settings.context * spec.heads * 4;
  const layer = tokens * (2 * h + qkv + 2 * ffn) * 4 + scores;
  return {
    bytes: Math.max(logits, layer),
    basis:
      `llama.cpp's worst-case graph at n_ubatch ${ubatch} (${tokens} tokens): max of logits ${tokens} × ${spec.vocab} F32 ` +
      `and one layer's activations${fa ? ' (flash attention)' : ' incl. K·Qᵀ scores (no flash attention)'}`,
    kind: 'estimated',
  };
}

function checkSettings(settings: LlmSettings): void {
  if (!Number.isInteger(settings.context) || settings.context < 1) {
    throw new FieldError('context', `context must be a whole number of tokens ≥ 1, got ${settings.context}`);
  }
  if (!Number.isInteger(settings.batch) || settings.batch < 1) {
    throw new FieldError('batch', `batch must be a whole number ≥ 1, got ${settings.batch}`);
  }
}

/** Memory at the settings; `weights` = the file's tensors summed by the caller, or null to use the params at settings.quant. */
export function llmMemory(
  spec: LlmSpec,
  settings: LlmSettings,
  weights: { bytes: number; basis: string } | null,
  opts: MemoryOptions = {},
): LlmMemory {
  checkSettings(settings);
  const w: MemoryPart = weights ? { ...weights, kind: 'exact' } : weightsFromParams(spec, settings.quant);
  const kvBytes = kvCacheBytes(spec, settings.context, settings.kvDtype, settings.batch);
  const kvCache: MemoryPart = {
    bytes: kvBytes,
    basis: `${settings.context} tokens × batch ${settings.batch} at ${settings.kvDtype}${spec.mla ? ' (MLA latent)' : ''}${spec.slidingWindow ? `, sliding-window layers keep ${spec.slidingWindow.window}` : ''}`,
    kind: 'exact',
  };
  const compute = computeBufferBytes(spec, settings, opts);
  const overheadBytes = opts.overheadBytes ?? DEFAULT_OVERHEAD_BYTES;
  const overhead: MemoryPart = {
    bytes: overheadBytes,
    basis: `runtime overhead assumed ${Math.round(overheadBytes / MiB)} MiB (GPU context, BLAS workspace, llama.cpp buffers)`,
    kind: 'estimated',
  };
  return { weights: w, kvCache, compute, overhead, totalBytes: w.bytes + kvBytes + compute.bytes + overheadBytes };
}
