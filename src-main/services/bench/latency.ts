/**
 * Memory latency ladder (Node main process / CLI; the chase runs in latency.worker.ts).
 * Dependent pointer chasing over a random single-cycle ring, one node per 64-byte line, for
 * working sets from 4 KiB up to past the last-level cache; ns per load against size, then knee
 * detection (src-shared/bench/knees.ts) maps the plateaus to L1 / L2 / L3 / DRAM.
 *
 * The ring uses 4 KiB pages (JS cannot ask for huge pages), so past the TLB's reach every load
 * also pays a page walk, as a random-access program without huge pages would: the L3 and DRAM
 * plateaus include that cost.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { latencyLevels } from '../../../src-shared/bench/knees.js';
import type { LatencyReply, LatencyRequest, LatencyWorkerData } from './latency.worker.js';
import { abortError, checkpoint, type BenchReporter, type CacheSizes, type LatencyResult } from './types.js';
import { startWorker, stopWorker, whenReady } from '../../infra/worker-host.js';
import { formatBytes } from '../../../src-shared/hardware/format.js';

export interface LatencyOptions {
  quick: boolean;
  /** Detected cache sizes (HardwareReport.cpu.caches); any may be null. */
  caches?: CacheSizes;
  /** Total RAM for the size cap; default os.totalmem(). */
  totalMemoryBytes?: number;
  /** Override the largest working set (tests). */
  maxBytes?: number;
  /** Smallest working set; default 4 KiB. */
  minBytes?: number;
  /** Sizes per doubling; default 2 (quick) or 4. */
  pointsPerOctave?: number;
  /**
   * Seconds per timing; default 3 ms (quick) or 5 ms. Short timings, many of them: on a shared
   * machine a timing that spans a scheduler slice of another process is inflated, and the minimum
   * over many short timings is likely to contain one that was not preempted.
   */
  targetSeconds?: number;
  /** Timings per size (minimum kept); default 7 (quick) or 11. */
  repeats?: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const FALLBACK_LLC = 64 * MiB;

/**
 * Largest working set: 4× the LLC so the last plateau is DRAM, capped at 1/16 of RAM and 1 GiB
 * (the ring build is O(n) random writes: ~2 s per GiB), and in quick mode at 256 MiB.
 */
export function planLatencyMax(opts: { quick: boolean; l3Bytes: number | null; totalMemoryBytes: number }): { bytes: number; note: string } {
  const want = 4 * (opts.l3Bytes ?? FALLBACK_LLC);
  const caps: [string, number][] = [['4× LLC', want], ['1/16 of RAM', opts.totalMemoryBytes / 16], ['the 1 GiB cap', GiB]];
  if (opts.quick) caps.push(['the quick-mode cap', 256 * MiB]);
  const [why, raw] = caps.reduce((best, c) => (c[1] < best[1] ? c : best));
  const bytes = 2 ** Math.floor(Math.log2(raw));
  const note = `latency ladder: 4 KiB … ${bytes / MiB} MiB (largest set limited by ${why})` +
    (bytes < want ? `; below 4× the ${opts.l3Bytes === null ? 'assumed' : 'reported'} LLC of ${(want / 4 / MiB).toFixed(0)} MiB` : '');
  return { bytes, note };
}

export function latencySizes(minBytes: number, maxBytes: number, perOctave: number): number[] {
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const size = Math.round((minBytes * 2 ** (i / perOctave)) / 64) * 64;
    if (size > maxBytes) break;
    if (out[out.length - 1] !== size) out.push(size);
  }
  return out;
}

export async function runLatency(options: LatencyOptions, reporter: BenchReporter): Promise<LatencyResult> {
  const { signal } = reporter;
  await checkpoint(signal);
  const caches: CacheSizes = options.caches ?? { l1dBytes: null, l2Bytes: null, l3Bytes: null };
  let maxBytes: number;
  if (options.maxBytes !== undefined) {
    maxBytes = options.maxBytes;
  } else {
    const plan = planLatencyMax({ quick: options.quick, l3Bytes: caches.l3Bytes, totalMemoryBytes: options.totalMemoryBytes ?? os.totalmem() });
    maxBytes = plan.bytes;
    reporter.log(plan.note);
  }
  const sizes = latencySizes(options.minBytes ?? 4 * KiB, maxBytes, options.pointsPerOctave ?? (options.quick ? 2 : 4));
  const targetSeconds = options.targetSeconds ?? (options.quick ? 0.003 : 0.005);
  const repeats = options.repeats ?? (options.quick ? 7 : 11);

  const data: LatencyWorkerData = { maxBytes, seed: 0x9e3779b9 };
  const worker = startWorker(new URL('./latency.worker.ts', import.meta.url), data);
  const onAbort = () => void stopWorker(worker);
  signal.addEventListener('abort', onAbort);
  try {
    await whenReady(worker);
    const points: LatencyResult['points'] = [];
    for (const [i, bytes] of sizes.entries()) {
      reporter.progress('latency', i, sizes.length);
      await checkpoint(signal);
      const ns = await request(worker, { type: 'measure', bytes, targetSeconds, repeats }, signal);
      points.push({ bytes, ns });
    }
    reporter.progress('latency', sizes.length, sizes.length);
    const { knees, boundaries, levels } = latencyLevels(points, caches);
    for (const b of boundaries) if (b.note) reporter.log(b.note, 'warn');
    reporter.log(`latency knees at ${knees.map((k) => formatBytes(k.bytes)).join(', ') || 'none'}; levels: ${levels.map((l) => `${l.name} ${l.ns.toFixed(1)} ns`).join(', ')}`);
    return { points, levels };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await stopWorker(worker);
  }
}


/** Sends one request; resolves with the reply, rejects on worker error/exit or abort. */
function request(worker: Worker, req: LatencyRequest, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: LatencyReply) => {
      if (m.type === 'point' && m.bytes === req.bytes) done(() => resolve(m.ns));
    };
    const onError = (err: Error) => done(() => reject(err));
    const onExit = () => done(() => reject(signal.aborted ? abortError() : new Error('latency worker exited')));
    const onAbort = () => done(() => reject(abortError()));
    // No size comes near this (building a 1 GiB ring is a few seconds); a stuck worker fails the run.
    const watchdog = setTimeout(() => done(() => reject(new Error('the latency worker stopped answering'))), 120_000);
    const done = (settle: () => void) => {
      clearTimeout(watchdog);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal.addEventListener('abort', onAbort);
    worker.postMessage(req);
  });
}
