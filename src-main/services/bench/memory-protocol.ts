/**
 * The shared-memory protocol between memory.ts (coordinator, main thread) and memory.worker.ts
 * (one per thread). Commands go through a small Int32Array so workers wake from Atomics.wait
 * with no event-loop hop; each worker stamps its finish time so the coordinator can time a
 * command from the moment it released the barrier to the moment the last worker finished.
 *
 * The arrays live in a shared WebAssembly.Memory that worker 0 creates and hands to the others
 * over MessagePorts; the coordinator never holds it. That is what frees it: V8 does not count a
 * shared wasm memory as GC pressure, so a reference held by the long-lived main isolate kept every
 * run's arrays (3 GiB in full mode) alive until the process ran out of memory. Worker isolates
 * are disposed when they exit, and the memory with them.
 */
import type { MessagePort } from 'node:worker_threads';

/** Int32 slots of the control block. */
export const Ctrl = {
  /** Bumped by the coordinator for every command; workers wait on it. */
  GEN: 0,
  /** Workers that finished the current command; the last one notifies. */
  DONE: 1,
  /** The Op to run. */
  OP: 2,
  /** Set by a worker: 1 when its kernel threw, 2 when validation found wrong values. */
  FAILED: 3,
  LENGTH: 4,
} as const;

export const Op = {
  EXIT: 0,
  /** Fill this thread's slices (a = 1, b = 2, c = 0): the first touch, so page faults happen before timing. */
  INIT: 1,
  COPY: 2,
  SCALE: 3,
  ADD: 4,
  TRIAD: 5,
  /** Read `size` bytes (split across the first ACTIVE threads, all of them when ACTIVE is 0) `passes` times. */
  READ: 6,
  /** Check this thread's first element of a, b, c against `expectedStream(PASSES)`; FAILED = 2 if wrong. */
  VALIDATE: 7,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

/** Float64 argument slots. */
export const Arg = { SIZE: 0, PASSES: 1, SCALAR: 2, ACTIVE: 3, LENGTH: 4 } as const;

export interface MemoryWorkerData {
  id: number;
  threads: number;
  /** Wasm pages of the shared memory (created by worker 0 with initial = maximum = this). */
  maxPages: number;
  /** Worker 0: one port per other worker, to send the memory; others: the port it arrives on. */
  memoryPorts: MessagePort[];
  /** Where arrays a, b, c and each thread's slice of them lie (streamLayout). */
  layout: StreamLayout;
  ctrl: SharedArrayBuffer;
  args: SharedArrayBuffer;
  /** BigInt64 per worker: process.hrtime.bigint() at the end of its last command. */
  ends: SharedArrayBuffer;
  /** Float64 per worker: the read kernel's sum (kept so no read is dead code). */
  sums: SharedArrayBuffer;
}

export const STREAM_SCALAR = 3;

/** What `ntimes` STREAM iterations leave in a, b, c from a = 1, b = 2, c = 0 (STREAM's own check). */
export function expectedStream(ntimes: number): [number, number, number] {
  let a = 1, b = 2, c = 0;
  for (let k = 0; k < ntimes; k++) {
    c = a;
    b = STREAM_SCALAR * c;
    c = a + b;
    a = b + STREAM_SCALAR * c;
  }
  return [a, b, c];
}

/**
 * Byte distance added between the streams that a kernel walks at once, so that they do not all
 * map to the same cache sets. Without it the three arrays (and the WAYS sub-ranges of each) start
 * a power of two apart, so element i of every stream lands in the same L1 and L2 set; each set then
 * holds one line per stream plus the lines prefetched ahead. Measured on an Intel Xeon (family 6
 * model 207; L1d 48 KiB 12-way, L2 2 MiB 16-way), 1 thread, 512 MiB arrays: 8 sub-ranges per
 * array (24 co-mapped streams for triad) fell from 12.0–12.7 GB/s to 7.9–8.9 on every kernel, and
 * staggering the arrays alone brought them back to 10.3–12.3. A Zen 3 core has 8-way L1d and L2,
 * so the 6 co-mapped streams of a 2-way triad were already at its limit there (0.30–0.40× the C
 * STREAM, whose arrays come from separate allocations). 4736 B = 74 lines is 10 lines apart
 * modulo 4 KiB (the L1 set span of every x86 and Arm core here), so up to six streams spread
 * evenly over the 64 L1 sets, and ~4.6 KiB apart in the larger L2 set spans.
 */
export const STREAM_STAGGER = 4736;
/** Alignment of each array's region (a huge-page boundary), before its stagger is added. */
const REGION_ALIGN = 2 * 1024 * 1024;

export interface StreamLayout {
  /** Bytes of each array that one thread works on (what STREAM counts). */
  sliceBytes: number;
  /** Distance between consecutive threads' slices: sliceBytes plus room for the sub-range gaps. */
  sliceStride: number;
  /** Gap between a kernel's sub-ranges (the kernels' `gap` argument). */
  gap: number;
  /** Byte offsets of arrays a, b, c in the shared memory. */
  bases: [number, number, number];
  /** Bytes the shared memory must hold. */
  totalBytes: number;
}

/**
 * Where the STREAM arrays lie: array j starts on a 2 MiB boundary plus j·ways·STREAM_STAGGER, and
 * inside each slice sub-range w starts w·(part + STREAM_STAGGER) in, so all 3·ways streams of a
 * kernel start at distinct offsets modulo every cache's set span.
 */
export function streamLayout(arrayBytes: number, threads: number, align: number, ways: number): StreamLayout {
  const sliceBytes = Math.floor(arrayBytes / threads / align) * align;
  const gap = STREAM_STAGGER;
  const sliceStride = sliceBytes + (ways - 1) * gap;
  const region = threads * sliceStride;
  const bases: number[] = [];
  let end = 0;
  for (let j = 0; j < 3; j++) {
    bases.push(Math.ceil(end / REGION_ALIGN) * REGION_ALIGN + j * ways * gap);
    end = bases[j]! + region;
  }
  return { sliceBytes, sliceStride, gap, bases: bases as [number, number, number], totalBytes: end };
}

/** This thread's [offset, bytes) of a region of `total` bytes split in `threads` aligned slices. */
export function slice(total: number, threads: number, id: number, align: number): { offset: number; bytes: number } {
  const per = Math.floor(total / threads / align) * align;
  return { offset: id * per, bytes: per };
}
