/**
 * Fit your own scaling law (runs anywhere): L(N, D) = E + A/N^α + B/D^β fitted to the user's runs
 * the way Hoffmann et al. 2022 (Chinchilla, App. D.2) did and Besiroglu et al. 2024 (Epoch AI,
 * "Chinchilla Scaling: A replication attempt", arXiv 2404.10102) re-did:
 *
 *   minimise Σ_i Huber_δ( LSE(a − α·log N_i, b − β·log D_i, e) − log L_i )  over (a, b, e, α, β),
 *   A = e^a, B = e^b, E = e^e, δ = 1e-3,
 *
 * with L-BFGS (lbfgs.ts, analytic gradients) from a grid of initialisations — the paper's grid,
 * α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25} (4 500 points).
 *
 * Choices, and where they depart from the papers:
 * - The Huber terms are SUMMED, not averaged: Besiroglu et al. showed that averaging shrinks the
 *   gradient until L-BFGS stops early, and that this is what distorted the published fit.
 * - Speed: rather than run L-BFGS from all 4 500 grid points, we evaluate the objective at every
 *   grid point and run L-BFGS from the best `topK` (default 8). The paper keeps the best result
 *   anyway, and starts that begin far worse rarely end better: on five synthetic 200-run sets
 *   (Epoch's law, 1% noise) the best 8 reached the same optimum as all 4 500 starts (objective
 *   equal to ~1e-15 relative) in ~1/60 of the time (fit-law.test.ts checks 8 against 100).
 * - L-BFGS works internally on centred logs (a' = a − α·mean log N, b' = b − β·mean log D). This is
 *   a linear change of variables: the objective's values, and so its minimiser, are the same, but
 *   the strong a–α and b–β correlations no longer make the problem badly conditioned.
 * - Uncertainty: a nonparametric bootstrap (resample the runs with replacement from a seeded
 *   mulberry32 stream, so results are deterministic), each resample refitted by L-BFGS warm-started
 *   from the full-data optimum rather than from the grid. Intervals are the 2.5 and 97.5
 *   percentiles (linear interpolation, numpy's default) of the resampled estimates, as Besiroglu
 *   et al. report them.
 */
import { mulberry32 } from '../gpu/cpu-reference.js';
import { minimizeLbfgs, type LbfgsOptions } from './lbfgs.js';
import type { ParametricLaw } from './types.js';

/** One training run: parameters N, training tokens D, final loss, and optionally its FLOPs. */
export interface ObservedRun {
  N: number;
  D: number;
  loss: number;
  flops?: number;
}

export interface FitOptions {
  /** Huber δ on log-loss residuals. Default 1e-3 (Hoffmann et al.). */
  delta?: number;
  /** Bootstrap resamples. Default 200; 0 skips the bootstrap (the intervals are then [v, v]). */
  bootstrap?: number;
  /** PRNG seed for the bootstrap. Default 1. */
  seed?: number;
  /** Grid points L-BFGS is started from (the best by objective). Default 8. */
  topK?: number;
}

export type Interval = [lo: number, hi: number];

export interface FittedLaw {
  law: ParametricLaw;
  /** Σ Huber_δ of the log residuals at the optimum (the minimised objective). */
  objective: number;
  nRuns: number;
  huberDelta: number;
  /** Initialisation grid size (4 500); L-BFGS ran from the best `topK` of them. */
  starts: number;
  topK: number;
  bootstrap: {
    /** Resamples whose refit converged to finite values (those that did not are dropped). */
    samples: number;
    ci: { E: Interval; A: Interval; B: Interval; alpha: Interval; beta: Interval };
  };
  /** logResidual = ln(loss / predicted): positive where the run did worse than the law. */
  residuals: Array<{ N: number; D: number; loss: number; predicted: number; logResidual: number }>;
  /** Root mean square of the log residuals. */
  rmseLog: number;
  /** Compute-optimal exponents N* ∝ C^a, D* ∝ C^b (Hoffmann et al. eq. 4), with bootstrap intervals. */
  frontierExponents: { a: number; b: number; ci: { a: Interval; b: Interval } };
  warnings: string[];
}

export const HUBER_DELTA = 1e-3;
export const DEFAULT_BOOTSTRAP = 200;
export const DEFAULT_TOP_K = 8;
/** Fewest runs we fit 5 constants to (twice the parameter count). */
export const MIN_RUNS = 10;

/** Hoffmann et al. 2022 App. D.2 initialisation grid (as re-used by Besiroglu et al. 2024). */
export const INIT_GRID = {
  alpha: [0, 0.5, 1, 1.5, 2],
  beta: [0, 0.5, 1, 1.5, 2],
  e: [-1, -0.5, 0, 0.5, 1],
  a: [0, 5, 10, 15, 20, 25],
  b: [0, 5, 10, 15, 20, 25],
} as const;

// L-BFGS settings. fScale = 0 makes the decrease test purely relative: the objective is a sum of
// Huber terms that can be ~1e-3 (noisy runs) or ~1e-12 (near-exact data), and an absolute floor
// would stop near-exact fits long before the constants settle.
const LBFGS: LbfgsOptions = { memory: 10, maxIterations: 2000, gradientTolerance: 1e-10, relativeTolerance: 1e-12, fScale: 0 };
// Bootstrap refits start at the full-data optimum and normally converge in ~30 iterations; a
// lower cap bounds the cost where the objective is flat along some direction (unidentified α).
const LBFGS_BOOTSTRAP: LbfgsOptions = { ...LBFGS, maxIterations: 500 };

/**
 * Σ_i w_i · Huber_δ(LSE(a − α·xN_i, b − β·xD_i, e) − lnL_i) and its gradient (when `grad` is
 * given) at θ = [a, b, e, α, β]. `w` null means all weights 1; zero weights are skipped.
 */
function objectiveKernel(
  theta: ArrayLike<number>,
  xN: Float64Array,
  xD: Float64Array,
  lnL: Float64Array,
  w: Float64Array | null,
  delta: number,
  grad: Float64Array | null,
): number {
  const a = theta[0]!;
  const b = theta[1]!;
  const e = theta[2]!;
  const alpha = theta[3]!;
  const beta = theta[4]!;
  let f = 0;
  let ga = 0;
  let gb = 0;
  let ge = 0;
  let gAlpha = 0;
  let gBeta = 0;
  const n = lnL.length;
  for (let i = 0; i < n; i++) {
    const wi = w === null ? 1 : w[i]!;
    if (wi === 0) continue;
    const t1 = a - alpha * xN[i]!;
    const t2 = b - beta * xD[i]!;
    const m = t1 > t2 ? (t1 > e ? t1 : e) : t2 > e ? t2 : e;
    const e1 = Math.exp(t1 - m);
    const e2 = Math.exp(t2 - m);
    const e3 = Math.exp(e - m);
    const s = e1 + e2 + e3;
    const r = m + Math.log(s) - lnL[i]!;
    const ar = r < 0 ? -r : r;
    let dh: number;
    if (ar <= delta) {
      f += wi * 0.5 * r * r;
      dh = r;
    } else {
      f += wi * delta * (ar - 0.5 * delta);
      dh = r < 0 ? -delta : delta;
    }
    if (grad !== null) {
      const k = (wi * dh) / s;
      const k1 = k * e1;
      const k2 = k * e2;
      ga += k1;
      gb += k2;
      ge += k * e3;
      gAlpha -= k1 * xN[i]!;
      gBeta -= k2 * xD[i]!;
    }
  }
  if (grad !== null) {
    grad[0] = ga;
    grad[1] = gb;
    grad[2] = ge;
    grad[3] = gAlpha;
    grad[4] = gBeta;
  }
  return f;
}

/**
 * The fit's objective at [a, b, e, α, β] (uncentred, as in the paper) over `runs`, and its
 * gradient written into `grad` when given. Exposed for tests and for plotting the loss surface.
 */
export function scalingLawObjective(
  params: ArrayLike<number>,
  runs: readonly ObservedRun[],
  delta = HUBER_DELTA,
  grad?: Float64Array,
): number {
  const lnN = Float64Array.from(runs, (r) => Math.log(r.N));
  const lnD = Float64Array.from(runs, (r) => Math.log(r.D));
  const lnL = Float64Array.from(runs, (r) => Math.log(r.loss));
  return objectiveKernel(params, lnN, lnD, lnL, null, delta, grad ?? null);
}

/** p-th quantile (0..1) of sorted values, linear interpolation between order statistics. */
function quantileSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

function interval(values: number[], fallback: number): Interval {
  if (values.length === 0) return [fallback, fallback];
  const s = Float64Array.from(values).sort();
  return [quantileSorted(s, 0.025), quantileSorted(s, 0.975)];
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(3))));

function validateRuns(runs: readonly ObservedRun[]): void {
  if (runs.length < MIN_RUNS) throw new Error(`need at least ${MIN_RUNS} runs to fit 5 constants (got ${runs.length})`);
  runs.forEach((r, i) => {
    for (const key of ['N', 'D', 'loss'] as const) {
      const v = r[key];
      if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
        throw new Error(`run ${i + 1}: ${key} must be a finite number > 0 (got ${String(v)})`);
      }
    }
  });
}

/**
 * Fits E + A/N^α + B/D^β to `runs` (see the header for the method) and bootstraps intervals.
 * Throws when there are fewer than MIN_RUNS runs, a run has a non-positive or non-finite value, or
 * no start converges to finite constants.
 */
export function fitScalingLaw(runs: readonly ObservedRun[], options: FitOptions = {}): FittedLaw {
  validateRuns(runs);
  const delta = options.delta ?? HUBER_DELTA;
  if (!(delta > 0 && Number.isFinite(delta))) throw new Error(`Huber delta must be a finite number > 0 (got ${delta})`);
  const nBoot = Math.max(0, Math.floor(options.bootstrap ?? DEFAULT_BOOTSTRAP));
  const topK = Math.max(1, Math.floor(options.topK ?? DEFAULT_TOP_K));
  const seed = options.seed ?? 1;

  const n = runs.length;
  const lnN = Float64Array.from(runs, (r) => Math.log(r.N));
  const lnD = Float64Array.from(runs, (r) => Math.log(r.D));
  const lnL = Float64Array.from(runs, (r) => Math.log(r.loss));
  const cN = lnN.reduce((s, v) => s + v, 0) / n;
  const cD = lnD.reduce((s, v) => s + v, 0) / n;
  const xN = lnN.map((v) => v - cN);
  const xD = lnD.map((v) => v - cD);

  // L-BFGS works on centred parameters θ' = [a', b', e, α, β] ↔ the paper's [a' + α·cN, b' + β·cD, e, α, β].

  // 1. Objective at every grid point; keep the best topK.
  const G = INIT_GRID;
  const starts = G.alpha.length * G.beta.length * G.e.length * G.a.length * G.b.length;
  const bestF = new Float64Array(topK).fill(Infinity);
  const bestTheta: Float64Array[] = Array.from({ length: topK }, () => new Float64Array(5));
  const theta = new Float64Array(5);
  for (const alpha of G.alpha) for (const beta of G.beta) for (const e of G.e) for (const a of G.a) for (const b of G.b) {
    theta[0] = a - alpha * cN;
    theta[1] = b - beta * cD;
    theta[2] = e;
    theta[3] = alpha;
    theta[4] = beta;
    const f = objectiveKernel(theta, xN, xD, lnL, null, delta, null);
    if (!(f < bestF[topK - 1]!)) continue;
    let j = topK - 1;
    const spare = bestTheta[j]!;
    while (j > 0 && f < bestF[j - 1]!) {
      bestF[j] = bestF[j - 1]!;
      bestTheta[j] = bestTheta[j - 1]!;
      j--;
    }
    bestF[j] = f;
    spare.set(theta);
    bestTheta[j] = spare;
  }

  // 2. L-BFGS from each; keep the lowest finite optimum.
  let weights: Float64Array | null = null;
  const fg = (x: Float64Array, g: Float64Array): number => objectiveKernel(x, xN, xD, lnL, weights, delta, g);
  let best: { x: Float64Array; f: number; converged: boolean } | null = null;
  let convergedStarts = 0;
  for (let k = 0; k < topK; k++) {
    if (!Number.isFinite(bestF[k]!)) continue;
    const r = minimizeLbfgs(fg, bestTheta[k]!, LBFGS);
    if (!(Number.isFinite(r.f) && r.x.every(Number.isFinite))) continue;
    if (r.converged) convergedStarts++;
    if (best === null || r.f < best.f) best = { x: r.x, f: r.f, converged: r.converged };
  }
  const fromCentred = (x: Float64Array) => {
    const alpha = x[3]!;
    const beta = x[4]!;
    const a = x[0]! + alpha * cN;
    const b = x[1]! + beta * cD;
    return { E: Math.exp(x[2]!), A: Math.exp(a), B: Math.exp(b), alpha, beta };
  };
  const lawOk = (c: { E: number; A: number; B: number; alpha: number; beta: number }): boolean =>
    [c.E, c.A, c.B, c.alpha, c.beta].every(Number.isFinite) && c.alpha + c.beta !== 0;
  if (best === null || !lawOk(fromCentred(best.x))) {
    throw new Error(
      `the fit did not converge to finite values from any of the ${topK} best of ${starts} starting points` +
        ' (check that loss falls as N and D grow, and that the runs span several sizes)',
    );
  }
  const opt = fromCentred(best.x);
  const law: ParametricLaw = { kind: 'parametric', ...opt };
  const warnings: string[] = [];
  if (convergedStarts === 0) {
    warnings.push('L-BFGS stopped without meeting its convergence tests from every start; the constants may not be the optimum.');
  }

  // 3. Bootstrap: resampling with replacement = integer weights on the runs (no copies needed).
  const boot = { E: [] as number[], A: [] as number[], B: [] as number[], alpha: [] as number[], beta: [] as number[], a: [] as number[], b: [] as number[] };
  if (nBoot > 0) {
    const rnd = mulberry32(seed);
    weights = new Float64Array(n);
    let capped = 0;
    for (let s = 0; s < nBoot; s++) {
      weights.fill(0);
      for (let i = 0; i < n; i++) weights[Math.min(n - 1, Math.floor(rnd() * n))]! += 1;
      const r = minimizeLbfgs(fg, best.x, LBFGS_BOOTSTRAP);
      if (!(Number.isFinite(r.f) && r.x.every(Number.isFinite))) continue;
      if (r.stop === 'max-iterations') capped++;
      const c = fromCentred(r.x);
      if (!lawOk(c)) continue;
      boot.E.push(c.E);
      boot.A.push(c.A);
      boot.B.push(c.B);
      boot.alpha.push(c.alpha);
      boot.beta.push(c.beta);
      boot.a.push(c.beta / (c.alpha + c.beta));
      boot.b.push(c.alpha / (c.alpha + c.beta));
    }
    weights = null;
    const failed = nBoot - boot.E.length;
    if (failed > 0) {
      warnings.push(`${failed} of ${nBoot} bootstrap refits did not converge to finite values and were left out of the intervals.`);
    }
    if (capped > 0) {
      warnings.push(
        `${capped} of ${nBoot} bootstrap refits were still moving after ${LBFGS_BOOTSTRAP.maxIterations} iterations (the objective is nearly flat along some direction); their estimates are kept in the intervals.`,
      );
    }
  }

  // 4. Residuals and diagnostics.
  let ss = 0;
  const residuals = runs.map((r) => {
    const predicted = law.E + law.A / r.N ** law.alpha + law.B / r.D ** law.beta;
    const logResidual = Math.log(r.loss / predicted);
    ss += logResidual * logResidual;
    return { N: r.N, D: r.D, loss: r.loss, predicted, logResidual };
  });
  for (const [name, v, x] of [['α', law.alpha, 'N'], ['β', law.beta, 'D']] as const) {
    if (v <= 0.01) {
      warnings.push(
        `${name} = ${fmt(v)} is at a bound-like value (≤ 0.01): in these runs loss barely falls, or rises, as ${x} grows, so ${name} is not pinned down; treat the law and its frontier with suspicion.`,
      );
    } else if (v >= 2.5) {
      warnings.push(
        `${name} = ${fmt(v)} is at a bound-like value (≥ 2.5, where published fits find 0.3–0.4): the runs probably do not constrain it; treat the law and its frontier with suspicion.`,
      );
    }
  }
  if (boot.alpha.length > 0) {
    for (const [name, v, ci] of [['α', law.alpha, interval(boot.alpha, law.alpha)], ['β', law.beta, interval(boot.beta, law.beta)]] as const) {
      if (ci[1] - ci[0] > Math.abs(v)) {
        warnings.push(
          `${name}'s 95% interval [${fmt(ci[0])}, ${fmt(ci[1])}] is wider than ${name} = ${fmt(v)} itself: the runs do not pin it down; treat the law and its frontier with suspicion.`,
        );
      }
    }
  }
  const range = (v: Float64Array): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return [Math.exp(lo), Math.exp(hi)];
  };
  const [nLo, nHi] = range(lnN);
  const [dLo, dHi] = range(lnD);
  if (nHi / nLo < 10) warnings.push(`the runs span less than one decade in N (${fmt(nLo)} to ${fmt(nHi)}): α and A are poorly determined.`);
  if (dHi / dLo < 10) warnings.push(`the runs span less than one decade in D (${fmt(dLo)} to ${fmt(dHi)}): β and B are poorly determined.`);

  const s = law.alpha + law.beta;
  return {
    law,
    objective: best.f,
    nRuns: n,
    huberDelta: delta,
    starts,
    topK,
    bootstrap: {
      samples: boot.E.length,
      ci: {
        E: interval(boot.E, law.E),
        A: interval(boot.A, law.A),
        B: interval(boot.B, law.B),
        alpha: interval(boot.alpha, law.alpha),
        beta: interval(boot.beta, law.beta),
      },
    },
    residuals,
    rmseLog: Math.sqrt(ss / n),
    frontierExponents: {
      a: law.beta / s,
      b: law.alpha / s,
      ci: { a: interval(boot.a, law.beta / s), b: interval(boot.b, law.alpha / s) },
    },
    warnings,
  };
}
