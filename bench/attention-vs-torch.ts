/**
 * Peer check: full (non-causal) attention, the core of one layer without projections, timed
 * through ONNX Runtime as FLOPscope measures it (src-main/services/attention/measure-attention.ts)
 * against a plain numpy implementation of torch's math SDPA path (python3 + numpy; torch itself is
 * not installed here), at the same sizes and thread count, in the same run:
 *
 *   numpy:  S = (Q @ K.swapaxes(-1, -2)) * (1/√d);  P = softmax(S, −1) (max-subtracted, in place);
 *           O = P @ V            — batched matmuls (OpenBLAS SGEMM per (b, h)), fp32
 *   ORT:    FusedMatMul(Q, Kᵀ, alpha = 1/√d) → Softmax → MatMul (the graph of attention-graphs.ts)
 *
 *   npx tsx bench/attention-vs-torch.ts [--threads N] [--seqs 512,1024,2048] [--heads 12] [--dim 64]
 *                                       [--batch 1] [--rounds 3] [--window 256]
 *
 * With --window W it also times sliding-window attention both ways: ORT's banded graph, and numpy
 * over the same chunks (Q [B,H,M,c,d] against the gathered [B,H,M,3c,d] keys with the same mask),
 * so the comparison is kernel against kernel, not algorithm against algorithm.
 *
 * Protocol as bench/linreg-vs-numpy.ts: ORT verifies its first run against a float64 JS reference,
 * one more warm-up, then ≥ 5 timed runs and ≥ 1 s, median; numpy one warm-up then the same rule.
 * Rounds alternate the sides and each keeps its best round (lowest median). numpy runs without
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE and with OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = threads.
 * GFLOP/s count 4·B·H·N²·d (full) or 12·B·H·N·c·d (sliding, c = W/2) on both sides; ratio =
 * numpy time / FLOPscope time (≥ 1: FLOPscope at least as fast).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { graphAttentionFlops, type AttentionGraphSpec } from '../src-main/services/attention/attention-graphs.js';
import { measureAttention, type AttentionMeasurement } from '../src-main/services/attention/measure-attention.js';
import { loadAverage, waitForQuiet } from './common.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: String(os.availableParallelism()) },
    seqs: { type: 'string', default: '512,1024,2048' },
    heads: { type: 'string', default: '12' },
    dim: { type: 'string', default: '64' },
    batch: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    window: { type: 'string' },
    python: { type: 'string', default: 'python3' },
  },
});
const threads = Number(values.threads);
const rounds = Number(values.rounds);
const heads = Number(values.heads);
const headDim = Number(values.dim);
const batch = Number(values.batch);
const seqs = values.seqs.split(',').map(Number);
const window = values.window === undefined ? undefined : Number(values.window);

const NUMPY = `
import json, sys, time
import numpy as np
kind, b, h, n, d, w, min_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
rng = np.random.default_rng(1)
Q = rng.uniform(-1, 1, (b, h, n, d)).astype(np.float32)
K = rng.uniform(-1, 1, (b, h, n, d)).astype(np.float32)
V = rng.uniform(-1, 1, (b, h, n, d)).astype(np.float32)
scale = np.float32(1 / np.sqrt(d))
def softmax_(s):
    s -= s.max(axis=-1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=-1, keepdims=True)
    return s
def full():
    return softmax_((Q @ K.swapaxes(-1, -2)) * scale) @ V
if kind == 'sliding':
    c = w // 2
    m = n // c
    idx = np.array([[max(0, i - 1), i, min(m - 1, i + 1)] for i in range(m)])
    p = np.arange(c)[:, None]; q = np.arange(3 * c)[None, :]
    band = np.where((q < p) | (q > p + 2 * c), -np.inf, 0).astype(np.float32)
    edge = np.zeros((m, 1, 3 * c), np.float32); edge[0, 0, :c] = -np.inf; edge[-1, 0, 2 * c:] = -np.inf
    mask = band[None] + edge
def sliding():
    Qc = Q.reshape(b, h, m, c, d)
    Kx = K.reshape(b, h, m, c, d)[:, :, idx].reshape(b, h, m, 3 * c, d)
    Vx = V.reshape(b, h, m, c, d)[:, :, idx].reshape(b, h, m, 3 * c, d)
    s = (Qc @ Kx.swapaxes(-1, -2)) * scale
    s += mask
    return (softmax_(s) @ Vx).reshape(b, h, n, d)
f = full if kind == 'full' else sliding
f()
times = []
while len(times) < 5 or sum(times) < min_s:
    t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
times.sort()
k = len(times)
print(json.dumps({"median": times[k // 2] if k % 2 else (times[k // 2 - 1] + times[k // 2]) / 2, "best": times[0], "runs": k}))
`;

interface Timing {
  median: number;
  best: number;
  runs: number;
}

function numpy(spec: AttentionGraphSpec): Timing {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = [spec.kind, spec.batch, spec.heads, spec.seq, spec.headDim, spec.window ?? 0, 1.0].map(String);
  const out = execFileSync(values.python, ['-c', NUMPY, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Timing;
}

async function ours(spec: AttentionGraphSpec): Promise<AttentionMeasurement> {
  return measureAttention({ ...spec, threads, minRepeats: 5, minSeconds: 1 });
}

const ms = (s: number) => (s * 1e3 >= 100 ? (s * 1e3).toFixed(1) : (s * 1e3).toPrecision(3));
const label = (s: AttentionGraphSpec) => `${s.kind === 'sliding' ? `sliding:${s.window}` : 'full'} N=${s.seq}`;

const specs: AttentionGraphSpec[] = [];
for (const seq of seqs) {
  specs.push({ kind: 'full', batch, heads, seq, headDim });
  if (window !== undefined) specs.push({ kind: 'sliding', window, batch, heads, seq, headDim });
}

const version = execFileSync(values.python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).trim();
console.log(`attention core (fp32), B=${batch} H=${heads} d=${headDim}, ${threads} thread(s), ${rounds} round(s); numpy ${version}; ${loadAverage()} at start`);

const best = new Map<string, { ours: AttentionMeasurement | null; numpy: Timing | null }>();
for (let r = 0; r < rounds; r++) {
  for (const spec of specs) {
    const b = best.get(label(spec)) ?? { ours: null, numpy: null };
    best.set(label(spec), b);
    const busy = await waitForQuiet();
    const o = await ours(spec);
    if (!o.verified.ok) console.log(`  warn: ORT output failed verification at ${label(spec)} (max abs error ${o.verified.maxAbsError.toExponential(2)})`);
    const p = numpy(spec);
    if (!b.ours || o.seconds < b.ours.seconds) b.ours = o;
    if (!b.numpy || p.median < b.numpy.median) b.numpy = p;
    console.log(`  round ${r + 1} ${label(spec)}: FLOPscope ${ms(o.seconds)} ms, numpy ${ms(p.median)} ms (CPU ${busy === null ? '?' : Math.round(busy * 100)}% busy before)`);
  }
}

console.log('\nmedian ms per call, best round of each side; ratio = numpy / FLOPscope (≥ 1: FLOPscope as fast or faster)');
console.log('variant              FLOPscope ms  GFLOP/s   numpy ms  GFLOP/s   ratio   est. peak MiB  RSS Δ MiB');
for (const spec of specs) {
  const b = best.get(label(spec))!;
  const o = b.ours!;
  const p = b.numpy!;
  const flops = graphAttentionFlops(spec);
  const gf = (s: number) => (flops / s / 1e9).toFixed(1);
  const mib = (x: number) => (x / 2 ** 20).toFixed(0);
  console.log(
    `${label(spec).padEnd(20)} ${ms(o.seconds).padStart(12)} ${gf(o.seconds).padStart(8)} ${ms(p.median).padStart(10)} ${gf(p.median).padStart(8)}   ${(p.median / o.seconds).toFixed(2)}` +
      `   ${mib(o.peakBytes).padStart(13)}  ${mib(o.rssDeltaBytes).padStart(9)}`,
  );
}
console.log(`\n(${loadAverage()} at end)`);
