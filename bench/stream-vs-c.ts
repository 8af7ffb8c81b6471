/**
 * Peer check: FLOPscope's STREAM kernels (wasm SIMD in worker threads,
 * src-main/services/bench/memory.ts) against bench/stream.c compiled with
 * `gcc -O3 -march=native -fopenmp`, same array size, same thread counts, same run.
 *
 *   npx tsx bench/stream-vs-c.ts [--array-mib N] [--rounds 3] [--threads 1,2]
 *
 * The array size defaults to the memory benchmark's full-mode plan for this machine (4× LLC,
 * capped; printed). Rounds alternate C and FLOPscope; each side's figure is its best round
 * (STREAM itself reports best-of-10 per kernel). Target: triad ratio ≥ 0.90.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { planArrayBytes, runMemory } from '../src-main/services/bench/memory.js';
import { consoleReporter, waitForQuiet, detectedMachine, f1, loadAverage, ratio } from './common.js';

const { values } = parseArgs({
  options: {
    'array-mib': { type: 'string' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string' },
  },
});
const machine = await detectedMachine();
const all = os.availableParallelism();
const threadCounts = values.threads ? values.threads.split(',').map(Number) : [...new Set([1, all])];
const rounds = Number(values.rounds);
// One size for every thread count: a multiple of 256 B × each thread count.
const grain = threadCounts.reduce((a, t) => a * t, 256);
let arrayBytes: number;
if (values['array-mib']) {
  arrayBytes = Math.floor((Number(values['array-mib']) * 2 ** 20) / grain) * grain;
} else {
  const plan = planArrayBytes({ quick: false, l3Bytes: machine.caches.l3Bytes, totalMemoryBytes: machine.totalMemoryBytes, threads: 1 });
  arrayBytes = Math.floor(plan.bytes / grain) * grain;
  console.log(plan.note);
}
const n = arrayBytes / 8;

const dir = mkdtempSync(path.join(os.tmpdir(), 'flopscope-stream-'));
const exe = path.join(dir, 'stream');
try {
  execFileSync('gcc', ['-O3', '-march=native', '-fopenmp', fileURLToPath(new URL('./stream.c', import.meta.url)), '-o', exe], { stdio: 'inherit' });
  console.log(`${machine.cpu}; arrays ${f1(arrayBytes / 2 ** 20)} MiB each (n = ${n}); ${loadAverage()} at start`);
  type K = 'copy' | 'scale' | 'add' | 'triad';
  const kernels: K[] = ['copy', 'scale', 'add', 'triad'];
  for (const threads of threadCounts) {
    const c: Record<K, number> = { copy: 0, scale: 0, add: 0, triad: 0 };
    const ours: Record<K, number> = { copy: 0, scale: 0, add: 0, triad: 0 };
    for (let r = 0; r < rounds; r++) {
      const busy = await waitForQuiet();
      const out = execFileSync(exe, [String(n), '10'], { env: { ...process.env, OMP_NUM_THREADS: String(threads), OMP_PROC_BIND: 'false' }, encoding: 'utf8' });
      const cr = JSON.parse(out) as Record<K, number>;
      const res = await runMemory({ quick: false, threads, arrayBytes, ntimes: 10, sweep: false, caches: machine.caches }, consoleReporter(false));
      const or: Record<K, number> = { copy: res.copyGBs, scale: res.scaleGBs, add: res.addGBs, triad: res.triadGBs };
      for (const k of kernels) {
        c[k] = Math.max(c[k], cr[k]);
        ours[k] = Math.max(ours[k], or[k]);
      }
      console.log(`  ${threads} thread(s) round ${r + 1}: triad C ${f1(cr.triad)}  FLOPscope ${f1(or.triad)} GB/s (CPU ${busy === null ? '?' : Math.round(busy * 100)}% busy before)`);
    }
    console.log(`\n${machine.host}\n${threads} thread(s)   C (GB/s)  FLOPscope  ratio`);
    for (const k of kernels) console.log(`  ${k.padEnd(6)} ${f1(c[k]).padStart(10)} ${f1(ours[k]).padStart(10)}   ${ratio(ours[k], c[k])}`);
    console.log('');
  }
  console.log(`(best round of ${rounds} per side; STREAM byte counting, 1 GB = 1e9 B; target triad ratio ≥ 0.90; ${loadAverage()} at end)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
