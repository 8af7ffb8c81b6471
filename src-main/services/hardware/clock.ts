/**
 * Measured CPU clock (Node main process / CLI): how fast the cores actually tick while all of them
 * are busy, independent of what the OS or the hypervisor says (/proc/cpuinfo's `cpu MHz` under a
 * VM is the host's nominal clock, not the sustained one).
 *
 * Method: a chain of dependent 32-bit integer adds, `acc = acc + x` with `x` a runtime argument,
 * costs exactly one cycle per add on every x86 and Arm core of the last two decades (the ALU
 * latency of an integer add is 1 cycle: Agner Fog's instruction tables, uops.info). Each add needs
 * the previous result, so no out-of-order width, SMT sibling or second ALU can overlap them: a
 * chain of N adds takes N cycles, and clock GHz = adds / seconds / 1e9.
 * - The chain is WebAssembly, emitted as bytes below (after the encoder idea of
 *   src-main/services/bench/wasm-kernels.ts), so the JavaScript JIT cannot fold it: a loop whose
 *   body is `UNROLL` dependent `i32.add`s of the non-constant parameter `x` (V8 folds constant
 *   chains only), with the loop counter off the critical path.
 * - One worker thread per logical CPU runs it at once (a barrier starts their timed runs
 *   together), so the clock is the all-core one. Each worker calibrates itself (doubling the
 *   iteration count, which also lets V8 tier the function up from Liftoff to TurboFan), then times
 *   50 runs of ~2 ms and keeps its best; the result is the median of the workers' best. Short runs
 *   because a run that loses the CPU to another process counts the lost time as slow cycles: with
 *   another process busy on one of 2 vCPUs, 3 runs of 60 ms measured 1.5 GHz and 50 runs of 2 ms
 *   2.8 GHz, the single-thread figure (one of them fits between preemptions).
 * - A chain of dependent `i32.mul`s (3-cycle latency on every current x86 core) is exported too:
 *   `measureClock({ op: 'mul' })` must report about a third of the add figure, which checks that
 *   the add chain really runs at one add per cycle (see clock.test.ts and docs/hardware.md).
 *
 * The figure is a lower bound of the clock during the test (a descheduled worker only makes it
 * slower; it can never count more cycles than happened) and is the integer clock: heavy AVX-512
 * code may run some Intel cores a little slower (license-based downclocking).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { I32, section, str, uleb, vec } from '../../infra/wasm-binary.js';

/** Adds per loop iteration; the loop counter's decrement and branch run beside the chain. */
export const CHAIN_UNROLL = 128;

export type ChainOp = 'add' | 'mul';

/** Cycles per link of each chain (ALU latency; Agner Fog's instruction tables, uops.info). */
export const CHAIN_LATENCY: Readonly<Record<ChainOp, number>> = { add: 1, mul: 3 };

const OP = { localGet: 0x20, localSet: 0x21, localTee: 0x22, i32Const: 0x41, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Eqz: 0x45, block: 0x02, loop: 0x03, brIf: 0x0d, end: 0x0b, empty: 0x40 };

/**
 * `(iters: i32, x: i32) → i32`: acc = x; repeat iters times { acc = acc ∘ x, `unroll` times }.
 * params 0 iters, 1 x; local 2 acc. Returning acc keeps the chain live.
 */
function chainBody(opcode: number, unroll: number): number[] {
  const [ITERS, X, ACC] = [0, 1, 2];
  const b: number[] = [OP.localGet, X, OP.localSet, ACC];
  b.push(OP.block, OP.empty, OP.localGet, ITERS, OP.i32Eqz, OP.brIf, 0);
  b.push(OP.loop, OP.empty, OP.localGet, ACC);
  for (let i = 0; i < unroll; i++) b.push(OP.localGet, X, opcode);
  b.push(OP.localSet, ACC);
  b.push(OP.localGet, ITERS, OP.i32Const, 1, OP.i32Sub, OP.localTee, ITERS, OP.brIf, 0, OP.end, OP.end);
  b.push(OP.localGet, ACC, OP.end);
  return [...vec([[1, I32]]), ...b];
}

/** The module's bytes: exports `add` and `mul`, each a dependent chain of `unroll` ops per iteration. */
export function chainModuleBytes(unroll = CHAIN_UNROLL): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])];
  const types = section(1, vec([type]));
  const funcs = section(3, vec([[0], [0]]));
  const exports = section(7, vec([[...str('add'), 0x00, 0], [...str('mul'), 0x00, 1]]));
  const bodies = [chainBody(OP.i32Add, unroll), chainBody(OP.i32Mul, unroll)].map((body) => [...uleb(body.length), ...body]);
  const code = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...funcs, ...exports, ...code]);
}

// The worker is plain CommonJS evaluated from this string, so it needs no bundler entry or loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, op, x, targetMs, reps, threads, barrier, maxIters } = workerData;
const f = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports[op];
let sink = 0;
const time = (iters) => { const t0 = performance.now(); sink = (sink + f(iters, x)) | 0; return performance.now() - t0; };
// Calibrate twice: the first pass may run in V8's baseline tier until the function tiers up.
let iters = 256;
for (let pass = 0; pass < 2; pass++) {
  for (;;) {
    const ms = time(iters);
    if (ms >= targetMs / 4 || iters >= maxIters) { iters = Math.min(maxIters, Math.max(1, Math.round(iters * targetMs / Math.max(ms, 0.001)))); break; }
    iters = Math.min(maxIters, iters * 2);
  }
}
// Barrier: every worker starts its timed runs once all have calibrated (5 s at most).
const a = new Int32Array(barrier);
let seen = Atomics.add(a, 0, 1) + 1;
const deadline = Date.now() + 5000;
while (seen < threads && Date.now() < deadline) { Atomics.wait(a, 0, seen, 20); seen = Atomics.load(a, 0); }
Atomics.notify(a, 0);
let best = Infinity;
for (let r = 0; r < reps; r++) best = Math.min(best, time(iters));
parentPort.postMessage({ iters, bestMs: best, sink });
`;

export interface ClockOptions {
  /** Worker threads (default: one per logical CPU). */
  threads?: number;
  /** Length of one timed run per worker (default 2 ms). */
  targetMs?: number;
  /** Timed runs per worker; the best counts (default 50). */
  reps?: number;
  op?: ChainOp;
  /** Ops per loop iteration (default CHAIN_UNROLL). */
  unroll?: number;
}

export interface ClockMeasurement {
  /** Median over the workers of each one's best rate, in GHz (chain ops per ns × latency). */
  ghz: number;
  minGHz: number;
  maxGHz: number;
  threads: number;
  op: ChainOp;
  /** Chain ops in one timed run (median worker) and that run's best time. */
  ops: number;
  seconds: number;
  /** Wall time of the whole measurement, workers' start-up included. */
  elapsedMs: number;
}

interface WorkerReply { iters: number; bestMs: number; sink: number }

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the chain on `threads` workers at once and returns the clock it implies. Rejects if a worker fails. */
export async function measureClock(options: ClockOptions = {}): Promise<ClockMeasurement> {
  const started = performance.now();
  const threads = Math.max(1, Math.floor(options.threads ?? (os.availableParallelism?.() ?? os.cpus().length)));
  const op = options.op ?? 'add';
  const unroll = options.unroll ?? CHAIN_UNROLL;
  const bytes = chainModuleBytes(unroll);
  const barrier = new SharedArrayBuffer(4);
  const workerData = {
    bytes, op, x: 1 + (Date.now() & 1), targetMs: options.targetMs ?? 2, reps: options.reps ?? 50, threads, barrier,
    maxIters: 2 ** 30,
  };
  const workers: Worker[] = [];
  try {
    const replies = await Promise.all(
      Array.from({ length: threads }, () => {
        const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
        workers.push(w);
        return new Promise<WorkerReply>((resolve, reject) => {
          w.once('message', (m: WorkerReply) => resolve(m));
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`clock worker exited early (code ${code})`)));
        });
      }),
    );
    const latency = CHAIN_LATENCY[op];
    const rates = replies.map((r) => (r.iters * unroll * latency) / (r.bestMs / 1000) / 1e9);
    const mid = replies.map((r, i) => ({ r, g: rates[i]! })).sort((p, q) => p.g - q.g)[(threads - 1) >> 1]!.r;
    return {
      ghz: median(rates),
      minGHz: Math.min(...rates),
      maxGHz: Math.max(...rates),
      threads,
      op,
      ops: mid.iters * unroll,
      seconds: mid.bestMs / 1000,
      elapsedMs: performance.now() - started,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
  }
}

let cached: Promise<ClockMeasurement> | null = null;

/** `measureClock()` once per process (it costs ~0.2–0.4 s of every core); a failure is not cached. */
export function measuredClock(): Promise<ClockMeasurement> {
  cached ??= measureClock().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}
