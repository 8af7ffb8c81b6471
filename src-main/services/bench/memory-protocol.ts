/**
 * The shared-memory protocol between memory.ts (coordinator, main thread) and memory.worker.ts
 * (one per thread). Commands go through a small Int32Array so workers wake from Atomics.wait
 * with no event-loop hop; each worker stamps its finish time so the coordinator can time a
 * command from the moment it released the barrier to the moment the last worker finished.
 */

/** Int32 slots of the control block. */
export const Ctrl = {
  /** Bumped by the coordinator for every command; workers wait on it. */
  GEN: 0,
  /** Workers that finished the current command; the last one notifies. */
  DONE: 1,
  /** The Op to run. */
  OP: 2,
  /** Set non-zero by a worker whose kernel threw. */
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
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

/** Float64 argument slots. */
export const Arg = { SIZE: 0, PASSES: 1, SCALAR: 2, LENGTH: 3 } as const;

export interface MemoryWorkerData {
  id: number;
  threads: number;
  memory: WebAssembly.Memory;
  maxPages: number;
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

/** This thread's [offset, bytes) of a region of `total` bytes split in `threads` aligned slices. */
export function slice(total: number, threads: number, id: number, align: number): { offset: number; bytes: number } {
  const per = Math.floor(total / threads / align) * align;
  return { offset: id * per, bytes: per };
}
