/**
 * Beyond compute-optimal (runs anywhere).
 *
 * Inference-aware sizing — Sardana, Portes, Doubov, Frankle 2023, "Beyond Chinchilla-Optimal:
 * Accounting for Inference in Language Model Scaling Laws" (arXiv 2401.00448), §2: for a target
 * loss ℓ and a lifetime of T_inf inference tokens, minimise 6·N·D_tr + 2·N·T_inf subject to
 * L(N, D_tr) = ℓ. The target here is the loss of the compute-optimal plan, so the answer is
 * "the same quality for the least total compute". Solved by golden-section search on log N
 * over the sizes that can reach ℓ, with D_tr from the law's closed-form inverse (laws.ts).
 *
 * Data-constrained sizing — Muennighoff et al. 2023, "Scaling Data-Constrained Language
 * Models" (arXiv 2305.16264), §3.1 eq. 5–6: with U_D unique tokens repeated R_D = D/U_D − 1
 * extra times, effective data D' = U_D + U_D·R_D*·(1 − e^(−R_D/R_D*)); parameters beyond
 * U_N = min(N, N*(U_D)) (the compute-optimal size for U_D tokens) decay the same way with R_N*.
 * R_D* ≈ 15.4 and R_N* ≈ 5.3 are the paper's fitted decay constants; the loss is the selected
 * fit's L(N', D'). The optimum minimises that loss over N at the budget.
 */
import { computeForTokens, FLOPS_PER_PARAM_TOKEN, frontierAt, goldenMin, lossAt, tokensForLoss } from './laws.js';
import type { Fit } from './types.js';

/** Forward FLOPs per parameter per generated or scored token (Kaplan et al. 2020, §2.1). */
export const INFERENCE_FLOPS_PER_PARAM_TOKEN = 2;
/** Muennighoff et al. 2023, §3.1 (fitted half-lives of repeated data and excess parameters). */
export const R_D_STAR = 15.4;
export const R_N_STAR = 5.3;

export interface InferenceAwarePlan {
  inferenceTokens: number;
  targetLoss: number;
  params: number;
  tokens: number;
  trainFlops: number;
  inferenceFlops: number;
  totalFlops: number;
  /** The compute-optimal plan's training + inference FLOPs for the same inference demand. */
  computeOptimalTotalFlops: number;
  /** N / N*, D / D*: how far the size moves down and the data up. */
  paramsRatio: number;
  tokensRatio: number;
  savedFraction: number;
}

export function inferenceAwarePlan(fit: Fit, computeOptimal: { N: number; D: number }, inferenceTokens: number): InferenceAwarePlan {
  const target = lossAt(fit.law, computeOptimal.N, computeOptimal.D);
  const total = (N: number, D: number) => FLOPS_PER_PARAM_TOKEN * N * D + INFERENCE_FLOPS_PER_PARAM_TOKEN * N * inferenceTokens;
  const baseline = total(computeOptimal.N, computeOptimal.D);
  // Smallest N that can still reach the target with unlimited data: where tokensForLoss → ∞.
  let lo = Math.log(computeOptimal.N) - Math.log(1e4);
  const hi = Math.log(computeOptimal.N) + Math.log(4);
  while (!Number.isFinite(tokensForLoss(fit.law, Math.exp(lo), target)) && lo < hi) lo += 0.01;
  const f = (logN: number) => {
    const N = Math.exp(logN);
    const D = tokensForLoss(fit.law, N, target);
    return Number.isFinite(D) ? total(N, D) : Infinity;
  };
  const logN = goldenMin(f, lo, hi);
  let N = Math.exp(logN);
  let D = tokensForLoss(fit.law, N, target);
  if (!(f(logN) <= baseline)) {
    N = computeOptimal.N;
    D = computeOptimal.D;
  }
  const trainFlops = FLOPS_PER_PARAM_TOKEN * N * D;
  const inferenceFlops = INFERENCE_FLOPS_PER_PARAM_TOKEN * N * inferenceTokens;
  return {
    inferenceTokens,
    targetLoss: target,
    params: N,
    tokens: D,
    trainFlops,
    inferenceFlops,
    totalFlops: trainFlops + inferenceFlops,
    computeOptimalTotalFlops: baseline,
    paramsRatio: N / computeOptimal.N,
    tokensRatio: D / computeOptimal.D,
    savedFraction: 1 - (trainFlops + inferenceFlops) / baseline,
  };
}

/** Muennighoff et al. 2023, eq. 5: effective value of D tokens drawn from U unique ones. */
export function effectiveTokens(D: number, unique: number): number {
  if (D <= unique) return D;
  const R = D / unique - 1;
  return unique + unique * R_D_STAR * (1 - Math.exp(-R / R_D_STAR));
}

/** Muennighoff et al. 2023, eq. 6: effective parameters beyond U_N. */
export function effectiveParams(N: number, uniqueParams: number): number {
  if (N <= uniqueParams) return N;
  const R = N / uniqueParams - 1;
  return uniqueParams + uniqueParams * R_N_STAR * (1 - Math.exp(-R / R_N_STAR));
}

export interface DataConstrainedPlan {
  uniqueTokens: number;
  params: number;
  tokens: number;
  epochs: number;
  effectiveTokens: number;
  effectiveParams: number;
  loss: number;
  /** The unconstrained compute-optimal loss at the same budget, for comparison. */
  unconstrainedLoss: number;
  /** Loss of the unconstrained plan's N and D once its repeats are discounted. */
  naiveLoss: number;
  /** Whether the constraint binds (the unconstrained D* exceeds the unique tokens). */
  binding: boolean;
}

export function dataConstrainedPlan(fit: Fit, C: number, uniqueTokens: number): DataConstrainedPlan {
  const free = frontierAt(fit, C);
  const unconstrainedLoss = lossAt(fit.law, free.N, free.D);
  // U_N: the compute-optimal size for a single epoch over the unique tokens.
  const uniqueParams = frontierAt(fit, computeForTokens(fit, uniqueTokens)).N;
  const lossFor = (N: number) => {
    const D = C / (FLOPS_PER_PARAM_TOKEN * N);
    return lossAt(fit.law, effectiveParams(N, Math.min(N, uniqueParams)), effectiveTokens(D, uniqueTokens));
  };
  const naiveLoss = lossFor(free.N);
  if (free.D <= uniqueTokens) {
    return {
      uniqueTokens,
      params: free.N,
      tokens: free.D,
      epochs: free.D / uniqueTokens,
      effectiveTokens: free.D,
      effectiveParams: free.N,
      loss: unconstrainedLoss,
      unconstrainedLoss,
      naiveLoss,
      binding: false,
    };
  }
  const logN = goldenMin((x) => {
    const l = lossFor(Math.exp(x));
    return Number.isFinite(l) ? l : Infinity;
  }, Math.log(free.N) - Math.log(1e3), Math.log(free.N) + Math.log(1e3));
  const N = Math.exp(logN);
  const D = C / (FLOPS_PER_PARAM_TOKEN * N);
  return {
    uniqueTokens,
    params: N,
    tokens: D,
    epochs: D / uniqueTokens,
    effectiveTokens: effectiveTokens(D, uniqueTokens),
    effectiveParams: effectiveParams(N, Math.min(N, uniqueParams)),
    loss: lossFor(N),
    unconstrainedLoss,
    naiveLoss,
    binding: true,
  };
}
