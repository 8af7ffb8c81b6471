/**
 * Memory-bandwidth benchmark (Node main process / CLI; the work runs in worker threads).
 *
 * 1. STREAM copy / scale / add / triad over three float64 arrays in one shared WebAssembly memory,
 *    each thread on a contiguous slice (as OpenMP's static schedule does), best of `ntimes` with the
 *    first repetition discarded, bytes counted as STREAM counts them (accounting.ts).
 * 2. A read-bandwidth sweep over working sets from 16 KiB up to the STREAM arrays, repeating
 *    passes over small sets so each timing is long enough to trust. Read-only because the load
 *    bandwidth is what bandwidth-bound inference (GEMV over weights) consumes; per-level figures
 *    L1/L2/L3/DRAM are the median of the sweep inside each level (src-shared/bench/knees.ts).
 *
 * Timing: the coordinator stamps process.hrtime.bigint() just before releasing the barrier
 * (Atomics.notify) and each worker stamps its own finish; a command's time is last finish − start,
 * so every thread's work is inside it and the coordinator's own wake-up is not.
 */
import os from 'node:os';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { gbPerSecond, streamBytes, type StreamKernel } from '../../../src-shared/bench/accounting.js';
import { bandwidthLevels } from '../../../src-shared/bench/knees.js';
import { Arg, Ctrl, Op, STREAM_SCALAR, streamLayout, type MemoryWorkerData, type OpCode } from './memory-protocol.js';
import { abortError, checkpoint, type BenchReporter, type CacheSizes, type MemoryResult } from './types.js';
import { KERNEL_ALIGN, WAYS } from './wasm-kernels.js';
import { startWorker, stopWorker, whenReady } from '../../infra/worker-host.js';
import { formatBytes } from '../../../src-shared/hardware/format.js';

export interface MemoryOptions {
  quick: boolean;
  /** Worker threads; default all logical cores. */
  threads?: number;
  /** Detected cache sizes (HardwareReport.cpu.caches); any may be null. */
  caches?: CacheSizes;
  /** Total RAM for the array-size cap; default os.totalmem(). */
  totalMemoryBytes?: number;
  /** Bytes per STREAM array, overriding the plan (tests, peer comparisons). */
  arrayBytes?: number;
  /** STREAM repetitions; the first is discarded. Default 10, as STREAM. */
  ntimes?: number;
  /** Run the read sweep (default true). */
  sweep?: boolean;
  /** Largest sweep working set; default the array size (quick) or all three arrays (full). */
  sweepMaxBytes?: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
/** Three arrays must fit in one wasm32 memory (4 GiB) with room to spare. */
const WASM_ARRAY_CAP = 1 * GiB;
const QUICK_ARRAY_CAP = 256 * MiB;
/** LLC assumed when none was detected (for the 4× LLC rule). */
const FALLBACK_LLC = 64 * MiB;
/** No legitimate command comes near this (a 1 GiB triad on one slow core is a few seconds). */
const COMMAND_TIMEOUT_MS = 60_000;
/** Upper bound on sweep passes: the wasm parameter is an i32. */
const MAX_PASSES = 1 << 24;

/**
 * STREAM's rule is arrays of at least 4× the last-level cache so no kernel runs from cache. The
 * size is also capped: at 1/16 of RAM per array (three arrays stay under 1/5 of memory), at 1 GiB
 * (wasm32 memories are at most 4 GiB), and in quick mode at 256 MiB. VMs often report the whole
 * socket's L3 (508 MiB on a 2-vCPU EPYC guest) which would ask for 2 GiB per array.
 */
export function planArrayBytes(opts: { quick: boolean; l3Bytes: number | null; totalMemoryBytes: number; threads: number }): { bytes: number; note: string } {
  const want = 4 * (opts.l3Bytes ?? FALLBACK_LLC);
  const caps: [string, number][] = [
    ['4× LLC', want],
    ['1/16 of RAM', Math.floor(opts.totalMemoryBytes / 16)],
    ['the 1 GiB wasm32 limit', WASM_ARRAY_CAP],
  ];
  if (opts.quick) caps.push(['the quick-mode cap', QUICK_ARRAY_CAP]);
  const [why, raw] = caps.reduce((best, c) => (c[1] < best[1] ? c : best));
  const bytes = roundTo(raw, opts.threads * KERNEL_ALIGN);
  const llc = opts.l3Bytes === null ? `an assumed ${formatBytes(FALLBACK_LLC)} LLC` : `the reported ${formatBytes(opts.l3Bytes)} LLC`;
  const note =
    `STREAM arrays: ${formatBytes(bytes)} each (×3), set by ${why}` +
    (bytes < want ? `; below 4× ${llc}, so if that cache is real, part of the traffic may hit it` : '');
  return { bytes, note };
}

function roundTo(v: number, unit: number): number {
  return Math.max(unit, Math.floor(v / unit) * unit);
}


type WaitAsync = (view: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: Promise<string> | string };

// Atomics.waitAsync (Node 16+) is in lib es2024, newer than the ES2023 lib this project targets.
declare global {
  interface Atomics {
    waitAsync: WaitAsync;
  }
}

/** The worker threads plus the control block they share. */
class Team {
  private readonly ctrl: Int32Array;
  private readonly args: Float64Array;
  private readonly ends: BigInt64Array;
  private failure: Promise<never>;
  private fail!: (err: Error) => void;
  private closed = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly signal: AbortSignal,
    shared: { ctrl: SharedArrayBuffer; args: SharedArrayBuffer; ends: SharedArrayBuffer },
  ) {
    this.ctrl = new Int32Array(shared.ctrl);
    this.args = new Float64Array(shared.args);
    this.ends = new BigInt64Array(shared.ends);
    this.failure = new Promise<never>((_, reject) => (this.fail = reject));
    this.failure.catch(() => {}); // observed by command(); avoid an unhandled rejection meanwhile
    for (const w of workers) {
      w.on('error', this.onError);
      w.on('exit', this.onExit);
    }
    signal.addEventListener('abort', this.onAbort);
  }

  private readonly onAbort = () => this.fail(abortError());
  private readonly onError = (err: Error) => this.fail(err);
  private readonly onExit = (code: number) => this.fail(new Error(`memory worker exited (code ${code})`));

  static async start(threads: number, arrayBytes: number, signal: AbortSignal): Promise<Team> {
    const shared = {
      ctrl: new SharedArrayBuffer(Ctrl.LENGTH * 4),
      args: new SharedArrayBuffer(Arg.LENGTH * 8),
      ends: new SharedArrayBuffer(threads * 8),
    };
    const sums = new SharedArrayBuffer(threads * 8);
    // Worker 0 creates the memory and sends it to each other worker over its own channel, so this
    // (long-lived) thread never references it; see memory-protocol.ts.
    const layout = streamLayout(arrayBytes, threads, KERNEL_ALIGN, WAYS);
    const maxPages = Math.ceil(layout.totalBytes / 65536);
    const channels = Array.from({ length: threads - 1 }, () => new MessageChannel());
    const workers: Worker[] = [];
    try {
      for (let id = 0; id < threads; id++) {
        const memoryPorts: MessagePort[] = id === 0 ? channels.map((ch) => ch.port1) : [channels[id - 1]!.port2];
        const data: MemoryWorkerData = {
          id, threads, maxPages, memoryPorts, layout, ...shared, sums,
        };
        workers.push(startWorker(new URL('./memory.worker.ts', import.meta.url), data, memoryPorts));
      }
      await Promise.all(workers.map(whenReady));
    } catch (err) {
      await Promise.all(workers.map(stopWorker));
      throw err;
    }
    return new Team(workers, signal, shared);
  }

  /** Runs one command on every thread and returns its wall time in seconds. */
  async command(op: OpCode, args: { size?: number; passes?: number; active?: number } = {}): Promise<number> {
    const { ctrl } = this;
    this.args[Arg.SIZE] = args.size ?? 0;
    this.args[Arg.PASSES] = args.passes ?? 1;
    this.args[Arg.ACTIVE] = args.active ?? 0;
    this.args[Arg.SCALAR] = STREAM_SCALAR;
    Atomics.store(ctrl, Ctrl.DONE, 0);
    Atomics.store(ctrl, Ctrl.OP, op);
    const start = process.hrtime.bigint();
    Atomics.add(ctrl, Ctrl.GEN, 1);
    Atomics.notify(ctrl, Ctrl.GEN);
    let watchdog: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      watchdog = setTimeout(() => reject(new Error(`a memory kernel did not finish within ${COMMAND_TIMEOUT_MS / 1000} s`)), COMMAND_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.allDone(), this.failure, stuck]);
    } finally {
      clearTimeout(watchdog);
    }
    const failed = Atomics.load(ctrl, Ctrl.FAILED);
    if (failed === 2) throw new Error('STREAM validation failed: the arrays do not hold the expected values');
    if (failed !== 0) throw new Error('a memory kernel failed in a worker');
    let end = start;
    for (const e of this.ends) if (e > end) end = e;
    return Number(end - start) / 1e9;
  }

  private async allDone(): Promise<void> {
    const waitAsync = Atomics.waitAsync;
    while (!this.closed) {
      const done = Atomics.load(this.ctrl, Ctrl.DONE);
      if (done >= this.workers.length) return;
      // Waiting asynchronously keeps the main thread's event loop (IPC, cancel) running. The 1 s
      // timeout only bounds the life of a wait whose workers were terminated (abort).
      const r = waitAsync(this.ctrl, Ctrl.DONE, done, 1000);
      if (r.async) await r.value;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.signal.removeEventListener('abort', this.onAbort);
    for (const w of this.workers) {
      w.off('exit', this.onExit);
      w.off('error', this.onError);
    }
    Atomics.store(this.ctrl, Ctrl.OP, Op.EXIT);
    Atomics.add(this.ctrl, Ctrl.GEN, 1);
    Atomics.notify(this.ctrl, Ctrl.GEN);
    // terminate() also stops a worker still inside a kernel (after an abort).
    await Promise.all(this.workers.map(stopWorker));
  }
}

/** Sweep sizes: geometric from 16 KiB, `perOctave` points per doubling, multiples of `unit`. */
export function sweepSizes(maxBytes: number, perOctave: number, unit: number, minBytes = 16 * KiB): number[] {
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const raw = minBytes * 2 ** (i / perOctave);
    if (raw > maxBytes * 1.0001) break;
    const size = roundTo(raw, unit);
    if (out[out.length - 1] !== size) out.push(size);
  }
  return out;
}

export async function runMemory(options: MemoryOptions, reporter: BenchReporter): Promise<MemoryResult> {
  const { signal } = reporter;
  await checkpoint(signal);
  const threads = Math.max(1, Math.floor(options.threads ?? os.availableParallelism()));
  const caches: CacheSizes = options.caches ?? { l1dBytes: null, l2Bytes: null, l3Bytes: null };
  const ntimes = Math.max(2, options.ntimes ?? 10);
  const unit = threads * KERNEL_ALIGN;
  let arrayBytes: number;
  if (options.arrayBytes !== undefined) {
    arrayBytes = roundTo(options.arrayBytes, unit);
    reporter.log(`STREAM arrays: ${formatBytes(arrayBytes)} each (×3), as requested`);
  } else {
    const plan = planArrayBytes({ quick: options.quick, l3Bytes: caches.l3Bytes, totalMemoryBytes: options.totalMemoryBytes ?? os.totalmem(), threads });
    arrayBytes = plan.bytes;
    reporter.log(plan.note);
  }
  reporter.progress('memory: start workers', 0, 1);
  const team = await Team.start(threads, arrayBytes, signal);
  try {
    // First touch by the owning thread: page faults (and NUMA placement) happen here, not in a timing.
    await team.command(Op.INIT);
    await checkpoint(signal);

    const kernels: [StreamKernel, OpCode][] = [['copy', Op.COPY], ['scale', Op.SCALE], ['add', Op.ADD], ['triad', Op.TRIAD]];
    const best: Record<StreamKernel, number> = { copy: Infinity, scale: Infinity, add: Infinity, triad: Infinity };
    const elements = arrayBytes / 8;
    for (let k = 0; k < ntimes; k++) {
      reporter.progress('memory: STREAM', k, ntimes);
      for (const [name, op] of kernels) {
        const t = await team.command(op);
        // STREAM reports the best time and ignores the first iteration (cold TLBs, tier-up).
        if (k > 0) best[name] = Math.min(best[name], t);
        await checkpoint(signal);
      }
    }
    reporter.progress('memory: STREAM', ntimes, ntimes);
    // As STREAM does: the arrays must hold what ntimes iterations compute (each worker checks its slice).
    await team.command(Op.VALIDATE, { passes: ntimes });
    const gbs = (name: StreamKernel) => gbPerSecond(streamBytes(name, elements), best[name]);
    const result: MemoryResult = {
      threads,
      arrayBytes,
      copyGBs: gbs('copy'),
      scaleGBs: gbs('scale'),
      addGBs: gbs('add'),
      triadGBs: gbs('triad'),
      levels: [],
      sweep: [],
    };
    reporter.log(
      `STREAM (${threads} thread${threads > 1 ? 's' : ''}, best of ${ntimes - 1}): copy ${result.copyGBs.toFixed(1)}, scale ${result.scaleGBs.toFixed(1)}, ` +
        `add ${result.addGBs.toFixed(1)}, triad ${result.triadGBs.toFixed(1)} GB/s`,
    );

    if (options.sweep !== false) {
      const maxBytes = Math.min(options.sweepMaxBytes ?? (options.quick ? arrayBytes : 3 * arrayBytes), 3 * arrayBytes);
      const plan = {
        sizes: sweepSizes(maxBytes, options.quick ? 2 : 4, unit, Math.max(16 * KiB, unit)),
        targetSeconds: options.quick ? 0.004 : 0.01,
        repeats: options.quick ? 3 : 5,
      };
      result.sweep = await readSweep(team, plan, reporter);
      // The same sweep with one thread reading: what a single-threaded runtime (llama.cpp on one
      // core) can stream, which is not the all-thread figure divided by the threads (one core of
      // the Zen 5 VM of bench/hosts.md read a 200 MB set at well under half the two-core rate).
      if (threads > 1) result.singleThreadSweep = await readSweep(team, plan, reporter, 1);
      // Private caches add up across threads; the L3 is taken as shared.
      const scaled = {
        l1dBytes: caches.l1dBytes === null ? null : caches.l1dBytes * threads,
        l2Bytes: caches.l2Bytes === null ? null : caches.l2Bytes * threads,
        l3Bytes: caches.l3Bytes,
      };
      const lv = bandwidthLevels(result.sweep, scaled);
      for (const b of lv.boundaries) if (b.note) reporter.log(b.note, 'warn');
      result.levels = lv.levels;
      reporter.log(`read bandwidth by level: ${lv.levels.map((l) => `${l.name} ${l.GBs.toFixed(1)} GB/s`).join(', ') || 'none resolved'}`);
    }
    return result;
  } finally {
    await team.close();
  }
}

async function readSweep(
  team: Team,
  plan: { sizes: number[]; targetSeconds: number; repeats: number },
  reporter: BenchReporter,
  active?: number,
): Promise<{ bytes: number; GBs: number }[]> {
  const { sizes } = plan;
  const total = sizes.length * (plan.repeats + 1);
  const phase = active === 1 ? 'memory: bandwidth sweep, 1 thread' : 'memory: bandwidth sweep';
  const read = (size: number, passes: number) => team.command(Op.READ, { size, passes, ...(active ? { active } : {}) });
  let done = 0;
  // Calibrate each size: an untimed run loads the set into cache (in-cache sizes) and sets the
  // pass count so one timing lasts `targetSeconds`, long against the ~µs barrier and timer costs.
  const passes: number[] = [];
  for (const size of sizes) {
    reporter.progress(phase, done++, total);
    await checkpoint(reporter.signal);
    const p0 = Math.max(1, Math.floor((4 * MiB) / size));
    const t0 = await read(size, p0);
    passes.push(Math.min(MAX_PASSES, Math.max(1, Math.ceil((p0 * plan.targetSeconds) / Math.max(t0, 1e-6)))));
  }
  // Repeats go round the whole list rather than back to back: a burst of load from another
  // process then spoils one timing of many sizes instead of every timing of one size, and the best
  // of each size survives. A warm-up pass before each timing reloads in-cache sets.
  const best = sizes.map(() => Infinity);
  for (let r = 0; r < plan.repeats; r++) {
    for (const [i, size] of sizes.entries()) {
      reporter.progress(phase, done++, total);
      await checkpoint(reporter.signal);
      if (size <= 64 * MiB) await read(size, 1);
      best[i] = Math.min(best[i]!, await read(size, passes[i]!));
    }
  }
  reporter.progress(phase, total, total);
  return sizes.map((size, i) => ({ bytes: size, GBs: gbPerSecond(size * passes[i]!, best[i]!) }));
}
