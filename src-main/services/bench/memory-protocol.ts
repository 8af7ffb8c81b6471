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
  /** Read `size` bytes (split across threads) `passes` times. */
  READ: 6,
  /** Check this thread's first element of a, b, c against `expectedStream(PASSES)`; FAILED = 2 if wrong. */
  VALIDATE: 7,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

/** Float64 argument slots. */
export const Arg = { SIZE: 0, PASSES: 1, SCALAR: 2, LENGTH: 3 } as const;

export interface MemoryWorkerData {
  id: number;
  threads: number;
  /** Wasm pages of the shared memory (created by worker 0 with initial = maximum = this). */
  maxPages: number;
  /** Worker 0: one port per other worker, to send the memory; others: the port it arrives on. */
  memoryPorts: MessagePort[];
  /** Byte offsets of arrays a, b, c and the bytes of each. */
  a: number;
  b: number;
  c: number;
  arrayBytes: number;
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

/** This thread's [offset, bytes) of a region of `total` bytes split in `threads` aligned slices. */
export function slice(total: number, threads: number, id: number, align: number): { offset: number; bytes: number } {
  const per = Math.floor(total / threads / align) * align;
  return { offset: id * per, bytes: per };
}
