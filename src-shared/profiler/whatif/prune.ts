/**
 * What-if: pruning the weights (pure; runs anywhere). Magnitude pruning with a global threshold
 * across all prunable weights or layer by layer, 2:4 structured sparsity, the parameters and
 * FLOPs that remain, and the gradual pruning schedule of Zhu & Gupta 2017. The Node side
 * (src-main/services/profiler/prune-model.ts) streams the real weights through these.
 * Sources: docs/profiler-whatifs.md, "Pruning".
 *
 * - Magnitude pruning (Han et al. 2015; Zhu & Gupta 2017): zero the weights of smallest |w|.
 *   Layer-wise: each tensor loses exactly ⌊s·n⌋ of its n weights (ties broken by position).
 *   Global: one threshold T over all prunable weights, w pruned iff |w| < T, T chosen so that the
 *   pruned count is as close as possible to s·N. To keep memory bounded the threshold comes from a
 *   histogram of the float32 bit patterns of |w| (monotonic in |w|) with 2^19 bins, i.e. a
 *   relative resolution of 2^−11 ≈ 0.05 %: the achieved sparsity is counted exactly afterwards and
 *   differs from the target by at most the weights in one bin.
 * - 2:4 (NVIDIA Ampere sparse tensor cores; Mishra et al. 2021): in every group of 4 consecutive
 *   weights along the input (reduction) dimension keep the 2 of largest |w| — exactly 50 %. A
 *   tensor whose input dimension is not a multiple of 4 is left dense (cuSPARSELt's requirement).
 * - Remaining FLOPs assume sparse kernels skip every zero: a product's FLOPs scale with its
 *   weight's density; other ops are unchanged. Real speed-ups are lower (unstructured sparsity
 *   needs ≳ 90 % to beat dense kernels on CPUs/GPUs; 2:4 gives ≤ 2× on the product only).
 * - Cubic schedule (Zhu & Gupta 2017, eq. 1): s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(nΔt))³ for
 *   t ∈ [t₀, t₀ + nΔt], pruning every Δt steps; s_i before t₀ and s_f after.
 */
import type { ProfileResult } from '../types.js';

// ---- magnitude pruning ---------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 bit pattern of |x| (monotonic in |x| for finite values). */
export function absBits(x: number): number {
  f32[0] = x;
  return u32[0]! & 0x7fffffff;
}

function fromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

/** Bits dropped from the pattern per bin: 31 − 12 = 19 bits of bin index. */
const SHIFT = 12;
const BINS = 1 << (31 - SHIFT);

/** Histogram of |w| over many tensors, for a global magnitude threshold in bounded memory. */
export class MagnitudeHistogram {
  private readonly counts = new Float64Array(BINS);
  total = 0;

  add(values: ArrayLike<number>): void {
    const c = this.counts;
    for (let i = 0; i < values.length; i++) c[absBits(values[i]!) >>> SHIFT]!++;
    this.total += values.length;
  }

  /**
   * The threshold T (prune iff |w| < T) whose pruned count is closest to `sparsity` × total, and
   * that count. sparsity 0 → T = 0; 1 → T = +Infinity.
   */
  threshold(sparsity: number): { threshold: number; pruned: number } {
    checkSparsity(sparsity);
    const target = sparsity * this.total;
    if (target <= 0) return { threshold: 0, pruned: 0 };
    if (target >= this.total) return { threshold: Infinity, pruned: this.total };
    let below = 0;
    for (let b = 0; b < BINS; b++) {
      const c = this.counts[b]!;
      if (below + c >= target) {
        // Either edge of bin b: prune everything below it, or the whole bin too.
        const lower = below;
        const upper = below + c;
        const useUpper = upper - target < target - lower;
        const bits = (useUpper ? b + 1 : b) * 2 ** SHIFT;
        return { threshold: bits >= 0x7f800000 ? Infinity : fromBits(bits), pruned: useUpper ? upper : lower };
      }
      below += c;
    }
    return { threshold: Infinity, pruned: this.total };
  }
}

function checkSparsity(s: number): void {
  if (!(s >= 0 && s <= 1)) throw new Error(`sparsity must be in [0, 1], got ${s}`);
}

/** Weights kept (|w| ≥ T) under a global threshold. */
export function countKept(values: ArrayLike<number>, threshold: number): number {
  let kept = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]!) >= threshold) kept++;
  return kept;
}

/**
 * Layer-wise magnitude pruning of one tensor: zeroes exactly ⌊s·n⌋ weights of smallest |w| (the
 * earlier index first among ties). Returns the pruned copy and the counts.
 */
export function pruneLayerwise(values: ArrayLike<number>, sparsity: number): { values: Float32Array; pruned: number; kept: number; threshold: number } {
  checkSparsity(sparsity);
  const n = values.length;
  const k = Math.floor(sparsity * n);
  const out = Float32Array.from(values as ArrayLike<number>);
  if (k === 0) return { values: out, pruned: 0, kept: n, threshold: 0 };
  // The k-th smallest |w| by a native typed-array sort, then zero everything below it and, in
  // index order, as many of the ties as are still needed.
  const abs = new Float32Array(n);
  for (let i = 0; i < n; i++) abs[i] = Math.abs(out[i]!);
  const sorted = abs.slice().sort();
  const t = sorted[k - 1]!;
  let below = 0;
  for (let i = 0; i < n; i++) if (abs[i]! < t) { out[i] = 0; below++; }
  let ties = k - below;
  for (let i = 0; i < n && ties > 0; i++) if (abs[i] === t) { out[i] = 0; ties--; }
  return { values: out, pruned: k, kept: n - k, threshold: t };
}

/** Layer-wise counts only (no copy kept): ⌊s·n⌋ pruned. */
export function layerwiseCounts(elements: number, sparsity: number): { pruned: number; kept: number } {
  checkSparsity(sparsity);
  const pruned = Math.floor(sparsity * elements);
  return { pruned, kept: elements - pruned };
}

// ---- 2:4 structured ------------------------------------------------------------------------

export interface TwoFourResult {
  /** False when the input dimension is not a multiple of 4 (tensor left dense). */
  eligible: boolean;
  kept: number;
  pruned: number;
  /** The pruned copy (dense when not eligible). */
  values: Float32Array;
}

/**
 * 2:4 sparsity along `inputAxis`: in each group of 4 consecutive elements along that axis keep
 * the 2 of largest |w| (the earlier index wins a tie).
 */
export function prune24(values: ArrayLike<number>, dims: readonly number[], inputAxis: number): TwoFourResult {
  const out = Float32Array.from(values as ArrayLike<number>);
  const rank = dims.length;
  const a = inputAxis < 0 ? inputAxis + rank : inputAxis;
  if (a < 0 || a >= rank) throw new Error(`input axis ${inputAxis} out of range for rank ${rank}`);
  const k = dims[a]!;
  if (k % 4 !== 0) return { eligible: false, kept: out.length, pruned: 0, values: out };
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < a; i++) outer *= dims[i]!;
  for (let i = a + 1; i < rank; i++) inner *= dims[i]!;
  let pruned = 0;
  const idx = [0, 0, 0, 0];
  // Pruning priority: smaller |w| first; among equal |w| the later index goes first.
  const before = (p: number, q: number): boolean => {
    const d = Math.abs(out[p]!) - Math.abs(out[q]!);
    return d < 0 || (d === 0 && p > q);
  };
  for (let o = 0; o < outer; o++) {
    for (let g = 0; g < k; g += 4) {
      for (let i = 0; i < inner; i++) {
        for (let j = 0; j < 4; j++) idx[j] = (o * k + g + j) * inner + i;
        // Zero the two first in pruning priority (two selection passes over 4 elements).
        let first = 0;
        for (let j = 1; j < 4; j++) if (before(idx[j]!, idx[first]!)) first = j;
        let second = first === 0 ? 1 : 0;
        for (let j = 0; j < 4; j++) if (j !== first && before(idx[j]!, idx[second]!)) second = j;
        out[idx[first]!] = 0;
        out[idx[second]!] = 0;
        pruned += 2;
      }
    }
  }
  return { eligible: true, kept: out.length - pruned, pruned, values: out };
}

// ---- remaining cost ------------------------------------------------------------------------

export interface PrunedLayer {
  /** The weight (initializer) name. */
  tensor: string;
  /** Graph nodes that consume it as a weight (products). */
  nodes: string[];
  elements: number;
  kept: number;
}

export interface PrunedCost {
  params: { before: number; after: number; prunable: number; prunableKept: number };
  flops: { before: number; after: number };
  /** Per product node: its weight's density and FLOPs after. */
  nodes: Array<{ name: string; density: number; flopsBefore: number; flopsAfter: number }>;
}

/**
 * Parameters and FLOPs after pruning, assuming sparse kernels skip zeros (FLOPs of a product ∝
 * its weight's density; other ops unchanged). A node reading several pruned weights takes their
 * element-weighted density.
 */
export function prunedCost(profile: ProfileResult, layers: readonly PrunedLayer[]): PrunedCost {
  const perNode = new Map<string, { elements: number; kept: number }>();
  let prunable = 0;
  let prunableKept = 0;
  for (const l of layers) {
    prunable += l.elements;
    prunableKept += l.kept;
    for (const n of l.nodes) {
      const acc = perNode.get(n) ?? { elements: 0, kept: 0 };
      acc.elements += l.elements;
      acc.kept += l.kept;
      perNode.set(n, acc);
    }
  }
  let before = 0;
  let after = 0;
  const nodes: PrunedCost['nodes'] = [];
  for (const n of profile.nodes) {
    before += n.flops;
    const w = perNode.get(n.name);
    const density = w && w.elements > 0 && n.macs > 0 ? w.kept / w.elements : 1;
    after += n.flops * density;
    if (w) nodes.push({ name: n.name, density, flopsBefore: n.flops, flopsAfter: n.flops * density });
  }
  return {
    params: { before: profile.totals.params, after: profile.totals.params - (prunable - prunableKept), prunable, prunableKept },
    flops: { before, after },
    nodes,
  };
}

// ---- gradual pruning schedule --------------------------------------------------------------

export interface CubicScheduleOptions {
  /** s_i, usually 0. */
  initialSparsity: number;
  /** s_f. */
  finalSparsity: number;
  /** t₀: the step pruning starts. */
  startStep: number;
  /** Δt: steps between pruning events. */
  frequency: number;
  /** n: number of pruning events. */
  pruningSteps: number;
}

/** s_t of Zhu & Gupta 2017, eq. 1 (s_i before t₀, s_f after t₀ + nΔt). */
export function cubicSparsity(t: number, o: CubicScheduleOptions): number {
  checkSparsity(o.initialSparsity);
  checkSparsity(o.finalSparsity);
  if (!(o.frequency > 0) || !(o.pruningSteps > 0)) throw new Error('frequency and pruningSteps must be > 0');
  const span = o.pruningSteps * o.frequency;
  if (t <= o.startStep) return o.initialSparsity;
  if (t >= o.startStep + span) return o.finalSparsity;
  const r = 1 - (t - o.startStep) / span;
  return o.finalSparsity + (o.initialSparsity - o.finalSparsity) * r * r * r;
}

/** The schedule at every pruning event t₀, t₀ + Δt, …, t₀ + nΔt (n + 1 points). */
export function cubicSchedule(o: CubicScheduleOptions): Array<{ step: number; sparsity: number }> {
  const points: Array<{ step: number; sparsity: number }> = [];
  for (let i = 0; i <= o.pruningSteps; i++) {
    const step = o.startStep + i * o.frequency;
    points.push({ step, sparsity: cubicSparsity(step, o) });
  }
  return points;
}
