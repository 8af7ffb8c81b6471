/**
 * L-BFGS (runs anywhere): unconstrained minimisation of a smooth function from its value and
 * gradient (Nocedal & Wright, "Numerical Optimization", 2nd ed. — Algorithm 7.4 two-loop
 * recursion, Algorithms 3.5/3.6 strong-Wolfe line search with safeguarded cubic interpolation).
 * The scaling-law fit (fit-law.ts) uses it the way Hoffmann et al. 2022 (App. D.2) did.
 *
 * Why hand-written: npm has no well-kept, typed, browser-safe L-BFGS. Checked with `npm view`
 * (2026-11): `lbfgs` does not exist (404); `optimization-js` 1.5.0 has an L-BFGS but no types and
 * ships browserify, jsdoc, semantic-release-cli and travis as runtime dependencies; `fmin` 0.0.4
 * (no types) has Nelder–Mead, conjugate gradient and gradient descent, no L-BFGS;
 * `ml-levenberg-marquardt` is least squares, not a general minimiser (our loss is Huber). The
 * algorithm is ~200 lines and fully tested here (Rosenbrock, quadratics).
 *
 * The objective writes its gradient into the array it is given and returns the value; the
 * optimiser allocates its buffers once, so the hot loop allocates nothing.
 */

/** f(x); must write ∇f(x) into `grad` (length x.length). Return a non-finite value to say "outside". */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept (m). Default 10. */
  memory?: number;
  /** Iteration cap. Default 1000. */
  maxIterations?: number;
  /** Stop when ‖∇f‖∞ ≤ this. Default 1e-8. */
  gradientTolerance?: number;
  /**
   * Stop when an iteration lowers f by ≤ relativeTolerance · max(|f_k|, |f_k+1|, fScale).
   * Default 1e-12 (scipy's L-BFGS-B uses factr·eps ≈ 2.2e-9 with fScale = 1).
   */
  relativeTolerance?: number;
  /** Floor of the relative-decrease denominator. Default 1 (as scipy). 0 makes the test purely relative. */
  fScale?: number;
  /** Function evaluations allowed per line search. Default 30. */
  maxLineSearchSteps?: number;
}

export type LbfgsStop = 'gradient' | 'relative-decrease' | 'max-iterations' | 'line-search-failed' | 'non-finite';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  /** ‖∇f(x)‖∞ at the returned point. */
  gradNorm: number;
  iterations: number;
  evaluations: number;
  /** True when it stopped on the gradient or relative-decrease test. */
  converged: boolean;
  stop: LbfgsStop;
}

const C1 = 1e-4; // sufficient decrease (Armijo)
const C2 = 0.9; // curvature (strong Wolfe), the usual value for quasi-Newton methods

function dot(a: Float64Array, b: Float64Array, n: number, offA = 0, offB = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[offA + i]! * b[offB + i]!;
  return s;
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db); NaN when it has none. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

export function minimizeLbfgs(fg: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const m = Math.max(1, Math.floor(options.memory ?? 10));
  const maxIter = options.maxIterations ?? 1000;
  const gtol = options.gradientTolerance ?? 1e-8;
  const rtol = options.relativeTolerance ?? 1e-12;
  const fScale = options.fScale ?? 1;
  const maxLs = options.maxLineSearchSteps ?? 30;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xT = new Float64Array(n); // trial point of the line search
  const gT = new Float64Array(n);
  const xLo = new Float64Array(n); // best point that satisfies sufficient decrease
  const gLo = new Float64Array(n);
  const S = new Float64Array(m * n); // ring buffers of s_k = x_k+1 − x_k, y_k = g_k+1 − g_k
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alphaBuf = new Float64Array(m);
  let stored = 0;
  let head = 0; // slot the next pair goes into
  let evaluations = 0;

  const evalAt = (xx: Float64Array, gg: Float64Array): number => {
    evaluations++;
    const v = fg(xx, gg);
    return Number.isFinite(v) && infNorm(gg) < Infinity ? v : Infinity;
  };

  let f = evalAt(x, g);
  const done = (stop: LbfgsStop, iterations: number): LbfgsResult => ({
    x,
    f,
    gradNorm: infNorm(g),
    iterations,
    evaluations,
    converged: stop === 'gradient' || stop === 'relative-decrease',
    stop,
  });
  if (!Number.isFinite(f)) return done('non-finite', 0);
  if (infNorm(g) <= gtol) return done('gradient', 0);

  // φ(t) = f(x + t·d) evaluated into xT/gT; returns [φ(t), φ'(t)].
  let phiF = 0;
  let phiD = 0;
  const phi = (t: number): void => {
    for (let i = 0; i < n; i++) xT[i] = x[i]! + t * d[i]!;
    phiF = evalAt(xT, gT);
    phiD = Number.isFinite(phiF) ? dot(gT, d, n) : NaN;
  };

  /**
   * Strong-Wolfe line search from x along d (N&W Alg. 3.5 + zoom 3.6). On success the accepted
   * point is in xLo/gLo and its value is returned; on failure returns NaN, or the best
   * sufficient-decrease point found (still in xLo/gLo) when there is one.
   */
  const lineSearch = (f0: number, dg0: number, t0: number): number => {
    let tPrev = 0;
    let fPrev = f0;
    let dPrev = dg0;
    let t = t0;
    let loT = 0; // best Armijo point so far (0 = none)
    let loF = f0;
    const accept = (tt: number, ff: number): void => {
      loT = tt;
      loF = ff;
      xLo.set(xT);
      gLo.set(gT);
    };
    let zoomLo = NaN;
    let zoomLoF = 0;
    let zoomLoD = 0;
    let zoomHi = NaN;
    let zoomHiF = 0;
    let zoomHiD = 0;
    let steps = 0;
    // Bracketing phase.
    for (; steps < maxLs; steps++) {
      phi(t);
      if (!Number.isFinite(phiF)) {
        // Stepped outside the domain: treat as "too far" and bracket with the last good point.
        zoomLo = tPrev; zoomLoF = fPrev; zoomLoD = dPrev;
        zoomHi = t; zoomHiF = Infinity; zoomHiD = NaN;
        steps++;
        break;
      }
      if (phiF > f0 + C1 * t * dg0 || (steps > 0 && phiF >= fPrev)) {
        zoomLo = tPrev; zoomLoF = fPrev; zoomLoD = dPrev;
        zoomHi = t; zoomHiF = phiF; zoomHiD = phiD;
        steps++;
        break;
      }
      accept(t, phiF);
      if (Math.abs(phiD) <= -C2 * dg0) return phiF;
      if (phiD >= 0) {
        zoomLo = t; zoomLoF = phiF; zoomLoD = phiD;
        zoomHi = tPrev; zoomHiF = fPrev; zoomHiD = dPrev;
        steps++;
        break;
      }
      tPrev = t; fPrev = phiF; dPrev = phiD;
      t *= 4;
    }
    if (Number.isNaN(zoomLo)) return loT > 0 ? loF : NaN;
    // Zoom phase: the interval between zoomLo (Armijo holds) and zoomHi contains a Wolfe point.
    for (; steps < maxLs; steps++) {
      const lo = Math.min(zoomLo, zoomHi);
      const hi = Math.max(zoomLo, zoomHi);
      const width = hi - lo;
      if (width <= 1e-16 * Math.max(1, hi)) break;
      let tj = Number.isFinite(zoomHiF) && Number.isFinite(zoomHiD)
        ? cubicMin(zoomLo, zoomLoF, zoomLoD, zoomHi, zoomHiF, zoomHiD)
        : NaN;
      if (!(tj >= lo + 0.1 * width && tj <= hi - 0.1 * width)) tj = 0.5 * (zoomLo + zoomHi);
      phi(tj);
      if (!Number.isFinite(phiF) || phiF > f0 + C1 * tj * dg0 || phiF >= zoomLoF) {
        zoomHi = tj; zoomHiF = phiF; zoomHiD = phiD;
      } else {
        accept(tj, phiF);
        if (Math.abs(phiD) <= -C2 * dg0) return phiF;
        if (phiD * (zoomHi - zoomLo) >= 0) {
          zoomHi = zoomLo; zoomHiF = zoomLoF; zoomHiD = zoomLoD;
        }
        zoomLo = tj; zoomLoF = phiF; zoomLoD = phiD;
      }
    }
    return loT > 0 && loF < f0 ? loF : NaN;
  };

  let iter = 0;
  let resetOnce = false;
  while (iter < maxIter) {
    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    let gamma = 1;
    if (stored > 0) {
      for (let k = 0; k < stored; k++) {
        const slot = (head - 1 - k + m) % m;
        const a = rho[slot]! * dot(S, d, n, slot * n);
        alphaBuf[slot] = a;
        for (let i = 0; i < n; i++) d[i] = d[i]! - a * Y[slot * n + i]!;
      }
      const last = (head - 1 + m) % m;
      gamma = dot(S, Y, n, last * n, last * n) / dot(Y, Y, n, last * n, last * n);
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
      for (let k = stored - 1; k >= 0; k--) {
        const slot = (head - 1 - k + m) % m;
        const b = rho[slot]! * dot(Y, d, n, slot * n);
        const a = alphaBuf[slot]!;
        for (let i = 0; i < n; i++) d[i] = d[i]! + (a - b) * S[slot * n + i]!;
      }
    }
    let dg0 = dot(g, d, n);
    if (!(dg0 < 0)) {
      // Not a descent direction (rounding): fall back to steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dg0 = dot(g, d, n);
    }
    const t0 = stored === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g, n))) : 1;
    const fNew = lineSearch(f, dg0, t0);
    iter++;
    if (Number.isNaN(fNew)) {
      if (stored > 0 && !resetOnce) {
        // Retry once from steepest descent with the memory cleared.
        stored = 0;
        resetOnce = true;
        continue;
      }
      return done('line-search-failed', iter);
    }
    resetOnce = false;
    // s = xLo − x, y = gLo − g into the ring buffer.
    const off = head * n;
    for (let i = 0; i < n; i++) {
      S[off + i] = xLo[i]! - x[i]!;
      Y[off + i] = gLo[i]! - g[i]!;
    }
    const sy = dot(S, Y, n, off, off);
    const yy = dot(Y, Y, n, off, off);
    if (sy > 1e-14 * yy && sy > 0) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(m, stored + 1);
    }
    const fOld = f;
    x.set(xLo);
    g.set(gLo);
    f = fNew;
    if (infNorm(g) <= gtol) return done('gradient', iter);
    if (fOld - f <= rtol * Math.max(Math.abs(fOld), Math.abs(f), fScale)) return done('relative-decrease', iter);
  }
  return done('max-iterations', iter);
}
