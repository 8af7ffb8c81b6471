/**
 * Memory and parallelism on paper (pure; runs anywhere): for a decoder-only transformer shape and
 * a data/tensor/pipeline/expert-parallel layout with ZeRO and activation recomputation, the
 * per-device memory (weights, gradients, optimizer state, activations), whether it fits, the
 * communication per step over the chosen links, the pipeline bubble, the time per step and the
 * model FLOPs utilisation; `smallestFit` searches the smallest device count that fits.
 * Formulas, sources and assumptions: docs/planner-parallelism.md; each formula below also names
 * its source where it is used.
 *
 * Layout (Megatron-LM rank order, tensor innermost, then expert/data, then pipeline outermost;
 * Narayanan et al. 2021 §3.2, Takeaway #1: tensor parallelism within a node, pipeline across nodes): a group
 * crosses nodes when the ranks it spans exceed one node: TP when tp > devicesPerNode, EP when
 * tp·ep > devicesPerNode, DP when tp·dp > devicesPerNode, PP when tp·dp·pp > devicesPerNode.
 *
 * Units: bytes, seconds, FLOPs; GB = 1e9 bytes (the ZeRO paper's and the datasheets' unit).
 */
import type { GpuCatalogEntry } from '../hardware/gpu-catalog.js';
import { findInterconnect, type Interconnect, type InterconnectId } from './interconnects.js';
import type { TransformerShape } from './types.js';

// ---- input ------------------------------------------------------------------------------------

/** The fields of a TransformerShape the planner reads. */
export type ParallelismShape = Pick<
  TransformerShape,
  'layers' | 'dModel' | 'heads' | 'headDim' | 'ffn' | 'vocab' | 'context' | 'exactParams' | 'nonEmbeddingParams'
>;

export type ZeroStage = 0 | 1 | 2 | 3;
export type Recompute = 'none' | 'selective' | 'full';

export interface TrainingConfig {
  /** Tokens per optimizer step, all devices together. */
  globalBatchTokens: number;
  /** Sequences per micro-batch (b in Korthikanti et al. 2022). */
  microBatchSize: number;
  /** Tokens per sequence (s); default shape.context. */
  seqLen?: number;
  dp: number;
  tp: number;
  pp: number;
  /** Expert-parallel degree, carved out of dp (must divide dp and experts); default 1. */
  ep?: number;
  /** MoE experts per layer; 0 or undefined = dense. Every layer's FFN becomes `experts` copies of the shape's FFN. */
  experts?: number;
  /** Experts each token is routed to; default 1 (Switch, Fedus et al. 2021). */
  topK?: number;
  zeroStage: ZeroStage;
  recompute: Recompute;
  /** Megatron sequence parallelism with TP (Korthikanti et al. 2022 §4.2.2); default true. */
  sequenceParallel?: boolean;
  /** Bytes per weight (and per gradient): 2 = bf16/fp16 mixed precision (default), 4 = fp32, 1 = fp8. */
  weightBytes?: number;
  /** Adam with mixed precision: 16 bytes/param (Rajbhandari et al. 2020, ZeRO §3.1). */
  optimizer: 'adam';
  /** Total devices; when given it must equal dp·tp·pp. */
  devices?: number;
  /** Count attention-score FLOPs (12·L·H·Q·T per token, Chowdhery et al. 2022 App. B) in model FLOPs; default false (6N). */
  includeAttentionFlops?: boolean;
}

export interface PlannerDevice {
  name: string;
  memGB: number;
  /** Dense peak of the training precision, TFLOP/s. */
  peakTflops: number;
}

export interface LinkConfig {
  /** Link between devices of one node (TP and in-node DP/PP/EP). */
  intraNode: InterconnectId;
  /** Link between nodes, per device. */
  interNode: InterconnectId;
  /** Default 8. */
  devicesPerNode?: number;
  /** Fraction of the link rate collectives reach; default 1 (the link's rate). */
  efficiency?: number;
}

export interface ParallelismInput {
  shape: ParallelismShape;
  training: TrainingConfig;
  device: PlannerDevice;
  links: LinkConfig;
  /** Fraction of peak the matmuls reach; default 0.5 (a stated assumption). */
  kernelEfficiency?: number;
}

// ---- output -----------------------------------------------------------------------------------

/** Per-device bytes. */
export interface MemoryBreakdown {
  weights: number;
  grads: number;
  optimizer: number;
  activations: number;
  total: number;
}

export interface CommTerm {
  /** Group size (1 = no such traffic). */
  degree: number;
  /** Bytes this device sends per step (one direction). */
  bytes: number;
  /** bytes ÷ (link rate × efficiency). */
  seconds: number;
  linkId: InterconnectId | null;
  linkName: string | null;
  /** Effective per-direction rate used, GB/s (after `links.efficiency`). */
  bandwidthGBs: number | null;
  crossesNodes: boolean;
  /** What was counted, in words. */
  what: string;
}

export interface ParallelismResult {
  config: {
    dp: number;
    tp: number;
    pp: number;
    ep: number;
    experts: number;
    topK: number;
    zeroStage: ZeroStage;
    recompute: Recompute;
    sequenceParallel: boolean;
    devices: number;
    nodes: number;
    devicesPerNode: number;
    microBatchSize: number;
    seqLen: number;
    /** Micro-batches per step per data-parallel rank (m). */
    microBatches: number;
    /** Sequences per step actually processed (m · b · dp). */
    globalBatchSequences: number;
    /** Tokens per step actually processed (m · b · dp · s); may exceed the request when rounded up. */
    tokensPerStep: number;
    weightBytes: number;
    kernelEfficiency: number;
    linkEfficiency: number;
  };
  params: {
    /** All parameters (MoE: every expert). */
    total: number;
    /** Parameters a token goes through in matmuls (MoE: topK experts; the input embedding is a lookup and is left out): the N of 6N. */
    active: number;
    /** Parameters held by the binding device before ZeRO sharding (after tp, pp and ep). */
    perDevice: number;
    layersPerStage: number;
  };
  /** The binding (largest) device: the first pipeline stage unless the last one needs more. */
  memory: MemoryBreakdown;
  memoryStage: 'only' | 'first' | 'last';
  /** First and last pipeline stage (the same device when pp = 1). */
  stages: { first: MemoryBreakdown; last: MemoryBreakdown };
  memGB: number;
  fits: boolean;
  /** memGB·1e9 − memory.total (negative when it does not fit). */
  headroomBytes: number;
  /** Activation bytes of one layer for one micro-batch on one device. */
  activationsPerLayer: number;
  /** Micro-batches whose activations the first stage holds at once (1F1B: min(pp, m)). */
  inFlightMicroBatches: number;
  communication: { dp: CommTerm; tp: CommTerm; pp: CommTerm; ep: CommTerm; totalBytes: number; totalSeconds: number };
  /** (pp − 1) / (m + pp − 1). */
  bubbleFraction: number;
  time: {
    /** Hardware FLOPs ÷ (devices · peak · kernelEfficiency). */
    computeSeconds: number;
    /** computeSeconds ÷ (1 − bubble). */
    computeWithBubbleSeconds: number;
    commSeconds: number;
    /** No overlap (upper bound): compute with bubble + communication. */
    stepSeconds: number;
    /** Perfect overlap (lower bound): max(compute with bubble, communication). */
    stepSecondsOverlapped: number;
    tokensPerSecond: number;
    tokensPerSecondOverlapped: number;
  };
  flops: {
    /** 6·N_active (+ 12·L·H·Q·T with includeAttentionFlops). */
    modelPerToken: number;
    /** Model FLOPs + recomputation. */
    hardwarePerToken: number;
    modelPerStep: number;
  };
  /** Model FLOPs utilisation at the no-overlap step time (Chowdhery et al. 2022 App. B). */
  mfu: number;
  /** MFU at the perfect-overlap step time. */
  mfuOverlapped: number;
  /** Hardware FLOPs utilisation (recomputation counted) at the no-overlap step time. */
  hfu: number;
  warnings: string[];
  /** The modelling assumptions behind these numbers, for display. */
  assumptions: string[];
}

// ---- building blocks --------------------------------------------------------------------------

const GB = 1e9;
/** Default devices per node: 8 GPUs per HGX/DGX node (NVIDIA DGX A100/H100 datasheets). */
export const DEFAULT_DEVICES_PER_NODE = 8;
/** Default fraction of peak reached by the matmuls: a stated assumption, not a measurement. */
export const DEFAULT_KERNEL_EFFICIENCY = 0.5;

/**
 * Bytes per parameter for Adam (Rajbhandari et al. 2020, ZeRO §3.1): mixed precision keeps 2Ψ
 * half weights + 2Ψ half gradients + K·Ψ with K = 12 (fp32 master weights, momentum, variance);
 * fp32 training keeps 4Ψ + 4Ψ + 8Ψ (the weights are the master copy, K = 8).
 */
export function adamBytesPerParam(weightBytes = 2): { weights: number; grads: number; optimizer: number } {
  return { weights: weightBytes, grads: weightBytes, optimizer: weightBytes >= 4 ? 8 : 12 };
}

/**
 * Model-state bytes per device for `params` parameters replicated over `dp` ranks, with ZeRO
 * (Rajbhandari et al. 2020 §5, Figure 1): stage 1 (P_os) shards the optimizer state over dp,
 * stage 2 (P_os+g) also the gradients, stage 3 (P_os+g+p) also the weights.
 */
export function modelStateBytes(p: { params: number; dp: number; zeroStage: ZeroStage; weightBytes?: number }): {
  weights: number;
  grads: number;
  optimizer: number;
  total: number;
} {
  const b = adamBytesPerParam(p.weightBytes ?? 2);
  const weights = (p.params * b.weights) / (p.zeroStage >= 3 ? p.dp : 1);
  const grads = (p.params * b.grads) / (p.zeroStage >= 2 ? p.dp : 1);
  const optimizer = (p.params * b.optimizer) / (p.zeroStage >= 1 ? p.dp : 1);
  return { weights, grads, optimizer, total: weights + grads + optimizer };
}

export interface ActivationOptions {
  /** Sequence length s. */
  seqLen: number;
  /** Micro-batch size b (sequences). */
  microBatch: number;
  /** Hidden size h (dModel). */
  hidden: number;
  /** Attention heads a. */
  heads: number;
  /** FFN inner size; default 4h (Korthikanti's setting). */
  ffn?: number;
  /** Tensor-parallel size t; default 1. */
  tp?: number;
  /** Sequence parallelism with TP; default true. */
  sequenceParallel?: boolean;
  recompute: Recompute;
  /** MoE: experts per token (the MLP activations are stored once per routed copy); default 1. */
  topK?: number;
  /** 1 for bf16/fp16 activations (the paper's 2 bytes); 2 for fp32. */
  bytesScale?: number;
}

/**
 * Activation bytes one transformer layer keeps for backward, for one micro-batch on one device
 * (Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models",
 * §4.1 eq. 2 and Table 2), 2-byte activations and 1-byte dropout masks:
 * - no parallelism: s·b·h·(34 + 5·a·s/h);
 * - tensor parallel t: s·b·h·(10 + 24/t + 5·a·s/(h·t)); with sequence parallelism s·b·h·(34/t + 5·a·s/(h·t));
 * - selective recomputation drops the 5·a·s/h term (softmax, its dropout mask and output);
 * - full recomputation keeps the layer input only: 2·s·b·h (Table 2).
 * §4.1's itemisation, with f = FFN size: attention 11·s·b·h + 5·a·s²·b (QKV input 2, Q and K 4,
 * V 2, projection input 2, dropout mask 1), MLP 3·s·b·h + 4·s·b·f (input 2, mask 1, the two
 * f-wide tensors 2 + 2), layer norms 4·s·b·h. Of these, 10·s·b·h (norms 4, QKV input 2,
 * attention mask 1, MLP input 2, MLP mask 1) is replicated across TP ranks unless sequence
 * parallelism splits it. With f = 4h this is exactly the paper's 34 and 10 + 24/t; other f
 * generalise it. MoE (topK = k): the MLP terms are kept once per routed copy, × k.
 */
export function activationBytesPerLayer(o: ActivationOptions): number {
  const { seqLen: s, microBatch: b, hidden: h, heads: a } = o;
  const t = o.tp ?? 1;
  const sp = o.sequenceParallel ?? true;
  const f = o.ffn ?? 4 * h;
  const k = o.topK ?? 1;
  const scale = o.bytesScale ?? 1;
  const sbh = s * b * h;
  // Korthikanti et al. 2022 Table 2, "full activation recomputation": sbh·2.
  if (o.recompute === 'full') return 2 * sbh * scale;
  // Replicated across TP ranks unless sequence-parallel: norms 4 + QKV input 2 + attention dropout mask 1 + (MLP input 2 + MLP dropout mask 1) × k.
  const replicated = 7 + 3 * k;
  // Split by TP: Q, K 4 + V 2 + projection input 2 + MLP's two f-wide tensors 4·f/h (× k).
  const split = 8 + (4 * k * f) / h;
  // Softmax output 2·a·s²·b + its dropout mask a·s²·b + dropout output 2·a·s²·b = 5·a·s²·b, split by TP; selective recomputation drops it (§5).
  const scores = o.recompute === 'none' ? (5 * a * s) / h : 0;
  const perSbh = (sp ? replicated / t : replicated) + split / t + scores / t;
  return sbh * perSbh * scale;
}

/**
 * Pipeline bubble as a fraction of the step (Narayanan et al. 2021, "Efficient Large-Scale
 * Language Model Training on GPU Clusters Using Megatron-LM", §2.2: bubble time (p − 1)·(t_f + t_b)
 * against ideal m·(t_f + t_b)), i.e. (p − 1) / (m + p − 1) of the total.
 */
export function pipelineBubbleFraction(pp: number, microBatches: number): number {
  return (pp - 1) / (microBatches + pp - 1);
}

/** Bytes each of n ranks sends in a ring all-reduce of `bytes` (Patarasuk & Yuan 2009; ZeRO §7.1): 2·(n − 1)/n·bytes. */
export function ringAllReduceBytes(n: number, bytes: number): number {
  return n <= 1 ? 0 : (2 * (n - 1) * bytes) / n;
}

/** Bytes each of n ranks sends in a ring all-gather or reduce-scatter of `bytes` in total: (n − 1)/n·bytes (ZeRO §7.1). */
export function ringAllGatherBytes(n: number, bytes: number): number {
  return n <= 1 ? 0 : ((n - 1) * bytes) / n;
}

/** A planner device from a catalog GPU at a training precision, or null without a figure. Boards seen as several devices are split. */
export function deviceFromGpu(entry: GpuCatalogEntry, dtype: 'bf16' | 'fp16' | 'fp8' = 'bf16'): PlannerDevice | null {
  const peak = entry[dtype];
  if (peak === null || entry.memGB === null) return null;
  const split = entry.logicalDevices ?? 1;
  return { name: entry.name, memGB: entry.memGB / split, peakTflops: peak / split };
}

// ---- validation -------------------------------------------------------------------------------

function positive(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`${field} must be a finite number > 0 (got ${String(v)})`);
  return v;
}

function positiveInt(field: string, v: unknown): number {
  const n = positive(field, v);
  if (!Number.isInteger(n)) throw new RangeError(`${field} must be a whole number (got ${n})`);
  return n;
}

function fraction(field: string, v: unknown): number {
  const n = positive(field, v);
  if (n > 1) throw new RangeError(`${field} must be in (0, 1] (got ${n})`);
  return n;
}

function link(field: string, id: unknown): Interconnect {
  const l = typeof id === 'string' ? findInterconnect(id) : null;
  if (!l) throw new RangeError(`${field}: unknown interconnect '${String(id)}'`);
  return l;
}

interface Normalized {
  shape: ParallelismShape;
  s: number;
  b: number;
  globalBatchTokens: number;
  dp: number;
  tp: number;
  pp: number;
  ep: number;
  experts: number;
  topK: number;
  zeroStage: ZeroStage;
  recompute: Recompute;
  sp: boolean;
  weightBytes: number;
  includeAttentionFlops: boolean;
  device: PlannerDevice;
  intra: Interconnect;
  inter: Interconnect;
  devicesPerNode: number;
  linkEfficiency: number;
  kernelEfficiency: number;
}

/** Checks everything that does not depend on the (dp, tp, pp, ep, zeroStage) layout. */
function validateCommon(input: Omit<ParallelismInput, 'training'> & { training: Omit<TrainingConfig, 'dp' | 'tp' | 'pp' | 'zeroStage'> }): Omit<Normalized, 'dp' | 'tp' | 'pp' | 'ep' | 'zeroStage'> & { epFixed: number | undefined } {
  const { shape, training, device, links } = input;
  if (!shape || !training || !device || !links) throw new RangeError('input needs shape, training, device and links');
  for (const f of ['layers', 'dModel', 'heads', 'headDim', 'ffn', 'vocab', 'context'] as const) positiveInt(`shape.${f}`, shape[f]);
  positive('shape.exactParams', shape.exactParams);
  positive('shape.nonEmbeddingParams', shape.nonEmbeddingParams);
  if (shape.nonEmbeddingParams > shape.exactParams) {
    throw new RangeError(`shape.nonEmbeddingParams (${shape.nonEmbeddingParams}) exceeds shape.exactParams (${shape.exactParams})`);
  }
  const globalBatchTokens = positive('training.globalBatchTokens', training.globalBatchTokens);
  const b = positiveInt('training.microBatchSize', training.microBatchSize);
  const s = training.seqLen === undefined ? shape.context : positiveInt('training.seqLen', training.seqLen);
  let experts = 0;
  if (training.experts !== undefined) {
    if (typeof training.experts !== 'number' || !Number.isInteger(training.experts) || training.experts < 0) {
      throw new RangeError(`training.experts must be a whole number ≥ 0 (got ${String(training.experts)})`);
    }
    experts = training.experts;
  }
  let topK = 1;
  if (training.topK !== undefined) {
    topK = positiveInt('training.topK', training.topK);
    if (experts === 0 && topK !== 1) throw new RangeError(`training.topK (${topK}) needs training.experts > 0`);
    if (experts > 0 && topK > experts) throw new RangeError(`training.topK (${topK}) exceeds training.experts (${experts})`);
  }
  const epFixed = training.ep === undefined ? undefined : positiveInt('training.ep', training.ep);
  if (epFixed !== undefined && epFixed > 1 && experts === 0) throw new RangeError(`training.ep (${epFixed}) needs training.experts > 0`);
  if (epFixed !== undefined && experts > 0 && experts % epFixed !== 0) {
    throw new RangeError(`training.ep (${epFixed}) must divide training.experts (${experts})`);
  }
  if (experts > 0 && shape.nonEmbeddingParams / shape.layers < 2 * shape.dModel * shape.ffn) {
    throw new RangeError(`shape.nonEmbeddingParams (${shape.nonEmbeddingParams}) is too small to hold an FFN of 2·dModel·ffn per layer`);
  }
  if (!['none', 'selective', 'full'].includes(training.recompute)) {
    throw new RangeError(`training.recompute must be 'none', 'selective' or 'full' (got ${String(training.recompute)})`);
  }
  if (training.optimizer !== 'adam') throw new RangeError(`training.optimizer must be 'adam' (got ${String(training.optimizer)})`);
  const weightBytes = training.weightBytes ?? 2;
  if (![1, 2, 4].includes(weightBytes)) throw new RangeError(`training.weightBytes must be 1, 2 or 4 (got ${String(weightBytes)})`);
  positive('device.memGB', device.memGB);
  positive('device.peakTflops', device.peakTflops);
  const intra = link('links.intraNode', links.intraNode);
  const inter = link('links.interNode', links.interNode);
  const devicesPerNode = links.devicesPerNode === undefined ? DEFAULT_DEVICES_PER_NODE : positiveInt('links.devicesPerNode', links.devicesPerNode);
  const linkEfficiency = links.efficiency === undefined ? 1 : fraction('links.efficiency', links.efficiency);
  const kernelEfficiency = input.kernelEfficiency === undefined ? DEFAULT_KERNEL_EFFICIENCY : fraction('kernelEfficiency', input.kernelEfficiency);
  return {
    shape, s, b, globalBatchTokens, experts, topK, epFixed,
    recompute: training.recompute, sp: training.sequenceParallel ?? true, weightBytes,
    includeAttentionFlops: training.includeAttentionFlops ?? false,
    device, intra, inter, devicesPerNode, linkEfficiency, kernelEfficiency,
  };
}

/** Why this layout is invalid for the common part, or null. */
function layoutError(c: ReturnType<typeof validateCommon>, dp: number, tp: number, pp: number, ep: number): string | null {
  const { shape } = c;
  if (shape.heads % tp !== 0) return `training.tp (${tp}) must divide shape.heads (${shape.heads})`;
  if (shape.layers % pp !== 0) return `training.pp (${pp}) must divide shape.layers (${shape.layers})`;
  if (ep > 1 && dp % ep !== 0) return `training.ep (${ep}) must divide training.dp (${dp}): expert parallelism is carved out of data parallelism`;
  if (c.experts > 0 && c.experts % ep !== 0) return `training.ep (${ep}) must divide training.experts (${c.experts})`;
  const sequences = c.globalBatchTokens / c.s;
  if (sequences < dp * c.b) {
    return `training.globalBatchTokens (${c.globalBatchTokens}) is less than one micro-batch per data-parallel rank (dp × microBatchSize × seqLen = ${dp * c.b * c.s})`;
  }
  return null;
}

function validate(input: ParallelismInput): Normalized {
  const common = validateCommon(input);
  const { training } = input;
  const dp = positiveInt('training.dp', training.dp);
  const tp = positiveInt('training.tp', training.tp);
  const pp = positiveInt('training.pp', training.pp);
  const ep = common.epFixed ?? 1;
  if (![0, 1, 2, 3].includes(training.zeroStage)) throw new RangeError(`training.zeroStage must be 0, 1, 2 or 3 (got ${String(training.zeroStage)})`);
  if (training.devices !== undefined) {
    const devices = positiveInt('training.devices', training.devices);
    if (devices !== dp * tp * pp) throw new RangeError(`training.devices (${devices}) must equal dp·tp·pp = ${dp}·${tp}·${pp} = ${dp * tp * pp}`);
  }
  const err = layoutError(common, dp, tp, pp, ep);
  if (err) throw new RangeError(err);
  const { epFixed: _epFixed, ...rest } = common;
  return { ...rest, dp, tp, pp, ep, zeroStage: training.zeroStage };
}

// ---- the model --------------------------------------------------------------------------------

function gb(bytes: number): string {
  return `${(bytes / GB).toFixed(1)} GB`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

const STATIC_ASSUMPTIONS: readonly string[] = [
  'Memory counts model states and saved activations only: no CUDA context, framework workspaces, communication buffers or allocator fragmentation (leave 10–20% headroom). GB = 1e9 bytes.',
  'Adam with mixed precision: 2 + 2 + 12 = 16 bytes per parameter (ZeRO §3.1); fp32 training 4 + 4 + 8.',
  'Activations per layer from Korthikanti et al. 2022 (eq. 2, Table 2), with dropout masks; FlashAttention-style kernels store what selective recomputation stores. Full recomputation also holds one layer\'s full activations while it is rebuilt (Chen et al. 2016 §4).',
  'Pipeline: non-interleaved 1F1B; the first stage holds min(pp, m) micro-batches in flight; the embedding (or its tied copy) sits on the first and last stage.',
  'Tensor parallelism splits attention, MLP and the vocabulary-parallel embedding by tp (layer norms are counted as split: < 0.1% of a layer).',
  'Communication uses the link rate × links.efficiency, per device, bandwidth only (no latency); one NIC per device across nodes.',
  'Time per step: compute ÷ (1 − bubble) + all communication with no overlap (an upper bound); the overlapped lower bound is max(compute ÷ (1 − bubble), communication).',
];

/** Memory, communication, time per step and MFU of one training layout. Throws RangeError on invalid input. */
export function analyzeParallelism(input: ParallelismInput): ParallelismResult {
  const n = validate(input);
  const { shape, s, b, dp, tp, pp, ep, experts, topK, zeroStage, recompute, sp, weightBytes, devicesPerNode } = n;
  const moe = experts > 0;
  const k = moe ? topK : 1;
  const L = shape.layers;
  const h = shape.dModel;
  const a = shape.heads;
  const V = shape.vocab;
  const devices = dp * tp * pp;
  const warnings: string[] = [];

  // ---- parameters --------------------------------------------------------------------------
  // Per layer: the shape's non-embedding parameters spread over its layers (shape.ts: 4·d·(H·d_h) + 2·d·d_ff + 2·d; the final norm is spread with them).
  const perLayer = shape.nonEmbeddingParams / L;
  // FFN of one layer (one expert under MoE): two d × d_ff matrices (shape.ts; Vaswani et al. 2017 §3.3).
  const ffnParams = 2 * h * shape.ffn;
  // Switch router: one d × E matrix per layer (Fedus et al. 2021 §2.1).
  const routerParams = moe ? h * experts : 0;
  const nonExpertPerLayer = moe ? perLayer - ffnParams + routerParams : perLayer;
  const expertPerLayer = moe ? experts * ffnParams : 0;
  const embeddingTotal = shape.exactParams - shape.nonEmbeddingParams;
  const totalParams = embeddingTotal + L * (nonExpertPerLayer + expertPerLayer);
  // Matmul parameters a token goes through: the layers (topK experts) and the output projection (V·d); the input embedding is a lookup (0 FLOPs).
  const activeParams = L * (nonExpertPerLayer + (moe ? k * ffnParams : 0)) + Math.min(embeddingTotal, V * h);
  const layersPerStage = L / pp;
  // With pp > 1 the first stage holds the input embedding and the last the output projection (or a tied copy: Megatron keeps one on each).
  const stageEmbedding = pp === 1 ? embeddingTotal : Math.min(embeddingTotal, V * h);
  // TP splits every layer matrix and the vocabulary-parallel embedding (Shoeybi et al. 2019 §3); EP splits the experts.
  const denseDev = (layersPerStage * nonExpertPerLayer + stageEmbedding) / tp;
  const expertDev = (layersPerStage * (experts / ep) * ffnParams) / tp;

  // ---- model states (ZeRO §5): dense parameters are replicated over dp, each expert over dp/ep (its expert-data-parallel group, as in DeepSpeed-MoE, Rajbhandari et al. 2022) ----
  const dense = modelStateBytes({ params: denseDev, dp, zeroStage, weightBytes });
  const expert = modelStateBytes({ params: expertDev, dp: dp / ep, zeroStage, weightBytes });
  const weights = dense.weights + expert.weights;
  const grads = dense.grads + expert.grads;
  const optimizer = dense.optimizer + expert.optimizer;

  // ---- micro-batches -----------------------------------------------------------------------
  const sequencesRequested = n.globalBatchTokens / s;
  if (!Number.isInteger(sequencesRequested)) {
    warnings.push(`globalBatchTokens (${n.globalBatchTokens}) is not a multiple of seqLen (${s}).`);
  }
  const mExact = sequencesRequested / (b * dp);
  const m = Math.ceil(mExact - 1e-9);
  if (Math.abs(mExact - m) > 1e-9) {
    warnings.push(`Global batch of ${sequencesRequested.toFixed(1)} sequences is not divisible by dp × microBatchSize = ${dp * b}: rounded up to ${m} micro-batches (${m * b * dp * s} tokens per step).`);
  }
  const tokensPerStep = m * b * dp * s;

  // ---- activations (Korthikanti et al. 2022) ----------------------------------------------
  const bytesScale = weightBytes >= 4 ? 2 : 1;
  const actOpts: ActivationOptions = { seqLen: s, microBatch: b, hidden: h, heads: a, ffn: shape.ffn, tp, sequenceParallel: sp, recompute, topK: k, bytesScale };
  const actPerLayer = activationBytesPerLayer(actOpts);
  // Full recomputation rebuilds one layer at a time in backward: that layer's full activations live meanwhile (Chen et al. 2016 §4).
  const workingSet = recompute === 'full' ? activationBytesPerLayer({ ...actOpts, recompute: 'none' }) : 0;
  const spShard = sp && tp > 1 ? tp : 1;
  // Korthikanti et al. 2022, total activation memory: input-embedding dropout mask s·b·h (1 byte) per in-flight micro-batch, split by sequence parallelism.
  const embeddingDropout = (s * b * h) / spShard;
  // Korthikanti et al. 2022, total activation memory: final layer norm 2sbh + output projection input 2sbh + fp32 logits for the cross-entropy 4sbv, over t = 4sbh/t·(1 + v/h).
  const outputLayer = ((4 * s * b * h * (1 + V / h)) / tp) * bytesScale;
  // 1F1B (Narayanan et al. 2021 §2.2; Korthikanti et al. 2022, pipeline parallelism): stage i holds pp − i micro-batches in flight, capped by m.
  const inFlight = Math.min(pp, m);
  const firstAct = inFlight * (layersPerStage * actPerLayer + embeddingDropout) + workingSet + (pp === 1 ? outputLayer : 0);
  const lastAct = pp === 1 ? firstAct : layersPerStage * actPerLayer + workingSet + outputLayer;
  const breakdown = (activations: number): MemoryBreakdown => ({ weights, grads, optimizer, activations, total: weights + grads + optimizer + activations });
  const first = breakdown(firstAct);
  const last = breakdown(lastAct);
  const memory = last.total > first.total ? last : first;
  const memoryStage: ParallelismResult['memoryStage'] = pp === 1 ? 'only' : memory === last ? 'last' : 'first';
  const memBytes = n.device.memGB * GB;
  const fits = memory.total <= memBytes;

  // ---- communication -----------------------------------------------------------------------
  const ab = 2 * bytesScale; // bytes per activation element (bf16/fp16; fp32 training 4)
  const commTerm = (degree: number, bytes: number, crosses: boolean, what: string): CommTerm => {
    if (degree <= 1 || bytes <= 0) {
      return { degree, bytes: 0, seconds: 0, linkId: null, linkName: null, bandwidthGBs: null, crossesNodes: false, what };
    }
    const l = crosses ? n.inter : n.intra;
    const bw = l.bandwidthGBs * n.linkEfficiency;
    return { degree, bytes, seconds: bytes / (bw * GB), linkId: l.id, linkName: l.name, bandwidthGBs: bw, crossesNodes: crosses, what };
  };

  // DP (Rajbhandari et al. 2020 §7): ring all-reduce of the gradients 2·(n−1)/n·Ψ once per step (stages 0–1: reduce-scatter +
  // all-gather, the same volume); stage 2 keeps only a gradient shard, so each micro-batch's gradients are reduce-scattered
  // ((n−1)/n·Ψ per micro-batch) and the updated weights all-gathered once; stage 3 all-gathers the weights in forward and in
  // backward and reduce-scatters the gradients for every micro-batch: 3·(n−1)/n·Ψ per micro-batch (§7.2.2: 3Ψ vs 2Ψ).
  const dpVolume = (params: number, group: number): number => {
    if (group <= 1) return 0;
    if (zeroStage <= 1) return ringAllReduceBytes(group, params * weightBytes);
    if (zeroStage === 2) return m * ringAllGatherBytes(group, params * weightBytes) + ringAllGatherBytes(group, params * weightBytes);
    return 3 * m * ringAllGatherBytes(group, params * weightBytes);
  };
  const dpWhat = zeroStage <= 1
    ? 'gradient all-reduce 2·(n−1)/n·Ψ per step (ZeRO §7)'
    : zeroStage === 2
      ? 'gradient reduce-scatter (n−1)/n·Ψ per micro-batch + weight all-gather (n−1)/n·Ψ per step (ZeRO-2)'
      : 'weight all-gather ×2 + gradient reduce-scatter, 3·(n−1)/n·Ψ per micro-batch (ZeRO-3, §7.2.2)';
  const dpTerm = commTerm(dp, dpVolume(denseDev, dp) + dpVolume(expertDev, dp / ep), tp * dp > devicesPerNode, dpWhat);

  // TP (Shoeybi et al. 2019 §3): 2 all-reduces of b·s·h in forward and 2 in backward per layer per micro-batch; sequence
  // parallelism swaps each for an all-gather + reduce-scatter of the same volume (Korthikanti et al. 2022 §4.2.2); full
  // recomputation runs the forward, and its 2 all-reduces, again in backward.
  const tpCollectives = recompute === 'full' ? 6 : 4;
  const tpBytes = tp > 1 ? layersPerStage * m * tpCollectives * ringAllReduceBytes(tp, b * s * h * ab) : 0;
  const tpTerm = commTerm(tp, tpBytes, tp > devicesPerNode, `${tpCollectives} all-reduces of b·s·h per layer per micro-batch (Megatron-LM §3${recompute === 'full' ? ', + 2 recomputed' : ''})`);
  if (tp > devicesPerNode) warnings.push(`tp = ${tp} spans more than one node (${devicesPerNode} devices): tensor-parallel all-reduces go over ${n.inter.name}.`);

  // PP (Narayanan et al. 2021 §2.2): each stage sends b·s·h activations forward and receives as many gradients back per
  // micro-batch; with TP each rank sends 1/t of it (scatter/gather optimisation, §4.1).
  const ppBytes = pp > 1 ? (m * 2 * b * s * h * ab) / tp : 0;
  const ppTerm = commTerm(pp, ppBytes, devices > devicesPerNode, 'point-to-point b·s·h per micro-batch, forward + backward (÷ tp, scatter/gather)');

  // EP (Lepikhin et al. 2020, GShard; Fedus et al. 2021, Switch Transformer): 2 all-to-alls (dispatch, combine) per MoE layer in forward
  // and 2 in backward, of topK·b·s·h per device, of which (ep−1)/ep leaves the device; split over TP ranks by sequence parallelism.
  const epCollectives = recompute === 'full' ? 6 : 4;
  const epBytes = moe && ep > 1 ? (layersPerStage * m * epCollectives * ((ep - 1) / ep) * k * b * s * h * ab) / spShard : 0;
  const epTerm = commTerm(ep, epBytes, tp * ep > devicesPerNode, `${epCollectives} all-to-alls of topK·b·s·h per MoE layer per micro-batch (GShard / Switch)`);

  const commSeconds = dpTerm.seconds + tpTerm.seconds + ppTerm.seconds + epTerm.seconds;
  const commBytes = dpTerm.bytes + tpTerm.bytes + ppTerm.bytes + epTerm.bytes;

  // ---- FLOPs and time ---------------------------------------------------------------------
  // Attention scores: 12·L·H·Q·T FLOPs per token, forward + backward (Chowdhery et al. 2022 App. B), T = seqLen.
  const attentionFlops = 12 * L * a * shape.headDim * s;
  // 6N per token (Kaplan et al. 2020 §2.1; Chowdhery et al. 2022 App. B).
  const modelPerToken = 6 * activeParams + (n.includeAttentionFlops ? attentionFlops : 0);
  // Recomputation (Korthikanti et al. 2022 §5): full repeats the forward (2N + the score matmuls 4·L·H·Q·T); selective repeats the score matmuls only.
  const recomputeFlops = recompute === 'full' ? 2 * activeParams + attentionFlops / 3 : recompute === 'selective' ? attentionFlops / 3 : 0;
  const hardwarePerToken = modelPerToken + recomputeFlops;
  const peak = n.device.peakTflops * 1e12;
  const computeSeconds = (hardwarePerToken * tokensPerStep) / (devices * peak * n.kernelEfficiency);
  const bubbleFraction = pipelineBubbleFraction(pp, m);
  const computeWithBubbleSeconds = computeSeconds / (1 - bubbleFraction);
  const stepSeconds = computeWithBubbleSeconds + commSeconds;
  const stepSecondsOverlapped = Math.max(computeWithBubbleSeconds, commSeconds);
  const modelPerStep = modelPerToken * tokensPerStep;
  // MFU = model FLOPs per second ÷ (devices × peak) (Chowdhery et al. 2022 App. B).
  const mfu = modelPerStep / (stepSeconds * devices * peak);
  const mfuOverlapped = modelPerStep / (stepSecondsOverlapped * devices * peak);
  const hfu = (hardwarePerToken * tokensPerStep) / (stepSeconds * devices * peak);

  // ---- warnings ------------------------------------------------------------------------------
  if (pp > 1 && m < pp) {
    warnings.push(`Only ${m} micro-batch${m === 1 ? '' : 'es'} per step for ${pp} pipeline stages: the bubble is ${pct(bubbleFraction)} of the step (Narayanan et al. 2021 §2.2 want m ≫ pp).`);
  } else if (bubbleFraction > 0.2) {
    warnings.push(`Pipeline bubble is ${pct(bubbleFraction)} of the step: more micro-batches (a larger global batch or smaller microBatchSize) shrink it.`);
  }
  if (s > shape.context) warnings.push(`seqLen (${s}) exceeds the shape's context (${shape.context}).`);
  if (!fits) {
    warnings.push(`Does not fit: ${gb(memory.total)} per device > ${n.device.memGB} GB on ${n.device.name}.`);
  } else if (memory.total > 0.9 * memBytes) {
    warnings.push(`Within 10% of device memory (${gb(memory.total)} of ${n.device.memGB} GB): framework overhead and fragmentation are not modelled.`);
  }
  if (zeroStage >= 2 && pp > 1) {
    warnings.push(`ZeRO-${zeroStage} with pipeline parallelism: gradients or weights move every micro-batch, and DeepSpeed's pipeline engine supports only ZeRO-1.`);
  }
  if (tp > 1 && shape.ffn % tp !== 0) warnings.push(`tp (${tp}) does not divide ffn (${shape.ffn}): the MLP split is uneven.`);
  if (tp > 1 && V % tp !== 0) warnings.push(`tp (${tp}) does not divide vocab (${V}): Megatron pads the vocabulary to a multiple of tp.`);
  if (!n.includeAttentionFlops && attentionFlops > 0.1 * 6 * activeParams) {
    warnings.push(`Attention-score FLOPs (12·L·H·Q·T = ${pct(attentionFlops / (6 * activeParams))} of 6N at seqLen ${s}) are not in the 6N model FLOPs: compute time is underestimated; set includeAttentionFlops.`);
  }
  if (moe && ep > 1 && tp * ep > devicesPerNode) warnings.push(`Expert parallelism (ep = ${ep}) spans nodes: the all-to-alls go over ${n.inter.name}.`);
  if (n.intra.scope === 'inter-node') warnings.push(`links.intraNode is ${n.intra.name}, a network link: in-node traffic will be slow.`);

  const assumptions = [
    `Matmuls reach ${pct(n.kernelEfficiency)} of the ${n.device.peakTflops} TFLOP/s peak (kernelEfficiency${input.kernelEfficiency === undefined ? ', default' : ''}).`,
    `Links run at ${pct(n.linkEfficiency)} of their rate (links.efficiency${input.links.efficiency === undefined ? ', default' : ''}).`,
    ...STATIC_ASSUMPTIONS,
    ...(moe ? [`MoE: every layer has ${experts} experts of the shape's FFN size, topK = ${k}, balanced routing (capacity factor 1); experts are split by ep and tp and sharded by ZeRO over dp/ep.`] : []),
  ];

  return {
    config: {
      dp, tp, pp, ep, experts, topK: k, zeroStage, recompute, sequenceParallel: sp && tp > 1,
      devices, nodes: Math.ceil(devices / devicesPerNode), devicesPerNode,
      microBatchSize: b, seqLen: s, microBatches: m, globalBatchSequences: m * b * dp, tokensPerStep,
      weightBytes, kernelEfficiency: n.kernelEfficiency, linkEfficiency: n.linkEfficiency,
    },
    params: { total: totalParams, active: activeParams, perDevice: denseDev + expertDev, layersPerStage },
    memory,
    memoryStage,
    stages: { first, last },
    memGB: n.device.memGB,
    fits,
    headroomBytes: memBytes - memory.total,
    activationsPerLayer: actPerLayer,
    inFlightMicroBatches: inFlight,
    communication: { dp: dpTerm, tp: tpTerm, pp: ppTerm, ep: epTerm, totalBytes: commBytes, totalSeconds: commSeconds },
    bubbleFraction,
    time: {
      computeSeconds, computeWithBubbleSeconds, commSeconds, stepSeconds, stepSecondsOverlapped,
      tokensPerSecond: tokensPerStep / stepSeconds, tokensPerSecondOverlapped: tokensPerStep / stepSecondsOverlapped,
    },
    flops: { modelPerToken, hardwarePerToken, modelPerStep },
    mfu,
    mfuOverlapped,
    hfu,
    warnings,
    assumptions,
  };
}

// ---- search -----------------------------------------------------------------------------------

export interface SmallestFitInput {
  shape: ParallelismShape;
  /** The training setup without the layout; `ep` fixed when given, searched (powers of two) otherwise. */
  training: Omit<TrainingConfig, 'dp' | 'tp' | 'pp' | 'zeroStage' | 'devices'>;
  device: PlannerDevice;
  links: LinkConfig;
  kernelEfficiency?: number;
}

export interface SmallestFitOptions {
  /** Largest device count tried (a power of two is reached first); default 65 536. */
  maxDevices?: number;
  /** ZeRO stages tried; default 0–3. */
  zeroStages?: readonly ZeroStage[];
}

export interface SmallestFitResult {
  devices: number;
  config: { dp: number; tp: number; pp: number; ep: number; zeroStage: ZeroStage };
  result: ParallelismResult;
  /** How many layouts fit at this device count (the fastest is returned). */
  fittingLayouts: number;
}

function powersOfTwoUpTo(n: number): number[] {
  const out: number[] = [];
  for (let p = 1; p <= n; p *= 2) out.push(p);
  return out;
}

/**
 * The smallest device count (a power of two, dp·tp·pp with tp ≤ devicesPerNode, tp | heads,
 * pp | layers, all powers of two, ZeRO stage 0–3) at which some layout fits; among the layouts
 * that fit at that count, the fastest (no-overlap step time, then least memory). Null when none
 * fits up to maxDevices. Throws RangeError on invalid input.
 */
export function smallestFit(input: SmallestFitInput, options: SmallestFitOptions = {}): SmallestFitResult | null {
  const common = validateCommon(input);
  const maxDevices = options.maxDevices === undefined ? 65_536 : positiveInt('options.maxDevices', options.maxDevices);
  const stages = options.zeroStages ?? [0, 1, 2, 3];
  for (const z of stages) if (![0, 1, 2, 3].includes(z)) throw new RangeError(`options.zeroStages: ${String(z)} is not 0, 1, 2 or 3`);
  for (const devices of powersOfTwoUpTo(maxDevices)) {
    let best: SmallestFitResult | null = null;
    let fitting = 0;
    for (const tp of powersOfTwoUpTo(Math.min(devices, common.devicesPerNode))) {
      for (const pp of powersOfTwoUpTo(devices / tp)) {
        const dp = devices / (tp * pp);
        const eps = common.epFixed !== undefined ? [common.epFixed] : common.experts > 0 ? powersOfTwoUpTo(dp).filter((e) => common.experts % e === 0) : [1];
        for (const ep of eps) {
          if (layoutError(common, dp, tp, pp, ep)) continue;
          for (const zeroStage of stages) {
            const r = analyzeParallelism({
              shape: input.shape,
              training: { ...input.training, dp, tp, pp, ep, zeroStage },
              device: input.device,
              links: input.links,
              ...(input.kernelEfficiency === undefined ? {} : { kernelEfficiency: input.kernelEfficiency }),
            });
            if (!r.fits) continue;
            fitting++;
            const better = !best
              || r.time.stepSeconds < best.result.time.stepSeconds * (1 - 1e-12)
              || (Math.abs(r.time.stepSeconds - best.result.time.stepSeconds) <= 1e-12 * r.time.stepSeconds && r.memory.total < best.result.memory.total);
            if (better) best = { devices, config: { dp, tp, pp, ep, zeroStage }, result: r, fittingLayouts: 0 };
          }
        }
      }
    }
    if (best) return { ...best, fittingLayouts: fitting };
  }
  return null;
}
