/**
 * Loss laws and their compute-optimal frontiers (runs anywhere). `lossAt` evaluates a law,
 * `frontierAt` gives N*(C), D*(C) for a fit — the closed form of Hoffmann et al. 2022 (eq. 4) for
 * the parametric law, the published power law otherwise — and `computeForParams` inverts it
 * ("what budget makes this N optimal?"). Everything assumes C = 6·N·D (Kaplan et al. 2020 §2.1;
 * Hoffmann et al. 2022 App. F shows it within a few % of a full count).
 */
import type { Fit, KaplanLaw, LossLaw, ParametricLaw } from './types.js';

/** FLOPs per parameter per training token: 2 forward + 4 backward (Kaplan et al. 2020, §2.1). */
export const FLOPS_PER_PARAM_TOKEN = 6;

export function lossAt(law: LossLaw, N: number, D: number): number {
  if (law.kind === 'parametric') return law.E + law.A / N ** law.alpha + law.B / D ** law.beta;
  return kaplanLoss(law, N, D);
}

/** Kaplan et al. 2020, eq. 1.5 / 4.1: L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D. */
function kaplanLoss(law: KaplanLaw, N: number, D: number): number {
  return ((law.Nc / N) ** (law.alphaN / law.alphaD) + law.Dc / D) ** law.alphaD;
}

/**
 * The minimiser of E + A/N^α + B/D^β under C = 6ND (Hoffmann et al. 2022, §3.3 eq. 4):
 * N* = G·(C/6)^a, D* = G⁻¹·(C/6)^b with G = (αA / (βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β).
 */
export function parametricOptimum(law: ParametricLaw, C: number): { N: number; D: number } {
  const { G, a } = parametricFrontierConstants(law);
  const N = G * (C / FLOPS_PER_PARAM_TOKEN) ** a;
  return { N, D: C / (FLOPS_PER_PARAM_TOKEN * N) };
}

export function parametricFrontierConstants(law: ParametricLaw): { G: number; a: number; b: number } {
  const s = law.alpha + law.beta;
  return { G: ((law.alpha * law.A) / (law.beta * law.B)) ** (1 / s), a: law.beta / s, b: law.alpha / s };
}

/** Compute-optimal N*, D* for a budget C (FLOPs) under a fit. */
export function frontierAt(fit: Fit, C: number): { N: number; D: number } {
  if (fit.frontier.kind === 'power-law') {
    const N = fit.frontier.G * C ** fit.frontier.a;
    return { N, D: C / (FLOPS_PER_PARAM_TOKEN * N) };
  }
  if (fit.law.kind === 'parametric') return parametricOptimum(fit.law, C);
  return numericOptimum(fit.law, C);
}

/** Golden-section search on log N of L(N, C/6N) for laws without a closed form. */
export function numericOptimum(law: LossLaw, C: number, nRange: [number, number] = [1e3, 1e16]): { N: number; D: number } {
  const f = (logN: number) => {
    const N = Math.exp(logN);
    const l = lossAt(law, N, C / (FLOPS_PER_PARAM_TOKEN * N));
    return Number.isFinite(l) ? l : Infinity;
  };
  const logN = goldenMin(f, Math.log(nRange[0]), Math.log(nRange[1]));
  const N = Math.exp(logN);
  return { N, D: C / (FLOPS_PER_PARAM_TOKEN * N) };
}

/** Minimum of a unimodal f on [lo, hi] by a coarse scan then golden-section refinement. */
export function goldenMin(f: (x: number) => number, lo: number, hi: number, iterations = 80): number {
  const scan = 64;
  let best = lo;
  let bestV = Infinity;
  for (let i = 0; i <= scan; i++) {
    const x = lo + ((hi - lo) * i) / scan;
    const v = f(x);
    if (v < bestV) {
      bestV = v;
      best = x;
    }
  }
  const step = (hi - lo) / scan;
  let a = Math.max(lo, best - step);
  let b = Math.min(hi, best + step);
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations && b - a > 1e-12; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** The budget C (FLOPs) at which N is compute-optimal under a fit (inverse of frontierAt). */
export function computeForParams(fit: Fit, N: number): number {
  if (fit.frontier.kind === 'power-law') return (N / fit.frontier.G) ** (1 / fit.frontier.a);
  if (fit.law.kind === 'parametric') {
    const { G, a } = parametricFrontierConstants(fit.law);
    return FLOPS_PER_PARAM_TOKEN * (N / G) ** (1 / a);
  }
  return bisectLogC((C) => frontierAt(fit, C).N, N);
}

/** The budget C at which the compute-optimal token count is D (used for data-constrained sizing). */
export function computeForTokens(fit: Fit, D: number): number {
  return bisectLogC((C) => frontierAt(fit, C).D, D);
}

/** Solves g(C) = target for a g increasing in C, by bisection on log C over 1e6…1e40 FLOPs. */
function bisectLogC(g: (C: number) => number, target: number): number {
  let lo = Math.log(1e6);
  let hi = Math.log(1e40);
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (g(Math.exp(mid)) < target) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Tokens D that reach loss ℓ at size N (∞ when N alone cannot reach ℓ). Parametric:
 * D = (B / (ℓ − E − A/N^α))^(1/β); Kaplan: D = D_c / (ℓ^(1/α_D) − (N_c/N)^(α_N/α_D)).
 */
export function tokensForLoss(law: LossLaw, N: number, target: number): number {
  if (law.kind === 'parametric') {
    const room = target - law.E - law.A / N ** law.alpha;
    return room > 0 ? (law.B / room) ** (1 / law.beta) : Infinity;
  }
  const room = target ** (1 / law.alphaD) - (law.Nc / N) ** (law.alphaN / law.alphaD);
  return room > 0 ? law.Dc / room : Infinity;
}
