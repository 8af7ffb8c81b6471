/**
 * Efficient-transformer lab types (runs anywhere): the model shape, the attention variants the
 * lab compares, the device it predicts on, and one point of a sweep. The cost models are in
 * cost.ts, the variant parser in variants.ts, the attention patterns in patterns.ts.
 */
import type { DeviceModel } from '../profiler/cost-model.js';

/** One transformer layer's shape, repeated `layers` times; batch and element size for bytes. */
export interface AttentionShape {
  dModel: number;
  heads: number;
  /** Per-head size; default dModel / heads. */
  headDim?: number;
  /** K/V heads (MQA = 1, GQA = a divisor of heads); default heads. Overridden by a gqa variant. */
  kvHeads?: number;
  /** FFN inner width; default 4 · dModel. */
  ffn?: number;
  /** Default 1. */
  layers?: number;
  /** Default 1. */
  batch?: number;
  /** Bytes per activation/weight element; default 4 (fp32, what ONNX Runtime runs here). */
  bytesPerElement?: number;
}

export type AttentionVariant =
  | { kind: 'full' }
  | { kind: 'causal' }
  /** Each query sees the `window` keys centred on it (Beltagy et al. 2020, Longformer §3.1). */
  | { kind: 'sliding'; window: number }
  /** A window of `window` keys spaced `dilation` apart (Longformer §3.1). */
  | { kind: 'dilated'; window: number; dilation: number }
  /** Sliding window plus `globalTokens` tokens that attend to and are attended by all (Longformer). */
  | { kind: 'global'; window: number; globalTokens: number }
  /** BigBird (Zaheer et al. 2020): blocks of `block` tokens; 3 sliding blocks, `randomBlocks` random and `globalBlocks` global blocks per query block. */
  | { kind: 'bigbird'; block: number; randomBlocks: number; globalBlocks: number }
  /** Kernelised linear attention (Katharopoulos et al. 2020): φ(Q)(φ(K)ᵀV), O(N·d²). */
  | { kind: 'linear' }
  /** Grouped-query attention (Ainslie et al. 2023) with `kvHeads` K/V heads (1 = MQA, Shazeer 2019). */
  | { kind: 'gqa'; kvHeads: number }
  /** FlashAttention (Dao et al. 2022): full attention's FLOPs, tiled IO, no N² activations. */
  | { kind: 'flash' }
  /** Token merging (Bolya et al. 2023, ToMe): r tokens merged away in every layer. */
  | { kind: 'tome'; r: number }
  /** Token pruning: keep this fraction of the tokens in every layer. */
  | { kind: 'prune'; keep: number };

export type VariantKind = AttentionVariant['kind'];

/** What the predictions run on: a roofline, memory size and on-chip memory for FlashAttention's IO. */
export interface AttentionDevice {
  name: string;
  /** Dense peak for the element type used, GFLOP/s. */
  peakGflops: number;
  /** Main-memory (DRAM/HBM) bandwidth, GB/s. */
  bandwidthGBs: number;
  /** Device memory (RAM or VRAM), bytes. */
  memoryBytes: number;
  /** On-chip memory M per streaming multiprocessor or core (shared memory / L2 slice), bytes. */
  sramBytes: number;
  source: string;
  /**
   * This machine's calibrated cost model (src-shared/profiler/cost-model.ts), when the device is
   * this machine with a stored benchmark: every kernel is then timed by it (GEMM throughput at
   * its shape, bandwidth at its working set, per-kernel overhead), the same model the profiler's
   * predictions use, instead of by the roofline above. Never stored with a result.
   */
  costModel?: DeviceModel;
}

/** One variant at one sequence length (the CLI's JSON point). */
export interface AttentionPoint {
  /** The variant as written, e.g. "sliding:512". */
  variant: string;
  seq: number;
  /** Whole model (all layers: projections, attention, FFN), forward, FLOPs. */
  flops: number;
  /** Attention alone (QKᵀ and softmax·V, plus what the variant adds), forward, all layers. */
  attentionFlops: number;
  /** Activations of one forward pass kept for backward (training), bytes. */
  activationBytes: number;
  /** Main-memory traffic of attention, forward, bytes. */
  bytesMoved: number;
  /** attentionFlops / bytesMoved. */
  intensity: number;
  /** K/V cache for decoding at this context length, bytes. */
  kvCacheBytes: number;
  /** Roofline time of one forward pass, seconds; 0 when no device was given (then predictedOn is absent). */
  predictedSeconds: number;
  /** The device predictedSeconds is for; absent when the cost was computed without one. */
  predictedOn?: string;
  /** Attention's share of predictedSeconds (the rest: projections, FFN, ToMe's matching). */
  attentionSeconds?: number;
  /** Whether attention's intensity is above the device's ridge (compute bound) or below it. */
  attentionBound?: 'compute' | 'memory';
  measuredSeconds?: number;
  measuredPeakBytes?: number;
}

export interface Crossover {
  /** The variant that is cheaper beyond `seq`. */
  a: string;
  b: string;
  seq: number;
}
