/**
 * Peer check: the least-squares gradient-descent kernels FLOPscope times through ONNX Runtime
 * (src-main/services/planner/linreg-measure.ts) against the same three kernels in numpy, at the
 * same sizes and thread count, in the same run:
 *
 *   recompute step    g = 2·Xᵀ(Xw − y)          numpy: 2 * (X.T @ (X @ w - y))     (two GEMVs)
 *   precompute        G = XᵀX, h = Xᵀy          numpy: X.T @ X, X.T @ y
 *   precompute step   g = 2(Gw − h)             numpy: 2 * (G @ w - h)
 *
 *   npx tsx bench/linreg-vs-numpy.ts [--threads N] [--sizes 100000x256,20000x1024] [--rounds 3]
 *                                    [--peak GFLOPS --bandwidth GBS]
 *
 * numpy's `X.T @ X` notices the transposed operand is the same buffer and calls SYRK (half the
 * FLOPs, nd(d + 1)); ONNX Runtime's Gemm(transA = 1) is a plain GEMM (2nd²). The table shows
 * numpy as a numpy user gets it (SYRK) and, for a like-for-like kernel, `X.T @ X2` with X2 a copy
 * of X (GEMM). Vectors are 1-D in numpy (GEMV), [·,1] columns in the ONNX graphs. Protocol on
 * both sides as bench/gemm-vs-numpy.ts: one warm-up (two for ORT, the first being the verified
 * run), then ≥ 5 timed runs and ≥ 1 s, median; rounds alternate the sides and each side keeps its
 * best round (lowest median). numpy runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE and with
 * OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = threads. Ratios are numpy time / FLOPscope time
 * (≥ 1: FLOPscope at least as fast). With --peak and --bandwidth it also prints gd-cost's roofline
 * prediction for the same kernels.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { measureLinreg, type LinregMeasurement } from '../src-main/services/planner/linreg-measure.js';
import { flopBreakEvenSteps, measuredBreakEvenSteps, type GdMeasuredSeconds, type GdRoofline } from '../src-shared/planner/gd-cost.js';
import { loadAverage, waitForQuiet } from './common.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: String(os.availableParallelism()) },
    sizes: { type: 'string', default: '100000x256,20000x1024' },
    rounds: { type: 'string', default: '3' },
    python: { type: 'string', default: 'python3' },
    peak: { type: 'string' },
    bandwidth: { type: 'string' },
  },
});
const threads = Number(values.threads);
const rounds = Number(values.rounds);
const sizes = values.sizes.split(',').map((s) => {
  const [n, d] = s.toLowerCase().split('x').map(Number);
  if (!Number.isInteger(n) || !Number.isInteger(d)) throw new Error(`--sizes: expected NxD pairs like 100000x256, got ${s}`);
  return { n: n!, d: d! };
});
const roofline: GdRoofline | undefined = values.peak && values.bandwidth ? { peakGflops: Number(values.peak), bandwidthGBs: Number(values.bandwidth) } : undefined;

const NUMPY = `
import json, sys, time
import numpy as np
n, d, min_s = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
rng = np.random.default_rng(1)
X = rng.uniform(-1, 1, (n, d)).astype(np.float32)
y = rng.uniform(-1, 1, n).astype(np.float32)
w = rng.uniform(-1, 1, d).astype(np.float32)
X2 = X.copy()
G = X.T @ X
h = X.T @ y
def timed(f):
    f()
    times = []
    while len(times) < 5 or sum(times) < min_s:
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    times.sort()
    return {"median": times[len(times) // 2] if len(times) % 2 else (times[len(times) // 2 - 1] + times[len(times) // 2]) / 2, "best": times[0], "runs": len(times)}
def precompute_syrk():
    X.T @ X
    X.T @ y
def precompute_gemm():
    X.T @ X2
    X.T @ y
out = {
    "recomputeStep": timed(lambda: 2 * (X.T @ (X @ w - y))),
    "precompute": timed(precompute_syrk),
    "precomputeGemm": timed(precompute_gemm),
    "precomputeStep": timed(lambda: 2 * (G @ w - h)),
}
print(json.dumps(out))
`;

type NumpyKernel = keyof GdMeasuredSeconds | 'precomputeGemm';
type NumpyResult = Record<NumpyKernel, { median: number; best: number; runs: number }>;

function numpy(n: number, d: number): NumpyResult {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const out = execFileSync(values.python, ['-c', NUMPY, String(n), String(d), '1.0'], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as NumpyResult;
}

async function ours(n: number, d: number): Promise<LinregMeasurement> {
  return measureLinreg({ n, d, threads, minRepeats: 5, minSeconds: 1, roofline });
}

const ms = (s: number) => (s * 1e3 >= 100 ? (s * 1e3).toFixed(1) : (s * 1e3).toPrecision(3));
const steps = (k: number) => (Number.isFinite(k) ? k.toFixed(1) : '∞');
const r2 = (a: number, b: number) => (a / b).toFixed(2);

const versions = execFileSync(values.python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).trim();
console.log(`least-squares GD kernels (fp32), ${threads} thread(s), ${rounds} round(s); numpy ${versions}; ${loadAverage()} at start`);

interface Best {
  ours: LinregMeasurement | null;
  numpy: NumpyResult | null;
}
const best = new Map<string, Best>();
const key = (s: { n: number; d: number }) => `${s.n}x${s.d}`;

for (let r = 0; r < rounds; r++) {
  for (const size of sizes) {
    const b = best.get(key(size)) ?? { ours: null, numpy: null };
    best.set(key(size), b);
    const busy = await waitForQuiet();
    const o = await ours(size.n, size.d);
    if (!o.verified.ok) console.log(`  warn: ORT output failed verification at ${key(size)} (max rel error ${o.verified.maxRelError.toExponential(2)})`);
    const p = numpy(size.n, size.d);
    // Keep each side's best round kernel by kernel (lowest median).
    if (!b.ours) b.ours = o;
    else {
      for (const k of ['recomputeStep', 'precompute', 'precomputeStep'] as const) {
        if (o.seconds[k] < b.ours.seconds[k]) b.ours = { ...b.ours, seconds: { ...b.ours.seconds, [k]: o.seconds[k] } };
      }
    }
    if (!b.numpy) b.numpy = p;
    else {
      for (const k of ['recomputeStep', 'precompute', 'precomputeGemm', 'precomputeStep'] as const) {
        if (p[k].median < b.numpy[k].median) b.numpy = { ...b.numpy, [k]: p[k] };
      }
    }
    console.log(
      `  round ${r + 1} ${key(size)}: FLOPscope ${ms(o.seconds.recomputeStep)} / ${ms(o.seconds.precompute)} / ${ms(o.seconds.precomputeStep)} ms, ` +
        `numpy ${ms(p.recomputeStep.median)} / ${ms(p.precompute.median)} (gemm ${ms(p.precomputeGemm.median)}) / ${ms(p.precomputeStep.median)} ms ` +
        `(CPU ${busy === null ? '?' : Math.round(busy * 100)}% busy before)`,
    );
  }
}

console.log('\nmedian ms per call, best round of each side; ratio = numpy / FLOPscope (≥ 1: FLOPscope as fast or faster)');
for (const size of sizes) {
  const b = best.get(key(size))!;
  const o = b.ours!;
  const p = b.numpy!;
  const gf = (flops: number, s: number) => (flops / s / 1e9).toFixed(1);
  console.log(`\n${key(size)}  (X ${((size.n * size.d * 4) / 2 ** 20).toFixed(0)} MiB; verified: ${o.verified.ok ? 'ok' : 'FAILED'}, max rel error ${o.verified.maxRelError.toExponential(1)})`);
  console.log('kernel            FLOPscope ms  GFLOP/s   numpy ms  GFLOP/s   ratio');
  const row = (label: string, flops: number, ourS: number, npS: number) =>
    console.log(`${label.padEnd(17)} ${ms(ourS).padStart(12)} ${gf(flops, ourS).padStart(8)} ${ms(npS).padStart(10)} ${gf(flops, npS).padStart(8)}   ${r2(npS, ourS)}`);
  row('recompute step', o.flops.recomputeStep, o.seconds.recomputeStep, p.recomputeStep.median);
  row('precompute(syrk)', o.flops.precompute, o.seconds.precompute, p.precompute.median);
  row('precompute(gemm)', o.flops.precompute, o.seconds.precompute, p.precomputeGemm.median);
  row('precompute step', o.flops.precomputeStep, o.seconds.precomputeStep, p.precomputeStep.median);
  const kOurs = measuredBreakEvenSteps(o.seconds);
  const kNp = measuredBreakEvenSteps({ recomputeStep: p.recomputeStep.median, precompute: p.precompute.median, precomputeStep: p.precomputeStep.median });
  const kNpGemm = measuredBreakEvenSteps({ recomputeStep: p.recomputeStep.median, precompute: p.precomputeGemm.median, precomputeStep: p.precomputeStep.median });
  console.log(`break-even steps: FLOPscope ${steps(kOurs)}, numpy ${steps(kNp)} (gemm XᵀX: ${steps(kNpGemm)})`);
  if (o.predicted) {
    const q = o.predicted;
    console.log(
      `predicted (roofline ${q.roofline.peakGflops} GFLOP/s, ${q.roofline.bandwidthGBs} GB/s): ${ms(q.seconds.recomputeStep)} / ${ms(q.seconds.precompute)} / ${ms(q.seconds.precomputeStep)} ms; ` +
        `break-even ${steps(q.breakEvenSteps.seconds ?? Number.NaN)} steps in time, ${steps(q.breakEvenSteps.flops)} in FLOPs`,
    );
  } else {
    console.log(`FLOP break-even (gd-cost): ${steps(flopBreakEvenSteps(size.n, size.d))} steps`);
  }
}
console.log('\n(GFLOP/s count gd-cost\'s FLOPs on both sides: 2nd² + 2nd for precompute, so numpy\'s SYRK row is an effective rate; it does ≈ half the work.)');
console.log(`\n(${loadAverage()} at end)`);

