/**
 * Shapes of the weight-dependent what-if reports that the backend puts in a ProfileResult's
 * `whatifs` (types only, runs anywhere). They mirror the declarations next to the Node code that
 * produces them (src-main/services/profiler/quantize-model.ts, prune-model.ts,
 * activation-sparsity.ts) so the renderer can read them without importing the main process.
 * MoeReport lives with its pure accounting in ./moe.ts.
 */
import type { PrunedCost } from './prune.js';
import type { Granularity, LayerSpeedup, WeightFormat } from './quantize.js';

export type { MoeReport, MoeLayer } from './moe.js';

// ---- quantization --------------------------------------------------------------------------

export interface SchemeResult {
  bits: number;
  symmetric: boolean;
  granularity: Granularity;
  /** null when lossless. */
  sqnrDb: number | null;
  maxAbsError: number;
}

export interface TensorQuantReport {
  name: string;
  /** Nodes reading the weight (products first). */
  nodes: string[];
  dims: number[];
  elements: number;
  channelAxis: number;
  results: SchemeResult[];
}

export interface SchemeSummary {
  bits: number;
  symmetric: boolean;
  granularity: Granularity;
  /** Mean over tensors of SQNR in dB (lossless tensors left out). */
  meanSqnrDb: number | null;
  /** Element-weighted: 10·log10(Σ all signal / Σ all noise). */
  pooledSqnrDb: number | null;
  minSqnrDb: number | null;
  worstTensor: string | null;
}

export interface QuantizeModelReport {
  /** Bytes per format. */
  sizes: Record<WeightFormat, number>;
  tensors: TensorQuantReport[];
  summary: SchemeSummary[];
  /** Float weights of rank < 2 or non-float types that were not quantized. */
  skipped: Array<{ name: string; reason: string }>;
  speedups?: Array<{ format: WeightFormat; speedup: number; layers: LayerSpeedup[] }>;
}

// ---- pruning -------------------------------------------------------------------------------

export type PruneMethod = 'global' | 'layerwise' | '2:4';

export interface PrunedTensor {
  name: string;
  nodes: string[];
  dims: number[];
  elements: number;
  kept: number;
  energyKept: number;
  eligible?: boolean;
  inputAxis?: number | null;
}

export interface PruneModelReport {
  method: PruneMethod;
  targetSparsity: number;
  /** Pruned / prunable weights, counted exactly. */
  achievedSparsity: number;
  /** Global only: prune iff |w| < threshold. */
  threshold?: number;
  tensors: PrunedTensor[];
  cost: PrunedCost;
}

// ---- activation sparsity -------------------------------------------------------------------

export interface NodeSparsity {
  name: string;
  opType: string;
  output: string;
  elements: number;
  zeros: number;
  /** zeros / elements. */
  fraction: number;
}

export interface ActivationSparsityReport {
  nodes: NodeSparsity[];
  /** Element-weighted over all measured nodes. */
  overall: { elements: number; zeros: number; fraction: number };
  byOpType: Array<{ opType: string; nodes: number; elements: number; zeros: number; fraction: number }>;
}
