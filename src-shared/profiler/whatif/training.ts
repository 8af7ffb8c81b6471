/**
 * What-if: training the profiled model (pure; runs anywhere). From an inference ProfileResult,
 * estimates FLOPs per training step and training memory (weights, gradients, optimizer state,
 * saved activations, optionally with activation checkpointing) at any batch size.
 * Formulas and sources: docs/profiler-whatifs.md, "Training".
 *
 * FLOPs (Kaplan et al. 2020, §2.1, "C ≈ 6N per token": forward 2N, backward 4N):
 * - a matrix product or convolution with a weight costs F = its forward flops for the input
 *   gradient (dX = dY·Wᵀ) and F again for the weight gradient (dW = Xᵀ·dY), so backward ≈ 2F;
 * - exceptions: no input gradient where nothing upstream is trainable (the first layer: its input
 *   is data); no weight gradient for frozen layers; a product of two activations (attention's
 *   QKᵀ and A·V) has two input gradients, 2F, when anything upstream is trainable;
 * - every other op (element-wise, normalisation, softmax, pooling) ≈ 1× its forward otherOps;
 * - activation checkpointing recomputes the forward once more (Chen et al. 2016, §4: "one extra
 *   forward pass").
 * Without edges the profile only knows a topological order, so "something upstream is trainable"
 * is approximated by "a trainable node comes earlier in that order" (exact for chains; off only
 * for side branches that never touch a weight, e.g. mask arithmetic, which costs ~0).
 *
 * Memory (Rajbhandari et al. 2020, ZeRO, §3.1): Ψ trainable parameters cost
 * - fp32: 4Ψ weights + 4Ψ gradients + K·Ψ optimizer state, K = 0 (SGD), 4 (momentum: one fp32
 *   buffer), 8 (Adam/AdamW: two fp32 moments) → 16Ψ for Adam;
 * - mixed precision (fp16 or bf16, Micikevicius et al. 2018): 2Ψ half weights + 2Ψ half
 *   gradients + 4Ψ fp32 master weights + K·Ψ → 16Ψ for Adam (ZeRO's "2Ψ + 2Ψ + 12Ψ");
 * - frozen parameters: their weights only (at the compute precision).
 * Activations saved for backward at batch B: the input bytes plus Σ output bytes of every node
 * that takes part in backward (views add nothing), at the profiled batch, × B / B₀, halved under
 * mixed precision. This counts each produced tensor once, as if its consumer saved it: an upper
 * bound on what PyTorch keeps (an Add saves nothing, in-place ReLU shares its input, fused
 * kernels save less); temporary workspaces, the allocator's fragmentation and the framework's
 * own memory are not included.
 * Checkpointing (Chen et al. 2016, §4, √n strategy): the n saving nodes, in order, are split into
 * k = ⌈√n⌉ segments of ⌈n/k⌉; only segment boundaries (each segment's last output, plus the
 * input) stay stored, and one segment's activations are rebuilt at a time, so
 * activations = input + Σ boundaries + max over segments of its saved bytes (≈ 2√n layers' worth
 * instead of n). Boundaries hold one tensor: residual connections that cross a boundary are
 * not added (an under-estimate for ResNets/transformers of at most one extra tensor per segment).
 */
import type { ProfileNode, ProfileResult } from '../types.js';

export type Optimizer = 'sgd' | 'momentum' | 'adam' | 'adamw';
export type TrainingPrecision = 'fp32' | 'mixed-fp16' | 'mixed-bf16';

export interface TrainingOptions {
  optimizer: Optimizer;
  precision: TrainingPrecision;
  /** √n activation checkpointing (Chen et al. 2016). Default false. */
  checkpointing?: boolean;
  /** Node-name prefixes whose weights are frozen: no weight gradient, no gradient or optimizer memory. */
  frozen?: string[];
  /** The batch size the profile was taken at; default the profile's `batch` dim, else 1. */
  profiledBatch?: number;
}

/** Bytes per trainable parameter, by part (ZeRO §3.1). */
export interface BytesPerParam {
  weights: number;
  gradients: number;
  /** fp32 master copy (mixed precision only). */
  master: number;
  /** Optimizer moments (K in ZeRO, without the master copy). */
  optimizer: number;
  total: number;
}

const OPTIMIZER_STATE_BYTES: Record<Optimizer, number> = { sgd: 0, momentum: 4, adam: 8, adamw: 8 };

export function bytesPerParam(optimizer: Optimizer, precision: TrainingPrecision): BytesPerParam {
  const mixed = precision !== 'fp32';
  const weights = mixed ? 2 : 4;
  const gradients = mixed ? 2 : 4;
  const master = mixed ? 4 : 0;
  const optimizerBytes = OPTIMIZER_STATE_BYTES[optimizer];
  return { weights, gradients, master, optimizer: optimizerBytes, total: weights + gradients + master + optimizerBytes };
}

/** Node roles for backward, in the profile's (topological) order. */
interface NodeRole {
  node: ProfileNode;
  frozen: boolean;
  trainable: boolean;
  /** Something earlier is trainable, so this node's input gradient is needed. */
  needsInputGrad: boolean;
  /** Takes part in backward at all (computes some gradient). */
  inBackward: boolean;
}

function isFrozen(node: ProfileNode, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => p.length > 0 && (node.name === p || node.name.startsWith(p)));
}

function roles(profile: ProfileResult, frozen: readonly string[]): NodeRole[] {
  let upstreamTrainable = false;
  return profile.nodes.map((node) => {
    const f = node.params > 0 && isFrozen(node, frozen);
    const trainable = node.params > 0 && !f;
    const needsInputGrad = upstreamTrainable;
    if (trainable) upstreamTrainable = true;
    return { node, frozen: f, trainable, needsInputGrad, inBackward: trainable || needsInputGrad };
  });
}

function profiledBatchOf(profile: ProfileResult, opts: TrainingOptions): number {
  const b = opts.profiledBatch ?? profile.model.dims.batch ?? 1;
  if (!(b > 0)) throw new Error(`profiled batch must be > 0, got ${b}`);
  return b;
}

export interface OpCount {
  /** Matrix-product and convolution FLOPs (2 × MACs). */
  flops: number;
  /** Everything else, as the profile counts it. */
  otherOps: number;
}

export interface TrainingFlops {
  batch: number;
  forward: OpCount;
  backward: OpCount;
  /** The extra forward pass of activation checkpointing (zero without). */
  recompute: OpCount;
  total: OpCount;
  /** total.flops / forward.flops (≈ 3 for weight-dominated models: the 6N rule). */
  ratio: number;
}

/** Backward cost of one node at the profiled batch. */
function backwardOf(r: NodeRole): OpCount {
  const n = r.node;
  if (!n.counted) return { flops: 0, otherOps: 0 };
  let flops = 0;
  if (n.macs > 0) {
    if (n.params > 0) {
      // Weight × activation: dW (unless frozen) + dX (unless nothing upstream needs it).
      flops = (r.trainable ? n.flops : 0) + (r.needsInputGrad ? n.flops : 0);
    } else {
      // Activation × activation (attention): a gradient for each operand.
      flops = r.needsInputGrad ? 2 * n.flops : 0;
    }
  }
  const otherOps = r.inBackward ? n.otherOps : 0;
  return { flops, otherOps };
}

/** FLOPs of one training step (forward + backward [+ recompute]) at `batch`. */
export function trainingFlops(profile: ProfileResult, opts: TrainingOptions, batch: number): TrainingFlops {
  const scale = batch / profiledBatchOf(profile, opts);
  const rs = roles(profile, opts.frozen ?? []);
  const forward: OpCount = { flops: 0, otherOps: 0 };
  const backward: OpCount = { flops: 0, otherOps: 0 };
  for (const r of rs) {
    if (!r.node.counted) continue;
    forward.flops += r.node.flops;
    forward.otherOps += r.node.otherOps;
    const b = backwardOf(r);
    backward.flops += b.flops;
    backward.otherOps += b.otherOps;
  }
  const s = (c: OpCount): OpCount => ({ flops: c.flops * scale, otherOps: c.otherOps * scale });
  const recompute = opts.checkpointing ? s(forward) : { flops: 0, otherOps: 0 };
  const f = s(forward);
  const bw = s(backward);
  const total = { flops: f.flops + bw.flops + recompute.flops, otherOps: f.otherOps + bw.otherOps + recompute.otherOps };
  return { batch, forward: f, backward: bw, recompute, total, ratio: f.flops > 0 ? total.flops / f.flops : 0 };
}

export interface CheckpointPlan {
  /** Nodes that save activations (n). */
  saving: number;
  /** k = ⌈√n⌉. */
  segments: number;
  /** Bytes of the stored segment boundaries (without the input), at the profiled batch. */
  boundaryBytes: number;
  /** Bytes of the largest segment's saved activations, at the profiled batch. */
  largestSegmentBytes: number;
}

export interface TrainingMemory {
  batch: number;
  trainableParams: number;
  frozenParams: number;
  /** Bytes. */
  weights: number;
  gradients: number;
  /** fp32 master weights (mixed precision). */
  master: number;
  /** Optimizer moments. */
  optimizer: number;
  activations: number;
  total: number;
  checkpoint: CheckpointPlan | null;
}

function elemBytes(dtype: string): number {
  if (dtype === 'float64' || dtype === 'int64' || dtype === 'uint64') return 8;
  if (dtype === 'float16' || dtype === 'bfloat16' || dtype === 'int16' || dtype === 'uint16') return 2;
  if (dtype === 'int8' || dtype === 'uint8' || dtype === 'bool') return 1;
  return 4;
}

/** Saved-activation accounting at the profiled batch: input bytes and per-node saved bytes. */
export function savedActivations(profile: ProfileResult, frozen: readonly string[] = []): { inputBytes: number; perNode: Array<{ name: string; bytes: number }> } {
  let inputBytes = 0;
  for (const i of profile.model.inputs) inputBytes += i.shape.reduce((a, b) => a * b, 1) * elemBytes(i.dtype);
  const perNode = roles(profile, frozen)
    .filter((r) => r.inBackward && r.node.bytesWritten > 0)
    .map((r) => ({ name: r.node.name, bytes: r.node.bytesWritten }));
  return { inputBytes, perNode };
}

/** √n checkpointing plan over the saving nodes (Chen et al. 2016, §4). */
export function checkpointPlan(perNode: ReadonlyArray<{ bytes: number }>): CheckpointPlan {
  const n = perNode.length;
  if (n === 0) return { saving: 0, segments: 0, boundaryBytes: 0, largestSegmentBytes: 0 };
  const k = Math.ceil(Math.sqrt(n));
  const size = Math.ceil(n / k);
  let boundaryBytes = 0;
  let largest = 0;
  let segments = 0;
  for (let start = 0; start < n; start += size) {
    const seg = perNode.slice(start, start + size);
    segments++;
    largest = Math.max(largest, seg.reduce((a, x) => a + x.bytes, 0));
    // The segment's last output is the next segment's stored input (none after the last segment).
    if (start + size < n) boundaryBytes += seg[seg.length - 1]!.bytes;
  }
  return { saving: n, segments, boundaryBytes, largestSegmentBytes: largest };
}

/** Training memory at `batch`. */
export function trainingMemory(profile: ProfileResult, opts: TrainingOptions, batch: number): TrainingMemory {
  const b0 = profiledBatchOf(profile, opts);
  const frozenPrefixes = opts.frozen ?? [];
  const rs = roles(profile, frozenPrefixes);
  const frozenParams = Math.min(profile.totals.params, rs.filter((r) => r.frozen).reduce((a, r) => a + r.node.params, 0));
  const trainableParams = profile.totals.params - frozenParams;
  const per = bytesPerParam(opts.optimizer, opts.precision);

  const { inputBytes, perNode } = savedActivations(profile, frozenPrefixes);
  const actScale = (batch / b0) * (opts.precision === 'fp32' ? 1 : 0.5);
  let activationsAtB0: number;
  let checkpoint: CheckpointPlan | null = null;
  if (opts.checkpointing) {
    checkpoint = checkpointPlan(perNode);
    activationsAtB0 = inputBytes + checkpoint.boundaryBytes + checkpoint.largestSegmentBytes;
  } else {
    activationsAtB0 = inputBytes + perNode.reduce((a, x) => a + x.bytes, 0);
  }
  const weights = trainableParams * per.weights + frozenParams * per.weights;
  const gradients = trainableParams * per.gradients;
  const master = trainableParams * per.master;
  const optimizer = trainableParams * per.optimizer;
  const activations = activationsAtB0 * actScale;
  return {
    batch,
    trainableParams,
    frozenParams,
    weights,
    gradients,
    master,
    optimizer,
    activations,
    total: weights + gradients + master + optimizer + activations,
    checkpoint,
  };
}

export interface MemoryPoint {
  batch: number;
  weights: number;
  gradients: number;
  master: number;
  optimizer: number;
  activations: number;
  total: number;
}

/** Training memory over batch sizes, for the memory-vs-batch chart. */
export function memoryVsBatch(profile: ProfileResult, opts: TrainingOptions, batches: readonly number[]): MemoryPoint[] {
  return batches.map((batch) => {
    const m = trainingMemory(profile, opts, batch);
    return { batch, weights: m.weights, gradients: m.gradients, master: m.master, optimizer: m.optimizer, activations: m.activations, total: m.total };
  });
}

/** The largest batch (from `batches`, ascending) whose training memory fits `budgetBytes`, or null. */
export function largestBatchThatFits(profile: ProfileResult, opts: TrainingOptions, budgetBytes: number, batches: readonly number[]): number | null {
  let best: number | null = null;
  for (const b of batches) if (trainingMemory(profile, opts, b).total <= budgetBytes) best = b;
  return best;
}
