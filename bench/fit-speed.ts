/**
 * Speed check for "fit your own scaling law" (src-shared/planner/fit-law.ts): times
 * fitScalingLaw on synthetic runs with the default bootstrap, and, as the peer measured in the same
 * run, the same method in Python with scipy (`scipy.optimize.minimize(method='L-BFGS-B')`, numpy
 * vectorised objective and analytic gradient, same grid-best-K starts, same warm-started bootstrap).
 *
 *   npx tsx bench/fit-speed.ts [--runs 200] [--bootstrap 200] [--repeats 5] [--python python3]
 *
 * Data: N ∈ [1e7, 1e10], D ∈ [1e8, 1e12] log-uniform, loss from Besiroglu et al. 2024's law
 * (E 1.8172, A 482.01, B 2085.43, α 0.3478, β 0.3658) × exp(0.01·z), seeded. Each side: one
 * warm-up fit, then `repeats` timed fits, median and best. The script waits (≤ 2 min) for a quiet
 * CPU before each side. Target: < 2 s for 200 runs including the bootstrap on the 2-core dev VM.
 * If no Python with scipy is found (tries --python, then python3, then /usr/bin/python3) it says so
 * and prints FLOPscope's time only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src-shared/gpu/cpu-reference.js';
import { DEFAULT_BOOTSTRAP, DEFAULT_TOP_K, HUBER_DELTA, fitScalingLaw, type ObservedRun } from '../src-shared/planner/fit-law.js';
import { loadAverage, median, waitForQuiet } from './common.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    bootstrap: { type: 'string', default: String(DEFAULT_BOOTSTRAP) },
    repeats: { type: 'string', default: '5' },
    python: { type: 'string' },
  },
});
const nRuns = Number(values.runs);
const nBoot = Number(values.bootstrap);
const repeats = Math.max(1, Number(values.repeats));

const LAW = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };
function syntheticRuns(count: number, seed: number): ObservedRun[] {
  const rnd = mulberry32(seed);
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + rnd() * Math.log(hi / lo));
  return Array.from({ length: count }, () => {
    const N = logUniform(1e7, 1e10);
    const D = logUniform(1e8, 1e12);
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return { N, D, loss: (LAW.E + LAW.A / N ** LAW.alpha + LAW.B / D ** LAW.beta) * Math.exp(0.01 * z) };
  });
}

// The same method as fit-law.ts, in numpy/scipy: centred logs, Σ Huber, analytic gradient, the
// paper's 4 500-point grid evaluated in one vectorised pass, L-BFGS(-B, unbounded) from the best K,
// bootstrap refits warm-started from the optimum (iteration caps 2000 / 500, memory 10).
const PYTHON = String.raw`
import json, sys, time
import numpy as np
from scipy.optimize import minimize
cfg = json.load(sys.stdin)
runs, K, B, delta, repeats = cfg["runs"], cfg["topK"], cfg["bootstrap"], cfg["delta"], cfg["repeats"]
lnN = np.log([r["N"] for r in runs]); lnD = np.log([r["D"] for r in runs]); lnL = np.log([r["loss"] for r in runs])
cN, cD = lnN.mean(), lnD.mean(); xN, xD = lnN - cN, lnD - cD
n = len(lnL)

def obj(th, w):
    a, b, e, al, be = th
    t1 = a - al * xN; t2 = b - be * xD
    m = np.maximum(np.maximum(t1, t2), e)
    e1 = np.exp(t1 - m); e2 = np.exp(t2 - m); e3 = np.exp(e - m)
    s = e1 + e2 + e3
    r = m + np.log(s) - lnL
    ar = np.abs(r); q = ar <= delta
    f = np.sum(w * np.where(q, 0.5 * r * r, delta * (ar - 0.5 * delta)))
    k = w * np.where(q, r, delta * np.sign(r)) / s
    return f, np.array([np.sum(k * e1), np.sum(k * e2), np.sum(k * e3), -np.sum(k * e1 * xN), -np.sum(k * e2 * xD)])

al, be, e, a, b = [g.ravel() for g in np.meshgrid(np.arange(0, 2.01, 0.5), np.arange(0, 2.01, 0.5), np.arange(-1, 1.01, 0.5), np.arange(0, 26, 5.0), np.arange(0, 26, 5.0), indexing="ij")]
grid = np.stack([a - al * cN, b - be * cD, e, al, be], axis=1)
opts = dict(maxcor=10, ftol=1e-15, gtol=1e-10, maxiter=2000)
boot_opts = dict(opts, maxiter=500)

def fit():
    t1 = grid[:, 0:1] - grid[:, 3:4] * xN; t2 = grid[:, 1:2] - grid[:, 4:5] * xD; t3 = grid[:, 2:3]
    m = np.maximum(np.maximum(t1, t2), t3)
    r = m + np.log(np.exp(t1 - m) + np.exp(t2 - m) + np.exp(t3 - m)) - lnL
    ar = np.abs(r)
    F = np.where(ar <= delta, 0.5 * r * r, delta * (ar - 0.5 * delta)).sum(axis=1)
    ones = np.ones(n)
    best = None
    for i in np.argsort(F)[:K]:
        res = minimize(obj, grid[i], args=(ones,), jac=True, method="L-BFGS-B", options=opts)
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun): best = res
    rng = np.random.default_rng(1)
    samples = []
    for _ in range(B):
        w = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        res = minimize(obj, best.x, args=(w,), jac=True, method="L-BFGS-B", options=boot_opts)
        samples.append(res.x)
    return best, np.array(samples)

fit()
times = []
for _ in range(repeats):
    t = time.perf_counter(); best, samples = fit(); times.append(time.perf_counter() - t)
times.sort()
al_ci = np.percentile(samples[:, 3], [2.5, 97.5]).tolist() if len(samples) else [best.x[3]] * 2
print(json.dumps({"median": times[len(times) // 2], "best": times[0], "alpha": best.x[3], "beta": best.x[4], "objective": best.fun, "alphaCi": al_ci, "nit": int(best.nit)}))
`;

function findPython(): string | null {
  const candidates = [values.python, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import scipy, numpy; print(scipy.__version__, numpy.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

const fmtS = (s: number): string => `${(s * 1000).toFixed(0)} ms`;

async function main(): Promise<void> {
  const runs = syntheticRuns(nRuns, 2024);
  console.log(`fitScalingLaw: ${nRuns} synthetic runs, bootstrap ${nBoot}, top-${DEFAULT_TOP_K} of the 4 500-point grid; ${loadAverage()}`);

  const busy = await waitForQuiet();
  fitScalingLaw(runs, { bootstrap: nBoot }); // warm-up (JIT)
  const times: number[] = [];
  let fit = fitScalingLaw(runs, { bootstrap: nBoot });
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fit = fitScalingLaw(runs, { bootstrap: nBoot });
    times.push((performance.now() - t) / 1000);
  }
  const ours = median(times);
  console.log(
    `FLOPscope (TypeScript): median ${fmtS(ours)}, best ${fmtS(Math.min(...times))} over ${repeats}` +
      `${busy === null ? '' : ` (CPU ${(busy * 100).toFixed(0)}% busy before)`}; α ${fit.law.alpha.toFixed(4)} [${fit.bootstrap.ci.alpha.map((v) => v.toFixed(4)).join(', ')}], β ${fit.law.beta.toFixed(4)}, objective ${fit.objective.toExponential(6)}`,
  );
  console.log(`  target < 2 s for 200 runs with the bootstrap: ${ours < 2 ? 'met' : 'NOT met'}`);

  const py = findPython();
  if (py === null) {
    console.log('scipy: no python3 with scipy and numpy found (tried --python, python3, /usr/bin/python3); FLOPscope time only.');
    return;
  }
  const versions = execFileSync(py, ['-c', 'import scipy, numpy, sys; print(sys.version.split()[0], scipy.__version__, numpy.__version__)'], { encoding: 'utf8' }).trim().split(' ');
  const busyPy = await waitForQuiet();
  const out = execFileSync(py, ['-c', PYTHON], {
    input: JSON.stringify({ runs, topK: DEFAULT_TOP_K, bootstrap: nBoot, delta: HUBER_DELTA, repeats }),
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    maxBuffer: 1 << 20,
  });
  const peer = JSON.parse(out.trim().split('\n').pop()!) as { median: number; best: number; alpha: number; beta: number; objective: number; alphaCi: number[] };
  console.log(
    `scipy L-BFGS-B (${py}: Python ${versions[0]}, scipy ${versions[1]}, numpy ${versions[2]}): median ${fmtS(peer.median)}, best ${fmtS(peer.best)} over ${repeats}` +
      `${busyPy === null ? '' : ` (CPU ${(busyPy * 100).toFixed(0)}% busy before)`}; α ${peer.alpha.toFixed(4)} [${peer.alphaCi.map((v) => v.toFixed(4)).join(', ')}], β ${peer.beta.toFixed(4)}, objective ${peer.objective.toExponential(6)}`,
  );
  console.log(`ratio FLOPscope / scipy time: ${(ours / peer.median).toFixed(2)} (< 1: FLOPscope faster)`);
  console.log(loadAverage());
}

await main();
