/**
 * Latency-ladder worker (worker thread): builds a random single-cycle pointer ring over a working
 * set and times a dependent chase through it, one size per request. Runs off the main thread so
 * the chase (up to ~100 ms per timing) never blocks IPC or cancellation; the coordinator
 * terminates it to cancel.
 *
 * Protocol: receives { type: 'measure', bytes, targetSeconds, repeats }, answers
 * { type: 'point', bytes, ns } (the minimum over repeats of ns per dependent load).
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface LatencyWorkerData {
  /** Largest working set that will be requested; the buffer is allocated once at this size. */
  maxBytes: number;
  seed: number;
}
export type LatencyRequest = { type: 'measure'; bytes: number; targetSeconds: number; repeats: number };
export type LatencyReply = { type: 'point'; bytes: number; ns: number } | { type: 'ready' };

/** One node per 64-byte line: a u32 next-pointer every 16 u32s defeats spatial locality. */
const LINE_U32 = 16;

/**
 * Sets up to this size get a buffer of their own; larger ones share one buffer of `maxBytes`
 * (allocated once, so the big sizes do not churn gigabytes). Why not share it for all: on the Zen 5
 * guest, rings of 3–12 pages carved from the start of a huge fresh mapping chased at 2–3 ns while
 * the same rings in their own small allocation ran at the L1's 1.5 ns, reproducibly — an address
 * effect (e.g. the L1's way predictor), not the cache's latency.
 */
const OWN_BUFFER_BYTES = 4 * 1024 * 1024;

const data = workerData as LatencyWorkerData;
const big = data.maxBytes > OWN_BUFFER_BYTES ? new Uint32Array(Math.ceil(data.maxBytes / 4 / LINE_U32) * LINE_U32) : null;
let ring = new Uint32Array(LINE_U32 * 64);
let state = data.seed >>> 0 || 1;

/** xorshift32: fast, deterministic, good enough to shuffle. */
function rand(): number {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state;
}

/**
 * Links the first `lines` nodes into one cycle in random order. Sattolo's algorithm (a
 * Fisher-Yates variant drawing j < i) yields a uniformly random cyclic permutation, so the chase
 * visits every line exactly once per lap; plain Fisher-Yates could leave short cycles and shrink
 * the effective working set.
 */
function buildRing(lines: number): void {
  const perm = new Uint32Array(lines);
  for (let i = 0; i < lines; i++) perm[i] = i;
  for (let i = lines - 1; i > 0; i--) {
    const j = rand() % i;
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  // Node i points to node perm[i]; store the element index so the chase needs no multiply.
  for (let i = 0; i < lines; i++) ring[i * LINE_U32] = perm[i]! * LINE_U32;
}

/** The measured loop: each load's address is the previous load's value, so loads cannot overlap. */
function chase(steps: number, start: number): number {
  let p = start;
  for (let i = 0; i < steps; i += 16) {
    p = ring[p]!; p = ring[p]!; p = ring[p]!; p = ring[p]!;
    p = ring[p]!; p = ring[p]!; p = ring[p]!; p = ring[p]!;
    p = ring[p]!; p = ring[p]!; p = ring[p]!; p = ring[p]!;
    p = ring[p]!; p = ring[p]!; p = ring[p]!; p = ring[p]!;
  }
  return p;
}

function seconds(steps: number, start: number): [number, number] {
  const t0 = process.hrtime.bigint();
  const end = chase(steps, start);
  return [Number(process.hrtime.bigint() - t0) / 1e9, end];
}

function measure(req: LatencyRequest): number {
  const lines = Math.max(2, Math.floor(req.bytes / 64));
  ring = big && req.bytes > OWN_BUFFER_BYTES ? big : new Uint32Array(lines * LINE_U32);
  buildRing(lines);
  // One full lap (at least 64K steps) before timing: loads the set into the caches and the TLB and
  // gives the JIT a hot loop; the timing then sees the steady state.
  let [t, p] = seconds(Math.max(lines, 1 << 16), 0);
  // Calibrate: ~targetSeconds per timing, far above the ~100 ns cost of reading the clock.
  [t, p] = seconds(1 << 16, p);
  const steps = Math.max(1 << 16, Math.ceil(((1 << 16) * req.targetSeconds) / Math.max(t, 1e-6) / 16) * 16);
  let best = Infinity;
  for (let r = 0; r < req.repeats; r++) {
    [t, p] = seconds(steps, p);
    // Minimum over repeats: interference (other processes, interrupts) only ever adds time.
    best = Math.min(best, t);
  }
  if (p >= ring.length) throw new Error('pointer ring corrupted');
  return (best * 1e9) / steps;
}

// JIT warm-up on a small ring so the first real size is timed in optimized code.
buildRing(64);
for (let i = 0; i < 20; i++) chase(1 << 14, 0);

parentPort!.on('message', (req: LatencyRequest) => {
  if (req.type !== 'measure') return;
  parentPort!.postMessage({ type: 'point', bytes: req.bytes, ns: measure(req) } satisfies LatencyReply);
});
parentPort!.postMessage({ type: 'ready' } satisfies LatencyReply);
