/**
 * The cost of the learning algorithm itself (runs anywhere): least squares y ≈ Xw with X of n×d,
 * fitted by gradient descent on ‖Xw − y‖², whose gradient is g = 2Xᵀ(Xw − y). Three strategies:
 *
 *   recompute   every step: r = Xw − y, g = 2Xᵀr, w ← w − ηg            (X streamed twice a step)
 *   precompute  once G = XᵀX and h = Xᵀy; every step g = 2(Gw − h), w ← w − ηg
 *   closedForm  once G and h, then solve Gw = h by Cholesky (no steps at all)
 *
 * For each kernel we count FLOPs and the minimum DRAM traffic (each operand read once, the result
 * written once, per kernel: perfect cache reuse inside a kernel, none between kernels), and, given
 * a roofline, predict its time as max(FLOPs / peak, bytes / bandwidth), i.e. FLOPs over
 * attainable(intensity) (Williams, Waterman & Patterson 2009; src-shared/bench/roofline.ts).
 *
 * The lesson: counted in FLOPs, precompute pays off after k* ≈ d/2 steps (2nd² of XᵀX against
 * ≈ 4nd a step). In time it pays off far sooner: a recompute step is a pair of matrix–vector
 * products at ≈ 0.5 FLOP/byte (fp32), bound by memory bandwidth, while XᵀX is a GEMM at ≈ d/2
 * FLOP/byte, bound by compute. Pure functions; inputs validated with RangeError naming the field.
 */
import { attainable } from '../bench/roofline.js';

/** The two numbers a roofline needs: fp32 peak in GFLOP/s and DRAM bandwidth in GB/s (1e9). */
export interface GdRoofline {
  peakGflops: number;
  bandwidthGBs: number;
}

export type GdKernelName = 'residual' | 'gradient' | 'update' | 'gram' | 'moment' | 'gramGradient' | 'cholesky' | 'solve';

export interface GdKernel {
  name: GdKernelName;
  /** What it computes, e.g. "r = Xw − y". */
  what: string;
  flops: number;
  /** Minimum DRAM traffic in bytes: operands read once, result written once. */
  bytes: number;
  /** FLOPs per byte. */
  intensity: number;
}

export type GdStrategy = 'recompute' | 'precompute' | 'closedForm';
export const GD_STRATEGIES: readonly GdStrategy[] = ['recompute', 'precompute', 'closedForm'];

export interface GdStrategyCost {
  strategy: GdStrategy;
  /** Kernels run once, before the first step. */
  setup: GdKernel[];
  /** Kernels run every step (empty for the closed form). */
  step: GdKernel[];
  setupFlops: number;
  setupBytes: number;
  stepFlops: number;
  stepBytes: number;
  /** setup + steps × step. */
  flops: number;
  bytes: number;
  /** Roofline predictions in seconds; present only when a roofline was given. */
  setupSeconds?: number;
  stepSeconds?: number;
  seconds?: number;
}

/** Steps from which the first strategy of a pair is cheaper than the second (Infinity: never). */
export interface GdBreakEven {
  flops: number;
  /** From the roofline's predicted times; present only when a roofline was given. */
  seconds?: number;
}

export interface GdCost {
  n: number;
  d: number;
  steps: number;
  bytesPerElement: number;
  roofline?: GdRoofline;
  recompute: GdStrategyCost;
  precompute: GdStrategyCost;
  closedForm: GdStrategyCost;
  breakEven: {
    /** The lesson's number: steps after which precomputing XᵀX beats recomputing Xᵀ(Xw − y). */
    precomputeVsRecompute: GdBreakEven;
    closedFormVsRecompute: GdBreakEven;
    closedFormVsPrecompute: GdBreakEven;
  };
}

export interface GdSeriesPoint {
  steps: number;
  /** Cumulative FLOPs after `steps` steps, setup included. */
  flops: Record<GdStrategy, number>;
  /** Cumulative predicted seconds; present only when a roofline was given. */
  seconds?: Record<GdStrategy, number>;
}

export interface GdCostSeries {
  n: number;
  d: number;
  kMax: number;
  bytesPerElement: number;
  roofline?: GdRoofline;
  /** Ascending, log-spaced whole step counts from 1 to kMax (both included). */
  points: GdSeriesPoint[];
  breakEven: GdCost['breakEven'];
  /** Per-kernel costs (the totals are at kMax steps). */
  cost: GdCost;
}

export interface GdCostSeriesOptions {
  bytesPerElement?: number;
  /** How many log-spaced step counts to aim for (fewer when kMax is small); default 64. */
  points?: number;
}

/** Measured seconds of the three kernels the ONNX benchmark times (src-main/services/planner/linreg-measure.ts). */
export interface GdMeasuredSeconds {
  /** One recompute step: g = 2Xᵀ(Xw − y). */
  recomputeStep: number;
  /** Once: G = XᵀX and h = Xᵀy. */
  precompute: number;
  /** One precompute step: g = 2(Gw − h). */
  precomputeStep: number;
}

/** Sanity bounds: beyond these the inputs are typos, not problems anyone fits with plain GD. */
export const GD_LIMITS = { maxN: 1e10, maxD: 1e6, maxSteps: 1e9, maxBytesPerElement: 8 } as const;

function wholeInRange(field: string, value: number, lo: number, hi: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(`${field} must be a whole number from ${lo} to ${hi}, got ${String(value)}`);
  }
}

function checkShape(n: number, d: number, bytesPerElement: number): void {
  wholeInRange('n', n, 1, GD_LIMITS.maxN);
  wholeInRange('d', d, 1, GD_LIMITS.maxD);
  wholeInRange('bytesPerElement', bytesPerElement, 1, GD_LIMITS.maxBytesPerElement);
}

function checkRoofline(roofline: GdRoofline | undefined): void {
  if (roofline === undefined) return;
  for (const field of ['peakGflops', 'bandwidthGBs'] as const) {
    const v = roofline[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new RangeError(`roofline.${field} must be a positive finite number, got ${String(v)}`);
  }
}

function kernel(name: GdKernelName, what: string, flops: number, bytes: number): GdKernel {
  return { name, what, flops, bytes, intensity: flops / bytes };
}

/**
 * Every kernel's FLOPs and minimum bytes. FLOPs by the LAPACK convention (a multiply-add is 2;
 * an m×p matrix times a vector is 2mp: Golub & Van Loan, Matrix Computations, 4th ed., §1.1;
 * a GEMM m×p times p×q is 2mpq, as src-shared/bench/accounting.ts gemmFlops). b = bytes/element.
 *   residual      r = Xw − y       2nd + n          (nd + d + n + n)·b   read X, w, y; write r
 *   gradient      g = 2Xᵀr         2nd + d          (nd + n + d)·b       read X, r; write g
 *   update        w ← w − ηg       2d               3d·b                 read w, g; write w
 *   gram          G = XᵀX          2nd²             (nd + d²)·b          a plain GEMM; a symmetric
 *                                                                       rank-k update (SYRK) needs
 *                                                                       only nd(d + 1), ≈ half
 *   moment        h = Xᵀy          2nd              (nd + n + d)·b
 *   gramGradient  g = 2(Gw − h)    2d² + 2d         (d² + 3d)·b          read G, w, h; write g
 *   cholesky      G = LLᵀ          d³/3             d(d + 1)·b           read and write one triangle
 *                                                                       (G&V §4.2: n³/3 flops)
 *   solve         Lz = h, Lᵀw = z  2d²              (d² + 5d)·b          two triangular solves, d² each
 *                                                                       (G&V §3.1), L's triangle read twice
 * The recompute step reads X twice (once per kernel), so at fp32 it runs at ≈ 4nd / 8nd = 0.5
 * FLOP/byte; the gram GEMM runs at ≈ 2nd² / (4(nd + d²)) → d/2 FLOP/byte when n ≫ d. The
 * per-step G (d² elements) would often sit in cache; counting it as DRAM traffic is the
 * conservative (slower) side for the precompute strategy. The roofline lets every kernel reach
 * its roof; a Cholesky factorization or triangular solve at modest d reaches well under the GEMM
 * peak in practice, so the closed form's predicted time is the optimistic side.
 */
export function gdKernels(n: number, d: number, bytesPerElement = 4): Record<GdKernelName, GdKernel> {
  checkShape(n, d, bytesPerElement);
  const b = bytesPerElement;
  const nd = n * d;
  return {
    residual: kernel('residual', 'r = Xw − y', 2 * nd + n, (nd + d + 2 * n) * b),
    gradient: kernel('gradient', 'g = 2Xᵀr', 2 * nd + d, (nd + n + d) * b),
    update: kernel('update', 'w ← w − ηg', 2 * d, 3 * d * b),
    gram: kernel('gram', 'G = XᵀX', 2 * nd * d, (nd + d * d) * b),
    moment: kernel('moment', 'h = Xᵀy', 2 * nd, (nd + n + d) * b),
    gramGradient: kernel('gramGradient', 'g = 2(Gw − h)', 2 * d * d + 2 * d, (d * d + 3 * d) * b),
    cholesky: kernel('cholesky', 'G = LLᵀ (Cholesky)', (d * d * d) / 3, d * (d + 1) * b),
    solve: kernel('solve', 'Lz = h, Lᵀw = z', 2 * d * d, (d * d + 5 * d) * b),
  };
}

/** Roofline time of one kernel: max(FLOPs / peak, bytes / bandwidth) = FLOPs / attainable(intensity). */
export function kernelSeconds(k: Pick<GdKernel, 'flops' | 'bytes'>, roofline: GdRoofline): number {
  checkRoofline(roofline);
  if (k.flops === 0) return k.bytes / (roofline.bandwidthGBs * 1e9);
  return k.flops / (attainable(k.flops / k.bytes, roofline.peakGflops, roofline.bandwidthGBs) * 1e9);
}

const sum = (ks: readonly GdKernel[], f: (k: GdKernel) => number) => ks.reduce((acc, k) => acc + f(k), 0);

function strategy(name: GdStrategy, setup: GdKernel[], step: GdKernel[], steps: number, roofline?: GdRoofline): GdStrategyCost {
  const out: GdStrategyCost = {
    strategy: name,
    setup,
    step,
    setupFlops: sum(setup, (k) => k.flops),
    setupBytes: sum(setup, (k) => k.bytes),
    stepFlops: sum(step, (k) => k.flops),
    stepBytes: sum(step, (k) => k.bytes),
    flops: 0,
    bytes: 0,
  };
  out.flops = out.setupFlops + steps * out.stepFlops;
  out.bytes = out.setupBytes + steps * out.stepBytes;
  if (roofline) {
    out.setupSeconds = sum(setup, (k) => kernelSeconds(k, roofline));
    out.stepSeconds = sum(step, (k) => kernelSeconds(k, roofline));
    out.seconds = out.setupSeconds + steps * out.stepSeconds;
  }
  return out;
}

/**
 * Steps k at which a (setup a0, per step a1) strategy costs the same as (b0, b1):
 * a0 + k·a1 = b0 + k·b1 ⇒ k = (a0 − b0) / (b1 − a1). Infinity when a never catches up
 * (its step is not cheaper); 0 when a is cheaper from the start.
 */
export function crossingSteps(a0: number, a1: number, b0: number, b1: number): number {
  if (a0 <= b0 && a1 <= b1) return 0;
  if (a1 >= b1) return Infinity;
  return (a0 - b0) / (b1 - a1);
}

function pairBreakEven(a: GdStrategyCost, b: GdStrategyCost): GdBreakEven {
  const out: GdBreakEven = { flops: crossingSteps(a.setupFlops, a.stepFlops, b.setupFlops, b.stepFlops) };
  if (a.setupSeconds !== undefined && a.stepSeconds !== undefined && b.setupSeconds !== undefined && b.stepSeconds !== undefined) {
    out.seconds = crossingSteps(a.setupSeconds, a.stepSeconds, b.setupSeconds, b.stepSeconds);
  }
  return out;
}

/**
 * FLOPs and bytes (and, with a roofline, predicted seconds) of `steps` steps of each strategy,
 * with the break-even step counts. Throws RangeError naming the field for bad input.
 */
export function gdCost(n: number, d: number, steps: number, bytesPerElement = 4, roofline?: GdRoofline): GdCost {
  checkShape(n, d, bytesPerElement);
  wholeInRange('steps', steps, 1, GD_LIMITS.maxSteps);
  checkRoofline(roofline);
  const k = gdKernels(n, d, bytesPerElement);
  const recompute = strategy('recompute', [], [k.residual, k.gradient, k.update], steps, roofline);
  const precompute = strategy('precompute', [k.gram, k.moment], [k.gramGradient, k.update], steps, roofline);
  const closedForm = strategy('closedForm', [k.gram, k.moment, k.cholesky, k.solve], [], steps, roofline);
  return {
    n,
    d,
    steps,
    bytesPerElement,
    ...(roofline ? { roofline: { ...roofline } } : {}),
    recompute,
    precompute,
    closedForm,
    breakEven: {
      precomputeVsRecompute: pairBreakEven(precompute, recompute),
      closedFormVsRecompute: pairBreakEven(closedForm, recompute),
      closedFormVsPrecompute: pairBreakEven(closedForm, precompute),
    },
  };
}

/**
 * The FLOP break-even in closed form, from the kernel counts above:
 *   k* = (2nd² + 2nd) / ((4nd + n + 3d) − (2d² + 4d)) = (2nd² + 2nd) / (4nd + n − 2d² − d),
 * Infinity when the denominator is ≤ 0 (d ≳ 2n: a precompute step is no cheaper than a recompute
 * step). Roughly d/2 when n ≫ d. (Folding the 2 of the gradient into η, or leaving the update out
 * of both, shifts both step costs by the same amount and leaves k* unchanged.)
 */
export function flopBreakEvenSteps(n: number, d: number): number {
  checkShape(n, d, 4);
  const den = 4 * n * d + n - 2 * d * d - d;
  return den > 0 ? (2 * n * d * d + 2 * n * d) / den : Infinity;
}

/** About `count` log-spaced whole numbers from 1 to kMax, ascending, both ends included, no repeats. */
export function logSpacedSteps(kMax: number, count = 64): number[] {
  wholeInRange('kMax', kMax, 1, GD_LIMITS.maxSteps);
  wholeInRange('points', count, 2, 10_000);
  const out = new Set<number>([1]);
  const top = Math.log(kMax);
  for (let i = 1; i < count; i++) out.add(Math.min(kMax, Math.max(1, Math.round(Math.exp((top * i) / (count - 1))))));
  out.add(kMax);
  return [...out].sort((a, b) => a - b);
}

/**
 * Cumulative FLOPs (and predicted seconds, with a roofline) of the three strategies at log-spaced
 * step counts 1 … kMax, for a log–log chart (src-shared/charts/gd-cost-chart.ts). Each curve is
 * setup + k × step, so the precompute and recompute curves cross at breakEven.precomputeVsRecompute.
 */
export function gdCostSeries(n: number, d: number, kMax: number, roofline?: GdRoofline, options: GdCostSeriesOptions = {}): GdCostSeries {
  const bytesPerElement = options.bytesPerElement ?? 4;
  checkShape(n, d, bytesPerElement);
  wholeInRange('kMax', kMax, 1, GD_LIMITS.maxSteps);
  const cost = gdCost(n, d, kMax, bytesPerElement, roofline);
  const steps = logSpacedSteps(kMax, options.points ?? 64);
  const at = (s: GdStrategyCost, k: number, f: 'Flops' | 'Seconds') => (s[`setup${f}`] ?? 0) + k * (s[`step${f}`] ?? 0);
  const points = steps.map((k): GdSeriesPoint => {
    const p: GdSeriesPoint = {
      steps: k,
      flops: { recompute: at(cost.recompute, k, 'Flops'), precompute: at(cost.precompute, k, 'Flops'), closedForm: at(cost.closedForm, k, 'Flops') },
    };
    if (roofline) p.seconds = { recompute: at(cost.recompute, k, 'Seconds'), precompute: at(cost.precompute, k, 'Seconds'), closedForm: at(cost.closedForm, k, 'Seconds') };
    return p;
  });
  return { n, d, kMax, bytesPerElement, ...(roofline ? { roofline: { ...roofline } } : {}), points, breakEven: cost.breakEven, cost };
}

/**
 * Break-even from measured kernel times: precompute / (recomputeStep − precomputeStep), Infinity
 * when a precompute step is not faster. RangeError for non-positive or non-finite times.
 */
export function measuredBreakEvenSteps(m: GdMeasuredSeconds): number {
  for (const field of ['recomputeStep', 'precompute', 'precomputeStep'] as const) {
    const v = m[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new RangeError(`${field} must be a positive finite number of seconds, got ${String(v)}`);
  }
  return crossingSteps(m.precompute, m.precomputeStep, 0, m.recomputeStep);
}
