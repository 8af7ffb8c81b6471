/**
 * Peer check: FLOPscope's fp32 GEMM (ONNX Runtime MatMul, src-main/services/bench/gemm.ts)
 * against numpy's `a @ b` (OpenBLAS) at the same sizes and thread count, in the same run.
 *
 *   npx tsx bench/gemm-vs-numpy.ts [--threads N] [--sizes 2048,4096] [--rounds 3]
 *
 * Rounds alternate the two sides so drifting background load hits both. Each side reports the
 * median and best time per product over ≥ 5 runs and ≥ 1 s; the table shows, per size, the best
 * round of each (max over rounds of the median GFLOP/s) and the ratio. numpy runs with
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed (this environment sets them to values that slow
 * OpenBLAS down) and OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = threads.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runGemm } from '../src-main/services/bench/gemm.js';
import { consoleReporter, detectedMachine, waitForQuiet, f1, loadAverage, ratio } from './common.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: String(os.availableParallelism()) },
    sizes: { type: 'string', default: '2048,4096' },
    rounds: { type: 'string', default: '3' },
    python: { type: 'string', default: 'python3' },
  },
});
const threads = Number(values.threads);
const sizes = values.sizes.split(',').map(Number);
const rounds = Number(values.rounds);

// The same protocol as gemm.ts: one warm-up, then ≥ 5 timed runs and ≥ 1 s; median and best.
const NUMPY = `
import json, sys, time
import numpy as np
n = int(sys.argv[1])
rng = np.random.default_rng(0)
a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
b = (rng.uniform(-1, 1, (n, n)) * (3.0 / n) ** 0.5).astype(np.float32)
a @ b
times = []
while len(times) < 5 or sum(times) < 1.0:
    t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"median": times[len(times) // 2], "best": times[0], "runs": len(times)}))
`;

function numpy(n: number): { median: number; best: number } {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const out = execFileSync(values.python, ['-c', NUMPY, String(n)], { env, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { median: number; best: number };
}

async function ours(n: number): Promise<{ median: number; best: number }> {
  const res = await runGemm(
    { quick: false, dtypes: ['fp32'], shapes: [{ m: n, n, k: n }], threadCounts: [threads], minRepeats: 5, minSeconds: 1 },
    consoleReporter(false),
  );
  const p = res.results[0]!;
  return { median: p.medianSeconds, best: p.bestSeconds };
}

const gf = (n: number, s: number) => (2 * n ** 3) / s / 1e9;
const versions = execFileSync(values.python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).trim();
console.log(`fp32 GEMM, ${threads} thread(s), ${rounds} rounds; numpy ${versions}; ${loadAverage()} at start`);
const best: Record<number, { ours: number[]; numpy: number[]; oursBest: number[]; numpyBest: number[] }> = {};
for (let r = 0; r < rounds; r++) {
  for (const n of sizes) {
    const b = (best[n] ??= { ours: [], numpy: [], oursBest: [], numpyBest: [] });
    const busy = await waitForQuiet();
    const o = await ours(n);
    const p = numpy(n);
    b.ours.push(gf(n, o.median));
    b.oursBest.push(gf(n, o.best));
    b.numpy.push(gf(n, p.median));
    b.numpyBest.push(gf(n, p.best));
    console.log(`  round ${r + 1} ${n}³: FLOPscope ${f1(gf(n, o.median))}  numpy ${f1(gf(n, p.median))} GFLOP/s (medians; CPU ${busy === null ? '?' : Math.round(busy * 100)}% busy before)`);
  }
}
console.log(`\n${(await detectedMachine()).host}`);
console.log('size   FLOPscope  numpy   ratio   | best-run ratio');
for (const n of sizes) {
  const b = best[n]!;
  const [o, p] = [Math.max(...b.ours), Math.max(...b.numpy)];
  const [ob, pb] = [Math.max(...b.oursBest), Math.max(...b.numpyBest)];
  console.log(`${String(n).padEnd(6)} ${f1(o).padStart(9)} ${f1(p).padStart(7)}   ${ratio(o, p)}    | ${ratio(ob, pb)}  (${f1(ob)} vs ${f1(pb)})`);
}
console.log(`(GFLOP/s = 2n³ / median time per product; best round of ${rounds} for each side; target ratio ≥ 0.90; ${loadAverage()} at end)`);
